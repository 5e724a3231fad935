#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Lists: cursors over a large world, limits, filters, updated_since, and the
# shapes and enums of cases, breaks, summary, limits and alerts
# (platform-api.md, Conventions; Merchant onboarding; Reconciliation; Limits;
# Alerts).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --breaks 100000 --tick-ms 0
T=$TEST_TMP

# --- a cursor walk over 100,000 breaks ------------------------------------------------
nbreaks=$(sim_state .counts.breaks)
is "$nbreaks" 100000 "/sim/state counts 100000 breaks (--breaks 100000)"

api_walk '/v1/recon/breaks?limit=500' "$T/breaks" '{id, status, channel_id, recon_date, type, difference_minor}'
ok $? "walk /v1/recon/breaks?limit=500 to the end" || diag "$WALK_ERR"
cmp_ok "$WALK_BIGGEST" -le 500 "no page holds more than 500 ($WALK_BIGGEST)"
is "$WALK_LAST" null "the last page's next_cursor is null"
total=$(wc -l <"$T/breaks")
unique=$(jq -r .id "$T/breaks" | sort -u | wc -l)
is "$total" "$nbreaks" "the walk returned every break once: $total items for $nbreaks breaks ($WALK_PAGES pages)"
is "$unique" "$total" "no break appears twice"
cmp_ok "$WALK_PAGES" -ge 200 "the walk took at least 200 pages"

api GET '/v1/recon/breaks?limit=500'
page1=$(jb '[.data[].id] | join(",")')
conforms list "the breaks list is {data, next_cursor}"
conforms break "every break of the first page has the contract's shape and enums" '.data[]'
is "$(head -n 500 "$T/breaks" | jq -r .id | paste -sd, -)" "$page1" "the order is stable: page 1 again gives the same ids"

# --- limit bounds --------------------------------------------------------------------
api GET /v1/recon/breaks
is "$(jb '.data | length')" 100 "no limit gives 100 items"
like "$(jb .next_cursor)" '.' "... and a next_cursor"
api GET '/v1/recon/breaks?limit=1'
is "$(jb '.data | length')" 1 "limit=1 gives 1 item"
api GET '/v1/recon/breaks?limit=500'
is "$(jb '.data | length')" 500 "limit=500 gives 500 items"
for bad in 0 501 -1 abc; do
	api GET "/v1/recon/breaks?limit=$bad"
	is_problem 400 '*' "limit=$bad"
done
api GET '/v1/channels?limit=0'
is_problem 400 '*' "limit=0 on /v1/channels too"
api GET '/v1/recon/breaks?cursor=%21%21not-a-cursor%21%21'
is_problem 400 '*' "a cursor the server never gave"

