#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# scripts/setup.sh: install what is missing, bootstrap and build payops.
# Sourced by scripts/demo.sh and scripts/test.sh; usable alone:
#   scripts/setup.sh [--tests] [--sanitizers]
# Builds out of tree in _build/ (and _build-san/ for the sanitizer build).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# What the build needs, by Debian 12 package name.
build_pkgs=(gcc make autoconf automake autopoint gettext pkg-config
	libncurses-dev libcurl4-openssl-dev libjansson-dev libsqlite3-dev
	libyaml-dev libssl-dev libmicrohttpd-dev libgnutls28-dev libcmocka-dev
	librelp-dev)
# What the tests need besides: a real terminal multiplexer, HTTP tools, the
# sqlite3 shell, a real Alertmanager, clang for the fuzz targets, valgrind.
# a real rsyslogd (TLS and RELP inputs) as the audit log's central receiver;
# Prometheus (promtool checks the simulator's /metrics);
# the packaging round trip: debhelper, lintian, man-db.
test_pkgs=(tmux curl jq sqlite3 prometheus-alertmanager prometheus clang
	libclang-rt-14-dev valgrind openssl procps rsyslog rsyslog-gnutls rsyslog-relp
	build-essential debhelper dpkg-dev fakeroot lintian man-db locales)

# setup_locale NAME: generate a locale the tests run the console in
# (zh_CN.UTF-8: the Chinese console), once.
setup_locale() {
	local want=$1
	locale -a 2>/dev/null | grep -qix "${want/UTF-8/utf8}" && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: locale $want is missing; as root: enable it in /etc/locale.gen and run locale-gen" >&2
		return 1
	fi
	sed -i "s/^# *\($want .*\)/\1/" /etc/locale.gen
	grep -q "^$want " /etc/locale.gen || echo "$want UTF-8" >> /etc/locale.gen
	locale-gen >&2
}

setup_install() {
	local want=("$@") missing=() p
	for p in "${want[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' \
			|| missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		echo "setup: installing ${missing[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
	else
		echo "setup: missing packages; install them with:" >&2
		echo "  sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
}

# setup_build DIR [configure args...]: bootstrap once, configure when needed, make.
setup_build() {
	local dir=$1; shift
	if [ ! -x "$top/configure" ] || [ "$top/configure.ac" -nt "$top/configure" ]; then
		(cd "$top" && autoreconf -fi >&2)
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$top/configure" -nt "$dir/Makefile" ] ||
	   [ "$(cat "$dir/.payops-configure-args" 2>/dev/null)" != "$*" ]; then
		(cd "$dir" && "$top/configure" -q "$@" >&2)
		printf '%s' "$*" > "$dir/.payops-configure-args"
	fi
	make -C "$dir" -s -j"$(nproc)" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	pkgs=("${build_pkgs[@]}")
	for a in "$@"; do [ "$a" = --tests ] && pkgs+=("${test_pkgs[@]}"); done
	setup_install "${pkgs[@]}"
	setup_build "$top/_build" --enable-werror
	for a in "$@"; do
		[ "$a" = --sanitizers ] && setup_build "$top/_build-san" --enable-werror --enable-sanitizers
	done
	echo "setup: built in $top/_build" >&2
fi
