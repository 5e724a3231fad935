#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Four eyes (platform-api.md, Approvals, contract v1.1): a held mutation
# becomes an approval; list, get, approve, reject, self-approval, scopes,
# If-Match and replay of a decision, expiry, a target that moved, the event
# stream, route weights held by --approval-weight-pct, and a ticking world
# (live metrics move the version and the approval still applies; an operator's
# change meanwhile fails it).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

THR=0.01   # --approval-share: channels above 1% of traffic need a second operator
PCT=10     # --approval-weight-pct
SSE_MAX_TIME=300
sim_start_or_bail --tick-ms 0 --approval-share "$THR" --approval-weight-pct "$PCT"
MAIN_URL=$SIM_URL

APR_KEYS='["decided_at","decided_by","decision_reason","effect","expires_at","id","kind","request",
	"requested_at","requested_by","result","state","target_id","target_type","target_version","version"]'
# Every field of the contract, no other, with its type; prints what is wrong.
apr_shape() {
	jq -r --argjson keys "$APR_KEYS" '
		def t($k; $want): if (.[$k] | type) as $g | ($want | index($g)) then empty
			else "\($k) is \(.[$k] | type)" end;
		if (keys != $keys) then "keys \(keys)"
		else (t("id"; ["string"]), t("state"; ["string"]), t("kind"; ["string"]),
		      t("target_type"; ["string"]), t("target_id"; ["string"]), t("request"; ["object"]),
		      t("effect"; ["string"]), t("target_version"; ["number"]), t("requested_by"; ["string"]),
		      t("requested_at"; ["string"]), t("expires_at"; ["string"]),
		      t("decided_by"; ["string", "null"]), t("decided_at"; ["string", "null"]),
		      t("decision_reason"; ["string", "null"]), t("result"; ["object", "null"]),
		      t("version"; ["number"]),
		      (if (.id | test("^apr_[0-9]{6}$")) then empty else "id \(.id)" end),
		      (if (.state | IN("pending", "approved", "rejected", "expired", "failed")) then empty
		       else "state \(.state)" end))
		end' "$@"
}
epoch() { date -u -d "$1" +%s; }
ch_get() { api GET "/v1/channels/$1"; }
# act CHANNEL ACTION [EXTRA_JSON]: as $SIM_TOKEN (or API_TOKEN), at the current version
act() {
	local v
	v=$(API_TOKEN=$SIM_TOKEN api GET "/v1/channels/$1" && jb .version)
	mutate "/v1/channels/$1/actions" \
		"$(jq -nc --arg a "$2" --argjson x "${3:-{\}}" '{action: $a, reason: "approvals test"} + $x')" "\"$v\""
}
apr_ver() { API_TOKEN=$SIM_TOKEN api GET "/v1/approvals/$1"; jb .version; }
# decide ID DECISION [REASON]: as API_TOKEN (default $SIM_TOKEN2), at the approval's version
decide() {
	local v tok=${API_TOKEN-$SIM_TOKEN2}
	v=$(apr_ver "$1")
	API_TOKEN=$tok mutate "/v1/approvals/$1/decision" \
		"$(jq -nc --arg d "$2" --arg r "${3:-second pair of eyes}" '{decision: $d, reason: $r}')" "\"$v\""
}

sse_open a

api GET '/v1/channels?limit=500'
channels_json=$API_BODY
# Enabled channels above the threshold, busiest first; one of them must have
# an enabled interface (to move it without approval later).
mapfile -t BIG < <(jq -r --argjson t "$THR" '[.data[] | select(.admin_state == "enabled" and .traffic_share > $t)]
	| sort_by(-.traffic_share) | .[].id' <<<"$channels_json")
cmp_ok "${#BIG[@]}" -ge 5 "at least five enabled channels carry more than $THR of traffic (${#BIG[@]})"
MOVED=$(jq -r --argjson t "$THR" '[.data[] | select(.admin_state == "enabled" and .traffic_share > $t)
	| select([.interfaces[] | select(.admin_state == "enabled")] | length > 0)] | sort_by(.traffic_share) | .[0].id // empty' \
	<<<"$channels_json")
MOVED_IF=$(jq -r --arg c "$MOVED" '.data[] | select(.id == $c) | [.interfaces[] | select(.admin_state == "enabled")][0].name' \
	<<<"$channels_json")
