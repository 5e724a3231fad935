#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# tests/alerts/alertmanager.sh: the Alertmanager client against a REAL
# Prometheus Alertmanager (Debian's prometheus-alertmanager), started here on
# a free 127.0.0.1 port without clustering. Alerts posted to it with curl
# must reach the store with their source and fingerprint; a silence made
# through am_silence_create must be what Alertmanager's own API returns
# (createdBy, comment) and suppress the alert; expiring it from the console
# must expire it there; both must leave intent+outcome rows in an audit log
# that verifies. Killing Alertmanager must turn the poller to "failing" with
# the error in words while the last alerts stay; restarting it recovers.
set -u
top_builddir=${top_builddir:-$(pwd)}
AM_BIN=${AM_BIN:-/usr/bin/prometheus-alertmanager}
DRIVER=$top_builddir/tests/alerts/am-driver
AUDIT_TOOL=$top_builddir/tests/audit/audit-tool
NAME=am-sh
OPERATOR=op.zhang
REASON='工商银行通道维护 "planned" \ window'

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ $# -gt 1 ] && printf '#   %s\n' "${@:2}"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }

. "${top_srcdir:-.}/tests/lib/need.sh"
need "$AM_BIN" prometheus-alertmanager curl curl jq jq
echo "1..21"

tmp=$(mktemp -d /tmp/payops-am.XXXXXX)
am_pid= drv_pid=
cleanup() {
	[ -n "$drv_pid" ] && kill "$drv_pid" 2>/dev/null
	[ -n "$am_pid" ] && kill "$am_pid" 2>/dev/null
	[ -n "$am_pid" ] && wait "$am_pid" 2>/dev/null
	[ -n "$drv_pid" ] && wait "$drv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

. "$top_srcdir/tests/lib/am.sh"
am_write_config "$tmp/am.yml"

PORT=$(am_free_port) || { echo "Bail out! no free port"; exit 1; }
URL=http://127.0.0.1:$PORT

start_am() {
	"$AM_BIN" --config.file="$tmp/am.yml" --storage.path="$tmp/data" \
		--cluster.listen-address= --web.listen-address="127.0.0.1:$PORT" \
		--log.level=warn >>"$tmp/am.log" 2>&1 &
	am_pid=$!
	for _ in $(seq 100); do   # up to 10 s
		curl -sf "$URL/-/ready" >/dev/null 2>&1 && return 0
		kill -0 "$am_pid" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}
stop_am() {
	kill "$am_pid" 2>/dev/null
	wait "$am_pid" 2>/dev/null
	am_pid=
}

# a port that was free a moment ago may be taken by now: try a few
started=0
for _ in 1 2 3 4 5; do
	if start_am; then started=1; break; fi
	stop_am
	PORT=$(am_free_port) || break
	URL=http://127.0.0.1:$PORT
done
if [ "$started" != 1 ]; then
	echo "Bail out! alertmanager did not become ready: $(tail -n 3 "$tmp/am.log")"
	exit 1
fi
ok "alertmanager ready on 127.0.0.1:$PORT"

# Two alerts, one with a label that has Unicode, quotes and a backslash.
alerts='[{"labels":{"alertname":"BankRouteDown","channel_id":"icbc.direct.quickpay","severity":"critical","bank":"工商银行 \"北京\" \\ 01"},"annotations":{"title":"工商银行 快捷支付 不可用","summary":"success rate 12%"}},
{"labels":{"alertname":"ReserveLow","network":"nucc","severity":"warning"},"annotations":{"summary":"reserve at 81%"}}]'
code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
	--data-binary "$alerts" "$URL/api/v2/alerts")
check "alerts posted (HTTP $code)" [ "$code" = 200 ]

am_alerts=$(curl -s "$URL/api/v2/alerts")
FP1=$(jq -r '.[] | select(.labels.alertname=="BankRouteDown") | .fingerprint' <<<"$am_alerts")
FP2=$(jq -r '.[] | select(.labels.alertname=="ReserveLow") | .fingerprint' <<<"$am_alerts")

# The driver, as a co-process: commands in, lines out, each ending "done".
coproc DRV { exec "$DRIVER" --name "$NAME" --url "$URL" --audit "$tmp/audit.db" \
	--operator "$OPERATOR" --reason "$REASON" --poll-ms 300 2>"$tmp/driver.err"; }
