# SPDX-License-Identifier: ISC (see COPYING)
# tests/e2e/common.sh - shared set-up of the end-to-end tests (sourced):
# TAP, the simulator helpers, tmux, and a console configured for the sim.
#
# e2e_config [YAML...]   write $E2E_CONFIG for $SIM_URL (token from the
#                        environment variable PAYOPS_E2E_TOKEN), extra
#                        top-level YAML lines appended
# e2e_start [ARGS...]    run payops --config $E2E_CONFIG ARGS in tmux
# e2e_row N              the N-th data row of the table (1 = first)
# e2e_cursor_line        the screen line (1-based) the hardware cursor is on
# e2e_cursor_pos         the hardware cursor as X,Y (0-based)
# e2e_line N             screen line N (1-based)
# e2e_resize COLS LINES ERE [FILE]
#                        resize the window and wait until the console has
#                        repainted: cleared the screen, then written text
#                        matching ERE (the last thing its frame draws, such
#                        as a key hint); FILE: the pipe already running
#                        (tmux_pipe_start), else one is run for the wait
# e2e_answers ERE LIST...
#                        how often the sim answered each LIST (channels,
#                        recon/breaks, ...) with a status matching ERE, as
#                        one line of counts
# e2e_each_answered ERE BEFORE N LIST...
#                        each LIST answered N more times than the counts
#                        BEFORE (an e2e_answers line)
# e2e_polled_window MIN_MS ROUNDS LIST...
#                        a window measured in the console's own terms: wait
#                        until MIN_MS have passed and each LIST has been
#                        answered 304 ROUNDS more times (bounded); sets
#                        E2E_WINDOW to what it held, in words
# e2e_ticked_window MIN_MS TICKS WAKES
#                        a window measured in the world's and the console's
#                        terms: wait until MIN_MS have passed, the sim has
#                        ticked TICKS times and the console woken WAKES times
#                        (bounded); sets E2E_T0 and E2E_WAKE0 to its start
# e2e_open_disable SECS  find the enabled channel with the least traffic,
#                        filter the table to it and open its disable dialog
#                        (each wait SECS); sets E2E_CHANNEL to its id
# e2e_confirm_disable REASON SECS
#                        fill the open disable dialog (REASON, ticket CHG-1)
#                        and confirm, again after each version conflict (at
#                        most three); true once it says applied (waits SECS)

: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
TMUX_TMP=$TEST_TMP
. "$top_srcdir/tests/lib/tmux.sh"

PAYOPS=$top_builddir/payops
[ -x "$PAYOPS" ] || bail_out "no $PAYOPS"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR PAYOPS_CONFIG
export TERM=xterm-256color
export XDG_CONFIG_HOME=$TEST_TMP/xdg-config XDG_STATE_HOME=$TEST_TMP/xdg-state
export XDG_CACHE_HOME=$TEST_TMP/xdg-cache
E2E_CONFIG=$TEST_TMP/config.yaml

e2e_config() {
	{
		printf 'sites:\n  - name: sh-a\n    url: %s\n' "$SIM_URL"
		printf 'token_env: PAYOPS_E2E_TOKEN\n'
		local line
		for line in "$@"; do
			printf '%s\n' "$line"
		done
	} >"$E2E_CONFIG"
	export PAYOPS_E2E_TOKEN=$SIM_TOKEN
}

e2e_start() {
	tmux_start "$PAYOPS" --config "$E2E_CONFIG" "$@"
}

e2e_line() {
	tmux_screen | sed -n "${1}p"
}

# Data rows start on line 4: status bar, tab row, table header.
e2e_row() {
	e2e_line $((3 + $1))
}

e2e_cursor_line() {
	local y
	y=$(_tmux display-message -p -t e2e '#{cursor_y}')
	printf '%s' "$((y + 1))"
}

# The first word (the channel id) of a screen line, without the marker
# columns.
e2e_first_word() {
	awk '{ for (i = 1; i <= NF; i++) if ($i != "*" && $i != "+") { print $i; exit } }'
}

e2e_cursor_pos() {
	_tmux display-message -p -t e2e '#{cursor_x},#{cursor_y}'
}

