# SPDX-License-Identifier: ISC (see COPYING)
# tui: the program, its event loop and terminal handling
bin_PROGRAMS += payops
payops_SOURCES = tui/main.c tui/app.h tui/app_int.h tui/app.c tui/keys.c \
	tui/command.c tui/panes.c tui/frame.c tui/status.c tui/watch.c \
	tui/forward.c tui/demo.h tui/demo.c tui/sortstate.c tui/mouse.c \
	tui/signals.h tui/signals.c tui/sources.h tui/sources.c
payops_CFLAGS = $(AM_CFLAGS) $(CONSOLE_CFLAGS)
payops_LDADD = libpayops.a $(CONSOLE_LIBS)
# the example configuration, installed beside the documentation (the Debian
# package installs it as /etc/payops/config.yaml)
exampledir = $(docdir)/examples
dist_example_DATA = contrib/config.yaml
payops_SOURCES += tui/confirm.h tui/confirm.c
