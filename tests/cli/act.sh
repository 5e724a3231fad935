#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops channel / route weights from a script against payops-sim: refused
# before any request without --reason, or without --yes and a terminal;
# applied with --yes, with an intent and an outcome row via cli that
# `payops audit verify` accepts; the exit status of applied (0), refused by
# the platform (409: 5), the token's missing scope (7, nothing sent) and
# pending approval (202: 4); on a terminal, the typed-id prompt of a channel
# above confirm_share.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/lib/tmux.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0
api GET /v1/channels
channels=$API_BODY
small=$(jq -r '[.data[] | select(.admin_state == "enabled" and .traffic_share < 0.02)][0].id' <<<"$channels")
small2=$(jq -r '[.data[] | select(.admin_state == "enabled" and .traffic_share < 0.02)][1].id' <<<"$channels")
big=$(jq -r '[.data[] | select(.admin_state == "enabled")] | max_by(.traffic_share) | .id' <<<"$channels")
posts() { sim_requests "POST /v1/channels/"; }
rows() { "$PAYOPS" audit --db "$CLI_AUDIT" list 2>/dev/null | grep -c .; }

# No reason: refused before any request, nothing in the log.
po channel quarantine "$small" --yes
is "$PO_RC" 2 "without --reason: exit 2"
like "$PO_ERR" "--reason is required; nothing was sent" "... saying so"
is "$(posts)" 0 "... and no request was sent"

# No terminal, no --yes: the effect is printed, nothing is sent.
po channel quarantine "$small" --reason "cli test"
is "$PO_RC" 7 "without --yes and no terminal: exit 7"
like "$PO_OUT" "$small: enabled -> quarantined" "... after printing the effect statement"
like "$PO_ERR" "no terminal to confirm on" "... and saying why"
is "$(posts)" 0 "... and no request was sent"
is "$(rows)" 0 "... and no audit row was written"
api GET "/v1/channels/$small"
is "$(jb .admin_state)" enabled "... and the channel is still enabled"

# --yes: applied, intent and outcome via cli.
po channel quarantine "$small" --reason "cli test" --ticket CHG-17 --yes
is "$PO_RC" 0 "quarantine --yes: exit 0 (applied)"
like "$PO_OUT" "applied: channel.quarantine $small: applied" "... says applied"
api GET "/v1/channels/$small"
is "$(jb .admin_state)" quarantined "... the platform shows it quarantined"
is "$(rows)" 2 "... one intent and one outcome row"
intent=$("$PAYOPS" audit --db "$CLI_AUDIT" show 1)
outcome=$("$PAYOPS" audit --db "$CLI_AUDIT" show 2)
like "$intent" "request_id +po-cli-" "the intent row records via cli (its request id)"
like "$intent" "ticket +CHG-17" "... and the ticket"
like "$outcome" "detail +via cli: " "the outcome row records via cli"
like "$outcome" "outcome +applied" "... and applied"
"$PAYOPS" audit --db "$CLI_AUDIT" verify >/dev/null
is "$?" 0 "payops audit verify passes over the rows"

# Refused by the platform: quarantining it again is a 409.
po channel quarantine "$small" --reason "again" --yes
is "$PO_RC" 5 "a 409 (invalid_transition): exit 5"
like "$PO_ERR" "invalid_transition \(HTTP 409\)" "... its problem code on stderr"

# A token without channels:write: refused here, nothing sent.
n=$(posts)
cli_token "$SIM_NOCHAN_TOKEN"
po channel disable "$small2" --reason "no scope" --yes
is "$PO_RC" 7 "a token without channels:write: exit 7"
like "$PO_ERR" "insufficient_scope: needs channels:write" "... naming the scope"
is "$(posts)" "$n" "... and nothing was sent"
cli_token "$SIM_TOKEN"

# Bad input: the nearest verb, exit 2.
po channel quarantin "$small" --reason x --yes
is "$PO_RC" 2 "an unknown verb: exit 2"
is "$PO_ERR" "payops channel: unknown action 'quarantin' (did you mean 'quarantine'?)" "... naming the nearest"

# Route weights: every member, summing to 100.
api GET /v1/routes
rt=$(jq -c '[.data[] | select(.members | length == 2)][0]' <<<"$API_BODY")
gid=$(jq -r .id <<<"$rt")
a=$(jq -r '.members[0].channel_id' <<<"$rt") b=$(jq -r '.members[1].channel_id' <<<"$rt")
po route weights "$gid" "$a=30" "$b=70" --expires 30m --reason "cli reroute" --yes
is "$PO_RC" 0 "route weights --yes: exit 0"
api GET "/v1/routes/$gid"
is "$(jb '[.members[] | "\(.channel_id)=\(.weight_pct)"] | join(" ")')" "$a=30 $b=70" "... the platform has the new weights"

# On a terminal: the effect, then the typed-id prompt (the channel carries
# more than confirm_share); a wrong id sends nothing.
n=$(posts)
tmux_start "$PAYOPS" channel quarantine "$big" --reason "tty test" -c "$CLI_CFG"
tmux_wait_for "Type the id $big to confirm:" 20
ok $? "on a terminal the typed-id prompt appears for $big"
like "$(tmux_screen)" "more than 5% of traffic: type its id" "... below the effect statement"
tmux_type "wrong"
tmux_keys Enter
is "$(tmux_wait_exit 20)" 7 "a wrong id: exit 7"
is "$(posts)" "$n" "... nothing was sent"

# No answer: the request stalls past every try; the outcome is unknown.
api GET /v1/channels
slow=$(jq -r --arg a "$small" --arg b "$small2" '[.data[] | select(.admin_state == "enabled" and .traffic_share < 0.02 and .id != $a and .id != $b)][0].id' <<<"$API_BODY")
cp "$CLI_CFG" "$CLI_DIR/slow.yaml"
echo "request_timeout: 1s" >>"$CLI_DIR/slow.yaml"
sim_faults "$(jq -nc --arg p "/v1/channels/$slow/actions" '{stall_ms: 30000, path_prefix: $p}')"
"$PAYOPS" channel drain "$slow" --reason "stalls" --yes -c "$CLI_DIR/slow.yaml" >"$CLI_DIR/out" 2>"$CLI_DIR/err" </dev/null
is "$?" 6 "no answer after every try: exit 6 (outcome unknown)"
like "$(cat "$CLI_DIR/out")" "unknown: " "... says unknown"
sim_faults_clear
last=$("$PAYOPS" audit --db "$CLI_AUDIT" list --kind outcome --limit 1)
like "$last" "channel.drain $slow -> unknown" "... and the audit log has the unknown outcome"

# 202: a platform that wants a second operator's approval.
api GET "/v1/channels/$big"
share=$(jb .traffic_share)
thr=$(awk -v s="$share" 'BEGIN { printf "%.6f", s / 2 }')
sim_start_or_bail --tick-ms 0 --approval-share "$thr"
sed -i "s|url: .*|url: $SIM_URL|" "$CLI_CFG"
rm -rf "$CLI_DIR/cache"
po channel disable "$big" --reason "needs approval" --yes
is "$PO_RC" 4 "a 202: exit 4 (pending approval)"
like "$PO_OUT" "pending_approval: " "... says pending approval"

done_testing
