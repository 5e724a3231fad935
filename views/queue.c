/* views/queue.c: filters, SLA, totals, limits arithmetic, paging, markers
 * and the one-or-many action runner of the work-queue panes. */
#include "views/queue.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/decode.h"
#include "text/text.h"

/* ---- words ---- */

static const char *const type_words[] = {
	"long", "short", "missing_platform", "missing_channel",
	"amount_mismatch", "refund_no_final", "returned", "fund_mismatch",
};
static const char *const status_words[] = {
	"open", "investigating", "escalated", "resolved", "written_off",
};
static const char *const sev_words[] = { "low", "medium", "high" };
static const char *const stage_words[] = {
	"submitted", "doc_check", "risk_check", "manual_review",
	"intent_confirm", "approved", "rejected", "returned",
};
static const char *const scope_words[] = { "merchant", "channel", "reserve" };
static const char *const lstate_words[] = { "ok", "warning", "breached" };
static const char *const period_words[] = { "single", "day", "month", "year" };

#define NW(a) (sizeof a / sizeof a[0])
#define WORD(a, v) ((size_t)(v) < NW(a) ? a[v] : NULL)

const char *queue_break_type_word(api_break_type t) { return WORD(type_words, t); }
const char *queue_break_status_word(api_break_status s) { return WORD(status_words, s); }
const char *queue_severity_word(api_severity s) { return WORD(sev_words, s); }
const char *queue_risk_word(api_risk r) { return WORD(sev_words, r); }
const char *queue_limit_state_word(api_limit_state s) { return WORD(lstate_words, s); }
const char *queue_scope_word(api_limit_scope s) { return WORD(scope_words, s); }
const char *queue_period_word(api_period p) { return WORD(period_words, p); }

void queue_word(char *out, size_t sz, const char *word, const char *raw)
{
	if (word)
		snprintf(out, sz, "%s", word);
	else
		snprintf(out, sz, "%s?", raw && *raw ? raw : "");
}

