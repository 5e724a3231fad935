#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Injected faults of the simulator's control API (sim-interface.md, /sim/faults),
# seen from a client.
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0
faults() { API_TOKEN=none api GET /sim/faults; }
clear() {
	sim_faults_clear
	[ "$API_STATUS" = 200 ] || [ "$API_STATUS" = 204 ] || diag "DELETE /sim/faults -> $API_STATUS"
}

api GET /v1/channels
full_size=$(stat -c %s "$API_BODY_FILE")
parses() { [ -s "$API_BODY_FILE" ] && jq -e .data "$API_BODY_FILE" >/dev/null 2>&1; } # (jq -e passes on no input)
check "a clean /v1/channels parses as JSON" parses

# --- latency_ms ------------------------------------------------------------------------
sim_faults '{"latency_ms": 400}'
is "$API_STATUS" 200 "POST /sim/faults {latency_ms: 400}"
faults
is "$(jb .latency_ms)" 400 "GET /sim/faults shows latency_ms 400"
api GET /v1/status
is "$API_STATUS" 200 "with latency the request still succeeds"
cmp_ok "$API_TIME" -ge 0.4 "... after at least 0.4 s (${API_TIME}s)"
clear
is "$API_STATUS" 200 "DELETE /sim/faults"
faults
is "$(jb '[.latency_ms, .error_rate, .burst_429, .malformed_rate, .truncated_rate, .stall_ms, .sse_drop_after]
	| map(. // 0) | add')" 0 "GET /sim/faults after DELETE: every fault is off"
api GET /v1/status
cmp_ok "$API_TIME" -lt 0.3 "after DELETE the latency is gone (${API_TIME}s)"

# POST merges with what is set.
sim_faults '{"latency_ms": 50}'
sim_faults '{"stall_ms": 10}'
faults
is "$(jb '"\(.latency_ms) \(.stall_ms)"')" "50 10" "POST /sim/faults merges: both latency_ms and stall_ms are set"
clear

# --- error_rate ----------------------------------------------------------------------------
sim_faults '{"error_rate": 1}'
bad=0
for i in 1 2 3; do
	api GET /v1/channels
	[ "${API_STATUS:0:1}" = 5 ] || bad=$((bad + 1))
done
is "$bad" 0 "error_rate 1: three GETs in a row are all 5xx"
_problem_check "$API_STATUS" '*'
ok $? "... answered as a problem ($API_STATUS)"
api_post /v1/alerts/x/ack '{"reason":"x"}' -H "Idempotency-Key: $(new_key)"
like "$API_STATUS" '^5' "error_rate 1 hits mutations too"
API_TOKEN=none api GET /sim/state
is "$API_STATUS" 200 "the control API is not affected by faults"
clear
api GET /v1/channels
is "$API_STATUS" 200 "after DELETE /v1/channels is 200 again"

# --- burst_429 -------------------------------------------------------------------------------
sim_faults '{"burst_429": 2}'
api GET /v1/channels
is_problem 429 '*' "burst_429 2: first request"
like "$(api_header Retry-After)" '^[0-9]+$' "... with Retry-After in seconds ($(api_header Retry-After))"
api GET /v1/status
is "$API_STATUS" 429 "burst_429 2: second request is 429 too"
api GET /v1/channels
is "$API_STATUS" 200 "the third request is normal again"
faults
is "$(jb '.burst_429 // 0')" 0 "the burst is used up"

# --- malformed_rate / truncated_rate --------------------------------------------------------------
sim_faults '{"malformed_rate": 1}'
api GET /v1/channels
jq -e . "$API_BODY_FILE" >/dev/null 2>&1
isnt "$?" 0 "malformed_rate 1: the body does not parse as JSON (status $API_STATUS)"
clear

sim_faults '{"truncated_rate": 1}'
api GET /v1/channels
got=$(stat -c %s "$API_BODY_FILE")
jq -e . "$API_BODY_FILE" >/dev/null 2>&1
isnt "$?" 0 "truncated_rate 1: what arrives does not parse as JSON (curl rc $API_CURL_RC)"
cmp_ok "$got" -le $((full_size * 6 / 10)) "... it is about half the body ($got of $full_size bytes)"
clear
api GET /v1/channels
check "after DELETE the body parses again" parses

# --- stall_ms ----------------------------------------------------------------------------------------
sim_faults '{"stall_ms": 600}'
api GET /v1/status
cmp_ok "$API_TTFB" -ge 0.6 "stall_ms 600: the first byte comes after at least 0.6 s (${API_TTFB}s)"
is "$API_STATUS" 200 "... and the answer is normal"
clear

# --- path_prefix ---------------------------------------------------------------------------------------
sim_faults '{"error_rate": 1, "path_prefix": "/v1/alerts"}'
faults
is "$(jb .path_prefix)" /v1/alerts "GET /sim/faults shows path_prefix"
api GET '/v1/alerts?state=all'
like "$API_STATUS" '^5' "path_prefix /v1/alerts: /v1/alerts fails"
api GET /v1/channels
is "$API_STATUS" 200 "... /v1/channels does not"
api GET /v1/status
is "$API_STATUS" 200 "... nor /v1/status"
clear

# --- sse_drop_after -------------------------------------------------------------------------------------
sim_faults '{"sse_drop_after": 3}'
SSE_MAX_TIME=15 sse_open drop
sse_wait drop '^retry:' 5
for i in 1 2 3 4 5; do
	sim_tick 1
	_sim_gone "$(sse_pid drop)" && break
done
sse_wait_exit drop 5
rc=$?
isnt "$rc" 124 "sse_drop_after 3: the server ends the stream by itself (curl rc $rc)"
is "$(sse_count drop)" 2 "... after two whole events"
f=$(sse_file drop)
# What follows the last blank line: the start of the event that was cut.
partial=$(tr -d '\r' <"$f" | awk '$0 == "" { t = ""; next } /^:/ { next } { t = t $0 "\n" } END { printf "%s", t }')
like "$partial" '.' "... cut in the middle of the third: the stream ends inside an event"
clear
sse_open again
sse_wait again '^retry:' 5
sim_tick 1
has_events() { [ "$(sse_count "$1")" -ge "$2" ]; }
wait_until 5 has_events again 4
ok $? "after DELETE a stream keeps going past three events"
sse_close again

# --- the command line's initial faults ------------------------------------------------------------------
if sim_start --tick-ms 0 --latency-ms 300 --error-rate 1; then
	api GET /v1/status
	like "$API_STATUS" '^5' "--error-rate 1: requests fail from the start"
	cmp_ok "$API_TIME" -ge 0.3 "--latency-ms 300: after at least 0.3 s (${API_TIME}s)"
	faults
	is "$(jb '"\(.latency_ms) \(.error_rate)"')" "300 1" "GET /sim/faults shows the command line's faults"
else
	fail "start a sim with --latency-ms 300 --error-rate 1"
fi

done_testing
