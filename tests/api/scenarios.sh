#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Scenarios of the simulator's control API (sim-interface.md, /sim/scenario),
# seen through the platform API and the event stream.
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0
T=$TEST_TMP
firing_count() { api GET '/v1/alerts?state=firing&limit=500'; jb '.data | length'; }

# --- unknown scenario ---------------------------------------------------------------------
sim_scenario no_such_scenario
is_problem 404 '*' "POST /sim/scenario with an unknown name"

# --- bank_outage ------------------------------------------------------------------------------
api GET '/v1/channels?limit=500'
bank=$(jb '[.data[] | select(.network == "bank_direct" and .admin_state == "enabled"
	and .health == "healthy" and .breaker == "closed")][0].id // empty')
check "a healthy bank_direct channel ($bank)" test -n "$bank"
api GET "/v1/channels/$bank"
sys0=$(jb .system_success_rate)
p95_0=$(jb .latency_ms.p95)

sse_open s
sse_wait s '^retry:' 5
sim_scenario bank_outage "$bank"
is "$API_STATUS" 200 "POST /sim/scenario bank_outage $bank"
is "$(jb '"\(.name) \(.target) \(.detail | type)"')" "bank_outage $bank string" \
	"... answers {name, target, detail}"
sim_tick 10

api GET "/v1/channels/$bank"
is "$(jb '"\(.health) \(.breaker)"')" "down open" "after bank_outage: $bank is down, breaker open"
cmp_ok "$(jb .system_success_rate)" -lt "$sys0" "... its system_success_rate fell ($sys0 -> $(jb .system_success_rate))"
cmp_ok "$(jb .latency_ms.p95)" -gt "$p95_0" "... its p95 climbed ($p95_0 -> $(jb .latency_ms.p95))"
api GET '/v1/alerts?state=firing&limit=500'
alert=$(jb --arg c "$bank" '[.data[] | select(.severity == "critical" and .labels.channel_id == $c)][0].id // empty')
check "a critical alert for $bank is firing ($alert)" test -n "$alert"
api GET /v1/routes
is "$(jb --arg c "$bank" '[.data[].members[] | select(.channel_id == $c) | .eligible] | any')" false \
	"$bank is not eligible in any route"

# Let the stream catch up, then look for the same facts there.
seq=$(sim_state .stream_seq)
caught_up() { local l; l=$(sse_events s | tail -n 1 | cut -f1); [ -n "$l" ] && [ "$l" -ge "$1" ] 2>/dev/null; }
wait_until 5 caught_up "$seq"
ok $? "the stream caught up with stream_seq $seq"
is "$(sse_events s | awk -F '\t' '$2 == "channel"' | cut -f3 |
	jq -r --arg c "$bank" 'select(.id == $c and .health == "down") | .breaker' | tail -n 1)" open \
	"the stream carries $bank down with its breaker open"
is "$(sse_events s | awk -F '\t' '$2 == "alert"' | cut -f3 |
	jq -r --arg a "$alert" 'select(.id == $a) | "\(.severity) \(.state)"' | head -n 1)" "critical firing" \
	"the stream carries the critical alert firing"

sim_scenario recover
is "$API_STATUS" 200 "POST /sim/scenario recover"
sim_tick 5
api GET '/v1/alerts?state=resolved&limit=500'
is "$(jb --arg a "$alert" '.data[] | select(.id == $a) | .state')" resolved "recover resolves the outage's alert"
seq=$(sim_state .stream_seq)
wait_until 5 caught_up "$seq"
is "$(sse_events s | awk -F '\t' '$2 == "alert"' | cut -f3 |
	jq -r --arg a "$alert" 'select(.id == $a) | .state' | tail -n 1)" resolved \
	"the stream carries the alert resolved"
sse_close s
api GET "/v1/channels/$bank"
isnt "$(jb .health)" down "after recover $bank is no longer down ($(jb '"\(.health) \(.breaker)"'))"

