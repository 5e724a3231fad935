#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The console against a hostile platform (payops-sim --adversarial) in a
# real terminal: names full of escape sequences (title changes, clear
# screen, cursor moves, OSC 52 clipboard writes, 8-bit C1 controls), bidi
# overrides, 10,000-character names, zero-width and combining characters,
# numbers out of range, unknown enums, repeated ids and lists that change
# between pages. The console shows placeholders, the terminal's title and
# clipboard stay untouched, columns stay aligned, fields out of the
# contract show as "?", and nothing crashes.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

CELLS=$top_builddir/tests/tls/term-cells
[ -x "$CELLS" ] || bail_out "no $CELLS"

sim_start_or_bail --adversarial --tick-ms 500
api GET '/v1/channels?limit=500'
[ "$API_STATUS" = 200 ] || bail_out "GET /v1/channels -> $API_STATUS"
hostile=$(jb '[.data[] | select(.name | test("\u001b"))] | length')
cmp_ok "$hostile" '>' 5 "the adversarial sim sends names with escape sequences ($hostile channels)"
long=$(jb '[.data[] | select((.name | length) >= 10000)] | length')
cmp_ok "$long" '>' 0 "and 10,000-character names ($long)"
dups=$(jb '[.data[].id] | length - (unique | length)')
cmp_ok "$dups" '>' 0 "and the same id twice in one list"

# The terminal: a title of our own, the clipboard reachable from inside.
e2e_config 'poll_interval: 1s'
RAW=$TEST_TMP/raw.bytes
: >"$RAW"
tmux_start_held "$PAYOPS" --config "$E2E_CONFIG"
_tmux set-option -s set-clipboard on
_tmux select-pane -t e2e -T payops-e2e-title
tmux_pipe_start "$RAW"
title0=$(_tmux display-message -p -t e2e '#{pane_title}')
bufs0=$(_tmux list-buffers 2>/dev/null | wc -l)
is "$title0" payops-e2e-title "the pane has our title before the console starts"
tmux_release

tmux_wait_for "sh-a: up" 15
ok $? "the console connects to the hostile platform"
tmux_wait_for "␛" 10
ok $? "escape sequences show as the ESC control picture"
like "$(tmux_screen)" "�" "bidi overrides, zero-width and C1 controls show as U+FFFD"

title_same() { [ "$(_tmux display-message -p -t e2e '#{pane_title}')" = payops-e2e-title ]; }
clip_same() {
	[ "$(_tmux list-buffers 2>/dev/null | wc -l)" = "$bufs0" ] &&
		! _tmux show-buffer 2>/dev/null | grep -q HACKED
}
screen_clean() { ! tmux_screen | grep -qE 'HACKED|txt\.exe.*W{20}'; }

# Columns: the cell before the Network column is blank and a network (or
# an unknown value) starts in it, on every row, whatever the name held.
aligned() { # HEADER_WORD: prints the misaligned rows, returns non-zero if any
	local header col rows bad=0 line before at
	header=$(e2e_line 3)
	col=$(printf '%s\n' "$header" | awk -v w="$1" '{ print index($0, w) - 1 }')
	[ "$col" -gt 0 ] || { diag "no column '$1' in: $header"; return 1; }
	rows=$(tmux_screen | sed -n '4,36p' | grep -v '^ *$')
	[ -n "$rows" ] || { diag "no rows"; return 1; }
	while IFS= read -r line; do
		before=$(printf '%s\n' "$line" | "$CELLS" $((col - 1)) 1)
		at=$(printf '%s\n' "$line" | "$CELLS" "$col" 1)
		if [ "$before" != " " ] || [ "$at" = " " ] || [ -z "$at" ]; then
			diag "misaligned at cell $col: $line"
			bad=1
		fi
	done <<<"$rows"
	return $bad
}

