#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Several sites serve one world; a site can be taken off the network and back
# (sim-interface.md, --sites, /sim/sites).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --sites 2 --tick-ms 0

is "$(grep -c . "$SIM_OUT")" 2 "--sites 2 prints two lines"
like "$(sed -n 1p "$SIM_OUT")" '^listening on http://127\.0\.0\.1:[0-9]+$' "the first is 'listening on http://127.0.0.1:PORT'"
like "$(sed -n 2p "$SIM_OUT")" '^site sh-b listening on http://127\.0\.0\.1:[0-9]+$' \
	"the second is 'site sh-b listening on http://127.0.0.1:PORT'"
U1=${SIM_SITE_URLS[0]}
U2=${SIM_SITE_URLS[1]}
isnt "$U2" "$U1" "the two sites listen on different ports ($U1, $U2)"

API_URL=$U1 api GET /v1/status
is "$(jb .site)" sh-a "site 1 says it is sh-a"
API_URL=$U2 api GET /v1/status
is "$(jb .site)" sh-b "site 2 says it is sh-b"
is "$(API_URL=$U1 sim_state '[.sites[] | "\(.name):\(.port):\(.up)"] | join(" ")')" \
	"sh-a:${U1##*:}:true sh-b:${U2##*:}:true" "/sim/state lists both sites, up"

API_URL=$U1 api GET '/v1/channels?limit=500'
b1=$API_BODY
API_URL=$U2 api GET '/v1/channels?limit=500'
is "$API_BODY" "$b1" "both sites serve the same channels"
API_URL=$U2 api GET /v1/channels
t2=$(api_header ETag)
API_URL=$U1 api GET /v1/channels
is "$(api_header ETag)" "$t2" "... with the same ETag"

chan=$(jq -r '.data[] | select(.admin_state == "enabled") | .id' <<<"$b1" | head -n 1)
API_URL=$U1 api GET "/v1/channels/$chan"
ver=$(jb .version)
API_URL=$U1 mutate "/v1/channels/$chan/actions" '{"action":"disable","reason":"sites test"}' "\"$ver\""
is "$API_STATUS" 200 "disable $chan on sh-a"
newver=$(jb .channel.version)
API_URL=$U2 api GET "/v1/channels/$chan"
is "$(jb '"\(.admin_state) \(.version)"')" "disabled $newver" "sh-b sees it disabled at once, at the same version"
API_URL=$U2 mutate "/v1/channels/$chan/actions" '{"action":"enable","reason":"sites test"}' "$(api_header ETag)"
is "$API_STATUS" 200 "enable it on sh-b with sh-b's ETag"
API_URL=$U1 api GET "/v1/channels/$chan"
is "$(jb .admin_state)" enabled "sh-a sees it enabled"

# --- down / up ---------------------------------------------------------------------------------
API_URL=$U1 sim_post /sim/sites/sh-b/down '{}'
is "$API_STATUS" 200 "POST /sim/sites/sh-b/down"
API_URL=$U2 API_MAX_TIME=3 api GET /v1/status
is "$API_STATUS" 000 "sh-b no longer answers (curl rc $API_CURL_RC)"
API_URL=$U1 api GET /v1/status
is "$API_STATUS" 200 "sh-a still answers"
is "$(API_URL=$U1 sim_state '.sites[] | select(.name == "sh-b") | .up')" false "/sim/state shows sh-b down"
API_URL=$U1 sim_post /sim/sites/sh-b/up '{}'
is "$API_STATUS" 200 "POST /sim/sites/sh-b/up"
API_URL=$U2 API_MAX_TIME=3 api GET /v1/status
is "$API_STATUS $(jb .site)" "200 sh-b" "sh-b answers again"
is "$(API_URL=$U1 sim_state '.sites[] | select(.name == "sh-b") | .up')" true "/sim/state shows sh-b up"

# The first site can go down too, and its control API with it; the other still
# controls it.
API_URL=$U2 sim_post /sim/sites/sh-a/down '{}'
API_URL=$U1 API_MAX_TIME=3 api GET /v1/status
is "$API_STATUS" 000 "sh-a down: it no longer answers"
API_URL=$U2 sim_post /sim/sites/sh-a/up '{}'
API_URL=$U1 api GET /v1/status
is "$API_STATUS" 200 "sh-a up again, from sh-b's control API"

# --- faults for one site ------------------------------------------------------------------------
API_URL=$U1 sim_post /sim/faults '{"error_rate": 1, "site": "sh-a"}'
is "$API_STATUS" 200 "POST /sim/faults with site sh-a"
API_URL=$U2 API_TOKEN=none api GET /sim/faults
is "$(jb .site)" sh-a "GET /sim/faults shows the site"
API_URL=$U1 api GET /v1/status
is "$API_STATUS" 503 "sh-a fails"
API_URL=$U2 api GET /v1/status
is "$API_STATUS" 200 "... sh-b does not"
API_URL=$U1 sim_post /sim/faults '{"site": null}'
API_URL=$U2 api GET /v1/status
is "$API_STATUS" 503 "site null: the faults apply to every site again"
API_URL=$U1 sim_post /sim/faults '{"site": 7}'
is_problem 400 '*' "a site that is not a string is refused"
API_URL=$U1 sim_faults_clear

API_URL=$U1 sim_post /sim/sites/no-such-site/down '{}'
is_problem 404 '*' "down for an unknown site"

done_testing
