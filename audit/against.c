/* SPDX-License-Identifier: ISC (see COPYING) */
/* against.c - `payops audit verify --against FILE`: the local log compared
 * with the copy a central receiver collected.
 *
 * The chain alone cannot see its newest rows removed, or a row rewritten
 * with every later hash recomputed; the collected copy can, because each
 * message carries its row's seq and hash.  Every local row must be in the
 * copy with the same hash, and every row in the copy must be in the log. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_int.h"
#include "audit/rfc5424.h"

#define MAX_BAD_LINES 20     /* unparsable lines reported one by one */

struct entry {
	int64_t seq, line;
	char hash[65];
};

struct copy {
	struct entry *e;
	size_t n, cap;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void say(audit_report_fn report, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(audit_report_fn report, void *ctx, const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	if (!report)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	report(buf, ctx);
}

static int read_copy(struct audit_log *log, const char *path, struct copy *c,
                     struct audit_against *res, audit_report_fn report, void *ctx)
{
	FILE *in = fopen(path, "r");
	char *line = NULL, why[200];
	size_t cap = 0;
	ssize_t len;
	int64_t lineno = 0;

	if (!in)
		return audit_seterr(log, AUDIT_ERR, "%s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, in)) >= 0) {
		struct audit_collected row;
		lineno++;
		switch (audit_collected_parse(line, (size_t)len, &row, why, sizeof why)) {
		case AUDIT_LINE_ROW:
			if (c->n == c->cap) {
				size_t nc = c->cap ? c->cap * 2 : 1024;
				struct entry *ne = realloc(c->e, nc * sizeof *ne);
				if (!ne) {
					free(line);
					fclose(in);
					return audit_seterr(log, AUDIT_ERR, "out of memory");
				}
				c->e = ne;
				c->cap = nc;
			}
			c->e[c->n].seq = row.seq;
			c->e[c->n].line = lineno;
			memcpy(c->e[c->n].hash, row.hash, sizeof row.hash);
			c->n++;
			break;
		case AUDIT_LINE_BAD:
			if (res->bad_lines++ < MAX_BAD_LINES)
				say(report, ctx, "line %" PRId64 ": claims to be a payops row but does "
				    "not parse: %s", lineno, why);
			break;
		default:
			if (len > 1 || (len == 1 && line[0] != '\n'))
				res->other_lines++;
		}
	}
	int e = ferror(in) ? errno : 0;
	free(line);
	fclose(in);
	if (e)
		return audit_seterr(log, AUDIT_ERR, "%s: %s", path, strerror(e));
	if (res->bad_lines > MAX_BAD_LINES)
		say(report, ctx, "... and %" PRId64 " more lines that do not parse",
		    res->bad_lines - MAX_BAD_LINES);
	res->rows = (int64_t)c->n;
	return 0;
}

/* A run of rows with the same problem, reported as one line. */
struct run {
	int kind;                    /* 0 none, 1 missing from the copy, 2 only in the copy */
	int64_t from, to, line;
};

static void flush(struct run *r, struct audit_against *res, int64_t head,
                  audit_report_fn report, void *ctx)
{
	if (!r->kind)
		return;
	if (!res->first_bad_seq || r->from < res->first_bad_seq)
		res->first_bad_seq = r->from;
	res->problems++;
	char rows[64];
	if (r->from == r->to)
		snprintf(rows, sizeof rows, "row %" PRId64, r->from);
	else
		snprintf(rows, sizeof rows, "rows %" PRId64 "..%" PRId64, r->from, r->to);
	if (r->kind == 1)
		say(report, ctx, "%s: not in the collected copy", rows);
	else
		say(report, ctx, "%s: in the collected copy (from line %" PRId64 ") but not in the "
		    "local log, whose newest row is %" PRId64 ": rows were removed", rows, r->line,
		    head);
	r->kind = 0;
}

static void note(struct run *r, int kind, int64_t seq, int64_t line,
                 struct audit_against *res, int64_t head, audit_report_fn report, void *ctx)
{
	if (r->kind == kind && seq == r->to + 1) {
		r->to = seq;
		return;
	}
	flush(r, res, head, report, ctx);
	r->kind = kind;
	r->from = r->to = seq;
	r->line = line;
}

/* Entry j is a row the log does not have (a repeat of it counts once). */
static void only_copy(const struct copy *c, size_t j, struct run *run, struct audit_against *res,
                      int64_t head, audit_report_fn report, void *ctx)
{
	if (j > 0 && c->e[j].seq == c->e[j - 1].seq && run->kind == 2) {
		res->duplicates++;
		return;
	}
	note(run, 2, c->e[j].seq, c->e[j].line, res, head, report, ctx);
}

static void problem(struct audit_against *res, int64_t seq)
{
	res->problems++;
	if (!res->first_bad_seq || seq < res->first_bad_seq)
		res->first_bad_seq = seq;
}

int audit_verify_against(struct audit_log *log, const char *path, struct audit_against *res,
                         audit_report_fn report, void *ctx)
{
	struct copy c = { NULL, 0, 0 };
	struct run run = { 0, 0, 0, 0 };
	sqlite3_stmt *st = NULL;
	int64_t head = 0;
	size_t j = 0;
	int rc;

	memset(res, 0, sizeof *res);
	if (read_copy(log, path, &c, res, report, ctx) != 0) {
		free(c.e);
		return AUDIT_ERR;
	}
	if (c.n == 0) {
		free(c.e);
		return audit_seterr(log, AUDIT_EINVAL, "%s holds no payops audit rows (%" PRId64
		                    " lines of other programs, %" PRId64 " that do not parse): "
		                    "is it the collected copy of this log?", path,
		                    res->other_lines, res->bad_lines);
	}
	qsort(c.e, c.n, sizeof *c.e, cmp_entry);
	if (audit_head(log, NULL, &head, NULL) != 0)
		goto fail;
	if (sqlite3_exec(log->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		audit_sqlerr(log, "begin");
		goto fail;
	}
	if (sqlite3_prepare_v2(log->db, "SELECT seq, hash FROM audit_log ORDER BY seq",
	                       -1, &st, NULL) != SQLITE_OK) {
		audit_sqlerr(log, "read rows");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		const char *hash = (const char *)sqlite3_column_text(st, 1);
		int matched = 0, differed = 0;
		res->local_rows++;
		if (seq > head)
			head = seq;
		for (; j < c.n && c.e[j].seq < seq; j++) /* collected, with no local row */
			only_copy(&c, j, &run, res, head, report, ctx);
		for (; j < c.n && c.e[j].seq == seq; j++) {
			if (hash && strcmp(c.e[j].hash, hash) == 0) {
				if (matched++)
					res->duplicates++;
				continue;
			}
			flush(&run, res, head, report, ctx);
			problem(res, seq);
			differed = 1;
			say(report, ctx, "row %" PRId64 ": differs from the collected copy (line %"
			    PRId64 "): hash here %.16s..., collected %.16s...", seq, c.e[j].line,
			    hash ? hash : "", c.e[j].hash);
		}
		if (!matched && !differed)
			note(&run, 1, seq, 0, res, head, report, ctx);
		else if (run.kind == 1)
			flush(&run, res, head, report, ctx);
	}
	if (rc != SQLITE_DONE) {
		audit_sqlerr(log, "read rows");
		goto fail;
	}
	for (; j < c.n; j++)
		only_copy(&c, j, &run, res, head, report, ctx);
	flush(&run, res, head, report, ctx);
	sqlite3_finalize(st);
	audit_rollback(log);
	free(c.e);
	return res->problems || res->bad_lines ? 1 : 0;
fail:
	sqlite3_finalize(st);
	audit_rollback(log);
	free(c.e);
	return AUDIT_ERR;
}
