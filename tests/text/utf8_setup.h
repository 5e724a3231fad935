/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/text/utf8_setup.h: the group setup of the text tests: a UTF-8
 * locale (the tests compare display widths) and Unicode output. */
#ifndef PAYOPS_TESTS_TEXT_UTF8_SETUP_H
#define PAYOPS_TESTS_TEXT_UTF8_SETUP_H

#include <locale.h>

#include "text/text.h"

static inline int utf8_setup(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return -1;
	text_set_ascii(false);
	return 0;
}

#endif
