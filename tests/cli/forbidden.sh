#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# A scope the platform takes away between the read and the send: the
# command read the operator's scopes (channels:write there), printed its
# effect statement and sent; the platform, which revoked the scope in the
# meantime (POST /sim/scopes), answers 403 insufficient_scope. The command
# exits 5 (refused by the platform) naming the scope, the channel is as it
# was, and the audit log holds the intent and a rejected outcome.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0
api GET /v1/channels
ch=$(jb '[.data[] | select(.admin_state == "enabled" and .traffic_share < 0.02)][0].id')
[ -n "$ch" ] && [ "$ch" != null ] || bail_out "the simulated world lacks a small enabled channel"

# the control endpoint: checked input, and /v1/me follows it
sim_post /sim/scopes '{"operator_id": "'"$SIM_OPERATOR"'", "revoke": ["channels:fly"]}'
is "$API_STATUS" 400 "/sim/scopes refuses an unknown scope"
like "$(jb .detail)" "unknown scope channels:fly" "... naming it"
sim_post /sim/scopes '{"revoke": ["channels:write"]}'
is "$API_STATUS" 400 "/sim/scopes wants an operator_id"

# the action's POST waits 3 s (scaled) at the platform before it is
# looked at: time to revoke the scope after the command has read it; the
# command waits longer than that for an answer
delay=$((3000 * TEST_TIME_SCALE))
printf 'request_timeout: %ds\n' $((delay / 1000 + 30)) >>"$CLI_CFG"
sim_faults '{"latency_ms": '"$delay"', "path_prefix": "/v1/channels/'"$ch"'/actions"}'
"$PAYOPS" channel quarantine "$ch" --reason "scope revoked under it" --yes -c "$CLI_CFG" \
	>"$CLI_DIR/out" 2>"$CLI_DIR/err" </dev/null &
pid=$!
bg_track "$pid"
_stated() { grep -q "as seen at version" "$CLI_DIR/out"; }
wait_until 20 _stated
ok $? "the command read the channel and stated the effect (the scope was there)"
sim_post /sim/scopes '{"operator_id": "'"$SIM_OPERATOR"'", "revoke": ["channels:write"]}'
is "$API_STATUS" 200 "channels:write revoked at the platform while the request waits"
api GET /v1/me
unlike "$(jb '.scopes | join(",")')" "channels:write" "/v1/me no longer lists channels:write"
wait "$pid"
rc=$?
is "$rc" 5 "the platform's 403: exit 5 (refused by the platform)"
like "$(cat "$CLI_DIR/err")" "channels:write|insufficient_scope" "... naming the scope on stderr" ||
	diag "$(cat "$CLI_DIR/err")"
sim_faults_clear
api GET "/v1/channels/$ch"
is "$(jb .admin_state)" enabled "the channel is as it was"
is "$("$PAYOPS" audit --db "$CLI_AUDIT" list 2>/dev/null | grep -c .)" 2 "an intent and an outcome row"
outcome=$("$PAYOPS" audit --db "$CLI_AUDIT" show 2)
like "$outcome" "outcome +rejected" "the outcome row says rejected" || diag "$outcome"
like "$outcome" "detail +via cli: " "... via cli"

# granted back: the same command applies
sim_post /sim/scopes '{"operator_id": "'"$SIM_OPERATOR"'", "grant": ["channels:write"]}'
is "$API_STATUS" 200 "channels:write granted again"
po channel quarantine "$ch" --reason "scope back" --yes
is "$PO_RC" 0 "with the scope back: exit 0 (applied)"

done_testing
