/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/save.c: what sync fetched goes in, validated, with bound
 * parameters, one transaction per batch. */
#include "cache/cache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

_Static_assert(BT_FUND_MISMATCH == 7 && SEV_HIGH == 2 && BS_WRITTEN_OFF == 4,
	       "CACHE_BREAK_JSON names the break enums by their numbers");
/* The text the columns of a break being upserted give back (parameters
 * as bound by bind_item). */
#define BREAK_BOUND_JSON                                                       \
	CACHE_BREAK_JSON("?1", "?6", "?7", "?15", "?16", "?17", "?8", "?19", "?20", \
			 "?11", "?21", "?13", "?10", "?9", "?18", "?22", "?2", "?23")

/* Each kind's upsert: the row is replaced unless the cached version is
 * newer (an event may have brought a newer copy than a page fetched
 * before it); a kept row still gets the walk mark. */
static const char *upsert_sql(api_kind kind)
{
	switch (kind) {
	case API_KIND_CHANNEL:
		return "INSERT INTO channels (id, version, walk, json) VALUES (?1, ?2, ?3, ?4)"
		       " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
		       " walk = excluded.walk, json = excluded.json"
		       " WHERE excluded.version >= channels.version";
	case API_KIND_ROUTE:
		return "INSERT INTO routes (id, version, walk, json) VALUES (?1, ?2, ?3, ?4)"
		       " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
		       " walk = excluded.walk, json = excluded.json"
		       " WHERE excluded.version >= routes.version";
	case API_KIND_ALERT:
		return "INSERT INTO alerts (id, version, walk, json) VALUES (?1, ?2, ?3, ?4)"
		       " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
		       " walk = excluded.walk, json = excluded.json"
		       " WHERE excluded.version >= alerts.version";
	case API_KIND_CASE:
		return "INSERT INTO cases (id, version, walk, json, updated_at, stage,"
		       " risk_level, risk_score, assignee, sla_due_at, submitted_at,"
		       " merchant_id, merchant_name)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
		       " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
		       " walk = excluded.walk, json = excluded.json,"
		       " updated_at = excluded.updated_at, stage = excluded.stage,"
		       " risk_level = excluded.risk_level, risk_score = excluded.risk_score,"
		       " assignee = excluded.assignee, sla_due_at = excluded.sla_due_at,"
		       " submitted_at = excluded.submitted_at,"
		       " merchant_id = excluded.merchant_id, merchant_name = excluded.merchant_name"
		       " WHERE excluded.version >= cases.version";
	case API_KIND_BREAK:
		/* the text is kept only where the columns do not give it back
		 * (schema 8): compared as it came, then without its spaces */
		return "INSERT INTO breaks (id, version, walk, raw, recon_date,"
		       " channel_id, type, status, severity, difference_minor, abs_difference,"
		       " detected_at, merchant_id, order_no, channel_serial, assignee,"
		       " platform_amount_minor, channel_amount_minor, currency, resolution,"
		       " updated_at, search)"
		       " VALUES (?1, ?2, ?3, CASE WHEN ?4 = " BREAK_BOUND_JSON " THEN NULL"
		       "  WHEN json_valid(?4) AND json(?4) = " BREAK_BOUND_JSON " THEN NULL"
		       "  ELSE ?4 END,"
		       " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
		       " ?22, ?23, ?14)"
		       " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
		       " walk = excluded.walk, raw = excluded.raw,"
		       " recon_date = excluded.recon_date,"
		       " channel_id = excluded.channel_id, type = excluded.type,"
		       " status = excluded.status, severity = excluded.severity,"
		       " difference_minor = excluded.difference_minor,"
		       " abs_difference = excluded.abs_difference,"
		       " detected_at = excluded.detected_at, merchant_id = excluded.merchant_id,"
		       " order_no = excluded.order_no, channel_serial = excluded.channel_serial,"
		       " assignee = excluded.assignee,"
		       " platform_amount_minor = excluded.platform_amount_minor,"
		       " channel_amount_minor = excluded.channel_amount_minor,"
		       " currency = excluded.currency, resolution = excluded.resolution,"
		       " updated_at = excluded.updated_at, search = excluded.search"
		       " WHERE excluded.version >= breaks.version";
	case API_KIND_LIMIT:
		return "INSERT INTO limits (id, version, walk, json, updated_at, scope, state,"
		       " scope_id, name, limit_minor, used_minor, headroom)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
		       " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
		       " walk = excluded.walk, json = excluded.json,"
		       " updated_at = excluded.updated_at, scope = excluded.scope,"
		       " state = excluded.state, scope_id = excluded.scope_id,"
		       " name = excluded.name, limit_minor = excluded.limit_minor,"
		       " used_minor = excluded.used_minor, headroom = excluded.headroom"
		       " WHERE excluded.version >= limits.version";
	case API_KIND_APPROVAL: /* not cached */
		break;
	}
	return NULL;
}