# a clear screen (home and erase, as curses sends it), then ERE, after FROM
_e2e_repainted() { # FILE FROM-BYTE ERE
	tail -c +"$(($2 + 1))" "$1" | grep -aoE -- $'\e\\[H\e\\[2?J|'"$3" |
		awk '/^\033\[H\033\[/ { c = 1; next } c { ok = 1 } END { exit !ok }'
}
e2e_resize() { # COLS LINES ERE [FILE]
	local f=${4:-$TEST_TMP/resize.bytes} from=0 rc
	if [ -n "${4:-}" ]; then
		from=$(stat -c %s "$f")
	else
		: >"$f"
		tmux_pipe_start "$f"
	fi
	tmux_resize "$1" "$2"
	WAIT_STEP=0.1 wait_until 30 _e2e_repainted "$f" "$from" "$3"
	rc=$?
	[ -n "${4:-}" ] || tmux_pipe_stop
	[ "$rc" = 0 ] || diag "no repaint at $1x$2 ending in /$3/ after the resize"
	return $rc
}

e2e_answers() { # ERE LIST...
	local re=$1 l
	shift
	for l in "$@"; do
		printf '%s ' "$(sim_requests " GET /v1/$l $re ")"
	done
}

e2e_each_answered() { # ERE BEFORE N LIST...
	local re=$1 n=$3 i
	local -a before now
	read -ra before <<<"$2"
	shift 3
	read -ra now <<<"$(e2e_answers "$re" "$@")"
	for i in "${!before[@]}"; do
		[ "${now[i]:-0}" -ge $((before[i] + n)) ] || return 1
	done
}

_e2e_window_closes() { at_least_ms "$1" "$2" && e2e_each_answered 304 "${@:3}"; }
e2e_polled_window() { # MIN_MS ROUNDS LIST...
	local min=$1 rounds=$2 c0 t0 w0 rc
	shift 2
	c0=$(e2e_answers 304 "$@")
	t0=$(_now_ms)
	w0=$(tmux_wakeups)
	WAIT_STEP=0.2 wait_until 60 _e2e_window_closes "$t0" "$min" "$c0" "$rounds" "$@"
	rc=$?
	E2E_WINDOW="$(since_ms "$t0") ms, $rounds rounds of $# polls answered 304, $(($(tmux_wakeups) - w0)) wake-ups"
	return $rc
}

_e2e_first_row_is() { [ "$(e2e_row 1 | e2e_first_word)" = "$1" ]; }
# :sort id and g, then wait until ID is the first row (bounded). Channels
# opens worst success rate first, so ID may already stand lower down: a
# wait for it anywhere on the screen would read the rows before the sort.
e2e_sort_id() { # ID SECS
	tmux_keys : && tmux_type "sort id" && tmux_keys Enter g
	wait_until "${2:-5}" _e2e_first_row_is "$1" && return 0
	diag "waited $(scaled "${2:-5}")s for $1 on the first row; the screen shows:"
	diag "$(tmux_screen)"
	return 1
}

_e2e_cursor_is() { [ "$(e2e_cursor_line)" = "$1" ]; }
# Wait until the hardware cursor is on screen line N (bounded).
e2e_wait_cursor() {
	wait_until "${2:-5}" _e2e_cursor_is "$1"
}

_e2e_ticked() { at_least_ms "$E2E_T0" "$1" && [ "$(sim_state .ticks)" -ge "$2" ] &&
	[ "$(tmux_wakeups)" -ge "$3" ]; }
e2e_ticked_window() { # MIN_MS TICKS WAKES
	local ticks0
	ticks0=$(sim_state .ticks)
	E2E_WAKE0=$(tmux_wakeups)
	E2E_T0=$(_now_ms)
	WAIT_STEP=0.25 wait_until 60 _e2e_ticked "$1" $((ticks0 + $2)) $((E2E_WAKE0 + $3))
}

e2e_open_disable() { # SECS
	api GET '/v1/channels?limit=500'
	E2E_CHANNEL=$(jb '[.data[] | select(.admin_state == "enabled")] | sort_by(.traffic_share) | .[0].id')
	tmux_keys /
	tmux_type "$E2E_CHANNEL"
	tmux_keys Enter
	tmux_wait_for "^ *\*? *$E2E_CHANNEL .*enabled" "$1"
	tmux_keys d
	tmux_wait_for "Disable channel" "$1"
}

e2e_confirm_disable() { # REASON SECS
	tmux_type "$1"
	tmux_keys Tab
	tmux_type "CHG-1"
	tmux_keys Tab y
	# the world moves: a version conflict shows the new state and asks again
	for _ in 1 2 3; do
		tmux_wait_for "applied, now admin_state=disabled|CHANGED since you looked" "$2" || break
		tmux_screen | grep -q "CHANGED since you looked" || break
		# focus is back on Reason: to the buttons, confirm; the question goes
		tmux_keys Tab Tab y
		tmux_wait_gone "CHANGED since you looked" 60 ||
			diag "the conflict question stays after confirming again"
	done
	tmux_wait_for "applied, now admin_state=disabled" "$2"
}
