#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/sync/sync.sh: sync and store against a real payops-sim: an idle poll
# costs only 304s, a malformed body keeps the last good data, the event
# stream delivers between polls (approvals too; without the stream they
# are polled), a dead site is reported and recovers by
# itself, and reads fail over to another site and back.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"

DRIVER=$top_builddir/tests/sync/sync-driver
tokfile=$TEST_TMP/token
export XDG_CACHE_HOME=$TEST_TMP/cache

# driver_start NAME ARGS...: run the driver, its JSON lines in $TEST_TMP/NAME.out
driver_start() {
	local name=$1; shift
	"$DRIVER" --token-file "$tokfile" "$@" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" &
	eval "DRV_$name=$!"
	bg_track $!
}
# last NAME: the newest line, nothing while it is still being written (an
# older line then would be stale: q waits for it instead); q NAME FILTER:
# jq over it
last() {
	local f=$TEST_TMP/$1.out
	[ -s "$f" ] && [ -z "$(tail -c 1 "$f")" ] || return 0
	tail -n 1 "$f" | jq -cR 'fromjson? // empty' 2>/dev/null
}
_q_read() { _Q=$(last "$1" | jq -r "$2" 2>/dev/null) && [ -n "$_Q" ]; }
q() {
	_Q=
	WAIT_STEP=0.1 wait_until 1 _q_read "$1" "$2" # a line may be half-written
	printf '%s\n' "$_Q"
}
# wait_q NAME SECONDS JQ-BOOLEAN: until the newest line satisfies it
# (jq -e succeeds on no input at all: a line is needed first)
_q_holds() { local line; line=$(last "$1") && [ -n "$line" ] && jq -e "$2" >/dev/null 2>&1 <<<"$line"; }
wait_q() {
	WAIT_STEP=0.1 wait_until "$2" _q_holds "$1" "$3"
}
# list_polls [FROM-LINE]: the sim's count of list polls (channels, routes,
# alerts) from that line of its log on
list_polls() {
	tail -n +"${1:-1}" "$SIM_ERR" | grep -cE ' GET /v1/(channels|routes|alerts)[? ]'
}
# revalidated FROM-LINE: each of channels, routes and alerts was answered
# 304 since then: a round of polls after the first sync is over
revalidated() {
	local l
	for l in channels routes alerts; do
		tail -n +"$1" "$SIM_ERR" | grep -qE " GET /v1/$l 304 " || return 1
	done
}
# mirror_sum DB: sum of the channel versions the cache holds (the reader
# waits for a writer rather than failing); no_build DB: no bulk load waits
# for its index build (bulk_saved empty: the build deletes its rows when it
# commits)
mirror_sum() {
	sqlite3 -cmd '.timeout 10000' "$1" 'SELECT sum(version) FROM channels' 2>/dev/null
}
no_build() {
	[ "$(sqlite3 -cmd '.timeout 10000' "$1" 'SELECT count(*) FROM bulk_saved' 2>/dev/null)" = 0 ]
}

# --- one frozen site -------------------------------------------------------
sim_start --tick-ms 0 || bail_out "payops-sim did not start"
printf '%s\n' "$SIM_TOKEN" >"$tokfile"; chmod 600 "$tokfile"
port=$SIM_PORT
driver_start a --site "sh-a=$SIM_URL" --poll-ms 300 --slow-poll-ms 400 --resync-ms 400 --watch icbc.direct.quickpay

wait_q a 10 '.channels > 0 and .routes > 0 and .operator != ""'
ok $? "first sync fills channels, routes and operator"
api GET /v1/channels?limit=500
want=$(jb '.data | length')
is "$(q a .channels)" "$want" "every channel the platform lists is in the store"
wait_q a 10 '.trend_seeded == true'
ok $? "a channel's trend is seeded from /history"