check "a busy channel with an enabled interface ($MOVED, $MOVED_IF)" test -n "$MOVED" -a -n "$MOVED_IF"
mapfile -t OTHERS < <(printf '%s\n' "${BIG[@]}" | grep -vxF "$MOVED")
QCH=${OTHERS[0]} RCH=${OTHERS[1]} SCH=${OTHERS[2]}

# --- route weights first, while every member is still eligible ------------------------
api GET /v1/routes
# A weighted route with an eligible member of weight >= 21 and another eligible member.
read -r ROUTE R_FROM R_TO < <(jb '[.data[] | select(.strategy == "weighted")
	| select([.members[] | select(.eligible)] | length >= 2)
	| select([.members[] | select(.eligible and .weight_pct >= 21)] | length >= 1)
	| {id, from: ([.members[] | select(.eligible)] | max_by(.weight_pct) | .channel_id),
	   to: ([.members[] | select(.eligible)] | min_by(.weight_pct) | .channel_id)}][0]
	| "\(.id) \(.from) \(.to)"')
check "a weighted route to move weight on ($ROUTE: $R_FROM -> $R_TO)" test -n "$ROUTE" -a "$ROUTE" != null
# weights_moving N: every member at its served weight, N points from R_FROM to R_TO
weights_moving() {
	api GET "/v1/routes/$ROUTE"
	jb -c --arg f "$R_FROM" --arg t "$R_TO" --argjson n "$1" '{weights: [.members[]
		| {channel_id, weight_pct: (.weight_pct + (if .channel_id == $f then -$n elif .channel_id == $t then $n else 0 end))}],
		reason: "approvals test: reroute", ticket: "CHG-7"}'
}
rt_ver() { api GET "/v1/routes/$ROUTE"; jb .version; }
body=$(weights_moving "$PCT")
rv=$(rt_ver)
mutate "/v1/routes/$ROUTE/weights" "$body" "\"$rv\""
is "$API_STATUS" 200 "moving exactly $PCT points (--approval-weight-pct $PCT) applies at once"
body=$(weights_moving $((PCT + 1)))
want=$(jq -c '[.weights[].weight_pct]' <<<"$body")
rv=$(rt_ver)
mutate "/v1/routes/$ROUTE/weights" "$body" "\"$rv\""
is "$API_STATUS" 202 "moving $((PCT + 1)) points answers 202"
is "$(jb -c '[.action.status, (.action.id | type), .route.id, .route.version]')" \
	"[\"pending_approval\",\"string\",\"$ROUTE\",$rv]" "... {action: {id, status: pending_approval}, route} at the route's version"
RAPR=$(jb .action.approval_id)
like "$RAPR" '^apr_[0-9]{6}$' "... with an approval_id ($RAPR)"
api GET "/v1/routes/$ROUTE"
is "$(jb .version)" "$rv" "... and the route is unchanged"
api GET "/v1/approvals/$RAPR"
is "$(apr_shape "$API_BODY_FILE")" "" "the route approval has the contract's fields"
is "$(jb -c '[.state, .kind, .target_type, .target_id, .target_version]')" \
	"[\"pending\",\"route.weights\",\"route\",\"$ROUTE\",$rv]" "... pending, kind route.weights, on $ROUTE at version $rv"
is "$(jb -c '[.request.weights[].weight_pct]')" "$want" "... the request holds the weights asked for"
like "$(jb .effect)" "moves $((PCT + 1)) points of traffic" "... the effect says how much traffic moves ($(jb .effect))"

API_TOKEN=$SIM_NOCHAN_TOKEN decide "$RAPR" approve
is "$API_STATUS $(jb .state)" "200 approved" \
	"$SIM_NOCHAN_OPERATOR (routing:write, no channels:write) may approve a route change"
is "$(jb -c '[.result.members[].weight_pct]')" "$want" "... the result is the route with the new weights"
api GET "/v1/routes/$ROUTE"
is "$(jb -c '[.members[].weight_pct]')" "$want" "GET shows the route with the approved weights"
cmp_ok "$(jb .version)" -gt "$rv" "... at a new version"
ROUTE_VER=$(jb .version)

