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
 *   cachebench query --db FILE [--reps N]
 *       Latency of the break pane's filter/sort/page queries and counts:
 *       one line per query, p50 and p95 in milliseconds.
 */
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
#include "tui/ev.h"

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

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int cmd_query(int argc, char **argv)
{
	const char *db = opt(argc, argv, "--db", NULL);
	int reps = atoi(opt(argc, argv, "--reps", "30"));
	if (!db || reps < 1)
		return 2;
	cache *c = open_db(db);
	int64_t total = 0;
	cache_count_breaks(c, NULL, &total, NULL);
	char channel[128] = "", date[16] = "";
	struct { const char *name; cache_break_filter f; cache_break_sort sort; bool count; size_t off; } qs[] = {
		{ "page 1, newest first (no filter)", {0}, CACHE_BREAK_SORT_DETECTED, false, 0 },
		{ "page deep (offset 500000), by id", {0}, CACHE_BREAK_SORT_ID, false, 500000 },
		{ "status=open, largest |difference| first", { .statuses = 1u << BS_OPEN }, CACHE_BREAK_SORT_DIFFERENCE, false, 0 },
		{ "channel=X, newest first", { .channel_id = channel }, CACHE_BREAK_SORT_DETECTED, false, 0 },
		{ "date=D, channel=X, open, by severity", { .recon_date = date, .channel_id = channel, .statuses = 1u << BS_OPEN }, CACHE_BREAK_SORT_SEVERITY, false, 0 },
		{ "type=amount_mismatch, |diff|>=10000", { .types = 1u << BT_AMOUNT_MISMATCH, .min_abs_difference = 10000 }, CACHE_BREAK_SORT_DETECTED, false, 0 },
		{ "text search (substring)", { .text = "mer_5101" }, CACHE_BREAK_SORT_DETECTED, false, 0 },
		{ "count+sum: all", {0}, 0, true, 0 },
		{ "count+sum: status=open", { .statuses = 1u << BS_OPEN }, 0, true, 0 },
		{ "count+sum: channel=X, open", { .channel_id = channel, .statuses = 1u << BS_OPEN }, 0, true, 0 },
		{ "count+sum: date=D", { .recon_date = date }, 0, true, 0 },
		{ "count+sum: high severity, |diff|>=10000", { .severities = 1u << SEV_HIGH, .min_abs_difference = 10000 }, 0, true, 0 },
	};
	/* a channel and a date that exist: the latest date's first channel */
	api_recon_summary sum = {0};
	if (cache_recon_summary(c, NULL, &sum) == 0) {
		snprintf(date, sizeof date, "%s", sum.date ? sum.date : "");
		if (sum.n_channels)
			snprintf(channel, sizeof channel, "%s", sum.channels[0].channel_id);
	}
	api_recon_summary_free(&sum);
	printf("rows=%lld channel=%s date=%s\n", (long long)total, channel, date);
	double *ms = calloc((size_t)reps, sizeof *ms);
	for (size_t q = 0; q < sizeof qs / sizeof qs[0]; q++) {
		long rows = 0;
		int64_t n = 0, s = 0;
		for (int r = 0; r < reps; r++) {
			double t0 = now_s();
			rows = 0;
			if (qs[q].count)
				cache_count_breaks(c, &qs[q].f, &n, &s);
			else
				cache_query_breaks(c, &qs[q].f, qs[q].sort, qs[q].off, 50, count_row, &rows);
			ms[r] = (now_s() - t0) * 1000.0;
		}
		qsort(ms, (size_t)reps, sizeof *ms, dcmp);
		printf("query\t%s\t%.2f\t%.2f\t%s%lld\n", qs[q].name, ms[reps / 2],
		       ms[(reps * 95 + 99) / 100 - 1], qs[q].count ? "count=" : "rows=",
		       qs[q].count ? (long long)n : (long long)rows);
	}
	free(ms);
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
