#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/tls/tls.sh - transport security for real: payops-sim serving HTTPS on
# 127.0.0.1 with certificates made here, the console's own config loader,
# token reader and HTTP client (tls-driver) on the other end. A good chain
# connects; a wrong CA, an expired certificate, a wrong host name and a
# missing client certificate each fail with words that say which; mutual
# TLS with the right certificate connects; a client key others can read is
# refused before any connection; insecure only when asked.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/tls/certs.sh"

DRIVER=$top_builddir/tests/tls/tls-driver
[ -x "$DRIVER" ] || bail_out "no $DRIVER"
. "$top_srcdir/tests/lib/need.sh"
need openssl openssl
C=$TEST_TMP/certs
tls_make_certs "$C" || bail_out "could not make the test certificates"
pass "openssl made a CA, server, expired, wrong-host and client certificates"

TLS_PID=
TLS_URL=
# tls_sim CERT KEY [ARGS...]: start payops-sim over HTTPS; sets TLS_URL, TLS_PID
tls_sim() {
	local cert=$1 key=$2 out err
	shift 2
	[ -n "$TLS_PID" ] && sim_stop "$TLS_PID"
	out=$TEST_TMP/tls-sim.out
	err=$TEST_TMP/tls-sim.err
	"$SIM_BIN" --port 0 --seed 7 --tick-ms 0 --token-file "$SIM_TOKEN_FILE" \
		--tls-cert "$C/$cert" --tls-key "$C/$key" "$@" >"$out" 2>"$err" </dev/null &
	TLS_PID=$!
	bg_track "$TLS_PID"
	_listening() { grep -qE '^listening on https://127\.0\.0\.1:[0-9]+$' "$out"; }
	if ! wait_until 15 _listening; then
		diag "payops-sim over TLS did not start: $(cat "$err")"
		return 1
	fi
	TLS_URL=$(sed -n 's/^listening on //p' "$out")
}

# drive [YAML LINES...]: a config for $TLS_URL plus the lines, then one GET
# /v1/me; sets OUT (stdout+stderr), RC, ERR_LINE, STATUS
CFG=$TEST_TMP/config.yaml
drive() {
	local url=${URL_OVERRIDE:-$TLS_URL} line
	{
		printf 'sites:\n  - name: sh-a\n    url: %s\n' "$url"
		printf 'token_env: PAYOPS_TLS_TOKEN\n'
		for line in "$@"; do printf '%s\n' "$line"; done
	} >"$CFG"
	OUT=$(PAYOPS_TLS_TOKEN=$SIM_TOKEN timeout 20 "$DRIVER" --config "$CFG" ${DRIVE_ARGS:-} 2>&1)
	RC=$?
	ERR_LINE=$(printf '%s\n' "$OUT" | sed -n 's/^error //p')
	STATUS=$(printf '%s\n' "$OUT" | sed -n 's/^status //p')
	diag "rc=$RC status=$STATUS error: $ERR_LINE"
}

# -- a good chain --------------------------------------------------------
tls_sim good.pem good.key || bail_out "payops-sim would not serve TLS"
like "$TLS_URL" '^https://127\.0\.0\.1:[0-9]+$' "the sim's listen line says https://"
drive 'tls:' "  ca_file: $C/ca.pem"
is "$RC:$STATUS" "0:200" "a good chain connects (GET /v1/me 200)"
like "$OUT" "\"operator_id\":\"$SIM_OPERATOR\"" "and the platform knows the operator"
URL_OVERRIDE=${TLS_URL/127.0.0.1/localhost} drive 'tls:' "  ca_file: $C/ca.pem"
is "$RC:$STATUS" "0:200" "by the host name localhost too (DNS name in the certificate)"

# -- a wrong CA, and no CA: verification is on by default -----------------
drive 'tls:' "  ca_file: $C/other.pem"
is "$RC:$STATUS" "1:0" "a CA that did not sign the server's certificate: no connection"
like "$ERR_LINE" "not signed by a trusted CA" "the message says the CA is not trusted"
like "$ERR_LINE" "(unable to get local issuer|unknown CA)" "with the TLS library's words (unknown CA)"
drive
is "$RC:$STATUS" "1:0" "no ca_file: the system CAs do not know the test CA either"
like "$ERR_LINE" "(unable to get local issuer|unknown CA)" "and the message says so"
DRIVE_ARGS=--insecure drive
is "$RC:$STATUS" "0:200" "insecure (an explicit flag only) skips the check"

# -- expired -------------------------------------------------------------
tls_sim expired.pem expired.key || bail_out "payops-sim would not serve the expired certificate"
drive 'tls:' "  ca_file: $C/ca.pem"
is "$RC:$STATUS" "1:0" "an expired server certificate: no connection"
like "$ERR_LINE" "certificate has expired" "the message says the certificate has expired"

# -- wrong host name -----------------------------------------------------
tls_sim wronghost.pem wronghost.key || bail_out "payops-sim would not serve the wrong-host certificate"
drive 'tls:' "  ca_file: $C/ca.pem"
is "$RC:$STATUS" "1:0" "a certificate for another host name: no connection"
like "$ERR_LINE" "does not match the host name" "the message says the name does not match"

