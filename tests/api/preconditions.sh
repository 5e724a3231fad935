#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# If-Match on versioned objects, and the reason/ticket rules of every mutation
# (platform-api.md, Conventions).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0

# Each kind: the object's GET path, its mutation path, and a valid body
# without reason (jq over the object).
declare -A OBJ MUT BODY
api GET /v1/channels
id=$(jb '.data[] | select(.admin_state == "enabled") | .id' | head -n 1)
OBJ[channel]=/v1/channels/$id MUT[channel]=/v1/channels/$id/actions
BODY[channel]='{action: "drain"}'

api GET /v1/routes
id=$(jb '.data[] | select(any(.members[]; .eligible)) | .id' | head -n 1)
OBJ[route]=/v1/routes/$id MUT[route]=/v1/routes/$id/weights
BODY[route]='{weights: [.members[] | {channel_id, weight_pct}]}'

api GET /v1/onboarding/cases
id=$(jb '.data[0].id // empty')
OBJ[case]=/v1/onboarding/cases/$id MUT[case]=/v1/onboarding/cases/$id/decision
BODY[case]='{decision: "assign", assignee: "op.test"}'

api GET '/v1/recon/breaks?status=open'
id=$(jb '.data[0].id // empty')
OBJ[break]=/v1/recon/breaks/$id MUT[break]=/v1/recon/breaks/$id/resolve
BODY[break]='{action: "investigate"}'

api GET /v1/limits
id=$(jb '.data[0].id // empty')
OBJ[limit]=/v1/limits/$id MUT[limit]=/v1/limits/$id/adjust
BODY[limit]='{limit_minor: .limit_minor}'

for kind in channel route case break limit; do
	api GET "${OBJ[$kind]}"
	if [ "$API_STATUS" != 200 ]; then
		fail "GET ${OBJ[$kind]} to test preconditions on a $kind"
		continue
	fi
	obj=$API_BODY
	ver=$(jb .version)
	oid=$(jb .id)
	body=$(jq -c "${BODY[$kind]} + {reason: \"precondition test\"}" <<<"$obj")

	mutate "${MUT[$kind]}" "$body" ''
	is_problem 428 precondition_required "$kind: mutation without If-Match"

	stale=$((ver - 1))
	[ "$stale" -lt 0 ] && stale=$((ver + 1000))
	mutate "${MUT[$kind]}" "$body" "\"$stale\""
	is_problem 412 version_conflict "$kind: mutation with a stale If-Match \"$stale\""
	is "$(jb '.current | "\(.id) \(.version)"')" "$oid $ver" "$kind: the 412 holds the current object under current"
	is "$(jb -S .current)" "$(jq -S . <<<"$obj")" "$kind: ... the whole object, as GET gives it"

	mutate "${MUT[$kind]}" "$(jq -c "${BODY[$kind]}" <<<"$obj")" "\"$ver\""
	is_problem 400 reason_required "$kind: mutation without reason"

	mutate "${MUT[$kind]}" "$(jq -c "${BODY[$kind]} + {reason: \"\"}" <<<"$obj")" "\"$ver\""
	is_problem 400 reason_required "$kind: mutation with an empty reason"

	api GET "${OBJ[$kind]}"
	is "$(jb .version)" "$ver" "$kind: the refused mutations left the version alone"
done

# --- reason and ticket lengths (on the channel) ----------------------------------
chan=${OBJ[channel]}
ver_of() { api GET "$1"; jb .version; }

r501=$(printf 'r%.0s' $(seq 501))
mutate "${MUT[channel]}" "{\"action\":\"drain\",\"reason\":\"$r501\"}" "\"$(ver_of "$chan")\""
is_problem 400 reason_required "a 501-character reason"

t65=$(printf 't%.0s' $(seq 65))
mutate "${MUT[channel]}" "{\"action\":\"drain\",\"reason\":\"ticket too long\",\"ticket\":\"$t65\"}" "\"$(ver_of "$chan")\""
ok "$([ "$API_STATUS" = 400 ] || [ "$API_STATUS" = 422 ]; echo $?)" \
	"a 65-character ticket is refused with 400/422 (got $API_STATUS)"
_problem_check "$API_STATUS" '*'
ok $? "... as a problem"

# 500 characters, each three bytes in UTF-8: the limit counts characters.
r500=$(printf '停%.0s' $(seq 500))
t64=$(printf 'T%.0s' $(seq 64))
mutate "${MUT[channel]}" "{\"action\":\"drain\",\"reason\":\"$r500\",\"ticket\":\"$t64\"}" "\"$(ver_of "$chan")\""
is "$API_STATUS" 200 "a 500-character (1500-byte) reason and a 64-character ticket are accepted"

# If-Match that matches the current version applies.
v=$(ver_of "$chan")
mutate "${MUT[channel]}" '{"action":"enable","reason":"precondition test: back"}' "\"$v\""
is "$API_STATUS" 200 "If-Match with the current version applies"
cmp_ok "$(jb .channel.version)" -gt "$v" "... and raises the version"

done_testing