# --- a channel action held: 202 with the approval -------------------------------------
ch_get "$QCH"
qv=$(jb .version)
share=$(jb .traffic_share)
server_time=$(api GET /v1/status && jb .server_time)
act "$QCH" quarantine '{"ticket": "INC-2041"}'
is "$API_STATUS" 202 "quarantine of $QCH (share $share > $THR) answers 202"
is "$(jb -c '[.action.status, (.action.id | type), .channel.id, .channel.admin_state]')" \
	"[\"pending_approval\",\"string\",\"$QCH\",\"enabled\"]" "... {action: {id, status: pending_approval}, channel} as it stands"
QAPR=$(jb .action.approval_id)
like "$QAPR" '^apr_[0-9]{6}$' "... with an approval_id ($QAPR)"
ch_get "$QCH"
is "$(jb '"\(.admin_state) \(.version)"')" "enabled $qv" "nothing changes on the channel meanwhile"

api GET "/v1/approvals/$QAPR"
is "$API_STATUS" 200 "GET /v1/approvals/$QAPR"
is "$(apr_shape "$API_BODY_FILE")" "" "... every field of the contract, no other, with its type"
is "$(jb -c '[.state, .kind, .target_type, .target_id, .target_version, .version]')" \
	"[\"pending\",\"channel.quarantine\",\"channel\",\"$QCH\",$qv,1]" "... pending channel.quarantine of $QCH at version $qv, approval version 1"
is "$(jb -c .request)" '{"action":"quarantine","interface":null,"reason":"approvals test","ticket":"INC-2041"}' \
	"... request {action, interface, reason, ticket}"
like "$(jb .effect)" "^$QCH: enabled -> quarantined; carries [0-9.]+% of traffic$" "... effect: $(jb .effect)"
is "$(jb -c '[.requested_by, .requested_at]')" "[\"$SIM_OPERATOR\",\"$server_time\"]" "... requested by the token's operator, now"
is "$(($(epoch "$(jb .expires_at)") - $(epoch "$(jb .requested_at)")))" 900 "... expires 15 minutes later (the default)"
is "$(jb -c '[.decided_by, .decided_at, .decision_reason, .result]')" '[null,null,null,null]' "... undecided, no result"
is "$(api_header ETag)" '"1"' "... ETag is the quoted version"
api GET "/v1/approvals/$QAPR" -H 'If-None-Match: "1"'
is "$API_STATUS" 304 "... If-None-Match with it: 304"
api GET /v1/approvals/apr_999999
is_problem 404 not_found "an unknown approval"
api GET /v1/approvals/apr_1
is_problem 404 not_found "apr_1 is not apr_000001"

# more held requests: a drain to reject, a disable whose channel moves first
act "$RCH" drain
is "$API_STATUS $(jb .action.status)" "202 pending_approval" "drain of $RCH is held too"
RAPR2=$(jb .action.approval_id)
act "$MOVED" disable
is "$API_STATUS $(jb .action.status)" "202 pending_approval" "disable of $MOVED is held too"
MAPR=$(jb .action.approval_id)
act "$SCH" drain
SAPR=$(jb .action.approval_id)
like "$SAPR" '^apr_' "and a drain of $SCH (for the self-approval checks)"

# --- lists ----------------------------------------------------------------------------
api GET /v1/approvals
is "$(jb -c '[.data[].id]')" "[\"$QAPR\",\"$RAPR2\",\"$MAPR\",\"$SAPR\"]" "the list defaults to pending, in id order"
is "$(jb .next_cursor)" null "... on one page"
api GET '/v1/approvals?state=decided'
is "$(jb -c '[.data[] | [.id, .state]]')" "[[\"$RAPR\",\"approved\"]]" "state=decided: the approved route change"
api GET '/v1/approvals?state=all'
is "$(jb '.data | length')" 5 "state=all: all five"
api GET '/v1/approvals?state=pending,decided'
is "$(jb '.data | length')" 5 "state=pending,decided: all five"
api GET '/v1/approvals?state=open'
is_problem 400 invalid_parameter "an unknown state"
api_walk '/v1/approvals?state=all&limit=2' "$TEST_TMP/approvals.walk" '.id'
is "$WALK_PAGES $(tr -d '"' <"$TEST_TMP/approvals.walk" | paste -sd ' ')" "3 $RAPR $QAPR $RAPR2 $MAPR $SAPR" \
	"limit=2: three pages, every approval once, in order"