# Without a target the scenario picks a bank_direct channel, and it recovers by
# itself after about 120 s of simulated time.
sim_scenario bank_outage
is "$API_STATUS" 200 "bank_outage without a target"
auto=$(jb .target)
api GET "/v1/channels/$auto"
is "$(jb .network)" bank_direct "... hits a bank_direct channel ($auto)"
sim_tick 10
api GET "/v1/channels/$auto"
is "$(jb .health)" down "... which goes down"
sim_tick 150
api GET "/v1/channels/$auto"
isnt "$(jb .health)" down "150 s later it has recovered by itself ($(jb '"\(.health) \(.breaker)"'))"
api GET '/v1/alerts?state=firing&limit=500'
is "$(jb --arg c "$auto" '[.data[] | select(.severity == "critical" and .labels.channel_id == $c)] | length')" 0 \
	"... and its critical alert is no longer firing"

# --- settlement_file_missing ---------------------------------------------------------------------
api GET /v1/status
today=$(jb '.server_time[0:10]')
dates=$(jq -rn --arg d "$today" '($d + "T00:00:00Z" | fromdateiso8601) as $t | ($t - 86400, $t, $t + 86400) | todate[0:10]')
missing_counts() {
	local d
	for d in $dates; do
		api GET "/v1/recon/summary?date=$d"
		printf '%s=%s ' "$d" "$(jb '[.channels[]? | select(.file_status == "missing")] | length')"
	done
}
miss0=$(missing_counts)
api_walk '/v1/recon/breaks?limit=500' "$T/b0" '{id, type}'
fire0=$(firing_count)
sim_scenario settlement_file_missing
is "$API_STATUS" 200 "POST /sim/scenario settlement_file_missing"
miss1=$(missing_counts)
isnt "$miss1" "$miss0" "a recon summary now shows a channel's file missing (before: $miss0; after: $miss1)"
api_walk '/v1/recon/breaks?limit=500' "$T/b1" '{id, type, recon_date, channel_id}'
jq -r 'select(.type == "fund_mismatch") | .id' "$T/b0" | sort >"$T/fm0"
jq -r 'select(.type == "fund_mismatch") | .id' "$T/b1" | sort >"$T/fm1"
cmp_ok "$(comm -13 "$T/fm0" "$T/fm1" | wc -l)" -ge 1 \
	"a new fund_mismatch break appeared ($(wc -l <"$T/fm0") -> $(wc -l <"$T/fm1"))"
fire1=$(firing_count)
cmp_ok "$fire1" -gt "$fire0" "an alert fired ($fire0 -> $fire1 firing)"

# --- limit_surge -------------------------------------------------------------------------------------
api_walk '/v1/limits?limit=500' "$T/l0" '{id, scope, state, used_minor}'
fire0=$(firing_count)
sim_scenario limit_surge
is "$API_STATUS" 200 "POST /sim/scenario limit_surge"
api_walk '/v1/limits?limit=500' "$T/l1" '{id, scope, state, used_minor}'
jq -s -c 'map({key: .id, value: .}) | from_entries' "$T/l0" >"$T/l0.map"
# Surged: used more than before and now warning or breached.
jq -c --slurpfile m "$T/l0.map" 'select(.state != "ok" and .used_minor > $m[0][.id].used_minor)
	| . + {was: $m[0][.id].state}' "$T/l1" >"$T/surged"
diag "$(cat "$T/surged")"
cmp_ok "$(wc -l <"$T/surged")" -ge 2 "several limits jumped to warning/breached ($(wc -l <"$T/surged"))"
cmp_ok "$(grep -c '"scope":"reserve"' "$T/surged")" -ge 1 "... a reserve quota among them"
cmp_ok "$(grep -c '"was":"ok"' "$T/surged")" -ge 1 "... at least one of them was ok before"
cmp_ok "$(firing_count)" -gt "$fire0" "alerts fired"

# --- onboarding_burst ----------------------------------------------------------------------------------
cases0=$(sim_state .counts.cases)
api_walk '/v1/onboarding/cases?limit=500&stage=submitted' "$T/c0" '{id}'
sub0=$(wc -l <"$T/c0")
sim_scenario onboarding_burst
is "$API_STATUS" 200 "POST /sim/scenario onboarding_burst"
cases1=$(sim_state .counts.cases)
d=$((cases1 - cases0))
ok "$([ "$d" -ge 150 ] && [ "$d" -le 250 ]; echo $?)" "about 200 new cases ($cases0 -> $cases1)"
api_walk '/v1/onboarding/cases?limit=500&stage=submitted' "$T/c1" '{id}'
is "$(($(wc -l <"$T/c1") - sub0))" "$d" "... all of them in stage submitted"

done_testing
