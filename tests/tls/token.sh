#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/tls/token.sh - the token is never written anywhere: the console runs
# in tmux against payops-sim with a distinctive token (from a 0600 file),
# through start, every pane, a detail, a filter, an action and quit, with its XDG
# config, state and cache directories inside the test directory. Then every
# file it wrote (audit log and cache with their WAL and journal files,
# anything else under those directories), the screen, every byte it sent
# to the terminal, and its command line, environment and process title
# while it ran are searched for the token, whole and in part.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 2000
TOKEN_FILE=$TEST_TMP/token
printf '%s\n' "$SIM_TOKEN" >"$TOKEN_FILE"
chmod 600 "$TOKEN_FILE"
# the token's distinctive part, and a piece of it (a cut or a log line)
needle=$SIM_TOKEN
piece=${SIM_TOKEN:3:12}
cmp_ok "${#needle}" '>=' 32 "the token is distinctive (${#needle} characters)"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
{
	printf 'sites:\n  - name: sh-a\n    url: %s\n' "$SIM_URL"
	printf 'token_file: %s\n' "$TOKEN_FILE"
	printf 'poll_interval: 1s\n'
} >"$E2E_CONFIG"
unset PAYOPS_E2E_TOKEN

RAW=$TEST_TMP/raw.bytes
: >"$RAW"
GO=$TEST_TMP/go
# Only what a console is given: the test's own copies of tokens stay out of
# its environment. Core files allowed, so that the console has to say no.
tmux_start env -u SIM_TOKEN -u SIM_RO_TOKEN -u SIM_NOCHAN_TOKEN bash -c \
	'ulimit -S -c unlimited 2>/dev/null || ulimit -S -c "$(ulimit -H -c)"
	while [ ! -e "$0" ]; do sleep 0.05; done; exec "$@"' "$GO" \
	"$PAYOPS" --config "$E2E_CONFIG"
tmux_pipe_start "$RAW"
touch "$GO"
tmux_wait_for "sh-a: up" 15
ok $? "the console connects with the token from its file"

# The running process: command line, environment, title.
shell=$(_tmux display-message -p -t e2e '#{pane_pid}')
_console_pid() { pid=$(pgrep -P "$shell" -x payops | head -n1); [ -n "$pid" ]; }
wait_until 5 _console_pid
ok $? "found the console's process ($pid)"
has_token() { grep -aqF -e "$needle" -e "$piece" "$@"; }
proc_clean() {
	local f
	for f in cmdline environ comm; do
		if has_token "/proc/$pid/$f" 2>/dev/null; then
			diag "the token is in /proc/$pid/$f"
			return 1
		fi
	done
	[ -r "/proc/$pid/cmdline" ]
}
proc_clean
ok $? "not in /proc/PID/cmdline, environ or comm at start"
if [ "$(ulimit -H -c)" = 0 ]; then
	skip 1 "core files are off for this whole session (hard limit 0)"
else
	core_off() { grep -qE '^Max core file size +0 +' "/proc/$pid/limits"; }
	core_off
	ok $? "core dumps are off (a core would hold the token)"
fi

# Every pane, a detail, a filter.
for pane in 1 3 4 5 6 7 8 2; do
	tmux_keys "$pane"
	sleep 0.3
done
tmux_wait_for "\[2 Channels\]" 5
ok $? "every pane shown in turn"
tmux_keys Enter
sleep 0.5
tmux_keys Escape
tmux_keys /
tmux_type "icbc"
tmux_keys Enter
tmux_wait_for "filter 'icbc'" 5
ok $? "a filter"
tmux_keys Escape
# An action: disable the channel with the least traffic (no typed id
# needed), through the dialog; it lands in the audit log.
e2e_open_disable 5
ok $? "d opens the disable dialog for $E2E_CHANNEL"
A=$E2E_CHANNEL
e2e_confirm_disable "token check" 10
ok $? "the action is applied"
tmux_keys Escape
tmux_keys :
tmux_type "sites"
tmux_keys Enter
sleep 0.5
tmux_keys Escape
proc_clean
ok $? "not in /proc/PID/cmdline, environ or comm while it runs"
# while it runs, the databases have their WAL and shared-memory files
live=()
while IFS= read -r -d '' f; do
	live+=("$f")
done < <(find "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" -type f -print0)
diag "files while running: ${live[*]#$TEST_TMP/}"
found=
for f in "${live[@]}"; do
	has_token "$f" && found+=" ${f#$TEST_TMP/}"
done
is "${found:-none}" none "while it runs: the token is in none of its ${#live[@]} files (WAL included)"
screen=$TEST_TMP/screen.txt
tmux_screen >"$screen"
tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits with status 0"
tmux_pipe_stop 2>/dev/null

# Everything the console wrote.
files=()
while IFS= read -r -d '' f; do
	files+=("$f")
done < <(find "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" -type f -print0)
diag "files written: ${files[*]#$TEST_TMP/}"
cmp_ok "${#files[@]}" '>' 0 "the console wrote files under its XDG directories (${#files[@]})"
audit=$(printf '%s\n' "${files[@]}" | grep -c 'audit')
cache=$(printf '%s\n' "${files[@]}" | grep -Evc 'audit')
cmp_ok "$audit" '>' 0 "the audit log is among them"
cmp_ok "$cache" '>' 0 "the cache is among them"
found=
for f in "${files[@]}"; do
	has_token "$f" && found+=" ${f#$TEST_TMP/}"
done
is "${found:-none}" none "the token is in none of the files written (audit, cache, WAL, anything)"
if has_token "$screen"; then fail "the token is not on the screen"; else pass "the token is not on the screen"; fi
cmp_ok "$(stat -c %s "$RAW")" '>' 1000 "the bytes sent to the terminal were captured"
if has_token "$RAW"; then fail "the token is in none of the bytes sent to the terminal"; else pass "the token is in none of the bytes sent to the terminal"; fi
# the searches can find it: the token file itself holds it
has_token "$TOKEN_FILE"
ok $? "control: the same search finds the token in the token file"

done_testing
