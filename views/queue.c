/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/queue.c: SLA, totals, the typed limit, paging, markers and marks
 * of the work-queue panes (views/queue.h); their filter language is in
 * views/queue_filter.c. */
#include "views/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "text/text.h"

/* ---- words ---- */

#define WORD(fn, type, names, unknown)                                     \
	const char *fn(type v)                                             \
	{                                                                  \
		return (unsigned)v < (unsigned)(unknown) ? (names)[v] : NULL; \
	}

WORD(queue_break_type_word, api_break_type, api_break_type_names, BT_UNKNOWN)
WORD(queue_break_status_word, api_break_status, api_break_status_names, BS_UNKNOWN)
WORD(queue_severity_word, api_severity, api_severity_names, SEV_UNKNOWN)
WORD(queue_risk_word, api_risk, api_risk_names, RISK_UNKNOWN)
WORD(queue_limit_state_word, api_limit_state, api_limit_state_names, LS_UNKNOWN)
WORD(queue_scope_word, api_limit_scope, api_limit_scope_names, SCOPE_UNKNOWN)
WORD(queue_period_word, api_period, api_period_names, PERIOD_UNKNOWN)

/* ---- SLA ---- */

#define SLA_RISK_MIN_S 3600

bool queue_case_final(api_stage s)
{
	return s == STAGE_APPROVED || s == STAGE_REJECTED;
}

queue_sla queue_sla_state(time_t submitted, time_t due, time_t now, bool final)
{
	if (final || due == 0)
		return QUEUE_SLA_NONE;
	if (now >= due)
		return QUEUE_SLA_BREACHED;
	int64_t left = (int64_t)due - (int64_t)now;
	int64_t span = submitted && due > submitted ? (int64_t)due - (int64_t)submitted : 0;
	int64_t risk = span / 4;
	if (risk < SLA_RISK_MIN_S)
		risk = SLA_RISK_MIN_S;
	return left <= risk ? QUEUE_SLA_AT_RISK : QUEUE_SLA_OK;
}

int queue_sla_text(char *out, size_t sz, queue_sla s, time_t due, time_t now)
{
	char age[32];
	int64_t d = (int64_t)due - (int64_t)now;
	time_format_age(d < 0 ? -d : d, age, sizeof age);
	switch (s) {
	case QUEUE_SLA_BREACHED:
		snprintf(out, sz, _("x BREACHED %s ago"), age);
		return ROLE_CRIT;
	case QUEUE_SLA_AT_RISK:
		snprintf(out, sz, _("! at risk %s left"), age);
		return ROLE_WARN;
	case QUEUE_SLA_OK:
		snprintf(out, sz, _("%s left"), age);
		return ROLE_NORMAL;
	default:
		snprintf(out, sz, "%s", _("- done"));
		return ROLE_DIM;
	}
}

/* ---- recon totals ---- */

void queue_recon_total(const api_recon_summary *s, queue_recon_totals *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; s && i < s->n_channels; i++) {
		const api_recon_channel *c = &s->channels[i];
		t->channels++;
		if (c->matched_count >= 0)
			t->matched += c->matched_count;
		else
			t->matched_unknown++;
		if (c->break_count > 0)
			t->breaks += c->break_count;
		if (c->open_count > 0)
			t->open += c->open_count;
		t->net_minor += c->net_difference_minor;
		if (!c->currency[0])
			continue;
		if (!t->currency[0] && !t->mixed_currency)
			snprintf(t->currency, sizeof t->currency, "%s", c->currency);
		else if (strcmp(t->currency, c->currency) != 0) {
			t->mixed_currency = true;
			t->currency[0] = '\0';
		}
	}
}

/* ---- limits ---- */

