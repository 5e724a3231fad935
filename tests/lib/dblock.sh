# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/dblock.sh - another process holding an SQLite database's write
# lock, as a second console or an operator's sqlite3 shell would (sourced
# after tap.sh and sim.sh: the holder is killed at exit). Needs sqlite3.
#
# dblock_hold DB        start `sqlite3 DB` with BEGIN IMMEDIATE and keep the
#                       transaction open; returns once the lock is held
#                       (bounded); sets DBLOCK_PID
# dblock_release        COMMIT and let sqlite3 end; returns its status once it
#                       has ended (the lock is released then; others may
#                       take it at once)
# dblock_is_held DB     0 when a write lock on DB cannot be had right now

. "$(dirname "${BASH_SOURCE[0]}")/need.sh"
need sqlite3 sqlite3

dblock_is_held() {
	! sqlite3 -cmd ".timeout 0" "$1" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1
}

dblock_hold() {
	DBLOCK_DB=$1
	DBLOCK_FLAG=$(mktemp "${TEST_TMP:-/tmp}/dblock.XXXXXX") || bail_out "mktemp failed"
	{
		printf 'BEGIN IMMEDIATE;\n'
		while [ -e "$DBLOCK_FLAG" ]; do sleep 0.05; done
		printf 'COMMIT;\n'
	} | sqlite3 "$DBLOCK_DB" >/dev/null 2>&1 &
	DBLOCK_PID=$!
	bg_track "$DBLOCK_PID"
	wait_until 10 dblock_is_held "$DBLOCK_DB" || bail_out "sqlite3 did not take the lock of $DBLOCK_DB"
}

dblock_release() {
	rm -f "$DBLOCK_FLAG"
	wait "$DBLOCK_PID" 2>/dev/null
}
