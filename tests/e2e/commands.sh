#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The command registry in a real terminal (tmux, 140x40) against a frozen
# simulator: `?` lists the modal keys under their mode and the `:`-only
# commands; a reroute-editor key remapped in payops.yaml (keys: {reroute:
# ...}) works there and nowhere else, and the key it replaced does
# nothing; `:` runs an action command (the quarantine dialog for the
# selected channel, or the one named), refuses arguments to a command
# that takes none, and a space typed after a completion is not doubled.
: "${top_srcdir:?}" "${top_builddir:?}"
TMUX_LINES=120 # the whole of `?` on one screen
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0

# R: a route group whose first member can take one more percent.
api GET '/v1/routes?limit=500'
R=$(jb '[.data[] | select((.members | length) >= 2 and .members[0].weight_pct < 100)][0].id')
[ -n "$R" ] && [ "$R" != null ] || bail_out "no route group with room to move"
W0=$(jb --arg r "$R" '.data[] | select(.id == $r) | .members[0].weight_pct')
M0=$(jb --arg r "$R" '.data[] | select(.id == $r) | .members[0].channel_id')
api GET '/v1/channels?limit=500'
first_id=$(jb '.data[].id' | sort | head -n1)
C=$(jb '[.data[] | select(.admin_state == "enabled")] | sort_by(.id) | .[-1].id')
diag "R=$R (member $M0 at $W0%) C=$C"

# n raises a weight in the editor; + no longer does; the normal table
# is left alone.
e2e_config 'poll_interval: 1s' 'keys:' '  reroute:' '    n: weight_up' \
	'    "+": none'
e2e_start
tmux_wait_for "$first_id" 15
ok $? "the console starts with a per-mode key table in its configuration"

# ---- ? ----
tmux_keys '?'
tmux_wait_for "move down one row" 5
ok $? "? opens the help"
tmux_wait_for "^Reroute editor" 5
ok $? "? has a heading for the reroute editor"
like "$(tmux_screen)" "
l, Right, n +weight_up +the member's weight up by 1" \
	"? lists the editor's remapped key under its mode"
like "$(tmux_screen | sed -n '/^Reroute editor/,$p')" "
Esc +cancel +leave, sending nothing" "and its other keys"
like "$(tmux_screen | sed -n '/^Resolve marks/,$p')" "
m +resolve_match +match the breaks" "? lists the resolve marks' keys under theirs"
like "$(tmux_screen | sed -n '/^Commands (type : and the name)/,$p')" \
	" +sites +each site's state" "? lists :sites, a command with no key, last"
like "$(tmux_screen)" "quarantine the channel .*\(:quarantine \[ID\]\)" \
	"? gives the : usage of a command that takes arguments"
like "$(tmux_screen)" "
7 +view_7 +the Alerts pane" "? names the panes"
tmux_keys Escape
tmux_wait_gone "move down one row|each site's state" 5
ok $? "Esc closes the help"

# ---- the remapped key in the reroute editor ----
tmux_keys 3
tmux_wait_for "\[3 Routes\]" 5
tmux_keys /
tmux_type "$R"
tmux_keys Enter
tmux_wait_for "^ *$R .*$M0" 5
ok $? "the Routes pane shows the group"
tmux_keys g w
tmux_wait_for "Reroute $R" 5
ok $? "w opens the reroute editor"
sel_re="^> +$M0 +$W0% +"
tmux_wait_for "$sel_re$W0%" 5
ok $? "the first member is selected at $W0%"
tmux_keys +
tmux_keys n
tmux_wait_for "$sel_re$((W0 + 1))%" 5
ok $? "n, bound to weight_up in the editor's table, raises the weight by 1"
unlike "$(tmux_screen)" "$sel_re$((W0 + 2))%" "+, unbound there, did nothing"
like "$(tmux_screen | tail -n 2 | head -n 1)" "l weight" \
	"the hints name the editor's key for the weight"
tmux_keys Escape
tmux_wait_for "reroute cancelled: nothing was sent" 5
ok $? "Esc leaves the editor, sending nothing"
api GET "/v1/routes/$R"
is "$(jb '.members[0].weight_pct')" "$W0" "the platform's weight did not move"

# ---- : runs the action commands ----
tmux_keys 2
tmux_wait_for "\[2 Channels\]" 5
# Channels opens worst success rate first: in id order the first is selected
e2e_sort_id "$first_id" 5
tmux_keys :
tmux_type "quarantine"
tmux_keys Enter
tmux_wait_for "Quarantine $first_id" 5
ok $? ":quarantine opens the quarantine dialog for the selected channel"
tmux_keys Escape
tmux_wait_gone "Quarantine $first_id" 5
ok $? "Esc (the dialog table's cancel) closes it"

tmux_keys :
tmux_type "quar"
tmux_keys Tab
tmux_type " $C"
tmux_wait_for "^:quarantine $C\$" 5
ok $? "a space typed after Tab's completion is not doubled"
tmux_keys Enter
tmux_wait_for "Quarantine $C" 5
ok $? ":quarantine ID opens the dialog for the channel named"
tmux_keys Escape
tmux_wait_gone "Quarantine $C" 5

tmux_keys :
tmux_type "top name"
tmux_keys Enter
tmux_wait_for "top takes no arguments" 5
ok $? "a command without arguments refuses some"
tmux_keys :
tmux_type "weight_up"
tmux_keys Enter
tmux_wait_for "weight_up: not available in this pane" 5
ok $? "an editor command outside the editor says so"
tmux_keys :
tmux_type "sites"
tmux_keys Enter
tmux_wait_for "sh-a up, data" 5
ok $? ":sites, a command with no key, runs"

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits"

done_testing
