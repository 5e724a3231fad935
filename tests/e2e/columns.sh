#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Every column reachable and every amount whole, at 80x24 and 140x45, in
# every table pane: each header is brought on screen with l, no money cell
# ends in an ellipsis; :sort, < and > sort as asked and the sort survives
# a restart.
: "${top_srcdir:?}" "${top_builddir:?}"
TMUX_COLS=80 TMUX_LINES=24
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0
e2e_config 'poll_interval: 1s'

# pane key, then its column titles
panes=(
	"2|ID|Health|Sys SR|p95|TPS|Breaker|Admin|Biz SR|Name|Network|Share|SR trend|p95 trend"
	"4|ID|Merchant|Category|Stage|Risk|Checks|Age|SLA|Assignee"
	"5|ID|Difference|Status|Age|Platform|Channel amt|Channel|Sev|Type|Merchant|Order no|Channel serial|Assignee"
	"6|ID|State|Used|Limit|Headroom|Used / limit|Resets in|Per|Scope|Of|Name"
	"7|Severity|State|Title|Source|Age|Acked by|Labels"
	"3|Route|Name|Strategy|Member channel|Health|Weight|Eligible|Override"
	"8|Time \\(UTC\\)|Operator|Action|Target|Outcome|Reason|Request id"
)

# The header line of the table: the line holding the pane's first title
# and its second.
header() { tmux_screen | grep -E -- "$1" | grep -E -- "$2" | head -n1; }

header_moved() { [ "$(header "^ *\*? *$first " ".")" != "$h" ]; }

# Money anywhere on screen: an amount followed directly by an ellipsis.
cut_money() { tmux_screen | grep -E '[¥$€£][0-9,.-]*…|[0-9],[0-9]*…'; }

for size in 80x24 140x45; do
	cols=${size%x*} lines=${size#*x}
	tmux_stop
	TMUX_COLS=$cols TMUX_LINES=$lines
	e2e_start
	tmux_wait_for "Channels" 15 || bail_out "no console at $size"
	for spec in "${panes[@]}"; do
		IFS='|' read -r key first rest <<<"$spec"
		IFS='|' read -r -a titles <<<"$rest"
		tmux_keys "$key"
		if ! tmux_wait_for "^ *\*? *$first +${titles[0]}" 10; then
			ok 1 "$size pane $key: the table shows ($first ${titles[0]})"
			diag "$(tmux_screen)"
			continue
		fi
		seen=()
		for step in $(seq 0 ${#titles[@]}); do
			h=$(header "^ *\*? *$first " ".")
			for i in "${!titles[@]}"; do
				grep -qE -- "(^| )${titles[$i]}( |[v^<>]|$)" <<<"$h" && seen[$i]=1
			done
			[ -z "$(cut_money)" ] || { diag "cut: $(cut_money)"; seen=(); break; }
			tmux_keys l
			# the next header (or the same when at the end)
			wait_until 2 header_moved || break
		done
		missing=
		for i in "${!titles[@]}"; do
			[ -n "${seen[$i]:-}" ] || missing+=" ${titles[$i]}"
		done
		is "$missing" "" "$size pane $key: every header reached with l, no amount cut" ||
			diag "$(tmux_screen)"
		# back to the first columns
		for _ in $(seq 0 ${#titles[@]}); do tmux_keys h; done
	done
done

# Sorting, at 140x45 in the Channels pane.
api GET '/v1/channels?limit=500'
[ "$API_STATUS" = 200 ] || bail_out "GET /v1/channels -> $API_STATUS"
worst=$(jb '[.data[] | select(.system_success_rate != null)]
	| sort_by(.system_success_rate, .id) | .[0].system_success_rate')
best=$(jb '[.data[] | select(.system_success_rate != null)]
	| sort_by(.system_success_rate) | .[-1].system_success_rate')
ids_with() { jb --argjson r "$1" '[.data[] | select(.system_success_rate == $r) | .id] | join(" ")'; }
first_row() { e2e_row 1 | e2e_first_word; }
hdr() { e2e_line 3; }
tmux_keys 2
tmux_wait_for "Sys SR\^" 5
ok $? "Channels sorts by system success rate, ascending, by default"
like " $(ids_with "$worst") " " $(first_row) " "the worst system success rate comes first"
tmux_keys :
tmux_type "sort sys_"
tmux_keys Tab
tmux_wait_for "sort sys_sr" 5
ok $? ":sort completes the column name with Tab"
tmux_type " desc"
tmux_keys Enter
tmux_wait_for "Sys SRv" 5
ok $? ":sort sys_sr desc marks the column descending"
tmux_keys g # the selection followed its channel down: back to the top
wait_until 5 eval '[[ " $(ids_with "$best") " == *" $(first_row) "* ]]'
ok $? "the best system success rate comes first"
tmux_keys '>'
tmux_wait_for "p95v" 5
ok $? "> moves the sort to the next column (p95)"
tmux_keys '<'
tmux_wait_for "Sys SRv" 5
ok $? "< moves it back"
tmux_keys :
tmux_type "sort nosuch"
tmux_keys Enter
tmux_wait_for "no column 'nosuch'" 5
ok $? ":sort with an unknown column says so and names the columns"
tmux_keys q
tmux_wait_exit 10 || diag "payops did not quit"
e2e_start
tmux_wait_for "Channels" 15
tmux_wait_for "Sys SRv" 10
ok $? "the sort survives a restart"
wait_until 5 eval '[[ " $(ids_with "$best") " == *" $(first_row) "* ]]'
ok $? "... and the rows come in that order"

# The mouse: an X10 press (ESC [ M, button, column, line, each plus 32) on
# a header sorts by that column; again reverses it; on a tab switches.
click() { # X Y (0-based)
	local cx cy
	cx=$(printf '%x' $(($1 + 33))) cy=$(printf '%x' $(($2 + 33)))
	tmux_keys -H 1b 5b 4d 20 "$cx" "$cy" 1b 5b 4d 23 "$cx" "$cy" # press, release
}
x=$(hdr | awk '{ print index($0, "TPS") - 1 }')
click "$x" 2
tmux_wait_for "TPS\^" 5
ok $? "a click on the TPS header sorts by it"
click "$x" 2
tmux_wait_for "TPSv" 5
ok $? "a second click reverses it"
x=$(e2e_line 2 | awk '{ print index($0, "3 Routes") - 1 }')
click "$x" 1
tmux_wait_for "\[3 Routes\]" 5
ok $? "a click on a tab shows that pane"

done_testing
