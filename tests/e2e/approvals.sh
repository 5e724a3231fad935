#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Four eyes end to end: two consoles in tmux with two operators' tokens
# against one payops-sim. A (op.test) quarantines a busy channel and sees it
# pending; B (op.second) sees it waiting and approves it with a reason; the
# sim shows it quarantined, A's pane shows it approved and A's audit intent
# gets its final row; both logs verify. A cannot decide its own request
# (refused in the console, 403 from the API); a rejection, an expiry and a
# target that moved (the approval fails, nothing applied) follow their
# approvals into A's audit log.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0 --approval-share 0.01

# The busiest enabled channels (all held for approval); M has an enabled
# interface, to move it (an interface is not held) before it is approved.
api GET '/v1/channels?limit=500'
M=$(jb '[.data[] | select(.admin_state == "enabled" and .traffic_share > 0.01)
	| select([.interfaces[] | select(.admin_state == "enabled")] | length > 0)] | sort_by(.traffic_share) | .[0].id // empty')
M_IF=$(jb --arg m "$M" '.data[] | select(.id == $m) | [.interfaces[] | select(.admin_state == "enabled")][0].name')
read -r Q1 Q2 Q3 <<<"$(jb --arg m "$M" '[.data[] | select(.admin_state == "enabled" and .traffic_share > 0.01)
	| select(.id != $m)] | sort_by(-.traffic_share) | .[0:3] | map(.id) | join(" ")')"
[ -n "$Q3" ] && [ -n "$M" ] || bail_out "the simulated world lacks busy enabled channels"
diag "Q1=$Q1 Q2=$Q2 Q3=$Q3 M=$M ($M_IF)"

# Each console its own tmux server, state and cache; `use a|b` switches the
# tmux helpers and `payops audit` to it.
use() {
	TMUX_SOCK=payops-e2e-$$-$1
	TMUX_TMP=$TEST_TMP/tmux-$1
	mkdir -p "$TMUX_TMP"
	export XDG_STATE_HOME=$TEST_TMP/state-$1 XDG_CACHE_HOME=$TEST_TMP/cache-$1
}
stop_both() { use a; tmux_stop; use b; tmux_stop; }
# the EXIT trap of tmux.sh stops the server in use then: stop both
_apr_prev_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\\1/")
# shellcheck disable=SC2064
trap "_apr_rc=\$?; stop_both; (exit \$_apr_rc); $_apr_prev_trap" EXIT
e2e_config 'poll_interval: 1s'
use a
PAYOPS_E2E_TOKEN=$SIM_TOKEN e2e_start
use b
PAYOPS_E2E_TOKEN=$SIM_TOKEN2 e2e_start
tmux_wait_for "op\.second" 15
ok $? "B's console is up as $SIM_OPERATOR2"
use a
tmux_wait_for "op\.test" 15
ok $? "A's console is up as $SIM_OPERATOR"

apr_of() { # CHANNEL: the newest approval's id for it
	api GET '/v1/approvals?state=all&limit=500'
	jb --arg c "$1" '[.data[] | select(.target_id == $c)] | sort_by(.id) | last | .id // empty'
}
apr_field() { api GET "/v1/approvals/$1"; jb "$2"; }

# In an open dialog: REASON, the fields after it (FIELDS Tabs), the id
# typed out when the dialog asks for it, and y.
confirm_with() { # REASON ID FIELDS
	local typed=0
	tmux_screen | grep -q "Type $2 to confirm" && typed=1
	tmux_type "$1"
	for _ in $(seq "$3"); do tmux_keys Tab; done
	if [ "$typed" = 1 ]; then
		tmux_type "$2"
		tmux_keys Tab
	fi
	tmux_keys y
}

