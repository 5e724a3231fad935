/* SPDX-License-Identifier: ISC (see COPYING) */
/* bench/cachebench.c: drive the cache and the incremental sync without the
 * console, for bench/run.sh and tests/cache/incr.sh.
 *
 *   cachebench sync  --url URL --db FILE [--kinds breaks,cases,limits]
 *                    [--cycles N] [--poll-ms MS] [--timeout-s S]
 *       Run the incremental sync until every kind has completed N walks
 *       (full or incremental), then print one line of counters. The token
 *       comes from $PAYOPS_TOKEN (never the command line).
 *   cachebench count --db FILE [--status S] [--channel ID] [--date D]
 *                    [--type T] [--severity S] [--min-diff N] [--text T]
 *       "count=N sum=S" for that break filter.
 *   cachebench query --db FILE [--reps N] [--each]
 *       Latency of every pane filter (breaks, cases, limits): page 1 under
 *       each sort (the slowest sort reported; --each: every sort) and the
 *       count; deep pages by
 *       OFFSET and by keyset. One line per row, p50 and p95 in ms.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cache/cache.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/incr.h"
#include "text/text.h"
#include "base/ev.h"

static const char *opt(int argc, char **argv, const char *name, const char *def)
{
	for (int i = 2; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return def;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static cache *open_db(const char *path)
{
	char msg[1024];
	cache *c = cache_open_path(path, msg, sizeof msg);
	if (msg[0])
		fprintf(stderr, "cachebench: %s\n", msg);
	if (!c)
		exit(2);
	return c;
}

typedef struct {
	ev_loop *ev;
	incr *in;
	unsigned kinds;
	unsigned long cycles;
	unsigned long start[3];
} run_ctx;

static void check_done(void *ctx)
{
	run_ctx *r = ctx;
	static const api_kind ks[3] = { API_KIND_CASE, API_KIND_BREAK, API_KIND_LIMIT };
	for (int i = 0; i < 3; i++)
		if ((r->kinds & (1u << ks[i])) && incr_cycles(r->in, ks[i]) < r->cycles)
			return;
	ev_stop(r->ev);
}

static void on_timeout(void *ctx)
{
	fprintf(stderr, "cachebench: timed out\n");
	ev_stop(ctx);
}

static int cmd_sync(int argc, char **argv)
{
	const char *url = opt(argc, argv, "--url", NULL);
	const char *db = opt(argc, argv, "--db", NULL);
	const char *kinds_s = opt(argc, argv, "--kinds", "breaks,cases,limits");
	const char *token = getenv("PAYOPS_TOKEN");
	if (!url || !db) {
		fprintf(stderr, "cachebench sync: --url and --db are required\n");
		return 2;
	}
	unsigned kinds = 0;
	if (strstr(kinds_s, "breaks"))
		kinds |= 1u << API_KIND_BREAK;
	if (strstr(kinds_s, "cases"))
		kinds |= 1u << API_KIND_CASE;
	if (strstr(kinds_s, "limits"))
		kinds |= 1u << API_KIND_LIMIT;
	cache *c = open_db(db);
	cache_sync_state before;
	cache_get_state(c, API_KIND_BREAK, &before);
	ev_loop *ev = ev_new();
	http_opts ho = {0};
	http_client *http = http_new(ev, &ho);
	store *st = store_new();
	incr_opts io = {
		.base_url = url, .token = token, .kinds = kinds,
		.poll_ms = atoi(opt(argc, argv, "--poll-ms", "1000")),
		.timeout_ms = 30000,
	};
	incr *in = incr_new(ev, http, st, c, &io);
	if (!ev || !http || !st || !in) {
		fprintf(stderr, "cachebench: setup failed\n");
		return 2;
	}
	run_ctx r = { .ev = ev, .in = in, .kinds = kinds,
		      .cycles = strtoul(opt(argc, argv, "--cycles", "1"), NULL, 10) };
	incr_set_listener(in, check_done, &r);
	ev_timer_add(ev, 1000LL * atoi(opt(argc, argv, "--timeout-s", "600")), on_timeout, ev);
	double t0 = now_s();
	incr_start(in);
	ev_run(ev);
	double secs = now_s() - t0;
	incr_stats s;
	incr_get_stats(in, &s);
	cache_sync_state after;
	cache_get_state(c, API_KIND_BREAK, &after);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	char since[40] = "", hw[40] = "";
	if (before.high_water)
		time_format_rfc3339(before.high_water - 5, since, sizeof since);
	time_format_rfc3339(after.high_water, hw, sizeof hw);
	printf("requests=%lu not_modified=%lu pages=%lu items=%lu rejected=%lu full_walks=%lu"
	       " delta_walks=%lu deleted=%lu errors=%lu seconds=%.3f maxrss_kb=%ld"
	       " since=%s high_water=%s\n",
	       s.requests, s.not_modified, s.pages, s.items, s.rejected, s.full_walks,
	       s.delta_walks, s.deleted, s.errors, secs, ru.ru_maxrss,
	       since[0] ? since : "-", hw);
	const store_meta *m = store_meta_get(st, STORE_BREAKS);
	if (m->error[0])
		fprintf(stderr, "cachebench: breaks: %s\n", m->error);
	incr_free(in);
	http_free(http);
	store_free(st);
	ev_free(ev);
	cache_close(c);
	/* nothing but errors: say so in the exit status */
	return s.errors && !s.pages && !s.not_modified ? 1 : 0;
}