/* ---- the filter language ---- */

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
				snprintf(err, errsz, "%s: '%.*s' is %s (one of: %s%s%s%s%s...)",
					 key, (int)(len > 40 ? 40 : len), v,
					 rc == -2 ? "ambiguous" : "unknown", words[0],
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
		{ "active", 1u << BS_OPEN | 1u << BS_INVESTIGATING | 1u << BS_ESCALATED },
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
		{ "open", 1u << STAGE_SUBMITTED | 1u << STAGE_DOC_CHECK |
			  1u << STAGE_RISK_CHECK | 1u << STAGE_MANUAL_REVIEW |
			  1u << STAGE_INTENT_CONFIRM | 1u << STAGE_RETURNED },
		{ NULL, 0 } };
	static const alias lstate_alias[] = {
		{ "warn", 1u << LS_WARNING }, { NULL, 0 } };

	if (k == QUEUE_BREAKS) {
		if (key_is(key, klen, "date", "d")) {
			if (strcasecmp(v, "latest") == 0 || valid_date(v)) {
				snprintf(f->recon_date, sizeof f->recon_date, "%s", v);
				return 0;
			}
			snprintf(err, errsz, "date: '%.20s' is not YYYY-MM-DD or latest", v);
			return -1;
		}
		if (key_is(key, klen, "ch", "channel")) {
			snprintf(f->channel, sizeof f->channel, "%.*s", (int)sizeof f->channel - 1, v);
			return 0;
		}
		if (key_is(key, klen, "type", "t"))
			return enum_list("type", v, type_words, NW(type_words), type_alias,
					 &f->types, err, errsz);
		if (key_is(key, klen, "st", "status"))
			return enum_list("status", v, status_words, NW(status_words),
					 st_alias, &f->statuses, err, errsz);
		if (key_is(key, klen, "sev", "severity"))
			return enum_list("severity", v, sev_words, NW(sev_words),
					 sev_alias, &f->severities, err, errsz);
		if (key_is(key, klen, "min", NULL)) {
			int64_t m;
			if (money_parse(v, "CNY", &m) != 0 || m < 0) {
				snprintf(err, errsz, "min: '%.30s' is not an amount", v);
				return -1;
			}
			f->min_abs_difference = m;
			return 0;
		}
	} else if (k == QUEUE_CASES) {
		if (key_is(key, klen, "stage", "s"))
			return enum_list("stage", v, stage_words, NW(stage_words),
					 stage_alias, &f->stages, err, errsz);
		if (key_is(key, klen, "risk", "r"))
			return enum_list("risk", v, sev_words, NW(sev_words), sev_alias,
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
			return enum_list("scope", v, scope_words, NW(scope_words), NULL,
					 &f->scopes, err, errsz);
		if (key_is(key, klen, "state", "st"))
			return enum_list("state", v, lstate_words, NW(lstate_words),
					 lstate_alias, &f->states, err, errsz);
	}
	snprintf(err, errsz, "unknown filter key '%.*s' (%s)", (int)(klen > 20 ? 20 : klen),
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
			snprintf(err, errsz, "'!' (not) works on the other panes only");
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

/* ---- SLA ---- */

#define SLA_RISK_MIN_S 3600

bool queue_case_final(api_stage s)
{
	return s == STAGE_APPROVED || s == STAGE_REJECTED;
}

queue_sla queue_sla_state(time_t submitted, time_t due, time_t now, bool final)
{
	if (final || due == 0)
		return QUEUE_SLA_NONE;
	if (now >= due)
		return QUEUE_SLA_BREACHED;
	int64_t left = (int64_t)due - (int64_t)now;
	int64_t span = submitted && due > submitted ? (int64_t)due - (int64_t)submitted : 0;
	int64_t risk = span / 4;
	if (risk < SLA_RISK_MIN_S)
		risk = SLA_RISK_MIN_S;
	return left <= risk ? QUEUE_SLA_AT_RISK : QUEUE_SLA_OK;
}

int queue_sla_text(char *out, size_t sz, queue_sla s, time_t due, time_t now)
{
	char age[32];
	int64_t d = (int64_t)due - (int64_t)now;
	time_format_age(d < 0 ? -d : d, age, sizeof age);
	switch (s) {
	case QUEUE_SLA_BREACHED:
		snprintf(out, sz, "x BREACHED %s ago", age);
		return ROLE_CRIT;
	case QUEUE_SLA_AT_RISK:
		snprintf(out, sz, "! at risk %s left", age);
		return ROLE_WARN;
	case QUEUE_SLA_OK:
		snprintf(out, sz, "%s left", age);
		return ROLE_NORMAL;
	default:
		snprintf(out, sz, "- done");
		return ROLE_DIM;
	}
}

/* ---- recon totals ---- */

void queue_recon_total(const api_recon_summary *s, queue_recon_totals *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; s && i < s->n_channels; i++) {
		const api_recon_channel *c = &s->channels[i];
		t->channels++;
		if (c->matched_count >= 0)
			t->matched += c->matched_count;
		else
			t->matched_unknown++;
		if (c->break_count > 0)
			t->breaks += c->break_count;
		if (c->open_count > 0)
			t->open += c->open_count;
		t->net_minor += c->net_difference_minor;
		if (!c->currency[0])
			continue;
		if (!t->currency[0] && !t->mixed_currency)
			snprintf(t->currency, sizeof t->currency, "%s", c->currency);
		else if (strcmp(t->currency, c->currency) != 0) {
			t->mixed_currency = true;
			t->currency[0] = '\0';
		}
	}
}

/* ---- limits ---- */

api_limit_state queue_limit_state(int64_t used, int64_t limit, double warn_at)
{
	if (used >= limit)
		return LS_BREACHED;
	/* in doubles, as the platform compares: 0.8 x 100 is exactly 80 there
	 * (a long double would carry 0.8's binary excess and say ok) */
	if ((double)used >= warn_at * (double)limit)
		return LS_WARNING;
	return LS_OK;
}

int64_t queue_permille(int64_t used, int64_t limit)
{
	if (limit <= 0 || used <= 0)
		return 0;
	__int128 p = (__int128)used * 1000 / limit;
	return p > INT64_MAX ? INT64_MAX : (int64_t)p;
}

void queue_bar(char *out, size_t sz, int64_t used, int64_t limit, int cells)
{
	if (cells < 1)
		cells = 1;
	if (cells > 64)
		cells = 64;
	int64_t pm = queue_permille(used, limit);
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

int queue_parse_limit(const char *s, int64_t old, const char *currency,
		      int64_t *out)
{
	while (s && (*s == ' ' || *s == '\t'))
		s++;
	if (!s || !*s)
		return -1;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", s);
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	int sign = buf[0] == '+' ? 1 : buf[0] == '-' ? -1 : 0;
	int64_t v;
	if (len && buf[len - 1] == '%') {
		/* a change in percent of the old limit: hundredths of a
		 * percent, rounded half away from zero to the minor unit */
		if (!sign)
			return -1;
		buf[len - 1] = '\0';
		int64_t bp; /* the percentage in hundredths, as an amount with 2 decimals */
		if (money_parse(buf + 1, NULL, &bp) != 0 || bp < 0)
			return -1;
		__int128 d = (__int128)old * bp;
		d = (d + 5000) / 10000;
		__int128 nv = (__int128)old + sign * d;
		if (nv <= 0 || nv > INT64_MAX)
			return -1;
		*out = (int64_t)nv;
		return 0;
	}
	if (money_parse(sign ? buf + 1 : buf, currency, &v) != 0 || v < 0)
		return -1;
	if (sign) {
		__int128 nv = (__int128)old + sign * (__int128)v;
		if (nv <= 0 || nv > INT64_MAX)
			return -1;
		v = (int64_t)nv;
	}
	if (v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* ---- the window ---- */

void queue_win_init(queue_win *w, size_t elem, void (*free_elem)(void *))
{
	memset(w, 0, sizeof *w);
	w->elem = elem;
	w->free_elem = free_elem;
}

void queue_win_clear(queue_win *w)
{
	for (size_t i = 0; i < w->n; i++)
		w->free_elem(w->rows + i * w->elem);
	w->n = 0;
	w->off = 0;
	w->valid = false;
}

void queue_win_free(queue_win *w)
{
	queue_win_clear(w);
	free(w->rows);
	w->rows = NULL;
	w->cap = 0;
}

int queue_win_push(queue_win *w, void *obj)
{
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 64;
		char *r = realloc(w->rows, nc * w->elem);
		if (!r) {
			w->free_elem(obj);
			return -1;
		}
		w->rows = r;
		w->cap = nc;
	}
	memcpy(w->rows + w->n * w->elem, obj, w->elem);
	memset(obj, 0, w->elem);
	w->n++;
	return 0;
}

void *queue_win_at(const queue_win *w, size_t i)
{
	if (!w->valid || i < w->off || i >= w->off + w->n)
		return NULL;
	return w->rows + (i - w->off) * w->elem;
}

/* ---- changed markers ---- */

void queue_seen_note(queue_seen *s, const char *id, int64_t version, time_t now)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].id, id) == 0) {
			if (s->e[i].version != version) {
				s->e[i].version = version;
				s->e[i].changed_at = now;
			}
			return;
		}
	size_t i = s->n < QUEUE_SEEN_MAX ? s->n++ : s->next;
	s->next = (i + 1) % QUEUE_SEEN_MAX;
	snprintf(s->e[i].id, sizeof s->e[i].id, "%s", id);
	s->e[i].version = version;
	s->e[i].changed_at = 0;
}

