# SPDX-License-Identifier: ISC (see COPYING)
# tests/cli/common.sh: a payops-sim and a configuration for the command-line
# commands (sourced after tap.sh and sim.sh).
#
# cli_setup [SIM ARGS...]  start the sim; write $CLI_CFG (token file, private
#                          audit log and cache) for SIM_TOKEN
# cli_token TOKEN          the configuration's token from now on
# po ARGS...               run payops ARGS -c $CLI_CFG; sets PO_OUT, PO_ERR, PO_RC

PAYOPS=$top_builddir/payops
export LC_ALL=C.UTF-8

cli_setup() {
	sim_start_or_bail "$@"
	CLI_DIR=$TEST_TMP/cli
	mkdir -p "$CLI_DIR"
	export XDG_CONFIG_HOME=$CLI_DIR/xdg-config XDG_STATE_HOME=$CLI_DIR/xdg-state \
		XDG_CACHE_HOME=$CLI_DIR/xdg-cache
	unset PAYOPS_CONFIG
	CLI_AUDIT=$CLI_DIR/audit.db
	CLI_CFG=$CLI_DIR/config.yaml
	cli_token "$SIM_TOKEN"
	cat >"$CLI_CFG" <<Y
sites:
  - name: sh-a
    url: $SIM_URL
token_file: $CLI_DIR/token
audit:
  db: $CLI_AUDIT
cache_dir: $CLI_DIR/cache
Y
}

cli_token() {
	(umask 077 && printf '%s\n' "$1" >"$CLI_DIR/token")
}

po() {
	"$PAYOPS" "$@" -c "$CLI_CFG" >"$CLI_DIR/out" 2>"$CLI_DIR/err" </dev/null
	PO_RC=$?
	PO_OUT=$(cat "$CLI_DIR/out")
	PO_ERR=$(cat "$CLI_DIR/err")
}

# csv_col NAME: the column NAME of every record of the RFC 4180 text on stdin
csv_col() {
	python3 -c 'import csv, sys
r = csv.reader(sys.stdin, strict=True)
h = next(r)
i = h.index(sys.argv[1])
for row in r:
    assert len(row) == len(h), row
    print(row[i])' "$1"
}
