/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/chmetrics.c: Prometheus's channel numbers over the platform's, for
 * the Channels pane and the Overview (see chmetrics.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "views/chmetrics.h"

static double *field(api_channel *c, int measure)
{
	switch (measure) {
	case CFG_MQ_TPS: return &c->tps;
	case CFG_MQ_SYSTEM_SR: return &c->system_success_rate;
	case CFG_MQ_BUSINESS_SR: return &c->business_success_rate;
	case CFG_MQ_P95: return &c->latency_p95_ms;
	default: return NULL;
	}
}

const api_channel *chm_shown(const pm_source *pm, const api_channel *c,
			     api_channel *tmp, unsigned *fallback)
{
	if (fallback)
		*fallback = 0;
	if (!pm || !c)
		return c;
	*tmp = *c;
	for (int m = 0; m < CFG_MQ_COUNT; m++) {
		double v;
		if (pm_value(pm, c->id, m, &v)) {
			if (m == CFG_MQ_SYSTEM_SR || m == CFG_MQ_BUSINESS_SR)
				v = v < 0 ? 0 : v > 1 ? 1 : v;
			*field(tmp, m) = v;
		} else if (fallback) {
			*fallback |= 1u << m;
		}
	}
	return tmp;
}

int chm_measure_of_field(const char *f)
{
	if (!f)
		return -1;
	if (!strcmp(f, "tps"))
		return CFG_MQ_TPS;
	if (!strcmp(f, "system_success_rate"))
		return CFG_MQ_SYSTEM_SR;
	if (!strcmp(f, "business_success_rate"))
		return CFG_MQ_BUSINESS_SR;
	if (!strcmp(f, "latency_ms.p95"))
		return CFG_MQ_P95;
	return -1;
}

void chm_mark(char *buf, size_t bufsz, unsigned fallback, int measure)
{
	if (measure < 0 || !(fallback & (1u << measure)) || bufsz < 2)
		return;
	char t[128];
	snprintf(t, sizeof t, "%s", buf);
	snprintf(buf, bufsz, "%s%s", CHM_MARK, t);
}

void chm_sources_line(const pm_source *pm, const api_channel *c, char *buf,
		      size_t bufsz)
{
	if (!pm || !c) {
		/* TRANSLATORS: channel detail: where the numbers come from */
		snprintf(buf, bufsz, "%s", _("numbers: the platform"));
		return;
	}
	static const char *const names[CFG_MQ_COUNT] = {
		N_("tps"), N_("system"), N_("business"), N_("p95") };
	size_t n = 0;
	/* TRANSLATORS: channel detail: where each number comes from, then
	 * one "tps Prometheus" or "p95 *platform (why)" per measure */
	n += (size_t)snprintf(buf, bufsz, _("numbers from %s:"), pm_url(pm));
	for (int m = 0; m < CFG_MQ_COUNT && n < bufsz; m++) {
		double v;
		const char *why = pm_measure_error(pm, m);
		if (pm_value(pm, c->id, m, &v))
			n += (size_t)snprintf(buf + n, bufsz - n, "  %s %s",
					      _(names[m]), _("Prometheus"));
		else
			n += (size_t)snprintf(
				buf + n, bufsz - n, "  %s %splatform (%s)",
				_(names[m]), CHM_MARK,
				pm_measure_health(pm, m) == PM_PENDING
					? _("no answer yet")
				: why[0] ? why : _("no sample for this channel"));
	}
}

size_t chm_trend(const pm_source *pm, const char *channel, double *ssr,
		 double *p95, size_t max)
{
	const pm_series *a = pm_trend(pm, channel, CFG_MQ_SYSTEM_SR);
	const pm_series *b = pm_trend(pm, channel, CFG_MQ_P95);
	size_t na = a ? a->n : 0, nb = b ? b->n : 0;
	size_t n = na > nb ? na : nb;
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++) {
		/* aligned on the newest point */
		size_t back = n - i;
		ssr[i] = back <= na ? a->v[na - back] : NAN;
		p95[i] = back <= nb ? b->v[nb - back] : NAN;
	}
	return n;
}

unsigned long long chm_gen(const pm_source *pm)
{
	return pm ? (unsigned long long)pm_gen(pm) : 0;
}