static sqlite3_stmt *stmt_upsert(cache *c, api_kind kind, cache_save_mode mode)
{
	static const char *const guard[CACHE_SAVE__N] = { ">=", ">", "<>" };
	if (!c->upsert[mode][kind]) {
		/* the kind's statement with the mode's comparison in its guard */
		const char *sql = upsert_sql(kind);
		const char *w = strstr(sql, "WHERE excluded.version >= ");
		char buf[8192];
		if (!w || snprintf(buf, sizeof buf, "%.*sWHERE excluded.version %s %s",
				   (int)(w - sql), sql, guard[mode],
				   w + strlen("WHERE excluded.version >= ")) >= (int)sizeof buf) {
			cache_fail(c, "prepare upsert");
			return NULL;
		}
		/* a batch between walks leaves an existing row's walk mark be */
		char *wk = mode == CACHE_SAVE_NEWER ? strstr(buf, " walk = excluded.walk,") : NULL;
		if (wk)
			memmove(wk, wk + strlen(" walk = excluded.walk,"),
				strlen(wk + strlen(" walk = excluded.walk,")) + 1);
		if (sqlite3_prepare_v3(c->db, buf, -1, SQLITE_PREPARE_PERSISTENT,
				       &c->upsert[mode][kind], NULL) != SQLITE_OK) {
			cache_fail(c, "prepare upsert");
			return NULL;
		}
	}
	return c->upsert[mode][kind];
}

static sqlite3_stmt *stmt_touch(cache *c, api_kind kind)
{
	if (!c->touch[kind]) {
		char sql[128];
		snprintf(sql, sizeof sql, "UPDATE %s SET walk = ?1 WHERE id = ?2", cache_table(kind));
		if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				       &c->touch[kind], NULL) != SQLITE_OK) {
			cache_fail(c, "prepare touch");
			return NULL;
		}
	}
	return c->touch[kind];
}

