#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The action client against the real payops-sim, one action per act-driver
# run: applied, conflict, 403, 429 and stall retries with the same key,
# interrupted actions resolved from the platform, pending approval, reroute,
# and refusals that write nothing. DRV_WRAP="valgrind -q --error-exitcode=9"
# runs every driver under a checker.
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

DRV=$top_builddir/tests/actions/act-driver
AUDIT=$top_builddir/tests/audit/audit-tool
[ -x "$DRV" ] || bail_out "no $DRV"
[ -x "$AUDIT" ] || bail_out "no $AUDIT"
sim_start_or_bail --tick-ms 0

# drive DB [DRIVER ARGS...]: OUT = the driver's JSON line, RC its status.
drive() {
	local db=$1
	shift
	OUT=$(${DRV_WRAP:-} "$DRV" --url "${DRV_URL:-$SIM_URL}" --token "${DRV_TOKEN:-$SIM_TOKEN}" --db "$db" "$@" \
		2>"$TEST_TMP/drv.err")
	RC=$?
	[ -s "$TEST_TMP/drv.err" ] && diag "driver stderr: $(head -c 600 "$TEST_TMP/drv.err")"
	return 0
}
f() { jq -r "$1" <<<"$OUT" 2>/dev/null; }
rows() { "$AUDIT" --db "$1" export --format jsonl 2>/dev/null | jq -src "$2"; }
verify() { "$AUDIT" --db "$1" verify >"$TEST_TMP/verify.out" 2>&1 || { diag "$(cat "$TEST_TMP/verify.out")"; return 1; }; }
nrows() { "$AUDIT" --db "$1" export --format jsonl 2>/dev/null | wc -l; }
chan() { api GET "/v1/channels/$1"; jb "$2"; }