static unsigned enum_bit(const char *s, int (*from)(const char *))
{
	return s ? 1u << from(s) : 0;
}

static int f_status(const char *s) { return (int)api_break_status_from_str(s); }
static int f_type(const char *s) { return (int)api_break_type_from_str(s); }
static int f_sev(const char *s) { return (int)api_severity_from_str(s); }

static int cmd_count(int argc, char **argv)
{
	const char *db = opt(argc, argv, "--db", NULL);
	if (!db)
		return 2;
	cache *c = open_db(db);
	cache_break_filter f = {
		.recon_date = opt(argc, argv, "--date", NULL),
		.channel_id = opt(argc, argv, "--channel", NULL),
		.statuses = enum_bit(opt(argc, argv, "--status", NULL), f_status),
		.types = enum_bit(opt(argc, argv, "--type", NULL), f_type),
		.severities = enum_bit(opt(argc, argv, "--severity", NULL), f_sev),
		.min_abs_difference = atoll(opt(argc, argv, "--min-diff", "0")),
		.text = opt(argc, argv, "--text", NULL),
	};
	int64_t n = 0, sum = 0;
	int rc = cache_count_breaks(c, &f, &n, &sum);
	if (rc == 0)
		printf("count=%lld sum=%lld\n", (long long)n, (long long)sum);
	else
		fprintf(stderr, "cachebench: %s\n", cache_error(c));
	cache_close(c);
	return rc == 0 ? 0 : 1;
}

static int count_row(void *ctx, api_break *b)
{
	(void)b;
	(*(long *)ctx)++;
	return 0;
}

static int count_case(void *ctx, api_case *o)
{
	(void)o;
	(*(long *)ctx)++;
	return 0;
}

static int count_limit(void *ctx, api_limit *o)
{
	(void)o;
	(*(long *)ctx)++;
	return 0;
}

/* The first row's identifying fields, for text filters that exist. */
typedef struct { char merchant[64], order[64], assignee[64], id[64]; } first_row;

static int grab_break(void *ctx, api_break *b)
{
	first_row *f = ctx;
	snprintf(f->merchant, sizeof f->merchant, "%s", b->merchant_id ? b->merchant_id : "");
	snprintf(f->order, sizeof f->order, "%s", b->order_no ? b->order_no : "");
	snprintf(f->id, sizeof f->id, "%s", b->id ? b->id : "");
	return 1;
}