static int64_t current_walk(cache *c, api_kind kind)
{
	cache_sync_state st;
	if (cache_get_state(c, kind, &st) != 0)
		return 0;
	return st.walk;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* The decoder reads some nulls as "" (a fund mismatch has no merchant,
 * order or serial): a column keeps the null the text had. */
static const char *null_or(const json_t *j, const char *key, const char *decoded)
{
	return json_is_null(json_object_get(j, key)) ? NULL : decoded;
}

/* Decode one item (validating it) and bind the kind's columns. The
 * decoded object is freed before returning (strings are bound TRANSIENT). */
static int bind_item(api_kind kind, sqlite3_stmt *st, const json_t *j, api_err *err)
{
	int64_t version = json_integer_value(json_object_get(j, "version"));
	time_t upd = cache_json_time(j, "updated_at");
	switch (kind) {
	case API_KIND_CHANNEL: {
		api_channel o = {0};
		if (api_decode_channel(j, &o, err) != 0)
			return -1;
		bind_text(st, 1, o.id);
		api_channel_free(&o);
		break;
	}
	case API_KIND_ROUTE: {
		api_route o = {0};
		if (api_decode_route(j, &o, err) != 0)
			return -1;
		bind_text(st, 1, o.id);
		api_route_free(&o);
		break;
	}
	case API_KIND_ALERT: {
		api_alert o = {0};
		if (api_decode_alert(j, &o, err) != 0)
			return -1;
		bind_text(st, 1, o.id);
		api_alert_free(&o);
		break;
	}
	case API_KIND_CASE: {
		api_case o = {0};
		if (api_decode_case(j, &o, err) != 0)
			return -1;
		bind_text(st, 1, o.id);
		sqlite3_bind_int64(st, 5, upd);
		sqlite3_bind_int(st, 6, o.stage);
		sqlite3_bind_int(st, 7, o.risk_level);
		sqlite3_bind_int(st, 8, o.risk_score);
		bind_text(st, 9, o.assignee);
		sqlite3_bind_int64(st, 10, o.sla_due_at);
		sqlite3_bind_int64(st, 11, o.submitted_at);
		bind_text(st, 12, o.merchant_id);
		bind_text(st, 13, o.merchant_name);
		api_case_free(&o);
		break;
	}
	case API_KIND_BREAK: {
		api_break o = {0};
		if (api_decode_break(j, &o, err) != 0)
			return -1;
		bind_text(st, 1, o.id);
		bind_text(st, 6, o.recon_date);
		bind_text(st, 7, o.channel_id);
		sqlite3_bind_int(st, 8, o.type);
		sqlite3_bind_int(st, 9, o.status);
		sqlite3_bind_int(st, 10, o.severity);
		sqlite3_bind_int64(st, 11, o.difference_minor);
		/* INT64_MIN has no absolute value; the decoder's range makes it
		 * unreachable, but stay defined */
		sqlite3_bind_int64(st, 12, o.difference_minor == INT64_MIN ? INT64_MAX :
				   o.difference_minor < 0 ? -o.difference_minor : o.difference_minor);
		sqlite3_bind_int64(st, 13, o.detected_at);
		bind_text(st, 15, null_or(j, "merchant_id", o.merchant_id));
		bind_text(st, 16, null_or(j, "order_no", o.order_no));
		bind_text(st, 17, null_or(j, "channel_serial", o.channel_serial));
		bind_text(st, 18, o.assignee);
		sqlite3_bind_int64(st, 19, o.platform_amount_minor);
		sqlite3_bind_int64(st, 20, o.channel_amount_minor);
		bind_text(st, 21, o.currency);
		const json_t *res = json_object_get(j, "resolution");
		if (json_is_object(res))
			sqlite3_bind_text(st, 22, json_dumps(res, JSON_COMPACT), -1, free);
		sqlite3_bind_int64(st, 23, upd);
		/* the text filter's fields, U+001F between them */
		char search[1024];
		snprintf(search, sizeof search, "%s\x1f%s\x1f%s\x1f%s\x1f%s", o.id ? o.id : "",
			 o.merchant_id ? o.merchant_id : "", o.order_no ? o.order_no : "",
			 o.channel_serial ? o.channel_serial : "", o.assignee ? o.assignee : "");
		sqlite3_bind_text(st, 14, search, -1, SQLITE_TRANSIENT);
		api_break_free(&o);
		break;
	}
	case API_KIND_LIMIT: {
		api_limit o = {0};
		if (api_decode_limit(j, &o, err) != 0)
			return -1;
		bind_text(st, 1, o.id);
		sqlite3_bind_int64(st, 5, upd);
		sqlite3_bind_int(st, 6, o.scope);
		sqlite3_bind_int(st, 7, o.state);
		bind_text(st, 8, o.scope_id);
		bind_text(st, 9, o.name);
		sqlite3_bind_int64(st, 10, o.limit_minor);
		sqlite3_bind_int64(st, 11, o.used_minor);
		/* headroom saturates instead of overflowing */
		int64_t h;
		if (__builtin_sub_overflow(o.limit_minor, o.used_minor, &h))
			h = o.used_minor > 0 ? INT64_MIN : INT64_MAX;
		sqlite3_bind_int64(st, 12, h);
		api_limit_free(&o);
		break;
	}
	case API_KIND_APPROVAL: /* not cached */
		return -1;
	}
	sqlite3_bind_int64(st, 2, version);
	return 0;
}

/* The authoritative refetch: note an object the platform has at an older
 * version than the cache (it is written all the same). */
static int note_backwards(cache *c, api_kind kind, const json_t *j)
{
	const char *id = json_string_value(json_object_get(j, "id"));
	json_t *v = json_object_get(j, "version");
	if (!id || !json_is_integer(v))
		return 0; /* validation refuses it below */
	if (!c->version_of[kind]) {
		char sql[96];
		snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = ?1", cache_table(kind));
		if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				       &c->version_of[kind], NULL) != SQLITE_OK)
			return cache_fail(c, "prepare version");
	}
	sqlite3_stmt *st = c->version_of[kind];
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > json_integer_value(v)) {
		cache_backwards *b = c->backwards;
		size_t l = strlen(b->ids);
		if (b->n < CACHE_BACKWARDS_NAMED)
			snprintf(b->ids + l, sizeof b->ids - l, "%s%s", l ? ", " : "", id);
		b->n++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : cache_fail(c, "version");
}

