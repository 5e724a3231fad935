#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops --demo: starts payops-sim on a free port with its own token, shows
# the channels, passes arguments after -- to the sim, and on q stops the sim
# and removes its private directory.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

export TMPDIR=$TEST_TMP/tmp
mkdir -p "$TMPDIR"

# The processes under the tmux pane: bash -> payops -> payops-sim.
_children() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '; }
_pane_pid() { _tmux display-message -p -t e2e '#{pane_pid}'; }

tmux_start "$PAYOPS" --demo --read-only -- --seed 7 --tick-ms 0
tmux_wait_for "demo: up" 20
ok $? "--demo starts the simulator and connects"
tmux_wait_for "icbc\.direct\." 10
ok $? "the demo shows the simulator's channels"
tmux_wait_for "op\.demo" 5
ok $? "the status bar names the demo operator"

like "$(e2e_line 1)" "READ-ONLY" "--read-only: the status bar says READ-ONLY"
tmux_keys e
tmux_wait_for "enable: unavailable in read-only mode" 5
ok $? "--read-only: an action key says it is unavailable"

payops_pid=$(_children "$(_pane_pid)" | head -n1)
sim_pid=$(_children "$payops_pid" | head -n1)
ok "$([ -n "$sim_pid" ] && echo 0 || echo 1)" "payops-sim runs as a child of payops (pid ${sim_pid:-none})"
args=$(tr '\0' ' ' <"/proc/$sim_pid/cmdline" 2>/dev/null)
like "$args" "--port 0 .*--seed 7 --tick-ms 0" "arguments after -- reach the simulator, which picks a free port"
dir=$(ls -d "$TMPDIR"/payops-demo.* 2>/dev/null | head -n1)
ok "$([ -n "$dir" ] && echo 0 || echo 1)" "a private directory holds the session token"
is "$(stat -c %a "$dir" 2>/dev/null)" 700 "the directory is 0700"
is "$(stat -c %a "$dir/tokens" 2>/dev/null)" 600 "the token file is 0600"

tmux_keys q
is "$(tmux_wait_exit 15)" 0 "q quits with status 0"
_sim_gone() { ! kill -0 "$1" 2>/dev/null; }
wait_until 5 _sim_gone "$sim_pid"
ok $? "no payops-sim process is left"
is "$(ls "$TMPDIR")" "" "the private directory is removed"

# A simulator that cannot start: the error says so, nothing is left behind.
mkdir -p "$TEST_TMP/fakebin"
printf '#!/bin/sh\necho "payops-sim: broken on purpose" >&2\nexit 3\n' >"$TEST_TMP/fakebin/payops-sim"
chmod +x "$TEST_TMP/fakebin/payops-sim"
mkdir -p "$TEST_TMP/lonely"
cp "$PAYOPS" "$TEST_TMP/lonely/payops"
out=$(PAYOPS_BINDIR=$TEST_TMP/fakebin "$TEST_TMP/lonely/payops" --demo 2>&1 </dev/null)
rc=$?
is "$rc" 1 "a simulator that fails to start: exit 1"
like "$out" "exited with status 3 before listening: payops-sim: broken on purpose" \
	"the error says how it ended and what it said"
is "$(ls "$TMPDIR")" "" "and its directory is removed"

done_testing
