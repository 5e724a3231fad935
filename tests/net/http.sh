#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/net/http.sh: start the test server on free 127.0.0.1 ports (plain
# HTTP, and HTTPS with a throwaway self-signed certificate when openssl is
# there) and run the HTTP and SSE client tests against them. The TAP comes
# from the client test.
set -u
bld=${top_builddir:-.}
server=$bld/tests/net/httpd
client=$bld/tests/net/http_test
tmp=$(mktemp -d) || exit 1
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_server NAME [ARGS...]: the server in the background, its port to
# come in $tmp/NAME.port (not in a $(...) subshell: its pid must reach
# pids, or the cleanup cannot stop it)
start_server() {
	local name=$1
	shift
	"$server" "$@" >"$tmp/$name.port" 2>"$tmp/$name.log" &
	pids+=($!)
}
# server_port NAME: the port, once the server has said it
server_port() {
	local port=
	for _ in $(seq 1 100); do
		port=$(head -n1 "$tmp/$1.port" 2>/dev/null)
		[ -n "$port" ] && break
		sleep 0.05
	done
	printf '%s' "$port"
}

start_server plain
port=$(server_port plain)
if [ -z "$port" ]; then
	echo "1..0 # SKIP test server did not start"
	cat "$tmp/plain.log" >&2
	exit 1
fi
args=("http://127.0.0.1:$port")
if command -v openssl >/dev/null &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 \
		-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1; then
	start_server tls "$tmp/cert.pem" "$tmp/key.pem"
	tport=$(server_port tls)
	[ -n "$tport" ] && args+=("https://127.0.0.1:$tport" "$tmp/cert.pem")
fi
timeout 120 "$client" "${args[@]}"
