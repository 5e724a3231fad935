/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/get.c: `payops get KIND [FILTER...] [--sort KEY] [--limit N]
 * [-o table|json|csv] [--cached]`: the panes' data for a script. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "cli/cli_int.h"
#include "cli/kinds.h"
#include "text/text.h"

/* TRANSLATORS: keep command, option and field names as they are. */
static const char get_usage[] = N_(
"Usage: payops get KIND [FILTER...] [--sort KEY] [--limit N]\n"
"                  [-o table|json|csv] [--cached] [-c FILE]\n"
"\n"
"KIND: channels, routes, alerts, cases, breaks, limits, approvals.\n"
"FILTER: the filter language of the panes. cases, breaks, limits take\n"
"  field:value words (st:open ch:icbc.direct.quickpay min:1000, see\n"
"  payops(1)) and free text; channels, routes, alerts, approvals a text\n"
"  matched in any column, '!' before it inverts.\n"
"  --sort KEY   cases: sla risk submitted stage id; breaks: detected\n"
"               difference severity date channel status id; limits: headroom\n"
"               utilisation state id; the others: any column name (a leading\n"
"               '-' sorts descending)\n"
"  --limit N    at most N rows\n"
"  -o FORMAT    table (aligned, sanitised; the default), json (one array of\n"
"               the platform's objects, money in minor units) or csv\n"
"               (RFC 4180 with a header, money in minor units)\n"
"  --cached     read the local cache, not the platform (stderr says its age)\n"
"  -c FILE      the configuration file\n"
"Exit: 0 listed, 1 the platform did not answer, 2 usage, 3 configuration.\n");

static const char *const formats[] = { "table", "json", "csv", NULL };

typedef struct {
	const cli_kind *k;
	const void **rows;
	size_t n, cap;
	char *owned;          /* decoded queue rows */
	size_t n_owned, cap_owned;
	/* small kinds */
	const char *text;
	bool invert;
	int sort_col;
	bool desc;
	size_t limit;
} rowset;

static int push_ptr(rowset *r, const void *p)
{
	if (r->n == r->cap) {
		size_t c = r->cap ? r->cap * 2 : 64;
		const void **n = realloc(r->rows, c * sizeof *n);
		if (!n)
			return -1;
		r->rows = n;
		r->cap = c;
	}
	r->rows[r->n++] = p;
	return 0;
}

static int take_obj(void *ctx, void *obj)
{
	rowset *r = ctx;
	if (r->n_owned == r->cap_owned) {
		size_t c = r->cap_owned ? r->cap_owned * 2 : 64;
		char *n = realloc(r->owned, c * r->k->elem);
		if (!n)
			return 1;
		r->owned = n;
		r->cap_owned = c;
	}
	memcpy(r->owned + r->n_owned++ * r->k->elem, obj, r->k->elem);
	memset(obj, 0, r->k->elem);
	return 0;
}
static int take_case(void *ctx, api_case *o) { return take_obj(ctx, o); }
static int take_break(void *ctx, api_break *o) { return take_obj(ctx, o); }
static int take_limit(void *ctx, api_limit *o) { return take_obj(ctx, o); }

static int query_queue(rowset *r, cache *c, const queue_filter *qf, int sort)
{
	size_t want = r->limit ? r->limit : (size_t)-1;
	cache_pos pos;
	memset(&pos, 0, sizeof pos);
	for (;;) {
		size_t page = want - r->n_owned < 1000 ? want - r->n_owned : 1000;
		long got;
		if (page == 0)
			break;
		if (r->k->queue == QUEUE_BREAKS) {
			cache_break_filter f;
			queue_filter_breaks(qf, &f);
			got = cache_query_breaks_after(c, &f, sort, &pos, page, take_break, r);
		} else if (r->k->queue == QUEUE_CASES) {
			cache_case_filter f;
			queue_filter_cases(qf, &f);
			got = cache_query_cases_after(c, &f, sort, &pos, page, take_case, r);
		} else {
			cache_limit_filter f;
			queue_filter_limits(qf, &f);
			got = cache_query_limits_after(c, &f, sort, &pos, page, take_limit, r);
		}
		if (got < 0)
			return -1;
		if ((size_t)got < page)
			break;
	}
	for (size_t i = 0; i < r->n_owned; i++)
		if (push_ptr(r, r->owned + i * r->k->elem) != 0)
			return -1;
	return 0;
}

