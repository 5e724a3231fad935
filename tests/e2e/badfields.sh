#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Bad numbers hide nothing: against payops-sim --adversarial (numbers out of
# range or of the wrong type, unknown enums, escape sequences, repeated ids
# and lists that change between requests) every object with a usable id
# appears in its pane, counted against the server's own list (curl + jq);
# a refused field shows as "?" and the detail pane says why; no escape
# payload reaches the terminal.
: "${top_srcdir:?}" "${top_builddir:?}"
TMUX_COLS=200 TMUX_LINES=60 # every pane's rows on one screen
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --adversarial --tick-ms 0 --channels 20 --cases 20 \
	--breaks 20 --limits 20

# The server's own lists. A changing list swaps its second item for a
# "~new" ghost on every other request and repeats the first item, so the
# number of unique ids of a fetch stays the same (WANT), and the ids the
# console must show are those of two fetches in a row (one with the ghost,
# one without): an object the platform left out of the last list it was
# asked for may rightly be missing.
declare -A WANT
_ids() { jb '[.data[] | .id | select(type == "string" and length > 0)] | unique | .[]'; }
server_ids() { # NAME PATH
	api GET "$2"
	[ "$API_STATUS" = 200 ] || bail_out "GET $2 -> $API_STATUS"
	_ids >"$TEST_TMP/a.$1"
	WANT[$1]=$(wc -l <"$TEST_TMP/a.$1")
	api GET "$2"
	_ids | comm -12 - "$TEST_TMP/a.$1" >"$TEST_TMP/want.$1"
}
server_ids channels '/v1/channels?limit=500'
server_ids routes '/v1/routes?limit=500'
server_ids cases '/v1/onboarding/cases?limit=500'
server_ids breaks '/v1/recon/breaks?limit=500'
server_ids limits '/v1/limits?limit=500'
server_ids alerts '/v1/alerts?state=firing&limit=500'
api GET '/v1/channels?limit=500'
bad_tps=$(jb '[.data[] | select((.id | test("~new") | not) and (.tps | type) == "string")][0].id')
bad_range=$(jb '[.data[] | select((.id | test("~new") | not) and (.tps | type) == "number" and .tps > 1e15)][0].id')
bad_rate=$(jb '[.data[] | select((.id | test("~new") | not) and (.system_success_rate | type) == "number" and .system_success_rate > 1)][0].id')
n_bad=$(jb '[.data[] | select((.tps | type) == "string" or ((.tps | type) == "number" and .tps > 1e15)
	or ((.system_success_rate | type) == "number" and .system_success_rate > 1))] | map(.id) | unique | length')
cmp_ok "$n_bad" '>' 2 "the sim sends channels with bad numbers ($n_bad: tps \"NaN\" $bad_tps, 1e308 $bad_range, rate > 1 $bad_rate)"
api GET '/v1/limits?limit=500'
bad_limit=$(jb '[.data[] | select((.id | test("~new") | not) and (.limit_minor | type) == "number" and .limit_minor > 9.3e18)][0].id')
api GET '/v1/onboarding/cases?limit=500'
bad_case=$(jb '[.data[] | select((.id | test("~new") | not) and (.risk_score | type) == "string")][0].id')
diag "limit with limit_minor 1e308: $bad_limit; case with risk_score \"NaN\": $bad_case"
[ -n "$bad_tps" ] && [ "$bad_tps" != null ] && [ -n "$bad_limit" ] && [ "$bad_limit" != null ] &&
	[ -n "$bad_case" ] && [ "$bad_case" != null ] || bail_out "the adversarial world lacks a bad field this test needs"

e2e_config 'poll_interval: 1s' 'slow_poll_interval: 2s' 'resync_interval: 2s'
GO=$TEST_TMP/go
RAW=$TEST_TMP/raw.bytes
: >"$RAW"
tmux_start bash -c 'while [ ! -e "$0" ]; do sleep 0.05; done; exec "$@"' "$GO" \
	"$PAYOPS" --config "$E2E_CONFIG"
tmux_pipe_start "$RAW"
touch "$GO"
tmux_wait_for "sh-a: up" 15
ok $? "the console connects to the hostile platform"

