/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/config/capture.h: what a config writer (cfg_dump, cfg_paths) writes,
 * as text the config tests can compare. Include after cmocka.h. */
#ifndef PAYOPS_TESTS_CONFIG_CAPTURE_H
#define PAYOPS_TESTS_CONFIG_CAPTURE_H

#include <stdio.h>

#include "config/config.h"

/* What fn writes of c, as a malloc'd string the caller frees. */
static inline char *cfg_capture(void (*fn)(const cfg_config *, FILE *), const cfg_config *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	assert_non_null(m);
	fn(c, m);
	assert_int_equal(fclose(m), 0);
	return text;
}

#endif
