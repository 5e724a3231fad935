#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The console in the operators' language (issue 19): under
# LANG=zh_CN.UTF-8 the tab row, the Channels header and a confirmation
# dialog are in Chinese and aligned (each header word starts at the
# display column of its data, the dialog's right border in one column) at
# 80x24 and 140x45, with the effect statement and the Recon summary (a
# detail pane) Chinese and aligned; the same run under C.UTF-8 is English. Columns are
# counted in display columns (wc -L), never bytes: a Chinese character
# takes two.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	if [ "${PAYOPS_REQUIRE_TOOLS:-0}" = 1 ]; then
		printf '1..1\nnot ok 1 - the zh_CN.UTF-8 locale is generated (scripts/setup.sh setup_locale)\n'
		exit 1
	fi
	printf '1..0 # SKIP the zh_CN.UTF-8 locale is not generated (locale-gen)\n'
	exit 77
fi

sim_start_or_bail --tick-ms 0
api GET '/v1/channels?limit=500'
[ "$API_STATUS" = 200 ] || bail_out "GET /v1/channels -> $API_STATUS"
# the first channel in id order: the first row
first=$(jb -c '[.data[]] | sort_by(.id) | .[0]')
first_id=$(jq -r .id <<<"$first")
first_name=$(jq -r .name <<<"$first")
first_pre=$(jq -r ".name[0:2]" <<<"$first") # a name may be cut where narrow
first_net=$(jq -r .network <<<"$first")
diag "first channel: $first_id ($first_name, $first_net)"
e2e_config

# the display column (0-based) where LITERAL starts in LINE, -1 when absent
fcol() { # LINE LITERAL
	case "$1" in *"$2"*) ;; *) printf '%s' -1; return ;; esac
	printf '%s' "${1%%"$2"*}" | wc -L
}

# run_console LANG COLS LINES: start the console in tmux under LANG
run_console() {
	tmux_stop
	TMUX_COLS=$2 TMUX_LINES=$3
	tmux_start env LANG="$1" LC_ALL="$1" LANGUAGE= "$PAYOPS" --config "$E2E_CONFIG"
	tmux_wait_for "\\[2 " 15 || return 1
	# Channels opens worst system success rate first: id order puts the
	# first channel on the first row
	e2e_sort_id "$first_id" 15
}

# name_on_screen WORD: scroll the columns right (l) until the header shows
# WORD; at 80 columns the name is behind the others
name_on_screen() {
	local i
	for i in $(seq 12); do
		[[ $(e2e_line 3) == *"$1"* ]] && return 0
		tmux_keys l
		wait_until 2 _header_moved "$(e2e_line 3)"
	done
	[[ $(e2e_line 3) == *"$1"* ]]
}
_header_moved() { [ "$(e2e_line 3)" != "$1" ]; }

