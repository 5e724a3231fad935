#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops get against payops-sim over HTTP: every kind in every format matches
# the platform's API (counts, ids, money to the fen), the panes' filters
# select what jq selects from the API, --cached reads the cache and says its
# age, and bad input is refused with the nearest valid word before any
# request.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0

# kind, API path
for pair in channels:/v1/channels routes:/v1/routes limits:/v1/limits \
	breaks:/v1/recon/breaks cases:/v1/onboarding/cases; do
	kind=${pair%%:*} path=${pair#*:}
	api_walk "$path?limit=200" "$TEST_TMP/$kind.api" || fail "walk $path: $WALK_ERR"
	want_ids=$(jq -r .id "$TEST_TMP/$kind.api" | sort)
	want_n=$(wc -l <"$TEST_TMP/$kind.api")

	po get "$kind" -o json
	is "$PO_RC" 0 "get $kind -o json exits 0"
	got_ids=$(jq -r '.[].id' <<<"$PO_OUT" | sort)
	is "$(jq length <<<"$PO_OUT")" "$want_n" "get $kind -o json: as many objects as the API ($want_n)"
	is "$got_ids" "$want_ids" "get $kind -o json: the same ids"

	po get "$kind" -o csv
	is "$PO_RC" 0 "get $kind -o csv exits 0"
	is "$(head -1 <<<"$PO_OUT" | cut -d, -f1)" "id" "get $kind -o csv: a header"
	got_ids=$(csv_col id <<<"$PO_OUT" | sort)
	is "$got_ids" "$want_ids" "get $kind -o csv: the same ids, one record each"

	po get "$kind"
	is "$PO_RC" 0 "get $kind (table) exits 0"
	is "$(($(wc -l <<<"$PO_OUT") - 1))" "$want_n" "get $kind (table): a header and one line per object"
done

# Money to the fen: the json keeps minor units, the csv too.
want=$(jq -s 'map(.difference_minor) | add' "$TEST_TMP/breaks.api")
po get breaks -o json
is "$(jq 'map(.difference_minor) | add' <<<"$PO_OUT")" "$want" "breaks json: summed difference_minor is the API's ($want)"
po get breaks -o csv
is "$(csv_col difference_minor <<<"$PO_OUT" | paste -sd+ | bc)" "$want" "breaks csv: summed difference_minor is the API's"
want=$(jq -s 'map(.used_minor) | add' "$TEST_TMP/limits.api")
po get limits -o csv
is "$(csv_col used_minor <<<"$PO_OUT" | paste -sd+ | bc)" "$want" "limits csv: summed used_minor is the API's ($want)"

# The panes' filter language.
want=$(jq -r 'select(.status == "open" and .severity == "high") | .id' "$TEST_TMP/breaks.api" | sort)
po get breaks st:open sev:high -o json
isnt "$want" "" "the world has open high-severity breaks to filter"
is "$(jq -r '.[].id' <<<"$PO_OUT" | sort)" "$want" "get breaks st:open sev:high: what jq selects from the API"
ch=$(jq -r .channel_id "$TEST_TMP/breaks.api" | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}')
want=$(jq -r --arg c "$ch" 'select(.channel_id == $c and (.difference_minor | fabs) >= 100000) | .id' "$TEST_TMP/breaks.api" | sort)
po get breaks "ch:$ch" min:1000 -o json
is "$(jq -r '.[].id' <<<"$PO_OUT" | sort)" "$want" "get breaks ch:$ch min:1000: what jq selects"
want=$(jq -r 'select(.state == "breached") | .id' "$TEST_TMP/limits.api" | sort)
po get limits state:breached -o json
is "$(jq -r '.[].id' <<<"$PO_OUT" | sort)" "$want" "get limits state:breached: what jq selects"
want=$(jq -r 'select(.network == "wallet") | .id' "$TEST_TMP/channels.api" | sort)
po get channels wallet -o json
is "$(jq -r '.[].id' <<<"$PO_OUT" | sort)" "$want" "get channels wallet: the text filter of the channel pane"
po get breaks --sort difference --limit 3 -o json
is "$(jq length <<<"$PO_OUT")" 3 "--limit 3: three rows"
want=$(jq -s -r 'sort_by(-(.difference_minor | fabs)) | .[0].id' "$TEST_TMP/breaks.api")
is "$(jq -r '.[0].id' <<<"$PO_OUT")" "$want" "--sort difference: the largest difference first"

# The table: aligned by display width (Chinese names are two columns wide).
po get channels
widths=$(tail -n +2 <<<"$PO_OUT" | while IFS= read -r l; do
	printf '%s' "${l%%  *}" >/dev/null
	pre=${l%%enabled*}
	[ "$pre" != "$l" ] && printf '%s\n' "$pre" | python3 -c 'import sys,unicodedata
s=sys.stdin.read().rstrip("\n"); print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s))'
done | sort -u)
is "$(wc -l <<<"$widths")" 1 "table: the admin_state column starts at one display column in every enabled row"

# --cached: with the platform gone, from the cache, marked with its age.
n=$(wc -l <"$TEST_TMP/channels.api")
sim_stop >/dev/null
po get channels
is "$PO_RC" 1 "get with the platform down exits 1"
like "$PO_ERR" "--cached" "... and offers --cached"
po get channels --cached -o json
is "$PO_RC" 0 "get --cached exits 0 with the platform down"
is "$(jq length <<<"$PO_OUT")" "$n" "get --cached: every cached channel"
like "$PO_ERR" "CACHED: channels as fetched [0-9]+[smh]" "get --cached says the cache's age on stderr"

# Bad input: one line naming the nearest valid word, exit 2, nothing read.
po get chanels
is "$PO_RC" 2 "an unknown kind exits 2"
is "$PO_ERR" "payops get: unknown kind 'chanels' (did you mean 'channels'?)" "... naming the nearest kind"
po get breaks stt:open
is "$PO_RC" 2 "an unknown filter key exits 2"
like "$PO_ERR" "did you mean 'st'" "... naming the nearest key"
po get breaks --sort diference
is "$PO_RC" 2 "an unknown sort key exits 2"
like "$PO_ERR" "did you mean 'difference'" "... naming the nearest sort"
po get breaks -o yaml
is "$PO_RC" 2 "an unknown format exits 2"

done_testing
