#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The cache holds what the stream brought, and believes a platform whose
# history went back:
# 1. polls an hour apart, two channels disabled on the platform (so the
#    change reaches the console by the event stream only): the cache has
#    both within a second of the screen; quit, platform down, start: the
#    screen shows them disabled, from the cache, with its age.
# 2. the platform restarted with the same seed (every version back where
#    it began): the first full fetch makes the cache match the platform row
#    for row, and the message line names what went back.
# 3. the same while the console runs: the stream's reset refetches, same.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"
command -v sqlite3 >/dev/null || { echo "1..0 # SKIP no sqlite3"; exit 77; }

sim_start_or_bail --tick-ms 0
api GET '/v1/channels?limit=500'
A=$(jb '[.data[] | select(.admin_state == "enabled") | .id] | sort | .[0]')
B=$(jb '[.data[] | select(.admin_state == "enabled") | .id] | sort | .[1]')
[ -n "$A" ] && [ -n "$B" ] || bail_out "no two enabled channels"

disable() { # ID
	api GET "/v1/channels/$1"
	mutate "/v1/channels/$1/actions" '{"action":"disable","reason":"streamcache test"}' \
		"$(quoted "$(jb .version)")"
	[ "$API_STATUS" = 200 ] || diag "disable $1: $API_STATUS $API_BODY"
}
row_re() { printf '^ *\\*? *%s .*%s' "$1" "$2"; }
db_state() { # ID
	sqlite3 "$DB" "SELECT json_extract(json, '\$.admin_state') FROM channels WHERE id = '$1'" 2>/dev/null
}
db_is() { [ "$(db_state "$1")" = "$2" ]; }
# The cache and the platform, row for row: id, version, admin state.
same_rows() {
	sqlite3 "$DB" "SELECT id || ' ' || version || ' ' || json_extract(json, '\$.admin_state')
		FROM channels ORDER BY id" >"$TEST_TMP/cache.rows" 2>/dev/null
	api_walk '/v1/channels?limit=500' "$TEST_TMP/sim.rows" \
		'.id + " " + (.version | tostring) + " " + .admin_state' || return 1
	jq -r . "$TEST_TMP/sim.rows" | sort >"$TEST_TMP/sim.sorted"
	mv "$TEST_TMP/sim.sorted" "$TEST_TMP/sim.rows"
	cmp -s "$TEST_TMP/cache.rows" "$TEST_TMP/sim.rows"
}

e2e_config 'poll_interval: 1h' 'slow_poll_interval: 1h' 'resync_interval: 1h'
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
tmux_wait_for "$(row_re "$A" enabled)" 10
ok $? "$A is shown enabled"
DB=$(ls "$XDG_CACHE_HOME"/payops/cache-*.db 2>/dev/null | head -n 1)
wait_until 10 db_is "$A" enabled
ok $? "the first fetch is in the cache"
lists() { sim_requests " GET /v1/channels\\?"; }
polls=$(lists)

disable "$A"
disable "$B"
tmux_wait_for "$(row_re "$A" disabled)" 10
ok $? "the stream brings $A disabled to the screen"
t0=$(_now_ms)
tmux_wait_for "$(row_re "$B" disabled)" 10
ok $? "... and $B"
wait_until 2 db_is "$A" disabled && wait_until 1 db_is "$B" disabled
ok $? "both are in the cache with the next batch ($(since_ms "$t0") ms after the screen; batches a second apart, bound 2 s x$TEST_TIME_SCALE)"
is "$(lists)" "$polls" "... by the stream: no list was polled meanwhile"

tmux_keys q
rc=$(tmux_wait_exit 10)
is "$rc" 0 "q quits cleanly"
sim_stop

e2e_start
tmux_wait_for "CACHED [0-9]+[smh]" 30
ok $? "with the platform down, the status bar says CACHED with the age"
tmux_wait_for "$(row_re "$A" disabled)" 10
ok $? "... and $A is shown disabled, as the stream left it"
tmux_wait_for "$(row_re "$B" disabled)" 5
ok $? "... and $B"

# 2. the platform comes back with the history it began with
bytes=$TEST_TMP/phase2.bytes
: >"$bytes"
tmux_pipe_start "$bytes"
sim_start_or_bail --tick-ms 0 --port "$SIM_PORT"
tmux_wait_for "history went back on sh-a: .*2 channels \\(" 30
ok $? "the message line says the platform's history went back" ||
	diag "drawn: $(grep -ao 'history went back[^[:cntrl:]]*' "$bytes" | head -3)"
tmux_pipe_stop
like "$(tmux_screen)" "history went back.*2 channels \\(($A, $B|$B, $A)\\)" "... and names both channels"
tmux_wait_for "$(row_re "$A" enabled)" 10
ok $? "the screen shows $A as the platform has it"
wait_until 5 same_rows
ok $? "the cache matches the platform row for row"
diff "$TEST_TMP/cache.rows" "$TEST_TMP/sim.rows" | head -5 | while read -r l; do diag "$l"; done
like "$(db_state "$A") $(db_state "$B")" "^enabled enabled$" "... $A and $B enabled in the cache"

# 3. the same while the console runs: the stream's reset refetches whole.
# The console's stream may still be backing off from the outage above (its
# polls found the platform first): the change must come through the stream,
# or the console holds no event id for the next platform to refuse.
stream_open() { [ "$(sim_requests ' GET /v1/events')" -ge 1 ]; }
wait_until 20 stream_open
ok $? "the event stream is open on the restarted platform"
disable "$A"
wait_until 3 db_is "$A" disabled
ok $? "a change by stream reaches the cache again"
sim_stop
sim_start_or_bail --tick-ms 0 --port "$SIM_PORT"
tmux_wait_for "history went back on sh-a: .*1 channel \\($A\\)" 30
ok $? "after the stream's reset, the message line names $A" ||
	diag "cache: $(sqlite3 "$DB" "SELECT version FROM channels WHERE id = '$A'") events: $(grep -c 'GET /v1/events' "$SIM_ERR")"
wait_until 5 same_rows
ok $? "the cache matches the platform row for row again"
tmux_keys q
rc=$(tmux_wait_exit 10)
is "$rc" 0 "q quits cleanly"

done_testing