drv_pid=$DRV_PID
out=
# cmd LINE: send it, collect the answer into $out (bounded)
cmd() {
	out=
	echo "$1" >&"${DRV[1]}" || return 1
	local line
	while IFS= read -r -t 20 line <&"${DRV[0]}"; do
		[ "$line" = done ] && return 0
		out+="$line"$'\n'
	done
	out+="(no answer)"
	return 1
}
IFS= read -r -t 10 first <&"${DRV[0]}"
[ "${first:-}" = ready ] || { echo "Bail out! driver did not start: $(cat "$tmp/driver.err")"; exit 1; }

cmd "wait-alerts 2 10000"
if grep -q "^alert $FP1 $NAME active 工商银行 快捷支付 不可用$" <<<"$out" &&
   grep -q "^alert $FP2 $NAME active ReserveLow$" <<<"$out"; then
	ok "both alerts in the store with source $NAME and Alertmanager's fingerprints"
else
	nok "both alerts in the store with source $NAME" "fp1=$FP1 fp2=$FP2" "$out"
fi

cmd "wait-health up 5000"
check "state up with version and cluster status" grep -q "^state up failures=0 version=[0-9][^ ]* cluster=disabled alerts=2 " <<<"$out"

# Silence the route alert on two of its labels, the odd one included.
cmd "silence $FP1 3600 alertname bank"
SID=$(sed -n 's/^result applied http=200 id=\([^ ]*\) code=200 intent=\([0-9]*\) outcome=\([0-9]*\) .*/\1/p' <<<"$out")
check "am_silence_create applied, with the new silence id" [ -n "$SID" ]

sil=$(curl -s "$URL/api/v2/silences")
got=$(jq -c --arg id "$SID" '.[] | select(.id==$id) | {createdBy, comment, state: .status.state, matchers: [.matchers[] | [.name, .value, .isRegex, .isEqual]]}' <<<"$sil")
want=$(jq -cn --arg by "$OPERATOR" --arg c "$REASON" \
	'{createdBy: $by, comment: $c, state: "active", matchers: [["alertname","BankRouteDown",false,true],["bank","工商银行 \"北京\" \\ 01",false,true]]}')
if [ -n "$got" ] && [ "$got" = "$want" ]; then
	ok "Alertmanager's own API returns the silence: createdBy, comment, matchers"
else
	nok "Alertmanager's own API returns the silence" "got:  $got" "want: $want"
fi
dur=$(jq -r --arg id "$SID" '.[] | select(.id==$id) | ((.endsAt|sub("\\.[0-9]+";"")|fromdateiso8601) - (.startsAt|sub("\\.[0-9]+";"")|fromdateiso8601))' <<<"$sil")
dur=${dur%.*}
check "the silence lasts the hour asked for (${dur}s)" test "${dur:-0}" -ge 3598 -a "${dur:-0}" -le 3600

state=$(curl -s "$URL/api/v2/alerts" | jq -r --arg fp "$FP1" '.[] | select(.fingerprint==$fp) | .status.state')
check "Alertmanager suppresses the alert ($state)" [ "$state" = suppressed ]

cmd "wait-state $FP1 suppressed 5000"
if grep -q "^alert $FP1 $NAME suppressed " <<<"$out" &&
   grep -q "^alert $FP2 $NAME active " <<<"$out"; then
	ok "the store shows the alert suppressed, the other still active"
else
	nok "the store shows the alert suppressed, the other still active" "$out"
fi

cmd "wait-silence $SID active 5000"
check "the hub lists the silence with its operator" grep -q "^silence $SID active by=$OPERATOR " <<<"$out"

# Expire it from the console.
cmd "expire $SID"
check "am_silence_expire applied" grep -q "^result applied http=200 id=$SID " <<<"$out"
state=$(curl -s "$URL/api/v2/silences" | jq -r --arg id "$SID" '.[] | select(.id==$id) | .status.state')
check "Alertmanager says the silence is expired ($state)" [ "$state" = expired ]
cmd "wait-state $FP1 active 5000"
check "the alert is active again in the store" grep -q "^alert $FP1 $NAME active " <<<"$out"

# The audit log: intent before, outcome after, for both, and it verifies.
rows=$("$AUDIT_TOOL" export --format jsonl --db "$tmp/audit.db" 2>&1 |
	jq -c '[.kind, .action, .target, .site, .operator, .reason, .outcome]' | tr '\n' ' ')
