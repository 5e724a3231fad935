#!/bin/bash
# tests/net/http.sh: start the test server on a free 127.0.0.1 port and run
# the HTTP and SSE client tests against it. The TAP comes from the client.
set -u
bld=${top_builddir:-.}
server=$bld/tests/net/httpd
client=$bld/tests/net/http_test
tmp=$(mktemp -d) || exit 1
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

"$server" >"$tmp/port" 2>"$tmp/server.log" &
pid=$!
port=
for _ in $(seq 1 100); do
	port=$(head -n1 "$tmp/port" 2>/dev/null)
	[ -n "$port" ] && break
	sleep 0.05
done
if [ -z "$port" ]; then
	echo "1..0 # SKIP test server did not start"
	cat "$tmp/server.log" >&2
	exit 1
fi
timeout 120 "$client" "http://127.0.0.1:$port"
rc=$?
exit $rc
