# SPDX-License-Identifier: ISC (see COPYING)
# tests/lib/sim.sh - start payops-sim and talk HTTP to it from bash (sourced
# after tap.sh). Needs curl and jq.
#
# Environment in:  top_builddir (where payops-sim is), SIM_BIN (override),
#                  SIM_SEED (default 42), SIM_START_TIMEOUT (seconds, default 30)
#
# sim_start [ARGS...]   start "$SIM_BIN --port 0 --seed N --token-file F ARGS"
#                       in the background and wait for its listen line(s).
#                       Sets and exports SIM_URL SIM_PORT SIM_PID SIM_OUT SIM_ERR;
#                       SIM_SITE_URLS[i] / SIM_SITE_NAMES[i] for every site
#                       (site 0 is the first listen line). Call it in the main
#                       shell, never inside $(...). Returns non-zero on failure.
# sim_stop [PID]        SIGTERM the sim (default $SIM_PID), wait (bounded), and
#                       return its exit status (124 when it had to be killed).
# Tokens (one token file shared by every sim of the test):
#   SIM_TOKEN        operator $SIM_OPERATOR, every scope
#   SIM_TOKEN2       operator $SIM_OPERATOR2, every scope (a second operator,
#                    for four-eyes approvals)
#   SIM_RO_TOKEN     operator $SIM_RO_OPERATOR, scope read only
#   SIM_NOCHAN_TOKEN operator $SIM_NOCHAN_OPERATOR, every scope but channels:write
#   SIM_TOKEN_FILE   the file
#
# api METHOD PATH [CURL ARGS...]
#                       request ${API_URL:-$SIM_URL}PATH with the bearer token
#                       ${API_TOKEN-$SIM_TOKEN} (API_TOKEN=none: no header).
#                       Sets API_STATUS (000 when no HTTP answer), API_BODY,
#                       API_HEADERS (last header block, CR stripped), API_CT,
#                       API_TIME and API_TTFB (seconds), API_CURL_RC, and the
#                       files API_BODY_FILE, API_HDR_FILE (valid until the
#                       next call). Always returns 0.
# api_header NAME       value of a response header of the last api call
# jb [JQ ARGS] FILTER   jq -r [JQ ARGS] FILTER over the last response body
# api_post PATH JSON [CURL ARGS...]    POST a JSON body (no extra headers)
# mutate PATH JSON [IF_MATCH [CURL ARGS...]]
#                       POST a JSON body with a fresh Idempotency-Key and, when
#                       IF_MATCH is not empty, If-Match: IF_MATCH
# api_walk PATH OUT [MAP]
#                       follow next_cursor from PATH (which holds ?limit= etc.)
#                       to the end; every item, passed through the jq filter
#                       MAP (default '.'), becomes one compact JSON line of OUT.
#                       Sets WALK_PAGES, WALK_BIGGEST (largest page), WALK_LAST
#                       (next_cursor of the last page, "null"), WALK_ERR.
#                       Returns non-zero when a page is not a 200 list.
# new_key               print a fresh idempotency key
# is_problem STATUS CODE DESC
#                       two assertions on the last response: the status, and a
#                       problem+json body {type,title,status,detail,code,
#                       request_id} with that status and code ('*' = any)
# conforms KIND DESC [SELECT]
#                       one assertion: every object SELECT (jq, default '.')
#                       picks from the last body passes KIND_errors of
#                       contract.jq (channel route case break limit alert
#                       summary status me history list); nothing picked fails.
#                       CONFORMS_FILE=F reads F instead of the last body.
# sim_post PATH JSON    POST to the control API (no auth)
# sim_tick N / sim_faults JSON / sim_faults_clear / sim_scenario NAME [TARGET]
# sim_state FILTER      jq -r FILTER over GET /sim/state
# sim_requests ERE [FILE]  how many request lines of the sim's log (SIM_ERR:
#                       "SITE METHOD PATH STATUS ...", one per answered
#                       request) match ERE: the platform's own count of
#                       what a client asked
# wait_until SECONDS CMD...   poll CMD until it succeeds, bounded (wait.sh:
#                       deadlines are scaled by TEST_TIME_SCALE)
# SSE:  sse_open NAME [CURL ARGS...]  (curl -N on /v1/events into a file)
#       sse_file NAME, sse_pid NAME, sse_close NAME
#       sse_wait NAME ERE SECONDS     wait for a line matching ERE
#       sse_events NAME               complete events as "id<TAB>event<TAB>data"
#
# bg_track PID          kill PID at exit too
# Everything lives in TEST_TMP (mktemp -d), removed at exit together with
# every process started here.

