#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Another process holds the audit log's write lock (sqlite3 with BEGIN
# IMMEDIATE, as a second console on a shared jump host would) while an
# action is confirmed in the real console, in a real terminal, against
# payops-sim: every key keeps answering within 100 ms, the message line says
# the audit log is being written, and the request reaches the platform only
# after the lock is released and the intent written. Held past the 30 s
# limit, the action is not sent, the operator is told why, and the log
# records it as not sent once it is free.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/lib/dblock.sh"

AUDIT_DB=$XDG_STATE_HOME/payops/audit.db
HOLD_S=12      # the first hold, as in the report of the fault
LIMIT_S=30     # the console's wait for the log (actions.h ACT_AUDIT_WAIT_MS)
KEY_MAX_MS=100

sim_start_or_bail --tick-ms 0
api GET '/v1/channels?limit=500'
read -r D E <<<"$(jb '[.data[] | select(.admin_state == "enabled" and .traffic_share < 0.04)]
	| sort_by(.id) | .[0:2] | map(.id) | join(" ")')"
[ -n "$E" ] || bail_out "the simulated world lacks small enabled channels"
diag "D=$D E=$E"

posts() { # ID: the POSTs of actions on it the sim received
	grep -c "POST /v1/channels/$1/actions" "$SIM_ERR"
}
audit_json() { "$PAYOPS" audit export --format jsonl 2>/dev/null; }
now_rfc3339() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
# The same, 100 ms ago: a write attempt is stamped when it starts and waits
# up to 20 ms for the lock, so an intent written just after the release may
# carry a time a few ms before it (the retry interval bounds that).
before_rfc3339() {
	local ms=$(( $(date +%s%3N) - 100 ))
	date -u -d "@$((ms / 1000)).$(printf %03d $((ms % 1000)))" +%Y-%m-%dT%H:%M:%S.%3NZ
}

. "$top_srcdir/tests/lib/keyprobe.sh"

confirm() { # VERB ID TITLE
	tmux_keys :
	tmux_type "$1 $2"
	tmux_keys Enter
	tmux_wait_for "$3" 5 || return 1
	tmux_type "maintenance window, log locked by a backup"
	tmux_keys Tab Tab y
}

e2e_config 'poll_interval: 1s'
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
tmux_wait_for "^ *[*]? *$D " 10
[ -s "$AUDIT_DB" ] || bail_out "no audit log at $AUDIT_DB"
tmux_keys j j j j j # the selection away from the edges: j and k both move it
keys_until $(($(_now_ms) + 2000))
diag "keys with the log free: $KEYS_N, at most $KEYS_MAX ms (${KEYS_ALL# })"
# The bound: 100 ms (times TEST_TIME_SCALE: 3 under the sanitizers) more
# than a key takes here with the log free. On an idle
# machine that is about 100 ms; on a loaded one (or under the sanitizers)
# the probe itself is slower, and a loop that waited on the lock would still
# take seconds (the probe gives up at 5 s).
KEY_MAX_MS=$((KEY_MAX_MS * ${TEST_TIME_SCALE:-1} + KEYS_MAX))

# ---- held for 12 s: the action waits, the console does not -------------------
dblock_hold "$AUDIT_DB"
t_lock=$(_now_ms)
confirm drain "$D" "Drain channel"
ok $? "the drain of $D is confirmed while another process holds the audit log"
tmux_wait_for "writing the audit log" 5
ok $? "the message line says the audit log is being written"
keys_until $((t_lock + HOLD_S * 1000 - 500))
diag "keys while the log is locked: $KEYS_N, at most $KEYS_MAX ms (${KEYS_ALL# })"
cmp_ok "$KEYS_N" '>=' 10 "keys were pressed all through the hold ($KEYS_N)"
cmp_ok "$KEYS_MAX" '<' "$KEY_MAX_MS" "every key answered within $KEY_MAX_MS ms while the log was locked (at most $KEYS_MAX ms)"
is "$(posts "$D")" 0 "after $HOLD_S s of lock the sim has received nothing for $D"
like "$(tmux_screen)" "writing the audit log.* [0-9]+ s" "the message line counts the wait"
t_release=$(before_rfc3339)
check "the other process releases the lock" dblock_release
tmux_wait_for "channel.drain $D: applied" 10
ok $? "once the log is free the intent is written and the drain applied"
is "$(posts "$D")" 1 "the sim received the drain exactly once, after the release"
intent_t=$(audit_json | jq -r --arg d "$D" 'select(.kind == "intent" and .target == $d) | .time')
check "the intent row is dated after the release ($intent_t >= $t_release)" \
	test "$intent_t" ">" "$t_release" -o "$intent_t" = "$t_release"
is "$(audit_json | jq -r --arg d "$D" 'select(.target == $d) | .kind' | paste -sd,)" intent,outcome \
	"the log holds the intent and its outcome"

# ---- held past the limit: not sent, and said ----------------------------------
dblock_hold "$AUDIT_DB"
t_lock=$(_now_ms)
confirm disable "$E" "Disable channel"
ok $? "the disable of $E is confirmed while the log is locked again"
tmux_wait_for "writing the audit log" 5
ok $? "the message line says the audit log is being written"
keys_until $((t_lock + 8000))
diag "keys while the log is locked again: $KEYS_N, at most $KEYS_MAX ms (${KEYS_ALL# })"
cmp_ok "$KEYS_MAX" '<' "$KEY_MAX_MS" "keys still answer within $KEY_MAX_MS ms ($KEYS_N keys, at most $KEYS_MAX ms)"
tmux_wait_for "channel.disable $E not sent: the audit log stayed locked by another process for $LIMIT_S s" \
	$((LIMIT_S + 10))
ok $? "after $LIMIT_S s the action is given up, and the message line says why"
waited=$((($(_now_ms) - t_lock) / 1000))
cmp_ok "$waited" '>=' "$LIMIT_S" "... not before the limit (${waited} s)"
is "$(posts "$E")" 0 "the sim has received nothing for $E"
is "$(audit_json | jq -r --arg e "$E" 'select(.target == $e) | .kind' | wc -l)" 0 \
	"and nothing is in the log while it is locked"
check "the other process releases the lock" dblock_release
_recorded() {
	[ "$(audit_json | jq -r --arg e "$E" 'select(.target == $e) | "\(.kind) \(.outcome) \(.code)"' |
		paste -sd,)" = "intent  ,outcome failed audit_log_busy" ]
}
wait_until 5 _recorded
ok $? "once free, the log records the action as not sent (intent, outcome failed audit_log_busy)"
like "$(audit_json | jq -r --arg e "$E" 'select(.target == $e and .kind == "outcome") | .detail')" \
	"not sent: the audit log was locked by another process for" "... saying why"
is "$(posts "$E")" 0 "and the sim still has received nothing for $E"
"$PAYOPS" audit verify >/dev/null 2>&1
is "$?" 0 "the chain verifies"

tmux_keys q
is "$(tmux_wait_exit 15)" 0 "q quits with status 0"

done_testing
