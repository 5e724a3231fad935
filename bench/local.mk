# SPDX-License-Identifier: ISC (see COPYING)
# bench: the scale benchmark (bench/run.sh) and its driver for the cache and
# the incremental sync; run by hand or in CI, never a pass/fail test. Built
# by `make check` or on request (`make bench/cachebench`), not by `make`.
check_PROGRAMS += bench/cachebench bench/prombench
EXTRA_DIST += bench/run.sh