# check_zh COLS LINES
check_zh() {
	local c=$1 l=$2 where="zh_CN ${1}x$2"
	run_console zh_CN.UTF-8 "$c" "$l"
	ok $? "$where: the console starts and shows the first channel"
	tmux_wait_for "\[2 通道\]" 5
	ok $? "$where: the tab row marks 通道 active"
	local tabs
	tabs=$(e2e_line 2)
	like "$tabs" " 1 总览 " "$where: the tab row names 总览 (Overview)"
	unlike "$tabs" "Channels|Overview" "$where: no English tab name"
	[ "$(printf '%s' "$tabs" | wc -L)" -le "$c" ]
	ok $? "$where: the tab row fits in $c display columns"

	local head row hn rn
	name_on_screen "名称"
	head=$(e2e_line 3)
	row=$(e2e_row 1)
	like "$head" "名称" "$where: the Channels header says 名称 (Name)"
	unlike "$head" "Name|Network|Health" "$where: no English header word"
	hn=$(fcol "$head" "名称")
	rn=$(fcol "$row" "$first_pre")
	is "$hn" "$rn" "$where: 名称 starts at the display column of the name ($rn)"
	if [[ $head == *网络* ]]; then
		is "$(fcol "$head" "网络")" "$(fcol "$row" "$first_net")" \
			"$where: 网络 starts at the display column of the network"
	else
		pass "$where: 网络 is dropped at this width"
	fi
	[ "$(printf '%s' "$head" | wc -L)" -le "$c" ]
	ok $? "$where: the header fits in $c display columns"

	# a confirmation dialog: d (disable) on the first channel
	tmux_keys d
	tmux_wait_for "停用通道" 5
	ok $? "$where: d opens the dialog titled 停用通道 (Disable channel)"
	tmux_wait_for "原因:" 2
	ok $? "$where: the dialog asks 原因 (Reason)"
	like "$(tmux_screen)" "\[(>| )取消(<| )\]" "$where: the Cancel button reads 取消"
	# the effect statement, in Chinese around the ids and states
	like "$(tmux_screen)" "$first_id: [a-z_]+ -> disabled" "$where: the effect keeps the id and the states as sent"
	like "$(tmux_screen)" "承载 [0-9.]+% 的交易量" "$where: the effect statement says 承载 ... 的交易量 (carries ... of traffic)"
	unlike "$(tmux_screen)" "carries|of traffic" "$where: no English effect statement"
	# the dialog's box: on every line between its corners the left and the
	# right border sit at the display columns of the top corners
	local scr top bottom left right cols
	scr=$(tmux_screen)
	top=$(grep -n -m1 -F -- '+- 停用通道 -' <<<"$scr" | cut -d: -f1)
	if [ -z "$top" ]; then
		fail "$where: the dialog's borders line up"
		diag "$scr"
	else
		local tl
		tl=$(sed -n "${top}p" <<<"$scr")
		left=$(fcol "$tl" '+- 停用通道 -')
		right=$(($(printf '%s' "${tl%-+*}" | wc -L) + 1))
		bottom=$(tail -n +"$((top + 1))" <<<"$scr" | grep -n -m1 -E -- '\+-+\+' | cut -d: -f1)
		cols=$(sed -n "$((top + 1)),$((top + bottom - 1))p" <<<"$scr" |
			while IFS= read -r line; do
				printf '%s %s\n' "$(printf '%s' "${line%%|*}" | wc -L)" \
					"$(printf '%s' "${line%|*}" | wc -L)"
			done | sort -u)
		is "$cols" "$left $right" "$where: the dialog's borders line up (display columns $left and $right on its $((bottom - 1)) lines)"
	fi
	tmux_keys Escape
	tmux_wait_gone "停用通道" 5
	ok $? "$where: Esc closes the dialog"

	# a detail pane: the Recon summary, its words Chinese, its header
	# words at the display columns of their data
	tmux_keys 5
	tmux_wait_for "^对账 [0-9-]+（最新）：[0-9]+ 个通道" 15
	ok $? "$where: the Recon summary is in Chinese (对账 ... 个通道)"
	unlike "$(tmux_screen)" "Recon |net difference|Matched" "$where: no English word in the Recon pane"
	scr=$(tmux_screen)
	local hl hrow chid rest
	hl=$(grep -n -m1 -F '对账文件' <<<"$scr" | cut -d: -f1)
	if [ -z "$hl" ]; then
		fail "$where: the Recon summary header names 对账文件 (File)"
		fail "$where: the summary's columns line up"
		diag "$scr"
	else
		pass "$where: the Recon summary header names 对账文件 (File)"
		head=$(sed -n "${hl}p" <<<"$scr")
		hrow=$(sed -n "$((hl + 1))p" <<<"$scr")
		chid=$(awk '{ print ($1 == ">" ? $2 : $1) }' <<<"$hrow")
		rest=${hrow#*"$chid"}
		rest=${rest#"${rest%%[! ]*}"}
		is "$(fcol "$head" "通道") $(fcol "$head" "对账文件")" \
			"$(fcol "$hrow" "$chid") $(($(printf '%s' "$hrow" | wc -L) - $(printf '%s' "$rest" | wc -L)))" \
			"$where: 通道 and 对账文件 start at the display columns of the channel and its file state"
	fi
	[ "$(printf '%s' "$head" | wc -L)" -le "$c" ]
	ok $? "$where: the summary header fits in $c display columns"
	tmux_keys q
	is "$(tmux_wait_exit 10)" 0 "$where: q quits"
}

check_zh 80 24
check_zh 140 45

# The same run under C.UTF-8: English, and the same places.
run_console C.UTF-8 140 45
ok $? "C.UTF-8: the console starts"
tmux_wait_for "\[2 Channels\]" 5
ok $? "C.UTF-8: the tab row says Channels"
name_on_screen "Name"
head=$(e2e_line 3)
like "$head" "Name +Network" "C.UTF-8: the header is English"
unlike "$(tmux_screen)" "通道|名称|总览" "C.UTF-8: no Chinese console word"
is "$(fcol "$head" Name)" "$(fcol "$(e2e_row 1)" "$first_pre")" \
	"C.UTF-8: Name starts at the column of the name"
tmux_keys d
tmux_wait_for "Disable channel" 5
ok $? "C.UTF-8: d opens the Disable channel dialog"
like "$(tmux_screen)" "Reason:" "C.UTF-8: the dialog asks the Reason"
like "$(tmux_screen)" "carries [0-9.]+% of traffic" "C.UTF-8: the effect statement is English"
tmux_keys Escape
tmux_wait_gone "Disable channel" 5
tmux_keys 5
tmux_wait_for "^Recon [0-9-]+ \(latest\): [0-9]+ channels" 15
ok $? "C.UTF-8: the Recon summary is English"
like "$(tmux_screen)" "Channel +File +Matched" "C.UTF-8: the summary header is English"
tmux_keys q
is "$(tmux_wait_exit 10)" 0 "C.UTF-8: q quits"

done_testing
