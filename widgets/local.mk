# SPDX-License-Identifier: ISC (see COPYING)
# widgets: the drawing kit (tables, sparklines, bars, command line, dialogs,
# help), drawn on term/.
libpayops_a_SOURCES += \
	widgets/widget.h widgets/widget.c \
	widgets/table.h widgets/table.c \
	widgets/spark.h widgets/spark.c \
	widgets/bar.h widgets/bar.c \
	widgets/cmdline.h widgets/cmdline.c \
	widgets/dialog.h widgets/dialog.c \
	widgets/help.h widgets/help.c
# how values are spelled on screen, the same in a pane and in a dialog
libpayops_a_SOURCES += widgets/fmt.h widgets/fmt.c
