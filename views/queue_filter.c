/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/queue_filter.c: the filter language of the work-queue panes
 * (views/queue.h): words to the cache's filters. Enum values are the
 * contract's spellings (api/enums.c), taken by a unique prefix or an
 * alias. */
#include "views/queue.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "text/text.h"

typedef struct {
	const char *alias;
	unsigned bits;
} alias;

/* One value of an enum key: an alias, an exact word, or a unique prefix. */
static int enum_value(const char *v, size_t len, const char *const *words,
		      size_t n, const alias *al, unsigned *bits)
{
	for (; al && al->alias; al++)
		if (strlen(al->alias) == len && strncasecmp(al->alias, v, len) == 0) {
			*bits |= al->bits;
			return 0;
		}
	int found = -1;
	for (size_t i = 0; i < n; i++) {
		if (strlen(words[i]) == len && strncasecmp(words[i], v, len) == 0) {
			*bits |= 1u << i;
			return 0;
		}
		if (strncasecmp(words[i], v, len) == 0) {
			if (found >= 0)
				return -2; /* ambiguous */
			found = (int)i;
		}
	}
	if (found < 0)
		return -1;
	*bits |= 1u << found;
	return 0;
}

static int enum_list(const char *key, const char *v, const char *const *words,
		     size_t n, const alias *al, unsigned *bits, char *err,
		     size_t errsz)
{
	unsigned acc = 0;
	while (*v) {
		const char *c = strchr(v, ',');
		size_t len = c ? (size_t)(c - v) : strlen(v);
		if (len > 0) {
			int rc = enum_value(v, len, words, n, al, &acc);
			if (rc != 0) {
				/* TRANSLATORS: filter key, the value typed, "ambiguous" or
				 * "unknown", the first values the key takes */
				snprintf(err, errsz, _("%s: '%.*s' is %s (one of: %s%s%s%s%s...)"),
					 key, (int)(len > 40 ? 40 : len), v,
					 rc == -2 ? _("ambiguous") : _("unknown"), words[0],
					 n > 1 ? ", " : "", n > 1 ? words[1] : "",
					 n > 2 ? ", " : "", n > 2 ? words[2] : "");
				return -1;
			}
		}
		v += len + (c ? 1 : 0);
	}
	*bits |= acc;
	return 0;
}

static bool key_is(const char *k, size_t klen, const char *a, const char *b)
{
	return (strlen(a) == klen && strncasecmp(k, a, klen) == 0) ||
	       (b && strlen(b) == klen && strncasecmp(k, b, klen) == 0);
}

static int valid_date(const char *v)
{
	if (strlen(v) != 10)
		return 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (v[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)v[i])) {
			return 0;
		}
	}
	int mo = (v[5] - '0') * 10 + (v[6] - '0');
	int d = (v[8] - '0') * 10 + (v[9] - '0');
	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static void add_text(queue_filter *f, const char *w, size_t len)
{
	size_t have = strlen(f->text);
	snprintf(f->text + have, sizeof f->text - have, "%s%.*s", have ? " " : "",
		 (int)len, w);
}