int cache_save_item(cache *c, api_kind kind, cache_save_mode mode, const json_t *j,
		    int64_t walk, api_err *err, const char *raw, size_t raw_len)
{
	sqlite3_stmt *st = stmt_upsert(c, kind, mode);
	if (!st)
		return -1;
	if (mode == CACHE_SAVE_AUTH && c->backwards && note_backwards(c, kind, j) != 0)
		return -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (bind_item(kind, st, j, err) != 0)
		return 2;
	sqlite3_bind_int64(st, 3, walk);
	if (raw) {
		/* the object's text as it came (UTF-8 already scrubbed) */
		sqlite3_bind_text(st, 4, raw, (int)raw_len, SQLITE_STATIC);
	} else {
		char *text = json_dumps(j, JSON_COMPACT);
		if (!text) {
			snprintf(c->err, sizeof c->err, "out of memory");
			return -1;
		}
		sqlite3_bind_text(st, 4, text, -1, free);
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "save");
	if (sqlite3_changes(c->db) > 0)
		return 0;
	if (mode == CACHE_SAVE_NEWER)
		return 1; /* a batch marks no walk */
	/* the cached copy is kept (newer, or the same version under the
	 * authoritative refetch), but the walk has seen it */
	sqlite3_stmt *t = stmt_touch(c, kind);
	if (!t)
		return -1;
	sqlite3_reset(t);
	sqlite3_bind_int64(t, 1, walk);
	sqlite3_bind_text(t, 2, json_string_value(json_object_get(j, "id")), -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(t);
	sqlite3_reset(t);
	return rc == SQLITE_DONE ? 1 : cache_fail(c, "touch");
}

int cache_save_text(cache *c, api_kind kind, const char *id, int64_t version, int64_t walk,
		    const char *json, size_t len)
{
	if (kind != API_KIND_CHANNEL && kind != API_KIND_ROUTE && kind != API_KIND_ALERT) {
		snprintf(c->err, sizeof c->err, "%s: not a table of id, version and text",
			 cache_table(kind));
		return -1;
	}
	sqlite3_stmt *st = stmt_upsert(c, kind, CACHE_SAVE_NEWER);
	if (!st)
		return -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, walk);
	sqlite3_bind_text(st, 4, json, (int)len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "save");
	return sqlite3_changes(c->db) > 0 ? 0 : 1;
}