# an unchanged platform costs only 304s: read the sim's own request log.
# The window opens when every list has been revalidated once (the first
# sync is over) and closes after six more list polls.
wait_until 30 revalidated 1
ok $? "after the first sync the lists are revalidated (304)"
l0=$(($(wc -l <"$SIM_ERR") + 1))
t0=$(_now_ms)
_polled() { [ "$(list_polls "$l0")" -ge 6 ]; }
WAIT_STEP=0.1 wait_until 30 _polled
ok $? "polling continues while idle (6 list polls in $(since_ms "$t0") ms)"
polls=$(tail -n +"$l0" "$SIM_ERR" | grep -E ' GET /v1/(channels|routes|alerts) ')
n_polls=$(printf '%s\n' "$polls" | grep -c ' GET ')
n_304=$(printf '%s\n' "$polls" | grep -c ' 304 ')
is "$n_304" "$n_polls" "every idle list poll was answered 304 (no body re-sent: $n_polls polls)"

# a malformed body never replaces good data
sim_faults '{"malformed_rate": 1, "path_prefix": "/v1/channels"}'
sim_tick 1
wait_q a 5 '.chan_error | test("channels")'
ok $? "a malformed channel list is reported: $(q a .chan_error)"
is "$(q a .channels)" "$want" "... and the last good channels stay"
sim_faults_clear
wait_q a 5 '.chan_error == ""'
ok $? "the error clears when the platform sends good data again"

kill "$DRV_a" 2>/dev/null; wait "$DRV_a" 2>/dev/null
# the stream carries every change: beside it the lists are only resynced,
# at the resync interval (2 minutes), not at every poll interval. The window opens once
# the polls that follow the stream's opening are over (the list polls held
# over twenty wake-ups of the driver), and lasts two seconds and twenty
# wake-ups more (its report timer alone fires every 100 ms): on a loaded
# machine the driver's own time, not the wall clock's, decides how many
# polls it could have made.
driver_start s --site "sh-a=$SIM_URL" --poll-ms 200 --slow-poll-ms 60000
wait_q s 10 '.channels > 0 and .routes > 0 and .sites[0].stream == true'
ok $? "a console polling every 200 ms is up with its stream open"
_list_polls() { list_polls 1; }
_s_wakeups() { wakeups "$DRV_s"; }
steady_reset
WAIT_STEP=0.1 wait_until 30 steady _list_polls _s_wakeups 20
ok $? "... and its first polls are over"
l0=$(($(wc -l <"$SIM_ERR") + 1))
w0=$(wakeups "$DRV_s")
t0=$(_now_ms)
_s_window() { at_least_ms "$t0" 2000 && [ "$(wakeups "$DRV_s")" -ge $((w0 + 20)) ]; }
WAIT_STEP=0.1 wait_until 30 _s_window
ok $? "the window closes: two seconds and twenty wake-ups of the driver"
n_polls=$(list_polls "$l0")
cmp_ok "$n_polls" -le 3 "... its streamed lists are not polled every 200 ms ($n_polls list polls in $(since_ms "$t0") ms, $(($(wakeups "$DRV_s") - w0)) wake-ups)"
kill "$DRV_s" 2>/dev/null; wait "$DRV_s" 2>/dev/null

# a list that changes at every poll: the cache follows each poll, writing
# only the objects whose version moved; the full mirror, which marks every
# row for the sweep of deleted objects (writing every row each time was
# half the CPU of live updates), runs at most once a minute, and once more
# when the console quits
driver_start m --site "sh-a=$SIM_URL" --poll-ms 200 --slow-poll-ms 200 --resync-ms 200
wait_q m 10 '.channels > 0'
ok $? "a console polling every 200 ms is up"
# the mirror holds the list as the platform has it before the ticks
api GET /v1/channels?limit=500
vp=$(jb '[.data[].version] | add')
_mirrored() {
	mdb=$(ls "$XDG_CACHE_HOME"/payops/cache-*.db 2>/dev/null | head -n 1)
	[ -n "$mdb" ] && [ "$(mirror_sum "$mdb")" = "$vp" ]
}
wait_until 30 _mirrored
ok $? "the first list is mirrored into the cache (versions $vp)"
v0=$(mirror_sum "$mdb")
walk_of() { sqlite3 "$1" 'SELECT max(walk) FROM channels' 2>/dev/null; }
k0=$(walk_of "$mdb")
# four ticks, each fetched by the console (the channel list answered 200)
_refetched() { [ "$(sim_requests ' GET /v1/channels 200 ')" -gt "$n200" ]; }
for _ in 1 2 3 4; do
	n200=$(sim_requests ' GET /v1/channels 200 ')
	sim_tick 1
	wait_until 30 _refetched || diag "a tick was not fetched"
