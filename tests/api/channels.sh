#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Channel actions and their state machine, route weights, channel history and
# approval (platform-api.md, Channels; Routes).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0
MAIN_URL=$SIM_URL

api GET /v1/channels
conforms channel "every channel of the list has the contract's shape" '.data[]'
channels_json=$API_BODY
api GET /v1/routes
conforms route "every route of the list has the contract's shape" '.data[]'
routes_json=$API_BODY

# Act on a channel: action, optional extra JSON, expected status. Sets VER.
ch_ver() { api GET "/v1/channels/$1"; jb .version; }
act() { # CHANNEL ACTION [EXTRA_JSON]
	local v
	v=$(ch_ver "$1")
	mutate "/v1/channels/$1/actions" \
		"$(jq -nc --arg a "$2" --argjson x "${3:-{\}}" '{action: $a, reason: "channels test"} + $x')" "\"$v\""
}

# --- approval first, while the world is untouched: a second sim, same seed ------
# Pick the enabled channel with the largest traffic share and one with a small
# share; the threshold sits between them.
big=$(jq -r '[.data[] | select(.admin_state == "enabled")] | max_by(.traffic_share) | "\(.id) \(.traffic_share)"' <<<"$channels_json")
read -r big_id big_share <<<"$big"
thr=$(awk -v s="$big_share" 'BEGIN { printf "%.6f", s / 2 }')
small_id=$(jq -r --argjson t "$thr" '[.data[] | select(.admin_state == "enabled" and .traffic_share < $t / 2)][0].id // empty' <<<"$channels_json")
if [ -n "$big_id" ] && [ -n "$small_id" ] && sim_start --tick-ms 0 --approval-share "$thr"; then
	APPROVAL_PID=$SIM_PID
	act "$big_id" disable
	is "$API_STATUS" 202 "--approval-share $thr: disabling $big_id (share $big_share) answers 202"
	is "$(jb .action.status)" pending_approval "... with action status pending_approval"
	like "$(jb .action.id)" '.' "... and an action id"
	api GET "/v1/channels/$big_id"
	is "$(jb .admin_state)" enabled "... and the channel stays enabled meanwhile"
	act "$big_id" drain
	is "$(jb '"\(.action.status)"')" pending_approval "draining it also waits for approval ($API_STATUS)"
	act "$big_id" quarantine
	is "$(jb '"\(.action.status)"')" pending_approval "quarantining it also waits for approval ($API_STATUS)"
	act "$small_id" disable
	is "$API_STATUS $(jb .action.status)" "200 applied" "disabling a small channel ($small_id) applies at once"
	sim_stop "$APPROVAL_PID"
	SIM_URL=$MAIN_URL
else
	fail "could start a sim with --approval-share between two channels' shares"
	SIM_URL=$MAIN_URL
fi

# --- disable moves the route weight to the other members ---------------------------
# A route with at least two eligible members with weight; C is one of them.
pick=$(jq -r '[.data[] | select(.strategy == "weighted")
	| select([.members[] | select(.eligible and .weight_pct > 0)] | length >= 2)
	| {id, c: ([.members[] | select(.eligible and .weight_pct > 0)] | max_by(.weight_pct) | .channel_id)}][0]
	| "\(.id) \(.c)"' <<<"$routes_json")
read -r route chan <<<"$pick"
check "a weighted route with two eligible members with weight ($route, channel $chan)" \
	test -n "$route" -a "$route" != null -a -n "$chan"
api GET "/v1/routes/$route"
before=$API_BODY

v0=$(ch_ver "$chan")
act "$chan" disable
is "$API_STATUS" 200 "disable $chan: 200"
like "$(jb .action.id)" '.' "... with an action id"
is "$(jb .action.status)" applied "... status applied"
is "$(jb .channel.admin_state)" disabled "... the channel in the response is disabled"
is "$(jb .channel.updated_by)" "$SIM_OPERATOR" "... updated_by the operator of the token"
cmp_ok "$(jb .channel.version)" -gt "$v0" "... its version went up"
conforms channel "... and it has the channel shape" .channel
api GET "/v1/channels/$chan"
is "$(jb .admin_state)" disabled "GET shows the channel disabled"

api GET "/v1/routes/$route"
conforms route "route $route keeps the route shape"
is "$(jb --arg c "$chan" '.members[] | select(.channel_id == $c) | "\(.eligible) \(.weight_pct)"')" \
	"false 0" "in $route, the disabled channel is not eligible and has weight 0"