static void touch_id(cache *c, api_kind kind, const char *id, int64_t walk)
{
	sqlite3_stmt *t = stmt_touch(c, kind);
	if (!t || !id)
		return;
	sqlite3_reset(t);
	sqlite3_bind_int64(t, 1, walk);
	sqlite3_bind_text(t, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_step(t);
	sqlite3_reset(t);
}

void cache_page_result_free(cache_page_result *r)
{
	free(r->next_cursor);
	r->next_cursor = NULL;
}

/* ---- a list page without re-serialising its items ----
 *
 * Measured on a first sync of a million breaks, parsing the page into one
 * tree and dumping each item back to text cost more than the database.
 * The page is scanned instead: the spans of the items of "data" and the
 * next_cursor value; each item is parsed on its own (validated by the
 * decoder as before) and its own text stored. A body the scanner does not
 * follow goes the old way (parse it whole), so nothing depends on it
 * being perfect: each item is still parsed by the JSON parser. */

typedef struct {
	const char *p;
	size_t len;
} span;

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *skip_string(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* One JSON value's extent (nesting and strings followed, not checked). */
static const char *skip_value(const char *p, const char *e)
{
	p = skip_ws(p, e);
	if (p >= e)
		return NULL;
	if (*p == '"')
		return skip_string(p, e);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (p < e) {
			if (*p == '"') {
				if (!(p = skip_string(p, e)))
					return NULL;
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return NULL;
	}
	const char *s = p;
	while (p < e && !strchr(",}] \t\r\n", *p))
		p++;
	return p > s ? p : NULL;
}

static bool key_is(const char *k, const char *end, const char *name)
{
	size_t n = strlen(name);
	return (size_t)(end - k) == n + 2 && memcmp(k + 1, name, n) == 0;
}

/* {"data": [items...], "next_cursor": ...} in any member order: the item
 * spans (malloc'd) and the next_cursor value's span. -1 when the body is
 * not that shape (then it is parsed whole). */
static int scan_page(const char *b, size_t len, span **items, size_t *n, span *next)
{
	const char *p = b, *e = b + len;
	size_t cap = 0;
	bool seen_data = false;
	*items = NULL;
	*n = 0;
	next->p = NULL;
	next->len = 0;
	p = skip_ws(p, e);
	if (p >= e || *p++ != '{')
		return -1;
	for (;;) {
		p = skip_ws(p, e);
		if (p < e && *p == '}' && !seen_data && !next->p)
			break;
		if (p >= e || *p != '"')
			goto bad;
		const char *k = p;
		if (!(p = skip_string(p, e)))
			goto bad;
		const char *kend = p;
		p = skip_ws(p, e);
		if (p >= e || *p++ != ':')
			goto bad;
		p = skip_ws(p, e);
		if (key_is(k, kend, "data")) {
			if (seen_data || p >= e || *p++ != '[')
				goto bad;
			seen_data = true;
			p = skip_ws(p, e);
			if (p < e && *p == ']') {
				p++;
			} else {
				for (;;) {
					p = skip_ws(p, e);
					const char *s = p;
					if (!(p = skip_value(p, e)))
						goto bad;
					if (*n == cap) {
						size_t nc = cap ? cap * 2 : 64;
						span *g = realloc(*items, nc * sizeof *g);
						if (!g)
							goto bad;
						*items = g;
						cap = nc;
					}
					(*items)[(*n)++] = (span){ s, (size_t)(p - s) };
					p = skip_ws(p, e);
					if (p < e && *p == ',') {
						p++;
						continue;
					}
					if (p < e && *p == ']') {
						p++;
						break;
					}
					goto bad;
				}
			}
		} else {
			const char *s = p;
			if (!(p = skip_value(p, e)))
				goto bad;
			if (key_is(k, kend, "next_cursor")) {
				if (next->p)
					goto bad;
				*next = (span){ s, (size_t)(p - s) };
			}
		}
		p = skip_ws(p, e);
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		if (p < e && *p == '}') {
			p++;
			break;
		}
		goto bad;
	}
	if (skip_ws(p, e) != e || !seen_data)
		goto bad;
	return 0;
bad:
	free(*items);
	*items = NULL;
	*n = 0;
	return -1;
}

int cache_page_next_cursor(const char *body, size_t len, char *out, size_t outsz)
{
	span *items = NULL, next;
	size_t n = 0;
	out[0] = '\0';
	if (scan_page(body, len, &items, &n, &next) != 0)
		return -1;
	free(items);
	if (!next.p || (next.len == 4 && memcmp(next.p, "null", 4) == 0))
		return 0;
	json_error_t je;
	json_t *v = json_loadb(next.p, next.len, JSON_DECODE_ANY, &je);
	const char *s = json_string_value(v);
	int rc = s && strlen(s) < outsz ? 1 : -1;
	if (rc == 1)
		snprintf(out, outsz, "%s", s);
	json_decref(v);
	return rc;
}

static void reject(cache_page_result *out, size_t i, const char *id, const char *msg)
{
	if (!out->n_rejected)
		snprintf(out->reject_msg, sizeof out->reject_msg, "data[%zu]%s%.60s: %.140s",
			 i, id ? " " : "", id ? id : "", msg);
	out->n_rejected++;
}

int cache_save_page(cache *c, api_kind kind, const char *body, size_t len,
		    cache_page_result *out)
{
	memset(out, 0, sizeof *out);
	size_t clen = 0;
	char *clean = len ? text_utf8_scrub(body, len, &clen) : NULL;
	span *items = NULL, next;
	size_t n = 0;
	if (!clean || scan_page(clean, clen, &items, &n, &next) != 0) {
		/* not a shape the scanner follows: the whole-tree way */
		free(clean);
		json_t *root = NULL;
		api_err err = {{0}};
		if (api_parse(body, len, &root, &err) != 0) {
			snprintf(c->err, sizeof c->err, "%s page: %s", cache_table(kind), err.msg);
			return -1;
		}
		int rc = cache_save_page_parsed(c, kind, root, out);
		json_decref(root);
		return rc;
	}
	int rc = -1;
	if (next.p && !(next.len == 4 && memcmp(next.p, "null", 4) == 0)) {
		json_error_t je;
		json_t *v = json_loadb(next.p, next.len, JSON_DECODE_ANY, &je);
		if (json_is_string(v))
			out->next_cursor = strdup(json_string_value(v));
		json_decref(v);
		if (!out->next_cursor) {
			snprintf(c->err, sizeof c->err, "%s page: next_cursor is not a string",
				 cache_table(kind));
			goto done;
		}
	}
	if (cache_begin(c) != 0)
		goto done;
	int64_t walk = current_walk(c, kind);
	for (size_t i = 0; i < n; i++) {
		json_error_t je;
		json_t *item = json_loadb(items[i].p, items[i].len,
					  JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
		if (!item) {
			/* not JSON: the body as a whole is not, as before */
			snprintf(c->err, sizeof c->err, "%s page: data[%zu] column %d: %.150s",
				 cache_table(kind), i, je.column, je.text);
			cache_rollback(c);
			goto done;
		}
		api_err ierr = {{0}};
		int r = cache_save_item(c, kind, c->page_mode, item, walk, &ierr, items[i].p, items[i].len);
		if (r < 0) {
			json_decref(item);
			cache_rollback(c);
			goto done;
		}
		if (r == 2) {
			const char *id = json_string_value(json_object_get(item, "id"));
			reject(out, i, id, ierr.msg);
			touch_id(c, kind, id, walk);
			json_decref(item);
			continue;
		}
		out->n_saved++;
		time_t u = cache_json_time(item, "updated_at");
		if (u > out->max_updated_at)
			out->max_updated_at = u;
		json_decref(item);
	}
	if (cache_commit(c) != 0) {
		cache_fail(c, "commit");
		goto done;
	}
	if (out->n_saved)
		c->data_version++;
	rc = 0;
done:
	if (rc != 0)
		cache_page_result_free(out);
	free(items);
	free(clean);
	return rc;
}

int cache_save_page_parsed(cache *c, api_kind kind, const json_t *root,
			   cache_page_result *out)
{
	memset(out, 0, sizeof *out);
	json_t *data = json_object_get(root, "data");
	json_t *next = json_object_get(root, "next_cursor");
	if (!json_is_array(data) || (next && !json_is_null(next) && !json_is_string(next))) {
		snprintf(c->err, sizeof c->err, "%s page: expected {\"data\": [...], \"next_cursor\"}",
			 cache_table(kind));
		return -1;
	}
	if (json_is_string(next) && !(out->next_cursor = strdup(json_string_value(next)))) {
		snprintf(c->err, sizeof c->err, "out of memory");
		return -1;
	}
	if (cache_begin(c) != 0) {
		cache_page_result_free(out);
		return -1;
	}
	int64_t walk = current_walk(c, kind);
	size_t i;
	json_t *item;
	int rc = 0;
	json_array_foreach(data, i, item) {
		api_err ierr = {{0}};
		int r = cache_save_item(c, kind, c->page_mode, item, walk, &ierr, NULL, 0);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 2) {
			const char *id = json_string_value(json_object_get(item, "id"));
			if (!out->n_rejected)
				snprintf(out->reject_msg, sizeof out->reject_msg, "data[%zu]%s%.60s: %.140s",
					 i, id ? " " : "", id ? id : "", ierr.msg);
			out->n_rejected++;
			touch_id(c, kind, id, walk);
			continue;
		}
		out->n_saved++;
		time_t u = cache_json_time(item, "updated_at");
		if (u > out->max_updated_at)
			out->max_updated_at = u;
	}
	if (rc != 0) {
		cache_rollback(c);
		cache_page_result_free(out);
		return -1;
	}
	if (cache_commit(c) != 0) {
		cache_page_result_free(out);
		return cache_fail(c, "commit");
	}
	if (out->n_saved)
		c->data_version++;
	return 0;
}

int cache_upsert_json(cache *c, api_kind kind, const char *json, size_t len,
		      char *msg, size_t msgsz)
{
	json_t *root = NULL;
	api_err err = {{0}};
	if (api_parse(json, len, &root, &err) != 0) {
		snprintf(msg, msgsz, "%s", err.msg);
		return -1;
	}
	int rc = cache_upsert_object(c, kind, root, NULL, 0, msg, msgsz);
	json_decref(root);
	return rc;
}

int cache_upsert_object(cache *c, api_kind kind, const json_t *obj, const char *text,
			size_t len, char *msg, size_t msgsz)
{
	api_err err = {{0}};
	int rc = cache_save_item(c, kind, CACHE_SAVE_WALK, obj, current_walk(c, kind), &err,
				 text, len);
	if (rc == 2) {
		snprintf(msg, msgsz, "%s", err.msg);
		return -1;
	}
	if (rc < 0) {
		snprintf(msg, msgsz, "%s", c->err);
		return -1;
	}
	if (rc == 0)
		c->data_version++;
	return rc;
}

int cache_delete(cache *c, api_kind kind, const char *id)
{
	char sql[96];
	sqlite3_stmt *st = NULL;
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?1", cache_table(kind));
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "delete");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "delete");
	c->data_version++;
	return 0;
}

/* ---- sync state ---- */

int cache_get_state(cache *c, api_kind kind, cache_sync_state *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT fetched_at, high_water, full_at, cursor, walk, walk_start"
			       " FROM sync_state WHERE coll = ?1", -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "read sync state");
	sqlite3_bind_text(st, 1, cache_table(kind), -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->fetched_at = (time_t)sqlite3_column_int64(st, 0);
		out->high_water = (time_t)sqlite3_column_int64(st, 1);
		out->full_at = (time_t)sqlite3_column_int64(st, 2);
		const unsigned char *cur = sqlite3_column_text(st, 3);
		snprintf(out->cursor, sizeof out->cursor, "%s", cur ? (const char *)cur : "");
		out->walk = sqlite3_column_int64(st, 4);
		out->walk_start = (time_t)sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cache_fail(c, "read sync state");
	return 0;
}

int cache_set_state(cache *c, api_kind kind, const cache_sync_state *s)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO sync_state (coll, fetched_at, high_water,"
			       " full_at, cursor, walk, walk_start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			       " ON CONFLICT (coll) DO UPDATE SET fetched_at = excluded.fetched_at,"
			       " high_water = excluded.high_water, full_at = excluded.full_at,"
			       " cursor = excluded.cursor, walk = excluded.walk,"
			       " walk_start = excluded.walk_start",
			       -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "write sync state");
	sqlite3_bind_text(st, 1, cache_table(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->fetched_at);
	sqlite3_bind_int64(st, 3, s->high_water);
	sqlite3_bind_int64(st, 4, s->full_at);
	sqlite3_bind_text(st, 5, s->cursor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, s->walk);
	sqlite3_bind_int64(st, 7, s->walk_start);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "write sync state");
	c->fetched_written[kind] = s->fetched_at;
	return 0;
}

