#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Two consoles sharing one log and one destination (RELP over TLS to a real
# rsyslogd): the lease lets one of them forward, so each row is sent by one
# of them; through a restart of the receiver every row arrives, and the only
# repeats are RELP's own, of rows unacknowledged around the restart.
. "$top_srcdir/tests/audit/lib.sh"
. "$top_srcdir/tests/audit/rsyslog.sh"
rs_begin 5 "rsyslogd with imrelp" s
DB=$T/s.db
OPT=(--to "relp+tls://localhost:$RS_RELP_PORT" "${RS_TLSOPT[@]}")
exactly() { [ "$(rs_seqs | tr '\n' ' ')" = "$(seq 1 "$1" | tr '\n' ' ')" ]; }
has() { [ "$(rs_count)" -ge "$1" ]; }
"$TOOL" append --db "$DB" --count 0 >/dev/null 2>&1
"$TOOL" forward --db "$DB" "${OPT[@]}" 2>"$T/a.err" &
A=$!; PIDS="$PIDS $A"
"$TOOL" forward --db "$DB" "${OPT[@]}" 2>"$T/b.err" &
B=$!; PIDS="$PIDS $B"
"$TOOL" append --db "$DB" --count 50 --operator op.one >/dev/null &
W=$!
"$TOOL" append --db "$DB" --count 50 --operator op.two >/dev/null
wait "$W"
wait_for 20 has 200
sleep 1 # a second sender would show now
check "200 rows from two writers arrive once each, in order" exactly 200
rs_stop
"$TOOL" append --db "$DB" --count 10 >/dev/null
rs_start s || { echo "Bail out! rsyslogd did not restart"; exit 1; }
"$TOOL" append --db "$DB" --count 10 >/dev/null
all_in() { [ "$(rs_seqs | sort -un | wc -l)" -eq "$1" ]; }
wait_for 30 all_in 240
sleep 1
check "after a receiver restart rows 201..240 arrive" \
	[ "$(rs_seqs | sort -un | tr '\n' ' ')" = "$(seq 1 240 | tr '\n' ' ')" ]
echo "# rows repeated around the restart: $(( $(rs_seqs | wc -l) - 240 ))"
kill "$A" "$B"
wait "$A"; ra=$?
wait "$B"; rb=$?
check "both forwarders stop cleanly" [ $ra -eq 0 -a $rb -eq 0 ]
check "repeats only of one RELP window (32)" [ "$(rs_seqs | sort -n | uniq -d | wc -l)" -le 32 ]
out=$("$TOOL" verify --db "$DB" --against "$(ls "$T"/collected/*.log)")
check "verify --against passes ($out)" [ $? -eq 0 ]
exit 0
