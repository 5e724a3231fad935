/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/op.h: internal to ops/. One operation and the class that says what
 * it is (the channel verbs and reroute in ops/channel.c, the queue rows in
 * ops/rows.c, the alert ack and silences in ops/alert.c); the
 * runner (ops/runner.c) moves every operation through the same states:
 *
 *   dialog open -> (cancel: said, dropped)
 *               -> confirm: the class's last checks, then submit the
 *                  targets, OPS_WINDOW at a time, each marked in flight
 *               -> each answer: marked, said or counted by the class
 *               -> a conflict on a class that asks again: the dialog again,
 *                  with what changed on top
 *               -> every target answered: a summary when several, the app
 *                  told, dropped.
 */
#ifndef PAYOPS_OPS_OP_H
#define PAYOPS_OPS_OP_H

#include "ops/ops.h"

#define OPS_WINDOW 4       /* requests in flight at once per operation */
#define OPS_LINES 24       /* dialog body lines at most */

typedef struct ops_op ops_op;

typedef struct {
	ops_op *o;
	char *id;                /* the target; its mark's key */
	act_status status;
	char code[64];
	bool done;
} ops_target;

/* An answer from either client, the status in the action client's terms. */
typedef struct {
	act_status status;
	const act_result *act;   /* from act_submit(), or NULL */
	const am_result *am;     /* from the Alertmanager client, or NULL */
} ops_answer;

/* The dialog's body, built a line at a time (each line copied). */
typedef struct {
	ops_line l[OPS_LINES];
	char *text[OPS_LINES];
	size_t n;
	bool oom;
} ops_body;

void ops_body_add(ops_body *ls, term_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Each line of block, long ones wrapped after a ", " and indented. */
void ops_body_block(ops_body *ls, term_role role, const char *block);
void ops_body_free(ops_body *ls);

typedef enum {
	OPS_MARK_NONE,       /* the rows show the outcome themselves */
	OPS_MARK_IN_FLIGHT,  /* a mark while the request is out */
	OPS_MARK_OUTCOME,    /* that, then the outcome's */
} ops_marking;

typedef struct {
	ops_marking marking;
	bool ask_again;        /* a conflict opens the dialog again */
	/* The dialog's body and fields; the runner adds what changed on top
	 * after a conflict, and the callbacks, the key and the prefills. 0, or
	 * -1 when it cannot be built (the target is gone). */
	int (*dialog)(ops_op *o, ops_body *ls, ops_confirm *c);
	/* After the dialog's own checks (NULL: none): why not, or NULL. */
	const char *(*validate)(ops_op *o, const char *reason, const char *ticket,
				const char *extra);
	/* Confirmed, o->reason/ticket/extra set: last checks and the
	 * "sending" line (NULL: none); -1 when nothing can be sent (said). */
	int (*confirmed)(ops_op *o);
	/* Send one target: the client's id, 0 when out of memory. The
	 * clients call ops_act_done / ops_am_done (and ops_act_progress) with t. */
	uint64_t (*submit)(ops_op *o, ops_target *t);
	/* A client's progress line for t (NULL: said as it is). */
	void (*progress)(ops_op *o, ops_target *t, const char *msg);
	/* t's answer: say it (or keep it for the summary), take the new
	 * object. */
	void (*answered)(ops_op *o, ops_target *t, const ops_answer *a);
	/* Every target answered, several of them: the one summary line. */
	void (*summary)(ops_op *o);
	void (*cancelled)(ops_op *o);      /* the dialog was cancelled: say so */
	void (*open_failed)(ops_op *o);    /* the dialog did not open: say so */
	/* The mark's word for t ("quarantine"); with a marking only. */
	void (*what)(const ops_op *o, const ops_target *t, char *buf, size_t sz);
	void (*free_data)(ops_op *o);      /* NULL: free(o->data) */
} ops_class;

struct ops_op {
	ops *r;
	const ops_class *cls;
	ops_op *next;
	void *data;              /* the class's */
	wint_t opened_by;
	ops_target *t;
	size_t n, next_t, in_flight, finished;
	/* what the operator typed, kept for a dialog asked again */
	char *reason, *ticket, *extra;
	char *conflict;          /* what changed, after a conflict */
	char why[256];           /* a validate's refusal */
};

/* The marks by target; the oldest goes when the table is full. */
#define OPS_MARKS 64
typedef struct {
	struct {
		char target[256];
		ops_mark m;
	} e[OPS_MARKS];
	size_t n;
} ops_marks;
const ops_mark *ops_marks_find(const ops_marks *t, const char *target);
/* The target's mark, a new (zeroed) one when it had none. */
ops_mark *ops_marks_get(ops_marks *t, const char *target);
void ops_marks_drop(ops_marks *t, const char *target);
/* The runner's marks, and telling the app one moved (ops/approval.c). */
ops_marks *ops_marks_all(ops *r);
void ops_marks_changed(ops *r);

/* The runner's environment, from an operation or the runner. */
const ops_env *ops_op_env(const ops_op *o);
const ops_env *ops_env_of(const ops *r);
/* Say on the message line (sev: msgline_severity). */
void ops_say(const ops *r, int sev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A new operation over ids (copied), not yet shown: NULL when out of
 * memory (said). data is the class's (freed with the operation, also on
 * failure here). */
ops_op *ops_op_new(ops *r, const ops_class *cls, void *data,
		   char *const *ids, size_t n, wint_t opened_by);
/* Open its dialog: 0, or -1 (the class said why) and it is dropped. */
int ops_op_start(ops_op *o);
/* Drop an operation that never reached its dialog. */
void ops_op_drop(ops_op *o);

/* The clients' callbacks; ctx is the ops_target. */
void ops_act_done(void *ctx, const act_result *r);
void ops_act_progress(void *ctx, const char *msg);
void ops_am_done(void *ctx, const am_result *r);

#endif
