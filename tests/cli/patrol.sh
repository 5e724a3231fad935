#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops patrol against payops-sim: OK (0) on a calm world, CRITICAL (2)
# during a bank_outage naming the channel, UNKNOWN (3) with the platform
# down; -o json says the same.  The thresholds of payops.yaml: the queue
# allowances, a channel disabled for disabled_for, audit forwarding behind.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0
cp "$CLI_CFG" "$CLI_DIR/base.yaml"
# with_thresholds [FORWARD] < YAML: the configuration, audit.forward set to
# FORWARD, and a thresholds: block read from stdin
with_thresholds() {
	if [ -n "${1:-}" ]; then
		sed "s|^  db: .*|&\n  forward: $1|" "$CLI_DIR/base.yaml"
	else
		cat "$CLI_DIR/base.yaml"
	fi >"$CLI_CFG"
	printf 'thresholds:\n' >>"$CLI_CFG"
	sed 's/^/  /' >>"$CLI_CFG"
}
allow_yaml='limits_breached: 100000
limits_warning: 100000
cases_late: 100000
breaks_high: 100000'
# the queues of a seeded world are never empty: allow what it holds
allow=(--allow limits_breached=100000 --allow limits_warning=100000
	--allow cases_late=100000 --allow breaks_high=100000)

po patrol "${allow[@]}"
is "$PO_RC" 0 "a calm world: exit 0"
like "$PO_OUT" "PAYOPS OK - 0 problems" "... PAYOPS OK"

po patrol
is "$PO_RC" 2 "without allowances the breached limits are CRITICAL: exit 2"
like "$PO_OUT" "CRITICAL [0-9]+ limits breached" "... counted on one line"

with_thresholds <<<"$allow_yaml"
po patrol
is "$PO_RC" 0 "the allowances under thresholds: in payops.yaml: exit 0"
po patrol --allow limits_breached=0
is "$PO_RC" 2 "--allow overrides payops.yaml: exit 2"
like "$PO_OUT" "CRITICAL [0-9]+ limits breached" "... the breached limits counted again"
cp "$CLI_DIR/base.yaml" "$CLI_CFG"

sim_scenario bank_outage
target=$(jb -r .target)
sim_tick 5
po patrol "${allow[@]}"
is "$PO_RC" 2 "during bank_outage: exit 2"
like "$PO_OUT" "CRITICAL $target is down" "... naming $target"
po patrol "${allow[@]}" -o json
is "$PO_RC" 2 "-o json: exit 2 too"
is "$(jq -r .status <<<"$PO_OUT")" CRITICAL "... status CRITICAL"
is "$(jq -r --arg t "$target" '[.problems[] | select(.target == $t)] | length > 0' <<<"$PO_OUT")" true \
	"... a problem whose target is $target"

# A channel disabled through the platform's API: a warning once disabled_for
# has passed (never within the default hour).
api GET /v1/channels
channels=$API_BODY
off=$(jq -r --arg t "$target" '[.data[] | select(.admin_state == "enabled" and .id != $t
	and .traffic_share < 0.02)][0].id' <<<"$channels")
api GET "/v1/channels/$off"
mutate "/v1/channels/$off/actions" '{"action": "disable", "reason": "patrol test"}' \
	"$(quoted "$(jb .version)")"
is "$API_STATUS" 200 "the sim disables $off"
po patrol "${allow[@]}"
unlike "$PO_OUT" "$off: disabled" "with the default disabled_for (1h): $off not named"
with_thresholds <<<"disabled_for: 0s"
po patrol "${allow[@]}"
like "$PO_OUT" "WARNING $off: disabled for " "disabled_for: 0s: a warning naming $off"
is "$(jq -r --arg t "$off" '[.problems[] | select(.check == "disabled" and .target == $t)]
	| length' <<<"$("$PAYOPS" patrol "${allow[@]}" -o json -c "$CLI_CFG")")" 1 \
	"... -o json: one disabled problem for $off"

# Audit forwarding to a receiver that is not there: the rows of an action
# wait in the log.
dest=tcp://127.0.0.1:1
with_thresholds "$dest" <<<"$allow_yaml"
po patrol
unlike "$PO_OUT" "audit forwarding" "an empty audit log: forwarding not behind"
small=$(jq -r --arg t "$target" --arg o "$off" '[.data[] | select(.admin_state == "enabled"
	and .id != $t and .id != $o and .traffic_share < 0.02)][0].id' <<<"$channels")
po channel drain "$small" --reason "patrol test" --yes
is "$PO_RC" 0 "payops channel drain $small writes rows to the audit log"
po patrol
unlike "$PO_OUT" "audit forwarding" "a few rows behind, within the defaults: no warning"
with_thresholds "$dest" <<<"$allow_yaml
audit_forward_rows: 0"
po patrol
like "$PO_OUT" "WARNING audit forwarding to $dest: [0-9]+ rows behind" \
	"audit_forward_rows: 0: a warning naming the destination"
cp "$CLI_DIR/base.yaml" "$CLI_CFG"

po patrol --allow limit=1
is "$PO_RC" 3 "an unknown check: exit 3"
like "$PO_ERR" "did you mean 'limits_breached'" "... naming the nearest"

sim_stop >/dev/null
po patrol
is "$PO_RC" 3 "the platform down: exit 3 (UNKNOWN)"

done_testing