static bool row_matches(const rowset *r, const void *o)
{
	if (!r->text || !*r->text)
		return true;
	char b[1024];
	bool hit = false;
	for (int c = 0; r->k->cols[c] && !hit; c++) {
		cli_kind_cell(r->k, o, c, true, b, sizeof b);
		hit = text_contains(b, r->text);
	}
	return hit != r->invert;
}

static int cmp_rows(const void *a, const void *b, void *ctx)
{
	const rowset *r = ctx;
	char x[512], y[512];
	cli_kind_cell(r->k, *(const void *const *)a, r->sort_col, false, x, sizeof x);
	cli_kind_cell(r->k, *(const void *const *)b, r->sort_col, false, y, sizeof y);
	char *ex, *ey;
	double dx = strtod(x, &ex), dy = strtod(y, &ey);
	int d;
	if (*x && *y && !*ex && !*ey)
		d = dx < dy ? -1 : dx > dy;
	else
		d = strcmp(x, y);
	return r->desc ? -d : d;
}

static void small_rows(rowset *r, const store *st)
{
	size_t n = r->k->coll == STORE_CHANNELS ? store_channel_count(st) :
		   r->k->coll == STORE_ROUTES ? store_route_count(st) :
		   r->k->coll == STORE_APPROVALS ? store_approval_count(st) : store_alert_count(st);
	for (size_t i = 0; i < n; i++) {
		const void *o = r->k->coll == STORE_CHANNELS ? (const void *)store_channel_at(st, i) :
			r->k->coll == STORE_ROUTES ? (const void *)store_route_at(st, i) :
			r->k->coll == STORE_APPROVALS ? (const void *)store_approval_at(st, i) :
			(const void *)store_alert_at(st, i);
		if (row_matches(r, o))
			push_ptr(r, o);
	}
	if (r->sort_col >= 0)
		qsort_r(r->rows, r->n, sizeof *r->rows, cmp_rows, r);
	if (r->limit && r->n > r->limit)
		r->n = r->limit;
}

