# SPDX-License-Identifier: ISC (see COPYING)
# tests/tls: transport security against payops-sim over HTTPS with
# certificates the test makes; the client key's file mode; the token never
# written anywhere the console writes
check_PROGRAMS += tests/tls/key_test tests/tls/tls-driver
TESTS += tests/tls/key_test tests/tls/tls.sh tests/tls/token.sh
EXTRA_DIST += tests/tls/tls.sh tests/tls/certs.sh tests/tls/token.sh
# cells of a captured screen, for the end-to-end tests' alignment checks
check_PROGRAMS += tests/tls/term-cells
tests_tls_term_cells_SOURCES = tests/tls/term_cells.c
tests_tls_tls_driver_SOURCES = tests/tls/tls_driver.c
