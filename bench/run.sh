#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# bench/run.sh: the scale benchmark, one command.
#
#   bench/run.sh [--small] [--build-dir DIR] [--reps N]
#
# Builds (out of tree, in DIR, default /tmp/payops-bench-build) when the
# binaries are missing, starts payops-sim at scale (2,000 channels, 100,000
# cases, 1,000,000 breaks, 100,000 limits, a tick a second; --small: a
# twentieth), and prints a table: the first full sync of the breaks into
# the cache, filter/sort/count latency of every pane filter on the cache at
# that size, the sync process's peak memory, the sim's list page latency,
# the cost of an unchanged poll cycle; then the console itself in tmux:
# cold start to the first full screen, its first sync of everything, peak
# resident memory, CPU and requests per idle minute (over two, the resync
# interval), scrolling and filtering the
# breaks, bytes written to the terminal per minute with live updates
# against `watch -n1 curl | jq .` and against `watch -n1 curl | jq -r`
# printing one line per channel, in the same kind of pane, and warm start
# from the cache with the sim stopped; and the machine it ran on. The sim
# is frozen (--tick-ms 0) and ticked once a second by this script while
# updates are wanted. Not a pass/fail test.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=/tmp/payops-bench-build
small=0
reps=10
while [ $# -gt 0 ]; do
	case $1 in
	--small) small=1 ;;
	--build-dir) build=$2; shift ;;
	--reps) reps=$2; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
command -v curl >/dev/null || { echo "bench/run.sh: curl is required" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench/run.sh: jq is required" >&2; exit 2; }

command -v tmux >/dev/null || { echo "bench/run.sh: tmux is required" >&2; exit 2; }
command -v watch >/dev/null || { echo "bench/run.sh: watch (procps) is required" >&2; exit 2; }

if [ ! -x "$build/payops-sim" ] || [ ! -x "$build/bench/cachebench" ] || [ ! -x "$build/payops" ] ||
	[ ! -x "$build/bench/prombench" ]; then
	echo "# building in $build" >&2
	(cd "$top" && { test -x configure || autoreconf -fi; }) >&2 || exit 1
	mkdir -p "$build" || exit 1
	(cd "$build" && { test -f Makefile || "$top/configure" -q; } &&
		make -j"$(nproc)" payops payops-sim bench/cachebench bench/prombench) >&2 || exit 1
fi
SIM=$build/payops-sim
BENCH=$build/bench/cachebench
PAYOPS=$build/payops

if [ "$small" = 1 ]; then
	size=(--channels 100 --cases 5000 --breaks 50000 --limits 5000)
	sync_wait=240 live_s=20 idle_s=20
else
	sync_wait=1800 live_s=60 idle_s=120
	size=(--channels 2000 --cases 100000 --breaks 1000000 --limits 100000)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/payops-bench.XXXXXX") || exit 1
sim_pid=
ticker_pid=
tsock=payops-bench-$$
tm() { tmux -L "$tsock" -f /dev/null "$@"; }
cleanup() {
	[ -n "$ticker_pid" ] && kill "$ticker_pid" 2>/dev/null && wait "$ticker_pid" 2>/dev/null
	tm kill-server >/dev/null 2>&1
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(date +%s.%N)
# its request log (a line a request) counts what the console asks
"$SIM" --port 0 "${size[@]}" --tick-ms 0 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1200); do
	grep -q '^token ' "$work/sim.out" 2>/dev/null && break
	kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/sim.out")
token=$(awk '/^token /{print $2}' "$work/sim.out")
[ -n "$url" ] && [ -n "$token" ] || { echo "payops-sim did not start" >&2; exit 1; }
sim_start=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
export PAYOPS_TOKEN=$token

kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
row() { printf '%-58s %s\n' "$1" "$2"; }
pct() { # FILE P: the P-th percentile of the numbers in FILE
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; printf "%.2f", v[i] }'
}

ticker_start() { # the world moves: one tick a second
	[ -n "$ticker_pid" ] && return
	(while :; do
		curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
			-d '{"seconds": 1}' "$url/sim/tick"
		sleep 1
	done) &
	ticker_pid=$!
}
ticker_stop() {
	[ -n "$ticker_pid" ] && kill "$ticker_pid" 2>/dev/null && wait "$ticker_pid" 2>/dev/null
	ticker_pid=
}
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
# cpu_ticks PID: utime+stime (+ cutime+cstime: children it has reaped)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
pane_pid() { tm display-message -p -t "$1" '#{pane_pid}' 2>/dev/null; }
# wait_screen SESSION ERE SECS: poll capture-pane every 20 ms
wait_screen() {
	local end=$(($(now_ms) + $3 * 1000))
	while [ "$(now_ms)" -lt "$end" ]; do
		tm capture-pane -p -t "$1" 2>/dev/null | grep -Eq -- "$2" && return 0
		sleep 0.02
	done
	return 1
}

