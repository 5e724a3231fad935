# term: the terminal (curses setup, colour roles, size, the per-frame flush)
# and the key table, below the widgets and views that draw and read keys.
libpayops_a_SOURCES += \
	term/term.h term/term.c \
	term/keymap.h term/keymap.c
