#!/bin/bash
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

step() { # KEYS... then a short settle: valgrind is slow
	tmux_keys "$@"
	sleep 0.6
}
for pane in 1 3 4 5 6 7 8 2; do
	step "$pane"
done
tmux_wait_for "\[2 Channels\]" 10
ok $? "every pane shown in turn"
step Enter
tmux_wait_for "^network " 10
ok $? "a channel's detail opens"
step Escape
step /
tmux_type "direct"
step Enter
# the rows of channels without "direct" in them go (the message line
# saying so may already show something newer)
tmux_wait_gone "^ *[*]? *(alipay|wechat|unionpay|nucc|cfs)[.]" 10
ok $? "a filter"
step Escape
# An action: disable the channel with the least traffic (no typed id
# needed), through the dialog; it lands in the audit log.
api GET '/v1/channels?limit=500'
A=$(jb '[.data[] | select(.admin_state == "enabled")] | sort_by(.traffic_share) | .[0].id')
tmux_keys /
tmux_type "$A"
tmux_keys Enter
tmux_wait_for "^ *\*? *$A .*enabled" 10
tmux_keys d
tmux_wait_for "Disable channel" 10
ok $? "d opens the disable dialog for $A"
tmux_type "checking a session under valgrind"
tmux_keys Tab
tmux_type "CHG-1"
tmux_keys Tab y
# the world moves: a version conflict shows the new state and asks again
for _ in 1 2 3; do
	tmux_wait_for "applied, now admin_state=disabled|CHANGED since you looked" 20 || break
	tmux_screen | grep -q "CHANGED since you looked" || break
	tmux_keys Tab Tab y # focus is back on Reason: to the buttons, confirm
	sleep 1
done
tmux_wait_for "applied, now admin_state=disabled" 20
ok $? "the action is applied"
tmux_keys Escape
step 8
tmux_wait_for "channel\.disable +$A" 10
ok $? "the Audit pane shows it"
step 2
step s
step S
step '?'
step Escape
step :
tmux_type "sites"
step Enter
step Escape
tmux_resize 100 30
sleep 1
tmux_resize 140 40
sleep 2 # a few polls and stream events while valgrind watches
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