# SESSION N SECONDS: until the Channels pane shows at least N rows (it opens
# worst success rate first, so no one id is sure to be on the first screen)
chan_row_re='^ *[*~]? *[a-z0-9][a-z0-9._-]* +[^ ]{0,2} *(healthy|degraded|down|unknown) '
wait_rows() {
	local end=$(($(now_ms) + $3 * 1000)) n
	while [ "$(now_ms)" -lt "$end" ]; do
		n=$(tm capture-pane -p -t "$1" 2>/dev/null | grep -Ec -- "$chan_row_re")
		[ "${n:-0}" -ge "$2" ] && return 0
		sleep 0.02
	done
	return 1
}

echo "payops scale benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
echo
echo "== machine"
row "cpus (nproc)" "$(nproc)"
row "cpu model" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
row "memory" "$(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
row "kernel" "$(uname -sr)"
row "load average at start" "$(cut -d' ' -f1-3 /proc/loadavg)"
row "sqlite / curl / jq / tmux" "$(sqlite3 --version 2>/dev/null | cut -d' ' -f1) / $(curl --version | awk 'NR==1{print $2}') / $(jq --version) / $(tmux -V)"
row "payops" "$("$PAYOPS" --version 2>/dev/null | head -1)"
echo
echo "== world: payops-sim ${size[*]} --tick-ms 0 (ticked by this script when updates are wanted)"
row "sim start-up (world generation)" "${sim_start} s"
echo

echo "== first full sync of the breaks into the cache (cursors, limit=500)"
out=$("$BENCH" sync --url "$url" --db "$work/cache.db" --kinds breaks --timeout-s 3000 2>"$work/sync.err")
secs=$(kv seconds "$out")
items=$(kv items "$out")
row "breaks saved" "$items in $(kv pages "$out") pages, $(kv requests "$out") requests, $(kv errors "$out") errors"
row "time" "$secs s"
row "rate" "$(awk -v n="$items" -v s="$secs" 'BEGIN{ if (s > 0) printf "%.0f rows/s", n/s }')"
row "peak resident memory of the sync process" "$(awk -v k="$(kv maxrss_kb "$out")" 'BEGIN{printf "%.1f MB", k/1024}')"
row "cache file" "$(du -m "$work/cache.db" | cut -f1) MB (+ WAL $(du -m "$work/cache.db-wal" 2>/dev/null | cut -f1) MB)"
echo

out=$("$BENCH" sync --url "$url" --db "$work/cache.db" --kinds cases,limits --timeout-s 1200 2>&1)
row "cases and limits (first sync)" "$(kv items "$out") in $(kv seconds "$out") s"
echo

echo "== filter, sort and count on the cache (5 runs each, page of 50 rows; ms)"
qout=$("$BENCH" query --db "$work/cache.db" --reps 5)
head -1 <<<"$qout" | sed 's/^/# /'
printf '%-58s %8s %8s  %s\n' "query" "p50" "p95" "result"
grep '^query' <<<"$qout" | while IFS=$'\t' read -r _ name p50 p95 res; do
	printf '%-58s %8s %8s  %s\n' "$name" "$p50" "$p95" "$res"
done
echo

echo "== the sim's list page latency ($reps requests each, curl; ms)"
lat() { # NAME PATH
	: >"$work/lat"
	for _ in $(seq "$reps"); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url$2" |
			awk '{printf "%.3f\n", $1 * 1000}' >>"$work/lat"
	done
	printf '%-58s %8s %8s\n' "$1" "$(pct "$work/lat" 50)" "$(pct "$work/lat" 95)"
}
printf '%-58s %8s %8s\n' "request" "p50" "p95"
lat "first page, limit=500" "/v1/recon/breaks?limit=500"
lat "status=open, limit=500" "/v1/recon/breaks?limit=500&status=open"
since=$(date -u -d '-10 seconds' +%Y-%m-%dT%H:%M:%SZ)
lat "updated_since=10 s ago (scans the list)" "/v1/recon/breaks?limit=500&updated_since=$since"
etag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $token" "$url/v1/channels?limit=500" |
	tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
: >"$work/lat"
codes=""
for _ in $(seq "$reps"); do
	r=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
		-H "If-None-Match: $etag" "$url/v1/channels?limit=500")
	codes="$codes ${r%% *}"
	awk -v t="${r#* }" 'BEGIN{printf "%.3f\n", t * 1000}' >>"$work/lat"
