# views: the panes (recalc from the store, draw through the widgets)
libpayops_a_SOURCES += views/view.h views/view.c views/fmt.h views/fmt.c \
	views/tview.h views/tview.c views/overview.c views/channels.c \
	views/routes.c views/alerts.c views/placeholder.c \
	views/actflow.h views/actflow.c views/audit.c
