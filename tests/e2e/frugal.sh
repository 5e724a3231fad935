#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The console is frugal with the terminal: with the platform frozen it
# writes zero bytes (sync keeps polling, nothing moves); one tick of the
# world shows its new values in the Channels pane at once, in less than a
# repaint of the screen; frozen again, zero bytes again.
#
# A frozen window is measured in the console's own terms: it lasts five
# seconds at least, and until every list the console reads has been polled
# and answered 304 twice, so a slow machine stretches the window instead of
# emptying it. It opens once the screen has settled: the greeting gone, the
# 'just changed' markers expired, and a whole round of polls gone by
# without a byte.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0 --channels 60 --cases 200 --breaks 500 --limits 200
# beside the stream the lists are resynced every two seconds: a window sees
# several rounds of polls
e2e_config 'poll_interval: 1s' 'slow_poll_interval: 2s' 'resync_interval: 2s'
e2e_start
tmux_wait_for "sh-a: up" 30
ok $? "the console connects"
tmux_keys 2
api GET '/v1/channels?limit=500'
first=$(jb '[.data[].id] | sort | .[0]')
# Channels opens worst success rate first: id order puts $first on top
tmux_wait_for "\\[2 Channels\\]" 30
e2e_sort_id "$first" 30
ok $? "the Channels pane shows $first first"

# The lists the console polls.
LISTS=(channels routes alerts limits recon/breaks onboarding/cases recon/summary)

# window FILE MIN_MS ROUNDS: what the console writes while the frozen
# platform is polled, from now until MIN_MS have passed and every list was
# answered 304 ROUNDS more times. Sets W_BYTES, W_RC (the wait's status) and
# W_SAID (what the window held).
window() {
	local f=$1
	: >"$f"
	tmux_pipe_start "$f"
	e2e_polled_window "$2" "$3" "${LISTS[@]}"
	W_RC=$?
	tmux_pipe_stop
	W_SAID=$E2E_WINDOW
	W_BYTES=$(stat -c %s "$f")
}

# settle: the 'just changed' markers (five seconds) have expired, and then
# a whole round of polls passes without a byte (three tries)
settle() {
	local i
	tmux_wait_gone '^\* ' 30 || return 1
	for i in 1 2 3; do
		window "$TEST_TMP/settle.bytes" 0 1
		[ "$W_RC" = 0 ] && [ "$W_BYTES" = 0 ] && return 0
		diag "not settled yet: $W_BYTES bytes in $W_SAID"
	done
	return 1
}

tmux_wait_gone "connected to" 30
ok $? "the greeting goes"
settle
ok $? "the screen settles: no marker, a round of polls without a byte"
window "$TEST_TMP/frozen1.bytes" 5000 2
ok "$W_RC" "sync keeps polling: the window closes ($W_SAID)"
is "$W_BYTES" 0 "frozen world: zero bytes in the window"

# What a repaint of the whole screen costs (Ctrl-L), for comparison: it
# ends with the key hints on the last line but one.
full=$TEST_TMP/full.bytes
: >"$full"
tmux_pipe_start "$full"
tmux_keys C-l
_repainted() { grep -aq quit "$full"; }
wait_until 30 _repainted
ok $? "Ctrl-L repaints the screen down to the key hints"
tmux_pipe_stop
full=$(stat -c %s "$full")

# One tick: every channel may move (the sim steps up to 200 a tick). The
# first channel shows the API's new values within three seconds (scaled
# for a sanitizer build or a loaded machine: wait.sh), then every channel
# row on screen does. The tick's bytes are counted until then and until
# every list has been polled once more: whatever else the tick changes has
# been drawn by then.
expect=$TEST_TMP/expect
_rows_current() { # [ID]: every data row (or ID's) shows its success rate and p95
	tmux_screen | awk -v only="${1:-}" '
		NR == FNR { sr[$1] = " " $2; p95[$1] = " " $3; next }
		FNR >= 4 {
			id = ""
			for (i = 1; i <= NF; i++) if ($i != "*" && $i != "+") { id = $i; break }
			if (!(id in sr) || (only != "" && id != only)) next
			n++
			if (index($0, sr[id]) == 0 || index($0, p95[id]) == 0) bad++
		}
		END { exit !(n > 0 && bad == 0) }' "$expect" -
}
: >"$TEST_TMP/tick.bytes"
tmux_pipe_start "$TEST_TMP/tick.bytes"
c0=$(e2e_answers '[0-9]+' "${LISTS[@]}")
t0=$(_now_ms)
sim_tick 1
api GET '/v1/channels?limit=500'
jb '.data[] | "\(.id) \(.system_success_rate) \(.latency_ms.p95)"' |
	awk '{ printf "%s %.2f%% %.0fms\n", $1, $2 * 100, $3 }' >"$expect"
WAIT_STEP=0.1 wait_until 30 _rows_current "$first"
ok $? "after one tick the new success rate and p95 of $first show" ||
	diag "$(grep -F "$first " "$expect")" "$(tmux_screen)"
shown=$(since_ms "$t0")
cmp_ok "$shown" -le "$(scaled 3)000" "... at once ($shown ms; bound x$TEST_TIME_SCALE)"
WAIT_STEP=0.1 wait_until 30 _rows_current
ok $? "... and those of every channel on screen"
WAIT_STEP=0.2 wait_until 60 e2e_each_answered '[0-9]+' "$c0" 1 "${LISTS[@]}"
ok $? "... and every list is polled once more ($(since_ms "$t0") ms)"
tmux_pipe_stop
tick=$(stat -c %s "$TEST_TMP/tick.bytes")
cmp_ok "$tick" '>' 0 "the tick was written ($tick bytes)"
diag "one tick: $tick bytes; a full repaint: $full bytes"
cmp_ok "$tick" '<' "$full" "the tick cost less than repainting the screen"

# frozen again, once the tick's markers have expired
settle
ok $? "the screen settles again"
window "$TEST_TMP/frozen2.bytes" 5000 2
ok "$W_RC" "the window closes ($W_SAID)"
is "$W_BYTES" 0 "frozen again: zero bytes in the window"
like "$(tmux_screen)" "$first" "the data stays on screen"

tmux_keys q
is "$(tmux_wait_exit 30)" 0 "q quits with status 0"
done_testing
