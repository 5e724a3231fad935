# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/am.sh: what the tests that run a real Prometheus Alertmanager
# share. Source it; it defines functions only.

# am_free_port: a TCP port on 127.0.0.1 that nothing listens on, below
# Linux's ephemeral range (32768-60999), where outgoing connections of the
# other tests take their local ports. It may be taken a moment later:
# callers retry the start.
am_free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# am_write_config FILE: a configuration that routes every alert nowhere.
am_write_config() {
	cat >"$1" <<'YML'
route:
  receiver: "null"
  group_wait: 1s
receivers:
  - name: "null"
YML
}

# am_start AM_BIN: a real Alertmanager on a free 127.0.0.1 port without
# clustering, for the end-to-end tests (after common.sh: bg_track, wait_until,
# bail_out); sets AM_PORT, AM_URL and AM_PID. A port that was free a moment
# ago may be taken by now: it tries a few.
_am_ready() { curl -sf "$AM_URL/-/ready" >/dev/null 2>&1; }
_am_up_or_gone() { _am_ready || ! kill -0 "$AM_PID" 2>/dev/null; }
am_start() {
	am_write_config "$TEST_TMP/am.yml"
	for _ in 1 2 3 4 5; do
		AM_PORT=$(am_free_port) || bail_out "no free port"
		AM_URL=http://127.0.0.1:$AM_PORT
		"$1" --config.file="$TEST_TMP/am.yml" --storage.path="$TEST_TMP/am-data" \
			--cluster.listen-address= --web.listen-address="127.0.0.1:$AM_PORT" \
			--log.level=warn >>"$TEST_TMP/am.log" 2>&1 </dev/null &
		AM_PID=$!
		bg_track "$AM_PID"
		wait_until 15 _am_up_or_gone
		_am_ready && return 0
	done
	bail_out "alertmanager did not become ready: $(tail -n 3 "$TEST_TMP/am.log")"
}
