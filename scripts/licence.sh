#!/usr/bin/env bash
# scripts/licence.sh [--check] [ROOT]: the one-line licence notice at the top
# of every source file (C, shell, make, autoconf). With --check, list the
# files without it and exit 1 when there is any; without, add it.
set -u
check=no
[ "${1:-}" = --check ] && { check=yes; shift; }
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root" || exit 2
c_note='/* SPDX-License-Identifier: ISC (see COPYING) */'
sh_note='# SPDX-License-Identifier: ISC (see COPYING)'
missing=0
while IFS= read -r -d '' f; do
	case "$f" in
	*/.git/*|./_build*|./debian/*|./fuzz/corpus/*|./build-aux/*|./m4/*|./po/*) continue ;;
	esac
	grep -q 'SPDX-License-Identifier: ISC' "$f" && continue
	if [ $check = yes ]; then echo "${f#./}"; missing=1; continue; fi
	case "$f" in
	*.c|*.h) { echo "$c_note"; cat "$f"; } > "$f.lic" ;;
	*)
		if head -n1 "$f" | grep -q '^#!'; then
			{ head -n1 "$f"; echo "$sh_note"; tail -n +2 "$f"; } > "$f.lic"
		else
			{ echo "$sh_note"; cat "$f"; } > "$f.lic"
		fi ;;
	esac
	chmod --reference="$f" "$f.lic" && mv "$f.lic" "$f"
done < <(if [ -e .git ]; then git ls-files -z -- '*.c' '*.h' '*.sh' '*local.mk' Makefile.am configure.ac .ci/run | sed -z 's|^|./|'
	else find . \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name 'local.mk' \
		-o -name Makefile.am -o -name configure.ac -o -path ./.ci/run \) -type f -print0; fi)
exit $missing
