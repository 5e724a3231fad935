#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The console in a real terminal (tmux, 140x40) against a frozen simulator:
# start-up shows the channels, filter and inverted filter, sort, the detail
# pane, the help from the key table, resize keeping the selection, the
# too-small message, and a plain terminal (vt100, NO_COLOR, C locale).
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0
api GET '/v1/channels?limit=500'
[ "$API_STATUS" = 200 ] || bail_out "GET /v1/channels -> $API_STATUS"
ids=$(jb '.data[].id' | sort)
n_ids=$(wc -l <<<"$ids")
first_id=$(head -n1 <<<"$ids")
last_id=$(tail -n1 <<<"$ids")
# A channel that shares its physical link with another one.
pair=$(jb '[.data[] | select(.link_id != null)] | group_by(.link_id)
	| map(select(length > 1)) | .[0] | "\(.[0].id) \(.[1].id)"')
main_id=${pair% *}
sib_id=${pair#* }
main_name=$(jb --arg id "$main_id" '.data[] | select(.id == $id) | .name')
diag "channels: $n_ids; $main_id shares its link with $sib_id"

# lists resynced beside the stream every two seconds: the idle window
# below counts them
e2e_config 'poll_interval: 1s' 'slow_poll_interval: 2s' 'resync_interval: 2s'
e2e_start
tmux_wait_for "$first_id" 15
ok $? "start-up shows the first channel id"
tmux_wait_for "$main_name" 5
ok $? "start-up shows the channel names (Chinese text)"
like "$(e2e_line 1)" "sh-a: up" "the status bar names the site and says it is up"
like "$(e2e_line 2)" "\[2 Channels\]" "the tab row marks Channels active"
# Channels opens on the worst success rate first: by id for what follows
e2e_sort_id "$first_id" 5
is "$(e2e_row 1 | e2e_first_word)" "$first_id" ":sort id: rows come in id order"
is "$(e2e_cursor_line)" 4 "the hardware cursor sits on the selected (first) row"

# Filter: a substring of one id narrows the rows; ! inverts it.
word=${main_id%%.*}
matching=$(grep -c -F -- "$word" <<<"$ids")
tmux_keys /
tmux_type "${word^^}"
tmux_keys Enter
tmux_wait_for "filter '${word^^}': $matching of $n_ids channels" 5
ok $? "the filter is case-insensitive and says how many rows match ($matching)"
other=$(grep -v -F -- "$word" <<<"$ids" | head -n1)
tmux_wait_gone "^ *\*? *$other " 3
ok $? "a channel that does not match is gone"
like "$(e2e_row 1)" "$word" "the first row matches"
tmux_keys /
tmux_keys C-u
tmux_type "!$word"
tmux_keys Enter
tmux_wait_for "filter '!$word': $((n_ids - matching)) of $n_ids" 5
ok $? "! inverts the filter"
unlike "$(tmux_screen | sed -n '4,36p')" "$main_id" "the inverted filter hides the matching channels"
tmux_keys Escape
tmux_wait_for "$first_id" 5
ok $? "Esc with nothing to close clears the filter"

# Sort: S reverses the id order (the selection stays on its channel, so g
# goes to the top).
header=$(e2e_line 3)
tmux_keys S g
tmux_wait_for "^ *\*? *$last_id " 5
ok $? "S sorts by id, descending: the last id comes first"
is "$(e2e_row 1 | e2e_first_word)" "$last_id" "the first row is the last id"
tmux_keys S g
tmux_wait_for "^ *\*? *$first_id " 5
ok $? "S again: ascending"
tmux_keys s
tmux_wait_for "Name +\\^" 5
ok $? "s moves the sort to the next column (Name), marked ^ in the header"
tmux_keys s s s s s s s s s s s s
# the header as it was, without the sort mark (ID's last cell)
tmux_wait_for "^$(printf '%s' "$header" | sed 's/\^/ /; s/[][\\.^$*+?(){}|]/\\&/g')\$" 5
ok $? "s past the last column goes back to the platform's order (no mark)"

# Detail: the channel, its interfaces, and its sibling on the same link.
tmux_keys /
tmux_type "$main_id"
tmux_keys Enter Enter
tmux_wait_for "^interfaces:" 5
ok $? "Enter opens the detail pane with the interfaces"
like "$(tmux_screen)" "same link [^ ]+:" "the detail names the physical link"
like "$(tmux_screen | sed -n '/same link/,$p')" "$sib_id" \
	"the detail lists the other channel on the same link"
tmux_keys Escape
tmux_wait_gone "^interfaces:" 5
ok $? "Esc closes the detail pane"
tmux_keys Escape
tmux_wait_for "$first_id" 5

# Help from the key table.
tmux_keys '?'
tmux_wait_for "move down one row" 5
ok $? "? shows the help rows from the key table"
like "$(tmux_screen)" "Navigation" "the help is grouped"
tmux_keys Escape
tmux_wait_gone "move down one row" 5
ok $? "Esc closes the help"

# The : command line switches panes, with Tab completion.
tmux_keys : r e Tab
tmux_wait_for "matches: .*recon.*refresh|matches: .*refresh.*recon" 5
ok $? ":re<Tab> lists the matching commands"
tmux_keys Escape
tmux_keys : r o u Tab Enter
tmux_wait_for "\[3 Routes\]" 5
ok $? ":rou<Tab> completes to routes and shows the Routes pane"
tmux_wait_for "eligible" 5
ok $? "the Routes pane shows the members' eligibility in words"
tmux_keys 2
tmux_wait_for "\[2 Channels\]" 5

# Resize keeps the selected channel; too small says so.
tmux_keys j j j j j
e2e_wait_cursor 9 5
ok $? "five j later the cursor is on the sixth row"
sel_line=$(e2e_cursor_line)
sel_id=$(e2e_line "$sel_line" | e2e_first_word)
tmux_resize 100 30
tmux_wait_for "Sys SR" 5
# A narrower table may cut the id with an ellipsis: compare the prefix.
_sel_kept() {
	local got
	got=$(e2e_line "$(e2e_cursor_line)" | e2e_first_word)
	got=${got%…}
	[ "${#got}" -ge 8 ] && [ "${sel_id#"$got"}" != "$sel_id" ]
}
wait_until 5 _sel_kept
ok $? "after a resize the cursor is still on $sel_id"
tmux_resize 70 20
tmux_wait_for "too small" 5
ok $? "below 80x24 the screen says it is too small"
tmux_resize 140 40
tmux_wait_for "Sys SR" 5
ok $? "back to a big window, the table returns"
is "$(e2e_line "$(e2e_cursor_line)" | e2e_first_word)" "$sel_id" "and the selection is kept"

# Idle against a frozen platform: once the last message has expired, not
# a byte reaches the terminal although the console keeps polling. The
# window measured: three seconds at least, and until the lists were polled
# (and answered 304) once more.
_msg_gone() { [ -z "$(e2e_line 40)" ]; }
wait_until 12 _msg_gone
ok $? "the last message expires by itself"
idle=$TEST_TMP/idle.bytes
: >"$idle"
tmux_pipe_start "$idle"
e2e_polled_window 3000 1 channels routes alerts
ok $? "the console keeps polling"
tmux_pipe_stop
is "$(stat -c %s "$idle")" 0 "idle, with nothing changing, the console writes zero bytes ($E2E_WINDOW)"

tmux_keys q
rc=$(tmux_wait_exit 10)
is "$rc" 0 "q quits with status 0"

# A plain terminal: vt100, no colour, a C locale (ASCII only); and a key
# remapped by the configuration (x quits).
e2e_config 'poll_interval: 1s' 'keys:' '  x: quit'
tmux_start env TERM=vt100 NO_COLOR=1 LC_ALL=C LANG=C "$PAYOPS" --config "$E2E_CONFIG"
tmux_wait_for "$first_id" 15
ok $? "vt100 + NO_COLOR + C locale: the channels show"
screen=$(tmux_screen)
nonascii=$(LC_ALL=C grep -c '[^ -~]' <<<"$screen")
is "$nonascii" 0 "in a C locale nothing but ASCII reaches the screen"
like "$screen" "(healthy|degraded|DOWN)" "health is still written in words"
tmux_keys x
rc=$(tmux_wait_exit 10)
is "$rc" 0 "x, bound to quit by the configuration, quits"

done_testing
