#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# What the console says by itself: one bell and one notice per new critical
# alert (not per poll), :sites with each site's state and data age, the
# failover notice, and the share column with one decimal.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --sites 2 --approval-share 0.05
api GET '/v1/channels?limit=500'
big=$(jb '[.data[] | select(.admin_state == "enabled")] | sort_by(-.traffic_share) | .[0].id')
target=$(jb '[.data[] | select(.network == "bank_direct" and .health == "healthy")][0].id')
[ -n "$target" ] && [ "$target" != null ] || bail_out "no healthy bank_direct channel"

{
	printf 'sites:\n'
	printf '  - name: %s\n    url: %s\n' "${SIM_SITE_NAMES[0]:-sh-a}" "${SIM_SITE_URLS[0]}"
	printf '  - name: %s\n    url: %s\n' "${SIM_SITE_NAMES[1]:-sh-b}" "${SIM_SITE_URLS[1]}"
	# lists resynced beside the stream every two seconds: polls to count
	printf 'token_env: PAYOPS_E2E_TOKEN\npoll_interval: 1s\nslow_poll_interval: 2s\nresync_interval: 2s\nstale_after: 3s\n'
} >"$E2E_CONFIG"
export PAYOPS_E2E_TOKEN=$SIM_TOKEN
site_a=${SIM_SITE_NAMES[0]:-sh-a}
site_b=${SIM_SITE_NAMES[1]:-sh-b}
e2e_start
tmux_wait_for "$site_a: up" 15
ok $? "the console connects to the first site"
tmux_wait_for "alerts: [0-9]+ critical" 5

like "$(tmux_screen)" " [0-9]+\.[0-9]% " "the share column has one decimal"

# A new critical alert: one bell, one notice, however many polls follow.
bytes=$TEST_TMP/bell.bytes
: >"$bytes"
tmux_pipe_start "$bytes"
sim_scenario bank_outage "$target"
is "$API_STATUS" 200 "bank_outage on $target"
tmux_wait_for "NEW CRITICAL alert" 30
ok $? "the message line names the new critical alert"
# the window measured: four seconds at least, and until the console has
# read the alert list from the platform twice more
a0=$(e2e_answers '[0-9]+' alerts)
t0=$(_now_ms)
_alerts_read() { at_least_ms "$t0" 4000 && e2e_each_answered '[0-9]+' "$a0" 2 alerts; }
WAIT_STEP=0.2 wait_until 60 _alerts_read
ok $? "the alert list is polled twice more ($(since_ms "$t0") ms)"
tmux_pipe_stop
is "$(tr -cd '\007' <"$bytes" | wc -c)" 1 "the bell rang exactly once"
unlike "$(tmux_screen)" "error: NEW CRITICAL" "the alert is not called an error"
tmux_keys 7
tmux_wait_gone "NEW CRITICAL alert" 5
ok $? "opening the Alerts pane clears the notice"
tmux_keys 2

# An action the platform wants a second operator for: shown as pending.
tmux_keys Escape
tmux_keys :
tmux_type "quarantine $big"
tmux_keys Enter
tmux_wait_for "Quarantine channel" 5
tmux_type "hand over to the other bank"
tmux_keys Tab Tab
tmux_type "$big"
tmux_keys Tab y
tmux_wait_for "pending approval by a second operator" 10
ok $? "202: the message line says pending approval"
tmux_wait_for "^ *\*? *$big .* \?enabled" 5
ok $? "the pane marks the channel ? (pending), its state unchanged"
api GET "/v1/channels/$big"
is "$(jb .admin_state)" enabled "the platform has not quarantined it yet"

# :sites
tmux_keys :
tmux_type sites
tmux_keys Enter
tmux_wait_for "\*$site_a up, data [0-9]+s old; $site_b" 5
ok $? ":sites lists each site with its state and data age"

# The active site goes down: the console fails over and says so (the
# message line may be overwritten by later errors; :sites keeps it).
sim_post "/sim/sites/$site_a/down" '{}'
tmux_wait_for "$site_b: up" 20
ok $? "the console fails over to the second site"
tmux_keys :
tmux_type sites
tmux_keys Enter
tmux_wait_for "$site_a FAILING.*\*$site_b up" 10
ok $? ":sites shows the first site failing and the second active"
diag "$(tmux_screen | tail -1)"
sim_post "/sim/sites/$site_a/up" '{}'

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits"
done_testing
