#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Tampering with the log in the sqlite3 shell, as an attacker would (dropping
# the triggers first), is caught by `verify`, which names the row.
. "$top_srcdir/tests/audit/lib.sh"
. "$top_srcdir/tests/lib/need.sh"
need sqlite3 sqlite3
echo "1..14"
DB="$T/base.db"
"$TOOL" append --db "$DB" --count 5 --reason "routine" >/dev/null || exit 1
# 10 rows: intents at 1,3,5,7,9, outcomes at 2,4,6,8,10
out=$("$TOOL" verify --db "$DB"); rc=$?
check "untouched log verifies ($out)" [ $rc -eq 0 -a "$out" = "ok: 10 rows verified" ]

sqlite3 "$DB" "UPDATE audit_log SET reason = 'x' WHERE seq = 3" 2>"$T/err"
check "trigger refuses UPDATE" grep -q "append-only" "$T/err"
sqlite3 "$DB" "DELETE FROM audit_log WHERE seq = 3" 2>"$T/err"
check "trigger refuses DELETE" grep -q "append-only" "$T/err"

fresh() { cp "$DB" "$T/t.db"; rm -f "$T/t.db-wal" "$T/t.db-shm"; }
drop="DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"

fresh
sqlite3 "$T/t.db" "$drop UPDATE audit_log SET reason = 'benign maintenance' WHERE seq = 4"
out=$("$TOOL" verify --db "$T/t.db"); rc=$?
check "edited row: exit 1" [ $rc -eq 1 ]
check "edited row: names row 4 ($out)" grep -q "^bad: row 4: hash mismatch" <<<"$out"

fresh
sqlite3 "$T/t.db" "$drop DELETE FROM audit_log WHERE seq = 6"
out=$("$TOOL" verify --db "$T/t.db"); rc=$?
check "deleted row: exit 1" [ $rc -eq 1 ]
check "deleted row: names row 6 ($out)" grep -q "^bad: row 6: gap" <<<"$out"

fresh
sqlite3 "$T/t.db" "$drop UPDATE audit_log SET seq = -3 WHERE seq = 3;
	UPDATE audit_log SET seq = 3 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = -3"
out=$("$TOOL" verify --db "$T/t.db"); rc=$?
check "swapped rows: exit 1" [ $rc -eq 1 ]
check "swapped rows: names row 3 ($out)" grep -q "^bad: row 3: " <<<"$out"

fresh
# delete row 2 and renumber the rest so there is no gap
sqlite3 "$T/t.db" "$drop DELETE FROM audit_log WHERE seq = 2;
	UPDATE audit_log SET seq = seq + 1000 WHERE seq > 2; UPDATE audit_log SET seq = seq - 1001 WHERE seq > 1000"
out=$("$TOOL" verify --db "$T/t.db"); rc=$?
check "deleted and renumbered: names row 2 ($out)" \
	bash -c '[ "$1" -eq 1 ] && grep -q "^bad: row 2: " <<<"$2"' _ "$rc" "$out"

out=$("$TOOL" show 4 --db "$DB")
check "show prints the row" grep -q "^kind  *outcome$" <<<"$out"
"$TOOL" show 99 --db "$DB" >/dev/null 2>&1
check "show of a missing row exits 2" [ $? -eq 2 ]
lines=$("$TOOL" export --db "$DB" --format csv | wc -l)
check "csv export has a header and 10 rows" [ "$lines" -eq 11 ]
"$TOOL" verify --db "$T/no-such.db" >/dev/null 2>&1
check "verify of a missing log exits 2 and creates nothing" \
	bash -c '[ "$1" -eq 2 ] && [ ! -e "$2" ]' _ $? "$T/no-such.db"
exit 0

