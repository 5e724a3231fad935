/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/confirm.c: the confirmation dialog run for the views. */
#include "tui/confirm.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "term/keymap.h"
#include "widgets/dialog.h"

struct confirm_box {
	const cfg_config *cfg;
	dialog *d;
	/* a deep copy of the spec, to open it again after a refusal */
	view_confirm spec;
	char *title, *label, *type_id, *extra_label;
	view_line *lines;
	char **line_text;
	int f_reason, f_ticket, f_extra, f_type;
};

confirm_box *confirm_new(const cfg_config *cfg)
{
	confirm_box *b = calloc(1, sizeof *b);
	if (b)
		b->cfg = cfg;
	return b;
}

static void spec_clear(confirm_box *b)
{
	dialog_free(b->d);
	b->d = NULL;
	for (size_t i = 0; i < b->spec.n_lines; i++)
		free(b->line_text[i]);
	free(b->line_text);
	free(b->lines);
	free(b->title);
	free(b->label);
	free(b->type_id);
	free(b->extra_label);
	b->line_text = NULL;
	b->lines = NULL;
	b->title = b->label = b->type_id = b->extra_label = NULL;
	memset(&b->spec, 0, sizeof b->spec);
}

void confirm_free(confirm_box *b)
{
	if (!b)
		return;
	spec_clear(b);
	free(b);
}

bool confirm_active(const confirm_box *b)
{
	return b->d != NULL;
}

static char *dup0(const char *s, bool *bad)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*bad = true;
	return d;
}

static int spec_copy(confirm_box *b, const view_confirm *s)
{
	bool bad = false;
	b->spec = *s;
	b->spec.lines = NULL;
	b->spec.n_lines = 0;
	b->title = dup0(s->title ? s->title : _("Confirm"), &bad);
	b->label = dup0(s->confirm_label ? s->confirm_label : _("Confirm"), &bad);
	b->type_id = dup0(s->type_id, &bad);
	b->extra_label = dup0(s->extra_label, &bad);
	if (s->n_lines) {
		b->lines = calloc(s->n_lines, sizeof *b->lines);
		b->line_text = calloc(s->n_lines, sizeof *b->line_text);
		if (!b->lines || !b->line_text)
			bad = true;
		for (size_t i = 0; !bad && i < s->n_lines; i++) {
			b->line_text[i] = dup0(s->lines[i].text ? s->lines[i].text : "", &bad);
			b->lines[i].text = b->line_text[i];
			b->lines[i].role = s->lines[i].role;
			b->spec.n_lines = i + 1;
		}
	}
	b->spec.lines = b->lines;
	b->spec.title = b->title;
	b->spec.confirm_label = b->label;
	b->spec.type_id = b->type_id;
	b->spec.extra_label = b->extra_label;
	return bad ? -1 : 0;
}

static wint_t pick_confirm_key(const view_confirm *s)
{
	wint_t k = s->confirm_key;
	bool kc = false;
	if (!k && (!keymap_first_key(ACT_CONFIRM, &k, &kc) || kc))
		k = 'y';
	if (k == s->opened_by)
		k = k == 'y' ? 'Y' : 'y';
	return k;
}

/* Build the dialog from b->spec; error: a line shown first (or NULL). */
static int build(confirm_box *b, const char *error)
{
	const view_confirm *s = &b->spec;
	wint_t key = pick_confirm_key(s);
	dialog *d = dialog_new(s->title, s->confirm_label, key,
			       s->opened_by ? s->opened_by : (key == 1 ? 2 : 1));
	if (!d)
		return -1;
	int rc = 0;
	if (error)
		rc |= dialog_add_line(d, error, ROLE_CRIT);
	for (size_t i = 0; i < s->n_lines; i++)
		rc |= dialog_add_line(d, s->lines[i].text, s->lines[i].role);
	b->f_reason = b->f_ticket = b->f_extra = b->f_type = -1;
	if (!s->no_reason && (b->f_reason = dialog_add_field(d, _("Reason"),
				DIALOG_REQUIRED, NULL, 500)) < 0)
		rc = -1;
	view_ticket t = s->ticket;
	if (t == VIEW_TICKET_CONFIG)
		t = b->cfg && b->cfg->ticket_required ? VIEW_TICKET_REQUIRED :
			VIEW_TICKET_OPTIONAL;
	if (t != VIEW_TICKET_NONE &&
	    (b->f_ticket = dialog_add_field(d, t == VIEW_TICKET_REQUIRED ?
				_("Ticket") : _("Ticket (optional)"),
				t == VIEW_TICKET_REQUIRED ? DIALOG_REQUIRED :
				DIALOG_OPTIONAL, NULL, 64)) < 0)
		rc = -1;
	if (s->extra_label &&
	    (b->f_extra = dialog_add_field(d, s->extra_label,
				s->extra_required ? DIALOG_REQUIRED : DIALOG_OPTIONAL,
				NULL, s->extra_max ? s->extra_max : 64)) < 0)
		rc = -1;
	if (s->type_id) {
		char lab[160];
		/* TRANSLATORS: dialog field label; %s is the id to type */
		snprintf(lab, sizeof lab, _("Type %s to confirm"), s->type_id);
		if ((b->f_type = dialog_add_field(d, lab, DIALOG_MATCH,
						  s->type_id, 255)) < 0)
			rc = -1;
	}
	if (rc) {
		dialog_free(d);
		return -1;
	}
	b->d = d;
	return 0;
}

