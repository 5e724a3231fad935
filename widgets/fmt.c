/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/fmt.c: words, symbols and roles for the values the views show. */
#include "widgets/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "text/text.h"

void fmt_enum(char *out, size_t sz, const char *known, const char *raw)
{
	if (known)
		snprintf(out, sz, "%s", known);
	else
		snprintf(out, sz, "%s?", raw && *raw ? raw : "");
}

/* How one value of a state enum is shown: its word and the role it is drawn in. */
struct fmt_word {
	const char *word;
	term_role role;
};

/* The word of value v in a table of n, or the raw text marked unknown. */
static term_role fmt_state(char *out, size_t sz, const struct fmt_word *tab, size_t n,
			   int v, const char *raw)
{
	if (v >= 0 && (size_t)v < n) {
		snprintf(out, sz, "%s", tab[v].word);
		return tab[v].role;
	}
	fmt_enum(out, sz, NULL, raw);
	return ROLE_WARN;
}

#define FMT_STATE(out, sz, tab, v, raw) \
	fmt_state(out, sz, tab, sizeof tab / sizeof tab[0], (int)(v), raw)

static const struct fmt_word health_words[] = {
	[HEALTH_HEALTHY] = { "+ healthy", ROLE_OK },
	[HEALTH_DEGRADED] = { "~ degraded", ROLE_WARN },
	[HEALTH_DOWN] = { "x DOWN", ROLE_CRIT },
	[HEALTH_UNKNOWN] = { "? unknown", ROLE_DIM },
};

static const struct fmt_word admin_words[] = {
	[ADM_ENABLED] = { "enabled", ROLE_NORMAL },
	[ADM_DISABLED] = { "disabled", ROLE_DIM },
	[ADM_DRAINING] = { "draining", ROLE_WARN },
	[ADM_QUARANTINED] = { "QUARANTINED", ROLE_CRIT },
};

static const struct fmt_word breaker_words[] = {
	[BRK_CLOSED] = { "closed", ROLE_NORMAL },
	[BRK_OPEN] = { "OPEN", ROLE_CRIT },
	[BRK_HALF_OPEN] = { "half_open", ROLE_WARN },
	[BRK_FORCED_OPEN] = { "FORCED_OPEN", ROLE_CRIT },
};

term_role fmt_health(char *out, size_t sz, api_health h, const char *raw)
{
	return FMT_STATE(out, sz, health_words, h, raw);
}

term_role fmt_admin(char *out, size_t sz, api_admin_state a, const char *raw)
{
	return FMT_STATE(out, sz, admin_words, a, raw);
}

term_role fmt_breaker(char *out, size_t sz, api_breaker b, const char *raw)
{
	return FMT_STATE(out, sz, breaker_words, b, raw);
}

void fmt_network(char *out, size_t sz, api_network n, const char *raw)
{
	fmt_enum(out, sz, n == NET_UNKNOWN ? NULL : api_network_str(n), raw);
}

int fmt_ssr_level(double rate, const cfg_config *cfg)
{
	if (isnan(rate))
		return 0;
	if (rate < cfg->crit_success_rate)
		return 2;
	if (rate < cfg->warn_success_rate)
		return 1;
	return 0;
}

static const char *const level_mark[] = { "", " !", " !!" };
static const term_role level_role[] = { ROLE_NORMAL, ROLE_WARN, ROLE_CRIT };

term_role fmt_ssr(char *out, size_t sz, double rate, const cfg_config *cfg)
{
	if (isnan(rate)) {
		snprintf(out, sz, "-");
		return ROLE_DIM;
	}
	int lv = fmt_ssr_level(rate, cfg);
	snprintf(out, sz, "%.2f%%%s", rate * 100.0, level_mark[lv]);
	return level_role[lv];
}

