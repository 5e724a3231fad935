#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Forwarding to a TCP collector: every row arrives; while the collector is
# down rows wait in the log, and once it is back they are sent, nothing lost
# and nothing duplicated.
. "$top_srcdir/tests/audit/lib.sh"
echo "1..12"
DB="$T/f.db"
OUT="$T/frames"
: >"$OUT"

start_collector() { # [port]
	rm -f "$T/port"
	"$COLLECTOR" "$T/port" "$OUT" "${1:-0}" 2>>"$T/collector.err" &
	CPID=$!
	PIDS="$PIDS $CPID"
	wait_for 10 test -s "$T/port" || return 1
	PORT=$(cat "$T/port")
}
stop_collector() { kill "$CPID"; wait "$CPID" 2>/dev/null; }
# the seq of every frame received, one per line
seqs() { grep -o '\[payops@32473 seq="[0-9]*"' "$OUT" | grep -o '[0-9]*"$' | tr -d '"'; }
frames() { seqs | wc -l; }
# exactly 1..N, each once, in order
exactly() { [ "$(seqs | tr '\n' ' ')" = "$(seq 1 "$1" | tr '\n' ' ')" ]; }
has_frames() { [ "$(frames)" -ge "$1" ]; }

start_collector || { echo "not ok 1 - collector did not start"; exit 0; }
"$TOOL" append --db "$DB" --count 3 --reason 'quote " bracket ] slash \ 中文' >/dev/null
"$TOOL" forward --db "$DB" --to "tcp://127.0.0.1:$PORT" --once --timeout 10 >"$T/o1"
check "forward --once sends everything and exits 0" [ $? -eq 0 ]
wait_for 10 has_frames 6
check "collector received rows 1..6 once each" exactly 6
check "frames are RFC 5424 with escaped params" \
	grep -q '^<85>1 [0-9T:.-]*Z [^ ]* payops - intent \[payops@32473 seq="1" .* reason="quote \\" bracket \\] slash \\\\ 中文"' "$OUT"

stop_collector
"$TOOL" append --db "$DB" --count 2 >/dev/null
"$TOOL" forward --db "$DB" --to "tcp://127.0.0.1:$PORT" --once --timeout 2 >"$T/o2" 2>&1
check "collector down: forward --once exits 1 with rows pending" [ $? -eq 1 ]
check "collector down: 4 rows reported pending" grep -q "4 pending" "$T/o2"
start_collector "$PORT" || { notok "collector restarted"; exit 0; }
"$TOOL" forward --db "$DB" --to "tcp://127.0.0.1:$PORT" --once --timeout 10 >/dev/null
check "collector back: forward --once exits 0" [ $? -eq 0 ]
wait_for 10 has_frames 10
check "rows 1..10 received, none lost, none duplicated" exactly 10

# A long-running forwarder (as in the console's poll loop), two of them at
# once sharing the log: the lease lets only one send.
"$TOOL" forward --db "$DB" --to "tcp://127.0.0.1:$PORT" 2>"$T/fa.err" &
FA=$!; PIDS="$PIDS $FA"
"$TOOL" forward --db "$DB" --to "tcp://127.0.0.1:$PORT" 2>"$T/fb.err" &
FB=$!; PIDS="$PIDS $FB"
"$TOOL" append --db "$DB" --count 3 >/dev/null
wait_for 15 has_frames 16
check "running forwarders pick up new rows (11..16)" exactly 16
stop_collector
sleep 0.5
"$TOOL" append --db "$DB" --count 2 >/dev/null
start_collector "$PORT" || { notok "collector restarted"; exit 0; }
"$TOOL" append --db "$DB" --count 1 >/dev/null
wait_for 20 has_frames 22
sleep 1 # a duplicate would arrive now
check "after a collector restart rows 17..22 arrive, none lost, none duplicated" exactly 22
kill "$FA" "$FB"
wait "$FA"; ra=$?
wait "$FB"; rb=$?
check "forwarders exit cleanly on SIGTERM" [ $ra -eq 0 -a $rb -eq 0 ]
"$TOOL" forward --db "$DB" --to "tcp://127.0.0.1:$PORT" --once --timeout 5 >"$T/o3"
check "cursor persisted: nothing left to send" grep -q "forwarded up to seq 22, 0 pending" "$T/o3"
"$TOOL" forward --db "$DB" --to "bogus://x" --once >/dev/null 2>&1
check "a bad destination is refused (exit 2)" [ $? -eq 2 ]
exit 0
