#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# scripts/pkgtest.sh BUILDDIR: the Debian packaging round trip, as a jump
# host's administrator would do it (TAP on standard output). Run as root by
# scripts/test.sh after the build in BUILDDIR:
#   make distcheck (the tarball builds, installs and uninstalls cleanly);
#   dpkg-buildpackage -us -uc -b from that tarball (nocheck: the suite runs
#   from the build tree), lintian without errors;
#   apt-get install ./payops_*.deb ./payops-sim_*.deb, then the installed
#   payops --version, man -w payops, payops --check-config on the shipped
#   /etc/payops/config.yaml, payops --demo in tmux until the Channels pane
#   shows; then apt-get purge, leaving the machine as it was.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:?usage: scripts/pkgtest.sh BUILDDIR}
export top_srcdir=$top
. "$top/tests/lib/tap.sh"

[ "$(id -u)" -eq 0 ] || { echo "1..0 # SKIP the package round trip installs packages: run as root"; exit 0; }

T=$(mktemp -d "${TMPDIR:-/tmp}/payops-pkg.XXXXXX")
sock=payops-pkg-$$
cleanup() {
	tmux -L "$sock" kill-server >/dev/null 2>&1
	if dpkg-query -W -f='${Status}' payops 2>/dev/null | grep -q installed ||
	   dpkg-query -W -f='${Status}' payops-sim 2>/dev/null | grep -q installed; then
		apt-get purge -y -qq payops payops-sim >/dev/null 2>&1
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# distcheck runs one quick test in its build: the suite itself runs from
# BUILDDIR, and twice is too long for CI.
make -C "$build" -s distcheck TESTS=tests/layers/layers.sh >"$T/distcheck.log" 2>&1
rc=$?
ok $rc "make distcheck passes (dist, VPATH build from a read-only tree, install, uninstall, distclean)"
[ $rc -ne 0 ] && diag "$(tail -n 30 "$T/distcheck.log")"

make -C "$build" -s dist >"$T/dist.log" 2>&1
tarball=$(ls "$build"/payops-*.tar.gz 2>/dev/null | head -n1)
if [ -z "$tarball" ]; then
	fail "make dist makes a tarball"; diag "$(tail -n 20 "$T/dist.log")"
	done_testing; exit
fi
tar -xzf "$tarball" -C "$T"
src=$(ls -d "$T"/payops-*/ | head -n1)

(cd "$src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
rc=$?
ok $rc "dpkg-buildpackage -us -uc -b builds from the release tarball"
[ $rc -ne 0 ] && diag "$(tail -n 40 "$T/build.log")"
deb=$(ls "$T"/payops_*.deb 2>/dev/null | head -n1)
simdeb=$(ls "$T"/payops-sim_*.deb 2>/dev/null | head -n1)
ok "$([ -n "$deb" ] && [ -n "$simdeb" ] && echo 0 || echo 1)" "two binary packages: payops and payops-sim"

changes=$(ls "$T"/payops_*.changes 2>/dev/null | head -n1)
if [ -n "$changes" ]; then
	lintian --fail-on error --suppress-tags-from-file /dev/null "$changes" >"$T/lintian.log" 2>&1
	rc=$?
	ok $rc "lintian reports no errors"
	grep -E '^[EW]:' "$T/lintian.log" | sort -u | while IFS= read -r l; do diag "lintian: $l"; done
else
	fail "lintian reports no errors (no .changes file)"
fi

deps=$(dpkg-deb -f "$deb" Depends 2>/dev/null)
like "$deps" "libcurl4.*libjansson4.*|libjansson4.*libcurl4" "payops depends on the libraries it links (\${shlibs:Depends})"
unlike "$deps" "libmicrohttpd" "the console does not depend on the simulator's HTTP server"
like "$(dpkg-deb -f "$simdeb" Depends 2>/dev/null)" "libmicrohttpd" "payops-sim depends on libmicrohttpd"
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
like "$files" "\./usr/bin/payops" "payops ships the console"
like "$files" "\./usr/share/man/man1/payops\.1\.gz" "payops ships payops(1)"
like "$files" "\./usr/share/man/man5/payops\.yaml\.5\.gz" "payops ships payops.yaml(5)"
like "$files" "\./usr/share/man/man7/payops-api\.7\.gz" "payops ships payops-api(7)"
like "$files" "\./etc/payops/config\.yaml" "payops ships an example /etc/payops/config.yaml"
like "$files" "\./usr/share/locale/zh_CN/LC_MESSAGES/payops\.mo" "payops ships the Chinese catalogue"
like "$(dpkg-deb -c "$simdeb" | awk '{print $6}')" "\./usr/share/man/man1/payops-sim\.1\.gz" "payops-sim ships payops-sim(1)"

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" "$simdeb" >"$T/install.log" 2>&1
rc=$?
ok $rc "apt-get install ./payops_*.deb ./payops-sim_*.deb"
[ $rc -ne 0 ] && diag "$(tail -n 20 "$T/install.log")"

like "$(/usr/bin/payops --version 2>&1)" "^payops 0\.1\.0" "the installed payops --version"
like "$(LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= /usr/bin/payops --help 2>&1)" "用法" \
	"the installed payops speaks Chinese under LANG=zh_CN.UTF-8"
man_path=$(man -w payops 2>/dev/null)
is "$man_path" "/usr/share/man/man1/payops.1.gz" "man -w payops finds the installed page"
like "$(/usr/bin/payops --check-config -c /etc/payops/config.yaml 2>&1)" ": ok$" \
	"the shipped /etc/payops/config.yaml passes --check-config"

# The installed console finds the installed simulator on the PATH.
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_STATE_HOME=$T/home/.state XDG_CACHE_HOME=$T/home/.cache
mkdir -p "$HOME"
tmux -L "$sock" -f /dev/null new-session -d -s pkg -x 140 -y 40 \
	"env -u PAYOPS_BINDIR PATH=/usr/bin:/bin TERM=xterm-256color /usr/bin/payops --demo --read-only; sleep 30"
seen=1
for _ in $(seq 1 200); do
	if tmux -L "$sock" capture-pane -p -t pkg 2>/dev/null | grep -q 'icbc\.direct\.'; then seen=0; break; fi
	sleep 0.1
done
ok $seen "the installed payops --demo starts the installed payops-sim and shows the Channels pane"
[ $seen -ne 0 ] && diag "$(tmux -L "$sock" capture-pane -p -t pkg 2>/dev/null)"
tmux -L "$sock" send-keys -t pkg q
tmux -L "$sock" kill-server >/dev/null 2>&1

DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq payops payops-sim >"$T/purge.log" 2>&1
ok $? "apt-get purge removes both packages"
ok "$([ ! -e /usr/bin/payops ] && [ ! -e /usr/bin/payops-sim ] && [ ! -e /etc/payops/config.yaml ] && echo 0 || echo 1)" \
	"nothing of them is left in /usr/bin or /etc/payops"

done_testing
