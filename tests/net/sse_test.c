/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/net/sse_test.c: the SSE parser gives the same events however the
 * stream is cut into chunks, and follows the WHATWG field rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "net/sse.h"
#include "tests/lib/unit.h"

typedef struct {
	char s[8192];
	size_t n;
} logbuf;

static void log_add(logbuf *l, const char *tag, const char *text, size_t len)
{
	int k = snprintf(l->s + l->n, sizeof(l->s) - l->n, "%s", tag);

	assert_true(k > 0 && (size_t)k < sizeof(l->s) - l->n);
	l->n += (size_t)k;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		k = (c < 0x20 || c == '\\') ?
			snprintf(l->s + l->n, sizeof(l->s) - l->n, "\\x%02x", c) :
			snprintf(l->s + l->n, sizeof(l->s) - l->n, "%c", c);
		assert_true(k > 0 && (size_t)k < sizeof(l->s) - l->n);
		l->n += (size_t)k;
	}
	assert_true(l->n + 2 < sizeof(l->s));
	l->s[l->n++] = '\n';
	l->s[l->n] = '\0';
}

static void on_event(void *ctx, const sse_event *ev)
{
	logbuf *l = ctx;
	char head[256];

	assert_int_equal(strlen(ev->data), ev->data_len);
	snprintf(head, sizeof(head), "E:%s|%s|", ev->id, ev->event);
	log_add(l, head, ev->data, ev->data_len);
}

static void on_comment(void *ctx, const char *text)
{
	log_add(ctx, "C:", text, strlen(text));
}

static void on_retry(void *ctx, long ms)
{
	char t[32];

	snprintf(t, sizeof(t), "R:%ld", ms);
	log_add(ctx, t, "", 0);
}

static sse_parser *new_parser(logbuf *l, size_t max)
{
	sse_callbacks cb = {on_event, on_comment, on_retry, l};
	sse_parser *p;

	memset(l, 0, sizeof(*l));
	p = sse_new(&cb, max);
	assert_non_null(p);
	return p;
}

/* Every rule in one stream; oversize is the 100-byte data line (max 64). */
static const char stream[] =
	"\xEF\xBB\xBF: hello\r\n"
	"retry: 3000\n"
	"\n"
	"id: 1\r\n"
	"event: channel\r\n"
	"data: {\"a\":1}\r\n"
	"\r\n"
	"data:line1\r"
	"data:  line2\r"
	"data\r"
	"\r"
	": ping\n"
	"id: 2\n"
	"unknown: x\n"
	"data\n"
	"\n"
	"id: bad\0id\n"
	"data: x\n"
	"\n"
	"retry: 12a\n"
	"retry\n"
	"event: big\n"
	"data: 0123456789012345678901234567890123456789\n"
	"data: 0123456789012345678901234567890123456789\n"
	"id: 99\n"
	"\n"
	"data: after\n"
	"\n"
	"id\n"
	"data: noid\n"
	"\n"
	"data: no trailing blank line";

static const char expected[] =
	"C:hello\n"
	"R:3000\n"
	"E:1|channel|{\"a\":1}\n"
	"E:1|message|line1\\x0a line2\\x0a\n"
	"C:ping\n"
	"E:2|message|\n"
	"E:2|message|x\n"
	"E:2|message|after\n"
	"E:|message|noid\n";

static void run_split(logbuf *l, size_t cut, size_t *dropped, const char **last)
{
	static char last_id[64];
	sse_parser *p = new_parser(l, 64);
	size_t n = sizeof(stream) - 1;

	sse_feed(p, stream, cut);
	sse_feed(p, stream + cut, n - cut);
	*dropped = sse_dropped(p);
	snprintf(last_id, sizeof(last_id), "%s", sse_last_id(p));
	*last = last_id;
	sse_free(p);
}

static void whole_stream(void **state)
{
	logbuf l;
	size_t dropped;
	const char *last;

	(void)state;
	run_split(&l, sizeof(stream) - 1, &dropped, &last);
	assert_string_equal(l.s, expected);
	assert_int_equal(dropped, 1);
	assert_string_equal(last, "");
}