int cache_mark_fetched(cache *c, api_kind kind, time_t fetched_at)
{
	if ((int)kind >= CACHE_N_KINDS)
		return 0; /* a kind the cache does not keep (approvals) */
	if (c->fetched_written[kind] && fetched_at >= c->fetched_written[kind] &&
	    fetched_at - c->fetched_written[kind] < 60)
		return 0;
	cache_sync_state s;
	if (cache_get_state(c, kind, &s) != 0)
		return -1;
	s.fetched_at = fetched_at;
	return cache_set_state(c, kind, &s);
}

int cache_walk_begin(cache *c, api_kind kind)
{
	cache_sync_state s;
	if (cache_get_state(c, kind, &s) != 0)
		return -1;
	s.walk++;
	return cache_set_state(c, kind, &s);
}

int64_t cache_walk_end(cache *c, api_kind kind)
{
	int64_t walk = current_walk(c, kind);
	char sql[96];
	sqlite3_stmt *st = NULL;
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE walk < ?1", cache_table(kind));
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "sweep");
	sqlite3_bind_int64(st, 1, walk);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cache_fail(c, "sweep");
	int64_t n = sqlite3_changes(c->db);
	if (n > 0)
		c->data_version++;
	return n;
}

int cache_save_pages(cache *c, api_kind kind, const char *const *bodies,
		     const size_t *lens, size_t n_pages, time_t fetched_at)
{
	return cache_save_pages_full(c, kind, bodies, lens, n_pages, fetched_at, NULL);
}

