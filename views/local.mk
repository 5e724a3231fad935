# SPDX-License-Identifier: ISC (see COPYING)
# views: the panes (recalc from the store, draw through the widgets)
libpayops_a_SOURCES += views/view.h views/view.c \
	views/tview.h views/tview.c views/overview.c views/channels.c \
	views/chmetrics.h views/chmetrics.c \
	views/routes.c views/alerts.h views/alerts.c views/alerts_text.c \
	views/alerts_rows.c views/alerts_detail.c views/placeholder.c \
	views/actflow.h views/actflow.c views/audit.c views/approvals.c
# the work-queue panes: onboarding, reconciliation, limits
libpayops_a_SOURCES += views/queue.h views/queue.c views/queue_filter.c \
	views/qlist.h views/qlist.c \
	views/recon.c views/onboarding.c views/limits.c