# The first word of every line (marker columns skipped): the id column.
screen_words() {
	tmux_screen | awk '{ for (i = 1; i <= NF; i++) if ($i != "*" && $i != "+" && $i != "~") { print $i; break } }'
}
# Every wanted id of NAME seen on the pane (ids seen so far kept in a
# file, so a list that changes between fetches is given its time).
_all_seen() { # NAME
	screen_words >>"$TEST_TMP/seen.$1"
	sort -u -o "$TEST_TMP/seen.$1" "$TEST_TMP/seen.$1"
	[ -z "$(comm -23 "$TEST_TMP/want.$1" "$TEST_TMP/seen.$1")" ]
}
pane_shows_all() { # KEY NAME NOUN
	: >"$TEST_TMP/seen.$2"
	tmux_keys "$1"
	wait_until 20 _all_seen "$2"
	local rc=$? missing
	missing=$(comm -23 "$TEST_TMP/want.$2" "$TEST_TMP/seen.$2" | tr '\n' ' ')
	[ $rc = 0 ] || diag "missing from the pane: $missing"
	ok $rc "$3: every one of the server's $(wc -l <"$TEST_TMP/want.$2") with a usable id is on the pane${missing:+ (missing: $missing)}"
}

pane_shows_all 2 channels "Channels"
tmux_keys 1
tmux_wait_for "\(${WANT[channels]} channels\)" 10
ok $? "the Overview counts ${WANT[channels]} channels, as many as the server's list holds"
pane_shows_all 3 routes "Routes"
pane_shows_all 4 cases "Onboarding cases"
tmux_wait_for "^${WANT[cases]} cases" 10
ok $? "the Onboarding pane counts ${WANT[cases]} cases, as the server does"
pane_shows_all 5 breaks "Recon breaks"
tmux_wait_for "^${WANT[breaks]} breaks" 10
ok $? "the Recon pane counts ${WANT[breaks]} breaks, as the server does"
pane_shows_all 6 limits "Limits"
tmux_wait_for "^${WANT[limits]} limits" 10
ok $? "the Limits pane counts ${WANT[limits]} limits, as the server does"
tmux_keys 7
_alert_rows() { [ "$(tmux_screen | grep -c ' platform ')" = "${WANT[alerts]}" ]; }
wait_until 10 _alert_rows
ok $? "Alerts: ${WANT[alerts]} firing alerts, as the server lists ($(tmux_screen | grep -c ' platform ') rows)"

# A refused field is "?" in its row, and the detail says why.
show_channel() { # ID
	tmux_keys 2 /
	tmux_type "$1"
	tmux_keys Enter
	tmux_wait_for "^ *[*~]? *$1 " 5
}
show_channel "$bad_tps"
like "$(tmux_screen | grep -E "^ *[*~]? *$bad_tps ")" " \? " "$bad_tps: tps \"NaN\" shows as ? in its row"
tmux_keys Enter
tmux_wait_for "invalid fields \(shown as \?\):.*tps: expected a number" 5
ok $? "its detail says why: tps: expected a number"
tmux_keys Escape Escape
show_channel "$bad_range"
tmux_keys Enter
tmux_wait_for "invalid fields \(shown as \?\):.*tps: out of range" 5
ok $? "$bad_range: tps 1e308 is kept, marked out of range in the detail"
like "$(tmux_screen)" "network [a-z_?]+" "and the rest of that channel is shown"
tmux_keys Escape Escape
# actions stay possible on such a channel: the dialog opens (and is
# cancelled: nothing is sent)
tmux_keys :
tmux_type "drain $bad_range"
tmux_keys Enter
tmux_wait_for "Drain channel" 5
ok $? "an action on a channel with a refused field opens its confirmation"
tmux_keys Escape
tmux_wait_for "cancelled: nothing was sent" 5
ok $? "and Escape cancels it"

tmux_keys 6 /
tmux_type "$bad_limit"
tmux_keys Enter
tmux_wait_for "^ *$bad_limit .* \? " 10
ok $? "$bad_limit: limit_minor 1e308 shows as ? (money is never a rounded double)"
tmux_keys Enter
tmux_wait_for "invalid fields \(shown as \?\):.*limit_minor: expected an integer" 5
ok $? "its detail says why"
tmux_keys Escape Escape
tmux_keys 4 /
tmux_type "$bad_case"
tmux_keys Enter
tmux_wait_for "^ *$bad_case .* \? " 10
ok $? "$bad_case: risk_score \"NaN\" shows as ?"
tmux_keys Enter
tmux_wait_for "invalid fields \(shown as \?\):.*risk_score: expected an integer" 5
ok $? "its detail says why"
tmux_keys Escape Escape

# What went to the terminal, byte for byte: no payload of the hostile
# strings, no bidi override, no C1 control.
tmux_pipe_stop
if grep -qa 'HACKED' "$RAW"; then fail "no escape payload was written to the terminal"; else pass "no escape payload was written to the terminal ($(stat -c %s "$RAW") bytes)"; fi
if grep -qaP '\xe2\x80\xae|\xc2\x9b|\xc2\x9d' "$RAW"; then fail "no bidi override or C1 control was written"; else pass "no bidi override or C1 control was written"; fi

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits with status 0"

done_testing
