#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# GET /metrics (platform-api.md, "Metrics exposition"): the Prometheus text
# format 0.0.4 as promtool and a strict reading see it, one-hot state gauges
# that agree with /v1/channels, counters that stand still in a frozen world
# and only grow in a running one, and counters consistent with the channel
# objects: over N ticks their deltas give back each channel's tps, system and
# business success rates and p95 (within a bucket). bank_outage shows in
# them; --adversarial labels stay well-formed. And the size and time of a
# scrape at 2,000 channels.
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/lib/tap.sh"
. "${top_srcdir:-$here/../..}/tests/lib/sim.sh"
need promtool prometheus

T=$TEST_TMP
CT='text/plain; version=0.0.4; charset=utf-8'

# scrape FILE: GET /metrics without a token into FILE
scrape() {
	API_TOKEN=none api GET /metrics
	cp "$API_BODY_FILE" "$1"
}

# lint FILE: one line per break of the exposition format: every sample line
# is name{labels} value, every family has HELP then TYPE before its samples,
# and a family's samples are together
lint() {
	awk '
	function bad(m) { print NR ": " m }
	/^# HELP / { help[$3] = 1; next }
	/^# TYPE / {
		if ($3 in type) bad("TYPE " $3 " twice")
		if (!($3 in help)) bad("TYPE " $3 " before its HELP")
		if ($4 !~ /^(counter|gauge|histogram|summary|untyped)$/) bad("TYPE " $3 " is " $4)
		type[$3] = $4; cur = $3; next
	}
	/^#/ { next }
	{
		if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\[\\"n])*")*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|[-+]Inf|NaN)$/) {
			bad("not name{labels} value: " substr($0, 1, 160)); next
		}
		name = $0; sub(/[{ ].*/, "", name)
		fam = name
		if (!(fam in type)) { f = name; sub(/_(bucket|sum|count)$/, "", f); if (type[f] == "histogram") fam = f }
		if (!(fam in type)) bad(name " before its TYPE")
		else if (fam != cur) bad(name " away from the rest of " fam)
	}
	END { if (NR == 0) print "empty" }' "$1"
}

# table FILE: the channel samples as name TAB channel TAB other label TAB value
# (plain ids: no quote, backslash or space in them)
table() {
	awk '/^payops_channel_/ {
		name = $0; sub(/\{.*/, "", name)
		split($0, q, "\"")
		print name "\t" q[2] "\t" q[4] "\t" $NF }' "$1"
}

# structure TABLE: one line per channel whose series are not as the contract
# says: four outcomes, buckets ascending to +Inf and cumulative, +Inf ==
# _count == the requests, gauges one-hot over every state of the enum
structure() {
	awk -F '\t' '
	function bad(c, m) { print c ": " m }
	$1 == "payops_channel_requests_total" { ch[$2] = 1; req[$2] += $4; outs[$2] = outs[$2] " " $3 }
	$1 == "payops_channel_latency_seconds_bucket" {
		le = $3 == "+Inf" ? 1e308 : $3 + 0
		if (($2 in lastle) && le <= lastle[$2]) bad($2, "le " $3 " after " lastle[$2])
		if (($2 in lastv) && $4 + 0 < lastv[$2]) bad($2, "bucket le=" $3 " below the one before")
		lastle[$2] = le; lastv[$2] = $4 + 0; lastname[$2] = $3; nb[$2]++
		if ($3 == "+Inf") inf[$2] = $4
		if (le <= 0.05) small[$2] = 1
		if ($3 != "+Inf" && le >= 10) big[$2] = 1
	}
	$1 == "payops_channel_latency_seconds_count" { cnt[$2] = $4 }
	$1 == "payops_channel_latency_seconds_sum" { sum[$2] = $4 }
	$1 == "payops_channel_admin_state" { a1[$2] += $4; an[$2] = an[$2] " " $3; if ($4 != 0 && $4 != 1) bad($2, "admin gauge " $4) }
	$1 == "payops_channel_breaker_state" { b1[$2] += $4; bn[$2] = bn[$2] " " $3; if ($4 != 0 && $4 != 1) bad($2, "breaker gauge " $4) }
	END {
		for (c in ch) {
			if (outs[c] != " success business_decline system_error timeout") bad(c, "outcomes" outs[c])
			if (lastname[c] != "+Inf") bad(c, "buckets end at " lastname[c])
			if (!small[c] || !big[c] || nb[c] < 6) bad(c, nb[c] " buckets, not from 0.05 s or less to 10 s or more")
			if (inf[c] != cnt[c]) bad(c, "+Inf " inf[c] " but _count " cnt[c])
			if (cnt[c] != req[c]) bad(c, "_count " cnt[c] " but " req[c] " requests")
			if (!(c in sum)) bad(c, "no _sum")
			if (an[c] != " enabled disabled draining quarantined" || a1[c] != 1) bad(c, "admin states" an[c] " sum " a1[c])
			if (bn[c] != " closed open half_open forced_open" || b1[c] != 1) bad(c, "breaker states" bn[c] " sum " b1[c])
		}
	}' "$1"
}

