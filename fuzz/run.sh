#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# fuzz/run.sh: run every fuzz target briefly (FUZZ_SECONDS each, default 15)
# from its seed corpus; a crash, leak or sanitizer report fails that target
# and leaves the input under fuzz-artifacts/ in the build tree.
set -u
secs=${FUZZ_SECONDS:-15}
targets=(decode sanitize config sse alertmanager rfc5424 prometheus approval filter)
echo "1..${#targets[@]}"
n=0 bad=0
art="$top_builddir/fuzz-artifacts"
mkdir -p "$art"
for t in "${targets[@]}"; do
	n=$((n + 1))
	bin="$top_builddir/fuzz/fuzz_$t"
	seeds="$top_srcdir/fuzz/corpus/$t"
	work=$(mktemp -d)
	if [ ! -x "$bin" ]; then
		echo "not ok $n - fuzz $t: $bin was not built"
		bad=$((bad + 1)); rm -rf "$work"; continue
	fi
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$art/$t-" "$work" "$seeds" >"$art/$t.log" 2>&1; then
		runs=$(grep -oE 'Done [0-9]+ runs' "$art/$t.log" | tail -n 1)
		echo "ok $n - fuzz $t for ${secs}s (${runs:-no summary})"
	else
		echo "not ok $n - fuzz $t found a failure; see $art/$t.log"
		sed -n '1,40p' "$art/$t.log" | sed 's/^/# /'
		bad=$((bad + 1))
	fi
	rm -rf "$work"
done
exit $((bad > 0))