api GET '/v1/approvals?cursor=bogus!'
is_problem 400 invalid_cursor "a cursor the server never issued"
api GET /v1/approvals
etag=$(api_header ETag)
api GET /v1/approvals -H "If-None-Match: $etag"
is "$API_STATUS" 304 "the list has an ETag; If-None-Match with it: 304"

# --- what a decision needs ----------------------------------------------------------
v=$(apr_ver "$QAPR")
API_TOKEN=$SIM_TOKEN decide "$QAPR" approve
is_problem 403 self_approval_forbidden "the requester cannot approve their own request"
API_TOKEN=$SIM_TOKEN decide "$QAPR" reject
is_problem 403 self_approval_forbidden "... nor reject it"
API_TOKEN=$SIM_NOCHAN_TOKEN decide "$QAPR" approve
is_problem 403 insufficient_scope "a decider without channels:write (which the request needed)"
API_TOKEN=$SIM_RO_TOKEN decide "$QAPR" approve
is_problem 403 insufficient_scope "a read-only decider"
API_TOKEN=$SIM_TOKEN2 mutate "/v1/approvals/$QAPR/decision" '{"decision": "approve"}' "\"$v\""
is_problem 400 reason_required "a decision without a reason"
API_TOKEN=$SIM_TOKEN2 mutate "/v1/approvals/$QAPR/decision" '{"decision": "approve", "reason": "   "}' "\"$v\""
is_problem 400 reason_required "... or with a blank one"
API_TOKEN=$SIM_TOKEN2 mutate "/v1/approvals/$QAPR/decision" '{"decision": "maybe", "reason": "x"}' "\"$v\""
is_problem 400 invalid_field "a decision that is neither approve nor reject"
API_TOKEN=$SIM_TOKEN2 api_post "/v1/approvals/$QAPR/decision" '{"decision": "approve", "reason": "x"}' \
	-H "If-Match: \"$v\""
is_problem 400 idempotency_key_missing "a decision without an Idempotency-Key"
API_TOKEN=$SIM_TOKEN2 mutate "/v1/approvals/$QAPR/decision" '{"decision": "approve", "reason": "x"}' ''
is_problem 428 precondition_required "a decision without If-Match"
API_TOKEN=$SIM_TOKEN2 mutate "/v1/approvals/$QAPR/decision" '{"decision": "approve", "reason": "x"}' "\"$((v + 1))\""
is_problem 412 version_conflict "a decision on a stale approval version"
is "$(jb -c '[.current.id, .current.state, .current.version]')" "[\"$QAPR\",\"pending\",$v]" \
	"... with the current approval under current"
API_TOKEN=$SIM_TOKEN2 mutate /v1/approvals/apr_999999/decision '{"decision": "approve", "reason": "x"}' '"1"'
is_problem 404 not_found "deciding an unknown approval"
api GET "/v1/approvals/$QAPR"
is "$(jb '"\(.state) \(.version)"')" "pending $v" "none of these changed the approval"
ch_get "$QCH"
is "$(jb .admin_state)" enabled "... nor the channel"

# --- approve: applied ---------------------------------------------------------------
key=$(new_key)
dbody='{"decision": "approve", "reason": "checked the incident"}'
API_TOKEN=$SIM_TOKEN2 api_post "/v1/approvals/$QAPR/decision" "$dbody" -H "If-Match: \"$v\"" -H "Idempotency-Key: $key"
is "$API_STATUS" 200 "a second operator approves $QAPR"
first=$API_BODY
is "$(apr_shape "$API_BODY_FILE")" "" "... the answer is the approval"
is "$(jb -c '[.state, .decided_by, .decision_reason, .version]')" \
	"[\"approved\",\"$SIM_OPERATOR2\",\"checked the incident\",$((v + 1))]" "... approved by $SIM_OPERATOR2, with the reason, a new version"
is "$(jb .decided_at)" "$(api GET /v1/status && jb .server_time)" "... decided now"
API_TOKEN=$SIM_TOKEN2 api_post "/v1/approvals/$QAPR/decision" "$dbody" -H "If-Match: \"$v\"" -H "Idempotency-Key: $key"
is "$API_STATUS $(api_header Idempotent-Replayed)" "200 true" "the same key and body replay the decision"
is "$API_BODY" "$first" "... with the first answer's body"
API_TOKEN=$SIM_TOKEN2 api_post "/v1/approvals/$QAPR/decision" '{"decision": "reject", "reason": "changed my mind"}' \
	-H "If-Match: \"$v\"" -H "Idempotency-Key: $key"