# states TABLE: "channel admin breaker" from the gauges, sorted
states() {
	awk -F '\t' '$4 == 1 && $1 == "payops_channel_admin_state" { a[$2] = $3 }
		$4 == 1 && $1 == "payops_channel_breaker_state" { b[$2] = $3 }
		END { for (c in a) print c " " a[c] " " b[c] }' "$1" | sort
}

# counters TABLE: every counter and histogram sample as "key value"
counters() {
	awk -F '\t' '$1 ~ /_total$|_bucket$|_sum$|_count$/ { print $1 "|" $2 "|" $3 " " $4 }' "$1" | sort
}

# not_below BEFORE AFTER: keys whose value fell, or that vanished
not_below() {
	join -a 1 -e MISSING -o 0,1.2,2.2 <(counters "$1") <(counters "$2") |
		awk '$3 == "MISSING" || $3 + 0 < $2 + 0 { print }'
}

# ratios BEFORE AFTER SECONDS: per channel, from the deltas: "channel total
# tps sys bus p95_bucket_index hist_p95", the p95 interpolated as
# histogram_quantile does
ratios() {
	awk -F '\t' -v secs="$3" '
	FNR == 1 { f++ }
	{ v = $4 + 0; if (f == 1) v = -v }
	$1 == "payops_channel_requests_total" { ch[$2] = 1; d[$2 "|" $3] += v; tot[$2] += v }
	$1 == "payops_channel_latency_seconds_bucket" {
		k = $2 "|" $3; if (!(k in bd)) { n[$2]++; les[$2 "|" n[$2]] = $3 }
		bd[k] += v
	}
	END {
		for (c in ch) {
			t = tot[c]
			if (t <= 0) { print c, 0, 0, 0, 0, -1, 0; continue }
			sys = 1 - (d[c "|system_error"] + d[c "|timeout"]) / t
			bus = d[c "|success"] / t
			rank = 0.95 * t; prev = 0; prevle = 0; q = -1; qi = -1
			for (i = 1; i <= n[c]; i++) {
				le = les[c "|" i]; cum = bd[c "|" le]
				if (cum >= rank) {
					if (le == "+Inf") { q = prevle; qi = i - 1 }
					else { q = prevle + (le - prevle) * (cum > prev ? (rank - prev) / (cum - prev) : 1); qi = i }
					break
				}
				prev = cum; prevle = le
			}
			printf "%s %d %.4f %.5f %.5f %d %.4f\n", c, t, t / secs, sys, bus, qi, q
		}
	}' "$1" "$2" | sort
}

# objects: /v1/channels as "id tps sys bus p95_seconds admin breaker", sorted
objects() {
	api GET '/v1/channels?limit=500'
	jb '.data[] | "\(.id) \(.tps) \(.system_success_rate) \(.business_success_rate) \(.latency_ms.p95 / 1000) \(.admin_state) \(.breaker)"' | sort
}
metric() { awk -v m="$1" '$1 == m { print $2 }' "$2"; }