/* Each page in the current page mode, in the transaction open. */
static int save_bodies(cache *c, api_kind kind, const char *const *bodies,
		       const size_t *lens, size_t n_pages)
{
	for (size_t i = 0; i < n_pages; i++) {
		cache_page_result r;
		if (cache_save_page(c, kind, bodies[i], lens[i], &r) != 0)
			return -1;
		cache_page_result_free(&r);
	}
	return 0;
}

int cache_save_pages_full(cache *c, api_kind kind, const char *const *bodies,
			  const size_t *lens, size_t n_pages, time_t fetched_at,
			  cache_backwards *back)
{
	if (back)
		memset(back, 0, sizeof *back);
	if ((int)kind >= CACHE_N_KINDS) {
		snprintf(c->err, sizeof c->err, "%s", "this kind of object is not cached");
		return -1;
	}
	if (cache_begin(c) != 0)
		return -1;
	if (cache_walk_begin(c, kind) != 0)
		goto fail;
	c->page_mode = back ? CACHE_SAVE_AUTH : CACHE_SAVE_WALK;
	c->backwards = back;
	int rc = save_bodies(c, kind, bodies, lens, n_pages);
	c->page_mode = CACHE_SAVE_WALK;
	c->backwards = NULL;
	if (rc != 0 || cache_walk_end(c, kind) < 0)
		goto fail;
	cache_sync_state s;
	if (cache_get_state(c, kind, &s) != 0)
		goto fail;
	s.fetched_at = fetched_at;
	s.full_at = fetched_at;
	s.cursor[0] = '\0';
	if (cache_set_state(c, kind, &s) != 0)
		goto fail;
	return cache_commit(c);
fail:
	cache_rollback(c);
	return -1;
}