bool queue_seen_changed(const queue_seen *s, const char *id, time_t now)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].id, id) == 0)
			return s->e[i].changed_at && now - s->e[i].changed_at < QUEUE_CHANGED_S;
	return false;
}

long queue_seen_due_ms(const queue_seen *s, time_t now)
{
	long best = -1;
	for (size_t i = 0; i < s->n; i++) {
		time_t t = s->e[i].changed_at;
		if (t && now - t < QUEUE_CHANGED_S) {
			long ms = (long)(t + QUEUE_CHANGED_S - now) * 1000;
			if (best < 0 || ms < best)
				best = ms;
		}
	}
	return best;
}

/* ---- marks ---- */

bool queue_marks_has(const queue_marks *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->ids[i], id) == 0)
			return true;
	return false;
}

bool queue_marks_toggle(queue_marks *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->ids[i], id) == 0) {
			free(m->ids[i]);
			m->ids[i] = m->ids[--m->n];
			return false;
		}
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		char **r = realloc(m->ids, nc * sizeof *r);
		if (!r)
			return false;
		m->ids = r;
		m->cap = nc;
	}
	char *c = strdup(id);
	if (!c)
		return false;
	m->ids[m->n++] = c;
	return true;
}

void queue_marks_clear(queue_marks *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->ids[i]);
	free(m->ids);
	memset(m, 0, sizeof *m);
}

/* ---- one action on one or several rows ---- */