# The window measured: two seconds at least, and until the hostile world
# has ticked four times and the console has woken four times to take in its
# events (a slow machine stretches the window instead of emptying it).
e2e_ticked_window 2000 4 4
ok $? "hostile data flows: four ticks of the world, four wake-ups of the console ($(since_ms "$E2E_T0") ms)"
ok "$(title_same; echo $?)" "the terminal title is untouched (OSC 0 / OSC 2)"
ok "$(clip_same; echo $?)" "the clipboard is untouched: no tmux buffer from OSC 52"
ok "$(screen_clean; echo $?)" "no escape payload (HACKED-...) reaches the screen"
aligned Network
ok $? "Channels: every row's Network column starts at the header's cell"
rows=$(tmux_screen | sed -n '4,36p' | grep -cv '^ *$')
cmp_ok "$rows" '>' 5 "Channels shows rows ($rows)"
# numbers out of range are kept, shown as "?" (tests/e2e/badfields.sh
# counts every object and reads the reasons); in id order, since the worst
# success rate first puts the channels whose rate is unknown last
tmux_keys : && tmux_type "sort id" && tmux_keys Enter g
tmux_wait_for "^ *[*]? *[a-z0-9.]+ .* \? " 10
ok $? "fields out of the contract show as ? in their rows, the rows kept"

# Wide names, long names: cut with an ellipsis inside their column.
like "$(tmux_screen | sed -n '4,36p')" "…" "overlong names are cut with an ellipsis"

# Navigate: every pane, a detail, a filter, a resize; the title and the
# clipboard stay ours all along.
tmux_keys 7
tmux_wait_for "^Severity +State +Title .*Source" 5
ok $? "the Alerts pane opens"
aligned Source
ok $? "Alerts: every row's Source column starts at the header's cell"
shown=0
for pane in 1 3 4 5 6 8 2; do
	tmux_keys "$pane"
	tmux_wait_for "\[$pane [A-Z][a-z]+\]" 30 && shown=$((shown + 1))
done
is "$shown" 7 "every pane shown in turn"
tmux_wait_for "\[2 Channels\]" 5
ok $? "... back on Channels"
tmux_keys Enter
tmux_wait_for "^network [a-z_]+ +link " 5
ok $? "the detail of a hostile channel opens"
# the key hints come after the detail in the frame: once they say so, the
# detail is drawn whole
tmux_wait_for "close detail" 30
ok "$(screen_clean; echo $?)" "the detail shows no escape payload either"
tmux_keys Escape
tmux_keys /
tmux_type "direct"
tmux_keys Enter
# the rows of channels without "direct" in them go (the message line
# saying so may already show something newer)
tmux_wait_gone "^ *[*]? *(alipay|wechat|unionpay|nucc|cfs)[.]" 5
ok $? "a filter over hostile names works"
aligned Network
ok $? "filtered rows stay aligned"
tmux_keys Escape
e2e_resize 100 30 "detail" "$RAW"
e2e_resize 140 40 "quit" "$RAW"
aligned Network
ok $? "after a resize the rows stay aligned"
ok "$(title_same; echo $?)" "after all that the title is still ours"
ok "$(clip_same; echo $?)" "and the clipboard still empty"

# What went to the terminal, byte for byte: no payload, no bidi override.
tmux_pipe_stop
if grep -qa 'HACKED' "$RAW"; then fail "no escape payload was written to the terminal"; else pass "no escape payload was written to the terminal ($(stat -c %s "$RAW") bytes)"; fi
if grep -qaP '\xe2\x80\xae|\xc2\x9b|\xc2\x9d' "$RAW"; then fail "no bidi override or C1 control was written"; else pass "no bidi override or C1 control was written"; fi

# The checks can fail: the same sequences printed raw, in a window beside
# the console, change that pane's title and fill the clipboard.
_tmux new-window -d -t e2e -n ctl \
	"printf '\\033]2;HACKED-TITLE\\033\\\\\\033]52;c;SEFDS0VELUNMSVA=\\007'; sleep 30"
_ctl_title() { [ "$(_tmux display-message -p -t e2e:ctl '#{pane_title}')" = HACKED-TITLE ]; }
wait_until 5 _ctl_title
ok $? "control: the raw sequence does change a pane's title"
_ctl_clip() { _tmux show-buffer 2>/dev/null | grep -q HACKED-CLIP; }
wait_until 5 _ctl_clip
ok $? "control: the raw OSC 52 does fill tmux's clipboard"

[ ! -s "$TMUX_TMP/rc" ]
ok $? "the console is still running"
tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits with status 0"

done_testing