static int grab_case(void *ctx, api_case *o)
{
	first_row *f = ctx;
	snprintf(f->merchant, sizeof f->merchant, "%s", o->merchant_id ? o->merchant_id : "");
	if (o->assignee && !f->assignee[0])
		snprintf(f->assignee, sizeof f->assignee, "%s", o->assignee);
	return f->assignee[0] != 0;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct {
	int reps;
	double *ms;
} timer_set;

static void ts_done(timer_set *t, double *p50, double *p95)
{
	qsort(t->ms, (size_t)t->reps, sizeof *t->ms, dcmp);
	*p50 = t->ms[t->reps / 2];
	*p95 = t->ms[(t->reps * 95 + 99) / 100 - 1];
}

/* --each: every sort's line, not only the slowest */
static int each_sort;

static const char *const break_sorts[] = { "newest", "|diff|", "severity", "date", "channel",
					   "status", "id" };
static const char *const case_sorts[] = { "sla", "risk", "submitted", "stage", "id" };
static const char *const limit_sorts[] = { "headroom", "utilisation", "state", "id" };

/* One pane's queries, the same shape for breaks, cases and limits: page 1
 * under a sort (rows delivered, or -1) and the count with its second
 * figure. */
typedef struct {
	const char *kind;       /* "breaks" */
	const char *const *sorts;
	int n_sorts;
	const char *second;     /* what the count's second figure is */
	long (*page)(cache *c, const void *f, int sort, long *rows);
	int (*count)(cache *c, const void *f, int64_t *n, int64_t *second);
} pane_q;

static long page_breaks(cache *c, const void *f, int so, long *rows)
{
	return cache_query_breaks(c, f, (cache_break_sort)so, 0, 50, count_row, rows);
}
static int count_breaks(cache *c, const void *f, int64_t *n, int64_t *sum)
{
	return cache_count_breaks(c, f, n, sum);
}
static long page_cases(cache *c, const void *f, int so, long *rows)
{
	return cache_query_cases(c, f, (cache_case_sort)so, 0, 50, count_case, rows);
}
static int count_cases(cache *c, const void *f, int64_t *n, int64_t *late)
{
	return cache_count_cases(c, f, time(NULL), n, late);
}
static long page_limits(cache *c, const void *f, int so, long *rows)
{
	return cache_query_limits(c, f, (cache_limit_sort)so, 0, 50, count_limit, rows);
}
static int count_limits(cache *c, const void *f, int64_t *n, int64_t *head)
{
	return cache_count_limits(c, f, n, head);
}

static const pane_q BREAKS_Q = { "breaks", break_sorts, 7, "summed difference",
				 page_breaks, count_breaks };
static const pane_q CASES_Q = { "cases", case_sorts, 5, "past SLA", page_cases, count_cases };
static const pane_q LIMITS_Q = { "limits", limit_sorts, 4, "summed headroom",
				 page_limits, count_limits };

/* One filter: page 1 (50 rows) under every sort, and the count; prints the
 * slowest sort's p50/p95 (--each: every sort's) and the count's. */
static void bench_filter(cache *c, timer_set *t, const pane_q *pq, const char *name, const void *f)
{
	double w50 = 0, w95 = 0;
	int worst = 0;
	long rows = 0;
	for (int so = 0; so < pq->n_sorts; so++) {
		for (int r = 0; r < t->reps; r++) {
			double t0 = now_s();
			rows = 0;
			pq->page(c, f, so, &rows);
			t->ms[r] = (now_s() - t0) * 1000.0;
		}
		double p50, p95;
		ts_done(t, &p50, &p95);
		if (each_sort)
			printf("sort\t%s: %s\t%.2f\t%.2f\trows=%ld\n", name, pq->sorts[so], p50, p95, rows);
		if (p95 > w95) {
			w50 = p50;
			w95 = p95;
			worst = so;
		}
	}
	printf("query\t%s %s: page 1, slowest of %d sorts (%s)\t%.2f\t%.2f\trows=%ld\n", pq->kind,
	       name, pq->n_sorts, pq->sorts[worst], w50, w95, rows);
	int64_t n = 0, second = 0;
	for (int r = 0; r < t->reps; r++) {
		double t0 = now_s();
		pq->count(c, f, &n, &second);
		t->ms[r] = (now_s() - t0) * 1000.0;
	}
	double p50, p95;
	ts_done(t, &p50, &p95);
	printf("query\t%s %s: count + %s\t%.2f\t%.2f\tcount=%lld\n", pq->kind, name, pq->second,
	       p50, p95, (long long)n);
	fflush(stdout);
}

/* A filter the pane hands to the reader thread (cache_breaks_slow): what
 * the loop spends (deciding, posting), then from the post: the first rows
 * shown (a first answer when the sort meets them soon, else the whole)
 * and the whole answer with the count, under every sort (the thread, its
 * own connection); and a window of the pane read by rowid from it. */
static void bench_reader(cache *c, timer_set *t, const char *name, const cache_break_filter *f)
{
	if (!cache_breaks_slow(c, f))
		return;
	cache_reader *rd = cache_reader_new(c);
	if (!rd)
		return;
	const int nsorts = (int)(sizeof break_sorts / sizeof break_sorts[0]);
	double loop_max = 0, loop_sum = 0, first_max = 0, first_sum = 0;
	double w50 = 0, w95 = 0;
	int worst = 0;
	size_t n = 0;
	cache_rowset rs = {0};
	for (int so = 0; so < nsorts; so++) {
		double f_sum = 0, f_max = 0;
		for (int r = 0; r < t->reps; r++) {
			double t0 = now_s();
			bool slow = cache_breaks_slow(c, f);
			cache_break_job j;
			cache_break_job_set(&j, f, (cache_break_sort)so);
			j.first = 96;
			uint64_t id = slow ? cache_reader_post(rd, &j) : 0;
			double lm = (now_s() - t0) * 1000.0, fm = -1;
			struct pollfd p = { cache_reader_fd(rd), POLLIN, 0 };
			for (;;) {
				cache_rowset_free(&rs);
				if (!id || poll(&p, 1, 60000) <= 0)
					break;
				if (!cache_reader_take(rd, &rs))
					continue;
				if (fm < 0)
					fm = (now_s() - t0) * 1000.0;
				if (!rs.partial)
					break;
			}
			t->ms[r] = (now_s() - t0) * 1000.0;
			loop_sum += lm;
			loop_max = lm > loop_max ? lm : loop_max;
			f_sum += fm;
			f_max = fm > f_max ? fm : f_max;
			n = rs.n;
		}
		double p50, p95;
		ts_done(t, &p50, &p95);
		if (each_sort)
			printf("sort\t%s: %s, off the loop: first rows / whole\t%.2f\t%.2f\tfirst rows %.1f ms\n",
			       name, break_sorts[so], p50, p95, f_sum / t->reps);
		if (p95 > w95) {
			w50 = p50;
			w95 = p95;
			worst = so;
		}
		first_sum += f_sum / t->reps / nsorts;
		first_max = f_max > first_max ? f_max : first_max;
	}
	printf("query\tbreaks %s: the loop's part (plan, post)\t%.2f\t%.2f\tmean, max\n",
	       name, loop_sum / t->reps / nsorts, loop_max);
	printf("query\tbreaks %s: first rows shown, off the loop\t%.2f\t%.2f\tmean, max of 7 sorts\n",
	       name, first_sum, first_max);
	printf("query\tbreaks %s: whole answer + count, off the loop (%s)\t%.2f\t%.2f\tcount=%zu\n",
	       name, break_sorts[worst], w50, w95, n);
	cache_rowset whole = {0};
	cache_break_job j;
	cache_break_job_set(&j, f, CACHE_BREAK_SORT_DETECTED);
	cache_rowset_breaks(c, &j, &whole);
	for (int r = 0; r < t->reps; r++) {
		long got = 0;
		size_t at = whole.n > 96 ? (size_t)r * (whole.n - 96) / (size_t)t->reps : 0;
		double t0 = now_s();
		cache_rows_breaks(c, whole.ids + at, whole.n - at < 96 ? whole.n - at : 96, count_row, &got);
		t->ms[r] = (now_s() - t0) * 1000.0;
	}
	double p50, p95;
	ts_done(t, &p50, &p95);
	printf("query\tbreaks %s: a window of 96 rows read by rowid\t%.2f\t%.2f\n", name, p50, p95);
	cache_rowset_free(&whole);
	cache_reader_free(rd);
	fflush(stdout);
}

/* Deep paging: the page at `depth` by OFFSET, against walking there by
 * keyset (every keyset page timed: each must cost the same). */
static void bench_deep(cache *c, timer_set *t, cache_break_sort so, size_t depth)
{
	long rows = 0;
	for (int r = 0; r < t->reps; r++) {
		double t0 = now_s();
		rows = 0;
		cache_query_breaks(c, NULL, so, depth, 50, count_row, &rows);
		t->ms[r] = (now_s() - t0) * 1000.0;
	}
	double p50, p95;
	ts_done(t, &p50, &p95);
	printf("query\tbreaks by %s: page at offset %zu (OFFSET)\t%.2f\t%.2f\trows=%ld\n",
	       break_sorts[so], depth, p50, p95, rows);
	cache_pos pos = {0};
	size_t pages = depth / 500 + 1, got = 0;
	double *ms = calloc(pages, sizeof *ms);
	if (!ms)
		return;
	for (size_t i = 0; i < pages; i++) {
		double t0 = now_s();
		rows = 0;
		cache_query_breaks_after(c, NULL, so, &pos, 500, count_row, &rows);
		ms[i] = (now_s() - t0) * 1000.0;
		got += (size_t)rows;
	}
	qsort(ms, pages, sizeof *ms, dcmp);
	printf("query\tbreaks by %s: keyset pages of 500 down to row %zu (each)\t%.2f\t%.2f\trows=%zu\n",
	       break_sorts[so], depth, ms[pages / 2], ms[(pages * 95 + 99) / 100 - 1], got);
	free(ms);
	fflush(stdout);
}

static int cmd_query(int argc, char **argv)
{
	const char *db = opt(argc, argv, "--db", NULL);
	int reps = atoi(opt(argc, argv, "--reps", "10"));
	if (!db || reps < 1)
		return 2;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--each") == 0)
			each_sort = 1;
	cache *c = open_db(db);
	int64_t total = 0, ncases = 0, nlimits = 0;
	cache_count_breaks(c, NULL, &total, NULL);
	cache_count_cases(c, NULL, 0, &ncases, NULL);
	cache_count_limits(c, NULL, &nlimits, NULL);
	char channel[128] = "", date[16] = "";
	/* a channel and a date that exist: the latest date's first channel */
	api_recon_summary sum = {0};
	if (cache_recon_summary(c, NULL, &sum) == 0) {
		snprintf(date, sizeof date, "%s", sum.date ? sum.date : "");
		if (sum.n_channels)
			snprintf(channel, sizeof channel, "%s", sum.channels[0].channel_id);
	}
	api_recon_summary_free(&sum);
	char day[16] = ""; /* the date as the ids spell it */
	for (size_t i = 0, o = 0; date[i] && o + 1 < sizeof day; i++)
		if (date[i] != '-')
			day[o++] = date[i];
	first_row fb = {{0}}, fc = {{0}};
	cache_query_breaks(c, NULL, CACHE_BREAK_SORT_DETECTED, 777, 1, grab_break, &fb);
	if (!day[0]) { /* no summary: the day of a break's id ("brk_20261122_...") */
		const char *u = strchr(fb.id, '_');
		if (u)
			snprintf(day, sizeof day, "%.8s", u + 1);
	}
	cache_query_cases(c, NULL, CACHE_CASE_SORT_ID, 777, 1000, grab_case, &fc);
	printf("rows=%lld cases=%lld limits=%lld channel=%s date=%s\n", (long long)total,
	       (long long)ncases, (long long)nlimits, channel, date);
	timer_set t = { reps, calloc((size_t)reps, sizeof(double)) };
	if (!t.ms)
		return 2;
	struct { const char *name; cache_break_filter f; } bf[] = {
		{ "no filter", {0} },
		{ "recon_date=D", { .recon_date = date } },
		{ "channel_id=X", { .channel_id = channel } },
		{ "type=amount_mismatch", { .types = 1u << BT_AMOUNT_MISMATCH } },
		{ "status=open", { .statuses = 1u << BS_OPEN } },
		{ "status=open|investigating|escalated", { .statuses = 1u << BS_OPEN | 1u << BS_INVESTIGATING | 1u << BS_ESCALATED } },
		{ "severity=high", { .severities = 1u << SEV_HIGH } },
		{ "|difference|>=10000", { .min_abs_difference = 10000 } },
		{ "|difference|>=15000", { .min_abs_difference = 15000 } },
		{ "high severity, |diff|>=10000", { .severities = 1u << SEV_HIGH, .min_abs_difference = 10000 } },
		{ "date=D, channel=X, open", { .recon_date = date, .channel_id = channel, .statuses = 1u << BS_OPEN } },
		{ "type, status, |diff|>=15000", { .types = 1u << BT_AMOUNT_MISMATCH, .statuses = 1u << BS_OPEN, .min_abs_difference = 15000 } },
		{ "text=an order no (one row)", { .text = fb.order } },
		{ "text=a merchant id", { .text = fb.merchant } },
		{ "text=\"op.\" (most rows)", { .text = "op." } },
		{ "text=op.wang (an assignee)", { .text = "op.wang" } },
		{ "text=a day of ids (YYYYMMDD)", { .text = day } },
	};
	for (size_t i = 0; i < sizeof bf / sizeof bf[0]; i++) {
		bench_filter(c, &t, &BREAKS_Q, bf[i].name, &bf[i].f);
		bench_reader(c, &t, bf[i].name, &bf[i].f);
	}
	bench_deep(c, &t, CACHE_BREAK_SORT_ID, (size_t)(total / 2));
	bench_deep(c, &t, CACHE_BREAK_SORT_DETECTED, (size_t)(total / 2));
	struct { const char *name; cache_case_filter f; } cf[] = {
		{ "no filter", {0} },
		{ "stage=manual_review", { .stages = 1u << STAGE_MANUAL_REVIEW } },
		{ "risk_level=high", { .risks = 1u << RISK_HIGH } },
		{ "assignee=A", { .assignee = fc.assignee } },
		{ "unassigned", { .assignee = "" } },
		{ "text=a merchant id", { .text = fc.merchant } },
	};
	for (size_t i = 0; i < sizeof cf / sizeof cf[0]; i++)
		bench_filter(c, &t, &CASES_Q, cf[i].name, &cf[i].f);
	struct { const char *name; cache_limit_filter f; } lf[] = {
		{ "no filter", {0} },
		{ "scope=merchant", { .scopes = 1u << SCOPE_MERCHANT } },
		{ "state=breached", { .states = 1u << LS_BREACHED } },
		{ "state=warning|breached", { .states = 1u << LS_WARNING | 1u << LS_BREACHED } },
		{ "text=a channel id", { .text = channel } },
	};
	for (size_t i = 0; i < sizeof lf / sizeof lf[0]; i++)
		bench_filter(c, &t, &LIMITS_Q, lf[i].name, &lf[i].f);
	free(t.ms);
	cache_close(c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: cachebench sync|count|query ...\n");
		return 2;
	}
	if (strcmp(argv[1], "sync") == 0)
		return cmd_sync(argc, argv);
	if (strcmp(argv[1], "count") == 0)
		return cmd_count(argc, argv);
	if (strcmp(argv[1], "query") == 0)
		return cmd_query(argc, argv);
	fprintf(stderr, "cachebench: unknown command %s\n", argv[1]);
	return 2;
}
