#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The work-queue panes in a real terminal against payops-sim: the break
# list filtered by channel and type shows the count and summed difference
# the platform's own API gives; a break matched, another written off and
# three escalated together leave the platform, the pane and the audit log
# agreeing; an onboarding case in manual review approved; a limit adjusted
# into warning.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/e2e/common.sh"

sim_start_or_bail --tick-ms 0 --cases 400 --breaks 2000 --limits 400

# Money as the console prints it: -¥1,234,567.89
fmt_cny() {
	local v=$1 sign='' int frac out=''
	if [ "$v" -lt 0 ]; then sign=-; v=$((-v)); fi
	int=$((v / 100))
	frac=$(printf '%02d' $((v % 100)))
	while [ "$int" -ge 1000 ]; do
		out=,$(printf '%03d' $((int % 1000)))$out
		int=$((int / 1000))
	done
	printf '%s¥%s%s.%s' "$sign" "$int" "$out" "$frac"
}
brk() { # ID JQ
	api GET "/v1/recon/breaks/$1"
	jb "$2"
}
audit_rows() {
	"$PAYOPS" audit export --format jsonl 2>/dev/null | wc -l
}
# The ids of the break rows on screen, top to bottom.
screen_breaks() {
	tmux_screen | grep -oE '^ *[+*]? *[+*]? *brk_[0-9_]+' | grep -oE 'brk_[0-9_]+'
}

e2e_config 'poll_interval: 1s'
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"

# ---- filter by channel and type: count and total against the API ----
api GET '/v1/recon/breaks?limit=500&status=open'
C=$(jb '[.data[] | select(.type == "amount_mismatch")] | group_by(.channel_id) | max_by(length) | .[0].channel_id')
[ -n "$C" ] && [ "$C" != null ] || bail_out "no channel with amount_mismatch breaks"
api_walk "/v1/recon/breaks?limit=500&channel_id=$C" "$TEST_TMP/brk.jsonl" \
	'select(.type == "amount_mismatch" or .type == "long")' || bail_out "$WALK_ERR"
N=$(wc -l <"$TEST_TMP/brk.jsonl")
SUM=$(jq -s 'map(.difference_minor) | add // 0' "$TEST_TMP/brk.jsonl")
WANT="$N breaks, net difference $(fmt_cny "$SUM")"
diag "channel $C: $WANT"

tmux_keys 5
tmux_wait_for "^Recon [0-9-]+ \(latest\)" 10
ok $? "the Recon pane shows the summary of the latest date"
tmux_wait_for "^[0-9]+ breaks, net difference" 10
tmux_keys /
tmux_type "ch:$C type:amount_mismatch,long"
tmux_keys Enter
tmux_wait_for "^$WANT " 10
ok $? "filter by channel and type: count and total as the API sums them"
line=$(tmux_screen | grep -E "brk_" | head -1)
like "$line" "$C" "the rows shown are of that channel"

# ---- the actions work on the open ones ----
tmux_keys /
tmux_keys C-u
tmux_type "ch:$C st:open"
tmux_keys Enter
tmux_wait_for "filter: ch:$C st:open" 5
mapfile -t ids < <(screen_breaks)
[ "${#ids[@]}" -ge 5 ] || bail_out "fewer than five open breaks of $C on screen"
M=${ids[0]}
diag "match $M"
v0=$(brk "$M" .version)
tmux_keys r
tmux_wait_for "resolve: m match" 5
ok $? "r offers the resolutions"
tmux_keys m
tmux_wait_for "Match breaks" 5
ok $? "m opens the match dialog"
like "$(tmux_screen)" "$M .*v$v0" "the dialog names the break and the version shown"
tmux_type "matched to the bank's late entry"
tmux_keys Tab Tab
tmux_type "UP-REF-778812"
tmux_keys Tab y
tmux_wait_for "applied" 10
ok $? "the message line says applied"
is "$(brk "$M" .status)" resolved "the platform shows the break resolved"
is "$(brk "$M" .resolution.action)" match "resolved by match"
tmux_wait_gone "$M" 10
ok $? "the matched break leaves the open list"

mapfile -t ids < <(screen_breaks)
W=${ids[0]}
diag "write off $W"
tmux_keys r
tmux_wait_for "resolve: m match" 5
tmux_keys w
tmux_wait_for "Write off breaks" 5
ok $? "w opens the write-off dialog"
tmux_type "below the write-off threshold"
tmux_keys Tab Tab y
tmux_wait_for "$W .*applied|applied" 10
wait_until 10 test "$(brk "$W" .status)" = written_off
ok $? "the platform shows the other break written off"

tmux_wait_gone "$W" 10
mapfile -t ids < <(screen_breaks)
E=("${ids[0]}" "${ids[1]}" "${ids[2]}")
diag "escalate ${E[*]}"
tmux_keys Space Space Space
tmux_wait_for "marked: 3" 5
ok $? "Space marks three rows"
tmux_keys r
tmux_wait_for "resolve: m match" 5
tmux_keys e
tmux_wait_for "Escalate 3 breaks, total difference" 5
ok $? "one dialog for the three, with their total difference"
tmux_type "three channel-side reversals, bank to confirm"
tmux_keys Tab Tab y
tmux_wait_for "escalate: 3 applied" 15
ok $? "the summary says 3 applied"
n=0
for id in "${E[@]}"; do
	[ "$(brk "$id" .status)" = escalated ] && n=$((n + 1))