is "$(jb '[.members[].weight_pct] | add')" 100 "the weights of $route still sum to 100"
is "$(jq -r --arg c "$chan" --argjson after "$API_BODY" '
	[.members[] | select(.channel_id != $c) | .channel_id as $m
	 | ($after.members[] | select(.channel_id == $m) | .weight_pct) >= .weight_pct] | all' <<<"$before")" \
	true "no other member of $route lost weight"
api GET /v1/routes
is "$(jb --arg c "$chan" '[.data[].members[] | select(.channel_id == $c) | .eligible] | any')" false \
	"$chan is ineligible in every route it belongs to"

# --- quarantine, enable refused, release, enable ---------------------------------------
act "$chan" quarantine
is "$API_STATUS $(jb .channel.admin_state)" "200 quarantined" "quarantine the disabled channel"
act "$chan" enable
is_problem 409 invalid_transition "enable a quarantined channel without release"
act "$chan" drain
is_problem 409 invalid_transition "drain a quarantined channel"
api GET "/v1/channels/$chan"
is "$(jb .admin_state)" quarantined "the channel is still quarantined"
act "$chan" release
is "$API_STATUS $(jb .channel.admin_state)" "200 disabled" "release ends the quarantine: the channel comes back disabled"
act "$chan" release
is_problem 409 invalid_transition "release a channel that is not quarantined"
act "$chan" enable
is "$API_STATUS $(jb .channel.admin_state)" "200 enabled" "enable after release"
health=$(jb '"\(.channel.health) \(.channel.breaker)"')
api GET "/v1/routes/$route"
if [ "$health" = "healthy closed" ]; then
	is "$(jb --arg c "$chan" '.members[] | select(.channel_id == $c) | .eligible')" true \
		"the enabled, healthy channel is eligible again in $route"
else
	skip 1 "channel is $health"
fi
is "$(jb '[.members[].weight_pct] | add')" 100 "the weights of $route sum to 100"

act "$chan" fly
ok "$([ "$API_STATUS" = 400 ] || [ "$API_STATUS" = 422 ]; echo $?)" "an unknown action is refused with 400/422 (got $API_STATUS)"
_problem_check "$API_STATUS" '*'
ok $? "... as a problem"
mutate "/v1/channels/no.such.channel/actions" '{"action":"disable","reason":"x"}' '"1"'
is_problem 404 '*' "an action on an unknown channel"

# --- one interface only -------------------------------------------------------------
pick=$(jq -r '[.data[] | select(.admin_state == "enabled" and
	([.interfaces[] | select(.admin_state == "enabled")] | length) >= 2)][0]
	| "\(.id) \([.interfaces[] | select(.admin_state == "enabled")][0].name)"' <<<"$channels_json")
read -r ichan iface <<<"$pick"
if [ -n "$ichan" ] && [ "$ichan" != null ]; then
	api GET "/v1/channels/$ichan"
	ibefore=$API_BODY
	act "$ichan" disable "{\"interface\":\"$iface\"}"
	is "$API_STATUS" 200 "disable interface $iface of $ichan"
	is "$(jb --arg i "$iface" '.channel.interfaces[] | select(.name == $i) | .admin_state')" disabled \
		"... that interface is disabled"
	is "$(jb --arg i "$iface" '[.channel.interfaces[] | select(.name != $i)]')" \
		"$(jq -r --arg i "$iface" '[.interfaces[] | select(.name != $i)]' <<<"$ibefore")" \
		"... the other interfaces are untouched"
	is "$(jb .channel.admin_state)" enabled "... the channel itself stays enabled"
	act "$ichan" enable "{\"interface\":\"$iface\"}"
	is "$API_STATUS $(jb --arg i "$iface" '.channel.interfaces[] | select(.name == $i) | .admin_state')" \
		"200 enabled" "enable interface $iface again"
	act "$ichan" disable '{"interface":"no_such_interface"}'
	ok "$([ "${API_STATUS:0:1}" = 4 ]; echo $?)" "an unknown interface is refused with 4xx (got $API_STATUS)"
else
	fail "a channel with two enabled interfaces"
fi

