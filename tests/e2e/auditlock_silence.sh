#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Another process holds the audit log's write lock for 12 s while a silence
# is confirmed in the real console against a REAL Prometheus Alertmanager:
# every key keeps answering within 100 ms, the message line says the audit
# log is being written, and Alertmanager receives the silence only after the
# lock is released and the intent written (the silence's start and the
# intent both after the release). Held past the 30 s limit, an expiry is not
# sent, the operator is told why, and the log records it as not sent.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/lib/dblock.sh"
. "$top_srcdir/tests/lib/keyprobe.sh"
. "$top_srcdir/tests/lib/am.sh"

AM_BIN=${AM_BIN:-/usr/bin/prometheus-alertmanager}
if [ ! -x "$AM_BIN" ]; then
	echo "1..0 # SKIP $AM_BIN not installed"
	exit 0
fi
AUDIT_DB=$XDG_STATE_HOME/payops/audit.db
HOLD_S=12
LIMIT_S=30     # alerts/am_int.h AM_AUDIT_WAIT_MS
KEY_MAX_MS=100

am_start "$AM_BIN"
sim_start_or_bail --tick-ms 0

AM_NAME="LockedSilenceE2E$$"
alerts=$(jq -nc --arg n "$AM_NAME" '[{labels: {alertname: $n, channel_id: "cmbc.direct.payout",
	severity: "warning"}, annotations: {summary: "from the test"}}]')
code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
	--data-binary "$alerts" "$AM_URL/api/v2/alerts")
[ "$code" = 200 ] || bail_out "Alertmanager refused the test alert ($code)"
am_silences() { # the silences Alertmanager holds for the test alert
	curl -s "$AM_URL/api/v2/silences" |
		jq -c --arg n "$AM_NAME" '[.[] | select(any(.matchers[]; .name == "alertname" and .value == $n))]'
}
audit_json() { "$PAYOPS" audit export --format jsonl 2>/dev/null; }
before_rfc3339() { # 100 ms ago (see auditlock.sh)
	local ms=$(( $(date +%s%3N) - 100 ))
	date -u -d "@$((ms / 1000)).$(printf %03d $((ms % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ
}

e2e_config 'poll_interval: 1s' 'alertmanagers:' '  - name: am-test' "    url: $AM_URL"
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
[ -s "$AUDIT_DB" ] || bail_out "no audit log at $AUDIT_DB"

# Keys are measured on the Channels pane (a long list), as auditlock.sh does.
tmux_keys 2
tmux_wait_for '\[2 Channels\]' 5
tmux_keys j j j j j
keys_until $(($(_now_ms) + 2000))
diag "keys with the log free: $KEYS_N, at most $KEYS_MAX ms (${KEYS_ALL# })"
KEY_MAX_MS=$((KEY_MAX_MS * ${TEST_TIME_SCALE:-1} + KEYS_MAX))

tmux_keys 7
tmux_wait_for '\[7 Alerts\]' 5
tmux_keys /
tmux_type "$AM_NAME"
tmux_keys Enter
tmux_wait_for "warning +firing .*am-test .*alertname=$AM_NAME" 15
ok $? "the Alertmanager alert shows in the Alerts pane"

dblock_hold "$AUDIT_DB"
t_lock=$(_now_ms)
tmux_keys z
tmux_wait_for "Silence alert" 5
ok $? "z opens the silence dialog while another process holds the audit log"
tmux_type "bank maintenance, log locked by a backup"
tmux_keys Tab
tmux_type "2h"
tmux_keys Tab Tab y
tmux_wait_for "writing the audit log" 5
ok $? "the message line says the audit log is being written"
tmux_keys 2
keys_until $((t_lock + HOLD_S * 1000 - 500))
diag "keys while the log is locked: $KEYS_N, at most $KEYS_MAX ms (${KEYS_ALL# })"
cmp_ok "$KEYS_N" '>=' 10 "keys were pressed all through the hold ($KEYS_N)"
cmp_ok "$KEYS_MAX" '<' "$KEY_MAX_MS" "every key answered within $KEY_MAX_MS ms while the log was locked (at most $KEYS_MAX ms)"
is "$(am_silences | jq length)" 0 "after $HOLD_S s of lock Alertmanager holds no silence for the alert"
is "$(audit_json | jq -r 'select(.action == "alert.silence") | .kind' | wc -l)" 0 \
	"and the log holds nothing for it while locked"
t_release=$(before_rfc3339)
check "the other process releases the lock" dblock_release
tmux_wait_for "silence .* on am-test: applied" 15
ok $? "once the log is free the intent is written and the silence applied"
sil=$(am_silences)
is "$(jq length <<<"$sil")" 1 "Alertmanager holds exactly one silence for the alert"
intent_t=$(audit_json | jq -r 'select(.action == "alert.silence" and .kind == "intent") | .time')
check "the intent row is dated after the release ($intent_t >= $t_release)" \
	test "$intent_t" ">" "$t_release" -o "$intent_t" = "$t_release"
_both() {
	[ "$(audit_json | jq -r 'select(.action == "alert.silence") | .kind' | paste -sd,)" = intent,outcome ]
}
wait_until 5 _both
ok $? "the log holds the intent and its outcome"

# ---- held past the limit: the expiry is not sent, and said ----------------
SID=$(jq -r '.[0].id' <<<"$sil")
tmux_keys 7
tmux_wait_for '\[7 Alerts\]' 5
tmux_keys / C-u Enter
tmux_keys Z
tmux_wait_for "Alertmanager +Silence" 5
tmux_keys /
tmux_type "$SID"
tmux_keys Enter
tmux_wait_for "am-test +${SID:0:8}[^ ]* +active" 10
ok $? "the new silence is listed active"
dblock_hold "$AUDIT_DB"
t_lock=$(_now_ms)
tmux_keys x
tmux_wait_for "Expire silence" 5
ok $? "x opens the expire dialog while the log is locked again"
tmux_type "window over"
tmux_keys Tab Tab y
tmux_wait_for "writing the audit log" 5
ok $? "the message line says the audit log is being written"
tmux_wait_for "expire silence $SID on am-test: refused: not sent: the audit log stayed locked" \
	$((LIMIT_S + 10))
ok $? "after $LIMIT_S s the expiry is given up, and the message line says why"
waited=$((($(_now_ms) - t_lock) / 1000))
cmp_ok "$waited" '>=' "$LIMIT_S" "... not before the limit (${waited} s)"
is "$(curl -s "$AM_URL/api/v2/silence/$SID" | jq -r .status.state)" active \
	"Alertmanager never received the expiry: the silence is still active"
check "the other process releases the lock" dblock_release
_recorded() {
	[ "$(audit_json | jq -r 'select(.action == "alert.unsilence") | "\(.kind) \(.outcome) \(.code)"' |
		paste -sd,)" = "intent  ,outcome failed audit_log_busy" ]
}
wait_until 5 _recorded
ok $? "once free, the log records the expiry as not sent (intent, outcome failed audit_log_busy)"
"$PAYOPS" audit verify >/dev/null 2>&1
is "$?" 0 "the chain verifies"

tmux_keys q
is "$(tmux_wait_exit 15)" 0 "q quits with status 0"

done_testing
