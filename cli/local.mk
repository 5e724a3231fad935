# SPDX-License-Identifier: ISC (see COPYING)
# cli: payops from scripts (get, channel, route, break, case, limit, report, patrol), through the
# console's sync, cache, action client and audit log
payops_SOURCES += cli/cli.h cli/cli_int.h cli/main.c cli/session.c \
	cli/kinds.h cli/kinds.c cli/get.c cli/act.c cli/queue_act.c cli/patrol.c cli/report.c \
	cli/approval.c