sim_start_or_bail --tick-ms 0

# --- the endpoint ------------------------------------------------------------------------
scrape "$T/a.prom"
is "$API_STATUS" 200 "GET /metrics without a token: 200"
is "$API_CT" "$CT" "... Content-Type: $CT"
is "$(API_TOKEN=none api HEAD /metrics -I && echo "$API_STATUS")" 200 "HEAD /metrics: 200"
API_TOKEN=none api_post /metrics '{}'
is "$API_STATUS $(api_header Allow)" "405 GET, HEAD" "POST /metrics: 405, Allow: GET, HEAD"
out=$(promtool check metrics <"$T/a.prom" 2>&1)
is "$?:$out" "0:" "promtool check metrics finds nothing to say"
is "$(lint "$T/a.prom")" "" "every line is HELP, TYPE or name{labels} value; each family's TYPE comes first and its samples together"
is "$(grep '^# TYPE payops_channel' "$T/a.prom" | cut -d' ' -f3- | paste -sd ';')" \
	"payops_channel_requests_total counter;payops_channel_latency_seconds histogram;payops_channel_admin_state gauge;payops_channel_breaker_state gauge" \
	"the four families of the contract with their types"
table "$T/a.prom" >"$T/a.tsv"
is "$(structure "$T/a.tsv")" "" "per channel: four outcomes, buckets ascending and cumulative to +Inf == _count == requests, one-hot gauges over every state"
BOUNDS=$(awk -F '\t' '$1 == "payops_channel_latency_seconds_bucket" && $3 != "+Inf" { print $3 }' "$T/a.tsv" | awk '!s[$0]++' | paste -sd ' ')
note "buckets: $BOUNDS +Inf"
objects >"$T/obj0"
is "$(cut -f2 "$T/a.tsv" | sort -u)" "$(cut -d' ' -f1 "$T/obj0")" "one series set per channel of /v1/channels, no other ($(wc -l <"$T/obj0"))"
is "$(states "$T/a.tsv")" "$(awk '{ print $1, $6, $7 }' "$T/obj0")" "the gauges' states are the channels' admin_state and breaker"

# --- a frozen world does not count ----------------------------------------------------------
api GET /v1/routes
api GET '/v1/alerts?limit=10'
scrape "$T/b.prom"
table "$T/b.prom" >"$T/b.tsv"
is "$(counters "$T/b.tsv" | md5sum)" "$(counters "$T/a.tsv" | md5sum)" "--tick-ms 0: a second scrape has the same counters"
is "$(awk -F '\t' '$1 == "payops_channel_requests_total" { s += $4 } END { print s + 0 }' "$T/b.tsv")" 0 \
	"... none counted before the first tick"

# --- N ticks: the deltas are the channel objects ----------------------------------------------
N=120
sim_tick "$N"
scrape "$T/c.prom"
table "$T/c.prom" >"$T/c.tsv"
objects >"$T/obj1"
is "$(lint "$T/c.prom")$(structure "$T/c.tsv")" "" "after $N ticks: still well-formed"
is "$(( $(metric payops_sim_time_seconds "$T/c.prom") - $(metric payops_sim_time_seconds "$T/a.prom") ))" "$N" \
	"payops_sim_time_seconds moved $N s"