# --- history --------------------------------------------------------------------------
api GET "/v1/channels/$chan/history?minutes=60"
is "$API_STATUS" 200 "GET history?minutes=60"
conforms history "history: channel_id, step_s 60, points oldest first 60 s apart"
is "$(jb .channel_id)" "$chan" "history names its channel"
n=$(jb '.points | length')
ok "$([ "$n" -ge 59 ] && [ "$n" -le 61 ]; echo $?)" "60 minutes give about 60 points ($n)"
api GET /v1/status
now=$(jb .server_time)
api GET "/v1/channels/$chan/history?minutes=60"
last=$(jb '.points[-1].t')
ok "$([[ ! $last > $now ]]; echo $?)" "the newest point ($last) is not after server_time ($now)"
api GET "/v1/channels/$chan/history?minutes=10"
n=$(jb '.points | length')
ok "$([ "$n" -ge 9 ] && [ "$n" -le 11 ]; echo $?)" "10 minutes give about 10 points ($n)"
api GET /v1/channels/no.such.channel/history
is_problem 404 '*' "history of an unknown channel"

# --- reroute --------------------------------------------------------------------------
api GET /v1/routes
pick=$(jb '[.data[] | select([.members[] | select(.eligible)] | length >= 2)
	| select(.id != "'"$route"'")][0].id // empty')
[ -z "$pick" ] && pick=$route
route=$pick
api GET "/v1/routes/$route"
rbody=$API_BODY
rver=$(jb .version)
read -r m1 m2 <<<"$(jb '[.members[] | select(.eligible) | .channel_id][0:2] | join(" ")')"
others=$(jb --arg a "$m1" --arg b "$m2" '[.members[] | select(.channel_id != $a and .channel_id != $b) | {channel_id, weight_pct: 0}]')
weights() { # W1 W2 -> weights JSON giving m1 W1, m2 W2, everyone else 0
	jq -nc --arg a "$m1" --arg b "$m2" --argjson x "$1" --argjson y "$2" --argjson o "$others" \
		'[{channel_id: $a, weight_pct: $x}, {channel_id: $b, weight_pct: $y}] + $o'
}
reroute() { # WEIGHTS_JSON [EXTRA]
	local v
	api GET "/v1/routes/$route"
	v=$(jb .version)
	mutate "/v1/routes/$route/weights" \
		"$(jq -nc --argjson w "$1" --argjson x "${2:-{\}}" '{weights: $w, reason: "reroute test", ticket: "INC-7"} + $x')" "\"$v\""
}

reroute "$(weights 60 39)"
is_problem 422 invalid_weights "weights summing to 99"
reroute "$(weights 60 41)"
is_problem 422 invalid_weights "weights summing to 101"
reroute "$(weights 50.5 49.5)"
is_problem 422 invalid_weights "non-integer weights"
reroute "$(weights 110 -10)"
is_problem 422 invalid_weights "a negative weight"
reroute "$(jq -c '. + [{channel_id: "not.a.member", weight_pct: 0}]' <<<"$(weights 50 50)")"
is_problem 422 invalid_weights "a channel that is not a member"
api GET "/v1/routes/$route"
is "$(jb .version)" "$rver" "refused reroutes changed nothing"

expires=$(jq -rn 'now + 3600 | floor | todate')
reroute "$(weights 30 70)" "{\"expires_at\":\"$expires\"}"
is "$API_STATUS" 200 "reroute $route: $m1 30, $m2 70"
conforms route "... answers the route group"
is "$(jb --arg a "$m1" --arg b "$m2" '[.members[] | select(.channel_id == $a or .channel_id == $b)
	| "\(.channel_id)=\(.weight_pct)"] | sort | join(" ")')" \
	"$(printf '%s\n' "$m1=30" "$m2=70" | sort | paste -sd' ' -)" "... with the new weights"
is "$(jb '"\(.override.set_by) \(.override.reason) \(.override.ticket)"')" \
	"$SIM_OPERATOR reroute test INC-7" "... and an override naming operator, reason and ticket"
is "$(jb '.override.expires_at | sub("\\.[0-9]+"; "") | fromdateiso8601')" \
	"$(jq -rn --arg e "$expires" '$e | fromdateiso8601')" "... and the override's expires_at"
cmp_ok "$(jb .version)" -gt "$rver" "... its version went up"

# A channel that is not eligible cannot get weight.
act "$m1" disable
is "$API_STATUS" 200 "disable member $m1"
reroute "$(weights 10 90)"
is_problem 409 channel_not_routable "weight 10 for the disabled $m1"
reroute "$(weights 0 100)"
is "$API_STATUS" 200 "weight 0 for the disabled $m1, 100 for $m2"

done_testing
