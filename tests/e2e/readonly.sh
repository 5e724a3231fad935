#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Read-only refusal before anything opens (issue 15): with --read-only,
# every action key of every pane (w: the reroute editor, r: the resolve
# marks, c: the limit dialog, A: approve, ...) leaves the pane as it was,
# opens no editor, menu or dialog, and says why; with a token that lacks
# channels:write, d says which scope is missing.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0
e2e_config

# the pane's rows (the tab row down to the key hints), the ages that tick
# by the second masked and runs of blanks folded (an age that gains a
# digit, 59s to 1m0s, moves the padding beside it)
body() { tmux_screen | sed -n '2,36p' | sed -E 's/[0-9]+[dhms]([0-9]+[hms])?( ago)?/AGE/g; s/ +/ /g'; }
# wait until two captures 0.2 s apart agree (the first sync has landed)
_BODY=
_body_settled() {
	local b
	b=$(body)
	[ "$b" = "$_BODY" ] && return 0
	_BODY=$b
	return 1
}
settled_body() {
	_BODY=
	WAIT_STEP=0.2 wait_until 10 _body_settled
	printf '%s' "$_BODY"
}

# refuse PANE KEY NAME: KEY in pane PANE is refused with the reason, the
# rows as they were
refuse() {
	local pane=$1 key=$2 name=$3 before after
	tmux_keys "$pane"
	tmux_wait_for "\[$pane " 5
	tmux_keys Escape
	before=$(settled_body)
	tmux_keys "$key"
	tmux_wait_for "$name: unavailable in read-only mode; nothing opened or sent" 5
	ok $? "pane $pane: $key ($name) is refused with the reason"
	after=$(body)
	[ "$after" = "$before" ]
	ok $? "pane $pane: $key leaves the pane as it was" ||
		diag "$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$after"))"
	tmux_keys Escape
	tmux_keys 1 # somewhere else, so the next refusal is a new message
	tmux_wait_for "\[1 " 5
}

e2e_start --read-only
tmux_wait_for "READ-ONLY" 15
ok $? "--read-only: the status bar says READ-ONLY"
tmux_keys 2
tmux_wait_for "^ *\*? *[a-z]+\.[a-z]" 10
refuse 2 e enable
refuse 2 d disable
refuse 2 D drain
refuse 2 Q quarantine
refuse 2 R release
refuse 3 w reroute
refuse 4 A approve
refuse 4 X reject
refuse 4 B return
refuse 4 o assign
refuse 5 r resolve
refuse 5 o assign
refuse 6 c adjust
refuse 7 a ack
refuse 7 z silence
# and from the command line, with arguments
tmux_keys 2 :
tmux_type "quarantine nucc.quickpay"
tmux_keys Enter
tmux_wait_for "quarantine: unavailable in read-only mode; nothing opened or sent" 5
ok $? ":quarantine ID is refused the same way"
unlike "$(tmux_screen)" "Quarantine channel" "and no dialog opened"
tmux_keys q
tmux_wait_exit 10 >/dev/null
tmux_stop

export PAYOPS_E2E_TOKEN=$SIM_NOCHAN_TOKEN
e2e_start
tmux_wait_for "op\.nochan" 15
tmux_keys 2
tmux_wait_for "^ *\*? *[a-z]+\.[a-z]" 10
before=$(settled_body)
tmux_keys d
tmux_wait_for "disable: needs scope channels:write, which the token lacks" 5
ok $? "a token without channels:write: d names the missing scope"
is "$(body)" "$before" "and leaves the pane as it was"
tmux_keys q
tmux_wait_exit 10 >/dev/null
done_testing