is "$(not_below "$T/a.tsv" "$T/c.tsv")" "" "no counter, bucket, _sum or _count went down"
cmp_ok "$(join <(counters "$T/a.tsv") <(counters "$T/c.tsv") | awk '$3 > $2' | wc -l)" -gt 100 "... and they moved"
ratios "$T/a.tsv" "$T/c.tsv" "$N" >"$T/r1"
# tps within 10% (+0.5); system success within 0.003, business within 0.025
# (the objects' own noise over the window); p95 within a bucket
# (only where the interval saw at least 2,000 requests)
join "$T/r1" "$T/obj1" | awk -v b="$BOUNDS" '
	function bucket(x,   i) { for (i = 1; i <= nb; i++) if (x <= bd[i]) return i; return nb + 1 }
	function off(a, c) { return a > c ? a - c : c - a }
	BEGIN { nb = split(b, bd, " ") }
	$2 >= 2000 {
		c = $1; oi = bucket($11)
		if (off($3, $8) > 0.1 * $8 + 0.5) print c ": tps " $3 " from the counters, " $8 " in the object"
		if (off($4, $9) > 0.003) print c ": system success " $4 " from the counters, " $9 " in the object"
		if (off($5, $10) > 0.025) print c ": business success " $5 " from the counters, " $10 " in the object"
		if (off($6, oi) > 1) print c ": p95 " $7 " s from the histogram (bucket " $6 "), " $11 " s in the object (bucket " oi ")"
	}' >"$T/mismatch"
checked=$(join "$T/r1" "$T/obj1" | awk '$2 >= 2000' | wc -l)
cmp_ok "$checked" -ge 10 "$checked channels saw 2,000 requests or more in $N ticks"
is "$(cat "$T/mismatch")" "" "for each: rate = tps, 1 - (system_error+timeout)/total = system_success_rate, success/total = business_success_rate, p95 within a bucket"
sum_ok=$(join "$T/r1" "$T/obj1" | awk '$2 >= 2000 { print $1 }' | head -n 1)
cs=$(awk -F '\t' -v c="$sum_ok" '$2 == c && $1 == "payops_channel_latency_seconds_sum" { print $4 }' "$T/c.tsv")
cn=$(awk -F '\t' -v c="$sum_ok" '$2 == c && $1 == "payops_channel_latency_seconds_count" { print $4 }' "$T/c.tsv")
mean=$(awk -v s="$cs" -v n="$cn" 'BEGIN { printf "%.4f", s / n }')
p50=$(api GET "/v1/channels/$sum_ok" && jb '.latency_ms.p50 / 1000')
p95=$(jb '.latency_ms.p95 / 1000')
check "$sum_ok: _sum/_count ($mean s) lies between its p50/2 ($p50 s) and its p95 ($p95 s)" \
	awk -v m="$mean" -v a="$p50" -v b="$p95" 'BEGIN { exit !(m > a / 2 && m < b) }'

# --- an operator's disable, and bank_outage, show in the metrics ------------------------------
api GET '/v1/channels?limit=500'
bank=$(jb '[.data[] | select(.network == "bank_direct" and .admin_state == "enabled"
	and .health == "healthy" and .breaker == "closed")] | max_by(.tps) | .id // empty')
off=$(jb --arg b "$bank" '[.data[] | select(.admin_state == "enabled" and .id != $b and .tps > 1)][0].id // empty')
check "a healthy bank_direct channel ($bank) and another busy one ($off)" test -n "$bank" -a -n "$off"
read -r _ tot0 _ sys0 _ < <(grep "^$bank " "$T/r1")
cmp_ok "$sys0" -ge 0.99 "before: $bank's system success ratio from the counters is $sys0"
v=$(api GET "/v1/channels/$off" && jb .version)
mutate "/v1/channels/$off/actions" '{"action": "disable", "reason": "metrics test"}' "\"$v\""
is "$API_STATUS" 200 "an operator disables $off"
sim_scenario bank_outage "$bank"
is "$API_STATUS" 200 "POST /sim/scenario bank_outage $bank"
scrape "$T/d.prom"
table "$T/d.prom" >"$T/d.tsv"
is "$(states "$T/d.tsv" | grep -E "^($bank|$off) ")" "$(printf '%s\n' "$bank enabled open" "$off disabled closed" | sort)" \
	"at once: $off's admin gauge is disabled, $bank's breaker gauge open"
