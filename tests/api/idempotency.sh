#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Idempotency-Key on mutations (platform-api.md, Conventions).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0

api GET /v1/channels
chan=$(jb '.data[] | select(.admin_state == "enabled") | .id' | head -n 1)
api GET "/v1/channels/$chan"
ver=$(jb .version)
check "an enabled channel to act on ($chan v$ver)" test -n "$chan" -a -n "$ver"

# --- missing / malformed key ----------------------------------------------------
api_post "/v1/channels/$chan/actions" '{"action":"drain","reason":"no key"}' -H "If-Match: \"$ver\""
is_problem 400 idempotency_key_missing "action without Idempotency-Key"

api_post "/v1/channels/$chan/actions" '{"action":"drain","reason":"empty key"}' \
	-H "If-Match: \"$ver\"" -H 'Idempotency-Key;'
is_problem 400 '*' "action with an empty Idempotency-Key"

long=$(printf 'k%.0s' $(seq 256))
api_post "/v1/channels/$chan/actions" '{"action":"drain","reason":"key too long"}' \
	-H "If-Match: \"$ver\"" -H "Idempotency-Key: $long"
is_problem 400 '*' "action with a 256-character Idempotency-Key"

api_post "/v1/channels/$chan/actions" '{"action":"drain","reason":"key with a space"}' \
	-H "If-Match: \"$ver\"" -H "Idempotency-Key: two words"
is_problem 400 '*' "action with an Idempotency-Key holding a space (not visible ASCII)"

api GET "/v1/channels/$chan"
is "$(jb '"\(.admin_state) \(.version)"')" "enabled $ver" "refused requests changed nothing"

# --- replay -----------------------------------------------------------------------
key="idem-$$-$RANDOM-$(printf 'x%.0s' $(seq 255))"
key=${key:0:255}
body='{"action":"drain","reason":"idempotency test","ticket":"CHG-1"}'
api_post "/v1/channels/$chan/actions" "$body" -H "If-Match: \"$ver\"" -H "Idempotency-Key: $key"
first_status=$API_STATUS
first_body=$API_BODY
is "$first_status" 200 "first request, with a 255-character key, is applied"
is "$(jb .action.status)" applied "... action status applied"
isnt "$(api_header Idempotent-Replayed)" true "the first response is not marked replayed"
v1=$(jb .channel.version)

# The replay sends the same headers, so its If-Match is now stale: the stored
# response must still win over the precondition.
api_post "/v1/channels/$chan/actions" "$body" -H "If-Match: \"$ver\"" -H "Idempotency-Key: $key"
is "$API_STATUS" "$first_status" "replay: same status"
is "$API_BODY" "$first_body" "replay: byte-identical body"
is "$(api_header Idempotent-Replayed)" true "replay: Idempotent-Replayed: true"

api GET "/v1/channels/$chan"
is "$(jb .version)" "$v1" "the replay did not act a second time (version unchanged)"

# Same key, different body.
api_post "/v1/channels/$chan/actions" '{"action":"drain","reason":"idempotency test, other body","ticket":"CHG-1"}' \
	-H "If-Match: \"$v1\"" -H "Idempotency-Key: $key"
is_problem 422 idempotency_key_reused "same key with a different body"

# The key is bound to the request, not just the body: another object, same body.
api GET /v1/channels
chan2=$(jb --arg c "$chan" '.data[] | select(.admin_state == "enabled" and .id != $c) | .id' | head -n 1)
api GET "/v1/channels/$chan2"
ver2=$(jb .version)
api_post "/v1/channels/$chan2/actions" "$body" -H "If-Match: \"$ver2\"" -H "Idempotency-Key: $key"
ok "$([ "$API_STATUS" = 422 ] || { [ "$API_STATUS" = 200 ] && [ "$(jb .channel.id)" = "$chan2" ]; }; echo $?)" \
	"same key and body on another channel: 422 or acts on that channel, never replays $chan (got $API_STATUS)"

# A fresh key acts again.
api GET "/v1/channels/$chan"
mutate "/v1/channels/$chan/actions" '{"action":"enable","reason":"idempotency test: back"}' "\"$(jb .version)\""
is "$API_STATUS" 200 "a new key acts (enable)"
is "$(jb .channel.admin_state)" enabled "... and the channel is enabled again"

# --- replay of an alert ack (no If-Match involved) ----------------------------------
api GET '/v1/alerts?state=all'
alert=$(jb '.data[0].id // empty')
if [ -n "$alert" ]; then
	key=$(new_key)
	api_post "/v1/alerts/$alert/ack" '{"reason":"seen"}' -H "Idempotency-Key: $key"
	s1=$API_STATUS b1=$API_BODY
	is "$s1" 200 "ack an alert"
	api_post "/v1/alerts/$alert/ack" '{"reason":"seen"}' -H "Idempotency-Key: $key"
	is "$API_STATUS $API_BODY" "$s1 $b1" "ack replay: same status and body"
	is "$(api_header Idempotent-Replayed)" true "ack replay: Idempotent-Replayed: true"
	api_post "/v1/alerts/$alert/ack" '{"reason":"seen twice"}' -H "Idempotency-Key: $key"
	is_problem 422 idempotency_key_reused "ack with the same key and another reason"
else
	fail "the world has an alert"
fi

# An unknown action is refused.
api_post "/v1/channels/$chan/actions" '{"action":"fly","reason":"bad action"}' \
	-H "If-Match: \"0\"" -H "Idempotency-Key: $(new_key)"
ok "$([ "${API_STATUS:0:1}" = 4 ]; echo $?)" "an invalid request is refused with 4xx (got $API_STATUS)"

done_testing