#define OP_WINDOW 4       /* requests in flight at once */
#define OP_SHOW 8         /* targets listed in the dialog */
#define OP_LINES 24

typedef struct {
	char *id;
	union { api_case c; api_break b; api_limit l; } o;
	act_status status;
	char code[64];
	bool done;
} op_target;

struct queue_op {
	view_env env;
	queue_op_spec spec;
	char title[96], label[48], extra_label[64];
	op_target *t;
	size_t n, next, in_flight, finished;
	char *reason, *ticket, *extra;
	int64_t adjustment;          /* break adjust, parsed from extra */
	char why[200];
	struct queue_op *link;
};

static struct queue_op *ops;
static size_t ops_running;
static uint64_t ops_gen;

size_t queue_op_running(void) { return ops_running; }
uint64_t queue_op_gen(void) { return ops_gen; }

static void say(const view_env *env, int sev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(const view_env *env, int sev, const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (env->message)
		env->message(env->ctx, sev, buf);
}

static void target_free(act_kind k, op_target *t)
{
	free(t->id);
	if (k == ACT_CASE_DECISION)
		api_case_free(&t->o.c);
	else if (k == ACT_BREAK_RESOLVE)
		api_break_free(&t->o.b);
	else
		api_limit_free(&t->o.l);
}

static void op_free(struct queue_op *o)
{
	for (struct queue_op **pp = &ops; *pp; pp = &(*pp)->link)
		if (*pp == o) {
			*pp = o->link;
			break;
		}
	for (size_t i = 0; i < o->n; i++)
		target_free(o->spec.kind, &o->t[i]);
	free(o->t);
	free(o->reason);
	free(o->ticket);
	free(o->extra);
	free(o);
}

void queue_op_cleanup(void)
{
	while (ops)
		op_free(ops);
	ops_running = 0;
}

static const char *verb_name(const queue_op_spec *s)
{
	switch (s->kind) {
	case ACT_CASE_DECISION: return act_case_decision_name(s->verb);
	case ACT_BREAK_RESOLVE: return act_break_action_name(s->verb);
	default: return "adjust";
	}
}

static int64_t target_version(const queue_op *o, const op_target *t)
{
	switch (o->spec.kind) {
	case ACT_CASE_DECISION: return t->o.c.version;
	case ACT_BREAK_RESOLVE: return t->o.b.version;
	default: return t->o.l.version;
	}
}

static void fill_request(queue_op *o, op_target *t, act_request *r)
{
	memset(r, 0, sizeof *r);
	r->kind = o->spec.kind;
	r->target = t->id;
	r->version = target_version(o, t);
	r->reason = o->reason ? o->reason : "-";
	r->ticket = o->ticket;
	r->verb = o->spec.verb;
	r->warn_at = -1;
	const char *x = o->extra ? o->extra : "";
	switch (o->spec.kind) {
	case ACT_CASE_DECISION:
		r->seen_case = &t->o.c;
		if (o->spec.verb == ACT_CASE_ASSIGN)
			r->assignee = x;
		break;
	case ACT_BREAK_RESOLVE:
		r->seen_break = &t->o.b;
		if (o->spec.verb == ACT_BRK_ASSIGN)
			r->assignee = x;
		else if (o->spec.verb == ACT_BRK_MATCH)
			r->counterpart_ref = x;
		else if (o->spec.verb == ACT_BRK_ADJUST)
			r->adjustment_minor = o->adjustment;
		break;
	default:
		r->seen_limit = &t->o.l;
		r->limit_minor = o->spec.limit_minor;
		break;
	}
}

static void pump(queue_op *o);

static void finish(queue_op *o)
{
	size_t counts[ACT_REFUSED + 1] = {0};
	const op_target *first_bad = NULL;
	for (size_t i = 0; i < o->n; i++) {
		counts[o->t[i].status]++;
		if (o->t[i].status != ACT_APPLIED && !first_bad)
			first_bad = &o->t[i];
	}
	char msg[600];
	int len = snprintf(msg, sizeof msg, "%s: ", verb_name(&o->spec));
	bool any = false;
	for (int s = ACT_APPLIED; s <= ACT_REFUSED && len < (int)sizeof msg; s++) {
		if (!counts[s])
			continue;
		len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%zu %s",
				any ? ", " : "", counts[s], act_status_name((act_status)s));
		any = true;
	}
	if (first_bad && len < (int)sizeof msg)
		snprintf(msg + len, sizeof msg - (size_t)len, " (first: %s %s%s%s)",
			 first_bad->id, act_status_name(first_bad->status),
			 first_bad->code[0] ? ": " : "", first_bad->code);
	int sev = first_bad ? (counts[ACT_APPLIED] ? MSG_WARN : MSG_ERROR) : MSG_OK;
	say(&o->env, sev, "%s", msg);
	ops_running--;
	ops_gen++;
	if (o->env.changed)
		o->env.changed(o->env.ctx);
	op_free(o);
}

