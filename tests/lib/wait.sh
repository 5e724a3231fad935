# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/wait.sh - the clock and the one bounded wait of the shell tests
# (sourced by sim.sh and tmux.sh; sourcing it twice is harmless).
#
# Environment in:  TEST_TIME_SCALE  a whole number every deadline (and
#                  every bound on how long something may take) is
#                  multiplied by. Default: 3 when $top_builddir/payops is
#                  built with AddressSanitizer (it runs about three times
#                  slower), times the machine's load when it is loaded (the
#                  1-minute load average per CPU, rounded up, at most 4),
#                  else 1. Set it by hand to override.
#
# _now_ms                  the wall clock in milliseconds
# scaled SECS              SECS times TEST_TIME_SCALE (whole seconds)
# wait_until SECS CMD...   run CMD every WAIT_STEP seconds (default 0.05)
#                          until it succeeds: 0 then; 1 when SECS (scaled)
#                          passed first
# since_ms T0              milliseconds since T0 (a _now_ms value)
# at_least_ms T0 MS        true once MS milliseconds have passed since T0
# wakeups PID              how many times process PID has gone to sleep and
#                          been woken (voluntary context switches): a count
#                          in the program's own terms, whatever the load
# steady VALUE CLOCK N     a condition for wait_until: true once the command
#                          VALUE has printed the same thing while the
#                          command CLOCK (a counter: ticks, wake-ups) went
#                          up by N; call steady_reset before waiting
#
# A test waits for the condition it means, bounded by a generous deadline:
# the deadline only decides how long a failing test takes, never whether a
# working one passes. Where a test measures that nothing happens for a
# while, the window is a sleep or an at_least_ms, said so in a comment, and
# its end is a condition in the program's own terms (polls answered, events
# sent, wake-ups) as well, so that a slow machine stretches the window
# instead of emptying it.

if [ -z "${_WAIT_SH:-}" ]; then
_WAIT_SH=1

if [ -z "${TEST_TIME_SCALE:-}" ]; then
	TEST_TIME_SCALE=1
	if grep -aq __asan_init "${top_builddir:-.}/payops" 2>/dev/null; then
		TEST_TIME_SCALE=3
	fi
	TEST_TIME_SCALE=$((TEST_TIME_SCALE * $(awk -v n="$(nproc 2>/dev/null || echo 1)" '
		{ f = int($1 / n); if (f < $1 / n) f++; if (f < 1) f = 1; if (f > 4) f = 4; print f }
		END { if (NR == 0) print 1 }' /proc/loadavg 2>/dev/null || echo 1)))
fi
case $TEST_TIME_SCALE in
'' | *[!0-9]* | 0) TEST_TIME_SCALE=1 ;;
esac

_now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	printf '%s' "$((t / 1000))"
}

scaled() {
	printf '%s' "$((${1%.*} * TEST_TIME_SCALE))"
}

since_ms() {
	printf '%s' "$(($(_now_ms) - $1))"
}

at_least_ms() {
	[ "$(($(_now_ms) - $1))" -ge "$2" ]
}

wakeups() {
	awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

steady_reset() { _STEADY_V=; _STEADY_C=; }
steady() {
	local v c
	v=$("$1") c=$("$2")
	if [ -z "$_STEADY_C" ] || [ "$v" != "$_STEADY_V" ]; then
		_STEADY_V=$v _STEADY_C=$c
		return 1
	fi
	[ "${c:-0}" -ge $((_STEADY_C + $3)) ]
}

wait_until() {
	local limit=$1 deadline
	shift
	deadline=$(($(_now_ms) + $(scaled "$limit") * 1000))
	while :; do
		"$@" && return 0
		[ "$(_now_ms)" -ge "$deadline" ] && return 1
		sleep "${WAIT_STEP:-0.05}"
	done
}

fi