int cache_save_changes(cache *c, api_kind kind, const char *const *bodies,
		       const size_t *lens, size_t n_pages)
{
	if (cache_begin(c) != 0)
		return -1;
	c->page_mode = CACHE_SAVE_NEWER;
	int rc = save_bodies(c, kind, bodies, lens, n_pages);
	c->page_mode = CACHE_SAVE_WALK;
	if (rc != 0) {
		cache_rollback(c);
		return -1;
	}
	return cache_commit(c);
}

int cache_save_summary_json(cache *c, const char *body, size_t len, time_t fetched_at)
{
	json_t *root = NULL;
	api_err err = {{0}};
	api_recon_summary sum = {0};
	if (api_parse(body, len, &root, &err) != 0 ||
	    api_decode_recon_summary(root, &sum, &err) != 0) {
		json_decref(root);
		snprintf(c->err, sizeof c->err, "recon summary: %s", err.msg);
		return -1;
	}
	json_decref(root);
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO summaries (date, fetched_at, json)"
			       " VALUES (?1, ?2, ?3)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sum.date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, fetched_at);
		sqlite3_bind_text(st, 3, body, (int)len, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	if (rc != 0)
		cache_fail(c, "save recon summary");
	sqlite3_finalize(st);
	api_recon_summary_free(&sum);
	return rc;
}
