# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/tap.sh - minimal TAP producer for bash test scripts (sourced).
#
#   plan N               print "1..N" up front (optional; see done_testing)
#   ok RC DESC           pass when RC is 0 ("ok $? text", "ok 0 text")
#   check DESC CMD...    run CMD, pass when it exits 0
#   pass DESC / fail DESC
#   is GOT WANT DESC     string equality
#   isnt GOT UNWANTED DESC
#   like GOT ERE DESC    GOT matches the extended regex ERE
#   unlike GOT ERE DESC
#   cmp_ok A OP B DESC   numeric comparison, OP one of -eq -ne -lt -le -gt -ge
#                        or == != < <= > >= (numbers may be decimals)
#   skip N REASON        N skipped assertions
#   diag TEXT... / note TEXT...   "# ..." lines on standard output
#   bail_out REASON      "Bail out!" and exit 1
#   done_testing         print the plan if none was printed; exit status is
#                        non-zero when any assertion failed or the count is
#                        not the planned one
#
# The test counter and the failure counter are global: TAP_N, TAP_FAILED.

TAP_N=0
TAP_FAILED=0
TAP_PLANNED=
TAP_TODO=

plan() {
	TAP_PLANNED=$1
	printf '1..%s\n' "$1"
}

# Every line of the message becomes its own comment line.
diag() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

note() {
	diag "$@"
}

_tap_result() { # RC DESC
	local rc=$1 desc=$2
	TAP_N=$((TAP_N + 1))
	# A '#' in the description would start a directive; keep it literal.
	desc=${desc//#/\\#}
	if [ "$rc" -eq 0 ]; then
		printf 'ok %d - %s%s\n' "$TAP_N" "$desc" "${TAP_TODO:+ # TODO $TAP_TODO}"
		return 0
	fi
	printf 'not ok %d - %s%s\n' "$TAP_N" "$desc" "${TAP_TODO:+ # TODO $TAP_TODO}"
	if [ -z "$TAP_TODO" ]; then
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
	return 1
}

ok() {
	local rc=$1
	shift
	case $rc in
	'' | *[!0-9]*) rc=1 ;;
	esac
	_tap_result "$rc" "$*"
}

check() {
	local desc=$1
	shift
	"$@"
	_tap_result $? "$desc"
}

pass() { _tap_result 0 "$*"; }
fail() { _tap_result 1 "$*"; }

# Shorten long values in diagnostics so a failing body does not flood the log.
_tap_show() {
	local v=$1
	if [ ${#v} -gt 600 ]; then
		v="${v:0:600}... (${#v} bytes)"
	fi
	printf '%s' "$v"
}

# The verdict of a comparison: on failure, what was got and what was wanted.
_tap_compared() { # RC DESC GOT EXPECTED-LINE
	_tap_result "$1" "$2" && return 0
	diag "     got: '$(_tap_show "$3")'"
	diag "$4"
	return 1
}

is() {
	local got=$1 want=$2 desc=$3 rc=1
	[ "$got" == "$want" ] && rc=0
	_tap_compared $rc "$desc" "$got" "expected: '$(_tap_show "$want")'"
}

isnt() {
	local got=$1 unwanted=$2 desc=$3 rc=1
	[ "$got" != "$unwanted" ] && rc=0
	_tap_compared $rc "$desc" "$got" "expected anything else"
}

like() {
	local got=$1 re=$2 desc=$3 rc=1
	[[ $got =~ $re ]] && rc=0
	_tap_compared $rc "$desc" "$got" "expected to match: /$re/"
}

unlike() {
	local got=$1 re=$2 desc=$3 rc=1
	[[ $got =~ $re ]] || rc=0
	_tap_compared $rc "$desc" "$got" "expected not to match: /$re/"
}

cmp_ok() {
	local a=$1 op=$2 b=$3 desc=$4 r
	case $op in
	-eq) op='==' ;; -ne) op='!=' ;; -lt) op='<' ;;
	-le) op='<=' ;; -gt) op='>' ;; -ge) op='>=' ;;
	esac
	# awk compares decimals too; anything that is not a number fails.
	r=$(awk -v a="$a" -v b="$b" -v op="$op" 'BEGIN {
		num = "^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$"
		if (a !~ num || b !~ num) { print "nan"; exit }
		a += 0; b += 0
		if (op == "==") r = (a == b); else if (op == "!=") r = (a != b)
		else if (op == "<") r = (a < b); else if (op == "<=") r = (a <= b)
		else if (op == ">") r = (a > b); else if (op == ">=") r = (a >= b)
		else r = "nan"
		print r }')
	if [ "$r" = 1 ]; then
		_tap_result 0 "$desc"
		return 0
	fi
	_tap_result 1 "$desc"
	diag "    '$(_tap_show "$a")'"
	diag "        $op"
	diag "    '$(_tap_show "$b")'"
	return 1
}

skip() {
	local n=$1 reason=$2 i
	for ((i = 0; i < n; i++)); do
		TAP_N=$((TAP_N + 1))
		printf 'ok %d # SKIP %s\n' "$TAP_N" "$reason"
	done
}

# Mark the assertions run by CMD... as TODO (expected to fail, not counted).
todo() {
	local reason=$1
	shift
	TAP_TODO=$reason
	"$@"
	TAP_TODO=
}

bail_out() {
	printf 'Bail out! %s\n' "$*"
	exit 1
}

done_testing() {
	if [ -z "$TAP_PLANNED" ]; then
		printf '1..%d\n' "$TAP_N"
	elif [ "$TAP_PLANNED" -ne "$TAP_N" ]; then
		diag "planned $TAP_PLANNED tests but ran $TAP_N"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
	if [ "$TAP_FAILED" -ne 0 ]; then
		diag "failed $TAP_FAILED of $TAP_N"
		exit 1
	fi
	exit 0
}
