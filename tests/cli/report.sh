#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops report shift after a scripted incident (a bank_outage, a quarantine
# of its channel, a reroute around it, its release): the report names each
# action with its time, operator and outcome, and counts the queues as the
# API does.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0
start=$(date -u +%s)
sim_scenario bank_outage
ch=$(jb -r .target)
sim_tick 5
api GET /v1/routes
rt=$(jq -c --arg c "$ch" '[.data[] | select(any(.members[]; .channel_id == $c))][0]' <<<"$API_BODY")
gid=$(jq -r .id <<<"$rt")
weights=$(jq -r --arg c "$ch" '[.members[] | .channel_id] as $m | $m | to_entries |
	map(if .value == $c then "\(.value)=0" else "\(.value)=\(if .key == (if $m[0] == $c then 1 else 0 end) then 100 else 0 end)" end) | .[]' <<<"$rt")

po channel quarantine "$ch" --reason "bank outage" --ticket INC-7 --yes
is "$PO_RC" 0 "the outage's channel $ch is quarantined"
# shellcheck disable=SC2086
po route weights "$gid" $weights --reason "around the outage" --yes
is "$PO_RC" 0 "its route group $gid is rerouted"
po channel release "$ch" --reason "bank back" --yes
is "$PO_RC" 0 "and it is released"

po report shift --since 1h -o json
is "$PO_RC" 0 "report shift -o json exits 0"
r=$PO_OUT
is "$(jq -r '[.actions[] | "\(.action) \(.target) \(.outcome)"] | join(";")' <<<"$r")" \
	"channel.quarantine $ch applied;route.reweight $gid applied;channel.release $ch applied" \
	"the report lists the quarantine, the reroute and the release, in order, applied"
is "$(jq -r '.actions[0].ticket' <<<"$r")" INC-7 "... with the ticket"
is "$(jq -r '.actions[0].operator' <<<"$r")" "$SIM_OPERATOR" "... and the operator"
t=$(jq -r '.actions[0].time' <<<"$r")
ts=$(date -u -d "$t" +%s)
ok "$([ "$ts" -ge "$start" ] && [ "$ts" -le "$(date -u +%s)" ]; echo $?)" "... at the time it was done ($t)"
is "$(jq -r '[.actions[] | select(.action | startswith("channel.")) | .state_after] | join(";")' <<<"$r")" \
	"admin_state=quarantined;admin_state=disabled" "the channel's admin states after each action"
api_walk "/v1/limits?state=breached&limit=200" "$TEST_TMP/breached"
is "$(jq -r .queues.limits.breached <<<"$r")" "$(wc -l <"$TEST_TMP/breached")" "limits breached now: the API's count"

is "$(jq -r --arg c "$ch" '[.trends[] | select(.channel == $c)] | length' <<<"$r")" 1 \
	"trends: the outage's channel $ch"
like "$(jq -r --arg c "$ch" '.trends[] | select(.channel == $c) | .spark' <<<"$r")" \
	'^[ ▁▂▃▄▅▆▇█]{40}$' "... drawn as a 40-cell sparkline"
is "$(jq -r --arg c "$ch" '.trends[] | select(.channel == $c) | .lowest_success_rate < 0.98' <<<"$r")" \
	true "... its lowest success rate that of an outage"
is "$(jq -r '[.trends[] | select(.lowest_success_rate >= 0.995)] | length' <<<"$r")" 0 \
	"... and no channel that stayed above warn_success_rate"

is "$(jq -r .trend_minutes <<<"$r")" 60 "the trends cover the hour of the window"
po report shift --since 8h -o json
is "$(jq -r .trend_minutes <<<"$PO_OUT")" 120 "an 8-hour window: its last 120 minutes, what a trend holds"
is "$(jq -r --arg c "$ch" '[.trends[] | select(.channel == $c)] | length' <<<"$PO_OUT")" 1 \
	"... the outage's channel among them"
po report shift --since 1h
is "$PO_RC" 0 "report shift (markdown) exits 0"
like "$PO_OUT" "- $ch \`[ ▁▂▃▄▅▆▇█]+\` system success rate down to" "markdown: the sparkline of $ch"
like "$PO_OUT" "\| op.test \| channel.quarantine \| $ch \| applied \| bank outage \| INC-7 \|" "markdown: the quarantine row"
like "$PO_OUT" "## Queues now" "markdown: the queues"
like "$PO_OUT" "## Channels unhealthy in the last 60 minutes" "markdown: the trends' span"

po report shift --since 1h --from 2026-01-01T00:00:00Z --to 2026-01-02T00:00:00Z
is "$PO_RC" 2 "--since with --from: exit 2"
po report shfit
is "$PO_RC" 2 "an unknown report: exit 2"
like "$PO_ERR" "did you mean 'shift'" "... naming the nearest"

# The queues now against the window's start: payops patrol keeps a sample
# of the queues' headlines in the cache; the world moves; a report whose
# window starts after that sample sets it against now, each matching what
# the platform's API said at the time.
api_heads() { # the API's active breaks by severity, net, and limits breached
	api_walk "/v1/recon/breaks?limit=500" "$TEST_TMP/brk" '"\(.status) \(.severity) \(.difference_minor)"' ||
		diag "$WALK_ERR"
	api_walk "/v1/limits?state=breached&limit=200" "$TEST_TMP/lbr" '.id' || diag "$WALK_ERR"
	tr -d '"' <"$TEST_TMP/brk" | awk -v lb="$(wc -l <"$TEST_TMP/lbr")" '
		$1 == "open" || $1 == "investigating" || $1 == "escalated" { n[$2]++; s[$2] += $3 }
		END { printf "high=%d/%d medium=%d/%d low=%d/%d limits_breached=%d", n["high"], s["high"],
			n["medium"], s["medium"], n["low"], s["low"], lb }'
}
json_heads() { # the same of a report's queues object
	jq -r '"high=\(.breaks.high.open)/\(.breaks.high.net_difference_minor) medium=\(.breaks.medium.open)/\(.breaks.medium.net_difference_minor) low=\(.breaks.low.open)/\(.breaks.low.net_difference_minor) limits_breached=\(.limits.breached)"'
}
po report shift --since 1h -o json
is "$(jq -r .queues_start <<<"$PO_OUT")" null "no sample before the window: queues_start is null"
po report shift --from 2020-01-01T00:00:00Z
like "$PO_OUT" "No sample of the queues was recorded at or before 2020-01-01T00:00:00Z" \
	"markdown: says there is no sample rather than guess"
before=$(api_heads)
po patrol -o json
db=$(ls "$CLI_DIR"/cache/*.db 2>/dev/null | head -n 1)
sample_at=$(sqlite3 "$db" "SELECT max(at) FROM queue_headlines" 2>/dev/null)
like "$sample_at" '^[0-9]+$' "payops patrol kept a sample of the queues' headlines in the cache"
sim_tick 900
after=$(api_heads)
isnt "$after" "$before" "900 ticks later the queues have moved"
_past_sample() { [ "$(date -u +%s)" -gt "$sample_at" ]; }
wait_until 5 _past_sample
from=$(date -u -d "@$((sample_at + 1))" +%Y-%m-%dT%H:%M:%SZ)
po report shift --from "$from" -o json
is "$PO_RC" 0 "report shift --from after the sample: exit 0"
is "$(jq -r .queues_start.at <<<"$PO_OUT")" "$(date -u -d "@$sample_at" +%Y-%m-%dT%H:%M:%SZ)" \
	"the start is the patrol's sample"
is "$(jq -c .queues_start <<<"$PO_OUT" | json_heads)" "$before" "... with the API's counts at that time"
is "$(jq -c .queues <<<"$PO_OUT" | json_heads)" "$after" "now: the API's counts now"
po report shift --from "$from"
like "$PO_OUT" "## Queues now against the window's start" "markdown: the queues against the start"
like "$PO_OUT" "\| breaks open, high \| $(jq -r .queues_start.breaks.high.open <<<"$(po report shift --from "$from" -o json; echo "$PO_OUT")") \|" \
	"... a row with the start's count"

done_testing
