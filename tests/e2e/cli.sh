#!/bin/bash
# SPDX-License-Identifier: ISC (see COPYING)
# payops's command line without a terminal: --help agrees with the man page,
# --version, --check-config reports FILE:LINE:COL and its exit status,
# --paths lists the files, bad arguments and a missing config are refused.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/lib/tap.sh"

PAYOPS=$top_builddir/payops
MAN=$top_srcdir/man/payops.1.in
T=$(mktemp -d "${TMPDIR:-/tmp}/payops-cli.XXXXXX") || bail_out "mktemp"
trap 'rm -rf "$T"' EXIT
export XDG_CONFIG_HOME=$T/xdg-config XDG_STATE_HOME=$T/xdg-state XDG_CACHE_HOME=$T/xdg-cache
unset PAYOPS_CONFIG
export LC_ALL=C.UTF-8

out=$("$PAYOPS" --help); rc=$?
is "$rc" 0 "--help exits 0"
like "$out" "Usage: payops" "--help prints the usage"

# Every long option of --help is in the man page's OPTIONS, and back.
help_opts=$(grep -oE -- '--[a-z][a-z-]+' <<<"$out" | sort -u)
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$MAN" | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' |
	grep -oE '\\-\\-[a-z][a-z\\-]+' |
	sed 's/\\//g' | sort -u)
is "$man_opts" "$help_opts" "the man page documents exactly the options of --help"

out=$("$PAYOPS" --version); rc=$?
is "$rc" 0 "--version exits 0"
like "$out" '^payops [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

"$PAYOPS" --no-such-option >/dev/null 2>&1
is "$?" 2 "an unknown option exits 2"
"$PAYOPS" stray >/dev/null 2>&1
is "$?" 2 "a stray argument exits 2"

# A clean file.
cat >"$T/good.yaml" <<'Y'
sites:
  - name: sh-a
    url: http://127.0.0.1:8780
token_env: PAYOPS_TOKEN
poll_interval: 2s
Y
out=$("$PAYOPS" --check-config --config "$T/good.yaml" 2>&1); rc=$?
is "$rc" 0 "--check-config on a clean file exits 0"
like "$out" "good\.yaml: ok" "--check-config says ok"

# A broken file: a misspelt key (line 5), a bad duration (line 6) and a
# key binding to an unknown action (line 8).
cat >"$T/bad.yaml" <<'Y'
sites:
  - name: sh-a
    url: http://127.0.0.1:8780
token_env: PAYOPS_TOKEN
poll_intervall: 2s
stale_after: soon
keys:
  j: no_such_action
Y
out=$("$PAYOPS" --check-config --config "$T/bad.yaml" 2>&1); rc=$?
isnt "$rc" 0 "--check-config on a broken file exits non-zero"
like "$out" "bad\.yaml:5:[0-9]+: .*poll_intervall" "the misspelt key is reported with its line and column"
like "$out" "did you mean 'poll_interval'" "the nearest valid key is suggested"
like "$out" "bad\.yaml:6:[0-9]+: " "the bad duration is reported too (every error, not the first)"
like "$out" "bad\.yaml:8:[0-9]+: .*no_such_action" "the unknown key action is reported with its position"

# Running the console with the broken file refuses to start, and says why.
out=$("$PAYOPS" --config "$T/bad.yaml" </dev/null 2>&1); rc=$?
is "$rc" 1 "the console refuses a broken configuration (exit 1)"
like "$out" "bad\.yaml:5:" "and prints the errors"

# A token file others can read: the start refuses it, so --check-config
# does, at the key that names it; the same for a TLS file that is not there.
printf 'tok\n' >"$T/token644"
chmod 644 "$T/token644"
cat >"$T/files.yaml" <<Y
sites:
  - name: sh-a
    url: https://127.0.0.1:8780
token_file: $T/token644
tls:
  ca_file: $T/no-such-ca.pem
Y
out=$("$PAYOPS" --check-config --config "$T/files.yaml" 2>&1); rc=$?
is "$rc" 1 "--check-config refuses a token file with mode 0644 (exit 1)"
like "$out" "files\.yaml:4:1: 'token_file': .*has mode 0644" "... at the line and column of token_file"
like "$out" "files\.yaml:6:3: 'tls.ca_file': cannot read" "... and names the missing TLS file at its key"
out=$("$PAYOPS" --config "$T/files.yaml" </dev/null 2>&1); rc=$?
is "$rc" 1 "the start refuses the same file"
like "$out" "has mode 0644" "... for the same reason"
chmod 600 "$T/token644"
printf 'x\n' >"$T/no-such-ca.pem"
out=$("$PAYOPS" --check-config --config "$T/files.yaml" 2>&1); rc=$?
is "$rc" 0 "once fixed, --check-config passes"

# No configuration at all.
out=$("$PAYOPS" --check-config 2>&1); rc=$?
is "$rc" 1 "--check-config without any configuration exits 1"
like "$out" "no configuration file" "and says so"
out=$(PAYOPS_CONFIG=$T/good.yaml "$PAYOPS" --check-config 2>&1)
like "$out" "good\.yaml: ok" "\$PAYOPS_CONFIG names the file"

# --paths.
cat >"$T/paths.yaml" <<Y
sites:
  - name: sh-a
    url: http://127.0.0.1:8780
token_file: $T/token
Y
out=$("$PAYOPS" --paths --config "$T/paths.yaml"); rc=$?
is "$rc" 0 "--paths exits 0"
like "$out" "config +$T/paths\.yaml" "--paths lists the configuration"
like "$out" "token +$T/token" "--paths lists the token file"
like "$out" "audit +$T/xdg-state/payops/audit\.db" "--paths lists the audit log (XDG_STATE_HOME)"
like "$out" "cache +$T/xdg-cache/payops" "--paths lists the cache (XDG_CACHE_HOME)"
like "$out" "sim +.*payops-sim" "--paths lists the simulator --demo would run"
out=$("$PAYOPS" --paths)
like "$out" "config +$T/xdg-config/payops/config\.yaml +\(user\) +\(not found\)" \
	"--paths without a configuration lists where it looked"

done_testing
