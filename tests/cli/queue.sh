#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# The work queues' actions from a script against payops-sim: limit adjust,
# break resolve and case decide apply with --yes and land in the audit log
# via cli; a wrong decision names the nearest; no terminal without --yes
# sends nothing.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/sim.sh"
. "$top_srcdir/tests/cli/common.sh"

cli_setup --tick-ms 0
rows() { "$PAYOPS" audit --db "$CLI_AUDIT" list 2>/dev/null | grep -c .; }

api GET "/v1/limits?state=ok&limit=1"
lim=$(jb '.data[0].id') old=$(jb '.data[0].limit_minor')
po limit adjust "$lim" +10% --reason "more headroom"
is "$PO_RC" 7 "limit adjust without --yes and no terminal: exit 7"
is "$(rows)" 0 "... nothing in the audit log"
po limit adjust "$lim" +10% --reason "more headroom" --yes
is "$PO_RC" 0 "limit adjust +10% --yes: exit 0"
api GET "/v1/limits/$lim"
is "$(jb .limit_minor)" "$(((old * 11 + 5) / 10))" "... the platform's limit is 10% higher, to the fen"

api GET "/v1/recon/breaks?status=open&limit=1"
brk=$(jb '.data[0].id')
po break resolve "$brk" --action write_off --reason "below threshold" --yes
is "$PO_RC" 0 "break resolve --action write_off --yes: exit 0"
api GET "/v1/recon/breaks/$brk"
is "$(jb .status)" written_off "... the break is written off"

api GET "/v1/onboarding/cases?stage=manual_review&limit=1"
cs=$(jb '.data[0].id')
po case decide "$cs" aprove --reason ok --yes
is "$PO_RC" 2 "case decide aprove: exit 2"
like "$PO_ERR" "did you mean 'approve'" "... naming the nearest decision"
po case decide "$cs" approve --reason "documents complete" --yes
is "$PO_RC" 0 "case decide approve --yes: exit 0"
api GET "/v1/onboarding/cases/$cs"
is "$(jb .stage)" approved "... the case is approved"

is "$(rows)" 6 "three intents and three outcomes in the audit log"
is "$("$PAYOPS" audit --db "$CLI_AUDIT" list --kind outcome | grep -c .)" 3 "... three outcomes"
n=0
for seq in 2 4 6; do
	"$PAYOPS" audit --db "$CLI_AUDIT" show "$seq" | grep -q "via cli: " && n=$((n + 1))
done
is "$n" 3 "... each says via cli"
"$PAYOPS" audit --db "$CLI_AUDIT" verify >/dev/null
is "$?" 0 "payops audit verify passes"

done_testing
