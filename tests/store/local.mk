# SPDX-License-Identifier: ISC (see COPYING)
# tests/store: the in-memory model
check_PROGRAMS += tests/store/store_test
TESTS += tests/store/store_test
