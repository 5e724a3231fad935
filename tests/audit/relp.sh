#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# 10,000 rows forwarded over RELP (TLS) to a real rsyslogd, killed with
# SIGKILL twice mid-stream and restarted: every row arrives, the collected
# copy verifies against the log, and the only duplicates are of rows that
# were in flight around a kill (at most librelp's window of 32 each).
. "$top_srcdir/tests/audit/lib.sh"
. "$top_srcdir/tests/audit/rsyslog.sh"
rs_begin 8 "rsyslogd with imrelp and gtls" r
DB=$T/r.db
TLSOPT=("${RS_TLSOPT[@]}")
DEST="relp+tls://localhost:$RS_RELP_PORT"
count() { rs_count; }
at_least() { [ "$(rs_count)" -ge "$1" ]; }

"$TOOL" append --db "$DB" --count 0 >/dev/null 2>&1
"$TOOL" forward --db "$DB" --to "$DEST" "${TLSOPT[@]}" 2>"$T/fwd.err" &
FWD=$!; PIDS="$PIDS $FWD"
start=$(date +%s)
# the rows come in three batches (an append of N writes 2N rows), each
# after a kill, so that every kill lands while rows are still to come: a
# forwarder faster than the test's polls cannot have sent them all first
append() { "$TOOL" append --nosync --db "$DB" --count "$1" >/dev/null; }
append 1750
wait_for 30 at_least 2500
kill1=$(count)
rs_kill
rs_start r || { echo "Bail out! rsyslogd did not restart"; exit 1; }
append 1750
wait_for 30 at_least 6000
kill2=$(count)
rs_kill
rs_start r || { echo "Bail out! rsyslogd did not restart"; exit 1; }
append 1500
check "10,000 rows appended" [ "$("$TOOL" head --db "$DB" | cut -d' ' -f1)" = 10000 ]
all_in() { [ "$(rs_seqs | sort -un | wc -l)" -eq 10000 ]; }
wait_for 40 all_in
check "both kills landed mid-stream ($kill1, $kill2 rows collected)" \
	[ "$kill1" -lt 10000 -a "$kill2" -lt 10000 -a "$kill1" -lt "$kill2" ]
check "every seq 1..10000 arrived" [ "$(rs_seqs | sort -un | tr '\n' ' ')" = "$(seq 1 10000 | tr '\n' ' ')" ]
dups=$(rs_seqs | sort -n | uniq -d)
ndups=$(printf '%s' "$dups" | grep -c .)
# duplicates in at most two runs (one per kill), each within the window
runs=$(printf '%s\n' "$dups" | awk 'NF { if (NR == 1 || $1 > last + 40) r++; last = $1 } END { print r + 0 }')
check "duplicates only around the kills: $ndups rows in $runs runs" [ "$ndups" -le 64 -a "$runs" -le 2 ]
wait_for 10 bash -c '"$1" forward --db "$2" --to "$3" --once --timeout 1 "${@:4}" >/dev/null 2>&1; true' _ "$TOOL" "$DB" "$DEST" "${TLSOPT[@]}"
out=$("$TOOL" verify --db "$DB" --against "$(ls "$T"/collected/*.log)"); rc=$?
check "verify --against the collected file passes ($out)" [ $rc -eq 0 ]
check "verify counts the duplicates" grep -Eq "^ok: 10000 rows verified; all match the collected copy .*\($((10000 + ndups)) collected, $ndups duplicates" <<<"$out"
kill "$FWD"; wait "$FWD"
check "the forwarder stops cleanly" [ $? -eq 0 ]
el=$(( $(date +%s) - start ))
check "within a minute (${el}s)" [ "$el" -lt 60 ]
exit 0
