#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops approval approve|reject and payops get approvals against payops-sim
# with two operators: A's quarantine of a busy channel is held (202, exit 4);
# `payops get approvals` lists it; A deciding its own request is refused
# before anything is sent (exit 5); B approves with --yes: applied, the
# channel is quarantined, the audit log has approval.approve rows via cli and
# `payops audit verify` passes.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0 --approval-share 0.01
api GET /v1/channels
big=$(jb '[.data[] | select(.admin_state == "enabled")] | max_by(.traffic_share) | .id')
[ -n "$big" ] && [ "$big" != null ] || bail_out "no enabled channel"
decisions() { sim_requests "POST /v1/approvals/"; }

# A asks: held for approval.
po channel quarantine "$big" --reason "four eyes from a script" --yes
is "$PO_RC" 4 "A's quarantine of $big: exit 4 (pending approval)"
api GET '/v1/approvals?state=all&limit=500'
apr=$(jb --arg c "$big" '[.data[] | select(.target_id == $c)] | last | .id // empty')
ok "$([ -n "$apr" ] && echo 0 || echo 1)" "the platform holds an approval for it ($apr)"

po get approvals -o csv
is "$PO_RC" 0 "payops get approvals: exit 0"
like "$PO_OUT" "^id,state,kind," "... csv with the contract's field names"
like "$PO_OUT" "$apr,pending,channel.quarantine,channel,$big," "... listing A's pending request"
po get approvals -o json
is "$(jq -r --arg a "$apr" '.[] | select(.id == $a) | .requested_by' <<<"$PO_OUT")" \
	"$SIM_OPERATOR" "... json names who asked"

# A cannot decide its own request: refused here, nothing sent.
po approval approve "$apr" --reason "my own" --yes
is "$PO_RC" 5 "A approving its own request: exit 5 (refused)"
like "$PO_ERR" "a second operator must decide" "... saying why"
is "$(decisions)" 0 "... and no decision was sent"
api GET "/v1/channels/$big"
is "$(jb .admin_state)" enabled "... and the channel is still enabled"

# Without --reason: a usage error.
cli_token "$SIM_TOKEN2"
po approval approve "$apr" --yes
is "$PO_RC" 2 "B without --reason: exit 2"

# B approves.
po approval approve "$apr" --reason "checked the dashboards" --yes
is "$PO_RC" 0 "B approving with --yes: exit 0 (applied)"
like "$PO_OUT" "$apr: pending -> approve" "... after the effect statement"
api GET "/v1/channels/$big"
is "$(jb .admin_state)" quarantined "... the platform shows $big quarantined"
api GET "/v1/approvals/$apr"
is "$(jb .state)" approved "... and the approval approved"
is "$(jb .decided_by)" "$SIM_OPERATOR2" "... by B"
list=$("$PAYOPS" audit --db "$CLI_AUDIT" list 2>/dev/null)
like "$list" "approval\.approve" "the audit log has approval.approve rows"
n=$(grep -c "approval\.approve" <<<"$list")
is "$n" 2 "... an intent and an outcome"
last=$(grep -c . <<<"$list")
outcome=$("$PAYOPS" audit --db "$CLI_AUDIT" show "$last")
like "$outcome" "detail +via cli: " "the outcome row records via cli"
"$PAYOPS" audit --db "$CLI_AUDIT" verify >/dev/null
is "$?" 0 "payops audit verify passes"

# The shift report lists it, asked by A and decided by B.
po report shift --since 1h -o json
is "$(jq -r --arg a "$apr" '.approvals[] | select(.id == $a) | .decided_by' <<<"$PO_OUT")" \
	"$SIM_OPERATOR2" "payops report shift lists the approval decided by B"
po report shift --since 1h
like "$PO_OUT" "## Approvals asked or decided \(1\)" "... in a section of the markdown"

# Deciding it again: no longer pending.
po approval reject "$apr" --reason "late" --yes
is "$PO_RC" 5 "rejecting a decided approval: exit 5"

done_testing
