# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/keyprobe.sh - how long the console in tmux takes to answer keys
# (sourced after tests/e2e/common.sh). The selection must be on a list away
# from its edges: j and k both move it.

# How long a key takes to answer: from sending it (j or k, moving the
# selection, never against an edge) to the first byte the console writes to
# the terminal in answer, as tmux's pipe-pane hands it over (the file is
# emptied before each key; the previous answer has long settled by then).
OUT_BYTES=$TEST_TMP/out.bytes
KEY=j
key_ms() {
	local t0 deadline now
	: >"$OUT_BYTES"
	t0=$(_now_ms)
	tmux_keys "$KEY"
	deadline=$((t0 + 5000))
	until [ -s "$OUT_BYTES" ]; do
		now=$(_now_ms)
		[ "$now" -ge "$deadline" ] && break
		sleep 0.002
	done
	echo $(($(_now_ms) - t0))
}
# Keys every 300 ms until the deadline (ms since the epoch): sets KEYS_N,
# KEYS_MAX, KEYS_ALL.
keys_until() {
	local ms
	KEYS_N=0 KEYS_MAX=0 KEYS_ALL=
	tmux_pipe_start "$OUT_BYTES"
	while [ "$(_now_ms)" -lt "$1" ]; do
		sleep 0.3
		ms=$(key_ms)
		[ "$KEY" = j ] && KEY=k || KEY=j # down, up: never against an edge
		KEYS_N=$((KEYS_N + 1))
		KEYS_ALL+=" $ms"
		[ "$ms" -gt "$KEYS_MAX" ] && KEYS_MAX=$ms
	done
	tmux_pipe_stop
}
