#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# Several writer processes append to one log at once: every row is present
# and the chain verifies.
. "$top_srcdir/tests/audit/lib.sh"
echo "1..5"
DB="$T/shared.db"
WRITERS=4 PER=25
"$TOOL" append --db "$DB" --count 0 >/dev/null 2>&1 # create the schema once
pids=""
for w in $(seq 1 $WRITERS); do
	"$TOOL" append --db "$DB" --count $PER --operator "op.w$w" \
		--target "chan.$w" --reason "writer $w" 2>"$T/w$w.err" &
	pids="$pids $!"
done
rcs=0
for p in $pids; do wait "$p" || rcs=$((rcs + 1)); done
check "all $WRITERS writers succeeded" [ "$rcs" -eq 0 ]
out=$("$TOOL" verify --db "$DB")
check "chain verifies: $out" [ "$out" = "ok: $((WRITERS * PER * 2)) rows verified" ]
ok_counts=1
for w in $(seq 1 $WRITERS); do
	c=$("$TOOL" list --db "$DB" --limit 0 --operator "op.w$w" --kind intent | wc -l)
	[ "$c" -eq $PER ] || ok_counts=0
	c=$("$TOOL" list --db "$DB" --limit 0 --operator "op.w$w" --kind outcome | wc -l)
	[ "$c" -eq $PER ] || ok_counts=0
done
check "every writer's $PER intents and outcomes are present" [ $ok_counts -eq 1 ]
keys=$("$TOOL" export --db "$DB" --format jsonl | grep -o '"kind":"intent".*"idempotency_key":"[^"]*"' | sed 's/.*"idempotency_key"://' | sort -u | wc -l)
check "idempotency keys are distinct ($keys)" [ "$keys" -eq $((WRITERS * PER)) ]
unres=$("$TOOL" unresolved --db "$DB" | wc -l)
check "no unresolved intents" [ "$unres" -eq 0 ]
exit 0
