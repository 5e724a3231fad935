/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/errors.c: collecting "FILE:LINE:COL: message" for every problem,
 * handed over sorted by position so the report reads like the file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "base/i18n.h"

static void hold(cfg_report *r, int line, int col, const char *msg)
{
	r->count++;
	if (r->npend >= CFG_MAX_ERRORS)
		return; /* counted; cfg_report_finish says how many more */
	cfg_pending *p = realloc(r->pend, (r->npend + 1) * sizeof *p);
	if (!p)
		return;
	r->pend = p;
	char *copy = strdup(msg);
	if (!copy)
		return;
	size_t seq = r->npend++;
	p[seq] = (cfg_pending){ line, col, seq, copy };
}

static void vreport(cfg_report *r, int line, int col, const char *prefix,
		    const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static void vreport(cfg_report *r, int line, int col, const char *prefix,
		    const char *fmt, va_list ap)
{
	char body[512], text[1024];
	vsnprintf(body, sizeof body, fmt, ap);
	snprintf(text, sizeof text, "%s%s", prefix, body);
	hold(r, line, col, text);
}

void cfg_err_at(cfg_report *r, int line, int col, const char *fmt, ...)
{
	char prefix[512], name[400];
	snprintf(prefix, sizeof prefix, "%s:%d:%d: ",
		 cfg_show(r->file ? r->file : "(config)", name, sizeof name),
		 line, col);
	va_list ap;
	va_start(ap, fmt);
	vreport(r, line, col, prefix, fmt, ap);
	va_end(ap);
}

void cfg_err_plain(cfg_report *r, const char *fmt, ...)
{
	char prefix[512], name[400];
	snprintf(prefix, sizeof prefix, "%s: ",
		 cfg_show(r->file ? r->file : "(config)", name, sizeof name));
	va_list ap;
	va_start(ap, fmt);
	vreport(r, 0, 0, prefix, fmt, ap);
	va_end(ap);
}

static int by_position(const void *a, const void *b)
{
	const cfg_pending *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The cut-off line: after the sorted ones, with the file's name like every
 * other line, and how many were left unsaid. */
static void hold_cutoff(cfg_report *r)
{
	size_t more = r->count - r->npend;
	cfg_pending *p = realloc(r->pend, (r->npend + 1) * sizeof *p);
	if (!p)
		return;
	r->pend = p;
	char text[768], body[256], name[400];
	snprintf(body, sizeof body, _("too many errors; %zu more not reported"),
		 more);
	snprintf(text, sizeof text, "%s: %s",
		 cfg_show(r->file ? r->file : "(config)", name, sizeof name),
		 body);
	char *copy = strdup(text);
	if (!copy)
		return;
	p[r->npend] = (cfg_pending){ 0, 0, r->npend, copy };
	r->npend++;
}

void cfg_report_finish(cfg_report *r)
{
	if (r->npend > 1)
		qsort(r->pend, r->npend, sizeof *r->pend, by_position);
	if (r->count > r->npend)
		hold_cutoff(r);
	cfg_errors *e = r->errs;
	size_t i = 0;
	if (e && r->npend) {
		char **m = realloc(e->msgs, (e->n + r->npend) * sizeof *m);
		if (m) {
			e->msgs = m;
			for (; i < r->npend; i++)
				e->msgs[e->n++] = r->pend[i].msg;
		}
	}
	for (; i < r->npend; i++)
		free(r->pend[i].msg);
	free(r->pend);
	r->pend = NULL;
	r->npend = 0;
}

const char *cfg_show(const char *s, char *buf, size_t bufsz)
{
	if (bufsz < 8) {
		if (bufsz)
			buf[0] = '\0';
		return buf;
	}
	size_t o = 0;
	bool cut = false;
	for (size_t i = 0; s[i]; i++) {
		if (o == bufsz - 1) {
			cut = true;
			break;
		}
		unsigned char ch = (unsigned char)s[i];
		buf[o++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	buf[o] = '\0';
	if (cut) {
		size_t at = bufsz - 4;
		/* do not leave half a UTF-8 sequence before the dots */
		while (at > 0 && ((unsigned char)buf[at] & 0xc0) == 0x80)
			at--;
		memcpy(buf + at, "...", 4);
	}
	return buf;
}

void cfg_errors_free(cfg_errors *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->msgs[i]);
	free(e->msgs);
	e->msgs = NULL;
	e->n = 0;
}