static void on_done(void *ctx, const act_result *r)
{
	op_target *t = ctx;
	queue_op *o = NULL;
	for (queue_op *p = ops; p && !o; p = p->link)
		if (t >= p->t && t < p->t + p->n)
			o = p;
	if (!o)
		return;
	t->status = r->status;
	t->done = true;
	snprintf(t->code, sizeof t->code, "%s", r->code);
	/* the platform's answer is the newest copy: show it now rather than
	 * at the next poll or event (not while the cache builds indexes: it
	 * takes no writes then, and the poll after the build brings it) */
	if (r->object_json && o->env.cache && !cache_building(o->env.cache) &&
	    (r->status == ACT_APPLIED ||
					       r->status == ACT_PENDING_APPROVAL ||
					       r->status == ACT_CONFLICT)) {
		api_kind k = o->spec.kind == ACT_CASE_DECISION ? API_KIND_CASE :
			     o->spec.kind == ACT_BREAK_RESOLVE ? API_KIND_BREAK :
			     API_KIND_LIMIT;
		char m[128];
		cache_upsert_json(o->env.cache, k, r->object_json,
				  strlen(r->object_json), m, sizeof m);
	}
	if (o->n == 1)
		say(&o->env, r->status == ACT_APPLIED ? MSG_OK :
		    r->status == ACT_PENDING_APPROVAL ? MSG_INFO : MSG_WARN,
		    "%s", r->message);
	o->in_flight--;
	o->finished++;
	ops_gen++;
	if (o->finished == o->n) {
		if (o->n > 1)
			finish(o);
		else {
			ops_running--;
			if (o->env.changed)
				o->env.changed(o->env.ctx);
			op_free(o);
		}
		return;
	}
	pump(o);
}

static void on_progress(void *ctx, const char *msg)
{
	op_target *t = ctx;
	for (queue_op *p = ops; p; p = p->link)
		if (t >= p->t && t < p->t + p->n) {
			say(&p->env, MSG_INFO, "%s: %s", t->id, msg);
			return;
		}
}

static void pump(queue_op *o)
{
	while (o->in_flight < OP_WINDOW && o->next < o->n) {
		op_target *t = &o->t[o->next++];
		act_request r;
		fill_request(o, t, &r);
		o->in_flight++;
		if (act_submit(o->env.act, &r, on_done, on_progress, t) == 0) {
			o->in_flight--;
			t->status = ACT_REFUSED;
			snprintf(t->code, sizeof t->code, "out_of_memory");
			t->done = true;
			o->finished++;
		}
	}
	if (o->finished == o->n && o->in_flight == 0) {
		if (o->n > 1)
			finish(o);
		else {
			ops_running--;
			op_free(o);
		}
	}
}

static const char *op_validate(void *ctx, const char *reason, const char *ticket,
			       const char *extra)
{
	queue_op *o = ctx;
	(void)reason;
	(void)ticket;
	if (o->spec.kind == ACT_BREAK_RESOLVE && o->spec.verb == ACT_BRK_ADJUST) {
		const char *cur = o->n ? o->t[0].o.b.currency : "CNY";
		if (money_parse(extra, cur, &o->adjustment) != 0 || o->adjustment == 0) {
			snprintf(o->why, sizeof o->why, "adjustment '%.40s' is not a "
				 "non-zero amount like -2.00 or 1,200.50", extra);
			return o->why;
		}
	}
	if (o->spec.extra_label && o->spec.extra_required && (!extra || !*extra)) {
		snprintf(o->why, sizeof o->why, "%s is required", o->spec.extra_label);
		return o->why;
	}
	/* the one check the action client makes too, asked before anything
	 * is written: the first target with the operator's fields */
	if (o->n) {
		char *save = o->extra;
		o->extra = (char *)extra;
		act_request r;
		fill_request(o, &o->t[0], &r);
		r.reason = reason && *reason ? reason : "-";
		char code[64];
		int rc = act_check(o->env.act, &r, o->why, sizeof o->why, code);
		o->extra = save;
		if (rc != 0 && strcmp(code, "invalid_request") == 0)
			return o->why;
	}
	return NULL;
}

