#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops patrol against payops-sim: OK (0) on a calm world, CRITICAL (2)
# during a bank_outage naming the channel, UNKNOWN (3) with the platform
# down; -o json says the same.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0
# the queues of a seeded world are never empty: allow what it holds
allow=(--allow limits_breached=100000 --allow limits_warning=100000
	--allow cases_late=100000 --allow breaks_high=100000)

po patrol "${allow[@]}"
is "$PO_RC" 0 "a calm world: exit 0"
like "$PO_OUT" "PAYOPS OK - 0 problems" "... PAYOPS OK"

po patrol
is "$PO_RC" 2 "without allowances the breached limits are CRITICAL: exit 2"
like "$PO_OUT" "CRITICAL [0-9]+ limits breached" "... counted on one line"

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

po patrol --allow limit=1
is "$PO_RC" 3 "an unknown check: exit 3"
like "$PO_ERR" "did you mean 'limits_breached'" "... naming the nearest"

sim_stop >/dev/null
po patrol
is "$PO_RC" 3 "the platform down: exit 3 (UNKNOWN)"

done_testing
