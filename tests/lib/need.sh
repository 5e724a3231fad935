# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/need.sh - what a shell test needs from the machine (sourced).
#
#   need CMD PACKAGE [CMD PACKAGE ...]
#
# Each CMD must be on the PATH (or be an executable path). When one is
# missing the test is skipped: it prints "1..0 # SKIP ..." naming the Debian
# package, and exits 77, so `make check` and `make distcheck` pass on a
# minimal builder. The README's test command installs every tool and sets
# PAYOPS_REQUIRE_TOOLS=1: there a missing tool is a failure, not a skip.

need() {
	local missing=() pkgs=()
	while [ $# -ge 2 ]; do
		if ! command -v "$1" >/dev/null 2>&1; then
			missing+=("$1"); pkgs+=("$2")
		fi
		shift 2
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "${PAYOPS_REQUIRE_TOOLS:-0}" = 1 ]; then
		printf '1..1\nnot ok 1 - missing tool: %s (apt-get install %s)\n' \
			"${missing[*]}" "${pkgs[*]}"
		exit 1
	fi
	printf '1..0 # SKIP missing tool: %s (apt-get install %s)\n' \
		"${missing[*]}" "${pkgs[*]}"
	exit 77
}