static void csv_field(const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void out_csv(const rowset *r)
{
	char b[2048];
	for (int c = 0; r->k->cols[c]; c++) {
		fputs(c ? "," : "", stdout);
		csv_field(r->k->cols[c]);
	}
	fputs("\r\n", stdout);
	for (size_t i = 0; i < r->n; i++) {
		for (int c = 0; r->k->cols[c]; c++) {
			cli_kind_cell(r->k, r->rows[i], c, false, b, sizeof b);
			fputs(c ? "," : "", stdout);
			csv_field(b);
		}
		fputs("\r\n", stdout);
	}
}

/* An approval as JSON: approvals are not cached (a pending one read from
 * disk could be decided on), so built from the store's copy, the contract's
 * fields with the held request as the platform sent it. */
static char *approval_json(const api_approval *a)
{
	json_t *o = json_object();
	char b[1024];
	const cli_kind *k = cli_kind_find("approvals");
	for (int c = 0; k->cols[c]; c++) {
		cli_kind_cell(k, a, c, false, b, sizeof b);
		json_object_set_new(o, k->cols[c], strcmp(k->cols[c], "version") == 0 ?
				    json_integer(a->version) : *b ? json_string(b) : json_null());
	}
	json_t *req = a->request_json ? json_loads(a->request_json, 0, NULL) : NULL;
	json_object_set_new(o, "request", req ? req : json_object());
	char *j = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return j;
}

static int out_json(const rowset *r, cache *c)
{
	fputc('[', stdout);
	for (size_t i = 0; i < r->n; i++) {
		char *j = NULL;
		if (r->k->coll == STORE_APPROVALS)
			j = approval_json(r->rows[i]);
		else if (!c || cache_get_json(c, r->k->api, r->k->id(r->rows[i]), &j) != 0) {
			fprintf(stderr, "payops get: %s: %s\n", r->k->id(r->rows[i]),
				c ? cache_error(c) : _("no cache"));
			fputs("]\n", stdout);
			return -1;
		}
		fputs(i ? ",\n" : "\n", stdout);
		fputs(j, stdout);
		free(j);
	}
	fputs(r->n ? "\n]\n" : "]\n", stdout);
	return 0;
}

#define CELL_MAX 48  /* columns a table cell is cut to */

static void out_table(const rowset *r)
{
	int nc = cli_kind_ncols(r->k), w[32] = { 0 };
	char b[1024], f[1024];
	for (int c = 0; c < nc && c < 32; c++)
		w[c] = text_width(r->k->cols[c]);
	for (size_t i = 0; i < r->n; i++)
		for (int c = 0; c < nc && c < 32; c++) {
			cli_kind_cell(r->k, r->rows[i], c, true, b, sizeof b);
			int x = text_width(b);
			if (x > w[c])
				w[c] = x > CELL_MAX ? CELL_MAX : x;
		}
	for (int c = 0; c < nc && c < 32; c++) {
		text_fit(r->k->cols[c], w[c], c + 1 < nc ? TEXT_PAD : 0, f, sizeof f);
		printf("%s%s", c ? "  " : "", f);
	}
	putchar('\n');
	for (size_t i = 0; i < r->n; i++) {
		for (int c = 0; c < nc && c < 32; c++) {
			cli_kind_cell(r->k, r->rows[i], c, true, b, sizeof b);
			text_fit(b, w[c], c + 1 < nc ? TEXT_PAD : 0, f, sizeof f);
			printf("%s%s", c ? "  " : "", f);
		}
		putchar('\n');
	}
}

static void rowset_free(rowset *r)
{
	for (size_t i = 0; i < r->n_owned; i++)
		r->k->free_elem(r->owned + i * r->k->elem);
	free(r->owned);
	free(r->rows);
}

static int cached_age(cli_session *s, const cli_kind *k)
{
	cache *c = sync_cache(s->sy);
	cache_sync_state ss;
	if (!c || cache_get_state(c, k->api, &ss) != 0 || !ss.fetched_at) {
		fprintf(stderr, _("payops get: nothing cached for %s\n"), k->name);
		return -1;
	}
	char age[32];
	time_format_age((int64_t)(time(NULL) - ss.fetched_at), age, sizeof age);
	fprintf(stderr, _("payops get: CACHED: %s as fetched %s ago\n"), k->name, age);
	if (k->queue < 0 && cache_load_small(c, s->st) < 0)
		return -1;
	return 0;
}

int cli_get(int argc, char **argv)
{
	const char *config = NULL, *sort = NULL, *fmt = "table";
	bool cached = false;
	long limit = 0;
	char text[512] = "";
	const cli_kind *k = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(_(get_usage), stdout);
			return 0;
		} else if (strcmp(a, "--cached") == 0) {
			cached = true;
		} else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
			    strcmp(a, "--sort") == 0 || strcmp(a, "--limit") == 0 ||
			    strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0)) {
			if (!v) {
				fprintf(stderr, _("payops get: %s needs a value\n"), a);
				return CLI_EXIT_USAGE;
			}
			i++;
			if (a[1] == 'o' || strcmp(a, "--output") == 0)
				fmt = v;
			else if (strcmp(a, "--sort") == 0)
				sort = v;
			else if (a[1] == 'c' || strcmp(a, "--config") == 0)
				config = v;
			else {
				char *e;
				errno = 0;
				limit = strtol(v, &e, 10);
				if (errno || *e || limit <= 0) {
					fprintf(stderr, _("payops get: --limit '%s' is not a positive number\n"), v);
					return CLI_EXIT_USAGE;
				}
			}
		} else if (a[0] == '-' && a[1] == '-') {
			static const char *const opts[] = { "--sort", "--limit", "--output",
				"--cached", "--config", "--help", NULL };
			return cli_unknown("get", _("option"), a, opts);
		} else if (!k) {
			k = cli_kind_find(a);
			if (!k)
				return cli_unknown("get", _("kind"), a, cli_kind_names);
		} else {
			size_t n = strlen(text);
			snprintf(text + n, sizeof text - n, "%s%s", n ? " " : "", a);
		}
	}
	if (!k) {
		fputs(_(get_usage), stderr);
		return CLI_EXIT_USAGE;
	}
	bool fmt_ok = false;
	for (int i = 0; formats[i]; i++)
		fmt_ok |= strcmp(fmt, formats[i]) == 0;
	if (!fmt_ok)
		return cli_unknown("get", _("format"), fmt, formats);

	rowset r = { .k = k, .sort_col = -1, .limit = (size_t)limit };
	queue_filter qf;
	int qsort_key = 0;
	if (k->queue >= 0) {
		char err[256];
		if (queue_filter_parse(k->queue, text, &qf, err, sizeof err) != 0) {
			static const char *const keys[3][9] = {
				{ "stage", "risk", "as", "assignee", NULL },
				{ "date", "ch", "channel", "type", "st", "status", "sev", "min", NULL },
				{ "scope", "state", NULL } };
			const char *colon = strstr(err, "'");
			if (strncmp(err, "unknown filter key", 18) == 0 && colon) {
				char key[32];
				snprintf(key, sizeof key, "%s", colon + 1);
				char *q = strchr(key, '\'');
				if (q)
					*q = '\0';
				return cli_unknown("get", _("filter key"), key,
						   (const char *const *)keys[k->queue]);
			}
			fprintf(stderr, "payops get: %s\n", err);
			return CLI_EXIT_USAGE;
		}
		if (sort) {
			int i;
			for (i = 0; k->sorts[i] && strcmp(k->sorts[i], sort) != 0; i++)
				;
			if (!k->sorts[i])
				return cli_unknown("get", _("sort key"), sort, k->sorts);
			qsort_key = i;
		}
	} else {
		r.text = text;
		if (text[0] == '!') {
			r.invert = true;
			r.text = text + 1;
		}
		if (sort) {
			r.desc = sort[0] == '-';
			const char *key = sort + r.desc;
			int i;
			for (i = 0; k->cols[i] && strcmp(k->cols[i], key) != 0; i++)
				;
			if (!k->cols[i])
				return cli_unknown("get", _("sort key"), key, k->cols);
			r.sort_col = i;
		}
	}

	cli_session s;
	int rc = cli_session_load(&s, config, "get");
	if (rc == 0)
		rc = cli_session_connect(&s);
	if (rc != 0) {
		cli_session_free(&s);
		return rc;
	}
	if (cached) {
		if (cached_age(&s, k) != 0)
			rc = CLI_EXIT_DOWN;
	} else {
		char err[1024];
		long t = s.cfg.request_timeout_ms > 0 ? 3L * s.cfg.request_timeout_ms : 30000;
		if (cli_fetch(&s, &k->coll, 1, t, err, sizeof err) != 0) {
			char clean[1024];
			text_sanitize(err, (size_t)-1, clean, sizeof clean);
			fprintf(stderr, _("payops get: the platform did not answer: %s\n"
				"(payops get %s --cached lists what the cache holds)\n"), clean, k->name);
			rc = CLI_EXIT_DOWN;
		}
	}
	if (rc == 0) {
		if (k->queue >= 0) {
			cache *c = sync_cache(s.sy);
			if (!c || query_queue(&r, c, &qf, qsort_key) != 0) {
				fprintf(stderr, "payops get: %s\n", c ? cache_error(c) : _("no cache"));
				rc = CLI_EXIT_CONFIG;
			}
		} else {
			small_rows(&r, s.st);
		}
	}
	if (rc == 0) {
		if (strcmp(fmt, "csv") == 0)
			out_csv(&r);
		else if (strcmp(fmt, "json") == 0)
			rc = out_json(&r, sync_cache(s.sy)) ? CLI_EXIT_CONFIG : 0;
		else
			out_table(&r);
	}
	rowset_free(&r);
	cli_session_free(&s);
	return rc;
}
