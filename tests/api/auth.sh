#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Authentication, scopes and request ids (platform-api.md, Conventions; Who am I).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0

# --- 401 --------------------------------------------------------------------
API_TOKEN=none api GET /v1/channels
is_problem 401 '*' "GET /v1/channels without a token"
like "$(api_header WWW-Authenticate)" '^Bearer' "401 without a token carries WWW-Authenticate: Bearer"

API_TOKEN=not-a-token-$RANDOM api GET /v1/channels
is_problem 401 '*' "GET /v1/channels with an unknown token"

API_TOKEN=none api GET /v1/status -H "Authorization: Basic $(printf 'a:b' | base64)"
is_problem 401 '*' "GET /v1/status with Basic auth instead of a bearer token"

API_TOKEN=none api GET /v1/status -H "Authorization: Bearer"
is "$API_STATUS" 401 "an empty bearer token is refused"

# A token that differs from a valid one only by a suffix is not valid.
API_TOKEN=${SIM_TOKEN}x api GET /v1/me
is "$API_STATUS" 401 "a valid token with a byte appended is refused"

# A mutation without a token is refused before anything else is looked at.
API_TOKEN=none api_post /v1/alerts/whatever/ack '{"reason":"x"}'
is "$API_STATUS" 401 "POST without a token is 401 (not 400/404)"

# --- the tokens of the file work, with their scopes ---------------------------
api GET /v1/status
is "$API_STATUS" 200 "GET /v1/status with the operator token"
conforms status "/v1/status has site, platform_version, server_time, stream_seq"

api GET /v1/me
is "$API_STATUS" 200 "GET /v1/me with the operator token"
conforms me "/v1/me has operator_id, display_name, scopes"
is "$(jb .operator_id)" "$SIM_OPERATOR" "/v1/me names the operator of the token"
is "$(jb '.scopes | sort | join(",")')" \
	"$(tr ',' '\n' <<<"$SIM_ALL_SCOPES" | sort | paste -sd, -)" \
	"/v1/me lists every scope of the operator token"

API_TOKEN=$SIM_RO_TOKEN api GET /v1/me
is "$(jb '[.operator_id, (.scopes | sort | join(","))] | join(" ")')" \
	"$SIM_RO_OPERATOR read" "/v1/me for the read-only token: its operator and scope read"

API_TOKEN=$SIM_RO_TOKEN api GET /v1/channels
is "$API_STATUS" 200 "a read-only token can list channels"

# --- 403: a mutation the token has no scope for --------------------------------
api GET /v1/channels
chan=$(jb '.data[] | select(.admin_state == "enabled") | .id' | head -n 1)
api GET "/v1/channels/$chan"
ver=$(jb .version)
ok "$([ -n "$chan" ] && [ -n "$ver" ]; echo $?)" "found an enabled channel ($chan, version $ver)"

API_TOKEN=$SIM_RO_TOKEN mutate "/v1/channels/$chan/actions" \
	'{"action":"drain","reason":"auth test: read-only token"}' "\"$ver\""
is_problem 403 '*' "channel action with a read-only token"
like "$API_BODY" 'channels:write' "the 403 problem names the missing scope channels:write"

API_TOKEN=$SIM_NOCHAN_TOKEN mutate "/v1/channels/$chan/actions" \
	'{"action":"drain","reason":"auth test: no channels:write"}' "\"$ver\""
is_problem 403 '*' "channel action with a token lacking only channels:write"
like "$API_BODY" 'channels:write' "that 403 names channels:write too"

api GET "/v1/channels/$chan"
is "$(jb '"\(.admin_state) \(.version)"')" "enabled $ver" "the refused actions changed nothing"

# The same token may use the scopes it has: acknowledge an alert (alerts:write).
api GET '/v1/alerts?state=all'
alert=$(jb '.data[0].id // empty')
if [ -n "$alert" ]; then
	API_TOKEN=$SIM_RO_TOKEN mutate "/v1/alerts/$alert/ack" '{"reason":"auth test"}'
	is_problem 403 '*' "alert ack with a read-only token"
	like "$API_BODY" 'alerts:write' "that 403 names alerts:write"
	API_TOKEN=$SIM_NOCHAN_TOKEN mutate "/v1/alerts/$alert/ack" '{"reason":"auth test"}'
	is "$API_STATUS" 200 "alert ack with alerts:write (but no channels:write) is allowed"
	is "$(jb .acked_by)" "$SIM_NOCHAN_OPERATOR" "the ack records the operator of the token"
else
	fail "the world has an alert to acknowledge"
fi

# --- X-Request-Id ------------------------------------------------------------
rid="req-auth-$RANDOM$RANDOM"
api GET /v1/status -H "X-Request-Id: $rid"
is "$(api_header X-Request-Id)" "$rid" "X-Request-Id is echoed on a 200"

API_TOKEN=none api GET /v1/channels -H "X-Request-Id: $rid-e"
is "$(api_header X-Request-Id)" "$rid-e" "X-Request-Id is echoed on a 401"
is "$(jb .request_id)" "$rid-e" "the problem's request_id is the client's X-Request-Id"

api GET /v1/status
gen1=$(api_header X-Request-Id)
api GET /v1/status
gen2=$(api_header X-Request-Id)
like "$gen1" '^[!-~]+$' "a request id is generated when the client sends none"
isnt "$gen2" "$gen1" "generated request ids differ between requests"

API_TOKEN=bad-$RANDOM api GET /v1/channels
gen3=$(api_header X-Request-Id)
ok "$([ -n "$gen3" ] && [ "$(jb .request_id)" = "$gen3" ]; echo $?)" \
	"a generated request id is in the header and the problem body alike"

done_testing