done
printf '%-58s %8s %8s  (%s of %s were 304)\n' "conditional GET /v1/channels (If-None-Match)" \
	"$(pct "$work/lat" 50)" "$(pct "$work/lat" 95)" "$(tr ' ' '\n' <<<"$codes" | grep -c 304)" "$reps"
echo

echo "== an idle poll cycle (incremental sync of cases, breaks, limits; 10 polls each)"
ticker_start
out=$("$BENCH" sync --url "$url" --db "$work/cache.db" --kinds breaks,cases,limits --cycles 10 --poll-ms 500 --timeout-s 300 2>&1)
row "requests / 304s / pages with changes" "$(kv requests "$out") / $(kv not_modified "$out") / $(kv pages "$out")"
row "objects received (changes, incl. the overlap)" "$(kv items "$out")"
row "full walks" "$(kv full_walks "$out") (deletions are swept every 15 min)"
ticker_stop
out=$("$BENCH" sync --url "$url" --db "$work/cache.db" --kinds breaks,cases,limits --cycles 5 --poll-ms 300 --timeout-s 300 2>&1)
row "frozen world, 5 polls each: requests / 304s" "$(kv requests "$out") / $(kv not_modified "$out")"
echo "# ticking once a second some polls carry real changes; frozen, every poll"
echo "# after the first is a 304."
echo

echo "== the Prometheus source (metrics:), against a real Prometheus scraping the sim every second"
PROM_BIN=${PROM_BIN:-/usr/bin/prometheus}
if [ -x "$PROM_BIN" ] && [ -x "$build/bench/prombench" ]; then
	pport=$((20000 + RANDOM % 12000))
	cat >"$work/prom.yml" <<YML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: payops-sim
    scrape_timeout: 900ms
    static_configs: [{targets: ['${url#http://}']}]
YML
	"$PROM_BIN" --config.file="$work/prom.yml" --storage.tsdb.path="$work/prom-data" \
		--web.listen-address="127.0.0.1:$pport" --log.level=warn >"$work/prom.log" 2>&1 </dev/null &
	prom_pid=$!
	ticker_start
	purl=http://127.0.0.1:$pport
	pq='sum by (channel) (rate(payops_channel_requests_total[1m]))'
	for _ in $(seq 120); do
		n=$(curl -s --get "$purl/api/v1/query" --data-urlencode "query=$pq" 2>/dev/null | jq '.data.result | length' 2>/dev/null)
		[ "${n:-0}" -gt 0 ] && break
		sleep 1
	done
	out=$("$build/bench/prombench" "$purl" 20 1000)
	row "channels in each answer" "$(kv channels "$out") (Prometheus $(kv health "$out"))"
	row "per poll: requests sent (4 when Prometheus keeps up)" "$(kv per_poll_requests "$out")"
	row "per poll: answer bytes / console CPU (20 polls)" "$(kv per_poll_kb "$out") KiB / $(kv per_poll_cpu_ms "$out") ms"
	row "per answer (one measure, every channel): bytes / CPU" "$(kv per_request_kb "$out") KiB / $(kv per_request_cpu_ms "$out") ms"
	kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
	ticker_stop
else
	row "Prometheus source" "skipped ($PROM_BIN or bench/prombench missing)"
fi
echo

echo "== the console in tmux (140x40), against the same sim"
export XDG_CACHE_HOME=$work/xdg-cache XDG_CONFIG_HOME=$work/xdg-config XDG_STATE_HOME=$work/xdg-state
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color PAYOPS_BENCH_TOKEN=$token
unset NO_COLOR PAYOPS_CONFIG TMUX
mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
printf 'sites:\n  - name: sh-a\n    url: %s\ntoken_env: PAYOPS_BENCH_TOKEN\n' "$url" >"$work/console.yaml"
# a full screen of Channels: 140x40 holds 36 rows
full_rows=30
start_console() { # SESSION
	tm new-session -d -s "$1" -x 140 -y 40 "exec $(printf '%q' "$PAYOPS") --config $(printf '%q' "$work/console.yaml")"
}
console_pid() { pane_pid console; }

t0=$(now_ms)
start_console console
if wait_rows console "$full_rows" 120; then
	row "cold start to the first full screen (empty cache)" "$(($(now_ms) - t0)) ms"
else
	row "cold start to the first full screen (empty cache)" "not within 120 s"