sim_tick 20
scrape "$T/e.prom"
table "$T/e.prom" >"$T/e.tsv"
ratios "$T/d.tsv" "$T/e.tsv" 20 >"$T/r2"
read -r _ tot _ sys_ _ qi q < <(grep "^$bank " "$T/r2")
cmp_ok "$tot" -ge 20 "during the outage $bank still saw traffic ($tot requests in 20 s)"
cmp_ok "$sys_" -lt 0.9 "... its system success ratio from the counters collapsed ($sys0 -> $sys_)"
api GET "/v1/channels/$bank"
osys=$(jb .system_success_rate)
cmp_ok "$osys" -lt 0.9 "... as the object's system_success_rate did ($osys)"
read -r _ _ _ _ _ qi0 q0 < <(grep "^$bank " "$T/r1")
cmp_ok "$q" -gt "$q0" "... its histogram p95 climbed ($q0 s -> $q s)"
read -r _ toff _ < <(grep "^$off " "$T/r2")
is "$toff" 0 "$off, disabled, counted no request"

# --- a running world: monotonic across scrapes ------------------------------------------------
sim_stop
sim_start_or_bail --tick-ms 100
scrape "$T/f.prom"
t0=$(metric payops_sim_time_seconds "$T/f.prom")
advanced() { scrape "$T/g.prom" && [ "$(metric payops_sim_time_seconds "$T/g.prom")" -ge $((t0 + 10)) ]; }
wait_until 30 advanced
ok $? "(a sim ticking every 100 ms) payops_sim_time_seconds moves on by itself"
table "$T/f.prom" >"$T/f.tsv"
table "$T/g.prom" >"$T/g.tsv"
is "$(not_below "$T/f.tsv" "$T/g.tsv")" "" "between two scrapes no counter, bucket, _sum or _count went down"
cmp_ok "$(join <(counters "$T/f.tsv") <(counters "$T/g.tsv") | awk '$3 > $2' | wc -l)" -gt 100 "... and they moved"
is "$(lint "$T/g.prom")$(structure "$T/g.tsv")" "" "... well-formed"

# --- --adversarial: hostile channel labels, escaped ------------------------------------------------
sim_stop
sim_start_or_bail --tick-ms 0 --adversarial
sim_tick 5
scrape "$T/h.prom"
out=$(promtool check metrics <"$T/h.prom" 2>&1)
is "$?:$out" "0:" "--adversarial: promtool check metrics finds nothing to say"
is "$(lint "$T/h.prom")" "" "... every sample line is still name{labels} value"
check "... a label value with an escaped backslash" grep -qF '\\' "$T/h.prom"
check "... one with an escaped line feed" grep -qF '\n' "$T/h.prom"
check "... one with an escape character as it is" grep -q $'\x1b' "$T/h.prom"
nch=$(sim_state .counts.channels)
is "$(grep -c '^payops_channel_admin_state{.*state="enabled"} ' "$T/h.prom")" "$nch" "... still one series set per channel ($nch)"

# --- 2,000 channels: what a scrape costs ----------------------------------------------------------
sim_stop
sim_start_or_bail --tick-ms 0 --channels 2000 --cases 100 --breaks 100 --limits 100
sim_tick 10
best=
for i in 1 2 3; do
	scrape "$T/big.prom"
	[ -z "$best" ] || awk -v a="$API_TIME" -v b="$best" 'BEGIN { exit !(a < b) }' && best=$API_TIME
done
size=$(wc -c <"$T/big.prom")
lines=$(wc -l <"$T/big.prom")
note "2,000 channels: /metrics is $size bytes, $lines lines, in $best s (best of 3)"
is "$API_STATUS $(grep -c '^payops_channel_admin_state{.*state="enabled"} ' "$T/big.prom")" "200 2000" \
	"2,000 channels: 200, a series set for each"
cmp_ok "$best" -lt 2 "... answered in under 2 s ($best s)"
out=$(promtool check metrics <"$T/big.prom" 2>&1)
is "$?:$out" "0:" "... promtool check metrics finds nothing to say"

sim_stop
is "$?" 0 "SIGTERM: payops-sim exits 0"
done_testing
