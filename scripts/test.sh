#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# scripts/test.sh: install what is missing, build with -Werror, run every test;
# then build again with AddressSanitizer + UBSan and run every test again.
# Ends with one line "N passed, N failed" over everything that ran.
#   scripts/test.sh [--quick]   (--quick: skip the sanitizer pass)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
set +e

quick=no
for a in "$@"; do [ "$a" = --quick ] && quick=yes; done

setup_install "${build_pkgs[@]}" "${test_pkgs[@]}" || exit 1
setup_locale zh_CN.UTF-8 || exit 1

passed=0 failed=0 skipped=0 status=0

# Every tool is installed above: a test that finds one missing fails here
# instead of skipping (tests/lib/need.sh).
export PAYOPS_REQUIRE_TOOLS=1

# run_tap NAME CMD...: a TAP producer outside make check; add up its lines.
run_tap() {
	local name=$1 out rc p f s; shift
	echo "== $name" >&2
	out=$("$@" 2>&1); rc=$?
	p=$(grep -cE '^ok [0-9]+' <<<"$out" | head -n1)
	s=$(grep -cE '^ok [0-9]+.*# SKIP' <<<"$out" | head -n1)
	f=$(grep -cE '^not ok [0-9]+' <<<"$out" | head -n1)
	p=$((p - s))
	grep -E '^(not ok|#)' <<<"$out" >&2
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "== $name: $p passed, $f failed, $s skipped" >&2
	[ "$f" -gt 0 ] && status=1
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

# run_suite NAME DIR [configure args]: build, make check, add up the totals
# the TAP harness wrote (every case, not every program).
run_suite() {
	local name=$1 dir=$2; shift 2
	echo "== $name: build" >&2
	if ! setup_build "$dir" "$@"; then
		echo "== $name: BUILD FAILED" >&2
		failed=$((failed + 1)); status=1; return
	fi
	echo "== $name: make check" >&2
	make -C "$dir" -s -j"$(nproc)" check ${SUITE_TESTS:+TESTS="$SUITE_TESTS"} \
		>"$dir/check.out" 2>&1
	local rc=$?
	grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP|XFAIL):' "$dir/check.out" \
		| grep -vE '^PASS:' >&2
	local log="$dir/test-suite.log" p f s
	if [ ! -f "$log" ]; then
		tail -n 40 "$dir/check.out" >&2
		failed=$((failed + 1)); status=1; return
	fi
	p=$(awk '/^# PASS:/{print $3}' "$log"); p=${p:-0}
	s=$(awk '/^# SKIP:/{print $3}' "$log"); s=${s:-0}
	f=$(awk '/^# (FAIL|ERROR|XPASS):/{n+=$3} END{print n+0}' "$log")
	local xf; xf=$(awk '/^# XFAIL:/{print $3}' "$log"); xf=${xf:-0}
	echo "== $name: $((p + xf)) passed, $f failed, $s skipped" >&2
	if [ "$f" -gt 0 ] || [ $rc -ne 0 ]; then
		status=1
		# show what failed, so a CI log says why
		awk '/^(FAIL|ERROR|XPASS):/{print}' "$log" >&2
		grep -hE '^not ok' "$dir"/tests/*/*.log 2>/dev/null | head -n 50 >&2
		[ "$f" -eq 0 ] && f=1
	fi
	passed=$((passed + p + xf)); failed=$((failed + f)); skipped=$((skipped + s))
}

run_suite "werror build" "$top/_build" --enable-werror
# the Debian packages, built, linted, installed, run and removed (root only)
run_tap "debian packages" bash "$top/scripts/pkgtest.sh" "$top/_build"
if [ $quick = no ]; then
	run_suite "sanitizer build" "$top/_build-san" --enable-werror --enable-sanitizers
	# every parser under libFuzzer for a few seconds each
	SUITE_TESTS=fuzz/run.sh run_suite "fuzz build" "$top/_build-fuzz" CC=clang --enable-fuzzing
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
exit $status
