# SPDX-License-Identifier: ISC (see COPYING)
# tests/api: build fragment (included from the top Makefile.am)
# Black-box tests of payops-sim over HTTP on 127.0.0.1 (bash, curl, jq; TAP).
# tests/lib holds the shell helpers they share with the end-to-end tests,
# and the unit tests' main() (unit.h).
# The longest (a 100,000-break walk) comes first so parallel runs start it early.
API_TESTS = tests/api/lists.sh tests/api/auth.sh tests/api/etag.sh tests/api/idempotency.sh \
	tests/api/preconditions.sh tests/api/channels.sh tests/api/approvals.sh tests/api/metrics.sh \
	tests/api/sse.sh tests/api/faults.sh tests/api/scenarios.sh tests/api/robustness.sh \
	tests/api/determinism.sh tests/api/sites.sh

TESTS += $(API_TESTS)
EXTRA_DIST += $(API_TESTS) \
	tests/lib/tap.sh tests/lib/need.sh tests/lib/run.sh tests/lib/sim.sh \
	tests/lib/wait.sh tests/lib/am.sh tests/lib/contract.jq tests/lib/unit.h
