#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# fuzz/campaign.sh: a long fuzzing run, not the test suite's smoke run.
#
#   fuzz/campaign.sh [--minutes N] [--jobs J] [--build DIR] [TARGET...]
#
# Runs each target (default: every one fuzz/run.sh knows) for N minutes
# (default 10) from its corpus, J targets at a time (default 1), then merges
# what added coverage back into fuzz/corpus/TARGET (libFuzzer's -merge=1
# keeps the smallest inputs that reach each new feature). Prints, per
# target, the executions, the coverage, the corpus size and any crash with
# the path of its reproducer. Exits 1 when a target found something.
#
# The fuzz build is made first if it is missing:
#   CC=clang configure --enable-fuzzing   (in DIR, default _build-fuzz)
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
minutes=10 jobs=1 build="$top/_build-fuzz" targets=()
while [ $# -gt 0 ]; do
	case $1 in
	--minutes) minutes=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	-h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "campaign.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	*) targets+=("$1"); shift ;;
	esac
done
case $minutes in ''|*[!0-9.]*) echo "campaign.sh: --minutes takes a number" >&2; exit 2 ;; esac
if [ ${#targets[@]} -eq 0 ]; then
	# the one list of targets is fuzz/run.sh's
	read -r -a targets < <(sed -n 's/^targets=(\(.*\))$/\1/p' "$top/fuzz/run.sh")
fi
if [ ! -f "$build/Makefile" ]; then
	# shellcheck source=../scripts/setup.sh
	source "$top/scripts/setup.sh"
	setup_build "$build" CC=clang --enable-fuzzing || exit 2
else
	make -C "$build" -s -j2 >&2 || exit 2
fi
secs=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
out="$build/fuzz-campaign"
mkdir -p "$out"

# one TARGET: fuzz, then merge; the summary line goes to $out/TARGET.sum
one() {
	local t=$1 bin="$build/fuzz/fuzz_$t" corpus="$top/fuzz/corpus/$t"
	local work="$out/$t.work" log="$out/$t.log"
	if [ ! -x "$bin" ]; then
		echo "$t	-	-	-	not built ($bin)" > "$out/$t.sum"
		return
	fi
	mkdir -p "$corpus" "$work"
	rm -f "$out/$t-crash-"* "$out/$t-leak-"* "$out/$t-timeout-"* "$out/$t-oom-"*
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/$t-" \
		"$work" "$corpus" > "$log" 2>&1
	local rc=$?
	local runs cov
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	# keep what added coverage, as small inputs, in the checked-in corpus
	"$bin" -merge=1 -max_len=65536 "$corpus" "$work" > "$out/$t.merge.log" 2>&1
	rm -rf "$work"
	local size finding="none"
	size="$(find "$corpus" -type f | wc -l) files, $(($(du -sb "$corpus" | cut -f1) / 1024)) KiB"
	if [ $rc -ne 0 ]; then
		finding=$(ls "$out/$t-"* 2>/dev/null | head -n 1)
		finding="exit $rc: ${finding:-see $log}"
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$t" "${runs:-?}" "${cov:-?}" "$size" \
		"$finding" > "$out/$t.sum"
}

echo "fuzz campaign: ${#targets[@]} targets, $minutes min each, $jobs at a time," \
	"$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
running=0
for t in "${targets[@]}"; do
	one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
bad=0
printf '%-14s %14s  %-22s %-24s %s\n' target executions coverage corpus finding
for t in "${targets[@]}"; do
	IFS=$'\t' read -r name runs cov size finding < "$out/$t.sum"
	printf '%-14s %14s  %-22s %-24s %s\n' "$name" "$runs" "$cov" "$size" "$finding"
	[ "$finding" = none ] || bad=1
done
exit $bad
