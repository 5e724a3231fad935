/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/sse.c: incremental Server-Sent Events parser, after the WHATWG
 * "event stream interpretation" rules.
 *
 * Memory is bounded: the current line and the event being assembled never
 * grow past max_event bytes. A longer event is dropped whole (counted) and
 * the parser resyncs at the next blank line. Buffers grow by doubling, so a
 * byte-at-a-time feed does not allocate per byte. */
#include "net/sse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

typedef struct {
	char *p;
	size_t len, cap;
} buf;

struct sse_parser {
	sse_callbacks cb;
	size_t max_event;

	buf line;        /* the current line, without its terminator */
	buf data;        /* data lines so far, each followed by "\n" */
	buf event;       /* the event type buffer */
	buf id_pending;  /* the last event ID buffer */
	buf last_id;     /* the last event ID string, committed on dispatch */

	size_t bom_seen; /* bytes of a leading BOM matched so far */
	bool bom_done;
	bool after_cr;   /* the previous byte was CR: swallow one LF */
	bool line_over;  /* the current line exceeded max_event */
	bool dropping;   /* this event exceeded max_event: skip to blank line */
	size_t dropped;
};

/* Ensure room for `need` bytes plus a NUL, without exceeding limit + 1. */
static bool buf_reserve(buf *b, size_t need, size_t limit)
{
	size_t cap;
	char *n;

	if (need + 1 <= b->cap)
		return true;
	if (need > limit)
		return false;
	cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	if (cap > limit + 1)
		cap = limit + 1;
	n = realloc(b->p, cap);
	if (!n)
		return false;
	b->p = n;
	b->cap = cap;
	return true;
}

static bool buf_set(buf *b, const char *s, size_t n, size_t limit)
{
	if (!buf_reserve(b, n, limit))
		return false;
	if (n)
		memcpy(b->p, s, n);
	b->len = n;
	b->p[n] = '\0';
	return true;
}

static bool buf_add(buf *b, const char *s, size_t n, size_t limit)
{
	if (b->len + n < n || !buf_reserve(b, b->len + n, limit))
		return false;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

static const char *buf_str(const buf *b)
{
	return b->p ? b->p : "";
}

sse_parser *sse_new(const sse_callbacks *cb, size_t max_event)
{
	sse_parser *p;

	if (!cb || !cb->on_event || max_event == 0)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->cb = *cb;
	p->max_event = max_event;
	return p;
}

void sse_free(sse_parser *p)
{
	if (!p)
		return;
	free(p->line.p);
	free(p->data.p);
	free(p->event.p);
	free(p->id_pending.p);
	free(p->last_id.p);
	free(p);
}

const char *sse_last_id(const sse_parser *p)
{
	return buf_str(&p->last_id);
}

size_t sse_dropped(const sse_parser *p)
{
	return p->dropped;
}

static void clear_event(sse_parser *p)
{
	p->data.len = 0;
	p->event.len = 0;
	p->dropping = false;
}

void sse_reset(sse_parser *p)
{
	clear_event(p);
	p->line.len = 0;
	p->line_over = false;
	p->after_cr = false;
	p->bom_seen = 0;
	p->bom_done = false;
	/* an id field of the interrupted event does not count */
	buf_set(&p->id_pending, buf_str(&p->last_id), p->last_id.len, p->max_event);
}

static void drop_event(sse_parser *p)
{
	p->dropping = true;
	p->data.len = 0;
	p->event.len = 0;
}

static void dispatch(sse_parser *p)
{
	sse_event ev;

	if (p->dropping) {
		p->dropped++;
		clear_event(p);
		return;
	}
	buf_set(&p->last_id, buf_str(&p->id_pending), p->id_pending.len,
		p->max_event);
	if (p->data.len == 0) {
		clear_event(p);
		return;
	}
	p->data.len--; /* the last "\n" */
	p->data.p[p->data.len] = '\0';
	ev.id = buf_str(&p->last_id);
	ev.event = p->event.len ? p->event.p : "message";
	ev.data = p->data.p;
	ev.data_len = p->data.len;
	p->cb.on_event(p->cb.ctx, &ev);
	clear_event(p);
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void process_line(sse_parser *p)
{
	const char *l = buf_str(&p->line);
	size_t n = p->line.len;
	const char *colon, *value;
	size_t name_len, value_len;

	if (p->line_over) {
		p->line_over = false;
		p->line.len = 0;
		drop_event(p);
		return;
	}
	if (n == 0) {
		dispatch(p);
		return;
	}
	if (l[0] == ':') {
		if (p->cb.on_comment && !p->dropping) {
			const char *t = l + 1;

			if (*t == ' ')
				t++;
			p->cb.on_comment(p->cb.ctx, t);
		}
		return;
	}
	if (p->dropping)
		return;
	colon = memchr(l, ':', n);
	if (colon) {
		name_len = (size_t)(colon - l);
		value = colon + 1;
		value_len = n - name_len - 1;
		if (value_len && *value == ' ') {
			value++;
			value_len--;
		}
	} else {
		name_len = n;
		value = "";
		value_len = 0;
	}
#define FIELD(s) (name_len == sizeof(s) - 1 && memcmp(l, s, name_len) == 0)
	if (FIELD("data")) {
		if (p->data.len + p->event.len + value_len + 1 > p->max_event ||
		    !buf_add(&p->data, value, value_len, p->max_event) ||
		    !buf_add(&p->data, "\n", 1, p->max_event))
			drop_event(p);
	} else if (FIELD("event")) {
		if (!buf_set(&p->event, value, value_len, p->max_event))
			drop_event(p);
	} else if (FIELD("id")) {
		if (!memchr(value, '\0', value_len))
			buf_set(&p->id_pending, value, value_len, p->max_event);
	} else if (FIELD("retry")) {
		if (all_digits(value, value_len) && p->cb.on_retry) {
			long ms = 0;

			for (size_t i = 0; i < value_len; i++) {
				if (ms > (1L << 40))
					break; /* absurd: clamp rather than overflow */
				ms = ms * 10 + (value[i] - '0');
			}
			p->cb.on_retry(p->cb.ctx, ms);
		}
	}
	/* any other field is ignored */
#undef FIELD
}

static void feed_byte_run(sse_parser *p, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i];

		if (p->after_cr) {
			p->after_cr = false;
			if (c == '\n') {
				i++;
				continue;
			}
		}
		if (c == '\r' || c == '\n') {
			p->after_cr = c == '\r';
			process_line(p);
			p->line.len = 0;
			i++;
			continue;
		}
		/* copy the run of ordinary bytes up to the next terminator */
		{
			size_t j = i;

			while (j < n && s[j] != '\r' && s[j] != '\n')
				j++;
			if (!p->line_over &&
			    !buf_add(&p->line, s + i, j - i, p->max_event)) {
				p->line_over = true;
				p->line.len = 0;
			}
			i = j;
		}
	}
}

void sse_feed(sse_parser *p, const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;

	while (!p->bom_done && len > 0) {
		if (u[0] == bom[p->bom_seen]) {
			p->bom_seen++;
			u++;
			data++;
			len--;
			if (p->bom_seen == sizeof(bom))
				p->bom_done = true;
			continue;
		}
		/* not a BOM: replay what looked like one, then go on */
		p->bom_done = true;
		if (p->bom_seen)
			feed_byte_run(p, (const char *)bom, p->bom_seen);
	}
	if (len)
		feed_byte_run(p, data, len);
}
