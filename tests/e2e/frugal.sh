#!/bin/bash
# The console is frugal with the terminal: with the platform frozen it
# writes zero bytes (sync keeps polling, nothing moves); one tick of the
# world shows its new values in the Channels pane at once, in less than a
# repaint of the screen; frozen again, zero bytes again.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0 --channels 60 --cases 200 --breaks 500 --limits 200
e2e_config 'poll_interval: 1s'
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
tmux_keys 2
api GET '/v1/channels?limit=500'
first=$(jb '[.data[].id] | sort | .[0]')
tmux_wait_for "^ *\\*? *$first " 10
ok $? "the Channels pane shows $first first"
# let the first sync, the greeting and any 'just changed' markers settle
tmux_wait_gone "connected to" 15
sleep 6 # markers last five seconds: not a wait for a condition

# count BYTES-FILE SECS: what the console writes in SECS seconds
count() {
	: >"$1"
	tmux_pipe_start "$1"
	sleep "$2" # the measured window, not a wait for a condition
	tmux_pipe_stop
	stat -c %s "$1"
}
is "$(count "$TEST_TMP/frozen1.bytes" 5)" 0 "frozen world: zero bytes in five seconds"

# one tick: every channel moves (the sim steps up to 200 a tick)
row_re() { # ID: the row as the pane draws it, from the API's values
	api GET "/v1/channels/$1"
	jb '"\(.system_success_rate) \(.latency_ms.p95)"' |
		awk -v id="$1" '{ printf "^ *\\*? *%s .* %.2f%%.* %dms", id, $1 * 100, $2 }'
}
: >"$TEST_TMP/tick.bytes"
tmux_pipe_start "$TEST_TMP/tick.bytes"
sim_tick 1
re=$(row_re "$first")
tmux_wait_for "$re" 3
ok $? "after one tick the new success rate and p95 of $first show"
sleep 1 # the rest of the frame, not a wait for a condition
tmux_pipe_stop
tick=$(stat -c %s "$TEST_TMP/tick.bytes")
cmp_ok "$tick" '>' 0 "the tick was written ($tick bytes)"
# what a repaint of the whole screen costs (Ctrl-L), for comparison
: >"$TEST_TMP/full.bytes"
tmux_pipe_start "$TEST_TMP/full.bytes"
tmux_keys C-l
sleep 1 # the repaint, not a wait for a condition
tmux_pipe_stop
full=$(stat -c %s "$TEST_TMP/full.bytes")
diag "one tick: $tick bytes; a full repaint: $full bytes"
cmp_ok "$tick" '<' "$full" "the tick cost less than repainting the screen"

sleep 6 # 'just changed' markers of the tick expire: not a condition wait
is "$(count "$TEST_TMP/frozen2.bytes" 5)" 0 "frozen again: zero bytes in five seconds"
like "$(tmux_screen)" "$first" "the data stays on screen"

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits with status 0"
done_testing