static int one_term(queue_kind k, const char *key, size_t klen, const char *v,
		    queue_filter *f, char *err, size_t errsz)
{
	static const alias st_alias[] = {
		{ "wo", 1u << BS_WRITTEN_OFF },
		{ "active", API_BREAKS_ACTIVE },
		{ "closed", 1u << BS_RESOLVED | 1u << BS_WRITTEN_OFF },
		{ NULL, 0 } };
	static const alias type_alias[] = {
		{ "mp", 1u << BT_MISSING_PLATFORM }, { "mc", 1u << BT_MISSING_CHANNEL },
		{ "amt", 1u << BT_AMOUNT_MISMATCH }, { "rnf", 1u << BT_REFUND_NO_FINAL },
		{ "fund", 1u << BT_FUND_MISMATCH }, { NULL, 0 } };
	static const alias sev_alias[] = {
		{ "med", 1u << SEV_MEDIUM }, { NULL, 0 } };
	static const alias stage_alias[] = {
		{ "mr", 1u << STAGE_MANUAL_REVIEW }, { "ic", 1u << STAGE_INTENT_CONFIRM },
		{ "open", API_STAGES_OPEN },
		{ NULL, 0 } };
	static const alias lstate_alias[] = {
		{ "warn", 1u << LS_WARNING }, { NULL, 0 } };

	if (k == QUEUE_BREAKS) {
		if (key_is(key, klen, "date", "d")) {
			if (strcasecmp(v, "latest") == 0 || valid_date(v)) {
				snprintf(f->recon_date, sizeof f->recon_date, "%s", v);
				return 0;
			}
			snprintf(err, errsz, _("date: '%.20s' is not YYYY-MM-DD or latest"), v);
			return -1;
		}
		if (key_is(key, klen, "ch", "channel")) {
			snprintf(f->channel, sizeof f->channel, "%.*s", (int)sizeof f->channel - 1, v);
			return 0;
		}
		if (key_is(key, klen, "type", "t"))
			return enum_list("type", v, api_break_type_names, BT_UNKNOWN, type_alias,
					 &f->types, err, errsz);
		if (key_is(key, klen, "st", "status"))
			return enum_list("status", v, api_break_status_names, BS_UNKNOWN,
					 st_alias, &f->statuses, err, errsz);
		if (key_is(key, klen, "sev", "severity"))
			return enum_list("severity", v, api_severity_names, SEV_UNKNOWN,
					 sev_alias, &f->severities, err, errsz);
		if (key_is(key, klen, "min", NULL)) {
			int64_t m;
			if (money_parse(v, "CNY", &m) != 0 || m < 0) {
				snprintf(err, errsz, _("min: '%.30s' is not an amount"), v);
				return -1;
			}
			f->min_abs_difference = m;
			return 0;
		}
	} else if (k == QUEUE_CASES) {
		if (key_is(key, klen, "stage", "s"))
			return enum_list("stage", v, api_stage_names, STAGE_UNKNOWN,
					 stage_alias, &f->stages, err, errsz);
		if (key_is(key, klen, "risk", "r"))
			return enum_list("risk", v, api_risk_names, RISK_UNKNOWN, sev_alias,
					 &f->risks, err, errsz);
		if (key_is(key, klen, "as", "assignee")) {
			f->has_assignee = true;
			snprintf(f->assignee, sizeof f->assignee, "%.*s",
				 (int)sizeof f->assignee - 1,
				 strcmp(v, "-") == 0 || strcasecmp(v, "none") == 0 ? "" : v);
			return 0;
		}
	} else {
		if (key_is(key, klen, "scope", NULL))
			return enum_list("scope", v, api_limit_scope_names, SCOPE_UNKNOWN, NULL,
					 &f->scopes, err, errsz);
		if (key_is(key, klen, "state", "st"))
			return enum_list("state", v, api_limit_state_names, LS_UNKNOWN,
					 lstate_alias, &f->states, err, errsz);
	}
	snprintf(err, errsz, _("unknown filter key '%.*s' (%s)"), (int)(klen > 20 ? 20 : klen),
		 key, k == QUEUE_BREAKS ? "date ch type st sev min" :
		 k == QUEUE_CASES ? "stage risk as" : "scope state");
	return -1;
}

int queue_filter_parse(queue_kind k, const char *text, queue_filter *out,
		       char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (errsz)
		err[0] = '\0';
	const char *p = text ? text : "";
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		size_t len = (size_t)(e - p);
		const char *sep = NULL;
		for (const char *q = p; q < e; q++)
			if (*q == ':' || *q == '=') {
				sep = q;
				break;
			}
		if (sep && sep > p) {
			char v[256];
			snprintf(v, sizeof v, "%.*s", (int)(e - sep - 1), sep + 1);
			if (*v && one_term(k, p, (size_t)(sep - p), v, out, err, errsz) != 0)
				return -1;
		} else if (len == 1 && *p == '!' ) {
			snprintf(err, errsz, "%s", _("'!' (not) works on the other panes only"));
			return -1;
		} else {
			add_text(out, p, len);
		}
		p = e;
	}
	return 0;
}

void queue_filter_breaks(const queue_filter *f, cache_break_filter *out)
{
	memset(out, 0, sizeof *out);
	out->recon_date = f->recon_date[0] && strcasecmp(f->recon_date, "latest") ?
		f->recon_date : NULL;
	out->channel_id = f->channel[0] ? f->channel : NULL;
	out->types = f->types;
	out->statuses = f->statuses;
	out->severities = f->severities;
	out->min_abs_difference = f->min_abs_difference;
	out->text = f->text[0] ? f->text : NULL;
}

void queue_filter_cases(const queue_filter *f, cache_case_filter *out)
{
	memset(out, 0, sizeof *out);
	out->stages = f->stages;
	out->risks = f->risks;
	out->assignee = f->has_assignee ? f->assignee : NULL;
	out->text = f->text[0] ? f->text : NULL;
}

void queue_filter_limits(const queue_filter *f, cache_limit_filter *out)
{
	memset(out, 0, sizeof *out);
	out->scopes = f->scopes;
	out->states = f->states;
	out->text = f->text[0] ? f->text : NULL;
}

