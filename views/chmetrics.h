/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/chmetrics.h: the channel numbers as the panes show them when a
 * Prometheus source is configured (metrics/prom.h): TPS, both success
 * rates and p95 from Prometheus, each one the platform's, marked, when
 * Prometheus has no fresh number for that channel. Without a source the
 * channel is shown as the platform sent it. */
#ifndef PAYOPS_VIEWS_CHMETRICS_H
#define PAYOPS_VIEWS_CHMETRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "api/model.h"
#include "metrics/prom.h"

/* The mark before a number shown from the platform in place of
 * Prometheus's. */
#define CHM_MARK "*"

/* c itself (pm NULL), or *tmp: a shallow copy of c with Prometheus's
 * numbers; *fallback (may be NULL) gets bit 1 << CFG_MQ_* for each measure
 * that is the platform's although Prometheus is configured. */
const api_channel *chm_shown(const pm_source *pm, const api_channel *c,
			     api_channel *tmp, unsigned *fallback);
/* The measure a Channels column shows by its field name
 * ("tps", "system_success_rate", "business_success_rate",
 * "latency_ms.p95"), or -1. */
int chm_measure_of_field(const char *field);
/* Prefix buf with CHM_MARK when the measure fell back. */
void chm_mark(char *buf, size_t bufsz, unsigned fallback, int measure);
/* One line for the detail pane: where each number comes from. */
void chm_sources_line(const pm_source *pm, const api_channel *c, char *buf,
		      size_t bufsz);
/* The Prometheus trend of the channel, newest last, at most max points in
 * ssr[] and p95[] (NaN where one lacks a point); 0 when none. */
size_t chm_trend(const pm_source *pm, const char *channel, double *ssr,
		 double *p95, size_t max);
/* A value that moves whenever what chm_shown gives may move. */
unsigned long long chm_gen(const pm_source *pm);

#endif