_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

. "$_LIB_DIR/need.sh"
need curl curl jq jq

: "${top_builddir:=$PWD}"
. "$_LIB_DIR/wait.sh"
SIM_BIN=${SIM_BIN:-$top_builddir/payops-sim}
SIM_SEED=${SIM_SEED:-42}
SIM_START_TIMEOUT=${SIM_START_TIMEOUT:-30}

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/payops-test.XXXXXX") || bail_out "mktemp failed"
export TEST_TMP

declare -a _SIM_ALL_PIDS=()
declare -a _BG_PIDS=()
declare -A _SSE_PIDS=()
declare -a SIM_SITE_URLS=()
declare -a SIM_SITE_NAMES=()
_SIM_N=0
_KEY_N=0

_sim_cleanup() {
	local rc=$? pid
	trap - EXIT
	for pid in "${_BG_PIDS[@]}" "${_SSE_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${_SIM_ALL_PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			sim_stop "$pid" >/dev/null 2>&1
		fi
	done
	wait 2>/dev/null
	rm -rf "$TEST_TMP"
	exit "$rc"
}
trap _sim_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE

bg_track() {
	_BG_PIDS+=("$1")
}

_rand_hex() {
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

_sim_tokens() {
	[ -n "${SIM_TOKEN_FILE:-}" ] && [ -f "$SIM_TOKEN_FILE" ] && return 0
	SIM_TOKEN_FILE=$TEST_TMP/tokens
	SIM_OPERATOR=op.test
	SIM_RO_OPERATOR=op.viewer
	SIM_NOCHAN_OPERATOR=op.nochan
	SIM_OPERATOR2=op.second
	SIM_TOKEN=op-$(_rand_hex)
	SIM_TOKEN2=o2-$(_rand_hex)
	SIM_RO_TOKEN=ro-$(_rand_hex)
	SIM_NOCHAN_TOKEN=nc-$(_rand_hex)
	SIM_ALL_SCOPES=read,channels:write,routing:write,onboarding:write,recon:write,limits:write,alerts:write
	cat >"$SIM_TOKEN_FILE" <<EOF
# test tokens: TOKEN OPERATOR_ID SCOPES
$SIM_TOKEN $SIM_OPERATOR $SIM_ALL_SCOPES

$SIM_RO_TOKEN $SIM_RO_OPERATOR read
$SIM_NOCHAN_TOKEN $SIM_NOCHAN_OPERATOR read,routing:write,onboarding:write,recon:write,limits:write,alerts:write
$SIM_TOKEN2 $SIM_OPERATOR2 $SIM_ALL_SCOPES
EOF
	export SIM_TOKEN_FILE SIM_TOKEN SIM_RO_TOKEN SIM_NOCHAN_TOKEN SIM_TOKEN2
	export SIM_OPERATOR SIM_RO_OPERATOR SIM_NOCHAN_OPERATOR SIM_OPERATOR2 SIM_ALL_SCOPES
}
_sim_tokens

_sim_listening() { # OUT SITES
	local n
	grep -qE '^listening on http://127\.0\.0\.1:[0-9]+$' "$1" 2>/dev/null || return 1
	[ "$2" -le 1 ] && return 0
	n=$(grep -cE '^site [^ ]+ listening on http://127\.0\.0\.1:[0-9]+$' "$1")
	[ "$n" -ge $(($2 - 1)) ]
}

_sim_gone() { ! kill -0 "$1" 2>/dev/null; }
_sim_started() { _sim_listening "$1" "$2" || _sim_gone "$3"; } # OUT SITES PID

sim_start() {
	local args=("$@") a sites=1 i seed=(--seed "$SIM_SEED") out err pid line
	for ((i = 0; i < ${#args[@]}; i++)); do
		a=${args[i]}
		case $a in
		--seed | --seed=*) seed=() ;;
		--sites) sites=${args[i + 1]} ;;
		--sites=*) sites=${a#--sites=} ;;
		esac
	done
	if [ ! -x "$SIM_BIN" ]; then
		diag "no executable $SIM_BIN"
		return 1
	fi
	_SIM_N=$((_SIM_N + 1))
	out=$TEST_TMP/sim$_SIM_N.out
	err=$TEST_TMP/sim$_SIM_N.err
	"$SIM_BIN" --port 0 "${seed[@]}" --token-file "$SIM_TOKEN_FILE" "${args[@]}" \
		>"$out" 2>"$err" </dev/null &
	pid=$!
	_SIM_ALL_PIDS+=("$pid")
	# Poll the output for the listen line(s); give up when the process dies.
	if ! wait_until "$SIM_START_TIMEOUT" _sim_started "$out" "$sites" "$pid" ||
		! _sim_listening "$out" "$sites"; then
		diag "payops-sim ${args[*]} did not start (pid $pid)"
		diag "stdout: $(head -c 2000 "$out")"
		diag "stderr: $(tail -c 2000 "$err")"
		kill "$pid" 2>/dev/null
		return 1
	fi
	SIM_SITE_URLS=()
	SIM_SITE_NAMES=()
	while IFS= read -r line; do
		if [[ $line =~ ^listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
			SIM_SITE_URLS+=("${BASH_REMATCH[1]}")
			SIM_SITE_NAMES+=("")
		elif [[ $line =~ ^site\ ([^ ]+)\ listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
			SIM_SITE_URLS+=("${BASH_REMATCH[2]}")
			SIM_SITE_NAMES+=("${BASH_REMATCH[1]}")
		fi
	done <"$out"
	SIM_URL=${SIM_SITE_URLS[0]}
	SIM_PORT=${SIM_URL##*:}
	SIM_PID=$pid
	SIM_OUT=$out
	SIM_ERR=$err
	export SIM_URL SIM_PORT SIM_PID SIM_OUT SIM_ERR
	return 0
}

# Start or bail out: for scripts that cannot do anything without the sim.
sim_start_or_bail() {
	sim_start "$@" || bail_out "payops-sim did not start"
}

sim_stop() {
	local pid=${1:-$SIM_PID} rc
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return $?; }
	if ! wait_until 10 _sim_gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 124
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	return $rc
}

api() {
	local method=$1 path=$2 tok w
	shift 2
	local auth=()
	tok=${API_TOKEN-$SIM_TOKEN}
	if [ -n "$tok" ] && [ "$tok" != none ]; then
		auth=(-H "Authorization: Bearer $tok")
	fi
	API_BODY_FILE=$TEST_TMP/api.body
	API_HDR_FILE=$TEST_TMP/api.headers
	: >"$API_BODY_FILE"
	: >"$API_HDR_FILE"
	w=$(curl -s -X "$method" --max-time "${API_MAX_TIME:-20}" \
		-o "$API_BODY_FILE" -D "$API_HDR_FILE" \
		-w '%{http_code} %{time_total} %{time_starttransfer}' \
		"${auth[@]}" "$@" "${API_URL:-$SIM_URL}$path" 2>"$TEST_TMP/api.curlerr")
	API_CURL_RC=$?
	read -r API_STATUS API_TIME API_TTFB <<<"$w"
	: "${API_STATUS:=000}"
	API_BODY=$(<"$API_BODY_FILE")
	# Keep only the last header block (a 100 Continue may come first).
	API_HEADERS=$(tr -d '\r' <"$API_HDR_FILE" |
		awk '/^HTTP\// { b = "" } { b = b $0 "\n" } END { printf "%s", b }')
	API_CT=$(api_header Content-Type)
	return 0
}

api_header() {
	local name=$1
	awk -v n="$name" '
		{ i = index($0, ":"); if (i == 0) next
		  k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1)
		  sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
		  if (k == tolower(n)) { print v; exit } }' <<<"$API_HEADERS"
}

jb() {
	jq -r "$@" <"$API_BODY_FILE" 2>/dev/null
}

api_post() {
	local path=$1 json=$2
	shift 2
	api POST "$path" -H 'Content-Type: application/json' --data-binary "$json" "$@"
}

api_walk() {
	local path=$1 out=$2 map=${3:-.} cursor='' dir=$TEST_TMP/walk code body ends page tok
	local auth=() more=()
	rm -rf "$dir"
	mkdir -p "$dir" || return 1
	: >"$out"
	WALK_PAGES=0 WALK_BIGGEST=0 WALK_LAST='' WALK_ERR=''
	tok=${API_TOKEN-$SIM_TOKEN}
	[ -n "$tok" ] && [ "$tok" != none ] && auth=(-H "Authorization: Bearer $tok")
	# Fetch first, one curl per page and no other process; parse afterwards.
	while :; do
		page=$dir/p$(printf '%06d' "$WALK_PAGES")
		more=()
		[ -n "$cursor" ] && more=(-G --data-urlencode "cursor=$cursor")
		curl -s --max-time "${API_MAX_TIME:-20}" -o "$page" -w '%{http_code}' "${auth[@]}" \
			"${more[@]}" "${API_URL:-$SIM_URL}$path" >"$dir/code"
		read -r code <"$dir/code"
		WALK_PAGES=$((WALK_PAGES + 1))
		if [ "$code" != 200 ]; then
			WALK_ERR="page $WALK_PAGES of $path: status $code: $(head -c 300 "$page")"
			return 1
		fi
		body=$(<"$page")
		ends="${body:0:300} ${body: -300}"
		if [[ $ends =~ \"next_cursor\":[[:space:]]*null ]]; then
			cursor=
		elif [[ $ends =~ \"next_cursor\":[[:space:]]*\"([^\"\\]*)\" ]]; then
			cursor=${BASH_REMATCH[1]}
		else
			cursor=$(jq -r '.next_cursor // empty' <"$page" 2>/dev/null)
		fi
		[ -z "$cursor" ] && break
		if [ "$WALK_PAGES" -ge "${WALK_MAX_PAGES:-5000}" ]; then
			WALK_ERR="more than ${WALK_MAX_PAGES:-5000} pages from $path"
			return 1
		fi
	done
	# One jq over every page: "#<page size>" lines, then the mapped items.
	if ! jq -r "if (.data | type) != \"array\" then error(\"not a list\")
		else \"#\\(.data | length)\", (.data[] | $map | tojson) end" "$dir"/p* >"$dir/all" 2>"$dir/err"; then
		WALK_ERR="a page of $path is not a list: $(head -c 300 "$dir/err")"
		return 1
	fi
	grep -v '^#' "$dir/all" >"$out"
	WALK_BIGGEST=$(grep '^#' "$dir/all" | tr -d '#' | sort -n | tail -n 1)
	WALK_LAST=null
	rm -rf "$dir"
	return 0
}

new_key() {
	_KEY_N=$((_KEY_N + 1))
	printf 'key-%s-%s-%d' "$$" "$(_rand_hex)" "$_KEY_N"
}

mutate() {
	local path=$1 json=$2 ifm=${3:-}
	shift 3 2>/dev/null || shift $#
	local hdr=(-H "Idempotency-Key: $(new_key)")
	[ -n "$ifm" ] && hdr+=(-H "If-Match: $ifm")
	api_post "$path" "$json" "${hdr[@]}" "$@"
}

# The quoted version of an object, as If-Match wants it.
quoted() { printf '"%s"' "$1"; }

_problem_check() { # STATUS CODE
	local want_code=$2
	case $API_CT in
	application/problem+json*) ;;
	*)
		diag "Content-Type '$API_CT' is not application/problem+json"
		return 1
		;;
	esac
	local why
	why=$(jq -r --argjson st "$1" --arg code "$want_code" --arg rid "$(api_header X-Request-Id)" '
		if type != "object" then "body is not an object"
		elif (.type | type) != "string" then "type is not a string"
		elif (.title | type) != "string" then "title is not a string"
		elif .status != $st then "status field is \(.status), not \($st)"
		elif has("detail") | not then "no detail"
		elif (.code | type) != "string" or .code == "" then "no code"
		elif $code != "*" and .code != $code then "code is \(.code), not \($code)"
		elif (.request_id | type) != "string" or .request_id == "" then "no request_id"
		elif $rid != "" and .request_id != $rid then "request_id \(.request_id) differs from X-Request-Id \($rid)"
		else "" end' <"$API_BODY_FILE" 2>&1) || why="body is not JSON: $why"
	if [ -n "$why" ]; then
		diag "$why"
		diag "body: $(_tap_show "$API_BODY")"
		return 1
	fi
	return 0
}

is_problem() {
	local status=$1 code=$2 desc=$3
	is "$API_STATUS" "$status" "$desc: status $status" || diag "body: $(_tap_show "$API_BODY")"
	local rc
	_problem_check "$status" "$code"
	rc=$?
	[ "$code" = "*" ] && code=
	ok $rc "$desc: problem+json${code:+ with code $code}"
}

conforms() {
	local kind=$1 desc=$2 sel=${3:-.} out
	out=$(jq -L "$_LIB_DIR" -r "include \"contract\"; [$sel] as \$o
		| if (\$o | length) == 0 then \"nothing to check\" else (\$o[] | ${kind}_errors) end" \
		<"${CONFORMS_FILE:-$API_BODY_FILE}" 2>&1 | head -n 8)
	[ -z "$out" ]
	ok $? "$desc" || diag "$out"
}

sim_post() {
	API_TOKEN=none api_post "$1" "$2"
}

sim_tick() {
	sim_post /sim/tick "{\"seconds\": $1}"
	[ "$API_STATUS" = 200 ] || diag "POST /sim/tick $1 -> $API_STATUS $API_BODY"
}

sim_faults() {
	sim_post /sim/faults "$1"
	[ "$API_STATUS" = 200 ] || diag "POST /sim/faults $1 -> $API_STATUS $API_BODY"
}

sim_faults_clear() {
	API_TOKEN=none api DELETE /sim/faults
}

sim_scenario() {
	if [ -n "${2:-}" ]; then
		sim_post /sim/scenario "$(jq -nc --arg n "$1" --arg t "$2" '{name: $n, target: $t}')"
	else
		sim_post /sim/scenario "$(jq -nc --arg n "$1" '{name: $n}')"
	fi
}

sim_state() {
	curl -s --max-time 10 "${API_URL:-$SIM_URL}/sim/state" | jq -r "$1"
}

sim_requests() {
	grep -cE -- "$1" "${2:-$SIM_ERR}" 2>/dev/null
}

# --- Server-Sent Events -------------------------------------------------

sse_file() { printf '%s/sse-%s.out' "$TEST_TMP" "$1"; }
sse_pid() { printf '%s' "${_SSE_PIDS[$1]:-}"; }

sse_open() {
	local name=$1 tok
	shift
	local f
	f=$(sse_file "$name")
	: >"$f"
	tok=${API_TOKEN-$SIM_TOKEN}
	curl -sN --max-time "${SSE_MAX_TIME:-60}" -H "Authorization: Bearer $tok" \
		-H 'Accept: text/event-stream' -D "$f.headers" "$@" \
		"${API_URL:-$SIM_URL}/v1/events" >"$f" 2>"$f.err" &
	_SSE_PIDS[$name]=$!
}

sse_close() {
	local pid=${_SSE_PIDS[$1]:-}
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "_SSE_PIDS[$1]"
	return 0
}

# Wait for the curl of NAME to end by itself; its exit status, or 124.
sse_wait_exit() {
	local pid=${_SSE_PIDS[$1]:-} rc
	[ -n "$pid" ] || return 0
	if ! wait_until "$2" _sim_gone "$pid"; then
		return 124
	fi
	wait "$pid" 2>/dev/null
	rc=$?
	unset "_SSE_PIDS[$1]"
	return $rc
}

_sse_has() { grep -qE "$2" "$(sse_file "$1")" 2>/dev/null; }

sse_wait() {
	wait_until "$3" _sse_has "$1" "$2"
}

# Complete events (ended by a blank line), one per line: id TAB event TAB data.
sse_events() {
	tr -d '\r' <"$(sse_file "$1")" | awk '
		BEGIN { id = ""; ev = ""; data = ""; have = 0 }
		$0 == "" {
			if (have) print id "\t" (ev == "" ? "message" : ev) "\t" data
			id = ""; ev = ""; data = ""; have = 0; next
		}
		/^:/ { next }
		/^id:/ { id = substr($0, 4); sub(/^ /, "", id); next }
		/^event:/ { ev = substr($0, 7); sub(/^ /, "", ev); next }
		/^data:/ { d = substr($0, 6); sub(/^ /, "", d)
			data = have ? data "\n" d : d; have = 1; next }'
}

# Number of complete events of NAME whose line matches ERE (default: all).
sse_count() {
	sse_events "$1" | grep -cE "${2:-.}"
}
