# widgets: the drawing kit (tables, sparklines, bars, command line, dialogs,
# help) plus the terminal setup and the key table it draws with.
libpayops_a_SOURCES += \
	tui/term.h tui/keymap.h \
	widgets/widget.h widgets/table.h widgets/spark.h widgets/bar.h \
	widgets/cmdline.h widgets/dialog.h widgets/help.h