# quarantine CHANNEL REASON in console A, through the dialog
a_quarantine() {
	use a
	tmux_keys Escape Escape 2
	tmux_wait_for "\[2 Channels\]" 5 || diag "A is not on the Channels pane"
	tmux_keys /
	tmux_type "$1"
	tmux_keys Enter
	tmux_wait_for "^ *\*? *$1 .*enabled" 5 || diag "$1 not shown enabled in A"
	tmux_keys Q
	tmux_wait_for "Quarantine channel" 5 || diag "no quarantine dialog for $1"
	confirm_with "$2" "$1" 2
	tmux_wait_for "$1: pending approval by a second operator \(apr_[0-9]+\)" 10
}

# ---- A asks, B approves ----
a_quarantine "$Q1" "fraud spike on $Q1"
ok $? "A: the quarantine of $Q1 is held for a second operator"
APR1=$(apr_of "$Q1")
like "$APR1" '^apr_[0-9]{6}$' "the sim made an approval ($APR1)"
tmux_wait_for "^ *\*? *$Q1 .* \?enabled " 5
ok $? "A: the channel is marked pending (?)"
tmux_keys Escape 9
tmux_wait_for "pending +channel\.quarantine +$Q1 .*op\.test \(you\)" 10
ok $? "A's Approvals pane shows its own request pending, marked (you)"
tmux_keys A
tmux_wait_for "refused, nothing sent: you asked for it" 5
ok $? "A cannot approve its own request in the console (refused with the reason)"
like "$(tmux_screen)" "approve/reject unavailable: you asked for it" "... the pane says why the keys are unavailable"
v=$(apr_field "$APR1" .version)
API_TOKEN=$SIM_TOKEN mutate "/v1/approvals/$APR1/decision" '{"decision":"approve","reason":"me"}' "\"$v\""
is "$API_STATUS" 403 "... and the platform refuses it through the API (403)"
like "$API_BODY" self_approval_forbidden "... self_approval_forbidden"

use b
tmux_wait_for "1 awaiting approval" 10
ok $? "B's status bar counts the approval waiting for it"
tmux_keys 9
tmux_wait_for "pending +channel\.quarantine +$Q1 .*op\.test" 10
ok $? "B's Approvals pane shows it pending, asked by op.test"
like "$(tmux_screen)" "fraud spike on" "... with the reason"
tmux_keys Enter
tmux_wait_for "^effect +$Q1: enabled -> quarantined" 5
ok $? "B: Enter shows every field, the platform's effect too"
like "$(tmux_screen)" "requested_by +op\.test" "... and who asked"
tmux_keys Escape
tmux_keys A
tmux_wait_for "Approve change" 5
ok $? "B: A opens the approval dialog"
like "$(tmux_screen)" "the platform states: $Q1: enabled -> quarantined" "the dialog restates the platform's effect"
like "$(tmux_screen)" "from the current state:" "... and the effect from the current state"
like "$(tmux_screen)" "Type $Q1 to confirm" "... and, for a busy channel, its id typed out"
confirm_with "second pair of eyes: graphs agree" "$Q1" 1
tmux_wait_for "approval\.approve $APR1: applied" 10
ok $? "B: the approval is applied"
is "$(api GET "/v1/channels/$Q1" && jb .admin_state)" quarantined "the sim shows $Q1 quarantined"
is "$(apr_field "$APR1" '[.state, .decided_by] | join(" ")')" "approved op.second" "the sim's approval: approved by op.second"

use a
tmux_wait_for "approved +channel\.quarantine +$Q1 " 10
ok $? "A's pane shows it approved"
wait_until 10 sh -c "'$PAYOPS' audit list | grep -q 'outcome channel.quarantine $Q1 -> applied'"
ok $? "A's audit intent gets its final row: applied"
"$PAYOPS" audit export --format jsonl >"$TEST_TMP/a.jsonl"
is "$(jq -r --arg c "$Q1" 'select(.target == $c) | "\(.kind) \(.outcome) \(.code)"' "$TEST_TMP/a.jsonl" | paste -sd ,)" \
	"intent  ,outcome pending_approval $APR1,outcome applied approved" "A's log tells the story: intent, pending, applied"
like "$(jq -r --arg c "$Q1" 'select(.target == $c and .outcome == "applied") | .detail' "$TEST_TMP/a.jsonl")" \
	"applied by op\.second: second pair of eyes" "... applied by op.second, with the reason"