int queue_parse_limit(const char *s, int64_t old, const char *currency,
		      int64_t *out)
{
	while (s && (*s == ' ' || *s == '\t'))
		s++;
	if (!s || !*s)
		return -1;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", s);
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	int sign = buf[0] == '+' ? 1 : buf[0] == '-' ? -1 : 0;
	int64_t v;
	if (len && buf[len - 1] == '%') {
		/* a change in percent of the old limit: hundredths of a
		 * percent, rounded half away from zero to the minor unit */
		if (!sign)
			return -1;
		buf[len - 1] = '\0';
		int64_t bp; /* the percentage in hundredths, as an amount with 2 decimals */
		if (money_parse(buf + 1, NULL, &bp) != 0 || bp < 0)
			return -1;
		__int128 d = (__int128)old * bp;
		d = (d + 5000) / 10000;
		__int128 nv = (__int128)old + sign * d;
		if (nv <= 0 || nv > INT64_MAX)
			return -1;
		*out = (int64_t)nv;
		return 0;
	}
	if (money_parse(sign ? buf + 1 : buf, currency, &v) != 0 || v < 0)
		return -1;
	if (sign) {
		__int128 nv = (__int128)old + sign * (__int128)v;
		if (nv <= 0 || nv > INT64_MAX)
			return -1;
		v = (int64_t)nv;
	}
	if (v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* ---- the window ---- */

void queue_win_init(queue_win *w, size_t elem, void (*free_elem)(void *))
{
	memset(w, 0, sizeof *w);
	w->elem = elem;
	w->free_elem = free_elem;
}

void queue_win_clear(queue_win *w)
{
	for (size_t i = 0; i < w->n; i++)
		w->free_elem(w->rows + i * w->elem);
	w->n = 0;
	w->off = 0;
	w->valid = false;
}

void queue_win_free(queue_win *w)
{
	queue_win_clear(w);
	free(w->rows);
	w->rows = NULL;
	w->cap = 0;
}

int queue_win_push(queue_win *w, void *obj)
{
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 64;
		char *r = realloc(w->rows, nc * w->elem);
		if (!r) {
			w->free_elem(obj);
			return -1;
		}
		w->rows = r;
		w->cap = nc;
	}
	memcpy(w->rows + w->n * w->elem, obj, w->elem);
	memset(obj, 0, w->elem);
	w->n++;
	return 0;
}

void *queue_win_at(const queue_win *w, size_t i)
{
	if (!w->valid || i < w->off || i >= w->off + w->n)
		return NULL;
	return w->rows + (i - w->off) * w->elem;
}

/* ---- changed markers ---- */

void queue_seen_note(queue_seen *s, const char *id, int64_t version, time_t now)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].id, id) == 0) {
			if (s->e[i].version != version) {
				s->e[i].version = version;
				s->e[i].changed_at = now;
			}
			return;
		}
	size_t i = s->n < QUEUE_SEEN_MAX ? s->n++ : s->next;
	s->next = (i + 1) % QUEUE_SEEN_MAX;
	snprintf(s->e[i].id, sizeof s->e[i].id, "%s", id);
	s->e[i].version = version;
	s->e[i].changed_at = 0;
}

bool queue_seen_changed(const queue_seen *s, const char *id, time_t now)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].id, id) == 0)
			return s->e[i].changed_at && now - s->e[i].changed_at < QUEUE_CHANGED_S;
	return false;
}

long queue_seen_due_ms(const queue_seen *s, time_t now)
{
	long best = -1;
	for (size_t i = 0; i < s->n; i++) {
		time_t t = s->e[i].changed_at;
		if (t && now - t < QUEUE_CHANGED_S) {
			long ms = (long)(t + QUEUE_CHANGED_S - now) * 1000;
			if (best < 0 || ms < best)
				best = ms;
		}
	}
	return best;
}

/* ---- marks ---- */

bool queue_marks_has(const queue_marks *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->ids[i], id) == 0)
			return true;
	return false;
}

bool queue_marks_toggle(queue_marks *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->ids[i], id) == 0) {
			free(m->ids[i]);
			m->ids[i] = m->ids[--m->n];
			return false;
		}
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		char **r = realloc(m->ids, nc * sizeof *r);
		if (!r)
			return false;
		m->ids = r;
		m->cap = nc;
	}
	char *c = strdup(id);
	if (!c)
		return false;
	m->ids[m->n++] = c;
	return true;
}

void queue_marks_clear(queue_marks *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->ids[i]);
	free(m->ids);
	memset(m, 0, sizeof *m);
}
