/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/config.c: payops.yaml parsing (libyaml tree, schema walk, dump) with
 * arbitrary bytes. Leaks and out-of-bounds reads are what this hunts. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");

	cfg_config c;
	cfg_errors e = { 0 };
	int rc = cfg_load_buffer("fuzz.yaml", (const char *)data, size, &c, &e);
	/* every failure carries a message, and every message its file name */
	if ((rc != 0) != (e.n > 0))
		abort();
	for (size_t i = 0; i < e.n; i++)
		if (strncmp(e.msgs[i], "fuzz.yaml:", 10) != 0)
			abort();
	if (sink) {
		cfg_dump(&c, sink);
		cfg_paths(&c, sink);
	}
	cfg_free(&c);
	cfg_errors_free(&e);

	/* the duration grammar on its own, from a terminated copy */
	if (size <= 64) {
		char s[65];
		memcpy(s, data, size);
		s[size] = '\0';
		long ms = cfg_parse_duration_ms(s);
		if (ms < -1)
			abort();
	}
	return 0;
}
