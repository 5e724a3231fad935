#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Operator actions in a real terminal against payops-sim: quarantine through
# the dialog (typed id) -> the platform shows it and the weight moved, the
# pane shows it, two audit rows that verify, forwarded to a TCP collector;
# cancel -> nothing sent, nothing written; a 412 while the dialog is open ->
# what changed, asked again; reroute from the Routes pane; read-only and
# scope-less tokens refused with the reason; the console killed between
# intent and outcome -> the next start settles the intent from the platform.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

COLLECTOR=$top_builddir/tests/audit/audit-collector
AUDIT_DB=$XDG_STATE_HOME/payops/audit.db

sim_start_or_bail --tick-ms 0

# Targets: A the enabled channel with the largest share (more than 5%, so
# its id must be typed); B and C small enabled channels, D another; R a
# route group of eligible members that holds none of them.
api GET '/v1/channels?limit=500'
A=$(jb '[.data[] | select(.admin_state == "enabled")] | sort_by(-.traffic_share) | .[0].id')
read -r B C D <<<"$(jb '[.data[] | select(.admin_state == "enabled" and .traffic_share < 0.04 and (.interfaces | length) > 0)] | sort_by(.id) | .[0:3] | map(.id) | join(" ")')"
A_SHARE=$(jb --arg a "$A" '.data[] | select(.id == $a) | .traffic_share')
[ -n "$D" ] || bail_out "the simulated world lacks small enabled channels"
api GET '/v1/routes?limit=500'
R=$(jb --arg a "$A" --arg b "$B" --arg c "$C" --arg d "$D" '[.data[] |
	select(all(.members[]; .eligible) and (.members | length) >= 2 and
	       .members[0].weight_pct >= 5 and .members[1].weight_pct <= 95 and
	       all(.members[]; .channel_id != $a and .channel_id != $b and
		   .channel_id != $c and .channel_id != $d))][0].id')
[ -n "$R" ] && [ "$R" != null ] || bail_out "no route group to reroute"
diag "A=$A ($A_SHARE) B=$B C=$C D=$D R=$R"

audit_rows() {
	"$PAYOPS" audit export --format jsonl 2>/dev/null | wc -l
}
chan_field() { # ID JQ
	api GET "/v1/channels/$1"
	jb "$2"
}

# A collector for the forwarded rows.
PORTFILE=$TEST_TMP/collector.port
FRAMES=$TEST_TMP/collector.frames
: >"$FRAMES"
have_collector=0
if [ -x "$COLLECTOR" ]; then
	"$COLLECTOR" "$PORTFILE" "$FRAMES" 0 2>"$TEST_TMP/collector.err" &
	bg_track $!
	wait_until 10 test -s "$PORTFILE" && have_collector=1
fi
fwd=()
[ "$have_collector" = 1 ] && fwd=(audit: "  forward: tcp://127.0.0.1:$(cat "$PORTFILE")")

e2e_config 'poll_interval: 1s' "${fwd[@]}"
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
tmux_wait_for "op\.test" 5
ok $? "the operator from /v1/me is shown"

# ---- quarantine A through the dialog, typing its id ----
tmux_keys /
tmux_type "$A"
tmux_keys Enter
tmux_wait_for "^ *\*? *$A .*enabled" 5
ok $? "A ($A) is shown enabled"
tmux_keys Q
tmux_wait_for "Quarantine channel" 5
ok $? "Q opens the quarantine dialog"
like "$(tmux_screen)" "$A: enabled -> quarantined" "the dialog states the state now and after"
like "$(tmux_screen)" "carries [0-9.]+% of traffic, [0-9.]+ TPS" "the dialog states the share and TPS"
like "$(tmux_screen)" "route [^ ]+ loses" "the dialog says which route groups lose it"
like "$(tmux_screen)" "\[ Cancel \].*\[ Quarantine \(y\) \]" "Cancel first; the confirming key y, not Q"
like "$(tmux_screen)" "Type $A to confirm" "a share above 5% asks for the typed id"
# y on a button with the fields empty: refused, the reason is required
tmux_keys Tab Tab Tab y
tmux_wait_for "Reason is required" 5
ok $? "confirming without a reason is refused in the dialog"
v0=$(chan_field "$A" .version)
tmux_type "link flapping since 03:00"
tmux_keys Tab
tmux_type "INC-4711"
tmux_keys Tab
tmux_type "not-the-id"
tmux_keys Tab y
tmux_wait_for "does not match" 5
ok $? "a wrong typed id is refused"
is "$(chan_field "$A" .version)" "$v0" "nothing was sent for a wrong id"
# the refusal focuses the id field: clear it (C-u) and type the right one
tmux_keys C-u
tmux_type "$A"
tmux_keys Tab y
tmux_wait_for "applied, now admin_state=quarantined" 10
ok $? "the message line says applied"
is "$(chan_field "$A" .admin_state)" quarantined "the platform shows A quarantined"
api GET '/v1/routes?limit=500'
is "$(jb --arg a "$A" '[.data[] | .members[] | select(.channel_id == $a and .weight_pct > 0)] | length')" 0 \
	"A's weight moved off every route group"