static void op_on_cancel(void *ctx)
{
	queue_op *o = ctx;
	say(&o->env, MSG_INFO, "cancelled: nothing was sent for %zu %s", o->n,
	    o->n == 1 ? "row" : "rows");
	ops_running--;
	op_free(o);
}

static void op_on_confirm(void *ctx, const char *reason, const char *ticket,
			  const char *extra)
{
	queue_op *o = ctx;
	o->reason = strdup(reason ? reason : "");
	o->ticket = strdup(ticket ? ticket : "");
	o->extra = strdup(extra ? extra : "");
	if (!o->reason || !o->ticket || !o->extra) {
		say(&o->env, MSG_ERROR, "out of memory: nothing was sent");
		ops_running--;
		op_free(o);
		return;
	}
	if (o->spec.kind == ACT_BREAK_RESOLVE && o->spec.verb == ACT_BRK_ADJUST)
		money_parse(o->extra, o->n ? o->t[0].o.b.currency : "CNY", &o->adjustment);
	say(&o->env, MSG_INFO, "%s: sending %zu %s...", verb_name(&o->spec), o->n,
	    o->n == 1 ? "request" : "requests");
	pump(o);
	ops_gen++;
	if (o->env.changed)
		o->env.changed(o->env.ctx);
}

typedef struct {
	view_line l[OP_LINES];
	char text[OP_LINES][200];
	size_t n;
} op_lines;

