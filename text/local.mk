# SPDX-License-Identifier: ISC (see COPYING)
# text: sanitising, measuring and formatting every string shown
libpayops_a_SOURCES += text/glyph.h text/utf8.c text/sanitize.c text/fit.c \
	text/money.c text/time.c
