/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/query_text.c: how a pane's text filter is answered, from the
 * trigram index or row by row.
 *
 * The trigram index finds a rare string (an order number, a merchant id)
 * among a million rows in milliseconds; a common one ("op.", the start of
 * every assignee) names hundreds of thousands of candidates, each to be
 * read and checked, and reading the sort's own index row by row finds a
 * page of those sooner.
 *
 * Asking the index for LIKE '%x%' itself reads the whole list of every
 * trigram in x, and in an order number most are in every row ("P20",
 * "202", "026"): 80 ms at a million for one row found. So each trigram's
 * list is counted up to TEXT_COMMON_MIN entries (a bounded read), and the
 * index is asked only for the rarest few, ANDed: their lists are short,
 * the candidates fewer than the rarest's count, and the LIKE that follows
 * keeps exactly the matches. When even the rarest trigram is common, so
 * is the text. The index is not used while a bulk load has it out of step
 * (cache/bulk.c), nor for a text shorter than three characters. */
#include "cache/query_int.h"

#include <stdio.h>
#include <string.h>

#define TEXT_COMMON_MIN 20000
#define TEXT_PROBES 24  /* trigrams counted at most, spread over the text */
#define TEXT_ANDED 3    /* the rarest, asked of the index together */


/* The byte length of the UTF-8 character at p (1 for a stray byte). */
static size_t u8_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* How many rows hold trigram t (len bytes), counted up to the cap. */
static int64_t trigram_rows(sqlite3_stmt *st, const char *t, size_t len)
{
	char term[32];
	size_t o = 0;
	term[o++] = '"';
	for (size_t i = 0; i < len && o + 3 < sizeof term; i++) {
		if (t[i] == '"')
			term[o++] = '"'; /* a quote inside a string is doubled */
		term[o++] = t[i];
	}
	term[o++] = '"';
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, term, (int)o, SQLITE_TRANSIENT);
	return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : TEXT_COMMON_MIN;
}

static int text_probe(cache *c, const cache_kind_desc *k, const char *text, cache_qb *q)
{
	/* the text as the LIKE sees it: no control characters */
	char clean[256];
	size_t cl = 0, starts[256], nch = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && cl + 4 < sizeof clean;) {
		size_t n = u8_len(p);
		if (*p >= 0x20) {
			starts[nch++] = cl;
			memcpy(clean + cl, p, n);
			cl += n;
		}
		p += n;
	}
	clean[cl] = '\0';
	if (nch < 3)
		return CACHE_TEXT_COMMON;
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s MATCH ?1 LIMIT %d)",
		 k->fts, k->fts, TEXT_COMMON_MIN);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return CACHE_TEXT_COMMON;
	size_t ntri = nch - 2, step = ntri > TEXT_PROBES ? (ntri + TEXT_PROBES - 1) / TEXT_PROBES : 1;
	struct { size_t at, len; int64_t rows; } best[TEXT_ANDED];
	int nb = 0;
	for (size_t i = 0; i < ntri; i += step) {
		size_t at = starts[i], len = (i + 3 < nch ? starts[i + 3] : cl) - at;
		bool seen = false;
		for (int b = 0; b < nb; b++)
			seen |= best[b].len == len && memcmp(clean + best[b].at, clean + at, len) == 0;
		if (seen)
			continue;
		int64_t rows = trigram_rows(st, clean + at, len);
		/* keep the TEXT_ANDED rarest, rarest first */
		int pos = nb;
		while (pos > 0 && best[pos - 1].rows > rows)
			pos--;
		if (pos >= TEXT_ANDED)
			continue;
		if (nb < TEXT_ANDED)
			nb++;
		memmove(&best[pos + 1], &best[pos], (size_t)(nb - 1 - pos) * sizeof best[0]);
		best[pos].at = at;
		best[pos].len = len;
		best[pos].rows = rows;
	}
	sqlite3_finalize(st);
	if (nb == 0 || best[0].rows >= TEXT_COMMON_MIN)
		return CACHE_TEXT_COMMON;
	size_t o = 0;
	for (int b = 0; b < nb && best[b].rows < TEXT_COMMON_MIN; b++) {
		if (b > 0 && o + 5 < sizeof q->ftsmatch) {
			memcpy(q->ftsmatch + o, " AND ", 5);
			o += 5;
		}
		if (o + 2 * best[b].len + 3 >= sizeof q->ftsmatch)
			break;
		q->ftsmatch[o++] = '"';
		for (size_t i = 0; i < best[b].len; i++) {
			if (clean[best[b].at + i] == '"')
				q->ftsmatch[o++] = '"';
			q->ftsmatch[o++] = clean[best[b].at + i];
		}
		q->ftsmatch[o++] = '"';
	}
	q->ftsmatch[o] = '\0';
	q->fts = k->fts;
	return CACHE_TEXT_RARE;
}

/* text_probe, remembered for the last text asked: a pane's reload asks
 * for the count and then a page of the same filter, and the probes (one
 * index read per trigram) are the same both times. Which way a text is
 * answered only decides speed, never the rows, so the answer may be kept
 * while the data moves on. */
int cache_text_plan(cache *c, const cache_kind_desc *k, const void *f, cache_qb *q)
{
	const char *text = f && k->text ? k->text(f) : NULL;
	if (!text || !*text)
		return CACHE_TEXT_NONE;
	if (c->bulk[k->kind])
		return CACHE_TEXT_COMMON;
	cache_text_memo *m = &c->text_memo;
	size_t len = strlen(text);
	if (m->kind == (int)k->kind && len < sizeof m->text && strcmp(m->text, text) == 0) {
		if (m->plan == CACHE_TEXT_RARE) {
			snprintf(q->ftsmatch, sizeof q->ftsmatch, "%s", m->match);
			q->fts = k->fts;
		}
		return m->plan;
	}
	int plan = text_probe(c, k, text, q);
	if (len < sizeof m->text) {
		m->kind = (int)k->kind;
		memcpy(m->text, text, len + 1);
		m->plan = plan;
		snprintf(m->match, sizeof m->match, "%s", plan == CACHE_TEXT_RARE ? q->ftsmatch : "");
	}
	return plan;
}
