/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/resolve.c: settle silence intents a previous run left without an
 * outcome, from what the Alertmanager shows now (see am.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/am_int.h"
#include "text/text.h"

#define ACTION_SILENCE "alert.silence"
#define ACTION_UNSILENCE "alert.unsilence"

typedef struct {
	int64_t seq;
	bool silence;      /* else unsilence */
	char *target, *operator_id, *reason, *state_before;
	time_t at;
} pending;

typedef struct {
	const char *site;
	const am_hub *h;
	pending *v;
	size_t n;
	bool oom;
} collect;

static int collect_row(const struct audit_row *row, void *ctx)
{
	collect *c = ctx;
	pending *grown, *p;
	bool silence = strcmp(row->action, ACTION_SILENCE) == 0;

	if ((!silence && strcmp(row->action, ACTION_UNSILENCE) != 0) ||
	    strcmp(row->site, c->site) != 0 ||
	    am_op_pending_intent(c->h, row->seq))
		return 0;
	if (!(grown = realloc(c->v, (c->n + 1) * sizeof *grown))) {
		c->oom = true;
		return 1;
	}
	c->v = grown;
	p = &c->v[c->n];
	memset(p, 0, sizeof *p);
	p->seq = row->seq;
	p->silence = silence;
	p->target = strdup(row->target);
	p->operator_id = strdup(row->operator_id);
	p->reason = strdup(row->reason);
	p->state_before = strdup(row->state_before);
	if (time_parse_rfc3339(row->time, &p->at) != 0)
		p->at = 0;
	c->n++;
	if (!p->target || !p->operator_id || !p->reason || !p->state_before) {
		c->oom = true;
		return 1;
	}
	return 0;
}

/* The silence's matchers in the text the intent row holds. */
static int silence_matchers_text(const am_silence *sil, char *out,
				 size_t outsz)
{
	json_t *arr = json_array();
	int rc = -1;

	if (!arr)
		return -1;
	for (size_t i = 0; i < sil->n_matchers; i++) {
		json_t *m = json_pack("{s:s, s:s, s:b, s:b}",
				      "name", sil->matchers[i].name,
				      "value", sil->matchers[i].value,
				      "isRegex", sil->matchers[i].is_regex,
				      "isEqual", sil->matchers[i].is_equal);
		if (!m || json_array_append_new(arr, m) != 0)
			goto done;
	}
	rc = am_matchers_text(arr, out, outsz);
done:
	json_decref(arr);
	return rc;
}

static const am_silence *find_made(const am_server *s, const pending *p)
{
	char mtext[768], needle[800];

	for (size_t i = 0; i < s->n_sil; i++) {
		const am_silence *sil = &s->sil[i];
		time_t d = sil->starts_at - p->at;
		if (strcmp(sil->created_by, p->operator_id) != 0 ||
		    strcmp(sil->comment, p->reason) != 0 ||
		    d < -AM_RESOLVE_START_SLACK_S || d > AM_RESOLVE_START_SLACK_S ||
		    silence_matchers_text(sil, mtext, sizeof mtext) < 0)
			continue;
		/* the intent reads "... | intended: silenced {matchers} until" */
		snprintf(needle, sizeof needle, "silenced %s until", mtext);
		if (strstr(p->state_before, needle))
			return sil;
	}
	return NULL;
}

static void settle(am_server *s, const pending *p, time_t now)
{
	am_hub *h = s->hub;
	enum audit_outcome out;
	char state_after[160] = "", detail[200] = "", msg[512], code[16];
	bool old = p->at != 0 && now - p->at > AM_RESOLVE_GIVE_UP_S;

	if (p->silence) {
		const am_silence *sil = find_made(s, p);
		char until[32];
		if (sil) {
			out = AUDIT_APPLIED;
			time_format_rfc3339(sil->ends_at, until, sizeof until);
			snprintf(state_after, sizeof state_after,
				 "silenced by %s until %s", sil->id, until);
			snprintf(code, sizeof code, "found");
		} else if (old) {
			out = AUDIT_FAILED;
			snprintf(code, sizeof code, "not_found");
			snprintf(detail, sizeof detail,
				 "interrupted; no such silence on %s", s->name);
		} else {
			return;
		}
	} else {
		const am_silence *sil = am_silence_find(s, p->target);
		if (sil && sil->state == AM_SIL_EXPIRED) {
			out = AUDIT_APPLIED;
			snprintf(state_after, sizeof state_after, "state=expired");
			snprintf(code, sizeof code, "found");
		} else if (sil && old) {
			out = AUDIT_FAILED;
			snprintf(code, sizeof code, "not_expired");
			snprintf(state_after, sizeof state_after, "state=%.32s",
				 sil->state_raw);
			snprintf(detail, sizeof detail,
				 "interrupted; the silence is still %.32s on %s",
				 sil->state_raw, s->name);
		} else {
			return;
		}
	}
	/* written now or queued until the log is free: never waits here */
	int arc = h->w ? audit_writer_outcome(h->w, p->seq, out, code, detail,
					      state_after, NULL, NULL) : AUDIT_ERR;
	if (arc != AUDIT_OK && arc != AUDIT_EBUSY)
		return;
	if (!h->on_resolved)
		return;
	snprintf(msg, sizeof msg, "%s %.80s on %s (interrupted): %s%s%.100s",
		 p->silence ? ACTION_SILENCE : ACTION_UNSILENCE, p->target,
		 s->name, audit_outcome_name(out), *state_after ? ", " : "",
		 state_after);
	h->on_resolved(h->resolved_ctx, msg);
}

void am_resolve_server(am_server *s)
{
	am_hub *h = s->hub;
	collect c = { 0 };
	time_t now = time(NULL);

	s->resolved = true;
	if (!h->log)
		return;
	c.site = s->name;
	c.h = h;
	if (audit_unresolved(h->log, collect_row, &c) == AUDIT_OK && !c.oom)
		for (size_t i = 0; i < c.n; i++)
			settle(s, &c.v[i], now);
	for (size_t i = 0; i < c.n; i++) {
		free(c.v[i].target);
		free(c.v[i].operator_id);
		free(c.v[i].reason);
		free(c.v[i].state_before);
	}
	free(c.v);
}

void am_hub_on_resolved(am_hub *h, am_resolved_fn fn, void *ctx)
{
	h->on_resolved = fn;
	h->resolved_ctx = ctx;
}
