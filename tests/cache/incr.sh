#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/cache/incr.sh: the incremental sync against the real payops-sim.
# A full sync of 20,000 breaks into a cache file, then after POST /sim/tick
# only the changed breaks come (counted in requests, not just results), an
# unchanged poll costs one 304, the cached counts per filter match the
# sim's own API, and the token is nowhere in the file or its WAL. A first
# load killed half way resumes where it stopped with the indexes still
# dropped, and builds them at its end; a load whose build never finished
# builds at the next start without walking again.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"

BENCH=$top_builddir/bench/cachebench
[ -x "$BENCH" ] || bail_out "no $BENCH"

plan 31
sim_start_or_bail --breaks 20000 --cases 200 --limits 200 --tick-ms 0 --quiet
DB=$TEST_TMP/cache.db
export PAYOPS_TOKEN=$SIM_TOKEN

kv() { # KEY LINE
	sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"
}

# 1. the first sync walks the whole list with cursors
out=$("$BENCH" sync --url "$SIM_URL" --db "$DB" --kinds breaks --timeout-s 40 2>"$TEST_TMP/err1")
is "$(kv full_walks "$out")" 1 "first sync is one full walk" || diag "$out $(cat "$TEST_TMP/err1")"
is "$(kv items "$out")" 20000 "every break saved"
is "$(kv pages "$out")" 40 "in 40 pages of 500"
cmp_ok "$(kv requests "$out")" -le 41 "40 pages and one /v1/status"
is "$(kv errors "$out")" 0 "no errors"

# 2. after the world moves, an incremental poll asks only for what changed;
# enough ticks that the changes span pages, whose newest updated_at can be
# on any of them (the list is in id order): ticks, 2,000 at a time, until
# more than a page of breaks changed after the first sync (how many a tick
# changes is random: 4,000 ticks once changed 471)
t_sync=$(sim_state .now)
for _ in 1 2 3 4 5 6 7 8; do
	sim_tick 2000
	api_walk "/v1/recon/breaks?limit=500&updated_since=$t_sync" "$TEST_TMP/changed" '.id' ||
		diag "$WALK_ERR"
	[ "$(wc -l <"$TEST_TMP/changed")" -gt 600 ] && break
done
out=$("$BENCH" sync --url "$SIM_URL" --db "$DB" --kinds breaks --cycles 1 --timeout-s 20 2>"$TEST_TMP/err2")
since=$(kv since "$out")
like "$since" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "the poll asks updated_since" || diag "$out $(cat "$TEST_TMP/err2")"
is "$(kv full_walks "$out")" 0 "no full walk on the next start"
api_walk "/v1/recon/breaks?limit=500&updated_since=$since" "$TEST_TMP/changed" '.id' ||
	diag "$WALK_ERR"
changed=$(wc -l <"$TEST_TMP/changed")
cmp_ok "$changed" -gt 500 "the sim changed more than a page of breaks since the first sync"
is "$(kv items "$out")" "$changed" "the poll brought exactly the breaks changed since the high-water"
is "$(kv requests "$out")" "$WALK_PAGES" "in as many requests as pages of changes ($WALK_PAGES), not 40"

# 3. nothing changed: the first poll asks again for the 5 s before the
# high-water (the overlap that covers a platform's clock skew: as many
# pages as that window holds, which depends on how the ticks fell), and
# every poll after it is one 304
hw=$(kv high_water "$out")
overlap_since=$(date -u -d "@$(($(date -u -d "$hw" +%s) - 5))" +%Y-%m-%dT%H:%M:%SZ)
api_walk "/v1/recon/breaks?limit=500&updated_since=$overlap_since" "$TEST_TMP/overlap" '.id' ||
	diag "$WALK_ERR"
want=$((WALK_PAGES + 2))
out=$("$BENCH" sync --url "$SIM_URL" --db "$DB" --kinds breaks --cycles 3 --poll-ms 100 --timeout-s 20 2>>"$TEST_TMP/err2")
is "$(kv requests "$out")" "$want" "three polls: the overlap's $WALK_PAGES page(s), then one request each" || diag "$out"
is "$(kv not_modified "$out")" 2 "the two polls after it are answered 304"
is "$(kv high_water "$out")" "$hw" "the high-water stays where the paged poll left it"

