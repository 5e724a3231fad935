#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# `payops audit list` and `show` print stored text through the one
# sanitiser: a bidi override, a zero-width space, an escape sequence and a
# newline in a reason reach the terminal as visible placeholders, never raw.
. "$top_srcdir/tests/audit/lib.sh"
echo "1..8"
DB="$T/s.db"
export LC_ALL=C.UTF-8
rlo=$'\u202e' zwsp=$'\u200b' esc=$'\e'
reason="pay${rlo}moc.evil ok${zwsp}ay ${esc}[31mred${esc}[0m line1"$'\n'"line2 中文"
"$TOOL" append --db "$DB" --count 1 --reason "$reason" >/dev/null
"$TOOL" list --db "$DB" --kind intent >"$T/list"
"$TOOL" show 1 --db "$DB" >"$T/show"
for f in list show; do
	check "$f: no raw RLO, ZWSP or ESC" bash -c '! grep -q -e "$1" -e "$2" -e "$3" "$4"' _ \
		"$rlo" "$zwsp" "$esc" "$T/$f"
	check "$f: the escape sequence is one visible ␛, its payload dropped" \
		grep -q "pay�moc.evil ok�ay ␛red␛ line1 line2 中文" "$T/$f"
done
check "show: the reason stays on one line" [ "$(grep -c '^reason ' "$T/show")" -eq 1 ]
# a long reason is cut at 120 columns with an ellipsis, never inside a character
long=$(printf '中%.0s' $(seq 1 100))
"$TOOL" append --db "$DB" --count 1 --reason "$long" >/dev/null
line=$("$TOOL" list --db "$DB" --kind intent --limit 1)
cut=${line#*: }
check "list: a long CJK reason is cut with an ellipsis" [ "${cut: -1}" = "…" ]
check "list: the cut text is valid UTF-8" bash -c 'printf "%s" "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null' _ "$line"
# ASCII locale on a pipe still gets UTF-8, sanitised
LC_ALL=C "$TOOL" show 1 --db "$DB" >"$T/show.c"
check "C locale, a pipe: still sanitised" bash -c '! grep -q -e "$1" "$2" && grep -q "␛red" "$2"' _ "$esc" "$T/show.c"
exit 0
