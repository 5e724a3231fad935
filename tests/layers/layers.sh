#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/layers/layers.sh: no file includes a header from a layer above its
# own (README.md's layer table), on the real tree; and the checker itself
# fails, naming file and line, on small trees that break the rule.
set -u
. "$top_srcdir/tests/lib/tap.sh"
check=$top_srcdir/tests/layers/check.sh

out=$(bash "$check" "$top_srcdir" 2>&1); rc=$?
is "$rc" 0 "the source tree has no upward include"
[ -n "$out" ] && diag "$out"

# Every source file carries the one-line licence notice (scripts/licence.sh).
out=$(bash "$top_srcdir/scripts/licence.sh" --check "$top_srcdir" 2>&1); rc=$?
is "$rc" 0 "every source file starts with the ISC licence notice"
[ -n "$out" ] && diag "missing in: $out"

T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
mk() { # mk DIR: a tree whose README has three layers, top to bottom
	mkdir -p "$1/top" "$1/mid" "$1/low" "$1/tests"
	cat > "$1/README.md" <<'MD'
<!-- layers: begin -->
| directory | what it holds |
|---|---|
| `top/` | the program |
| `mid/` | the middle |
| `low/` | the floor |
<!-- layers: end -->
MD
	printf '#include "mid/m.h"\n#include "low/l.h"\n' > "$1/top/t.c"
	printf '#include <stdio.h>\n#include "low/l.h"\n#include "mid/m.h"\n' > "$1/mid/m.c"
	printf '#include "low/l.h"\n' > "$1/low/l.c"
	printf '#include "top/t.h"\n' > "$1/tests/t_test.c"
}

mk "$T/good"
out=$(bash "$check" "$T/good" 2>&1); rc=$?
is "$rc" 0 "down and sideways includes pass; tests/ may include any layer"

mk "$T/up"
printf '/* x */\n\n#include "top/t.h" /* up */\n' >> "$T/up/low/l.c"
out=$(bash "$check" "$T/up" 2>&1); rc=$?
is "$rc" 1 "an include two layers up fails"
like "$out" '^low/l\.c:4: low/ includes top/t\.h, a layer above it$' \
	"the breach names the file, the line and the header"

mk "$T/one"
printf '  #  include "mid/m.h"\n' > "$T/one/low/x.h"
out=$(bash "$check" "$T/one" 2>&1); rc=$?
is "$rc" 1 "an include one layer up fails, in a header, however indented"
like "$out" '^low/x\.h:1: ' "it is named at its line"

mk "$T/stray"
mkdir -p "$T/stray/extra"; printf 'int x;\n' > "$T/stray/extra/e.c"
out=$(bash "$check" "$T/stray" 2>&1); rc=$?
is "$rc" 1 "a source directory missing from the table fails"
like "$out" "extra/ is not in README.md's layer table" "and says so"

mk "$T/unknown"
printf '#include "nowhere/n.h"\n' >> "$T/unknown/mid/m.c"
out=$(bash "$check" "$T/unknown" 2>&1); rc=$?
is "$rc" 1 "an include of a directory that is no layer fails"

mk "$T/notable"; printf '# nothing\n' > "$T/notable/README.md"
bash "$check" "$T/notable" >/dev/null 2>&1; rc=$?
is "$rc" 2 "a README without the table is an error, not a pass"

done_testing
