#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/i18n/po.sh: the translation stays complete and current.
#   - every message of every catalogue in po/LINGUAS is translated, none fuzzy;
#   - po/payops.pot is what xgettext makes of the sources today;
#   - po/POTFILES.in names every console source that marks a string;
#   - the built console speaks Chinese under LANG=zh_CN.UTF-8 and English
#     under C.UTF-8, in --help and in --check-config's errors (whose
#     FILE:LINE:COL: prefix and key names stay as in the file).
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/need.sh"
need msgfmt gettext xgettext gettext msgcmp gettext
po=$top_srcdir/po
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

for lang in $(cat "$po/LINGUAS"); do
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po/$lang.po" 2>&1)
	rc=$?
	is "$rc" 0 "$lang.po: msgfmt --check passes"
	unlike "$stats" "untranslated|fuzzy" "$lang.po: no untranslated or fuzzy message ($stats)"
done

# The .pot the sources make now, with the options of po/Makevars.
opts=$(sed -n '/^XGETTEXT_OPTIONS/,/[^\\]$/p' "$po/Makevars" | sed 's/^XGETTEXT_OPTIONS *= *//; s/\\$//' | tr '\n' ' ')
files=$(grep -v '^#' "$po/POTFILES.in" | sed '/^$/d')
(cd "$top_srcdir" && eval xgettext $opts -o "$T/fresh.pot" $files) 2>"$T/xgettext.err"
is "$?" 0 "xgettext reads every file of POTFILES.in"
norm() { msgcat --no-location --no-wrap --sort-output "$1" 2>/dev/null | sed '1,/^$/d; /^#\./d'; }
norm "$T/fresh.pot" >"$T/fresh.n"; norm "$po/payops.pot" >"$T/old.n"
if cmp -s "$T/fresh.n" "$T/old.n"; then
	pass "po/payops.pot is up to date with the sources"
else
	fail "po/payops.pot is up to date with the sources (make -C po update-po)"
	diag "$(diff "$T/old.n" "$T/fresh.n" | head -n 20)"
fi
for lang in $(cat "$po/LINGUAS"); do
	msgcmp "$po/$lang.po" "$T/fresh.pot" >"$T/cmp.err" 2>&1
	ok $? "$lang.po has a translation for every message the sources mark"
	[ -s "$T/cmp.err" ] && diag "$(head -n 10 "$T/cmp.err")"
done

# Every console source that marks a string is listed.
missing=$(cd "$top_srcdir" && grep -lE '(^|[^A-Za-z0-9_])N?_\("' \
	$(find base text config net api store cache audit actions alerts sync term widgets views tui ops \
		-name '*.c' 2>/dev/null) 2>/dev/null | while read -r f; do
	grep -qx "$f" "$po/POTFILES.in" || echo "$f"; done)
is "$missing" "" "po/POTFILES.in lists every source that marks a string"

# The console in both languages.
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	out=$(LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$top_builddir/payops" --help 2>&1)
	like "$out" "用法：payops" "LANG=zh_CN.UTF-8: --help is in Chinese"
else
	if [ "${PAYOPS_REQUIRE_TOOLS:-0}" = 1 ]; then fail "the zh_CN.UTF-8 locale is generated"
	else skip 1 "the zh_CN.UTF-8 locale is not generated (locale-gen)"; fi
fi
out=$(LANG=C.UTF-8 LC_ALL= LANGUAGE= "$top_builddir/payops" --help 2>&1)
like "$out" "^Usage: payops" "LANG=C.UTF-8: --help is in English"

# A broken configuration: the message is translated, the FILE:LINE:COL:
# prefix and the key as written in the file are not.
nl=$'\n'
printf 'sites:\n  - name: a\n    url: http://127.0.0.1:1\npoll_intervl: 2s\n' >"$T/bad.yaml"
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
	out=$(LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$top_builddir/payops" \
		--check-config --config "$T/bad.yaml" 2>&1)
	like "$out" "(^|$nl)$T/bad\.yaml:4:1: 未知的键 'poll_intervl'（是否应为 'poll_interval'？）" \
		"LANG=zh_CN.UTF-8: --check-config says FILE:LINE:COL: in Chinese"
else
	skip 1 "the zh_CN.UTF-8 locale is not generated (locale-gen)"
fi
out=$(LANG=C.UTF-8 LC_ALL= LANGUAGE= "$top_builddir/payops" \
	--check-config --config "$T/bad.yaml" 2>&1)
like "$out" "(^|$nl)$T/bad\.yaml:4:1: unknown key 'poll_intervl' \(did you mean 'poll_interval'\?\)" \
	"LANG=C.UTF-8: --check-config says FILE:LINE:COL: in English"

done_testing