static void line(op_lines *ls, term_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line(op_lines *ls, term_role role, const char *fmt, ...)
{
	if (ls->n >= OP_LINES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ls->text[ls->n], sizeof ls->text[ls->n], fmt, ap);
	va_end(ap);
	ls->l[ls->n].text = ls->text[ls->n];
	ls->l[ls->n].role = role;
	ls->n++;
}

static void target_line(queue_op *o, op_target *t, op_lines *ls)
{
	char a[64], b[64], w[48];
	switch (o->spec.kind) {
	case ACT_CASE_DECISION: {
		const api_case *c = &t->o.c;
		queue_word(w, sizeof w, api_stage_str(c->stage)[0] != '?' ?
			   api_stage_str(c->stage) : NULL, c->stage_raw);
		line(ls, ROLE_NORMAL, "  %s  %s  stage %s, risk %s %d, v%lld", c->id,
		     c->merchant_name, w, c->risk_level_raw, c->risk_score,
		     (long long)c->version);
		break;
	}
	case ACT_BREAK_RESOLVE: {
		const api_break *k = &t->o.b;
		money_format(k->difference_minor, k->currency, a, sizeof a);
		queue_word(w, sizeof w, queue_break_status_word(k->status), k->status_raw);
		line(ls, ROLE_NORMAL, "  %s  %s  %s  diff %s  %s, v%lld", k->id,
		     k->channel_id, k->type_raw, a, w, (long long)k->version);
		break;
	}
	default: {
		const api_limit *l = &t->o.l;
		money_format(l->limit_minor, l->currency, a, sizeof a);
		money_format(o->spec.limit_minor, l->currency, b, sizeof b);
		line(ls, ROLE_TITLE, "  %s  %s %s", l->id, l->scope_id, l->name);
		line(ls, ROLE_NORMAL, "  limit: %s -> %s", a, b);
		char ua[64], bar0[96], bar1[96];
		money_format(l->used_minor, l->currency, ua, sizeof ua);
		queue_bar(bar0, sizeof bar0, l->used_minor, l->limit_minor, 20);
		queue_bar(bar1, sizeof bar1, l->used_minor, o->spec.limit_minor, 20);
		line(ls, ROLE_NORMAL, "  used:  %s", ua);
		line(ls, ROLE_NORMAL, "  now   %s", bar0);
		line(ls, ROLE_NORMAL, "  after %s", bar1);
		api_limit_state s0 = l->state;
		api_limit_state s1 = queue_limit_state(l->used_minor, o->spec.limit_minor,
						       l->warn_at);
		char w0[32];
		queue_word(w0, sizeof w0, queue_limit_state_word(s0), l->state_raw);
		line(ls, s1 == LS_BREACHED ? ROLE_CRIT : s1 == LS_WARNING ? ROLE_WARN :
		     ROLE_OK, "  state: %s -> %s (warns at %.0f%% of the limit)", w0,
		     queue_limit_state_word(s1), l->warn_at * 100);
		break;
	}
	}
}

static int read_target(const view_env *env, act_kind k, const char *id, op_target *t)
{
	t->id = strdup(id);
	if (!t->id)
		return -1;
	int rc;
	if (k == ACT_CASE_DECISION)
		rc = cache_get_case(env->cache, id, &t->o.c);
	else if (k == ACT_BREAK_RESOLVE)
		rc = cache_get_break(env->cache, id, &t->o.b);
	else
		rc = cache_get_limit(env->cache, id, &t->o.l);
	return rc == 0 ? 0 : -1;
}

int queue_op_start(const view_env *env, const queue_op_spec *spec,
		   char *const *ids, size_t n)
{
	if (!env->cache || n == 0) {
		say(env, MSG_WARN, "nothing selected");
		return -1;
	}
	queue_op *o = calloc(1, sizeof *o);
	if (!o)
		return -1;
	o->env = *env;
	o->spec = *spec;
	o->t = calloc(n, sizeof *o->t);
	if (!o->t) {
		free(o);
		return -1;
	}
	o->link = ops;
	ops = o;
	ops_running++;
	for (size_t i = 0; i < n; i++) {
		o->n = i + 1;
		if (read_target(env, spec->kind, ids[i], &o->t[i]) != 0) {
			say(env, MSG_ERROR, "%s is no longer in the cache: nothing sent", ids[i]);
			ops_running--;
			op_free(o);
			return -1;
		}
	}
	/* refuse before the dialog: read-only, scope */
	act_request r;
	fill_request(o, &o->t[0], &r);
	r.reason = "-";
	if (spec->kind == ACT_BREAK_RESOLVE && spec->verb == ACT_BRK_MATCH)
		r.counterpart_ref = "-";
	if (spec->kind == ACT_BREAK_RESOLVE && spec->verb == ACT_BRK_ADJUST)
		r.adjustment_minor = 1;
	if (spec->verb == ACT_CASE_ASSIGN || spec->verb == ACT_BRK_ASSIGN)
		r.assignee = "-";
	char why[300], code[64];
	if (act_check(env->act, &r, why, sizeof why, code) != 0) {
		say(env, MSG_ERROR, "%s refused, nothing sent: %s", verb_name(spec), why);
		ops_running--;
		op_free(o);
		return -1;
	}
	op_lines ls = { .n = 0 };
	snprintf(o->title, sizeof o->title, "%s", spec->title);
	snprintf(o->label, sizeof o->label, "%s", spec->label);
	if (spec->kind == ACT_BREAK_RESOLVE) {
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += o->t[i].o.b.difference_minor;
		char s[64];
		money_format(sum, o->t[0].o.b.currency, s, sizeof s);
		line(&ls, ROLE_TITLE, "%s %zu %s, total difference %s", spec->label, n,
		     n == 1 ? "break" : "breaks", s);
	} else if (spec->kind == ACT_CASE_DECISION) {
		line(&ls, ROLE_TITLE, "%s %zu onboarding %s", spec->label, n,
		     n == 1 ? "case" : "cases");
	} else {
		line(&ls, ROLE_TITLE, "Adjust limit");
	}
	for (size_t i = 0; i < n && i < OP_SHOW; i++)
		target_line(o, &o->t[i], &ls);
	if (n > OP_SHOW)
		line(&ls, ROLE_DIM, "  ... and %zu more", n - OP_SHOW);
	line(&ls, ROLE_DIM, "one request and one audit pair per row, each with "
	     "If-Match of the version shown");
	view_confirm vc = {
		.title = o->title, .confirm_label = o->label, .lines = ls.l,
		.n_lines = ls.n, .opened_by = spec->opened_by,
		.extra_label = spec->extra_label, .extra_required = spec->extra_required,
		.extra_max = 128, .validate = op_validate,
		.on_confirm = op_on_confirm, .on_cancel = op_on_cancel, .cb_ctx = o,
	};
	if (env->confirm(env->ctx, &vc) != 0) {
		say(env, MSG_ERROR, "could not open the confirmation (another dialog is open)");
		ops_running--;
		op_free(o);
		return -1;
	}
	return 0;
}
