#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Channel health from a REAL Prometheus (Debian's prometheus, started here
# in the foreground on a free 127.0.0.1 port with its own configuration and
# data directory, scraping payops-sim's /metrics every second), the real
# console in tmux with metrics: pointing at it:
#   - the Channels pane takes its numbers from Prometheus (the detail pane
#     says so, no fallback mark);
#   - with the sim's bank_outage on a channel the pane shows the collapse
#     within two scrape intervals, and agrees with the same PromQL asked
#     here with curl (and with the platform's object within sampling noise);
#   - Prometheus stopped: the pane falls back to the platform's numbers,
#     marked, the message line says why; started again: back to Prometheus.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/need.sh"
PROM_BIN=${PROM_BIN:-/usr/bin/prometheus}
need "$PROM_BIN" prometheus tmux tmux curl curl jq jq
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/lib/am.sh" # am_free_port
plan 13

SCRAPE_S=1
# ---- the platform ----
sim_start_or_bail
api GET '/v1/channels?limit=500'
target=$(jb '[.data[] | select(.network == "bank_direct" and .admin_state == "enabled"
	and .health == "healthy" and .breaker == "closed")] | max_by(.tps) | .id // empty')
[ -n "$target" ] || bail_out "no healthy bank_direct channel"

# ---- Prometheus ----
cat >"$TEST_TMP/prom.yml" <<YML
global:
  scrape_interval: ${SCRAPE_S}s
  evaluation_interval: ${SCRAPE_S}s
scrape_configs:
  - job_name: payops-sim
    scrape_interval: ${SCRAPE_S}s
    scrape_timeout: 900ms
    static_configs:
      - targets: ['127.0.0.1:$SIM_PORT']
YML
_prom_ready() { curl -sf "$PROM_URL/-/ready" >/dev/null 2>&1; }
_prom_up_or_gone() { _prom_ready || ! kill -0 "$PROM_PID" 2>/dev/null; }
prom_start() {
	"$PROM_BIN" --config.file="$TEST_TMP/prom.yml" \
		--storage.tsdb.path="$TEST_TMP/prom-data" \
		--web.listen-address="127.0.0.1:$PROM_PORT" \
		--log.level=warn >>"$TEST_TMP/prom.log" 2>&1 </dev/null &
	PROM_PID=$!
	bg_track "$PROM_PID"
	wait_until 30 _prom_up_or_gone
	_prom_ready
}
for _ in 1 2 3 4 5; do
	PROM_PORT=$(am_free_port) || bail_out "no free port"
	PROM_URL=http://127.0.0.1:$PROM_PORT
	prom_start && break
done
_prom_ready || bail_out "prometheus did not become ready: $(tail -n 3 "$TEST_TMP/prom.log")"
diag "target $target; prometheus on port $PROM_PORT"

# The system success rate over the last two scrapes (irate), so a collapse
# shows at once: a query override, as a site would write one.
SSR_Q='sum by (channel) (irate(payops_channel_requests_total{outcome!~"system_error|timeout"}[5s])) / sum by (channel) (irate(payops_channel_requests_total[5s]))'
# promql QUERY: the value for the target channel, as a percentage
promql() {
	curl -sf --get "$PROM_URL/api/v1/query" --data-urlencode "query=$1" |
		jq -r --arg c "$target" '.data.result[] | select(.metric.channel == $c) | .value[1] | tonumber * 100'
}
_has_sample() { [ -n "$(promql "$SSR_Q")" ]; }
wait_until 30 _has_sample
ok $? "Prometheus scrapes payops-sim and answers the query for $target"

e2e_config 'poll_interval: 500ms' 'metrics:' "  prometheus: $PROM_URL" \
	'  queries:' "    system_success_rate: '$SSR_Q'"
e2e_start
tmux_wait_for "sh-a: up" 15
ok $? "the console connects"
tmux_keys 2
tmux_wait_for 'Channels' 5
tmux_keys /
tmux_type "$target"
tmux_keys Enter
tmux_wait_for "^ *\*? *$target " 5
tmux_keys Enter # the detail pane

# the target's row: its first percentage is the system success rate
row() { tmux_screen | grep -E -- "(^| )$target " | head -n 1; }
ssr_shown() { row | grep -oE -- '\*?[0-9]+(\.[0-9]+)?%' | head -n 1; }
_from_prom() { tmux_screen | grep -qE 'numbers from .* system Prometheus' && ! ssr_shown | grep -q '^\*'; }
wait_until 20 _from_prom
ok $? "the pane shows $target's system success rate from Prometheus ($(ssr_shown))" ||
	diag "$(tmux_screen)"

# ---- the outage ----
t0=$(_now_ms)
sim_scenario bank_outage "$target"
is "$API_STATUS" 200 "POST /sim/scenario bank_outage $target"
_collapsed() { local v; v=$(ssr_shown); v=${v#\*}; v=${v%\%}; [ -n "$v" ] && awk -v v="$v" 'BEGIN { exit !(v < 90) }'; }
wait_until 20 _collapsed
ok $? "the pane shows the collapse ($(ssr_shown))"
took=$(since_ms "$t0")
diag "the collapse showed after $took ms"
cmp_ok "$took" -le "$(($(scaled 1) * (2 * SCRAPE_S * 1000 + 500)))" \
	"... within two scrape intervals (and the console's half-second poll)"
# the same PromQL asked here: both move every scrape (irate), so they are
# compared at moments a poll apart until they meet (2 points), bounded
_agrees() {
	shown=$(ssr_shown); shown=${shown%\%}
	asked=$(promql "$SSR_Q")
	[ -n "$shown" ] && [ -n "$asked" ] &&
		awk -v a="$shown" -v b="$asked" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 2) }'
}
wait_until 15 _agrees
ok $? "... and agrees with the PromQL asked here (shown $shown%, PromQL $asked%)"
api GET "/v1/channels/$target"
obj=$(jb '.system_success_rate * 100')
diag "the platform's object: $obj%"
check "... and with the platform's object within sampling noise (10 points)" \
	awk -v a="$shown" -v b="$obj" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 10) }'

# the Overview's worst five take the same number
tmux_keys 1
_ov_prom() { tmux_screen | grep -E -- "^ *$target " | grep -qE -- ' [0-9]+(\.[0-9]+)?%'; }
wait_until 10 _ov_prom
ok $? "the Overview lists $target among the worst five with Prometheus's number, unmarked" ||
	diag "$(tmux_screen)"
tmux_keys 2
tmux_wait_for 'numbers from' 5

# ---- Prometheus stopped: the fallback, marked ----
kill "$PROM_PID"
wait "$PROM_PID" 2>/dev/null
_marked() { ssr_shown | grep -q '^\*'; }
wait_until 15 _marked
ok $? "Prometheus stopped: the pane shows the platform's number, marked ($(ssr_shown))"
tmux_wait_for "Prometheus .*showing the platform's numbers" 5
ok $? "... and the message line says why"
tmux_screen | grep -qE 'numbers from .* system \*platform'
ok $? "... and the detail pane says where it comes from" || diag "$(tmux_screen)"

# ---- back ----
prom_start || bail_out "prometheus did not start again: $(tail -n 3 "$TEST_TMP/prom.log")"
wait_until 20 _from_prom
ok $? "Prometheus back: the pane takes its numbers from it again, unmarked ($(ssr_shown))"
tmux_stop
