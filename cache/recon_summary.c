/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/recon_summary.c: a recon date's summary per channel, added up from
 * the cached breaks, with what only the platform knows taken from its
 * cached /recon/summary. */
#include "cache/cache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cached /recon/summary of a date, decoded, or a zeroed one. */
static void stored_summary(cache *c, const char *date, api_recon_summary *out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT json FROM summaries WHERE date = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *txt = (const char *)sqlite3_column_text(st, 0);
		json_t *root = NULL;
		api_err err = {{0}};
		if (txt && api_parse(txt, (size_t)sqlite3_column_bytes(st, 0), &root, &err) == 0)
			api_decode_recon_summary(root, out, &err);
		json_decref(root);
	}
	sqlite3_finalize(st);
}

static int latest_date(cache *c, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(c->db, "SELECT max(recon_date) FROM breaks", -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "latest recon date");
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

static int by_channel_id(const void *a, const void *b)
{
	const api_recon_channel *x = *(const api_recon_channel *const *)a;
	const api_recon_channel *y = *(const api_recon_channel *const *)b;
	return strcmp(x->channel_id ? x->channel_id : "", y->channel_id ? y->channel_id : "");
}

/* The summary of a date from the cached breaks: counts and sums grouped
 * by channel from the index breaks_recon_date alone (300,000 breaks a
 * date: the rows' JSON is never read), the platform's own summary for what
 * only it knows (file status, matched count), and a channel's currency
 * from that summary, or else from one of its breaks. */
int cache_recon_summary(cache *c, const char *date, api_recon_summary *out)
{
	memset(out, 0, sizeof *out);
	char day[32];
	if (date)
		snprintf(day, sizeof day, "%s", date);
	else if (latest_date(c, day, sizeof day) != 0)
		return -1;
	if (!(out->date = strdup(day)))
		return -1;
	api_recon_summary stored = {0};
	stored_summary(c, day, &stored);
	const api_recon_channel **known = NULL;
	if (stored.n_channels && (known = malloc(stored.n_channels * sizeof *known))) {
		for (size_t i = 0; i < stored.n_channels; i++)
			known[i] = &stored.channels[i];
		qsort(known, stored.n_channels, sizeof *known, by_channel_id);
	}

	sqlite3_stmt *st = NULL, *cur_st = NULL;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT channel_id, count(*), coalesce(sum(status IN (?2, ?3, ?4)), 0),"
			       " coalesce(sum(difference_minor), 0)"
			       " FROM breaks WHERE recon_date = ?1 GROUP BY channel_id ORDER BY channel_id",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "SELECT currency FROM breaks"
			       " WHERE recon_date = ?1 AND channel_id = ?2 LIMIT 1",
			       -1, &cur_st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		free(known);
		api_recon_summary_free(&stored);
		api_recon_summary_free(out);
		return cache_fail(c, "recon summary");
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, BS_OPEN);
	sqlite3_bind_int(st, 3, BS_INVESTIGATING);
	sqlite3_bind_int(st, 4, BS_ESCALATED);
	sqlite3_bind_text(cur_st, 1, day, -1, SQLITE_TRANSIENT);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n_channels == cap) {
			size_t nc = cap ? cap * 2 : 16;
			api_recon_channel *g = realloc(out->channels, nc * sizeof *g);
			if (!g) {
				rc = SQLITE_NOMEM;
				break;
			}
			out->channels = g;
			cap = nc;
		}
		api_recon_channel *rc_ch = &out->channels[out->n_channels];
		memset(rc_ch, 0, sizeof *rc_ch);
		const char *ch = (const char *)sqlite3_column_text(st, 0);
		rc_ch->channel_id = strdup(ch ? ch : "");
		rc_ch->break_count = sqlite3_column_int64(st, 1);
		rc_ch->open_count = sqlite3_column_int64(st, 2);
		rc_ch->net_difference_minor = sqlite3_column_int64(st, 3);
		rc_ch->file_status = FILE_UNKNOWN;
		rc_ch->matched_count = -1;
		const char *raw = "uncached";
		const api_recon_channel *const *hit = NULL;
		if (known && rc_ch->channel_id) {
			const api_recon_channel *key = rc_ch;
			hit = bsearch(&key, known, stored.n_channels, sizeof *known, by_channel_id);
		}
		if (hit) {
			rc_ch->file_status = (*hit)->file_status;
			rc_ch->matched_count = (*hit)->matched_count;
			raw = (*hit)->file_status_raw ? (*hit)->file_status_raw : raw;
			snprintf(rc_ch->currency, sizeof rc_ch->currency, "%s", (*hit)->currency);
		}
		if (!rc_ch->currency[0] && ch) {
			sqlite3_reset(cur_st);
			sqlite3_bind_text(cur_st, 2, ch, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(cur_st) == SQLITE_ROW && sqlite3_column_text(cur_st, 0))
				snprintf(rc_ch->currency, sizeof rc_ch->currency, "%s",
					 (const char *)sqlite3_column_text(cur_st, 0));
		}
		rc_ch->file_status_raw = strdup(raw);
		out->n_channels++;
		if (!rc_ch->channel_id || !rc_ch->file_status_raw) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(cur_st);
	free(known);
	api_recon_summary_free(&stored);
	if (rc != SQLITE_DONE) {
		api_recon_summary_free(out);
		snprintf(c->err, sizeof c->err, "recon summary: %s",
			 rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}