done
# the driver holds the newest list once it revalidates it: the channels job
# asks one page at a time, so a 304 after the last 200 carried its ETag
n304=$(sim_requests ' GET /v1/channels 304 ')
_has_newest() { [ "$(sim_requests ' GET /v1/channels 304 ')" -gt "$n304" ]; }
wait_until 30 _has_newest
ok $? "the driver took in the last tick (its list revalidated)"
# the cache takes no writes while it builds the indexes of a bulk load (the
# first start's, or one a killed driver left half done): quit after that
wait_until 60 no_build "$mdb"
ok $? "no index build is pending in the cache"
v1=$(mirror_sum "$mdb")
api GET /v1/channels?limit=500
vs=$(jb '[.data[].version] | add')
cmp_ok "$vs" -gt "${v0:-0}" "the platform's channels moved on (versions $v0 -> $vs)"
is "$v1" "$vs" "... the cache followed every poll (versions $v1)"
is "$(walk_of "$mdb")" "$k0" "... without a full mirror at every poll (walk $k0)"
kill "$DRV_m" 2>/dev/null; wait "$DRV_m" 2>/dev/null
v2=$(mirror_sum "$mdb")
is "$v2" "$vs" "... and on quitting the console wrote the newest list"

# the event stream brings changes between polls: a slow poller sees the
# outage within two seconds (scaled for a sanitizer build or a loaded
# machine: wait.sh), and without polling the channel list
driver_start b --site "sh-a=$SIM_URL" --poll-ms 60000 --watch icbc.direct.quickpay
wait_q b 10 '.watch.health == "healthy" and .sites[0].stream == true'
ok $? "the stream is open and the channel is healthy"
# steady state first: the resync that follows the stream's opening is
# over: the channel list is not polled over twenty wake-ups of the driver
_channel_polls() { sim_requests ' GET /v1/channels '; }
_b_wakeups() { wakeups "$DRV_b"; }
steady_reset
WAIT_STEP=0.1 wait_until 30 steady _channel_polls _b_wakeups 20 ||
	diag "the channel list is still polled: $(_channel_polls) polls"
polls0=$(_channel_polls)
t0=$(_now_ms)
sim_scenario bank_outage icbc.direct.quickpay
wait_q b 30 '.watch.health == "down" or .watch.breaker == "open"'
ok $? "an outage arrives"
seen=$(since_ms "$t0")
is "$(sim_requests ' GET /v1/channels ')" "$polls0" "... through the stream: no poll of the channel list meanwhile"
cmp_ok "$seen" -le "$(scaled 2)000" "... within 2 s ($seen ms; bound x$TEST_TIME_SCALE)"
cmp_ok "$(q b .events)" -gt 0 "events were applied"

# the last known picture comes from the cache when the platform is away
kill "$DRV_b" 2>/dev/null; wait "$DRV_b" 2>/dev/null
sim_stop >/dev/null
# "at once": the driver's first report, before any answer or failure
driver_start c0 --site "sh-a=$SIM_URL" --poll-ms 300
_reported() { [ -n "$(head -n 1 "$TEST_TMP/c0.out")" ] && [ -z "$(head -n 1 "$TEST_TMP/c0.out" | tail -c 1)" ]; }
wait_until 30 _reported
head -n 1 "$TEST_TMP/c0.out" | jq -e ".channels == $want and .from_cache == true" >/dev/null
ok $? "with the platform down, a fresh start shows the $want cached channels at once (its first report)" ||
	diag "first report: $(head -n 1 "$TEST_TMP/c0.out" | cut -c1-400)"
