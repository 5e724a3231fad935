#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The Alerts pane end to end, the real console in tmux against payops-sim
# and a REAL Prometheus Alertmanager (Debian's prometheus-alertmanager,
# started here on a free 127.0.0.1 port without clustering), both in the
# console's configuration:
#   - a bank-route outage triggered through the scenario API shows as a
#     critical alert within two seconds (measured);
#   - Enter on it jumps to its channel in the Channels pane;
#   - acknowledging it through the dialog reaches the platform (acked_by
#     the operator) and leaves an intent and an outcome in the audit log;
#   - alerts posted to Alertmanager with curl show with their source;
#   - a silence made through the dialog is what Alertmanager's own API
#     returns (createdBy the operator, comment the reason), the alert then
#     shows silenced; expiring it from the silences list expires it there;
#   - Alertmanager stopped: the message line says so.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

AM_BIN=${AM_BIN:-/usr/bin/prometheus-alertmanager}
if [ ! -x "$AM_BIN" ]; then
	echo "1..0 # SKIP $AM_BIN not installed"
	exit 0
fi
plan 38

# Tab through the open dialog until the hardware cursor (which follows the
# focus) is on a line matching ERE: a field's label, or "Cancel" for the
# buttons (the confirming key works on either button).
_cursor_left() { [ "$(e2e_cursor_pos)" != "$1" ]; }
focus_on() {
	local i from
	for i in 1 2 3 4 5 6 7; do
		e2e_line "$(e2e_cursor_line)" | grep -qE -- "$1" && return 0
		from=$(e2e_cursor_pos)
		tmux_keys Tab
		wait_until 5 _cursor_left "$from" # the focus moved
	done
	diag "the dialog's focus never reached /$1/: $(tmux_screen)"
	return 1
}

# ---- the Alertmanager (flags as in tests/alerts/alertmanager.sh) ----
. "$top_srcdir/tests/lib/am.sh"
am_start "$AM_BIN"

# ---- the platform ----
sim_start_or_bail
api GET '/v1/channels?limit=500'
target=$(jb '[.data[] | select(.network == "bank_direct" and .health == "healthy")][0].id')
[ -n "$target" ] && [ "$target" != null ] || bail_out "no healthy bank_direct channel"
diag "incident target: $target; alertmanager on port $AM_PORT"

e2e_config 'poll_interval: 1s' 'alertmanagers:' '  - name: am-test' "    url: $AM_URL"
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"

# The Alerts pane, kept on the target with the filter.
tmux_keys 7
tmux_wait_for '\[7 Alerts\]' 5
ok $? "7 shows the Alerts pane"
tmux_keys /
tmux_type "$target"
tmux_keys Enter

t0=$(_now_ms)
sim_scenario bank_outage "$target"
is "$API_STATUS" 200 "POST /sim/scenario bank_outage $target"
tmux_wait_for "!! critical +firing .*channel_id=$target" 30
ok $? "the outage shows as a critical firing alert"
shown=$(since_ms "$t0")
cmp_ok "$shown" -le "$(scaled 2)000" "... within two seconds ($shown ms; bound x$TEST_TIME_SCALE: wait.sh)"
like "$(tmux_screen)" "critical.*platform" "its source is the platform"

# Enter jumps to the channel.
tmux_keys Enter
tmux_wait_for '\[2 Channels\]' 5
ok $? "Enter on an alert with a channel_id switches to the Channels pane"
_sel_is_target() { e2e_line "$(e2e_cursor_line)" | grep -q -- "$target"; }
wait_until 5 _sel_is_target
ok $? "the channel $target is selected there" || diag "$(tmux_screen)"

# Acknowledge through the dialog.
tmux_keys 7
tmux_wait_for '\[7 Alerts\]' 5
tmux_keys a
tmux_wait_for "Acknowledge alert" 5
ok $? "a opens the acknowledgement dialog"
like "$(tmux_screen)" "acked_by -> $SIM_OPERATOR" "the dialog states the effect"
focus_on Cancel && tmux_keys y
tmux_wait_for "Reason is required" 3
ok $? "confirming without a reason is refused"
REASON_ACK="on it: bank called, e2e $$"
focus_on "Reason:"
tmux_type "$REASON_ACK"
focus_on Cancel && tmux_keys y
tmux_wait_for "ack .*applied" 10
ok $? "the message line says the ack was applied"
_acked() {
	api GET '/v1/alerts?state=all'
	[ "$(jb --arg c "$target" '[.data[] | select(.labels.channel_id == $c and .state == "firing")][0].acked_by')" = "$SIM_OPERATOR" ]
}
wait_until 5 _acked
ok $? "the platform's /v1/alerts shows acked_by $SIM_OPERATOR"
tmux_wait_for "firing .*$SIM_OPERATOR" 5
ok $? "the row shows who acknowledged it"
audit_out=$("$PAYOPS" audit list --action alert.ack 2>&1)
intents=$(grep -c "intent" <<<"$audit_out")
outcomes=$(grep -c "applied" <<<"$audit_out")
if [ "$intents" -ge 1 ] && [ "$outcomes" -ge 1 ] && grep -q -- "$SIM_OPERATOR" <<<"$audit_out"; then
	pass "payops audit list shows the alert.ack intent and its applied outcome"
else
	fail "payops audit list shows the alert.ack intent and its applied outcome"
	diag "$audit_out"
fi

# ---- Alertmanager's alerts ----
AM_NAME="RouteDownE2E$$"
alerts=$(jq -nc --arg n "$AM_NAME" '[{labels: {alertname: $n, channel_id: "cmbc.direct.payout",
	severity: "warning", team: "payments"}, annotations: {title: "民生银行 代付 不可用", summary: "from the test"}}]')