# Channels worth acting on: enabled, carrying traffic, with weight in a route.
api GET '/v1/routes?limit=500'
cp "$API_BODY_FILE" "$TEST_TMP/routes.json"
api GET '/v1/channels?limit=500'
mapfile -t CANDS < <(jq -r --slurpfile r "$TEST_TMP/routes.json" '
	[$r[0].data[].members[] | select(.weight_pct > 0 and .eligible) | .channel_id] as $w
	| .data[] | select(.admin_state == "enabled" and .traffic_share > 0.001
		and .breaker == "closed" and (.id as $i | $w | index($i)))
	| .id' "$API_BODY_FILE")
[ "${#CANDS[@]}" -ge 8 ] || bail_out "only ${#CANDS[@]} channels to act on"
note "channels: ${CANDS[*]:0:8}"

# --- quarantine -> applied ---------------------------------------------------------
C=${CANDS[0]}
R=$(jq -r --arg c "$C" '[.data[] | select(any(.members[]; .channel_id == $c and .weight_pct > 0))][0].id' \
	"$TEST_TMP/routes.json")
W0=$(jq -r --arg c "$C" --arg r "$R" '.data[] | select(.id == $r) | .members[] | select(.channel_id == $c)
	| .weight_pct' "$TEST_TMP/routes.json")
V0=$(chan "$C" .version)
DB=$TEST_TMP/q.db
drive "$DB" channel quarantine "$C"
is "$(f .status)" applied "quarantine $C: applied"
is "$(f .tries)" 1 "... in one try"
like "$(f .idempotency_key)" '^po-[0-9a-f]{32}$' "... idempotency key is po- and 128 bits of hex"
is "$(chan "$C" .admin_state)" quarantined "the sim shows $C quarantined"
is "$(chan "$C" .version)" $((V0 + 1)) "... its version moved once"
api GET "/v1/routes/$R"
is "$(jb --arg c "$C" '.members[] | select(.channel_id == $c) | "\(.weight_pct) \(.eligible)"')" "0 false" \
	"route $R: $C went from $W0% to 0%, not eligible"
is "$(jb '[.members[].weight_pct] | add')" 100 "... the others carry 100%"
is "$(nrows "$DB")" 2 "exactly two audit rows"
is "$(rows "$DB" '[.[].kind] | join(",")')" intent,outcome "... intent then outcome"
is "$(rows "$DB" '.[1].outcome')" applied "... the outcome is applied"
is "$(rows "$DB" '[.[].idempotency_key] | unique | length')" 1 "... both rows carry the same key"
is "$(rows "$DB" '.[0].state_before')" "admin_state=enabled | intended: admin_state=quarantined" \
	"... the intent records the state before and the intended one"
is "$(rows "$DB" '.[1].state_after')" admin_state=quarantined "... the outcome records the state after"
unlike "$("$AUDIT" --db "$DB" export --format jsonl)" "$SIM_TOKEN" "... the token is not in the log"
check "audit verify passes" verify "$DB"

# --- stale version, admin state changed by someone else -> conflict ------------------
C=${CANDS[1]}
api GET "/v1/channels/$C"
cp "$API_BODY_FILE" "$TEST_TMP/seen.json"
V=$(jb .version)
mutate "/v1/channels/$C/actions" '{"action":"disable","reason":"another operator"}' "\"$V\""
is "$API_STATUS" 200 "another operator disables $C"
DB=$TEST_TMP/c.db
drive "$DB" --version "$V" --seen "$TEST_TMP/seen.json" channel drain "$C"
is "$(f .status)" conflict "drain at the stale version: conflict"
like "$(f .changes)" "admin_state: enabled -> disabled by $SIM_OPERATOR" "... naming the change and who made it"
is "$(f .version)" $((V + 1)) "... with the current version to ask again at"
is "$(chan "$C" '"\(.admin_state) \(.version)"')" "disabled $((V + 1))" "the sim applied nothing more"
is "$(rows "$DB" '.[1] | "\(.outcome) \(.code)"')" "rejected version_conflict" "audit: rejected version_conflict"

# --- only metrics moved -> re-sent at the new version with the same key ---------------
C=${CANDS[2]}
api GET "/v1/channels/$C"
cp "$API_BODY_FILE" "$TEST_TMP/seen.json"
V=$(jb .version)
sim_tick 3
V2=$(chan "$C" .version)
cmp_ok "$V2" -gt "$V" "a tick moved $C's metrics and version ($V -> $V2)"
DB=$TEST_TMP/m.db
drive "$DB" --version "$V" --seen "$TEST_TMP/seen.json" channel drain "$C"
is "$(f .status)" applied "drain at the old version: applied"
like "$(f '.progress | join("|")')" "version moved $V -> $V2 \\(metrics only\\); re-sent" "... saying it rebased"
is "$(chan "$C" .admin_state)" draining "the sim shows $C draining"
is "$(nrows "$DB")" 2 "... two audit rows"
is "$(f .code)" "" "a re-send after metrics moved is no conflict: no problem code"
is "$(rows "$DB" '.[1] | "\(.outcome) \(.code)"')" "applied 200" "audit: applied with the code of its answer, not version_conflict"
like "$(rows "$DB" '.[1].detail')" "resent_after: version $V -> $V2 \\(metrics only\\)" "... and a resent_after note"

# --- 403 with a read-only token ------------------------------------------------------
C=${CANDS[3]}
V=$(chan "$C" .version)
DB=$TEST_TMP/ro.db
DRV_TOKEN=$SIM_RO_TOKEN drive "$DB" --no-me channel disable "$C"
is "$(f .status)" rejected "read-only token: rejected by the platform"
is "$(f .code) $(f .http_status)" "insufficient_scope 403" "... 403 insufficient_scope"
is "$(f .missing_scope)" channels:write "... naming the scope channels:write"
like "$(f .message)" "needs scope channels:write" "... in the message"
is "$(chan "$C" .version)" "$V" "the sim did not change $C"
is "$(rows "$DB" '.[1] | "\(.outcome) \(.code)"')" "rejected insufficient_scope" "audit: rejected insufficient_scope"
DB=$TEST_TMP/ro2.db
DRV_TOKEN=$SIM_RO_TOKEN drive "$DB" channel disable "$C"
is "$(f .status) $(f .code)" "refused insufficient_scope" "knowing /v1/me, the client refuses before sending"
like "$(f .message)" "needs scope channels:write" "... saying which scope"
is "$(nrows "$DB")" 0 "... and writes no audit row"

# --- refusals write nothing -----------------------------------------------------------
DB=$TEST_TMP/refuse.db
drive "$DB" --read-only "started with --read-only" channel disable "$C"
is "$(f .status) $(f .code)" "refused read_only" "read-only: refused"
drive "$DB" --reason "   " channel disable "$C"
is "$(f .status) $(f .code)" "refused invalid_request" "blank reason: refused"
is "$(nrows "$DB")" 0 "... no audit rows for refusals"
is "$(chan "$C" .version)" "$V" "... and no request reached the sim"

# --- 429 burst -> waited and re-sent with the same key, applied once --------------------
C=${CANDS[3]}
V=$(chan "$C" .version)
sim_faults "{\"burst_429\": 2, \"path_prefix\": \"/v1/channels/$C/actions\"}"
DB=$TEST_TMP/429.db
drive "$DB" channel disable "$C"
is "$(f .status)" applied "two 429s then: applied"
is "$(f .tries)" 3 "... on the third try"
like "$(f '.progress[0]')" "platform busy \\(429\\); retrying in [0-9.]+ s with the same idempotency key" \
	"... saying it waits"
is "$(chan "$C" '"\(.admin_state) \(.version)"')" "disabled $((V + 1))" "the sim applied it once"
sim_faults_clear

# --- stalled beyond the timeout -> re-sent with the same key, replayed, applied once -----
C=${CANDS[4]}
V=$(chan "$C" .version)
sim_faults "{\"stall_ms\": 1500, \"path_prefix\": \"/v1/channels/$C/actions\"}"
DB=$TEST_TMP/stall.db
${DRV_WRAP:-} "$DRV" --url "$SIM_URL" --token "$SIM_TOKEN" --db "$DB" --timeout-ms 1000 --tries 4 --backoff-ms 200 \
	channel disable "$C" >"$TEST_TMP/stall.out" 2>"$TEST_TMP/stall.err" &
drv_pid=$!
bg_track "$drv_pid"
moved() { [ "$(chan "$C" .version)" != "$V" ]; }
wait_until 10 moved
ok $? "the stalled first try was applied by the sim"
sim_faults_clear
wait "$drv_pid"
OUT=$(cat "$TEST_TMP/stall.out")
is "$(f .status)" applied "after timeouts: applied"
is "$(f .replayed)" true "... the answer was an idempotent replay"
cmp_ok "$(f .tries)" -ge 2 "... after $(f .tries) tries"
like "$(f '.progress[0]')" "timed out; retrying with the same idempotency key \\(2/4\\)" "... saying so"
is "$(chan "$C" '"\(.admin_state) \(.version)"')" "disabled $((V + 1))" "the sim applied it exactly once"
is "$(rows "$DB" '[.[] | select(.kind == "outcome")] | length')" 1 "one outcome row"

# --- killed between intent and request -> resolved at the next start ---------------------
C=${CANDS[5]}
DB=$TEST_TMP/kill.db
drive "$DB" --die-after-intent channel quarantine "$C"
is "$RC" 137 "driver killed itself with SIGKILL after the intent row"
is "$("$AUDIT" --db "$DB" unresolved | wc -l)" 1 "one unresolved intent"
C2=${CANDS[6]}
drive "$DB" --die-after-response channel quarantine "$C2"
is "$RC" 137 "driver killed after the answer arrived, before the outcome row"
is "$(chan "$C2" .admin_state)" quarantined "... the sim had applied it"
drive "$DB" resolve
is "$(f '.n') $(f '.resolved')" "2 1" "restart: two interrupted intents, one resolved"
is "$(jq -r --arg c "$C" '.items[] | select(.target == $c) | "\(.status) \(.observed)"' <<<"$OUT")" \
	"unknown admin_state=enabled" "never sent: unknown, the platform shows it enabled"
is "$(jq -r --arg c "$C2" '.items[] | select(.target == $c) | "\(.status) \(.observed)"' <<<"$OUT")" \
	"applied admin_state=quarantined" "sent and applied: recorded as applied"
is "$(rows "$DB" '[.[] | select(.kind == "outcome") | .outcome] | sort | join(",")')" applied,unknown \
	"audit: an outcome for each"
check "audit verify passes after resolution" verify "$DB"
drive "$DB" resolve
is "$(nrows "$DB")" 4 "a second restart adds no duplicate unknown row"

# --- an intent stamped with an offset: its age counts the offset -------------------------
# 25 h ago written at +08:00 reads as 17 h ago when the offset is ignored
# (still inside the 24 h idempotency window): only a parser that applies it
# knows the window has passed.
C=${CANDS[7]}
DB=$TEST_TMP/tz.db
drive "$DB" --die-after-intent channel quarantine "$C"
is "$RC" 137 "driver killed after the intent row"
T=$(date -u -d "@$(( $(date +%s) - 25 * 3600 + 8 * 3600 ))" +%Y-%m-%dT%H:%M:%S.000+08:00)
sqlite3 "$DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET time = '$T' WHERE kind = 'intent';"
is "$(rows "$DB" '.[0].time')" "$T" "the intent now reads $T"
drive "$DB" resolve
is "$(f '.items[0].status') $(f '.items[0].observed')" "failed admin_state=enabled" \
	"resolved as not applied: 25 hours old, not 17"
like "$(f '.items[0].message')" "24 h idempotency window has passed" "... saying the window has passed"

# --- reroute -----------------------------------------------------------------------------
api GET '/v1/routes?limit=500'
RT=$(jb '[.data[] | select(([.members[] | select(.eligible)] | length) >= 2)][0].id')
api GET "/v1/routes/$RT"
mapfile -t WS < <(jb '([.members[] | select(.eligible)] | length) as $n
	| [.members[] | select(.eligible)] as $e
	| .members[] | "\(.channel_id)=\(if .eligible | not then 0
		elif .channel_id == $e[0].channel_id then 100 - 10 * ($n - 1) else 10 end)"')
DB=$TEST_TMP/rt.db
drive "$DB" weights "$RT" "${WS[@]}"
is "$(f .status)" applied "reroute $RT (${WS[*]}): applied"
api GET "/v1/routes/$RT"
is "$(jb '[.members[] | "\(.channel_id)=\(.weight_pct)"] | sort | join(" ")')" \
	"$(printf '%s\n' "${WS[@]}" | sort | paste -sd' ')" "the sim shows the new weights"
drive "$DB" weights "$RT" "${WS[0]%=*}=1"
is "$(f .status) $(f .code)" "refused invalid_request" "weights not summing to 100: refused"
is "$(nrows "$DB")" 2 "... without an audit row"

# --- another process holds the audit log's write lock ---------------------------------------
# (sqlite3 with BEGIN IMMEDIATE, as a second console on a jump host would):
# the intent waits without stalling the loop, the request goes only once
# it is written; past --audit-wait-ms nothing goes, and the log records the
# action as not sent once it is free.
. "$top_srcdir/tests/lib/dblock.sh"
C=${CANDS[7]}
DB=$TEST_TMP/lock.db
drive "$DB" describe "$C" drain # the log exists, empty
dblock_hold "$DB"
drive_bg() { # OUT FILE, then the driver's arguments
	local out=$1
	shift
	"$DRV" --url "$SIM_URL" --token "$SIM_TOKEN" --db "$DB" "$@" >"$out" 2>"$out.err" &
	DRV_PID=$!
	bg_track "$DRV_PID"
}
drive_bg "$TEST_TMP/lock1.json" channel drain "$C"
sleep 1.5 # the window in which nothing may leave (the lock is held throughout)
is "$(chan "$C" .admin_state)" enabled "log locked for 1.5 s: the drain of $C has not reached the sim"
is "$(wc -c <"$TEST_TMP/lock1.json")" 0 "... and the action is still waiting"
t_release=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
check "the lock is released" dblock_release
wait "$DRV_PID"
OUT=$(cat "$TEST_TMP/lock1.json")
is "$(f .status)" applied "once it is released: applied"
like "$(f '.progress | join("|")')" "writing the audit log" "... having said it was writing the audit log"
is "$(chan "$C" .admin_state)" draining "the sim shows $C draining"
is "$(nrows "$DB")" 2 "two audit rows"
intent_t=$(rows "$DB" '.[0].time')
check "the intent row was written after the release ($intent_t >= $t_release)" \
	test "$intent_t" ">" "$t_release" -o "$intent_t" = "$t_release"
check "audit verify passes" verify "$DB"

api GET '/v1/channels?limit=500'
C=$(jb --arg used " ${CANDS[*]:0:8} " '[.data[] | select(.admin_state == "enabled"
	and (.id as $i | $used | contains(" " + $i + " ") | not))][0].id')
V=$(chan "$C" .version)
DB=$TEST_TMP/lock2.db
drive "$DB" describe "$C" disable
dblock_hold "$DB"
drive_bg "$TEST_TMP/lock2.json" --audit-wait-ms 1000 channel disable "$C"
_answered() { [ -s "$TEST_TMP/lock2.json" ]; }
wait_until 10 _answered
OUT=$(cat "$TEST_TMP/lock2.json")
is "$(f .status) $(f .code)" "refused audit_log_busy" "locked past --audit-wait-ms 1000: refused, audit_log_busy"
like "$(f .message)" "not sent: the audit log stayed locked by another process for 1 s" "... saying why"
is "$(f .tries)" 0 "... nothing was sent"
is "$(chan "$C" '"\(.admin_state) \(.version)"')" "enabled $V" "the sim has not changed $C"
is "$(nrows "$DB")" 0 "no row while the log is locked"
check "the lock is released" dblock_release
wait "$DRV_PID"
like "$(cat "$TEST_TMP/lock2.json.err")" "the audit log is written" "the driver, quitting, waited for the log and said so"
is "$(rows "$DB" '[.[].kind] | join(",")')" intent,outcome "once free, the log records the action..."
is "$(rows "$DB" '.[1] | "\(.outcome) \(.code)"')" "failed audit_log_busy" "... as failed, audit_log_busy"
like "$(rows "$DB" '.[1].detail')" "not sent: the audit log was locked by another process" "... not sent, and why"
is "$("$AUDIT" --db "$DB" unresolved | wc -l)" 0 "... leaving nothing to resolve at the next start"

# --- 202 pending approval ------------------------------------------------------------------
sim_stop
sim_start_or_bail --tick-ms 0 --approval-share 0.05
api GET '/v1/channels?limit=500'
C=$(jb '[.data[] | select(.admin_state == "enabled" and .traffic_share > 0.05)][0].id')
DB=$TEST_TMP/appr.db
drive "$DB" channel quarantine "$C"
is "$(f .status) $(f .http_status)" "pending_approval 202" "quarantine of $C (> 5% of traffic): pending approval"
is "$(chan "$C" .admin_state)" enabled "... the sim has not applied it"
is "$(rows "$DB" '.[1].outcome')" pending_approval "audit: pending_approval"

# --- a limit change says the new limit as money, not minor units -----------------------
api GET '/v1/limits?limit=500'
LIM=$(jb '[.data[] | select(.currency == "CNY")][0].id')
NEWL=$(( $(jb --arg id "$LIM" '.data[] | select(.id == $id) | .limit_minor') + 123456 ))
DB=$TEST_TMP/lim.db
drive "$DB" limit "$LIM" "$NEWL"
is "$(f .status)" applied "limit $LIM -> $NEWL minor units: applied"
want_money=$(printf '%d' $((NEWL / 100)) | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta')
like "$(f .message)" "applied, now limit ¥$want_money\\.$(printf '%02d' $((NEWL % 100))) " "the message gives the new limit as money (¥$want_money)"
unlike "$(f .message)" "limit_minor=" "... never in raw minor units"

done_testing