want_rows=$(jq -cn --arg fp "$FP1" --arg sid "$SID" --arg n "$NAME" --arg op "$OPERATOR" --arg r "$REASON" \
	'["intent","alert.silence",$fp,$n,$op,$r,""], ["outcome","alert.silence",$fp,$n,$op,$r,"applied"],
	 ["intent","alert.unsilence",$sid,$n,$op,$r,""], ["outcome","alert.unsilence",$sid,$n,$op,$r,"applied"]' | tr '\n' ' ')
if [ "$rows" = "$want_rows" ]; then
	ok "audit log: intent and outcome for silence and unsilence, in order"
else
	nok "audit log rows" "got:  $rows" "want: $want_rows"
fi
v=$("$AUDIT_TOOL" verify --db "$tmp/audit.db" 2>&1)
check "audit log verifies ($v)" grep -q "^ok: 4 rows verified" <<<"$v"

# Alertmanager goes away: failing, in words, last alerts kept.
stop_am
cmd "wait-health failing 10000"
if grep -Eq "^state failing failures=[1-9][0-9]* .* error=alertmanager $NAME: GET /api/v2/(alerts|silences): connection (refused|reset by peer)$" <<<"$out"; then
	ok "poller failing, with the error in words"
else
	nok "poller failing, with the error in words" "$out"
fi
cmd "alerts"
if grep -q "^alert $FP1 $NAME " <<<"$out" && grep -q "^alert $FP2 $NAME " <<<"$out"; then
	ok "the last alerts stay while it is down"
else
	nok "the last alerts stay while it is down" "$out"
fi

# Back: recovers (alerts were kept in its storage snapshot or re-posted).
if start_am; then
	curl -s -o /dev/null -XPOST -H 'Content-Type: application/json' \
		--data-binary "$alerts" "$URL/api/v2/alerts"
	cmd "wait-health up 10000"
	st=$out
	cmd "wait-alerts 2 10000"
	if grep -q "^state up failures=0 .* error=$" <<<"$st" && grep -q "^alert $FP2 $NAME " <<<"$out"; then
		ok "poller recovers after a restart, the alerts posted again come back"
	else
		nok "poller recovers after a restart" "$st" "$out"
	fi
else
	nok "alertmanager restarted" "$(tail -n 3 "$tmp/am.log")"
fi

# Interrupted: intents written, the console gone before the answers. The
# Alertmanager did what was asked (done here with curl); the next start
# settles both intents from what it shows.
cmd "wait-silence $SID expired 5000"
cmd "orphan silence $FP2 600 alertname network"
o1=$out
cmd "orphan expire $SID"
o1+=$out
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+10 min' +%Y-%m-%dT%H:%M:%SZ)
body=$(jq -cn --arg by "$OPERATOR" --arg c "$REASON" --arg s "$now" --arg e "$end" 	'{matchers: [{name:"network",value:"nucc",isRegex:false,isEqual:true},
	             {name:"alertname",value:"ReserveLow",isRegex:false,isEqual:true}],
	  startsAt:$s, endsAt:$e, createdBy:$by, comment:$c}')
SID2=$(curl -s -XPOST -H 'Content-Type: application/json' --data-binary "$body" 	"$URL/api/v2/silences" | jq -r .silenceID)
before=$("$AUDIT_TOOL" unresolved --db "$tmp/audit.db" 2>&1 | grep -cE 'alert\.(un)?silence')
cmd "restart"
cmd "wait-resolved 2 10000"
if grep -q "^resolved alert.silence $FP2 on $NAME (interrupted): applied, silenced by $SID2 until " <<<"$out" &&
   grep -q "^resolved alert.unsilence $SID on $NAME (interrupted): applied, state=expired$" <<<"$out"; then
	ok "interrupted silence and unsilence settled from what Alertmanager shows"
else
	nok "interrupted intents settled" "sid2=$SID2" "$o1" "$out"
fi
unres=$("$AUDIT_TOOL" unresolved --db "$tmp/audit.db" 2>&1)
after=$(grep -cE 'alert\.(un)?silence' <<<"$unres")
check "the audit log had 2 unresolved intents, now none ($before -> $after)" test "$before" = 2 -a "$after" = 0
v=$("$AUDIT_TOOL" verify --db "$tmp/audit.db" 2>&1)
check "audit log still verifies ($v)" grep -q "^ok: 8 rows verified" <<<"$v"

cmd "quit"
wait "$drv_pid" 2>/dev/null
rc=$?
drv_pid=
[ $rc -eq 0 ] || { echo "# driver exited $rc: $(cat "$tmp/driver.err")"; failed=1; }
exit $failed
