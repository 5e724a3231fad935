#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/layers/check.sh ROOT: the layering rule of README.md, checked.
#
# The layers are the rows of the table between "<!-- layers: begin -->" and
# "<!-- layers: end -->" in ROOT/README.md, top to bottom. A C file in a
# layer may include (#include "dir/...") headers of its own directory and of
# the layers below it. Prints one line per breach, "FILE:LINE: dir/ includes
# up/ (...)", and exits 1 when there is any; a directory of C sources that is
# neither a layer nor beside them (sim tests fuzz bench) is a breach too.
set -u
root=${1:-.}
readme=$root/README.md
[ -f "$readme" ] || { echo "$readme: no such file" >&2; exit 2; }

mapfile -t layers < <(awk '
	/<!-- layers: begin -->/ { on = 1; next }
	/<!-- layers: end -->/ { on = 0 }
	on && /^\| `[a-z0-9_]+\/`/ { s = $0; sub(/^\| `/, "", s); sub(/\/`.*/, "", s); print s }
' "$readme")
[ ${#layers[@]} -gt 0 ] || { echo "$readme: no layer table" >&2; exit 2; }

declare -A rank
n=${#layers[@]}
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$((n - i)); done
beside=" sim tests fuzz bench "

bad=0
while IFS= read -r -d '' f; do
	rel=${f#"$root"/}
	case "$rel" in */*) ;; *) continue ;; esac # top-level: config.h
	dir=${rel%%/*}
	case "$beside" in *" $dir "*) continue ;; esac
	if [ -z "${rank[$dir]:-}" ]; then
		echo "$rel:1: $dir/ is not in README.md's layer table"
		bad=1
		continue
	fi
	mine=${rank[$dir]}
	while IFS=: read -r line inc; do
		to=${inc%%/*}
		[ "$to" = "$dir" ] && continue
		if [ -z "${rank[$to]:-}" ]; then
			echo "$rel:$line: $dir/ includes $inc, which is not a layer"
			bad=1
		elif [ "${rank[$to]}" -gt "$mine" ]; then
			echo "$rel:$line: $dir/ includes $inc, a layer above it"
			bad=1
		fi
	done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z0-9_]+/' "$f" \
		| sed -E 's/^([0-9]+):[^"]*"([^"]*)".*/\1:\2/')
done < <(
	# the sources: what git tracks in a checkout (a build directory inside
	# it, or an in-tree build's config.h, is not source); every C file
	# elsewhere (a release tarball), build directories left out
	if [ -e "$root/.git" ] && git -C "$root" rev-parse >/dev/null 2>&1; then
		git -C "$root" ls-files -z -- '*.c' '*.h' | sed -z "s|^|$root/|"
	else
		find "$root" -path "$root/_build*" -prune -o -name config.status -prune \
			-o -type f \( -name '*.c' -o -name '*.h' \) ! -path "$root/config.h" -print0
	fi | sort -z)
exit $bad
