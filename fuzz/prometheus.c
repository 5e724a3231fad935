/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/prometheus.c: libFuzzer target for what a Prometheus HTTP API
 * answers (/api/v1/query, /api/v1/query_range), and its sample values.
 *
 * Every decoded channel must be a non-empty valid UTF-8 string, the vector
 * sorted with each channel once, the messages terminated in their buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/prom.h"
#include "text/text.h"

static void check_str(const char *s)
{
	if (!s || !*s || !text_utf8_valid(s, strlen(s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *label = data[0] & 1 ? "route" : "channel";
	const char *body = (const char *)data + 1;
	size_t len = size - 1;

	pm_answer a;
	int rc = pm_decode(body, len, label, &a);
	if (!memchr(a.error, '\0', sizeof a.error) ||
	    !memchr(a.error_type, '\0', sizeof a.error_type))
		abort();
	if (rc == 0 && a.ok) {
		for (size_t i = 0; i < a.n; i++) {
			check_str(a.s[i].channel);
			if (i && strcmp(a.s[i - 1].channel, a.s[i].channel) >= 0)
				abort();
			if (pm_answer_find(&a, a.s[i].channel) != &a.s[i])
				abort();
		}
		for (size_t i = 0; i < a.n_ser; i++) {
			check_str(a.ser[i].channel);
			if (a.ser[i].n && (!a.ser[i].t || !a.ser[i].v))
				abort();
		}
	}
	pm_answer_free(&a);

	/* the value grammar on its own, NUL-terminated */
	char v[64];
	size_t n = len < sizeof v - 1 ? len : sizeof v - 1;
	memcpy(v, body, n);
	v[n] = '\0';
	double d;
	(void)pm_parse_value(v, &d);
	return 0;
}