static void feed_text(dialog *d, const char *s);

int confirm_open(confirm_box *b, const view_confirm *spec)
{
	if (b->d)
		return -1;
	if (spec_copy(b, spec) != 0 || build(b, NULL) != 0) {
		spec_clear(b);
		return -1;
	}
	const char *vals[3] = { spec->reason_prefill, spec->ticket_prefill,
				spec->extra_prefill };
	int idx[3] = { b->f_reason, b->f_ticket, b->f_extra };
	bool any = false;
	for (int i = 0; i < 3; i++)
		any = any || (idx[i] >= 0 && vals[i] && *vals[i]);
	if (any) {
		/* fields are in order reason, ticket, extra, typed id: type
		 * into each and move on; the typed id is never kept */
		for (int i = 0; i < 3; i++)
			if (idx[i] >= 0) {
				if (vals[i])
					feed_text(b->d, vals[i]);
				dialog_feed(b->d, '\t', false);
			}
		if (b->f_type < 0) /* focus the first field again */
			while (dialog_focus(b->d) != 0)
				dialog_feed(b->d, '\t', false);
	}
	b->spec.reason_prefill = b->spec.ticket_prefill = b->spec.extra_prefill = NULL;
	return 0;
}

/* Type text into the focused field, character by character. */
static void feed_text(dialog *d, const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = strlen(s);
	while (n > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			break;
		dialog_feed(d, (wint_t)wc, false);
		s += k;
		n -= k;
	}
}

static char *field_dup(const dialog *d, int idx)
{
	const char *v = idx >= 0 ? dialog_field_value(d, idx) : NULL;
	return strdup(v ? v : "");
}

static void finish(confirm_box *b, bool confirmed)
{
	view_confirm s = b->spec;
	char *reason = NULL, *ticket = NULL, *extra = NULL;
	if (confirmed) {
		reason = field_dup(b->d, b->f_reason);
		ticket = field_dup(b->d, b->f_ticket);
		extra = field_dup(b->d, b->f_extra);
		if (!reason || !ticket || !extra)
			confirmed = false;
	}
	const char *why = confirmed && s.validate ?
		s.validate(s.cb_ctx, reason, ticket, extra) : NULL;
	if (why) {
		/* open it again, the operator's text kept, the reason shown */
		char msg[256];
		snprintf(msg, sizeof msg, "%s", why);
		char *type = field_dup(b->d, b->f_type);
		int nf = (b->f_reason >= 0) + (b->f_ticket >= 0) +
			 (b->f_extra >= 0) + (b->f_type >= 0);
		dialog_free(b->d);
		b->d = NULL;
		if (type && build(b, msg) == 0) {
			const char *vals[4] = { reason, ticket, extra, type };
			int idx[4] = { b->f_reason, b->f_ticket, b->f_extra, b->f_type };
			for (int i = 0; i < 4; i++)
				if (idx[i] >= 0) {
					feed_text(b->d, vals[i]);
					dialog_feed(b->d, '\t', false);
				}
			/* from Cancel back round to the field that was refused */
			int target = b->f_extra >= 0 ? b->f_extra : 0;
			while (dialog_focus(b->d) != target &&
			       dialog_focus(b->d) <= nf + 1)
				dialog_feed(b->d, '\t', false);
			free(type);
			free(reason);
			free(ticket);
			free(extra);
			return;
		}
		free(type);
		confirmed = false; /* could not reopen: nothing happens */
	}
	spec_clear(b);
	if (confirmed) {
		if (s.on_confirm)
			s.on_confirm(s.cb_ctx, reason, ticket, extra);
	} else if (s.on_cancel) {
		s.on_cancel(s.cb_ctx);
	}
	free(reason);
	free(ticket);
	free(extra);
}

bool confirm_feed(confirm_box *b, wint_t ch, bool is_key_code)
{
	if (!b->d)
		return false;
	dialog_result r = dialog_feed(b->d, ch, is_key_code);
	if (r == DIALOG_PENDING)
		return false;
	finish(b, r == DIALOG_CONFIRMED);
	return b->d == NULL;
}

void confirm_cancel(confirm_box *b)
{
	if (b->d)
		finish(b, false);
}

bool confirm_dirty(const confirm_box *b)
{
	return b->d && dialog_dirty(b->d);
}

void confirm_draw(confirm_box *b, WINDOW *win, widget_rect area)
{
	if (b->d)
		dialog_draw(b->d, win, area);
}

void confirm_cursor(const confirm_box *b, int *y, int *x)
{
	*y = *x = -1;
	if (b->d)
		dialog_cursor(b->d, y, x);
}
