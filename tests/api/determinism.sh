#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The same seed gives the same world and the same dynamics; another seed gives
# another world (sim-interface.md, --seed).
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"

sim_start_or_bail --seed 7 --tick-ms 0 --start-time 2026-11-21T08:00:00Z
A=$SIM_URL
sim_start_or_bail --seed 7 --tick-ms 0 --start-time 2026-11-21T08:00:00Z
B=$SIM_URL
sim_start_or_bail --seed 8 --tick-ms 0 --start-time 2026-11-21T08:00:00Z
C=$SIM_URL

body() { # URL PATH -> file
	API_URL=$1 api GET "$2"
	cp "$API_BODY_FILE" "$3"
	[ "$API_STATUS" = 200 ] || diag "GET $1$2 -> $API_STATUS"
}

for p in '/v1/channels?limit=500' '/v1/routes?limit=500' '/v1/onboarding/cases?limit=500' \
	'/v1/recon/breaks?limit=500' '/v1/limits?limit=500' '/v1/alerts?state=all&limit=500'; do
	body "$A" "$p" "$TEST_TMP/a"
	body "$B" "$p" "$TEST_TMP/b"
	check "seed 7 twice: identical $p bodies" cmp -s "$TEST_TMP/a" "$TEST_TMP/b" ||
		diag "$(diff <(jq . "$TEST_TMP/a") <(jq . "$TEST_TMP/b") 2>&1 | head -n 10)"
done
body "$A" /v1/channels "$TEST_TMP/a"
ta=$(api_header ETag)
body "$B" /v1/channels "$TEST_TMP/b"
is "$(api_header ETag)" "$ta" "seed 7 twice: the same ETag"
body "$C" '/v1/channels?limit=500' "$TEST_TMP/c"
body "$A" '/v1/channels?limit=500' "$TEST_TMP/a"
check "seed 8: the channels differ from seed 7" bash -c '! cmp -s "$1" "$2"' _ "$TEST_TMP/a" "$TEST_TMP/c"
body "$C" '/v1/recon/breaks?limit=500' "$TEST_TMP/c"
body "$A" '/v1/recon/breaks?limit=500' "$TEST_TMP/a"
check "seed 8: the breaks differ from seed 7" bash -c '! cmp -s "$1" "$2"' _ "$TEST_TMP/a" "$TEST_TMP/c"

# The same ticks move both worlds the same way.
API_URL=$A sim_tick 30
API_URL=$B sim_tick 30
body "$A" /v1/channels "$TEST_TMP/a"
ch=$(jq -r '.data[0].id' "$TEST_TMP/a")
for p in '/v1/channels?limit=500' '/v1/routes?limit=500' "/v1/channels/$ch/history?minutes=60"; do
	body "$A" "$p" "$TEST_TMP/a"
	body "$B" "$p" "$TEST_TMP/b"
	check "after 30 ticks each: identical $p" cmp -s "$TEST_TMP/a" "$TEST_TMP/b" ||
		diag "$(diff <(jq . "$TEST_TMP/a") <(jq . "$TEST_TMP/b") 2>&1 | head -n 10)"
done
is "$(API_URL=$A sim_state .stream_seq)" "$(API_URL=$B sim_state .stream_seq)" "... and the same stream_seq"

# A scenario, too.
API_URL=$A sim_scenario bank_outage
ta=$(jb .target)
API_URL=$B sim_scenario bank_outage
is "$(jb .target)" "$ta" "bank_outage without a target picks the same channel ($ta)"
API_URL=$A sim_tick 5
API_URL=$B sim_tick 5
body "$A" '/v1/alerts?state=all&limit=500' "$TEST_TMP/a"
body "$B" '/v1/alerts?state=all&limit=500' "$TEST_TMP/b"
check "after the outage: identical alerts" cmp -s "$TEST_TMP/a" "$TEST_TMP/b"

done_testing