# 4. the cache's counts per filter match the sim's own API
sim_count() { # QUERY
	api_walk "/v1/recon/breaks?limit=500&$1" "$TEST_TMP/cwalk" '.difference_minor' || diag "$WALK_ERR"
	printf 'count=%s sum=%s' "$(wc -l <"$TEST_TMP/cwalk")" "$(jq -s 'add // 0' "$TEST_TMP/cwalk")"
}
is "$("$BENCH" count --db "$DB")" "$(sim_count "")" "all breaks: count and summed difference"
is "$("$BENCH" count --db "$DB" --status open)" "$(sim_count "status=open")" "status=open: count and sum"
api GET "/v1/recon/breaks?limit=1"
ch=$(jb ".data[0].channel_id")
is "$("$BENCH" count --db "$DB" --channel "$ch" --type amount_mismatch)" \
	"$(sim_count "channel_id=$ch&type=amount_mismatch")" "channel=$ch type=amount_mismatch: count and sum"

# 5. no token in the file or its WAL
n=0
for f in "$DB" "$DB-wal"; do
	[ -f "$f" ] && grep -qaF "$SIM_TOKEN" "$f" && n=$((n + 1))
done
is "$n" 0 "the token is in neither the cache file nor its WAL"
grep -qaF "$ch" "$DB" "$DB-wal" 2>/dev/null
ok $? "(and the same grep does find data in them)"

# 6. a first load killed half way (the process gone, not closed) resumes
# from its cursor, still without its indexes, and builds them at the end
sq() { sqlite3 -cmd '.timeout 5000' "$1" "$2" 2>/dev/null; }
idx="SELECT count(*) FROM sqlite_master WHERE tbl_name = 'breaks' AND type = 'index' AND sql IS NOT NULL"
DB2=$TEST_TMP/cache2.db
sim_faults '{"latency_ms": 100}'
"$BENCH" sync --url "$SIM_URL" --db "$DB2" --kinds breaks --timeout-s 60 >/dev/null 2>"$TEST_TMP/err6" &
pid=$!
bg_track "$pid"
have_some() { n=$(sq "$DB2" "SELECT count(*) FROM breaks"); [ "${n:-0}" -ge 3000 ]; }
wait_until 30 have_some
ok $? "the first load is under way (${n:-0} breaks in)"
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
sim_faults_clear
got=$(sq "$DB2" "SELECT count(*) FROM breaks")
cmp_ok "$got" -lt 20000 "killed half way: $got of 20000 breaks"
cmp_ok "$(sq "$DB2" "SELECT count(*) FROM bulk_saved WHERE coll = 'breaks'")" -gt 0 \
	"the dropped indexes are remembered in the file"
is "$(sq "$DB2" "$idx")" 0 "and still absent"
isnt "$(sq "$DB2" "SELECT cursor FROM sync_state WHERE coll = 'breaks'")" "" "the walk's cursor was saved"
out=$("$BENCH" sync --url "$SIM_URL" --db "$DB2" --kinds breaks --timeout-s 60 2>"$TEST_TMP/err6b")
is "$(kv full_walks "$out")" 1 "the next start finishes the walk" || diag "$out $(cat "$TEST_TMP/err6b")"
cmp_ok "$(kv pages "$out")" -lt 40 "resumed from the cursor, not from the first page"
is "$(sq "$DB2" "SELECT count(*) FROM bulk_saved")" 0 "the build ran at its end"
cmp_ok "$(sq "$DB2" "$idx")" -ge 8 "the indexes are there"
is "$("$BENCH" count --db "$DB2")" "$("$BENCH" count --db "$DB")" "the same breaks as the first cache"

# 7. a load whose build never finished (quit during it) builds at the
# next start, without walking the list again
sq "$DB2" "BEGIN; INSERT INTO bulk_saved (coll, name, sql) SELECT 'breaks', name, sql
	FROM sqlite_master WHERE tbl_name = 'breaks' AND type IN ('index', 'trigger')
	AND sql IS NOT NULL AND name NOT LIKE 'breaks_fts%';
	DROP INDEX breaks_detected; DROP INDEX breaks_status; DROP TRIGGER breaks_agg_insert;
	DELETE FROM breaks_agg; COMMIT;"
out=$("$BENCH" sync --url "$SIM_URL" --db "$DB2" --kinds breaks --timeout-s 60 2>"$TEST_TMP/err7")
is "$(kv full_walks "$out")/$(kv errors "$out")" 0/0 "no full walk, no error" || diag "$out $(cat "$TEST_TMP/err7")"
is "$(sq "$DB2" "SELECT count(*) FROM bulk_saved")/$(sq "$DB2" "SELECT count(*) FROM sqlite_master
	WHERE name IN ('breaks_detected', 'breaks_status', 'breaks_agg_insert')")" 0/3 \
	"the build ran at start: bulk_saved empty, what was dropped is back"
is "$("$BENCH" count --db "$DB2")" "$("$BENCH" count --db "$DB")" "the summary adds up to the rows again"

done_testing
