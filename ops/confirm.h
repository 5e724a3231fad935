/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/confirm.h: the confirmation dialog an operation asks for.
 *
 * The operation runner (ops/ops.h) fills one of these and hands it to the
 * app's confirm callback, which runs the same modal dialog for every
 * operator action: Cancel the default, the confirming key never the key
 * that opened it, a required reason. The views know these types by their
 * older names (view_confirm, view_line, view_ticket in views/view.h).
 */
#ifndef PAYOPS_OPS_CONFIRM_H
#define PAYOPS_OPS_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "term/term.h"

/* One body line of the dialog. */
typedef struct {
	const char *text;
	term_role role;       /* ROLE_NORMAL, ROLE_WARN, ROLE_CRIT, ROLE_DIM... */
} ops_line;

/* Whether the dialog asks for a ticket. */
typedef enum {
	OPS_TICKET_CONFIG = 0,  /* optional, or required when cfg->ticket_required */
	OPS_TICKET_OPTIONAL,
	OPS_TICKET_REQUIRED,
	OPS_TICKET_NONE,        /* no ticket field */
} ops_ticket;

/* Everything is copied by confirm(); the spec may live on the caller's
 * stack. Exactly one of on_confirm / on_cancel runs later, from the event
 * loop (never from inside confirm()). While a dialog is open, confirm()
 * refuses another (returns -1). */
typedef struct {
	const char *title;          /* "Quarantine channel" */
	const char *confirm_label;  /* "Quarantine" */
	const ops_line *lines;      /* the exact effect, one line each */
	size_t n_lines;
	wint_t opened_by;           /* the key that opened it (0: none, e.g. `:`) */
	wint_t confirm_key;         /* 0: the key table's "confirm" key ('y');
				     * the app picks another when it equals
				     * opened_by */
	bool no_reason;             /* true: no reason field (default: required) */
	ops_ticket ticket;
	const char *type_id;        /* non-NULL: the operator types this exactly */
	const char *extra_label;    /* non-NULL: one more text field
				     * ("Duration (e.g. 2h)", "Expires in") */
	bool extra_required;
	size_t extra_max;           /* 0: 64 characters */
	/* Text the fields start with (NULL: empty): a dialog asked again
	 * after a conflict keeps what the operator typed. */
	const char *reason_prefill, *ticket_prefill, *extra_prefill;
	/* Optional check after the dialog's own (a duration that does not
	 * parse): NULL when fine, else why; the app opens the dialog again
	 * with the operator's text kept and the reason shown. */
	const char *(*validate)(void *cb_ctx, const char *reason,
				const char *ticket, const char *extra);
	/* reason/ticket/extra: "" when the field is absent or empty; valid
	 * during the call only. */
	void (*on_confirm)(void *cb_ctx, const char *reason, const char *ticket,
			   const char *extra);
	void (*on_cancel)(void *cb_ctx);   /* may be NULL */
	void *cb_ctx;
} ops_confirm;

#endif
