# SPDX-License-Identifier: ISC (see COPYING)
# ops: the operation runner: every operator action from its confirmation
# dialog through submit, progress and conflict to its outcome
libpayops_a_SOURCES += \
	ops/ops.h ops/confirm.h ops/op.h \
	ops/runner.c ops/marks.c ops/lines.c \
	ops/channel.c ops/rows.c ops/alert.c ops/approval.c