static void every_split_point(void **state)
{
	(void)state;
	for (size_t cut = 0; cut < sizeof(stream); cut++) {
		logbuf l;
		size_t dropped;
		const char *last;

		run_split(&l, cut, &dropped, &last);
		if (strcmp(l.s, expected) != 0)
			fail_msg("split at byte %zu:\n%s", cut, l.s);
		assert_int_equal(dropped, 1);
	}
}

static void single_bytes(void **state)
{
	logbuf l;
	sse_parser *p = new_parser(&l, 64);

	(void)state;
	for (size_t i = 0; i < sizeof(stream) - 1; i++)
		sse_feed(p, stream + i, 1);
	assert_string_equal(l.s, expected);
	assert_int_equal(sse_dropped(p), 1);
	sse_free(p);
}

static void crlf_split_between_chunks(void **state)
{
	logbuf l;
	sse_parser *p = new_parser(&l, 1024);

	(void)state;
	/* the LF after a chunk-final CR ends the same line, not a new one */
	sse_feed(p, "data: a\r", 8);
	sse_feed(p, "\ndata: b\r", 9);
	sse_feed(p, "\n\r", 2);
	sse_feed(p, "\n", 1);
	assert_string_equal(l.s, "E:|message|a\\x0ab\n");
	sse_free(p);
}

static void multiline_and_id_persistence(void **state)
{
	logbuf l;
	sse_parser *p = new_parser(&l, 1024);
	const char *s =
		"id: 7\nevent: route\ndata: one\ndata: two\ndata: three\n\n"
		"data: later\n\n"
		"id: 8\n\n"; /* an id alone moves the last id, no event */

	(void)state;
	sse_feed(p, s, strlen(s));
	assert_string_equal(l.s,
		"E:7|route|one\\x0atwo\\x0athree\n"
		"E:7|message|later\n");
	assert_string_equal(sse_last_id(p), "8");
	sse_free(p);
}

static void oversize_line_then_resync(void **state)
{
	logbuf l;
	sse_parser *p = new_parser(&l, 32);
	char big[200];

	(void)state;
	memset(big, 'z', sizeof(big));
	sse_feed(p, "id: 1\ndata: ", 12);
	sse_feed(p, big, sizeof(big));        /* one line longer than max */
	sse_feed(p, "\ndata: more\n\n", 13);  /* rest of the dropped event */
	sse_feed(p, "data: ok\n\n", 10);
	assert_string_equal(l.s, "E:1|message|ok\n");
	assert_int_equal(sse_dropped(p), 1);
	sse_free(p);
}

static void reset_drops_partial_event(void **state)
{
	logbuf l;
	sse_parser *p = new_parser(&l, 1024);

	(void)state;
	sse_feed(p, "id: 4\ndata: whole\n\n", 19);
	sse_feed(p, "id: 5\ndata: part", 16);
	sse_reset(p);
	assert_string_equal(sse_last_id(p), "4");
	/* a new connection may start with a BOM again */
	sse_feed(p, "\xEF\xBB\xBF" "data: new\n\n", 14);
	assert_string_equal(l.s, "E:4|message|whole\nE:4|message|new\n");
	sse_free(p);
}

static void bom_only_at_start(void **state)
{
	logbuf l;
	sse_parser *p = new_parser(&l, 1024);

	(void)state;
	/* a second BOM is part of the field name: an unknown field */
	sse_feed(p, "\xEF\xBB", 2);
	sse_feed(p, "\xBF\xEF\xBB\xBF" "data: x\n\ndata: y\n\n", 22);
	assert_string_equal(l.s, "E:|message|y\n");
	sse_free(p);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(whole_stream),
	cmocka_unit_test(every_split_point),
	cmocka_unit_test(single_bytes),
	cmocka_unit_test(crlf_split_between_chunks),
	cmocka_unit_test(multiline_and_id_persistence),
	cmocka_unit_test(oversize_line_then_resync),
	cmocka_unit_test(reset_drops_partial_event),
	cmocka_unit_test(bom_only_at_start))