# --- break filters -----------------------------------------------------------------------
# Expected counts come from the full walk (compact JSON lines, keys in the
# order of the walk's map, so fixed strings find them).
count_where() { grep -cF "$1" "$T/breaks"; }
for st in open investigating escalated resolved written_off; do
	want=$(count_where "\"status\":\"$st\"")
	if [ "$want" -gt 0 ] && [ "$want" -le 5000 ]; then
		api_walk "/v1/recon/breaks?limit=500&status=$st" "$T/f" '{id, status}'
		ok $? "walk status=$st" || diag "$WALK_ERR"
		is "$(wc -l <"$T/f") $(jq -c "select(.status != \"$st\")" "$T/f" | wc -l)" "$want 0" \
			"status=$st gives exactly the $want breaks with that status"
	else
		api GET "/v1/recon/breaks?limit=500&status=$st"
		is "$(jb "[.data[] | select(.status != \"$st\")] | length")" 0 "status=$st: the first page holds only $st ($want in all)"
		cmp_ok "$(jb '.data | length')" -eq "$([ "$want" -ge 500 ] && echo 500 || echo "$want")" "status=$st: the page is full"
	fi
done

ch=$(jq -r .channel_id "$T/breaks" | sort | uniq -c | sort -n | head -n 1 | awk '{print $2}')
want=$(count_where "\"channel_id\":\"$ch\"")
api_walk "/v1/recon/breaks?limit=500&channel_id=$ch" "$T/f" '{id, channel_id}'
ok $? "walk channel_id=$ch" || diag "$WALK_ERR"
is "$(wc -l <"$T/f") $(jq -c "select(.channel_id != \"$ch\")" "$T/f" | wc -l)" "$want 0" \
	"channel_id=$ch gives exactly its $want breaks"

day=$(jq -r .recon_date "$T/breaks" | sort | uniq -c | sort -n | tail -n 1 | awk '{print $2}')
api GET "/v1/recon/breaks?limit=500&recon_date=$day"
is "$(jb "[.data[] | select(.recon_date != \"$day\")] | length") $(jb '.data | length')" "0 500" \
	"recon_date=$day: a full page, all of that date"
want=$(count_where "\"channel_id\":\"$ch\",\"recon_date\":\"$day\"")
api_walk "/v1/recon/breaks?limit=500&channel_id=$ch&recon_date=$day" "$T/f" '{id, channel_id, recon_date}'
is "$(wc -l <"$T/f")" "$want" "channel_id and recon_date combine: $want breaks"
api GET "/v1/recon/breaks?recon_date=2026-13-45"
is_problem 400 '*' "recon_date=2026-13-45"

# --- recon summary -----------------------------------------------------------------
api GET "/v1/recon/summary?date=$day"
is "$API_STATUS" 200 "GET /v1/recon/summary?date=$day"
conforms summary "the summary has the contract's shape and file_status enum"
is "$(jb .date)" "$day" "the summary is for the date asked"
want=$(jq -sc --arg d "$day" '[.[] | select(.recon_date == $d)] | group_by(.channel_id)
	| map({key: .[0].channel_id, value: length}) | from_entries' "$T/breaks")
is "$(jb --argjson w "$want" '[.channels[] | select(.break_count != ($w[.channel_id] // 0))
	| "\(.channel_id): \(.break_count) != \($w[.channel_id] // 0)"] | join("; ")')" "" \
	"every summary break_count equals the breaks of that channel and date"
is "$(jb --argjson w "$want" '[$w | keys[]] - [.channels[].channel_id] | join(" ")')" "" \
	"every channel with breaks that day is in the summary"
api GET /v1/recon/summary?date=yesterday
is_problem 400 '*' "summary for date=yesterday"

# --- updated_since ------------------------------------------------------------------
api GET /v1/status
now=$(jb .server_time)
since=$(jq -rn --arg n "$now" '$n | sub("\\.[0-9]+"; "") | fromdateiso8601 - 1 | todate')
brk=$(jq -r 'select(.status == "open") | .id' "$T/breaks" | head -n 1)
api GET "/v1/recon/breaks/$brk"
mutate "/v1/recon/breaks/$brk/resolve" '{"action":"investigate","reason":"lists test"}' "\"$(jb .version)\""
is "$API_STATUS $(jb .status)" "200 investigating" "put break $brk under investigation"
api_walk "/v1/recon/breaks?limit=500&updated_since=$since" "$T/f" '{id, updated_at}'
ok $? "walk breaks?updated_since=$since" || diag "$WALK_ERR"
is "$(grep -c "\"$brk\"" "$T/f")" 1 "updated_since returns the break just changed"
is "$(jq -c --arg s "$since" 'select((.updated_at | sub("\\.[0-9]+"; "") | fromdateiso8601) < ($s | fromdateiso8601))' "$T/f" | wc -l)" 0 \
	"... and nothing updated before $since"
cmp_ok "$(wc -l <"$T/f")" -lt "$total" "... not the whole list"
api GET '/v1/recon/breaks?updated_since=2100-01-01T00:00:00Z'
is "$API_STATUS $(jb '.data | length')" "200 0" "updated_since in the future: an empty list"
api GET '/v1/channels?updated_since=1970-01-01T00:00:00Z&limit=500'
api_n=$(jb '.data | length')
api GET '/v1/channels?limit=500'
is "$api_n" "$(jb '.data | length')" "channels?updated_since=1970: every channel"
api GET '/v1/recon/breaks?updated_since=last-tuesday'
is_problem 400 '*' "updated_since=last-tuesday"

# --- onboarding cases -------------------------------------------------------------------
api_walk '/v1/onboarding/cases?limit=500' "$T/cases"
ok $? "walk /v1/onboarding/cases" || diag "$WALK_ERR"
is "$(wc -l <"$T/cases")" "$(sim_state .counts.cases)" "the walk returned as many cases as /sim/state counts"
is "$(jq -r .id "$T/cases" | sort -u | wc -l)" "$(wc -l <"$T/cases")" "no case twice"
CONFORMS_FILE=$T/cases conforms case "every case has the contract's shape and enums"
api GET /v1/onboarding/cases/no_such_case
is_problem 404 '*' "an unknown case"
for stage in submitted doc_check risk_check manual_review intent_confirm approved rejected returned; do
	want=$(jq -c "select(.stage == \"$stage\")" "$T/cases" | wc -l)
	api_walk "/v1/onboarding/cases?limit=500&stage=$stage" "$T/f" '{id, stage}'
	is "$(wc -l <"$T/f") $(jq -c "select(.stage != \"$stage\")" "$T/f" | wc -l)" "$want 0" \
		"stage=$stage gives exactly its $want cases"
done

# --- limits -------------------------------------------------------------------------------
api_walk '/v1/limits?limit=500' "$T/limits"
ok $? "walk /v1/limits" || diag "$WALK_ERR"
is "$(wc -l <"$T/limits")" "$(sim_state .counts.limits)" "the walk returned as many limits as /sim/state counts"
CONFORMS_FILE=$T/limits conforms limit "every limit has the contract's shape, enums and a state that fits used/limit"
is "$(jq -r .scope "$T/limits" | sort -u | paste -sd' ' -)" "channel merchant reserve" \
	"limits of all three scopes exist"
for f in scope:merchant scope:channel scope:reserve state:ok state:warning state:breached; do
	k=${f%%:*} v=${f#*:}
	want=$(jq -c "select(.$k == \"$v\")" "$T/limits" | wc -l)
	api_walk "/v1/limits?limit=500&$k=$v" "$T/f" "{id, $k}"
	is "$(wc -l <"$T/f") $(jq -c "select(.$k != \"$v\")" "$T/f" | wc -l)" "$want 0" \
		"$k=$v gives exactly its $want limits"
done

# --- alerts ---------------------------------------------------------------------------------
for st in all firing resolved; do
	api_walk "/v1/alerts?state=$st&limit=500" "$T/alerts-$st"
	ok $? "walk /v1/alerts?state=$st" || diag "$WALK_ERR"
done
CONFORMS_FILE=$T/alerts-all conforms alert "every alert has the contract's shape and enums"
is "$(jq -c 'select(.state != "firing")' "$T/alerts-firing" | wc -l)" 0 "state=firing gives only firing alerts"
is "$(jq -c 'select(.state != "resolved")' "$T/alerts-resolved" | wc -l)" 0 "state=resolved gives only resolved alerts"
is "$(wc -l <"$T/alerts-all")" "$(($(wc -l <"$T/alerts-firing") + $(wc -l <"$T/alerts-resolved")))" \
	"state=all is firing plus resolved"
is "$(wc -l <"$T/alerts-all")" "$(sim_state .counts.alerts)" "as many alerts as /sim/state counts"

# --- channels and routes: list entries equal the objects ---------------------------------------
api GET '/v1/channels?limit=500'
conforms channel "every channel has the contract's shape and enums" '.data[]'
is "$(jb '.data | length')" "$(sim_state .counts.channels)" "as many channels as /sim/state counts"
first=$(jb -c '.data[0]')
api GET "/v1/channels/$(jq -r .id <<<"$first")"
is "$(jq -cS . "$API_BODY_FILE")" "$(jq -cS . <<<"$first")" "GET /v1/channels/{id} equals its list entry"
api GET '/v1/routes?limit=500'
conforms route "every route has the contract's shape and enums" '.data[]'
is "$(jb '.data | length')" "$(sim_state .counts.routes)" "as many routes as /sim/state counts"
is "$(jb --slurpfile c <(curl -s -H "Authorization: Bearer $SIM_TOKEN" "$SIM_URL/v1/channels?limit=500") \
	'[.data[].members[].channel_id] - [$c[0].data[].id] | unique | join(" ")')" "" \
	"every route member is a known channel"

done_testing
