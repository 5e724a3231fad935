#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Home and End as terminals send them (issue 15): inside tmux, with
# TERM=xterm-256color (whose entry lists ESC OH / ESC OF) and
# screen-256color, Home and End as tmux sends them and the raw bytes other
# terminals send (ESC [1~, [4~, [7~, [8~, OH, OF, [H, [F) move to the first
# and last row in every pane, the same rows g and G reach, and never
# switch panes; a lone Esc still closes the filter prompt.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0
e2e_config

_cursor_not() { [ "$(e2e_cursor_line)" != "$1" ]; }
_pane_is() { e2e_line 2 | grep -qE -- "\[$1 "; }

# send KEYS... (tmux key names, or -H and hex bytes) and wait for the cursor
# on line WANT
press_to() { # WANT KEYS...
	local want=$1
	shift
	tmux_keys "$@"
	e2e_wait_cursor "$want" 3
}

check_term() { # TERM
	local t=$1 p top bottom base
	tmux_stop
	tmux_start env TERM="$t" "$PAYOPS" --config "$E2E_CONFIG"
	tmux_wait_for "\[2 " 15
	ok $? "$t: the console starts"
	for p in 1 2 3 4 5 6 7 8; do
		tmux_keys "$p"
		WAIT_STEP=0.1 wait_until 5 _pane_is "$p"
		ok $? "$t: pane $p is shown"
		# the first and last rows as g and G reach them
		tmux_keys g
		base=$(e2e_cursor_line)
		tmux_keys G
		WAIT_STEP=0.1 wait_until 1 _cursor_not "$base"
		bottom=$(e2e_cursor_line)
		tmux_keys g
		e2e_wait_cursor "$base" 3
		top=$(e2e_cursor_line)
		press_to "$bottom" End
		ok $? "$t pane $p: End (as tmux sends it) reaches the last row (line $bottom)"
		press_to "$top" Home
		ok $? "$t pane $p: Home reaches the first row (line $top)"
		_pane_is "$p"
		ok $? "$t pane $p: Home and End did not switch panes"
		press_to "$bottom" -H 1b 5b 34 7e
		ok $? "$t pane $p: ESC [4~ is End"
		press_to "$top" -H 1b 5b 31 7e
		ok $? "$t pane $p: ESC [1~ is Home"
		press_to "$bottom" -H 1b 5b 38 7e
		ok $? "$t pane $p: ESC [8~ is End"
		press_to "$top" -H 1b 5b 37 7e
		ok $? "$t pane $p: ESC [7~ is Home"
		press_to "$bottom" -H 1b 4f 46
		ok $? "$t pane $p: ESC OF is End"
		press_to "$top" -H 1b 4f 48
		ok $? "$t pane $p: ESC OH is Home"
		press_to "$bottom" -H 1b 5b 46
		ok $? "$t pane $p: ESC [F is End"
		press_to "$top" -H 1b 5b 48
		ok $? "$t pane $p: ESC [H is Home"
		press_to "$bottom" -H 1b 5b 31 3b 35 46
		ok $? "$t pane $p: ESC [1;5F (Ctrl-End) is End"
		_pane_is "$p"
		ok $? "$t pane $p: still pane $p after every sequence"
	done
	# F1 as the linux console and xterm send it opens the help; Esc closes it
	tmux_keys 2
	WAIT_STEP=0.1 wait_until 5 _pane_is 2
	tmux_keys -H 1b 5b 5b 41
	tmux_wait_for "Esc close help" 5
	ok $? "$t: ESC [[A (F1 on the linux console) opens the help"
	tmux_keys Escape
	tmux_wait_for "\[2 " 5
	tmux_keys /
	tmux_wait_for "^/" 3
	tmux_keys Escape
	tmux_wait_gone "^/" 3
	ok $? "$t: a lone Esc still closes the filter prompt"
	_pane_is 2
	ok $? "$t: and leaves the pane as it was"
}

check_term xterm-256color
check_term screen-256color
done_testing
