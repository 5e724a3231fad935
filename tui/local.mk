# tui: the program, its event loop and terminal handling
bin_PROGRAMS += payops
payops_SOURCES = tui/main.c
payops_CFLAGS = $(AM_CFLAGS) $(CONSOLE_CFLAGS)
payops_LDADD = libpayops.a $(CONSOLE_LIBS)
