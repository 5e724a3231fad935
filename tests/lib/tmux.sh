# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/tmux.sh - drive a full-screen program in a private tmux server
# (sourced after tap.sh, and after sim.sh when both are used: it chains
# the EXIT trap that sim.sh sets). Needs tmux.
#
# Environment in:  TMUX_COLS, TMUX_LINES (default 140x40), TMUX_TMP (scratch
#                  directory; default a mktemp -d removed at exit)
#
# tmux_start CMD [ARGS...]   start CMD in a detached session of a private
#                            server (tmux -L payops-e2e-$$ -f /dev/null) at a
#                            fixed size; its exit status lands in
#                            $TMUX_TMP/rc when it ends
# tmux_start_held CMD [ARGS...]
#                            the same, but CMD waits until tmux_release: set
#                            up the pane first (a pipe from its first byte,
#                            a title)
# tmux_release               let the held CMD run
# tmux_screen                print the visible screen (capture-pane -p)
# tmux_wait_for ERE [SECS]   poll the screen every 0.1 s until a line matches
#                            ERE (default 10 s, scaled: wait.sh); 0 when it
#                            did, 1 (and the screen as diagnostics) when it
#                            timed out
# tmux_wait_gone ERE [SECS]  the same, until no line matches
# tmux_keys KEYS...          send-keys (tmux key names: Enter Escape C-l ...)
# tmux_type TEXT             send TEXT literally (send-keys -l)
# tmux_resize COLS LINES     resize the window (the program gets SIGWINCH)
# tmux_pipe_start FILE       append everything the program writes to FILE
# tmux_pipe_stop             stop, and wait until every byte tmux passed on
#                            is in the file
# tmux_pid                   the program's process id (the child of the
#                            pane's shell), empty once it has ended
# tmux_wakeups               wakeups (wait.sh) of the program
# tmux_wait_exit [SECS]      wait for the program to end; prints its exit
#                            status (124 when it did not end in time)
# tmux_stop                  kill the server (also done at exit)
#
# A test never sleeps as its assertion: it waits for a screen condition
# with a bound.

. "$(dirname "${BASH_SOURCE[0]}")/need.sh"
need tmux tmux

TMUX_COLS=${TMUX_COLS:-140}
TMUX_LINES=${TMUX_LINES:-40}
TMUX_SOCK=payops-e2e-$$
if [ -z "${TMUX_TMP:-}" ]; then
	TMUX_TMP=$(mktemp -d "${TMPDIR:-/tmp}/payops-tmux.XXXXXX") || bail_out "mktemp failed"
	_TMUX_OWN_TMP=1
fi
unset TMUX # never talk to the tmux the tests may run inside
. "$(dirname "${BASH_SOURCE[0]}")/wait.sh"

_tmux() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

_tmux_cleanup() {
	_tmux kill-server >/dev/null 2>&1
	[ -n "${_TMUX_OWN_TMP:-}" ] && rm -rf "$TMUX_TMP"
}

# Chain with whatever EXIT trap is already set (sim.sh sets one).
_tmux_prev_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\\1/")
# shellcheck disable=SC2064
trap "_tmux_rc=\$?; _tmux_cleanup; (exit \$_tmux_rc); ${_tmux_prev_trap:-exit \$_tmux_rc}" EXIT

_tmux_quote() {
	local a out=
	for a in "$@"; do
		out+=" $(printf '%q' "$a")"
	done
	printf '%s' "${out# }"
}

tmux_start() {
	rm -f "$TMUX_TMP/rc"
	local cmd
	cmd="$(_tmux_quote "$@"); echo \$? > $(printf '%q' "$TMUX_TMP/rc")"
	_tmux new-session -d -s e2e -x "$TMUX_COLS" -y "$TMUX_LINES" \
		"exec bash --norc --noprofile -c $(printf '%q' "$cmd")"
}

tmux_start_held() {
	rm -f "$TMUX_TMP/go"
	tmux_start bash -c 'while [ ! -e "$0" ]; do sleep 0.05; done; exec "$@"' "$TMUX_TMP/go" "$@"
}
tmux_release() { : >"$TMUX_TMP/go"; }

tmux_screen() {
	_tmux capture-pane -p -t e2e 2>/dev/null
}

_tmux_shows() { tmux_screen | grep -qE -- "$1"; }
_tmux_hides() { ! tmux_screen | grep -qE -- "$1"; }

_tmux_poll() { # want(0: match, 1: no match) ERE SECS
	local want=$1 re=$2 secs=${3:-10} cond=_tmux_shows
	[ "$want" = 0 ] || cond=_tmux_hides
	# a capture costs a process or two: every 0.1 s is enough
	WAIT_STEP=0.1 wait_until "$secs" "$cond" "$re" && return 0
	diag "waited $(scaled "$secs")s for the screen to $([ "$want" = 0 ] || echo 'stop to ')match /$re/; it shows:"
	diag "$(tmux_screen)"
	return 1
}

tmux_wait_for() { _tmux_poll 0 "$1" "${2:-10}"; }
tmux_wait_gone() { _tmux_poll 1 "$1" "${2:-10}"; }

tmux_keys() { _tmux send-keys -t e2e "$@"; }
tmux_type() { _tmux send-keys -t e2e -l "$1"; }

tmux_resize() { _tmux resize-window -t e2e -x "$1" -y "$2"; }

# The reader of the pipe says when it has written the last byte: tmux
# closes the pipe on stop, cat drains it and ends, then the mark appears.
_TMUX_PIPED=$TMUX_TMP/pipe.closed
_TMUX_PIPING=
tmux_pipe_start() {
	rm -f "$_TMUX_PIPED"
	_TMUX_PIPING=1
	_tmux pipe-pane -O -t e2e "cat >> $(printf '%q' "$1"); : > $(printf '%q' "$_TMUX_PIPED")"
}
_tmux_pipe_closed() { [ -e "$_TMUX_PIPED" ]; }
tmux_pipe_stop() {
	_tmux pipe-pane -t e2e
	[ -n "$_TMUX_PIPING" ] || return 0
	_TMUX_PIPING=
	wait_until 10 _tmux_pipe_closed || diag "the pipe's reader did not end"
	rm -f "$_TMUX_PIPED"
}

tmux_pid() {
	local shell
	shell=$(_tmux display-message -p -t e2e '#{pane_pid}' 2>/dev/null) || return 0
	[ -n "$shell" ] && ps -o pid= --ppid "$shell" 2>/dev/null | head -n 1 | tr -d ' '
}

tmux_wakeups() {
	local pid
	pid=$(tmux_pid)
	[ -n "$pid" ] && wakeups "$pid"
}

_tmux_ended() { [ -s "$TMUX_TMP/rc" ]; }
tmux_wait_exit() {
	if ! wait_until "${1:-10}" _tmux_ended; then
		echo 124
		return 1
	fi
	cat "$TMUX_TMP/rc"
}

# Kill the server and wait for the console to be gone: a console that is
# still exiting (slowly under the sanitizers) holds its locks, and the next
# one started would find them held.
_tmux_pids_gone() {
	local p
	for p in $_TMUX_STOPPING; do kill -0 "$p" 2>/dev/null && return 1; done
	return 0
}
tmux_stop() {
	local shell
	shell=$(_tmux display-message -p -t e2e '#{pane_pid}' 2>/dev/null)
	_TMUX_STOPPING="$shell $(tmux_pid)"
	_tmux kill-server >/dev/null 2>&1
	wait_until 20 _tmux_pids_gone || diag "the console did not end after its terminal went"
	_TMUX_STOPPING=
	return 0
}
