# SPDX-License-Identifier: ISC (see COPYING)
# Shared helpers for the audit shell tests (TAP output).
set -u
: "${top_builddir:?top_builddir not set}"
TOOL="$top_builddir/tests/audit/audit-tool"
COLLECTOR="$top_builddir/tests/audit/audit-collector"
T=$(mktemp -d "${TMPDIR:-/tmp}/audit-sh.XXXXXX")
PIDS=""
n=0
failed=0
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() { # check "description" command...
	local d=$1; shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
# wait_for SECONDS command...: poll a condition, bounded
wait_for() {
	local limit=$(( $1 * 10 )); shift
	local i=0
	while [ $i -lt $limit ]; do
		if "$@"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
