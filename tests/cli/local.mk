# SPDX-License-Identifier: ISC (see COPYING)
# tests/cli: payops get, channel, route weights and patrol against payops-sim
TESTS += tests/cli/get.sh tests/cli/act.sh tests/cli/patrol.sh tests/cli/queue.sh tests/cli/report.sh tests/cli/approval.sh tests/cli/forbidden.sh
EXTRA_DIST += tests/cli/get.sh tests/cli/act.sh tests/cli/patrol.sh tests/cli/queue.sh tests/cli/report.sh tests/cli/approval.sh tests/cli/forbidden.sh tests/cli/common.sh