# -- mutual TLS ----------------------------------------------------------
tls_sim good.pem good.key --tls-client-ca "$C/clientca.pem" ||
	bail_out "payops-sim would not require client certificates"
drive 'tls:' "  ca_file: $C/ca.pem"
is "$RC:$STATUS" "1:403" "the server requires a client certificate, none configured: refused"
like "$OUT" "client certificate.*none was sent" "the answer says a client certificate is required"
like "$OUT" "client_certificate_required" "with its problem code"
drive 'tls:' "  ca_file: $C/ca.pem" "  client_cert: $C/client.pem" "  client_key: $C/client.key"
is "$RC:$STATUS" "0:200" "mutual TLS with the right client certificate connects"
drive 'tls:' "  ca_file: $C/ca.pem" "  client_cert: $C/stranger.pem" "  client_key: $C/stranger.key"
is "$RC:$STATUS" "1:403" "a client certificate from a CA the server does not trust: refused"
like "$OUT" "client_certificate_untrusted" "and the answer says the certificate is not trusted"
drive 'tls:' "  ca_file: $C/ca.pem" "  client_cert: $C/client.pem" "  client_key: $C/stranger.key"
is "$RC:$STATUS" "1:0" "a key that does not belong to the certificate: no connection"
like "$ERR_LINE" "client certificate or key" "the message names the client certificate or key"

# -- the client key's file mode ------------------------------------------
cp "$C/client.key" "$C/loose.key" && chmod 644 "$C/loose.key"
drive 'tls:' "  ca_file: $C/ca.pem" "  client_cert: $C/client.pem" "  client_key: $C/loose.key"
is "$RC" 2 "a client key readable by group and others is refused by the config loader"
like "$OUT" "client_key': .*loose.key has mode 0644" "the message names the file and its mode"
like "$OUT" "chmod 600 " "and says how to fix it"
unlike "$OUT" "^status " "no connection was made with it"
chmod 640 "$C/loose.key"
drive 'tls:' "  ca_file: $C/ca.pem" "  client_cert: $C/client.pem" "  client_key: $C/loose.key"
like "$RC:$OUT" "^2:.*mode 0640" "group-readable (0640) is refused too"
chmod 600 "$C/loose.key"
drive 'tls:' "  ca_file: $C/ca.pem" "  client_cert: $C/client.pem" "  client_key: $C/loose.key"
is "$RC:$STATUS" "0:200" "the same key at 0600 connects"

# -- the console itself: the TLS words on its message line; --insecure ----
if command -v tmux >/dev/null 2>&1 && [ -x "$top_builddir/payops" ]; then
	TMUX_TMP=$TEST_TMP
	. "$top_srcdir/tests/lib/tmux.sh"
	export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
	export XDG_CONFIG_HOME=$TEST_TMP/xc XDG_STATE_HOME=$TEST_TMP/xs XDG_CACHE_HOME=$TEST_TMP/xk
	tls_sim good.pem good.key || bail_out "payops-sim would not serve TLS"
	printf 'sites:\n  - name: sh-a\n    url: %s\ntoken_env: PAYOPS_TLS_TOKEN\ntls:\n  ca_file: %s\n' \
		"$TLS_URL" "$C/other.pem" >"$CFG"
	export PAYOPS_TLS_TOKEN=$SIM_TOKEN
	tmux_start "$top_builddir/payops" --config "$CFG"
	tmux_wait_for "not signed by a trusted CA" 15
	ok $? "the console, told the wrong CA, says so on its screen"
	unlike "$(tmux_screen | head -n 1)" "INSECURE" "no INSECURE banner without the flag"
	tmux_keys q
	is "$(tmux_wait_exit 10)" 0 "q quits"
	tmux_start "$top_builddir/payops" --insecure --config "$CFG"
	tmux_wait_for "sh-a: up" 15
	ok $? "payops --insecure connects in spite of the wrong CA"
	like "$(tmux_screen | head -n 1)" "INSECURE: TLS NOT VERIFIED" "and its status bar says INSECURE: TLS NOT VERIFIED"
	# red: a red background (SGR 41, or one of the 256-colour reds) on the banner
	like "$(_tmux capture-pane -e -p -t e2e | head -n 1)" \
		$'\e\\[(41|48;5;(1|9|52|88|124|160|196))m[^\e]*INSECURE' "in red"
	tmux_keys 7
	sleep 0.5
	like "$(tmux_screen | head -n 1)" "INSECURE: TLS NOT VERIFIED" "on every pane"
	tmux_keys q
	is "$(tmux_wait_exit 10)" 0 "q quits"
else
	skip 8 "no tmux or no payops"
fi

# -- nothing leaked the token --------------------------------------------
unlike "$(cat "$TEST_TMP"/tls-sim.err)" "$SIM_TOKEN" "the token is in no log of the run"

sim_stop "$TLS_PID"
done_testing
