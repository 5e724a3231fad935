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