is_problem 422 idempotency_key_reused "the same key with another body"
api GET "/v1/approvals/$QAPR"
is "$(jb .result.admin_state) $(jb .result.id)" "quarantined $QCH" "the result is the channel as changed"
is "$(api_header ETag)" "\"$((v + 1))\"" "... ETag follows the approval's version"
ch_get "$QCH"
is "$(jb .admin_state) $(jb .breaker)" "quarantined forced_open" "GET shows $QCH quarantined"
cmp_ok "$(jb .version)" -gt "$qv" "... at a new version"
QCH_VER=$(jb .version)
decide "$QAPR" reject
is_problem 409 approval_not_pending "deciding it again"

# --- reject: closed, nothing applied ----------------------------------------------------
ch_get "$RCH"
rcv=$(jb .version)
decide "$RAPR2" reject "not during the peak"
is "$API_STATUS $(jb -c '[.state, .decided_by, .decision_reason, .result]')" \
	"200 [\"rejected\",\"$SIM_OPERATOR2\",\"not during the peak\",null]" "rejecting $RAPR2 closes it, no result"
ch_get "$RCH"
is "$(jb '"\(.admin_state) \(.version)"')" "enabled $rcv" "... and $RCH is untouched"
decide "$RAPR2" approve
is_problem 409 approval_not_pending "approving a rejected approval"

# --- the target moved before approval: failed, nothing applied ------------------------
act "$MOVED" disable "{\"interface\": \"$MOVED_IF\"}"
is "$API_STATUS $(jb .action.status)" "200 applied" "meanwhile an interface of $MOVED is disabled at once"
ch_get "$MOVED"
mv=$(jb .version)
decide "$MAPR" approve
is "$API_STATUS $(jb .state)" "200 failed" "approving the disable of $MOVED now fails"
is "$(jb -c '[.result.code, .result.status, (.result.type | type), (.result.title | type), (.result.detail | type), (.result.request_id | type)]')" \
	'["version_conflict",412,"string","string","string","string"]' "... result is a problem with code version_conflict"
is "$(jb -c '[.result.current.id, .result.current.version, .result.current.admin_state]')" "[\"$MOVED\",$mv,\"enabled\"]" \
	"... with the channel as it is now under current"
is "$(jb .decided_by)" "$SIM_OPERATOR2" "... decided by the approver"
ch_get "$MOVED"
is "$(jb '"\(.admin_state) \(.version)"')" "enabled $mv" "... and nothing was applied"
decide "$MAPR" approve
is_problem 409 approval_not_pending "a failed approval is no longer pending"

# --- incremental sync ------------------------------------------------------------------
sim_tick 1
now=$(api GET /v1/status && jb .server_time)
api GET "/v1/approvals?state=all&updated_since=$now"
is "$(jb '.data | length')" 0 "updated_since now: nothing changed yet"
decide "$SAPR" reject
api GET "/v1/approvals?state=all&updated_since=$now"
is "$(jb -c '[.data[].id]')" "[\"$SAPR\"]" "... then only the approval just decided"
api GET '/v1/approvals?updated_since=yesterday'
is_problem 400 invalid_parameter "updated_since that is not a time"

# --- the event stream ------------------------------------------------------------------
seq=$(sim_state .stream_seq)
wait_until 10 eval '[ "$(sse_events a | tail -n 1 | cut -f1)" -ge "$seq" ] 2>/dev/null'
ok $? "the stream caught up to $seq"
apr_events() { sse_events a | awk -F '\t' '$2 == "approval"' | cut -f3 | jq -r --arg id "$1" 'select(.id == $id) | .state' | paste -sd ' '; }
is "$(apr_events "$QAPR")" "pending approved" "event: approval for $QAPR when created and when approved"
is "$(apr_events "$RAPR2")" "pending rejected" "... for $RAPR2 created and rejected"
is "$(apr_events "$MAPR")" "pending failed" "... for $MAPR created and failed"
is "$(apr_events "$RAPR")" "pending approved" "... for the route change $RAPR"
is "$(sse_events a | awk -F '\t' '$2 == "approval"' | cut -f3 | apr_shape | sort -u)" "" \
	"every approval event carries the whole approval"