is "$(jq -r --arg c "$Q1" 'select(.target == $c and .kind == "outcome") | .intent_seq' "$TEST_TMP/a.jsonl" | sort -u | wc -l)" 1 \
	"... both outcomes linked to the one intent"
"$PAYOPS" audit verify >/dev/null 2>&1
is "$?" 0 "A's audit log verifies"
use b
"$PAYOPS" audit export --format jsonl >"$TEST_TMP/b.jsonl"
is "$(jq -r --arg a "$APR1" 'select(.target == $a) | "\(.kind) \(.action) \(.outcome)"' "$TEST_TMP/b.jsonl" | paste -sd ,)" \
	"intent approval.approve ,outcome approval.approve applied" "B's log: its own intent and outcome, approval.approve"
like "$(jq -r --arg a "$APR1" 'select(.target == $a and .kind == "intent") | .state_before' "$TEST_TMP/b.jsonl")" \
	"channel\.quarantine $Q1 requested by op\.test" "... naming the original target and who asked"
"$PAYOPS" audit verify >/dev/null 2>&1
is "$?" 0 "B's audit log verifies"

# ---- reject ----
a_quarantine "$Q2" "reject me"
ok $? "A: the quarantine of $Q2 is held"
APR2=$(apr_of "$Q2")
use b
tmux_keys Escape 9
tmux_wait_for "pending +channel\.quarantine +$Q2 " 10
ok $? "B sees $APR2 waiting"
tmux_keys g
tmux_keys X
tmux_wait_for "Reject change" 5
ok $? "B: X opens the rejection dialog"
confirm_with "not during the batch window" "$Q2" 1
tmux_wait_for "approval\.reject $APR2: applied" 10
ok $? "B: the rejection is recorded"
is "$(api GET "/v1/channels/$Q2" && jb .admin_state)" enabled "the sim left $Q2 enabled"
use a
wait_until 10 sh -c "'$PAYOPS' audit list | grep -q 'outcome channel.quarantine $Q2 -> rejected'"
ok $? "A's intent for $Q2 ends rejected"

# ---- a target that moved: the approval fails, nothing applied ----
a_quarantine "$M" "moved target"
ok $? "A: the quarantine of $M is held"
APR3=$(apr_of "$M")
v=$(api GET "/v1/channels/$M" && jb .version)
API_TOKEN=$SIM_TOKEN2 mutate "/v1/channels/$M/actions" \
	"$(jq -nc --arg i "$M_IF" '{action: "disable", interface: $i, reason: "moved meanwhile"}')" "\"$v\""
is "$API_STATUS" 200 "meanwhile $M's interface $M_IF is disabled (not held)"
use b
tmux_keys Escape 9
tmux_wait_for "pending +channel\.quarantine +$M " 10
tmux_keys g A
tmux_wait_for "Approve change" 5
ok $? "B opens the approval of the moved target"
confirm_with "approve anyway" "$M" 1
tmux_wait_for "not applied: " 10
ok $? "B is told it was not applied, and why"
is "$(apr_field "$APR3" .state)" failed "the sim's approval failed"
is "$(api GET "/v1/channels/$M" && jb .admin_state)" enabled "nothing was applied to $M"
use a
wait_until 10 sh -c "'$PAYOPS' audit list | grep -q 'outcome channel.quarantine $M -> failed'"
ok $? "A's intent for $M ends failed"

# ---- expiry ----
a_quarantine "$Q3" "let it expire"
ok $? "A: the quarantine of $Q3 is held"
sim_tick 901
use a
tmux_keys Escape 9
tmux_wait_for "expired +channel\.quarantine +$Q3 " 10
ok $? "A's pane shows it expired"
wait_until 10 sh -c "'$PAYOPS' audit list | grep -q 'outcome channel.quarantine $Q3 -> failed'"
ok $? "A's intent for $Q3 ends failed (expired)"
"$PAYOPS" audit verify >/dev/null 2>&1
is "$?" 0 "A's audit log still verifies"

stop_both

done_testing
