#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Resolved alerts (issue 15): a bank_outage that fires and resolves while
# the operator looks at another pane is in the Alerts pane afterwards,
# resolved, with how long it fired, below the firing ones; the filter
# state:resolved / state:firing picks by state; a resolved alert older
# than resolved_alerts (payops.yaml, default 1 h) is not listed.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0
target=ccb.direct.quickpay
# the world starts with one alert resolved four and a half hours ago
api GET '/v1/alerts?state=resolved&limit=500'
old_ch=$(jb '.data[0].labels.channel_id')
diag "an old resolved alert on $old_ch"
e2e_config 'poll_interval: 1s'
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
tmux_keys 7
tmux_wait_for '\[7 Alerts\]' 5
tmux_wait_for "firing" 10
unlike "$(tmux_screen)" "resolved" "an alert resolved 4h30m ago is not listed (default: 1 h)"

# the operator is on the Channels pane while it fires and resolves
tmux_keys 2
tmux_wait_for '\[2 Channels\]' 5
sim_scenario bank_outage "$target"
is "$API_STATUS" 200 "POST /sim/scenario bank_outage $target"
_fired() { api GET '/v1/alerts?state=firing&limit=500'; jb '.data[].labels.channel_id' | grep -qx "$target"; }
wait_until 10 _fired
ok $? "the sim fired the alert"
sim_tick 200
_resolved() { api GET '/v1/alerts?state=resolved&limit=500'; jb '.data[].labels.channel_id' | grep -qx "$target"; }
wait_until 10 _resolved
ok $? "and resolved it (the outage lasts 120 s)"
# a few polls while the operator still looks elsewhere
before=$(e2e_answers 200 alerts)
_polled() { e2e_each_answered '200|304' "$before" 2 alerts; }
wait_until 15 _polled
tmux_keys 7
tmux_wait_for "resolved 2m .*channel_id=$target" 10
ok $? "the Alerts pane shows it resolved, with its duration (2m)"
# below every firing one
last_firing=$(tmux_screen | grep -n ' firing ' | tail -n1 | cut -d: -f1)
first_resolved=$(tmux_screen | grep -n ' resolved ' | head -n1 | cut -d: -f1)
cmp_ok "${first_resolved:-0}" '>' "${last_firing:-0}" "resolved alerts are listed below the firing ones"

tmux_keys /
tmux_type "state:resolved"
tmux_keys Enter
tmux_wait_gone " firing " 5
ok $? "state:resolved hides the firing ones"
like "$(tmux_screen)" "resolved 2m .*$target" "and keeps the resolved one"
tmux_keys /
tmux_keys C-u
tmux_type "state:firing"
tmux_keys Enter
tmux_wait_gone "resolved 2m" 5
ok $? "state:firing hides it"
like "$(tmux_screen)" " firing " "and shows the firing ones"
tmux_keys q
tmux_wait_exit 10 >/dev/null
tmux_stop

# a longer window lists the old one too
e2e_config 'poll_interval: 1s' 'resolved_alerts: 6h'
e2e_start
tmux_wait_for "sh-a: up" 15
tmux_keys 7
tmux_wait_for "resolved 30m .*channel_id=$old_ch" 10
ok $? "resolved_alerts: 6h lists the alert resolved 4h30m ago, with its duration (30m)"
tmux_keys q
tmux_wait_exit 10 >/dev/null
done_testing
