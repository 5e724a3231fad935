# SPDX-License-Identifier: ISC (see COPYING)
# tests/audit/rsyslog.sh - a real rsyslogd as the audit log's central
# receiver, configured with contrib/rsyslog/payops.conf, and certificates
# made with openssl.  Sourced after lib.sh; defines functions only.
. "$top_srcdir/tests/lib/am.sh"
RSYSLOGD=${RSYSLOGD:-$(command -v rsyslogd || echo /usr/sbin/rsyslogd)}

have_rsyslog() {
	[ -x "$RSYSLOGD" ] && [ -e /usr/lib/x86_64-linux-gnu/rsyslog/imrelp.so ] &&
		[ -e /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so ] && command -v openssl >/dev/null
}

# rs_sign NAME CA SUBJECT_ALT_NAME [openssl ca args...]: NAME.pem/NAME.key
# signed by CA (DIR/CA.pem, DIR/CA.key) in $RS_CERTS.
rs_sign() {
	local name=$1 ca=$2 san=$3 d=$RS_CERTS
	shift 3
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$name" \
		-keyout "$d/$name.key" -out "$d/$name.csr" 2>/dev/null || return 1
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" >"$d/$name.ext"
	if [ $# -eq 0 ]; then
		openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" \
			-CAcreateserial -days 30 -extfile "$d/$name.ext" -out "$d/$name.pem" 2>/dev/null
	else # through `openssl ca`, for dates in the past
		mkdir -p "$d/db.$ca"
		: >"$d/db.$ca/index"
		cat >"$d/$ca.cnf" <<CNF
[ca]
default_ca = c
[c]
dir = $d
database = $d/db.$ca/index
new_certs_dir = $d/db.$ca
serial = $d/db.$ca/serial
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[p]
commonName = supplied
CNF
		echo 01 >"$d/db.$ca/serial"
		openssl ca -batch -config "$d/$ca.cnf" -cert "$d/$ca.pem" -keyfile "$d/$ca.key" \
			-in "$d/$name.csr" -extfile "$d/$name.ext" -out "$d/$name.pem" "$@" 2>/dev/null
	fi
}

# rs_certs: a CA, a server and a client certificate, and the bad ones.
rs_certs() {
	RS_CERTS=$T/certs
	mkdir -p "$RS_CERTS"
	local c
	for c in ca otherca; do
		openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=payops test $c" \
			-keyout "$RS_CERTS/$c.key" -out "$RS_CERTS/$c.pem" 2>/dev/null || return 1
	done
	rs_sign server ca "IP:127.0.0.1,DNS:localhost" &&
	rs_sign client ca "DNS:console.test" &&
	rs_sign wrongname ca "DNS:other.example" &&
	rs_sign untrusted otherca "IP:127.0.0.1,DNS:localhost" &&
	rs_sign expired ca "IP:127.0.0.1,DNS:localhost" \
		-startdate 20200101000000Z -enddate 20200201000000Z
}

# rs_conf NAME SERVER_CERT: $T/NAME.conf from the shipped configuration,
# on free ports (RS_TLS_PORT, RS_RELP_PORT), writing under $T/collected/.
rs_conf() {
	local name=$1 cert=${2:-server}
	RS_TLS_PORT=$(am_free_port) && RS_RELP_PORT=$(am_free_port) || return 1
	mkdir -p "$T/collected" "$T/rs-work-$name"
	sed -e "s#/etc/payops/rsyslog/ca.pem#$RS_CERTS/ca.pem#" \
	    -e "s#/etc/payops/rsyslog/server.pem#$RS_CERTS/$cert.pem#" \
	    -e "s#/etc/payops/rsyslog/server.key#$RS_CERTS/$cert.key#" \
	    -e "s#/var/log/payops/#$T/collected/#" \
	    -e "s#port=\"6514\"#port=\"$RS_TLS_PORT\" address=\"127.0.0.1\"#" \
	    -e "s#port=\"2514\"#port=\"$RS_RELP_PORT\" address=\"127.0.0.1\"#" \
	    "$top_srcdir/contrib/rsyslog/payops.conf" >"$T/$name.conf"
	# a work directory of its own, before anything else
	sed -i "1i global(workDirectory=\"$T/rs-work-$name\")" "$T/$name.conf"
}

# rs_start NAME: rsyslogd in the foreground on $T/NAME.conf; waits until
# both ports listen.  Sets RS_PID.
rs_start() {
	local name=$1
	"$RSYSLOGD" -n -f "$T/$name.conf" -i "$T/rs-$name.pid" >>"$T/rs-$name.out" 2>&1 &
	RS_PID=$!
	PIDS="$PIDS $RS_PID"
	wait_for 20 rs_listening || { cat "$T/rs-$name.out" >&2; return 1; }
}
# listening on PORT (from /proc: a probe connection would make rsyslogd log
# a failed handshake)
rs_port_listens() {
	local hex
	hex=$(printf ':%04X 00000000:0000 0A' "$1")
	grep -q "$hex" /proc/net/tcp
}
rs_listening() { rs_port_listens "$RS_TLS_PORT" && rs_port_listens "$RS_RELP_PORT"; }
rs_stop() { # graceful
	kill -TERM "$RS_PID" 2>/dev/null
	wait "$RS_PID" 2>/dev/null
}
rs_kill() {
	kill -KILL "$RS_PID" 2>/dev/null
	wait "$RS_PID" 2>/dev/null
}
# rs_collected: the file the receiver writes (one per sending host)
rs_collected() { cat "$T"/collected/*.log 2>/dev/null; }
# seqs of the collected payops rows, one per line, in arrival order
rs_seqs() { rs_collected | grep -o '\[payops@32473 seq="[0-9]*"' | grep -o '[0-9]*"$' | tr -d '"'; }
# rs_count: how many payops rows arrived (repeats included)
rs_count() { rs_seqs | wc -l; }

# rs_begin PLAN WHAT NAME: the TAP plan, every test skipped (naming WHAT is
# missing) without rsyslogd, else a receiver NAME started with its
# certificates; RS_TLSOPT holds the client's TLS options for audit-tool.
rs_begin() {
	echo "1..$1"
	if ! have_rsyslog; then
		for i in $(seq 1 "$1"); do echo "ok $i # SKIP $2 not installed"; done
		exit 0
	fi
	rs_certs || { echo "Bail out! cannot make certificates"; exit 1; }
	rs_conf "$3" || { echo "Bail out! no free port"; exit 1; }
	rs_start "$3" || { echo "Bail out! rsyslogd did not start"; exit 1; }
	RS_TLSOPT=(--ca-file "$RS_CERTS/ca.pem" --client-cert "$RS_CERTS/client.pem"
		--client-key "$RS_CERTS/client.key")
}
