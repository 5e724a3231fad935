#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# A dialog over rows with Chinese text keeps its border (issue 15): a
# double-width character of the row underneath never takes the border's
# column. At several widths (odd and even, so that a wide character
# straddles each edge on some row), the confirmation dialog over the
# Channels pane, whose names are Chinese, has its left and right border
# at the same display column (measured with wcwidth) on every row.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"
need python3 python3

sim_start_or_bail --tick-ms 0
e2e_config

# The screen on stdin; prints "ok" or what is displaced. The dialog is the
# box between the two "+---+" lines; each row between them must have "|"
# at the display columns of the top line's corners.
check_box() {
	python3 -c '
import re, sys, unicodedata
def w(ch):
    if unicodedata.combining(ch): return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
def cols(line):
    out, c = [], 0
    for ch in line:
        out.append((c, ch)); c += w(ch)
    return out
lines = sys.stdin.read().split("\n")
top = bot = None
box = re.compile(r"\+-[^+|]*-\+")
for i, l in enumerate(lines):
    if box.search(l):
        if top is None: top = i
        else: bot = i
if top is None or bot is None:
    print("no dialog box on screen"); sys.exit(1)
m = box.search(lines[top])
pre = lines[top][:m.start()]
left = sum(w(ch) for ch in pre)
right = left + sum(w(ch) for ch in m.group(0)) - 1
wide = 0
bad = []
for i in range(top + 1, bot):
    cs = cols(lines[i])
    at = {c: ch for c, ch in cs}
    if at.get(left) != "|" or at.get(right) != "|":
        bad.append("line %d: %r" % (i + 1, lines[i]))
    wide += any(w(ch) == 2 for c, ch in cs if c < left or c > right)
if bad:
    print("border displaced (corners at %d and %d):\n%s" % (left, right, "\n".join(bad))); sys.exit(1)
print("ok %d rows, %d with wide characters outside" % (bot - top - 1, wide))
'
}

for size in 80x24 81x24 140x45 141x45 97x30 120x40 121x40; do
	tmux_stop
	TMUX_COLS=${size%x*} TMUX_LINES=${size#*x}
	e2e_start
	tmux_wait_for "\[2 Channels\]" 15
	# where the name column is behind the higher-ranked ones, scroll to it
	for _ in $(seq 12); do
		WAIT_STEP=0.1 wait_until 2 _tmux_shows "银行" && break
		tmux_keys l
	done
	tmux_wait_for "银行" 10
	ok $? "$size: Chinese names on screen"
	tmux_keys j j
	tmux_keys d
	tmux_wait_for "Disable channel" 5
	ok $? "$size: the disable dialog opens"
	out=$(tmux_screen | check_box)
	ok $? "$size: the dialog's border is in one column on every row ($out)"
	[ $? = 0 ] || diag "$(tmux_screen)"
	tmux_keys Escape
	tmux_wait_gone "Disable channel" 5
	ok $? "$size: Esc closes the dialog"
	out=$(tmux_screen | grep -c '|' )
	tmux_keys Q
	tmux_wait_for "Quarantine channel" 5
	out=$(tmux_screen | check_box)
	ok $? "$size: the quarantine dialog's border too ($out)"
	tmux_keys Escape
done
done_testing
