/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/filter.c: libFuzzer target for the filter language of the queue
 * panes (Onboarding, Recon, Limits), typed at `/` or given on the command
 * line (queue_filter_parse).
 *
 * The first byte picks the queue kind; the rest is the text. Whatever the
 * text, the parse must end with its strings terminated inside their
 * buffers, a reason on failure, and the cache filters built from the
 * result must be well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "views/queue.h"

static void check_buf(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	queue_filter f;
	char err[256];
	char *text;
	queue_kind k;

	if (size < 1)
		return 0;
	k = (queue_kind)(data[0] % 3);
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(err, 'x', sizeof err);
	if (queue_filter_parse(k, text, &f, err, sizeof err) != 0) {
		check_buf(err, sizeof err);
		if (!err[0])
			abort(); /* a failure says why */
	}
	check_buf(f.recon_date, sizeof f.recon_date);
	check_buf(f.channel, sizeof f.channel);
	check_buf(f.assignee, sizeof f.assignee);
	check_buf(f.text, sizeof f.text);
	switch (k) {
	case QUEUE_BREAKS: {
		cache_break_filter b;
		queue_filter_breaks(&f, &b);
		break;
	}
	case QUEUE_CASES: {
		cache_case_filter c;
		queue_filter_cases(&f, &c);
		break;
	}
	case QUEUE_LIMITS: {
		cache_limit_filter l;
		queue_filter_limits(&f, &l);
		break;
	}
	}
	free(text);
	return 0;
}
