#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The event stream: retry, ids, resume with Last-Event-ID, reset, pings
# (platform-api.md, Alerts and the event stream).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0 --ping-s 1
MAIN_URL=$SIM_URL

last_id() { sse_events "$1" | tail -n 1 | cut -f1; }
seq_now() { sim_state .stream_seq; }
resets() { sse_events "$1" | awk -F '\t' '$2 == "reset"' | wc -l; }
# True when stream NAME has received an event with id >= N.
caught_up() { local l; l=$(last_id "$1"); [ -n "$l" ] && [ "$l" -ge "$2" ] 2>/dev/null; }
# The ids of NAME, checked: integers, each one more than the one before.
# Prints nothing when fine, else what is wrong.
id_problems() {
	sse_events "$1" | cut -f1 | awk -v first="${2:-}" '
		!/^[0-9]+$/ { print "event without a numeric id: [" $0 "]"; exit }
		NR == 1 && first != "" && $1 != first { print "first id " $1 ", expected " first; exit }
		NR > 1 && $1 != prev + 1 { print "id " $1 " after " prev; exit }
		{ prev = $1 }'
}
act() { # CHANNEL ACTION
	local v
	api GET "/v1/channels/$1"
	v=$(jb .version)
	mutate "/v1/channels/$1/actions" "{\"action\":\"$2\",\"reason\":\"sse test\"}" "\"$v\""
}

API_TOKEN=none api GET /v1/events
is_problem 401 '*' "GET /v1/events without a token"

# --- a live stream ---------------------------------------------------------------------
sse_open a
sse_wait a '^retry: [0-9]+' 5
ok $? "the stream starts with a retry: field"
like "$(tr -d '\r' <"$(sse_file a).headers" | grep -i '^content-type:')" 'text/event-stream' \
	"Content-Type: text/event-stream"
is "$(sse_count a)" 0 "a fresh connection without Last-Event-ID replays nothing"

api GET /v1/channels
chans=($(jb '.data[] | select(.admin_state == "enabled") | .id' | head -n 3))
act "${chans[0]}" disable
is "$API_STATUS" 200 "disable ${chans[0]}"
cver=$(jb .channel.version)
sim_tick 2
target=$(seq_now)
wait_until 5 caught_up a "$target"
ok $? "the stream delivers every event up to stream_seq $target"
cmp_ok "$(sse_count a)" -ge 2 "several events arrived ($(sse_count a))"
is "$(id_problems a)" "" "the ids increase one by one"
is "$(sse_events a | cut -f2 | grep -cvE '^(alert|channel|route|case|break|limit)$')" 0 \
	"every event type is alert, channel, route, case, break or limit"
is "$(sse_events a | cut -f3 | jq -c 'select(type != "object" or (.id | type) != "string")' 2>&1 | wc -l)" 0 \
	"every data line is a whole JSON object with an id"
is "$(sse_events a | awk -F '\t' -v c="${chans[0]}" '$2 == "channel"' | cut -f3 |
	jq -r --arg c "${chans[0]}" 'select(.id == $c) | "\(.admin_state) \(.version)"' | head -n 1)" \
	"disabled $cver" "a channel event carries the disabled channel, at its new version"
api GET /v1/status
is "$(jb .stream_seq)" "$(last_id a)" "/v1/status stream_seq is the last event id"

sse_wait a '^: ?ping' 4
ok $? "--ping-s 1: a ': ping' comment arrives"
# In the middle of the stream a ping keeps coming.
n1=$(grep -c '^: *ping' "$(sse_file a)")
sleep 1.3
n2=$(grep -c '^: *ping' "$(sse_file a)")
cmp_ok "$n2" -gt "$n1" "pings repeat about every second"

# --- resume ------------------------------------------------------------------------------
L=$(last_id a)
sse_close a
act "${chans[1]}" drain
sim_tick 1
act "${chans[0]}" enable
S=$(seq_now)
cmp_ok "$S" -gt "$L" "changes happened while disconnected (ids $((L + 1))..$S)"
sse_open b -H "Last-Event-ID: $L"
wait_until 5 caught_up b "$S"
ok $? "with Last-Event-ID: $L the stream replays up to $S"
is "$(id_problems b $((L + 1)))" "" "the replay starts at $((L + 1)) and has no gap"
is "$(sse_events b | cut -f1 | sort | uniq -d | wc -l)" 0 "no id is repeated"
is "$(sse_events b | awk -F '\t' '$2 == "channel"' | cut -f3 |
	jq -r --arg c "${chans[1]}" 'select(.id == $c) | .admin_state' | tail -n 1)" draining \
	"the replay holds the drain that happened while disconnected"
sim_tick 1
S2=$(seq_now)
wait_until 5 caught_up b "$S2"
ok $? "after the replay, live events follow (up to $S2)"
is "$(id_problems b $((L + 1)))" "" "replay and live events form one gapless sequence"
sse_close b

# Last-Event-ID of the newest event: nothing replayed, the next change comes next.
S=$(seq_now)
sse_open c -H "Last-Event-ID: $S"
sse_wait c '^retry:' 5
act "${chans[1]}" enable
wait_until 5 caught_up c $((S + 1))
is "$(sse_events c | head -n 1 | cut -f1)" $((S + 1)) "resuming at the newest id: the next event is $((S + 1))"
is "$(resets c)" 0 "... and no reset"
sse_close c

# --- a small buffer: an old id gets a reset ----------------------------------------------------
if sim_start --tick-ms 0 --event-buffer 50; then
	sse_open d
	sse_wait d '^retry:' 5
	sim_tick 1
	S=$(seq_now)
	wait_until 5 caught_up d "$S"
	L=$(last_id d)
	sse_close d
	check "got an id on the --event-buffer 50 sim ($L)" test -n "$L"
	# Make more than 50 events happen.
	for i in $(seq 20); do
		[ $(($(seq_now) - L)) -gt 60 ] && break
		sim_tick 1
	done
	S=$(seq_now)
	cmp_ok $((S - L)) -gt 50 "more than 50 events since $L (now $S)"
	sse_open e -H "Last-Event-ID: $L"
	wait_until 5 _sse_has e '^event: ?reset'
	ok $? "resuming at an id no longer buffered gets event: reset"
	is "$(sse_events e | awk -F '\t' '$2 == "reset"' | head -n 1 | cut -f3 | jq -c . 2>&1)" '{}' \
		"the reset's data is {}"
	is "$(sse_events e | head -n 1 | cut -f2)" reset "the reset comes before any other event"
	sse_close e
	R=$((S - 10))
	sse_open f -H "Last-Event-ID: $R"
	wait_until 5 caught_up f "$S"
	ok $? "an id still in the buffer ($R) replays"
	is "$(id_problems f $((R + 1)))" "" "... from $((R + 1)) without a gap"
	is "$(resets f)" 0 "... and without a reset"
	sse_close f
else
	fail "start a sim with --event-buffer 50"
fi

done_testing
