#!/bin/bash
# The console against a live simulator: an incident shows within two
# seconds; paused, it writes zero bytes to the terminal; the simulator
# killed -> STALE with its age while the data stays; restarted on the same
# port -> recovery without a keypress.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail
port=$SIM_PORT
api GET '/v1/channels?limit=500'
target=$(jb '[.data[] | select(.network == "bank_direct" and .health == "healthy")][0].id')
[ -n "$target" ] && [ "$target" != null ] || bail_out "no healthy bank_direct channel"
diag "incident target: $target (sim on port $port)"

e2e_config 'poll_interval: 1s' 'stale_after: 3s'
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"

# Keep the target on screen with the filter.
tmux_keys /
tmux_type "$target"
tmux_keys Enter
tmux_wait_for "^ *\*? *$target .*healthy" 5
ok $? "the target channel is shown healthy"

# The incident: health down (or the breaker open) within two seconds.
t0=$(_now_ms)
sim_scenario bank_outage "$target"
is "$API_STATUS" 200 "POST /sim/scenario bank_outage $target"
tmux_wait_for "^ *\*? *$target .*(DOWN|OPEN)" 2
ok $? "the incident shows in the Channels pane within two seconds"
diag "shown after $(($(_now_ms) - t0)) ms"
tmux_wait_for "alerts: [1-9][0-9]* critical" 5
ok $? "the status bar counts the critical alert in words"

# Paused: not a byte for five seconds, although the world keeps moving.
tmux_keys p
tmux_wait_for "PAUSED" 5
ok $? "p pauses: the status bar says PAUSED"
bytes=$TEST_TMP/paused.bytes
: >"$bytes"
tmux_pipe_start "$bytes"
seq0=$(sim_state .stream_seq)
sleep 5 # the measured window, not a wait for a condition
tmux_pipe_stop
seq1=$(sim_state .stream_seq)
cmp_ok "$seq1" '>' "$seq0" "the platform changed meanwhile (stream_seq $seq0 -> $seq1)"
is "$(stat -c %s "$bytes")" 0 "paused, the console wrote zero bytes in five seconds"
tmux_keys p
tmux_wait_gone "PAUSED" 5
ok $? "p again resumes"
tmux_keys Escape

# The simulator dies: STALE with the age, the data still shown, what failed.
sim_stop
tmux_wait_for "STALE [0-9]+s" 10
ok $? "the sim killed: the status bar says STALE with the age"
like "$(tmux_screen)" "$target" "the data stays on screen"
like "$(e2e_line 1)" "sh-a: FAILING" "the status bar says the site is failing"
like "$(tmux_screen | tail -n 1)" "(refused|connect|Connection)" "the message line says what failed"
_stale_age() { e2e_line 1 | grep -oE 'STALE [0-9]+' | grep -oE '[0-9]+'; }
_age_moved() { [ "$(_stale_age)" -gt "$age1" ] 2>/dev/null; }
age1=$(_stale_age)
wait_until 4 _age_moved
age2=$(_stale_age)
cmp_ok "${age2:-0}" '>' "${age1:-0}" "the age keeps counting ($age1 -> $age2 s)"

# Back on the same port: recovery without a keypress.
sim_start --port "$port"
is "$SIM_PORT" "$port" "the sim is back on port $port"
tmux_wait_for "sh-a: up +data live" 30
ok $? "the console recovers by itself"
tmux_wait_for "answers again" 5
ok $? "and says so on the message line"

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits with status 0"

done_testing