cmp_ok "$(q c0 .chan_fetched)" -gt 0 "... with the time they were fetched (for their age)"
kill "$DRV_c0" 2>/dev/null; wait "$DRV_c0" 2>/dev/null
db=$(ls "$XDG_CACHE_HOME"/payops/cache-*.db 2>/dev/null | head -n 1)
ok $([ -n "$db" ]; echo $?) "the cache lives under XDG_CACHE_HOME: ${db#$TEST_TMP/}"
if grep -q "$SIM_TOKEN" "$XDG_CACHE_HOME"/payops/* 2>/dev/null; then
	fail "the token is not in the cache files"
else
	pass "the token is not in the cache files"
fi
# a corrupt cache is moved aside, said, and rebuilt
rm -f "$db"-wal "$db"-shm
head -c 8192 /dev/urandom >"$db"
driver_start c1 --site "sh-a=$SIM_URL" --poll-ms 300
wait_q c1 5 '.notice | test("cache")'
ok $? "a corrupt cache is said: $(q c1 .notice)"
ok $([ -n "$(ls "$XDG_CACHE_HOME"/payops/ | grep -i corrupt)" ]; echo $?) "... and moved aside, not deleted"
kill "$DRV_c1" 2>/dev/null; wait "$DRV_c1" 2>/dev/null
sim_start --port "$port" --tick-ms 0 || bail_out "payops-sim did not restart on port $port"
driver_start b2 --site "sh-a=$SIM_URL" --poll-ms 60000 --watch icbc.direct.quickpay
wait_q b2 15 ".sites[0].stream == true and .from_cache == false and .channels == $want"
ok $? "with the platform back, live data replaces the cached picture"

# the site dies: reported with what failed, data kept; back: recovers alone
sim_stop >/dev/null
wait_q b2 10 '.sites[0].state == "failing"'
ok $? "a dead site is reported failing"
like "$(q b2 '.sites[0].error')" "refused|connect|stream" "... with what failed: $(q b2 '.sites[0].error')"
got=$(q b2 .channels)
is "$got" "$want" "... and the data is still there"
[ "$got" = "$want" ] || diag "driver said: $(grep -c . "$TEST_TMP/b2.out") lines; $(tail -n 2 "$TEST_TMP/b2.out" | cut -c1-600)"
sleep 3 # the platform stays dead for a while: what the console says meanwhile is measured
first_fail=$(grep -n '"state":"failing"' "$TEST_TMP/b2.out" | head -n 1 | cut -d: -f1)
is "$(tail -n +"${first_fail:-1}" "$TEST_TMP/b2.out" | grep -c '"state":"up"')" 0 \
	"... and never says up again while it is dead"
sim_start --port "$port" --tick-ms 0 || bail_out "payops-sim did not restart on port $port"
wait_q b2 20 '.sites[0].state == "up" and .sites[0].stream == true'
ok $? "the site comes back and the console recovers without help"
kill "$DRV_b2" 2>/dev/null; wait "$DRV_b2" 2>/dev/null
sim_stop >/dev/null

# "up" needs a success newer than the last failure: a slow answer to a
# request that left before the platform started refusing does not bring it
# back (the header once read "up (polling)" while every request failed)
sim_start --port "$port" --tick-ms 0 || bail_out "payops-sim did not restart on port $port"
driver_start u --site "sh-a=$SIM_URL" --poll-ms 1000 --slow-poll-ms 1000 --resync-ms 1000 --every-change \
	--timeout-ms 6000
wait_q u 10 '.sites[0].state == "up" and .channels > 0'
ok $? "a console polling every second is up"
sim_faults '{"latency_ms": 3000, "path_prefix": "/v1/routes"}'
# a poll of the routes leaves within the next second and hangs for 3 s; the
# others fail from the next poll on, before it answers (the set-up, not an
# assertion)
sleep 1.2
sim_faults '{"latency_ms": 0, "error_rate": 1, "path_prefix": null}'
wait_q u 5 '.sites[0].state == "failing"'
ok $? "every request refused: the site is failing"
first_fail=$(grep -n '"state":"failing"' "$TEST_TMP/u.out" | head -n 1 | cut -d: -f1)
_late_answer() { grep -qE ' GET /v1/routes[^ ]* (200|304) [0-9]{4}' "$SIM_ERR"; }
wait_until 6 _late_answer
ok $? "the hanging request got its late answer: $(grep -E ' GET /v1/routes[^ ]* (200|304) [0-9]{4}' "$SIM_ERR" | tail -n 1)"
sleep 1 # the driver reports every change: what it says meanwhile is measured
ups=$(tail -n +"${first_fail:-1}" "$TEST_TMP/u.out" | grep -c '"state":"up"')
is "$ups" 0 "once a request failed, the site never says up while requests fail"
sim_faults_clear
wait_q u 10 '.sites[0].state == "up"'
ok $? "a request that succeeds after the failure brings it back up"
kill "$DRV_u" 2>/dev/null; wait "$DRV_u" 2>/dev/null
sim_stop >/dev/null

# --- the stream cut in the middle of events: nothing lost, nothing twice ----
sim_start --tick-ms 250 || bail_out "payops-sim did not start"
printf '%s\n' "$SIM_TOKEN" >"$tokfile"
elog=$TEST_TMP/events.log
# every connection is cut in the middle of its 7th event, from the first one
sim_faults '{"sse_drop_after": 7}'
driver_start d --site "sh-a=$SIM_URL" --poll-ms 2000 --event-log "$elog"
_reconnected() { [ "$(sim_requests ' GET /v1/events ')" -ge 4 ]; }
wait_until 20 _reconnected
ok $? "the stream was cut and resumed again and again ($(sim_requests ' GET /v1/events ') connections)"
sim_faults_clear
# every event sent until now reaches the driver over the stream (resumed)
seq_end=$(sim_state .stream_seq)
_caught_up() { [ "$(awk '$2 != "reset" { l = $1 } END { print l + 0 }' "$elog")" -ge "$seq_end" ]; }
wait_until 30 _caught_up
ok $? "after the cuts the driver catches up with the stream (event $seq_end)"
kill "$DRV_d" 2>/dev/null; wait "$DRV_d" 2>/dev/null
total=$(grep -vc ' reset$' "$elog")
dups=$(awk '$2 != "reset" {print $1}' "$elog" | sort | uniq -d | wc -l)
gaps=$(awk '$2 != "reset" { if (prev != "" && $1 != prev + 1) g++; prev = $1 } END { print g + 0 }' "$elog")
drops=$(grep -c 'stream' "$TEST_TMP/d.out")
cmp_ok "$total" -gt 20 "the stream carried $total events while it was cut every 7th event"
is "$dups" 0 "no event id arrived twice across the reconnects"
is "$gaps" 0 "no event id is missing across the reconnects (ids consecutive)"
sim_stop >/dev/null

# an id that aged out of the server's buffer: reset, and a refetch by REST
sim_start --tick-ms 100 --event-buffer 50 || bail_out "payops-sim did not start"
printf '%s\n' "$SIM_TOKEN" >"$tokfile"
# each connection is cut after 3 events; the client waits the server's
# retry (3 s) before it comes back, and far more events than the buffer
# holds pass meanwhile
r0=$(grep -c . "$SIM_ERR")
sim_faults '{"sse_drop_after": 3}'
driver_start e --site "sh-a=$SIM_URL" --poll-ms 60000 --event-log "$TEST_TMP/e.log"
wait_until 30 grep -q ' reset$' "$TEST_TMP/e.log"
if ! ok $? "after a gap longer than the server's buffer the stream says reset"; then
	diag "events: $(wc -l <"$TEST_TMP/e.log"), last: $(tail -n 3 "$TEST_TMP/e.log" | tr '\n' ' ')"
	diag "driver: $(tail -n 1 "$TEST_TMP/e.out" | cut -c1-400)"
	diag "sim: $(grep -c ' GET /v1/events ' "$SIM_ERR") stream requests; $(sim_state .stream_seq) events so far"
fi
sim_faults_clear
# the poll interval is 60 s: any further list fetch came from the stream's
# trouble (reset, or the reconnect that follows a cut)
wait_until 10 sh -c "[ \$(tail -n +$r0 '$SIM_ERR' | grep -c ' GET /v1/channels ') -ge 2 ]"
ok $? "... and the console refetches the lists by REST at once (poll interval is 60 s)"
kill "$DRV_e" 2>/dev/null; wait "$DRV_e" 2>/dev/null
sim_stop >/dev/null

# --- two sites of one platform: failover and failback ----------------------
sim_start --sites 2 --tick-ms 1000 || bail_out "payops-sim --sites 2 did not start"
printf '%s\n' "$SIM_TOKEN" >"$tokfile"
site0=$(sim_state '.sites[0].name'); site1=$(sim_state '.sites[1].name')
driver_start c --site "$site0=${SIM_SITE_URLS[0]}" --site "$site1=${SIM_SITE_URLS[1]}" --poll-ms 300
wait_q c 10 '.channels > 0 and .sites[0].state == "up" and .sites[1].state == "up"'
ok $? "both sites answer; reading from $(q c .active)"
# a loaded machine may time the first site out once at the start: the
# reads then come back to it
wait_q c 30 ".active == \"$site0\""
ok $? "the first site is preferred: reads come from $(q c .active)"
sim_post "/sim/sites/$site0/down" '{}'
wait_q c 10 ".active == \"$site1\""
ok $? "reads fail over to $site1 when $site0 goes dark"
like "$(q c .notice)" "failed over" "the switch is said in words: $(q c .notice)"
wait_q c 10 '.sites[1].stream == true and .channels > 0'
ok $? "the stream follows to the new site and the data stays"
API_URL=${SIM_SITE_URLS[1]} sim_post "/sim/sites/$site0/up" '{}'
wait_q c 15 ".active == \"$site0\""
ok $? "reads fail back to $site0 when it returns"
kill "$DRV_c" 2>/dev/null; wait "$DRV_c" 2>/dev/null
sim_stop >/dev/null

# --- approvals: by the stream between polls, by polling without it ---------
# Polls of the streamed lists are slow (60 s) while the stream is open: a
# held request shows through its `approval` event at once; with the stream
# refused, the approvals list is polled again every second and the next one
# arrives that way.
sim_start --tick-ms 0 --approval-share 0.01 || bail_out "payops-sim did not start"
printf '%s\n' "$SIM_TOKEN" >"$tokfile"
api GET '/v1/channels?limit=500'
read -r A1 A2 <<<"$(jb '[.data[] | select(.admin_state == "enabled" and .traffic_share > 0.01)]
	| sort_by(-.traffic_share) | .[0:2] | map(.id) | join(" ")')"
[ -n "$A2" ] || bail_out "the simulated world lacks busy enabled channels"
# hold_disable CHANNEL: ask to disable it; the sim holds it (202)
hold_disable() {
	api GET "/v1/channels/$1"
	local v; v=$(jb .version)
	mutate "/v1/channels/$1/actions" '{"action":"disable","reason":"four eyes sync test"}' "\"$v\""
	is "$API_STATUS" 202 "disabling $1 is held for a second operator"
}
_approval_polls() { sim_requests ' GET /v1/approvals[? ]'; }
driver_start p --site "sh-a=$SIM_URL" --poll-ms 1000 --slow-poll-ms 60000
wait_q p 10 '.channels > 0 and .sites[0].stream == true'
ok $? "a console with its stream open is up"
_p_wakeups() { wakeups "$DRV_p"; }
steady_reset
WAIT_STEP=0.1 wait_until 30 steady _approval_polls _p_wakeups 20 ||
	diag "the approvals list is still polled: $(_approval_polls) polls"
n0=$(q p .approvals)
apolls0=$(_approval_polls)
t0=$(_now_ms)
hold_disable "$A1"
wait_q p 10 ".approvals == $((n0 + 1))"
ok $? "the held request shows in the console"
seen=$(since_ms "$t0")
is "$(_approval_polls)" "$apolls0" "... through the stream: no poll of /v1/approvals meanwhile"
cmp_ok "$seen" -le "$(scaled 2)000" "... within 2 s ($seen ms; bound x$TEST_TIME_SCALE)"
# the stream cut and refused from now on: the approvals list is polled
# (a fault plan is chosen as a connection opens: the site goes dark a
# moment to end the open stream)
sim_faults '{"error_rate": 1, "path_prefix": "/v1/events"}'
site=$(sim_state '.sites[0].name')
sim_post "/sim/sites/$site/down" '{}'
wait_q p 15 '.sites[0].stream == false'
sim_post "/sim/sites/$site/up" '{}'
wait_q p 15 '.sites[0].state == "up" and .sites[0].stream == false'
ok $? "the stream is cut and stays closed while the site answers"
apolls1=$(_approval_polls)
hold_disable "$A2"
wait_q p 10 ".approvals == $((n0 + 2))"
ok $? "without the stream the next held request arrives too"
cmp_ok "$(_approval_polls)" -gt "$apolls1" "... by polling /v1/approvals"
sim_faults_clear
kill "$DRV_p" 2>/dev/null; wait "$DRV_p" 2>/dev/null
sim_stop >/dev/null

done_testing
