#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Forwarding over TLS (RFC 5425) to a real rsyslogd: rows written across a
# graceful restart of the receiver all arrive; each way the handshake can
# fail gives its own message and sends nothing.
. "$top_srcdir/tests/audit/lib.sh"
. "$top_srcdir/tests/audit/rsyslog.sh"
rs_begin 12 "rsyslogd with gtls" t
C=$RS_CERTS DB=$T/t.db
TLSOPT=("${RS_TLSOPT[@]}")
DEST="tls://127.0.0.1:$RS_TLS_PORT"
count() { rs_count; }
at_least() { [ "$(rs_count)" -ge "$1" ]; }
all_in() { [ "$(rs_seqs | sort -un | wc -l)" -eq "$1" ]; }

"$TOOL" append --db "$DB" --count 0 >/dev/null 2>&1
"$TOOL" forward --db "$DB" --to "$DEST" "${TLSOPT[@]}" 2>"$T/fwd.err" &
FWD=$!; PIDS="$PIDS $FWD"
# rows keep coming for a while (the forwarder picks them up as it rescans)
( for i in $(seq 1 20); do
	"$TOOL" append --nosync --db "$DB" --count 150 >/dev/null; sleep 0.4
  done ) &
APP=$!; PIDS="$PIDS $APP"
wait_for 30 at_least 1500
mid=$(count)
rs_stop
rs_start t || { echo "Bail out! rsyslogd did not restart"; exit 1; }
wait "$APP"
wait_for 40 all_in 6000
check "restart landed mid-stream ($mid rows collected then)" [ "$mid" -lt 6000 ]
check "every seq 1..6000 arrived across the restart" \
	[ "$(rs_seqs | sort -un | tr '\n' ' ')" = "$(seq 1 6000 | tr '\n' ' ')" ]
"$TOOL" forward --db "$DB" --to "$DEST" "${TLSOPT[@]}" --once --timeout 1 >/dev/null 2>&1
kill "$FWD"; wait "$FWD"
out=$("$TOOL" verify --db "$DB" --against "$(ls "$T"/collected/*.log)"); rc=$?
check "verify --against passes ($out)" [ $rc -eq 0 ]
echo "# rows sent twice around the restart: $(( $(count) - 6000 ))"

# Failures: a fresh log of 2 rows each time; nothing may reach the file.
fails() { # NAME EXPECTED-MESSAGE-ERE forward-args...
	local name=$1 want=$2 before
	shift 2
	rm -f "$T/f.db"*
	"$TOOL" append --db "$T/f.db" --count 1 --operator "op.$name" >/dev/null
	before=$(count)
	"$TOOL" forward --db "$T/f.db" --once --timeout 3 "$@" >"$T/$name.out" 2>&1
	local rc=$?
	sleep 0.5 # a row sent anyway would be in the file by now
	check "$name: exit 1 ($(tail -n 2 "$T/$name.out" | head -n 1))" [ $rc -eq 1 ]
	check "$name: its own message, nothing sent" \
		bash -c 'grep -Eq "$1" "$2" && [ "$3" -eq "$4" ] && ! grep -q "op\.$5" "$6"/collected/*.log' \
		_ "$want" "$T/$name.out" "$before" "$(count)" "$name" "$T"
}
fails wrong-ca "not signed by a trusted CA" --to "$DEST" --ca-file "$C/otherca.pem" \
	--client-cert "$C/client.pem" --client-key "$C/client.key"
fails no-client-cert "requires a client certificate and none is configured" \
	--to "$DEST" --ca-file "$C/ca.pem"
for cert in expired wrongname; do
	rs_stop
	rs_conf "$cert" "$cert" || exit 1
	rs_start "$cert" || { echo "Bail out! rsyslogd with $cert did not start"; exit 1; }
	case $cert in
	expired) want="certificate has expired \(not after Feb  1 00:00:00 2020 GMT\)" ;;
	wrongname) want="certificate is not for 127.0.0.1 \(it names DNS:other.example\)" ;;
	esac
	fails "$cert" "$want" --to "tls://127.0.0.1:$RS_TLS_PORT" "${TLSOPT[@]}"
done
rs_stop
check "no error escaped to the forwarder's standard error" [ ! -s "$T/fwd.err" ]
exit 0
