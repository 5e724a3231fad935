# SPDX-License-Identifier: ISC (see COPYING)
# base: the floor every other layer stands on: the event loop and its clock,
# retry backoff, and the small utilities used everywhere. It includes nothing
# of the project's but itself.
libpayops_a_SOURCES += \
	base/ev.h base/ev.c \
	base/clock.h base/clock.c \
	base/backoff.h base/backoff.c \
	base/i18n.h base/i18n.c \
	base/vec.h base/vec.c \
	base/strbuf.h base/strbuf.c \
	base/utf8.h base/utf8.c \
	base/duration.h base/duration.c
