# SPDX-License-Identifier: ISC (see COPYING)
# tests/decode: every decoder on the contract's examples and on bad input
decode_tests = tests/decode/objects_test tests/decode/errors_test \
	tests/decode/page_test tests/decode/approval_test
check_PROGRAMS += $(decode_tests)
TESTS += $(decode_tests)
EXTRA_DIST += tests/decode/samples.h tests/decode/fixture.h
