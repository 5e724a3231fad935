#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Bad requests get problems, and the server keeps answering (platform-api.md,
# Conventions: errors).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0
alive() {
	api GET /v1/status
	[ "$API_STATUS" = 200 ]
}

api GET /v1/channels
chan=$(jb '.data[] | select(.admin_state == "enabled") | .id' | head -n 1)
api GET "/v1/channels/$chan"
ver=$(jb .version)

# --- bodies ----------------------------------------------------------------------------------
mutate "/v1/channels/$chan/actions" '{"action": "disable", "reason": ' "\"$ver\""
is_problem 400 '*' "a malformed JSON body"
mutate "/v1/channels/$chan/actions" '[{"action": "disable", "reason": "array"}]' "\"$ver\""
is_problem 400 '*' "a JSON body that is not an object"
mutate "/v1/channels/$chan/actions" '' "\"$ver\""
is_problem 400 '*' "an empty body"
mutate "/v1/channels/$chan/actions" $'{"action": "disable", "reason": "\xff\xfe bad utf-8"}' "\"$ver\""
is_problem 400 '*' "a body that is not UTF-8"
mutate "/v1/channels/$chan/actions" '{"action": 7, "reason": "wrong type"}' "\"$ver\""
ok "$([ "$API_STATUS" = 400 ] || [ "$API_STATUS" = 422 ]; echo $?)" "a field of the wrong type is refused with 400/422 (got $API_STATUS)"
api GET "/v1/channels/$chan"
is "$(jb '"\(.admin_state) \(.version)"')" "enabled $ver" "none of them changed the channel"

{
	printf '{"action":"disable","reason":"'
	head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'a'
	printf '"}'
} >"$TEST_TMP/huge.json"
# api_post passes the JSON as --data-binary: "@file" makes curl read the file.
api_post "/v1/channels/$chan/actions" "@$TEST_TMP/huge.json" \
	-H "Idempotency-Key: $(new_key)" -H "If-Match: \"$ver\""
is_problem 413 '*' "a 10 MiB body"
alive
ok $? "the sim answers after the huge body"

# --- paths and methods ----------------------------------------------------------------------------
for p in /v1/nope /nope /v1/channels/$chan/nope /v1/channels/a/b/c/d /v1; do
	api GET "$p"
	is_problem 404 '*' "GET $p"
done
api GET /v1/channels/no.such.channel
is_problem 404 '*' "GET an unknown channel"
api DELETE /v1/channels
ok "$([ "$API_STATUS" = 405 ] || [ "$API_STATUS" = 404 ]; echo $?)" "DELETE /v1/channels is 405 or 404 (got $API_STATUS)"
_problem_check "$API_STATUS" '*'
ok $? "... as a problem"
api GET "/v1/channels/$chan/actions"
ok "$([ "$API_STATUS" = 405 ] || [ "$API_STATUS" = 404 ]; echo $?)" "GET on an action endpoint is 405 or 404 (got $API_STATUS)"
api GET "/v1/$(head -c 20000 /dev/zero | tr '\0' 'x')"
like "$API_STATUS" '^4' "a 20 kB path gets a 4xx (got $API_STATUS)"
api GET /v1/status -H "X-Junk: $(head -c 7000 /dev/zero | tr '\0' 'y')"
like "$API_STATUS" '^(200|4..)$' "a 7 kB header gets 200 or 4xx (got $API_STATUS)"
alive
ok $? "the sim answers after odd paths and methods"

# --- raw TCP -------------------------------------------------------------------------------------------
raw() { # BYTES -> reply (bounded)
	timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$1 || exit 7; printf "%b" "$2" >&3; cat <&3' _ "$SIM_PORT" "$1" 2>/dev/null
}
reply=$(raw 'GARBAGE \x01\x02\x03 NOT HTTP\r\n\r\n' | head -c 200)
ok "$([[ -z $reply || $reply =~ ^HTTP/1\.[01]\ 4 ]]; echo $?)" "garbage on the socket: closed or a 4xx ($(head -n 1 <<<"$reply" | tr -d '\r'))"
reply=$(raw 'GET /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello' | head -n 1)
ok "$([[ -z $reply || $reply =~ ^HTTP/1\.[01]\ [45] ]]; echo $?)" "conflicting Content-Length: refused ($(tr -d '\r' <<<"$reply"))"
# A client that connects and says nothing must not block the others.
(exec 3<>"/dev/tcp/127.0.0.1/$SIM_PORT" && sleep 3) 2>/dev/null &
bg_track $!
sleep 0.1
API_MAX_TIME=2 alive
ok $? "a silent connection does not block other clients"
alive
ok $? "the sim answers after raw garbage"

# --- many clients at once -----------------------------------------------------------------------------------
for i in $(seq 40); do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 -H "Authorization: Bearer $SIM_TOKEN" \
		"$SIM_URL/v1/channels" >"$TEST_TMP/par.$i" &
done
has40() { [ "$(cat "$TEST_TMP"/par.* 2>/dev/null | grep -c .)" -ge 40 ]; }
wait_until 15 has40
is "$(cat "$TEST_TMP"/par.* | sort | uniq -c | awk '{ print $2 "x" $1 }' | paste -sd' ' -)" "200x40" \
	"40 concurrent GET /v1/channels all succeed"

# --- clean exit ----------------------------------------------------------------------------------------------
alive
ok $? "the sim is still answering at the end"
sim_stop
is "$?" 0 "SIGTERM: payops-sim exits 0"

done_testing
