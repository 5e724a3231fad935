#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Two sites of one platform: the console reads from the first, fails over
# to the second when it goes dark, and an action whose site died under it is
# retried on the other site with the same idempotency key: applied once,
# never a second time, never shown as the operator's own conflict.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --sites 2 --tick-ms 0
site0=$(sim_state '.sites[0].name'); site1=$(sim_state '.sites[1].name')
url0=${SIM_SITE_URLS[0]}; url1=${SIM_SITE_URLS[1]}
API_URL=$url1; export API_URL   # the control API and checks go through site 2

api GET '/v1/channels?limit=500'
A=$(jb '[.data[] | select(.admin_state == "enabled" and .traffic_share < 0.03 and .health == "healthy")] | sort_by(.id) | .[0].id')
[ -n "$A" ] && [ "$A" != null ] || bail_out "no small enabled channel"
diag "sites $site0=$url0 $site1=$url1, channel $A"

cat >"$E2E_CONFIG" <<YAML
sites:
  - name: $site0
    url: $url0
  - name: $site1
    url: $url1
token_env: PAYOPS_E2E_TOKEN
poll_interval: 1s
request_timeout: 3s
YAML
export PAYOPS_E2E_TOKEN=$SIM_TOKEN
e2e_start
tmux_wait_for "$site0: up" 15
ok $? "the console reads from the first site"
tmux_wait_for "\\+$site1 up" 10
ok $? "the status bar shows the other site's state too (+$site1 up)"

tmux_keys /
tmux_type "$A"
tmux_keys Enter
tmux_wait_for "^ *\*? *$A .*enabled" 5
ok $? "$A is shown enabled"
api GET "/v1/channels/$A"
v0=$(jb .version)

# the first site holds the request past the console's 3 s timeout and goes
# dark meanwhile; the retry must go to the other site with the same key
# (the stall holds on the first site only: a retry that reaches the second
# is answered at once, however slowly this machine reaches the next step)
sim_post /sim/faults "{\"stall_ms\": 6000, \"path_prefix\": \"/v1/channels/$A/actions\", \"site\": \"$site0\"}"
tmux_keys d
tmux_wait_for "Disable channel" 5
ok $? "d opens the disable dialog"
tmux_type "site sh-a maintenance drill"
tmux_keys Tab Tab y
# the request is in flight (~ beside the state) before the site goes dark
tmux_wait_for "^ *\*? *$A .*~enabled" 30
ok $? "the request is in flight (~enabled)"
sim_post "/sim/sites/$site0/down" '{}'
tmux_wait_for "$site1: up" 15
ok $? "reads fail over to $site1"
tmux_wait_for "\\+$site0 FAILING" 10
ok $? "the status bar says the first site is failing (+$site0 FAILING)"
sim_post /sim/faults '{"stall_ms": 0}'
tmux_wait_for "applied, now admin_state=disabled" 20
ok $? "the action is applied through the surviving site"
api GET "/v1/channels/$A"
is "$(jb .admin_state)" disabled "the platform shows $A disabled"
cmp_ok "$(jb .version)" -gt "$v0" "its version moved"

# the request id ends in the try number: a later try answered by site 2
wait_until 10 grep -qE "^$site1 POST /v1/channels/$A/actions [0-9]+ .*\.[2-9]\$" "$SIM_ERR"
ok $? "the retry went to $site1: $(grep " POST /v1/channels/$A/actions " "$SIM_ERR" | tr '\n' ';')"
keys=$("$PAYOPS" audit export --format jsonl 2>/dev/null |
	jq -r 'select(.action == "channel.disable") | .idempotency_key' | sort -u | wc -l)
is "$keys" 1 "intent and outcome carry one idempotency key (the retry reused it)"
outcomes=$("$PAYOPS" audit export --format jsonl 2>/dev/null |
	jq -r 'select(.action == "channel.disable" and .kind == "outcome") | .outcome' | tr '\n' ' ')
like "$outcomes" "applied" "the audit log records it applied: $outcomes"
unlike "$outcomes" "rejected" "... never rejected as a second, conflicting request"

tmux_keys q
rc=$(tmux_wait_exit 10)
is "$rc" 0 "q quits cleanly"
done_testing
