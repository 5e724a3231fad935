#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# verify and verify --against after tampering: a removed tail is caught by
# verify alone (the forwarding cursor remembers what the receiver
# acknowledged); a row rewritten with every later hash recomputed passes
# the chain, and is named by verify --against the copy a real rsyslogd
# collected.  Foreign and broken lines in the copy are counted and named.
. "$top_srcdir/tests/audit/lib.sh"
. "$top_srcdir/tests/audit/rsyslog.sh"
echo "1..16"
if ! have_rsyslog || ! command -v sqlite3 >/dev/null; then
	for i in $(seq 1 16); do echo "ok $i # SKIP rsyslogd or the sqlite3 shell not installed"; done
	exit 0
fi
rs_certs && rs_conf a && rs_start a || { echo "Bail out! rsyslogd did not start"; exit 1; }
C=$RS_CERTS DB=$T/a.db
DEST="relp+tls://localhost:$RS_RELP_PORT"
"$TOOL" append --db "$DB" --count 10 >/dev/null
"$TOOL" forward --db "$DB" --to "$DEST" --ca-file "$C/ca.pem" --client-cert "$C/client.pem" \
	--client-key "$C/client.key" --once --timeout 20 >/dev/null
check "20 rows forwarded and acknowledged" [ $? -eq 0 ]
rs_stop
COPY=$(ls "$T"/collected/*.log)
out=$("$TOOL" verify --db "$DB" --against "$COPY"); rc=$?
check "untouched: verify --against passes ($out)" [ $rc -eq 0 ]

drop="DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
fresh() { cp "$DB" "$T/t.db"; rm -f "$T/t.db-wal" "$T/t.db-shm"; }

# the newest 3 rows removed
fresh
sqlite3 "$T/t.db" "$drop DELETE FROM audit_log WHERE seq > 17"
out=$("$TOOL" verify --db "$T/t.db"); rc=$?
check "tail removed: verify alone fails ($out)" [ $rc -eq 1 ]
check "tail removed: it names the cut" grep -q "^bad: row 18: the log ends at row 17 but $DEST acknowledged rows up to 20" <<<"$out"
out=$("$TOOL" verify --db "$T/t.db" --against "$COPY"); rc=$?
check "tail removed: verify --against fails too" [ $rc -eq 1 ]
check "tail removed: --against names rows 18..20" grep -q "^bad: rows 18..20: in the collected copy .* but not in the local log" <<<"$out"

# row 5 rewritten, every later hash recomputed
fresh
sqlite3 "$T/t.db" "$drop UPDATE audit_log SET reason = 'approved by the board' WHERE seq = 5"
"$TOOL" rehash "$T/t.db" 5
out=$("$TOOL" verify --db "$T/t.db"); rc=$?
check "rewrite: the chain itself verifies" bash -c '! grep -q "^bad: row [0-9]*: \(hash mismatch\|broken link\)" <<<"$1"' _ "$out"
check "rewrite: verify alone still notices the acknowledged row changed" \
	grep -q "^bad: row 20: differs from the row $DEST acknowledged" <<<"$out"
sqlite3 "$T/t.db" "DELETE FROM audit_fwd_cursor"
out=$("$TOOL" verify --db "$T/t.db"); rc=$?
check "rewrite, forwarding state wiped too: verify alone passes, as documented ($out)" \
	[ $rc -eq 0 -a "$out" = "ok: 20 rows verified" ]
out=$("$TOOL" verify --db "$T/t.db" --against "$COPY"); rc=$?
check "rewrite: verify --against fails" [ $rc -eq 1 ]
check "rewrite: the first row named is 5" grep -q "^bad: row 5: differs from the collected copy" <<<"$out"
check "rewrite: the summary names row 5 first" grep -q "the first at row 5 " <<<"$out"

# the copy with other programs' lines and a broken payops line
{ echo '<13>1 2026-11-21T08:00:00Z host sshd 77 - - Accepted publickey'
  head -n 3 "$COPY"
  echo 'Nov 21 08:00:01 host cron[12]: (root) CMD (run-parts)'
  head -n 4 "$COPY" | tail -n 1 | sed 's/ hash="/ hash="zz/'
  tail -n +4 "$COPY"; } >"$T/mixed.log"
out=$("$TOOL" verify --db "$DB" --against "$T/mixed.log"); rc=$?
check "a broken payops line fails verify" [ $rc -eq 1 ]
check "it is named by its line number (6)" grep -q "^bad: line 6: claims to be a payops row but does not parse" <<<"$out"
check "other programs' lines are counted and skipped" grep -q "2 lines of other programs skipped" <<<"$out"
grep -v 'payops' "$T/mixed.log" >"$T/none.log"
"$TOOL" verify --db "$DB" --against "$T/none.log" >"$T/none.out" 2>&1
check "a copy with no payops rows is an error (exit 2), not a pass" \
	bash -c '[ "$1" -eq 2 ] && grep -q "holds no payops audit rows" "$2"' _ $? "$T/none.out"
exit 0
