/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/headline.c: the queues' headlines (open cases and those past their
 * SLA, active breaks and their net difference by severity, limits in
 * warning and breached), counted from the cache and kept over time in
 * queue_headlines, a row every few minutes for a week. */
#include <sqlite3.h>
#include <string.h>

#include "cache/cache_int.h"

#define KEEP_S (7 * 24 * 3600)

int cache_headline_now(cache *c, time_t now, cache_headline *out)
{
	cache_headline h = { .at = now };
	cache_case_filter cf = { .stages = API_STAGES_OPEN };
	if (cache_count_cases(c, &cf, now, &h.cases_open, &h.cases_past_sla) != 0)
		return -1;
	for (int s = SEV_LOW; s <= SEV_HIGH; s++) {
		cache_break_filter bf = { .statuses = API_BREAKS_ACTIVE, .severities = 1u << s };
		if (cache_count_breaks(c, &bf, &h.breaks[s], &h.breaks_net_minor[s]) != 0)
			return -1;
	}
	cache_limit_filter lf = { 0 };
	cache_limit_counts lc;
	if (cache_count_limits_by_state(c, &lf, &lc) != 0)
		return -1;
	h.limits_warning = lc.warning;
	h.limits_breached = lc.breached;
	*out = h;
	return 0;
}

#define COLS "at, cases_open, cases_past_sla, breaks_low, breaks_low_net, breaks_medium," \
	     " breaks_medium_net, breaks_high, breaks_high_net, limits_warning, limits_breached"

int cache_headline_record(cache *c, const cache_headline *h)
{
	if (cache_building(c))
		return 1; /* the build holds the writer: the next sample will do */
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO queue_headlines (" COLS ")"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			       -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "record the queues' headlines");
	const int64_t v[] = { h->at, h->cases_open, h->cases_past_sla, h->breaks[SEV_LOW],
			      h->breaks_net_minor[SEV_LOW], h->breaks[SEV_MEDIUM],
			      h->breaks_net_minor[SEV_MEDIUM], h->breaks[SEV_HIGH],
			      h->breaks_net_minor[SEV_HIGH], h->limits_warning, h->limits_breached };
	for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
		sqlite3_bind_int64(st, i + 1, v[i]);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "record the queues' headlines");
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM queue_headlines WHERE at < %lld",
		 (long long)h->at - KEEP_S);
	return cache_exec(c, sql);
}

int cache_headline_at(cache *c, time_t t, cache_headline *out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT " COLS " FROM queue_headlines WHERE at <= ?1"
			       " ORDER BY at DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "read the queues' headlines");
	sqlite3_bind_int64(st, 1, t);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t *f[] = { NULL, &out->cases_open, &out->cases_past_sla, &out->breaks[SEV_LOW],
				 &out->breaks_net_minor[SEV_LOW], &out->breaks[SEV_MEDIUM],
				 &out->breaks_net_minor[SEV_MEDIUM], &out->breaks[SEV_HIGH],
				 &out->breaks_net_minor[SEV_HIGH], &out->limits_warning,
				 &out->limits_breached };
		out->at = (time_t)sqlite3_column_int64(st, 0);
		for (int i = 1; i < (int)(sizeof f / sizeof f[0]); i++)
			*f[i] = sqlite3_column_int64(st, i);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : cache_fail(c, "read the queues' headlines");
}
