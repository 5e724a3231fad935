# SPDX-License-Identifier: ISC (see COPYING)
# term: the terminal (curses setup, colour roles, size, the per-frame flush),
# the command registry and the key tables per mode, below the widgets and
# views that draw and read keys.
libpayops_a_SOURCES += \
	term/term.h term/term.c \
	term/commands.h term/commands.c \
	term/keymap.h term/keymap.c