code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
	--data-binary "$alerts" "$AM_URL/api/v2/alerts")
is "$code" 200 "an alert posted to Alertmanager"
tmux_keys /
tmux_keys C-u
tmux_type "$AM_NAME"
tmux_keys Enter
tmux_wait_for "! warning +firing .*am-test .*alertname=$AM_NAME" 10
ok $? "it shows in the pane with its source am-test"

# Silence it through the dialog.
tmux_keys z
tmux_wait_for "Silence alert" 5
ok $? "z opens the silence dialog"
like "$(tmux_screen)" "alertname=\"$AM_NAME\"" "the dialog lists the matchers"
REASON_SIL="bank maintenance window, e2e $$"
focus_on "Reason:"
tmux_type "$REASON_SIL"
focus_on "Duration \\(e"
tmux_type "soon"
focus_on Cancel && tmux_keys y
tmux_wait_for "Duration: a number and a unit" 5
ok $? "a duration that does not parse is refused, the dialog stays"
focus_on "Duration \\(e"
tmux_keys C-u
tmux_type "30"
focus_on Cancel && tmux_keys y
tmux_wait_for "Duration: 30: give a unit, e.g. 30m" 5
ok $? "a bare number is refused with the unit to add"
focus_on "Duration \\(e"
tmux_keys C-u
tmux_type "2h"
focus_on Cancel && tmux_keys y
tmux_wait_for "silence .* on am-test: applied" 10
ok $? "the message line says the silence was applied"
sil=$(curl -s "$AM_URL/api/v2/silences")
got=$(jq -c --arg n "$AM_NAME" '[.[] | select(.status.state == "active" and any(.matchers[]; .name == "alertname" and .value == $n))][0] | {createdBy, comment}' <<<"$sil")
want=$(jq -cn --arg by "$SIM_OPERATOR" --arg c "$REASON_SIL" '{createdBy: $by, comment: $c}')
is "$got" "$want" "Alertmanager's own API returns the silence with the operator and the reason"
SID=$(jq -r --arg n "$AM_NAME" '[.[] | select(.status.state == "active" and any(.matchers[]; .name == "alertname" and .value == $n))][0].id' <<<"$sil")
dur=$(jq -r --arg id "$SID" '.[] | select(.id==$id) | ((.endsAt|sub("\\.[0-9]+";"")|fromdateiso8601) - (.startsAt|sub("\\.[0-9]+";"")|fromdateiso8601))' <<<"$sil")
dur=${dur%.*}
check "the silence lasts the two hours asked for (${dur}s)" test "${dur:-0}" -ge 7190 -a "${dur:-0}" -le 7200
tmux_wait_for "silenced .*alertname=$AM_NAME" 10
ok $? "the row shows the alert silenced"

# The detail names the silence muting it; grouping shows a header row.
tmux_keys i
tmux_wait_for "silenced by:" 5
ok $? "i opens the detail, which says what silences it"
like "$(tmux_screen)" "${SID:0:8}.* on am-test, by $SIM_OPERATOR" "the detail names the silence, its Alertmanager and who made it"
tmux_keys Escape
tmux_wait_gone "silenced by:" 5
tmux_keys b
tmux_wait_for "^- channel_id=cmbc\.direct\.payout +\(1 alert, 0 firing\)|^- channel_id=cmbc\.direct\.payout +\(1 alert, 1 firing\)" 5
ok $? "b groups by channel_id: a header row with the count"
tmux_keys b b b b
tmux_wait_gone "^- [a-z_]+=" 5
ok $? "four more b go back to no grouping"

# The silences list; expire it from there.
tmux_keys / C-u Enter
tmux_keys Z
tmux_wait_for "Alertmanager +Silence" 5
ok $? "Z lists the silences"
tmux_keys /
tmux_type "$SID"
tmux_keys Enter
tmux_wait_for "am-test +${SID:0:8}[^ ]* +active .* $SIM_OPERATOR +bank main" 5
ok $? "the new silence is listed active, with its id"
tmux_keys x
tmux_wait_for "Expire silence" 5
ok $? "x opens the expire dialog"
focus_on "Reason:"
tmux_type "window over, e2e $$"
focus_on Cancel && tmux_keys y
tmux_wait_for "expire silence $SID on am-test: applied" 10
ok $? "the message line says the silence was expired"
state=$(curl -s "$AM_URL/api/v2/silence/$SID" | jq -r .status.state)
is "$state" expired "Alertmanager's own API says the silence expired"

# Alertmanager gone: the message line says so, once.
kill "$AM_PID" 2>/dev/null
wait "$AM_PID" 2>/dev/null
tmux_wait_for "error: alertmanager am-test: .*(refused|connect)" 10
ok $? "Alertmanager stopped: the message line says what failed"

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits with status 0"

# Read-only: the keys say why and no dialog opens.
e2e_start --read-only
tmux_wait_for "sh-a: up" 15
tmux_keys 7
tmux_wait_for "!! critical +firing" 5
# Alertmanager is down since above: let its one message come first, so it
# cannot land on the message line after the key's answer
tmux_wait_for "alertmanager am-test: .*(refused|connect)" 10
tmux_keys a
tmux_wait_for "read-only" 5
ok $? "read-only: a says why it is unavailable"
unlike "$(tmux_screen)" "Acknowledge alert" "and opens no dialog"
tmux_keys q
tmux_wait_exit 10 >/dev/null

done_testing
