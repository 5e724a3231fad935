/* SPDX-License-Identifier: ISC (see COPYING) */
/* bench/prombench.c: the cost per poll of the Prometheus source
 * (metrics/prom.h) against a running Prometheus: the four instant queries
 * of a poll, POLLS times, on the real event loop; prints requests, answer
 * bytes and CPU per poll, and the channels answered.
 *
 *   bench/prombench PROMETHEUS_URL [POLLS] [POLL_MS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config/config.h"
#include "metrics/prom.h"

static int polls_left;
static ev_loop *ev;
static pm_source *pm;
static int64_t poll_ms;

static double cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void stop_after(void *ctx)
{
	(void)ctx;
	if (--polls_left <= 0)
		ev_stop(ev);
	else
		ev_timer_add(ev, poll_ms, stop_after, NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: prombench PROMETHEUS_URL [POLLS] [POLL_MS]\n");
		return 2;
	}
	int polls = argc > 2 ? atoi(argv[2]) : 20;
	poll_ms = argc > 3 ? atoi(argv[3]) : 1000;
	if (polls < 1 || poll_ms < 100)
		return 2;
	cfg_config c;
	cfg_defaults(&c);
	c.metrics.prometheus = strdup(argv[1]);
	c.poll_interval_ms = (int)poll_ms;
	ev = ev_new();
	pm = ev ? pm_new(ev, &c, NULL) : NULL;
	if (!pm) {
		fprintf(stderr, "prombench: cannot set up\n");
		return 1;
	}
	double c0 = cpu_ms();
	polls_left = polls;
	pm_start(pm);
	/* stop just before the poll after the last one goes out */
	ev_timer_add(ev, poll_ms - poll_ms / 10, stop_after, NULL);
	ev_run(ev);
	double used = cpu_ms() - c0;
	uint64_t req, bytes;
	pm_counts(pm, &req, &bytes);
	size_t channels = pm_sample_count(pm, CFG_MQ_TPS);
	printf("polls=%d requests=%llu bytes=%llu cpu_ms=%.1f per_poll_requests=%.1f "
	       "per_poll_kb=%.1f per_poll_cpu_ms=%.2f per_request_kb=%.1f "
	       "per_request_cpu_ms=%.2f health=%s channels=%zu\n",
	       polls, (unsigned long long)req, (unsigned long long)bytes, used,
	       (double)req / polls, bytes / 1024.0 / polls, used / polls,
	       req ? bytes / 1024.0 / req : 0.0, req ? used / req : 0.0,
	       pm_measure_health(pm, CFG_MQ_TPS) == PM_UP ? "up" : "failing",
	       channels);
	for (int i = 0; i < CFG_MQ_COUNT; i++)
		if (pm_measure_health(pm, i) != PM_UP)
			fprintf(stderr, "prombench: %s: %s\n",
				cfg_metrics_query_name(i), pm_measure_error(pm, i));
	pm_free(pm);
	ev_free(ev);
	cfg_free(&c);
	return 0;
}
