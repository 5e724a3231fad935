/* SPDX-License-Identifier: ISC (see COPYING) */
/* audit/rows.c: rows of the log that outlive the read (the Audit pane holds
 * the newest between its reads): each row copied into one allocation, the
 * struct and its strings after it. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_int.h"

/* The text fields of struct audit_row. */
static const size_t text_fields[] = {
	offsetof(struct audit_row, time), offsetof(struct audit_row, kind),
	offsetof(struct audit_row, operator_id), offsetof(struct audit_row, local_user),
	offsetof(struct audit_row, host), offsetof(struct audit_row, site),
	offsetof(struct audit_row, action), offsetof(struct audit_row, target),
	offsetof(struct audit_row, interface), offsetof(struct audit_row, state_before),
	offsetof(struct audit_row, state_after), offsetof(struct audit_row, reason),
	offsetof(struct audit_row, ticket), offsetof(struct audit_row, idempotency_key),
	offsetof(struct audit_row, request_id), offsetof(struct audit_row, outcome),
	offsetof(struct audit_row, code), offsetof(struct audit_row, detail),
	offsetof(struct audit_row, prev_hash), offsetof(struct audit_row, hash),
};
#define N_TEXT (sizeof text_fields / sizeof text_fields[0])

static const char **text_at(struct audit_row *r, size_t i)
{
	return (const char **)(void *)((char *)r + text_fields[i]);
}

/* One block: the row, then its strings. */
static struct audit_row *row_copy(const struct audit_row *src)
{
	struct audit_row tmp = *src;
	size_t len = 0;
	for (size_t i = 0; i < N_TEXT; i++) {
		const char *s = *text_at(&tmp, i);
		len += strlen(s ? s : "") + 1;
	}
	struct audit_row *r = malloc(sizeof *r + len);
	if (!r)
		return NULL;
	*r = tmp;
	char *p = (char *)(r + 1);
	for (size_t i = 0; i < N_TEXT; i++) {
		const char *s = *text_at(&tmp, i);
		size_t l = strlen(s ? s : "");
		memcpy(p, s ? s : "", l);
		p[l] = '\0';
		*text_at(r, i) = p;
		p += l + 1;
	}
	return r;
}

typedef struct {
	struct audit_rows *out;
	size_t cap;
	bool oom;
} collect;

static int collect_row(const struct audit_row *src, void *ctx)
{
	collect *c = ctx;
	struct audit_rows *o = c->out;
	if (o->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct audit_row **rows = realloc(o->row, cap * sizeof *rows);
		if (!rows) {
			c->oom = true;
			return 1;
		}
		o->row = rows;
		c->cap = cap;
	}
	struct audit_row *r = row_copy(src);
	if (!r) {
		c->oom = true;
		return 1;
	}
	o->row[o->n++] = r;
	return 0;
}

int audit_rows_read(struct audit_log *log, const struct audit_filter *f,
                    struct audit_rows *out)
{
	memset(out, 0, sizeof *out);
	collect c = { out, 0, false };
	int rc = audit_query(log, f, collect_row, &c);
	if (rc == AUDIT_OK && c.oom)
		rc = audit_seterr(log, AUDIT_ERR, "out of memory");
	if (rc != AUDIT_OK)
		audit_rows_free(out);
	return rc;
}

void audit_rows_free(struct audit_rows *rows)
{
	if (!rows)
		return;
	for (size_t i = 0; i < rows->n; i++)
		free(rows->row[i]);
	free(rows->row);
	rows->row = NULL;
	rows->n = 0;
}