is "$(jb --arg a "$A" '[.data[] | select(any(.members[]; .channel_id == $a)) | ([.members[].weight_pct] | add)] | unique | join(",")')" 100 \
	"the groups that held A still sum to 100"
tmux_wait_for "^ *\*? *$A .*QUARANT" 5
ok $? "the pane shows A quarantined"
is "$(audit_rows)" 2 "exactly two audit rows: intent and outcome"
"$PAYOPS" audit list >"$TEST_TMP/list1" 2>&1
like "$(cat "$TEST_TMP/list1")" "intent +channel.quarantine $A" "the intent row names the action and target"
like "$(cat "$TEST_TMP/list1")" "outcome channel.quarantine $A -> applied" "the outcome row says applied"
"$PAYOPS" audit verify >"$TEST_TMP/verify" 2>&1
is "$?" 0 "payops audit verify passes"
if [ "$have_collector" = 1 ]; then
	wait_until 10 grep -q 'seq="2"' "$FRAMES"
	ok $? "both rows were forwarded to the TCP collector"
	like "$(head -1 "$FRAMES")" "channel.quarantine" "the forwarded row is the quarantine"
else
	skip 2 "no audit-collector built"
fi

# The Audit pane lists the rows.
tmux_keys 8
tmux_wait_for "channel\.quarantine +$A .*applied" 5
ok $? "the Audit pane lists the outcome"
like "$(tmux_screen)" "link flapping since 03:00" "with the reason"
tmux_keys Enter
tmux_wait_for "^ticket +INC-4711" 5
ok $? "Enter shows the whole row, the ticket too"
like "$(tmux_screen)" "idempotency key +po-[0-9a-f]{32}" "and its idempotency key"
tmux_keys Escape 2

# ---- cancel: no request, no row (the id completed with Tab) ----
vb=$(chan_field "$B" .version)
tmux_keys :
tmux_type "disable ${B%?}"
tmux_keys Tab
tmux_wait_for "^:disable $B" 5
ok $? "Tab completes the channel id on the : line"
tmux_keys Enter
tmux_wait_for "Disable channel" 5
ok $? ":disable B opens the dialog"
tmux_type "only looking"
tmux_keys Escape
tmux_wait_for "cancelled: nothing was sent for $B" 5
ok $? "Esc cancels and says nothing was sent"
is "$(chan_field "$B" .version)" "$vb" "cancel: the channel's version is unchanged"
is "$(chan_field "$B" .admin_state)" enabled "cancel: B is still enabled"
is "$(audit_rows)" 2 "cancel: no audit row"

# ---- 412: another operator moves B while the dialog is open ----
tmux_keys :
tmux_type "disable $B"
tmux_keys Enter
tmux_wait_for "Disable channel" 5
ok $? "the dialog for B is open again"
mutate "/v1/channels/$B/actions" '{"action":"drain","reason":"the other operator"}' "$(quoted "$vb")"
is "$API_STATUS" 200 "meanwhile another operator drains B"
tmux_type "bank maintenance"
tmux_keys Tab Tab y
tmux_wait_for "CHANGED since you looked" 10
ok $? "the 412 reopens the dialog saying it changed"
like "$(tmux_screen)" "admin_state: enabled -> draining" "it shows what changed"
like "$(tmux_screen)" "$B: draining -> disabled" "and the effect from the new state"
is "$(chan_field "$B" .admin_state)" draining "nothing of ours was applied on the conflict"
tmux_keys Tab Tab y
tmux_wait_for "applied, now admin_state=disabled" 10
ok $? "confirmed again on the new state: applied"
is "$(chan_field "$B" .admin_state)" disabled "the platform shows B disabled"
"$PAYOPS" audit list >"$TEST_TMP/list2" 2>&1
like "$(cat "$TEST_TMP/list2")" "rejected 412|-> rejected version_conflict" "the conflict is in the log as rejected"

# ---- one interface of C ----
IF=$(chan_field "$C" '.interfaces[0].name')
tmux_keys :
tmux_type "disable $C $IF"
tmux_keys Enter
tmux_wait_for "Disable interface" 5
ok $? ":disable C IFACE opens the interface dialog"
tmux_type "switch off $IF only"
tmux_keys Tab Tab y
tmux_wait_for "channel.disable $C.*applied" 10
api GET "/v1/channels/$C"
is "$(jb --arg i "$IF" '.admin_state + " " + (.interfaces[] | select(.name == $i) | .admin_state)')" \
	"enabled disabled" "only the interface was disabled"