fi
cpid=$(console_pid)
db=
end=$(($(now_ms) + sync_wait * 1000))
while [ "$(now_ms)" -lt "$end" ]; do
	db=$(ls "$XDG_CACHE_HOME"/payops/cache-*.db 2>/dev/null | head -n 1)
	[ -n "$db" ] && [ "$(sqlite3 "$db" "SELECT count(*) FROM sync_state WHERE coll IN ('breaks','cases','limits') AND full_at > 0" 2>/dev/null)" = 3 ] && break
	sleep 1
done
row "the console's first sync of cases, breaks, limits" "$(( ($(now_ms) - t0) / 1000 )) s (breaks in its cache: $(sqlite3 "$db" 'SELECT count(*) FROM breaks' 2>/dev/null))"

# idle: frozen world, a minute (or --small: 20 s) of nothing changing,
# once the first load's indexes are built (they follow the last page)
end=$(($(now_ms) + 600 * 1000))
while [ "$(now_ms)" -lt "$end" ]; do
	[ "$(sqlite3 "$db" 'SELECT count(*) FROM bulk_saved' 2>/dev/null)" = 0 ] && break
	sleep 1
done
row "... and its indexes built" "$(( ($(now_ms) - t0) / 1000 )) s"
sleep 10
c0=$(cpu_ticks "$cpid"); s0=$(now_ms); r0=$(wc -l <"$work/sim.err")
sleep "$idle_s"
c1=$(cpu_ticks "$cpid"); s1=$(now_ms); r1=$(wc -l <"$work/sim.err")
row "CPU per idle minute (frozen sim; measured over ${idle_s} s)" "$(awk -v c=$((c1 - c0)) -v hz="$hz" -v ms=$((s1 - s0)) 'BEGIN{printf "%.2f s", c / hz * 60000 / ms}')"
row "requests to the platform per idle minute, stream open" "$(tail -n +$((r0 + 1)) "$work/sim.err" | head -n $((r1 - r0)) |
	grep -c ' /v1/' | awk -v ms=$((s1 - s0)) '{printf "%.1f", $1 * 60000 / ms}')"

# scrolling the breaks faster than any key repeat: keys sent in one go,
# timed until two captures of the pane 20 ms apart agree (an upper bound:
# a capture itself takes several ms). Then a paste into the filter.
settle() { # KEYS...: ms until the screen stops changing after sending them
	local t0 prev="" cur
	t0=$(now_ms)
	tm send-keys -t console "$@"
	for _ in $(seq 1000); do
		cur=$(tm capture-pane -p -t console | md5sum)
		[ "$cur" = "$prev" ] && break
		prev=$cur
		sleep 0.02
	done
	echo $(($(now_ms) - t0))
}
tm send-keys -t console 5
sleep 1
row "Recon: 300 x Down sent at once, screen settled" "$(settle -N 300 Down) ms"
row "Recon: 100 x PgDn sent at once, screen settled" "$(settle -N 100 NPage) ms"
row "Recon: End (the last of the breaks), screen settled" "$(settle End) ms"
row "Recon: Home, screen settled" "$(settle Home) ms"
order=$(sqlite3 "$db" "SELECT json_extract(json, '$.order_no') FROM breaks ORDER BY rowid LIMIT 1 OFFSET 777" 2>/dev/null)
tm send-keys -t console /
sleep 0.3
row "Recon: an order number pasted into the filter, settled" "$(settle -l "$order") ms"
tm send-keys -t console Escape
sleep 0.3
tm send-keys -t console Escape 2
wait_rows console "$full_rows" 10 || echo "bench/run.sh: the Channels pane did not show" >&2

