#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The last known picture: start with the sim, quit, stop the sim, start
# again -> the cached channels appear at once, marked CACHED with their age;
# a corrupt cache file -> moved aside, rebuilt, and the message line says so.
: "${top_srcdir:?}" "${top_builddir:?}"
# every one of the sim's 44 channels on one screen: Channels opens worst
# success rate first, so the first id may be anywhere in the table
TMUX_LINES=60
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail
api GET '/v1/channels?limit=500'
first=$(jb '[.data[].id] | sort | .[0]')
count=$(jb '.data | length')

e2e_config 'poll_interval: 1s'
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
tmux_wait_for "^ *\*? *$first " 10
ok $? "the channels are shown ($first first)"
# once cases, breaks and limits are synced, their headlines are kept for
# payops report shift (then every 5 minutes)
_headline_kept() {
	local f
	f=$(ls "$XDG_CACHE_HOME"/payops/cache-*.db 2>/dev/null | head -n 1)
	[ -n "$f" ] && [ "$(sqlite3 -cmd '.timeout 2000' "$f" 'SELECT count(*) FROM queue_headlines' 2>/dev/null)" = 1 ]
}
wait_until 60 _headline_kept
ok $? "the console kept one sample of the queues' headlines in its cache"
tmux_keys q
rc=$(tmux_wait_exit 10)
is "$rc" 0 "q quits cleanly"

db=$(ls "$XDG_CACHE_HOME"/payops/cache-*.db 2>/dev/null | head -n 1)
ok $([ -n "$db" ]; echo $?) "the console left its cache under XDG_CACHE_HOME"
n=$(sqlite3 "$db" 'SELECT count(*) FROM channels' 2>/dev/null)
is "$n" "$count" "the cache holds every channel ($count)"

# the platform is gone: the cached picture appears at once, with its age:
# the console's first picture is the cached one (it never says "no data
# yet": what it writes is kept from its first byte on), within three
# seconds (scaled for a sanitizer build or a loaded machine: wait.sh)
sim_stop
first_bytes=$TEST_TMP/first.bytes
: >"$first_bytes"
tmux_start_held "$PAYOPS" --config "$E2E_CONFIG"
tmux_pipe_start "$first_bytes"
t0=$(_now_ms)
tmux_release
tmux_wait_for "CACHED [0-9]+[smh]" 30
ok $? "with the platform down, the status bar says CACHED with the age"
tmux_wait_for "^ *\*? *$first " 30
ok $? "... and the cached channels are on screen"
shown=$(since_ms "$t0")
cmp_ok "$shown" -le "$(scaled 3)000" "... at once ($shown ms; bound x$TEST_TIME_SCALE)"
tmux_pipe_stop
if grep -aq "no data yet" "$first_bytes"; then
	fail "... in the console's first picture (it said 'no data yet' first)"
else
	pass "... in the console's first picture (never 'no data yet')"
fi
like "$(tmux_screen)" "FAILING|connecting" "the site's state says the platform is not answering"
tmux_keys q
rc=$(tmux_wait_exit 10)

# a corrupt cache: moved aside, rebuilt, said
rm -f "$db"-wal "$db"-shm
head -c 16384 /dev/urandom >"$db"
sim_start_or_bail --port "${SIM_PORT}"
e2e_start
tmux_wait_for "cache .*(unreadable|corrupt|moved)" 10
ok $? "a corrupt cache is said on the message line"
aside=$(ls "$XDG_CACHE_HOME"/payops/ | grep -c 'corrupt')
cmp_ok "$aside" -ge 1 "... the file is moved aside, not deleted"
tmux_wait_for "sh-a: up" 15
tmux_wait_for "^ *\*? *$first " 10
ok $? "... and the console runs on, rebuilding it from the platform"
tmux_keys q
rc=$(tmux_wait_exit 10)
n=$(sqlite3 "$db" 'SELECT count(*) FROM channels' 2>/dev/null)
is "$n" "$count" "the rebuilt cache holds every channel again"

done_testing