# ---- reroute from the Routes pane ----
api GET "/v1/routes/$R"
w0=$(jb '.members[0].weight_pct')
w1=$(jb '.members[1].weight_pct')
m0=$(jb '.members[0].channel_id')
m1=$(jb '.members[1].channel_id')
tmux_keys 3
tmux_keys /
tmux_type "$R"
tmux_keys Enter
tmux_wait_for "^ *$R .*$m0" 5
tmux_keys g w
tmux_wait_for "Reroute $R" 5
ok $? "w opens the reroute editor"
tmux_keys H
tmux_wait_for "sum to 95%" 5
ok $? "the editor validates before sending (sum 95%)"
tmux_keys Enter
tmux_wait_for "not sent: weights sum to 95%" 5
ok $? "Enter with a bad sum is refused with the reason"
tmux_keys j L
tmux_wait_for "ok: the weights sum to 100%" 5
ok $? "moving 5 to the next member makes it valid"
tmux_keys Enter
tmux_wait_for "\[ Reroute \(y\) \]" 5
ok $? "Enter opens the reroute dialog"
like "$(tmux_screen)" "$m0 +$w0% -> +$((w0 - 5))%" "the dialog shows the first member's change"
tmux_type "shift load off $m0"
tmux_keys Tab Tab
tmux_type "30m"
tmux_keys Tab y
tmux_wait_for "route.reweight $R: applied" 10
ok $? "the reroute is applied"
api GET "/v1/routes/$R"
is "$(jb '[.members[0].weight_pct, .members[1].weight_pct] | join(" ")')" "$((w0 - 5)) $((w1 + 5))" \
	"the platform shows the new weights"
isnt "$(jb '.override.expires_at')" null "with an expiry"

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits"
tmux_stop

# ---- read-only token ----
export PAYOPS_E2E_TOKEN=$SIM_RO_TOKEN
tmux_start "$PAYOPS" --config "$E2E_CONFIG"
tmux_wait_for "READ-ONLY" 15
ok $? "a token without write scopes: the status bar says READ-ONLY"
tmux_wait_for "^ *\*? *[a-z]" 5
tmux_keys d
tmux_wait_for "disable: unavailable in read-only mode: the token of op.viewer has no write scope" 5
ok $? "d is refused with the reason"
tmux_keys '?' C-f # the Actions, a page down
tmux_wait_for "quarantine .*\(unavailable: read-only mode" 5
ok $? "help greys the actions with the reason"
tmux_keys q q
tmux_wait_exit 10 >/dev/null
tmux_stop

# ---- a token lacking channels:write ----
export PAYOPS_E2E_TOKEN=$SIM_NOCHAN_TOKEN
tmux_start "$PAYOPS" --config "$E2E_CONFIG"
tmux_wait_for "op\.nochan" 15
tmux_keys :
tmux_type "drain $D"
tmux_keys Enter
tmux_wait_for "needs scope channels:write" 5
ok $? "without channels:write the action is refused, naming the scope"
is "$(chan_field "$D" .admin_state)" enabled "and nothing was sent"
tmux_keys q
tmux_wait_exit 10 >/dev/null
tmux_stop
export PAYOPS_E2E_TOKEN=$SIM_TOKEN

# ---- killed between intent and outcome ----
rows_before=$(audit_rows)
sim_faults "$(jq -nc --arg p "/v1/channels/$D/actions" '{stall_ms: 30000, path_prefix: $p}')"
tmux_start "$PAYOPS" --config "$E2E_CONFIG"
tmux_wait_for "sh-a: up" 15
tmux_keys :
tmux_type "drain $D"
tmux_keys Enter
tmux_wait_for "Drain channel" 5
tmux_type "drain before the cut-over"
tmux_keys Tab Tab y
tmux_wait_for "sending" 5
ok $? "the drain is being sent (the platform stalls)"
wait_until 10 test "$(audit_rows)" -gt "$rows_before"
ok $? "the intent row is written before the answer"
pane_pid=$(_tmux display-message -p -t e2e '#{pane_pid}')
console_pid=$(ps -o pid= --ppid "$pane_pid" | tr -d ' ' | head -1)
[ -n "$console_pid" ] && kill -KILL "$console_pid"
tmux_wait_exit 10 >/dev/null
is "$(audit_rows)" "$((rows_before + 1))" "killed: the intent has no outcome yet"
tmux_stop
sim_faults_clear
tmux_start "$PAYOPS" --config "$E2E_CONFIG"
tmux_wait_for "resolved 1 interrupted action from the last session: channel.drain $D" 20
ok $? "the next start resolves the interrupted action and says so"
wait_until 5 test "$(audit_rows)" -gt "$((rows_before + 1))"
"$PAYOPS" audit list >"$TEST_TMP/list3" 2>&1
# The stalled request never reached the state machine: the platform shows
# D still enabled, so the outcome says so (unknown while the key's 24 h
# could still land it); had it been applied, it would say applied.
like "$(cat "$TEST_TMP/list3")" "outcome channel.drain $D -> (applied|unknown|failed)" \
	"payops audit list shows the intent's outcome from the platform"
"$PAYOPS" audit export --format jsonl >"$TEST_TMP/export3"
like "$(jq -r --arg d "$D" 'select(.kind == "outcome" and .target == $d) | .state_after' "$TEST_TMP/export3")" \
	"admin_state=" "the outcome records the state the platform showed"
"$PAYOPS" audit verify >/dev/null 2>&1
is "$?" 0 "the chain still verifies"
tmux_keys q
tmux_wait_exit 10 >/dev/null

done_testing
