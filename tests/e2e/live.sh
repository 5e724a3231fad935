#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The console against a live simulator: an incident shows within two
# seconds; paused, it writes zero bytes to the terminal while the world
# moves; the simulator killed -> STALE with its age while the data stays;
# restarted on the same port -> recovery without a keypress.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail
port=$SIM_PORT
api GET '/v1/channels?limit=500'
target=$(jb '[.data[] | select(.network == "bank_direct" and .health == "healthy")][0].id')
[ -n "$target" ] && [ "$target" != null ] || bail_out "no healthy bank_direct channel"
diag "incident target: $target (sim on port $port)"

# The lists are resynced once a minute beside the stream: within the test
# only the stream (or the loss of it) brings changes.
e2e_config 'poll_interval: 1s' 'stale_after: 3s' 'slow_poll_interval: 60s'
e2e_start
tmux_wait_for "sh-a: up  " 30
ok $? "the console connects, its event stream open"

# Keep the target on screen with the filter.
tmux_keys /
tmux_type "$target"
tmux_keys Enter
tmux_wait_for "^ *\*? *$target .*healthy" 30
ok $? "the target channel is shown healthy"

# The incident: health down (or the breaker open) within two seconds, and
# through the event stream: the console does not poll the channel list
# meanwhile. The time is taken from what the console writes (a file,
# cheaper to watch than the screen); the bound is scaled for a sanitizer
# build or a loaded machine (wait.sh), the stream is not.
# Steady state first: the stream has opened and the polls that follow it
# (a resync) are over: the channel list is not polled over three ticks.
_channel_polls() { sim_requests ' GET /v1/channels '; }
_ticks() { sim_state .ticks; }
steady_reset
WAIT_STEP=0.25 wait_until 60 steady _channel_polls _ticks 3
ok $? "with the stream open the channel list is not polled ($(_channel_polls) polls so far)"
inc=$TEST_TMP/incident.bytes
: >"$inc"
tmux_pipe_start "$inc"
_incident_written() { grep -aqE 'DOWN|OPEN' "$inc"; }
polls0=$(_channel_polls)
log0=$(($(wc -l <"$SIM_ERR") + 1))
t0=$(_now_ms)
sim_scenario bank_outage "$target"
is "$API_STATUS" 200 "POST /sim/scenario bank_outage $target"
wait_until 30 _incident_written
shown=$(since_ms "$t0")
tmux_wait_for "^ *\*? *$target .*(DOWN|OPEN)" 30
ok $? "the incident shows in the Channels pane"
polls1=$(sim_requests ' GET /v1/channels ')
tmux_pipe_stop
is "$polls1" "$polls0" "... brought by the event stream: no poll of the channel list meanwhile" ||
	diag "the sim answered meanwhile:" "$(tail -n +"$log0" "$SIM_ERR" | grep -v /history | head -n 40)"
cmp_ok "$shown" -le "$(scaled 2)000" "... within two seconds ($shown ms; bound x$TEST_TIME_SCALE)"
tmux_wait_for "alerts: [1-9][0-9]* critical" 30
ok $? "the status bar counts the critical alert in words"

# Paused: not a byte, although the world keeps moving. The window lasts five
# seconds at least, and until the world has ticked three times and the
# console has woken three times to take in its events: a slow machine
# stretches the window instead of emptying it.
tmux_keys p
tmux_wait_for "PAUSED" 30
ok $? "p pauses: the status bar says PAUSED"
unlike "$(e2e_line 1)" "data live" "and no longer says data live beside it"
# the message line is the last of that frame: once it shows, the frame is done
tmux_wait_for "updates paused" 30
bytes=$TEST_TMP/paused.bytes
: >"$bytes"
tmux_pipe_start "$bytes"
seq0=$(sim_state .stream_seq)
e2e_ticked_window 5000 3 3
ok $? "the window closes: five seconds, three ticks of the world, three wake-ups of the console"
tmux_pipe_stop
window="$(since_ms "$E2E_T0") ms, $(($(tmux_wakeups) - E2E_WAKE0)) wake-ups"
seq1=$(sim_state .stream_seq)
cmp_ok "$seq1" '>' "$seq0" "the platform changed meanwhile (stream_seq $seq0 -> $seq1)"
is "$(stat -c %s "$bytes")" 0 "paused, the console wrote zero bytes ($window)"
tmux_keys p
tmux_wait_gone "PAUSED" 30
ok $? "p again resumes"
tmux_keys Escape

# The simulator dies: STALE with the age, the data still shown, what failed.
sim_stop
tmux_wait_for "STALE [0-9]+s" 30
ok $? "the sim killed: the status bar says STALE with the age"
like "$(tmux_screen)" "$target" "the data stays on screen"
like "$(e2e_line 1)" "sh-a: FAILING" "the status bar says the site is failing"
like "$(tmux_screen | tail -n 1)" "(refused|connect|Connection)" "the message line says what failed"
_stale_age() { e2e_line 1 | grep -oE 'STALE [0-9]+' | grep -oE '[0-9]+'; }
_age_moved() { [ "$(_stale_age)" -gt "$age1" ] 2>/dev/null; }
age1=$(_stale_age)
wait_until 10 _age_moved
age2=$(_stale_age)
cmp_ok "${age2:-0}" '>' "${age1:-0}" "the age keeps counting ($age1 -> $age2 s)"

# Back on the same port: recovery without a keypress. The message comes
# when the site answers, the live data when the stream is back, which may
# be more than the message's eight seconds later on a slow machine: what
# the console writes is kept, so the message counts even when it has gone.
back=$TEST_TMP/back.bytes
: >"$back"
tmux_pipe_start "$back"
sim_start --port "$port"
is "$SIM_PORT" "$port" "the sim is back on port $port"
tmux_wait_for "sh-a: up +data live" 60
ok $? "the console recovers by itself"
_said_back() { tmux_screen | grep -q "answers again" || grep -aq "answers again" "$back"; }
wait_until 30 _said_back
ok $? "and says so on the message line"
tmux_pipe_stop

tmux_keys q
is "$(tmux_wait_exit 30)" 0 "q quits with status 0"

done_testing
