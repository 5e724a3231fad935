#!/usr/bin/env bash
# SPDX-License-Identifier: ISC (see COPYING)
# scripts/demo.sh: install what is missing, build, and open the console on the
# built-in demo platform (payops-sim on a free 127.0.0.1 port).
# Arguments are passed to payops, e.g. scripts/demo.sh --read-only
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_install "${build_pkgs[@]}"
setup_build "$top/_build" --enable-werror
exec "$top/_build/payops" --demo "$@"
