#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The Channels detail pane keeps the channel it showed when the filter
# stops matching it (a quarantined channel filtered away, issue 15): the
# channel stays, with a note, never "no channel selected".
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0
e2e_config
target=nucc.quickpay
api GET '/v1/channels?limit=500'
other=$(jb "[.data[].id | select(. != \"$target\")] | sort | .[0]")
e2e_start
tmux_wait_for "$target" 15
tmux_keys /
tmux_type "$target"
tmux_keys Enter
tmux_wait_for "filter '$target': 1 of" 5
tmux_keys Enter
# the detail pane's own line, not the table row that also starts with the id
tmux_wait_for "network .* link .* admin .* health" 5
ok $? "Enter opens the detail of $target"
tmux_keys /
tmux_keys C-u
tmux_type "no-such-channel"
tmux_keys Enter
tmux_wait_for "filter 'no-such-channel': 0 of" 5
ok $? "a filter that matches nothing"
tmux_wait_for "no longer matches the filter" 5
ok $? "the detail pane says its channel is filtered away"
unlike "$(tmux_screen)" "no channel selected" "and keeps showing it, not 'no channel selected'"
like "$(tmux_screen)" "$target" "the channel $target is still in the detail pane"

# the same when Enter and the new filter come in one batch of keys, before
# any draw (a typist faster than the screen, or a slow build), for another
# channel than the one the pane showed before
tmux_keys Escape
tmux_keys /
tmux_keys C-u
tmux_type "$other"
tmux_keys Enter
tmux_wait_for "filter '$other': 1 of" 5
tmux_keys Enter / C-u n o - s u c h Enter
tmux_wait_for "filter 'no-such': 0 of" 5
ok $? "Enter and a filter that matches nothing, in one batch"
tmux_wait_for "no longer matches the filter" 5
ok $? "the detail pane still says its channel is filtered away"
like "$(tmux_screen)" "$other" "... and shows $other, not the channel before it"
tmux_keys q
tmux_wait_exit 10 >/dev/null
done_testing