done
is "$n" 3 "the platform shows the three escalated"
tmux_keys /
tmux_keys C-u
tmux_type "ch:$C st:esc"
tmux_keys Enter
n=0
for id in "${E[@]}"; do
	tmux_wait_for "$id .*\^ escalated" 5 && n=$((n + 1))
done
is "$n" 3 "the pane shows the three escalated"

# ---- the audit log agrees: five intents, five applied outcomes ----
is "$(audit_rows)" 10 "ten audit rows: an intent and an outcome per break"
"$PAYOPS" audit list >"$TEST_TMP/list" 2>&1
like "$(cat "$TEST_TMP/list")" "break\.resolve\.match +$M" "the log has the match"
like "$(cat "$TEST_TMP/list")" "break\.resolve\.write_off +$W" "the log has the write-off"
n=0
for id in "${E[@]}"; do
	grep -qE "outcome +break\.resolve\.escalate $id -> applied" "$TEST_TMP/list" && n=$((n + 1))
done
is "$n" 3 "an applied outcome per escalated break"
"$PAYOPS" audit verify >"$TEST_TMP/verify" 2>&1
is "$?" 0 "payops audit verify passes"

# ---- approve an onboarding case in manual review ----
# one with a check still pending when there is one
api GET '/v1/onboarding/cases?stage=manual_review&limit=500'
K=$(jb '([.data[] | select(any(.checks[]?; .result == "pending"))][0].id) // .data[0].id')
[ -n "$K" ] && [ "$K" != null ] || bail_out "no case in manual_review"
PENDING=$(jb --arg k "$K" '[.data[] | select(.id == $k) | .checks[]? | select(.result == "pending") | .name][0] // empty')
diag "case $K; pending check: ${PENDING:-none}"
tmux_keys 4
tmux_wait_for "cases, [0-9]+ past SLA" 10
ok $? "the Onboarding pane counts cases and SLA breaches"
tmux_keys /
tmux_type "$K"
tmux_keys Enter
tmux_wait_for "$K .*manual_review" 5
ok $? "the case is shown in manual_review"
tmux_keys A
tmux_wait_for "Approve 1 onboarding case" 5
ok $? "A opens the approve dialog"
if [ -n "$PENDING" ]; then
	like "$(tmux_screen)" "check $PENDING is still pending: approved before its result" \
		"the dialog says the check $PENDING is still pending"
else
	unlike "$(tmux_screen)" "is still pending" "no check pending: the dialog says none"
fi
tmux_type "documents and site visit complete"
tmux_keys Tab Tab y
tmux_wait_for "$K .*approved" 10
ok $? "the pane shows the case approved"
api GET "/v1/onboarding/cases/$K"
is "$(jb .stage)" approved "the platform shows the case approved"

# ---- adjust a limit into warning ----
api GET '/v1/limits?state=ok&limit=500'
read -r L USED WARN <<<"$(jb '[.data[] | select(.used_minor > 100000 and .warn_at <= 0.85)][0] | "\(.id) \(.used_minor) \(.warn_at)"')"
[ -n "$L" ] && [ "$L" != null ] || bail_out "no limit in state ok to adjust"
NEW=$((USED * 100 / 90))   # used is 90% of it: above warn_at, below the limit
NEW_TXT="$((NEW / 100)).$(printf '%02d' $((NEW % 100)))"
diag "limit $L used $USED warn_at $WARN -> $NEW"
tmux_keys 6
tmux_wait_for "limits: [0-9]+ warning" 10
ok $? "the Limits pane counts warnings and breaches"
tmux_keys /
tmux_type "$L"
tmux_keys Enter
tmux_wait_for "${L:0:24}" 5
tmux_keys c
tmux_wait_for "new limit for $L" 5
ok $? "c asks for the new limit"
tmux_type "$NEW_TXT"
tmux_wait_for "state ok -> warning" 5
ok $? "the prompt shows the state the new limit would give"
tmux_keys Enter
tmux_wait_for "Adjust limit" 5
like "$(tmux_screen)" "limit: ¥[0-9,.]+ -> $(fmt_cny "$NEW")" "the dialog shows old -> new"
like "$(tmux_screen)" "state: ok -> warning" "the dialog shows the state it would give"
tmux_type "seasonal peak, approved by treasury"
tmux_keys Tab Tab y
tmux_wait_for "${L:0:24}.* ! warning" 10
ok $? "the pane shows the limit in warning"
api GET "/v1/limits/$L"
is "$(jb .state)" warning "the platform shows the limit in warning"
is "$(jb .limit_minor)" "$NEW" "with the new limit"

tmux_keys q
is "$(tmux_wait_exit 10)" 0 "q quits cleanly"
done_testing
