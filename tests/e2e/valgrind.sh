#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The console under valgrind for a whole session in a real terminal (tmux)
# against payops-sim: start, every pane, a detail, a filter, an action
# through its dialog, the audit pane, sort, help, :sites, a resize, quit. valgrind exits 99 on an error or a definite leak;
# the log must show no invalid access and no lost block.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

. "$top_srcdir/tests/lib/need.sh"
need valgrind valgrind
if grep -aq '__asan_init' "$PAYOPS" 2>/dev/null; then
	echo "1..0 # SKIP payops is built with AddressSanitizer, which valgrind cannot run"
	exit 0
fi

sim_start_or_bail --tick-ms 2000
e2e_config 'poll_interval: 1s'
VLOG=$TEST_TMP/valgrind.log
SUPP=()
[ -f "$top_srcdir/tests/valgrind.supp" ] && SUPP=(--suppressions="$top_srcdir/tests/valgrind.supp")
tmux_start valgrind --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --error-exitcode=99 --num-callers=30 \
	--track-fds=no --log-file="$VLOG" "${SUPP[@]}" \
	"$PAYOPS" --config "$E2E_CONFIG"
tmux_wait_for "sh-a: up" 60
ok $? "the console starts under valgrind and connects"

# step ERE KEYS...: send the keys and wait until the screen shows their
# effect (a line matching ERE), so that valgrind, slow, runs the code of
# every screen instead of only the last of a burst of keys;
# step_gone ERE KEYS...: until no line matches any more
step() {
	local re=$1
	shift
	tmux_keys "$@"
	tmux_wait_for "$re" 60 || diag "keys $*: no /$re/"
}
step_gone() {
	local re=$1
	shift
	tmux_keys "$@"
	tmux_wait_gone "$re" 60 || diag "keys $*: /$re/ stays"
}
shown=0
for pane in 1 3 4 5 6 7 8 2; do
	step "\\[$pane [A-Z][a-z]+\\]" "$pane" && shown=$((shown + 1))
done
is "$shown" 8 "every pane shown in turn"
step "^network " Enter
ok $? "a channel's detail opens"
step_gone "close detail" Escape
tmux_keys /
tmux_type "direct"
tmux_keys Enter
# the rows of channels without "direct" in them go (the message line
# saying so may already show something newer)
tmux_wait_gone "^ *[*]? *(alipay|wechat|unionpay|nucc|cfs)[.]" 10
ok $? "a filter"
tmux_keys Escape
# An action: disable the channel with the least traffic (no typed id
# needed), through the dialog; it lands in the audit log.
e2e_open_disable 10
ok $? "d opens the disable dialog for $E2E_CHANNEL"
A=$E2E_CHANNEL
e2e_confirm_disable "checking a session under valgrind" 20
ok $? "the action is applied"
tmux_keys Escape
step '\[8 Audit\]' 8
tmux_wait_for "channel\.disable +$A" 10
ok $? "the Audit pane shows it"
step '\[2 Channels\]' 2
step 'ID +\^ ' s
step 'ID +v ' S
step "close help" '?'
step_gone "close help" Escape
step "Esc cancel" :
tmux_type "sites"
step "\\*sh-a up" Enter
tmux_keys Escape
e2e_resize 100 30 "detail"
e2e_resize 140 40 "quit"
# the window watched: two seconds at least, and until the world has ticked
# twice and the console has woken to take in its events, polls and the
# stream, while valgrind watches
e2e_ticked_window 2000 2 4
ok $? "the world moves under valgrind's eyes ($(since_ms "$E2E_T0") ms)"
tmux_keys q
rc=$(tmux_wait_exit 60)
isnt "$rc" 99 "valgrind found no error and no definite leak (exit $rc)"
is "$rc" 0 "the console exited 0"

[ -s "$VLOG" ] || bail_out "no valgrind log"
summary=$(grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|Invalid (read|write|free)|uninitialised' "$VLOG")
diag "$summary"
unlike "$(cat "$VLOG")" "Invalid (read|write|free)" "no invalid read, write or free"
unlike "$(cat "$VLOG")" "definitely lost: [1-9]" "nothing definitely lost"
unlike "$(cat "$VLOG")" "uninitialised value" "no decision on an uninitialised value"
like "$(cat "$VLOG")" "ERROR SUMMARY: 0 errors" "valgrind's error summary is 0"
if [ "$TAP_FAILED" -ne 0 ]; then
	diag "valgrind log (first errors):"
	diag "$(grep -A25 -m3 -E 'Invalid|definitely lost in|uninitialised' "$VLOG")"
fi
done_testing
