# tui: the program, its event loop and terminal handling
bin_PROGRAMS += payops
payops_SOURCES = tui/main.c tui/app.h tui/app_int.h tui/app.c tui/keys.c \
	tui/command.c tui/panes.c tui/frame.c tui/status.c tui/watch.c \
	tui/forward.c tui/demo.h tui/demo.c \
	tui/signals.h tui/signals.c tui/sources.h tui/sources.c
payops_CFLAGS = $(AM_CFLAGS) $(CONSOLE_CFLAGS)
payops_LDADD = libpayops.a $(CONSOLE_LIBS)
dist_man_MANS += man/payops.1
payops_SOURCES += tui/confirm.h tui/confirm.c
