#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Strong ETags and If-None-Match on every GET (platform-api.md, Conventions).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --tick-ms 0

strong='^"[!#-~]*"$'

# --- lists ---------------------------------------------------------------------
for path in /v1/channels /v1/routes /v1/onboarding/cases /v1/recon/breaks /v1/limits \
	'/v1/alerts?state=all' /v1/status /v1/me; do
	api GET "$path"
	tag=$(api_header ETag)
	like "$tag" "$strong" "GET $path carries a strong ETag ($tag)"
	api GET "$path" -H "If-None-Match: $tag"
	is "$API_STATUS" 304 "GET $path with If-None-Match of that ETag is 304"
done

api GET /v1/channels
list_tag=$(api_header ETag)
list_body=$API_BODY
api GET /v1/channels
is "$(api_header ETag)" "$list_tag" "a frozen world gives the same ETag twice"
is "$API_BODY" "$list_body" "... and the same body"

api GET /v1/channels -H "If-None-Match: $list_tag"
is "$API_STATUS" 304 "If-None-Match: current ETag -> 304"
is "$(stat -c %s "$API_BODY_FILE")" 0 "the 304 has an empty body"
is "$(api_header ETag)" "$list_tag" "the 304 repeats the ETag"

api GET /v1/channels -H 'If-None-Match: "no-such-tag"'
is "$API_STATUS" 200 "If-None-Match with another tag -> 200"
is "$API_BODY" "$list_body" "... with the full body"

api GET /v1/channels -H "If-None-Match: W/$list_tag"
ok "$([ "$API_STATUS" = 304 ] || [ "$API_STATUS" = 200 ]; echo $?)" \
	"If-None-Match with the weak form of the tag is answered (200 or 304, got $API_STATUS)"

# --- a tick of the frozen world changes the list -----------------------------------
sim_tick 5
is "$API_STATUS" 200 "POST /sim/tick {seconds: 5} on a frozen world"
api GET /v1/channels -H "If-None-Match: $list_tag"
is "$API_STATUS" 200 "after a tick the old ETag no longer matches: 200"
tick_tag=$(api_header ETag)
like "$tick_tag" "$strong" "... with a strong ETag"
isnt "$tick_tag" "$list_tag" "... that is new"
isnt "$API_BODY" "$list_body" "... and a changed body"

# --- single objects: ETag is the quoted version ----------------------------------
check_object() { # KIND LISTPATH OBJPATHPREFIX
	local kind=$1 list=$2 prefix=$3 id ver tag
	api GET "$list?limit=5"
	id=$(jb '.data[0].id // empty')
	if [ -z "$id" ]; then
		fail "$list has an object to fetch"
		return
	fi
	api GET "$prefix/$id"
	ver=$(jb .version)
	tag=$(api_header ETag)
	is "$tag" "\"$ver\"" "GET $prefix/$id: ETag is the quoted version"
	api GET "$prefix/$id" -H "If-None-Match: $tag"
	is "$API_STATUS" 304 "GET $prefix/$id with If-None-Match: \"$ver\" -> 304"
	is "$(stat -c %s "$API_BODY_FILE")" 0 "... with no body"
}
check_object channel /v1/channels /v1/channels
check_object route /v1/routes /v1/routes
check_object case /v1/onboarding/cases /v1/onboarding/cases
check_object break /v1/recon/breaks /v1/recon/breaks
check_object limit /v1/limits /v1/limits

# --- an action changes the object, its ETag and the list's ------------------------
api GET /v1/channels
chan=$(jb '.data[] | select(.admin_state == "enabled") | .id' | head -n 1)
list_tag=$(api_header ETag)
api GET "/v1/channels/$chan"
ver=$(jb .version)
obj_tag=$(api_header ETag)

mutate "/v1/channels/$chan/actions" '{"action":"drain","reason":"etag test"}' "\"$ver\""
is "$API_STATUS" 200 "drain $chan"
newver=$(jb .channel.version)
cmp_ok "$newver" -gt "$ver" "the action raised the channel's version"

api GET "/v1/channels/$chan" -H "If-None-Match: $obj_tag"
is "$API_STATUS" 200 "the channel's old ETag no longer matches"
is "$(api_header ETag)" "\"$newver\"" "the new ETag is the new quoted version"
is "$(jb .admin_state)" draining "the channel is draining"

api GET /v1/channels -H "If-None-Match: $list_tag"
is "$API_STATUS" 200 "the channel list's old ETag no longer matches after the action"
isnt "$(api_header ETag)" "$list_tag" "... and the list has a new ETag"

done_testing