# live: the sim ticks once a second; the console's Channels pane and two
# watch panes of the same size over the same sim, side by side (the same
# ticks, the same load on the machine, measured over the same window): `jq .`
# (the raw objects: about one channel fills the pane) and `jq -r` printing
# one line per channel with the columns of the Channels pane (id, admin
# state, health, breaker, TPS, system success rate, p95, share): the
# picture an operator would build for the same job.
cat >"$work/lines.jq" <<'JQ'
.data[] | "\(.id)  \(.admin_state) \(.health) \(.breaker)  tps \(.tps)  sys \((.system_success_rate * 10000 | round) / 100)%  p95 \(.latency_ms.p95)ms  share \((.traffic_share * 1000 | round) / 10)%"
JQ
start_watch() { # SESSION JQ-ARGS
	tm new-session -d -s "$1" -x 140 -y 40 \
		"exec watch -n1 'curl -s -H \"Authorization: Bearer \$PAYOPS_BENCH_TOKEN\" $url/v1/channels | jq $2'"
}
# measure_start SESSION FILE / measure_stop SESSION FILE: bytes and CPU
# seconds per minute of the pane's process (and its children) between the
# two, into $bpm and $cpm; the three panes are measured over one window.
declare -A m_pid m_c0 m_s0
measure_start() {
	m_pid[$1]=$(pane_pid "$1")
	: >"$2"
	tm pipe-pane -O -t "$1" "cat >>$(printf '%q' "$2")"
	m_c0[$1]=$(cpu_ticks "${m_pid[$1]}"); m_s0[$1]=$(now_ms)
}
measure_stop() {
	local c1 s1 b0
	c1=$(cpu_ticks "${m_pid[$1]}"); s1=$(now_ms)
	tm pipe-pane -t "$1"
	b0=$(stat -c %s "$2")
	cpm=$(awk -v c=$((c1 - m_c0[$1])) -v hz="$hz" -v ms=$((s1 - m_s0[$1])) 'BEGIN{printf "%.2f", c / hz * 60000 / ms}')
	bpm=$(awk -v b="$b0" -v ms=$((s1 - m_s0[$1])) 'BEGIN{printf "%.0f", b * 60000 / ms}')
}
ticker_start
# (session names that no window is called: -t watch also names the
# windows running watch, and measured the other pane twice)
start_watch w_pretty .
start_watch w_lines "-r -f $(printf '%q' "$work/lines.jq")"
sleep 3
measure_start console "$work/console.bytes"
measure_start w_pretty "$work/watch.bytes"
measure_start w_lines "$work/lines.bytes"
sleep "$live_s"
measure_stop console "$work/console.bytes"; cbpm=$bpm ccpu=$cpm
measure_stop w_pretty "$work/watch.bytes"; wbpm=$bpm wcpu=$cpm
measure_stop w_lines "$work/lines.bytes"; lbpm=$bpm lcpu=$cpm
tm kill-session -t w_pretty
tm kill-session -t w_lines
ticker_stop
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a > 0) printf "%.2fx", b / a; else print "-" }'; }
printf '%-50s %9s %9s %9s %9s %9s\n' "live updates, one tick a second (${live_s} s each)" \
	"payops" "jq ." "ratio" "jq -r" "ratio"
printf '%-50s %9s %9s %9s %9s %9s\n' "  bytes written to the terminal per minute" \
	"$cbpm" "$wbpm" "$(ratio "$cbpm" "$wbpm")" "$lbpm" "$(ratio "$cbpm" "$lbpm")"
printf '%-50s %9s %9s %9s %9s %9s\n' "  CPU seconds per minute (process and children)" \
	"$ccpu" "$wcpu" "$(ratio "$ccpu" "$wcpu")" "$lcpu" "$(ratio "$ccpu" "$lcpu")"
echo "# each in a 140x40 pane, side by side over one window: same sim, same ticks;"
echo "# ratio = watch / payops."
echo "# payops: the Channels pane (36 channels a screen, each with both success"
echo "#   rates, TPS, p95, share, trends), kept current by its stream and polls,"
echo "#   plus every route, alert and the big lists in its cache."
echo "# jq .: watch -n1 curl /v1/channels | jq . - the first page of the list"
echo "#   (the API's default limit) pretty-printed: about one channel fills the pane."
echo "# jq -r: the same request, one line per channel (id, admin state, health,"
echo "#   breaker, tps, system success rate, p95, share): the pane's rows, without"
echo "#   names, business rate or trends; what an operator would watch instead."

hwm=$(awk '/^VmHWM/{printf "%.1f MB", $2/1024}' "/proc/$cpid/status" 2>/dev/null)
rss=$(awk '/^VmRSS/{printf "%.1f MB", $2/1024}' "/proc/$cpid/status" 2>/dev/null)
row "peak resident memory of the console (VmHWM; now VmRSS)" "$hwm ($rss)"

# warm start: quit, stop the platform, start again: the cached picture
tm send-keys -t console q
for _ in $(seq 100); do tm has-session -t console 2>/dev/null || break; sleep 0.1; done
tm kill-session -t console 2>/dev/null
kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
sim_pid=
row "cache file after the console's sync" "$(du -m "$db" | cut -f1) MB"
t0=$(now_ms)
start_console console
if wait_rows console "$full_rows" 30; then
	t1=$(now_ms)
	wait_screen console "CACHED" 5 && tag="marked CACHED" || tag="not marked CACHED"
	row "warm start from the cache, sim stopped, to the first screen" "$((t1 - t0)) ms ($tag)"
else
	row "warm start from the cache, sim stopped, to the first screen" "not within 30 s"
fi
tm kill-server >/dev/null 2>&1