term_role fmt_p95(char *out, size_t sz, double ms, const cfg_config *cfg)
{
	if (isnan(ms)) {
		snprintf(out, sz, "-");
		return ROLE_DIM;
	}
	int lv = ms > cfg->crit_p95_ms ? 2 : ms > cfg->warn_p95_ms ? 1 : 0;
	snprintf(out, sz, "%.0fms%s", ms, level_mark[lv]);
	return level_role[lv];
}

void fmt_rate(char *out, size_t sz, double rate)
{
	if (isnan(rate))
		snprintf(out, sz, "-");
	else
		snprintf(out, sz, "%.2f%%", rate * 100.0);
}

void fmt_tps(char *out, size_t sz, double tps)
{
	if (isnan(tps))
		snprintf(out, sz, "-");
	else
		snprintf(out, sz, "%.1f", tps);
}

void fmt_share(char *out, size_t sz, double share)
{
	if (isnan(share))
		snprintf(out, sz, "-");
	else
		snprintf(out, sz, "%.1f%%", share * 100.0); /* 0.3%, not 0% */
}

void fmt_time(char *out, size_t sz, time_t t, time_t now)
{
	if (t == 0) {
		snprintf(out, sz, "-");
		return;
	}
	struct tm a, b;
	gmtime_r(&t, &a);
	gmtime_r(&now, &b);
	if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
		strftime(out, sz, "%H:%MZ", &a);
	else
		strftime(out, sz, "%m-%d %H:%MZ", &a);
}

int64_t fmt_permille(int64_t used, int64_t limit)
{
	if (limit <= 0 || used <= 0)
		return 0;
	__int128 p = ((__int128)used * 1000 + limit / 2) / limit;
	if (p >= 1000 && used < limit)
		p = 999;
	return p > INT64_MAX ? INT64_MAX : (int64_t)p;
}

void fmt_usage(char *out, size_t sz, int64_t used, int64_t limit, int cells)
{
	if (cells < 1)
		cells = 1;
	if (cells > 64)
		cells = 64;
	int64_t pm = fmt_permille(used, limit);
	int64_t fill = pm >= 1000 ? cells : pm * cells / 1000;
	char bar[72];
	for (int i = 0; i < cells; i++)
		bar[i] = i < fill ? '#' : '.';
	if (pm > 1000)
		bar[cells - 1] = '!';
	bar[cells] = '\0';
	if (limit <= 0)
		snprintf(out, sz, "[%s]     -", bar);
	else
		snprintf(out, sz, "[%s] %3lld.%lld%%", bar, (long long)(pm / 10),
			 (long long)(pm % 10));
}

bool fmt_bad(char *out, size_t sz, const api_bad *b, const char *field,
	     int *role)
{
	if (!api_bad_has(b, field))
		return false;
	snprintf(out, sz, "%s", FMT_BAD);
	if (role)
		*role = ROLE_WARN;
	return true;
}

bool fmt_bad_line(char *out, size_t sz, const api_bad *b)
{
	size_t o = 0;
	int n;

	if (sz)
		out[0] = '\0';
	if (api_bad_count(b) == 0 || sz == 0)
		return false;
	n = snprintf(out, sz, _("invalid fields (shown as %s):"), FMT_BAD);
	for (size_t i = 0; n >= 0 && (o += (size_t)n) < sz && i < b->n; i++)
		n = snprintf(out + o, sz - o, "%s %s: %s", i ? ";" : "",
			     b->v[i].field, b->v[i].why);
	if (b->more && o < sz)
		snprintf(out + o, sz - o, _(" (and %zu more)"), b->more);
	return true;
}

void fmt_money(char *out, size_t sz, int64_t minor, const char *currency,
	       const api_bad *b, const char *field, bool exact, int *role)
{
	if (fmt_bad(out, sz, b, field, role))
		return;
	if (api_bad_has(b, "currency")) {
		if (exact)
			snprintf(out, sz, _("%lld minor units, currency %s"),
				 (long long)minor, FMT_BAD);
		else
			fmt_bad(out, sz, b, "currency", role);
		return;
	}
	money_format(minor, currency, out, sz);
}