is "$(sse_events a | awk -F '\t' '$2 == "channel"' | cut -f3 |
	jq -r --arg c "$QCH" 'select(.id == $c) | "\(.admin_state) \(.version)"' | grep -cxF "quarantined $QCH_VER")" \
	1 "the approved change emitted the channel's own event ($QCH quarantined at version $QCH_VER)"
is "$(sse_events a | awk -F '\t' '$2 == "route"' | cut -f3 |
	jq -r --arg r "$ROUTE" 'select(.id == $r) | .version' | grep -cxF "$ROUTE_VER")" \
	1 "... and the approved weights the route's own event ($ROUTE at version $ROUTE_VER)"
order=$(sse_events a | awk -F '\t' -v c="$QCH" -v a="$QAPR" '
	$2 == "channel" && index($3, "\"id\":\"" c "\"") && index($3, "quarantined") { if (!ch) ch = NR }
	$2 == "approval" && index($3, "\"id\":\"" a "\"") && index($3, "\"state\":\"approved\"") { ap = NR }
	END { print (ch && ap && ch < ap) ? "channel first" : "ch=" ch " ap=" ap }')
is "$order" "channel first" "... before the approval event that carries it as result"
sse_close a

# --- a living world: live metrics move the version, not the decision --------------------
# The dynamics bump every channel's version on each tick. An approval decided
# after a few ticks is re-validated and applied; one whose channel another
# operator changed meanwhile fails with version_conflict.
sim_stop
sim_start_or_bail --tick-ms 250 --approval-share "$THR"
# act_live CHANNEL ACTION: the version moves on every tick, and on a loaded
# machine a tick often falls between reading it and the POST; what is under
# test is the decision, so the request goes in with If-Match: *
act_live() {
	mutate "/v1/channels/$1/actions" "$(jq -nc --arg a "$2" '{action: $a, reason: "approvals test"}')" '*'
}
ch_field() { ch_get "$1" && jb "$2"; }
moved_by() { [ "$(ch_field "$1" .version)" -ge "$2" ]; }
api GET '/v1/channels?limit=500'
mapfile -t LIVE < <(jb --argjson t "$THR" '[.data[] | select(.admin_state == "enabled" and .traffic_share > 3 * $t)]
	| sort_by(-.traffic_share) | .[].id')
cmp_ok "${#LIVE[@]}" -ge 2 "(a sim ticking every 250 ms) two busy enabled channels (${LIVE[*]:0:2})"
LA=${LIVE[0]} LB=${LIVE[1]}

act_live "$LA" drain
is "$API_STATUS $(jb .action.status)" "202 pending_approval" "$SIM_OPERATOR asks to drain $LA: held"
LAPR=$(jb .action.approval_id)
la_v0=$(API_TOKEN=$SIM_TOKEN api GET "/v1/approvals/$LAPR" && jb .target_version)
act_live "$LB" quarantine
is "$API_STATUS $(jb .action.status)" "202 pending_approval" "$SIM_OPERATOR asks to quarantine $LB: held"
LBQ=$(jb .action.approval_id)
API_TOKEN=$SIM_TOKEN2 act_live "$LB" disable
is "$API_STATUS $(jb .action.status)" "202 pending_approval" "$SIM_OPERATOR2 asks to disable $LB: held too"
LBD=$(jb .action.approval_id)

wait_until 20 moved_by "$LA" $((la_v0 + 5))
ok $? "the ticks move $LA's version past $((la_v0 + 5)) (requested at $la_v0)"
decide "$LAPR" approve "live metrics only"
is "$API_STATUS $(jb .state)" "200 approved" "approving the drain of $LA after those ticks applies it"
is "$(jb -c '[.target_version, .result.id, .result.admin_state]')" "[$la_v0,\"$LA\",\"draining\"]" \
	"... the result is $LA draining"
cmp_ok "$(jb .result.version)" -gt $((la_v0 + 5)) "... at a version the metrics had moved ($(jb .result.version))"
is "$(ch_field "$LA" '"\(.admin_state) \(.updated_by)"')" "draining $SIM_OPERATOR" "GET shows $LA draining, set by $SIM_OPERATOR"

# the other operator's disable of $LB goes through first
lb_v=$(ch_field "$LB" .version)
wait_until 20 moved_by "$LB" $((lb_v + 3))
API_TOKEN=$SIM_TOKEN decide "$LBD" approve "take it out"
is "$API_STATUS $(jb .state) $(jb .result.admin_state)" "200 approved disabled" \
	"$SIM_OPERATOR approves $SIM_OPERATOR2's disable of $LB: applied"
lb_v=$(ch_field "$LB" .version)
wait_until 20 moved_by "$LB" $((lb_v + 3))
ok $? "... and the world ticks on"
decide "$LBQ" approve "quarantine as asked"
is "$API_STATUS $(jb .state)" "200 failed" "approving the quarantine of $LB now fails: an operator disabled it meanwhile"
is "$(jb -c '[.result.code, .result.status, .result.current.id, .result.current.admin_state]')" \
	"[\"version_conflict\",412,\"$LB\",\"disabled\"]" "... version_conflict, with $LB as it is now (disabled)"
like "$(jb .result.detail)" "changed by an operator" "... and says an operator changed it ($(jb .result.detail))"
is "$(ch_field "$LB" '"\(.admin_state) \(.breaker) \(.updated_by)"')" "disabled $(ch_field "$LB" .breaker) $SIM_OPERATOR2" \
	"... nothing was applied: $LB stays disabled by $SIM_OPERATOR2"
isnt "$(ch_field "$LB" .breaker)" forced_open "... its breaker not forced open"

# --- expiry, with a short --approval-ttl-s ---------------------------------------------
sim_stop
sim_start_or_bail --tick-ms 0 --approval-share "$THR" --approval-ttl-s 5
sse_open x
act "$QCH" quarantine
is "$API_STATUS" 202 "(a sim with --approval-ttl-s 5) quarantine of $QCH is held"
XAPR=$(jb .action.approval_id)
api GET "/v1/approvals/$XAPR"
is "$(($(epoch "$(jb .expires_at)") - $(epoch "$(jb .requested_at)")))" 5 "... expires_at is 5 s after requested_at"
sim_tick 4
api GET "/v1/approvals/$XAPR"
is "$(jb .state)" pending "4 simulated seconds later it is still pending"
sim_tick 1
api GET "/v1/approvals/$XAPR"
is "$(jb -c '[.state, .decided_by, .decided_at, .result, .version]')" '["expired",null,null,null,2]' \
	"at expires_at it is expired (undecided, version 2)"
api GET /v1/approvals
is "$(jb '.data | length')" 0 "... no longer in the pending list"
api GET '/v1/approvals?state=decided'
is "$(jb -c '[.data[].id]')" "[\"$XAPR\"]" "... but among the decided"
decide "$XAPR" approve
is_problem 409 approval_not_pending "approving an expired approval"
ch_get "$QCH"
is "$(jb .admin_state)" enabled "... and $QCH stays enabled"
sse_wait x '"state":"expired"' 10
ok $? "the stream carries the expiry"
is "$(sse_events x | awk -F '\t' '$2 == "approval"' | cut -f3 | jq -r .state | paste -sd ' ')" "pending expired" \
	"... as event: approval, created then expired"
sse_close x

# --- off by default ---------------------------------------------------------------------
sim_stop
sim_start_or_bail --tick-ms 0
body=$(weights_moving 20)
mutate "/v1/routes/$ROUTE/weights" "$body" "\"$(rt_ver)\""
is "$API_STATUS" 200 "without --approval-weight-pct a 20-point move applies"
act "$QCH" quarantine
is "$API_STATUS $(jb .action.status)" "200 applied" "without --approval-share nothing is held"
api GET '/v1/approvals?state=all'
is "$API_STATUS $(jb '.data | length')" "200 0" "... and there are no approvals"

"$SIM_BIN" --approval-weight-pct 101 >/dev/null 2>&1
is "$?" 2 "--approval-weight-pct 101 is refused"
"$SIM_BIN" --approval-ttl-s 0 >/dev/null 2>&1
is "$?" 2 "--approval-ttl-s 0 is refused"

sim_stop
is "$?" 0 "SIGTERM: payops-sim exits 0"
done_testing
