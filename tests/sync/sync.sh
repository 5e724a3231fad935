#!/usr/bin/env bash
# tests/sync/sync.sh: sync and store against a real payops-sim: an idle poll
# costs only 304s, a malformed body keeps the last good data, the event
# stream delivers between polls, a dead site is reported and recovers by
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
q() {
	local v i
	for i in 1 2 3 4 5 6 7 8 9 10; do  # a line may be half-written: retry
		v=$(last "$1" | jq -r "$2" 2>/dev/null) && [ -n "$v" ] && break
		sleep 0.1
	done
	printf '%s\n' "$v"
}
# wait_q NAME SECONDS JQ-BOOLEAN: until the newest line satisfies it
wait_q() {
	local name=$1 secs=$2 filter=$3 end line
	end=$(($(_now_ms) + secs * 1000))
	while :; do
		# (jq -e succeeds on no input at all: a line is needed first)
		line=$(last "$name")
		[ -n "$line" ] && jq -e "$filter" >/dev/null 2>&1 <<<"$line" && return 0
		[ "$(_now_ms)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# --- one frozen site -------------------------------------------------------
sim_start --tick-ms 0 || bail_out "payops-sim did not start"
printf '%s\n' "$SIM_TOKEN" >"$tokfile"; chmod 600 "$tokfile"
port=$SIM_PORT
driver_start a --site "sh-a=$SIM_URL" --poll-ms 300 --slow-poll-ms 400 --watch icbc.direct.quickpay

wait_q a 10 '.channels > 0 and .routes > 0 and .operator != ""'
ok $? "first sync fills channels, routes and operator"
api GET /v1/channels?limit=500
want=$(jb '.data | length')
is "$(q a .channels)" "$want" "every channel the platform lists is in the store"
wait_q a 10 '.trend_seeded == true'
ok $? "a channel's trend is seeded from /history"

# an unchanged platform costs only 304s: read the sim's own request log
sleep 1
l0=$(wc -l <"$SIM_ERR")
sleep 2
polls=$(tail -n +"$((l0 + 1))" "$SIM_ERR" | grep -E ' GET /v1/(channels|routes|alerts) ')
n_polls=$(printf '%s\n' "$polls" | grep -c ' GET ')
n_304=$(printf '%s\n' "$polls" | grep -c ' 304 ')
cmp_ok "$n_polls" -ge 6 "polling continues while idle ($n_polls list polls in 2 s)"
is "$n_304" "$n_polls" "every idle list poll was answered 304 (no body re-sent)"

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
# at the slow interval, not at every poll interval
driver_start s --site "sh-a=$SIM_URL" --poll-ms 200 --slow-poll-ms 60000
wait_q s 10 '.channels > 0 and .sites[0].stream == true'
ok $? "a console polling every 200 ms is up with its stream open"
sleep 1
l0=$(wc -l <"$SIM_ERR")
sleep 2
n_polls=$(tail -n +"$((l0 + 1))" "$SIM_ERR" | grep -cE ' GET /v1/(channels|routes|alerts)[? ]')
cmp_ok "$n_polls" -le 3 "... its streamed lists are not polled every 200 ms ($n_polls list polls in 2 s)"
kill "$DRV_s" 2>/dev/null; wait "$DRV_s" 2>/dev/null

# a list that changes at every poll is mirrored into the cache at most once
# a minute (writing every row each time was half the CPU of live updates),
# and the newest copy when the console quits
driver_start m --site "sh-a=$SIM_URL" --poll-ms 200 --slow-poll-ms 200
wait_q m 10 '.channels > 0'
ok $? "a console polling every 200 ms is up"
sleep 1
mdb=$(ls "$XDG_CACHE_HOME"/payops/cache-*.db 2>/dev/null | head -n 1)
v0=$(sqlite3 "$mdb" 'SELECT sum(version) FROM channels' 2>/dev/null)
for _ in 1 2 3 4; do sim_tick 1; sleep 0.5; done
v1=$(sqlite3 "$mdb" 'SELECT sum(version) FROM channels' 2>/dev/null)
api GET /v1/channels?limit=500
vs=$(jb '[.data[].version] | add')
cmp_ok "$vs" -gt "${v0:-0}" "the platform's channels moved on (versions $v0 -> $vs)"
is "$v1" "$v0" "... the mirror was not rewritten at every poll"
kill "$DRV_m" 2>/dev/null; wait "$DRV_m" 2>/dev/null
v2=$(sqlite3 "$mdb" 'SELECT sum(version) FROM channels' 2>/dev/null)
is "$v2" "$vs" "... and on quitting the console wrote the newest list"

# the event stream brings changes between polls: a slow poller sees the
# outage within two seconds
driver_start b --site "sh-a=$SIM_URL" --poll-ms 60000 --watch icbc.direct.quickpay
wait_q b 10 '.watch.health == "healthy" and .sites[0].stream == true'
ok $? "the stream is open and the channel is healthy"
sim_scenario bank_outage icbc.direct.quickpay
t0=$(_now_ms)
wait_q b 2 '.watch.health == "down" or .watch.breaker == "open"'
ok $? "an outage arrives through the stream within 2 s ($(( $(_now_ms) - t0 )) ms)"
cmp_ok "$(q b .events)" -gt 0 "events were applied"

# the last known picture comes from the cache when the platform is away
kill "$DRV_b" 2>/dev/null; wait "$DRV_b" 2>/dev/null
sim_stop >/dev/null
driver_start c0 --site "sh-a=$SIM_URL" --poll-ms 300
wait_q c0 3 ".channels == $want and .from_cache == true"
ok $? "with the platform down, a fresh start shows the $want cached channels at once"
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
driver_start u --site "sh-a=$SIM_URL" --poll-ms 1000 --slow-poll-ms 1000 --every-change \
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
wait_until 20 sh -c "[ \$(grep -c ' GET /v1/events ' '$SIM_ERR') -ge 4 ]"
ok $? "the stream was cut and resumed again and again ($(grep -c ' GET /v1/events ' "$SIM_ERR") connections)"
sim_faults_clear
sleep 1.5
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
wait_q c 10 '.channels > 0 and .sites[1].state == "up"'
ok $? "both sites answer; reading from $(q c .active)"
is "$(q c .active)" "$site0" "the first site is preferred"
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

done_testing
