/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/config_int.h: shared between the files of the config module only. */
#ifndef PAYOPS_CONFIG_INT_H
#define PAYOPS_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

/* Limits that keep a hostile or broken file cheap to reject. */
#define CFG_MAX_FILE_BYTES (1024 * 1024)
#define CFG_MAX_NODES 4096
#define CFG_MAX_DEPTH 32
#define CFG_MAX_ERRORS 100
#define CFG_TOKEN_MAX 4096

/* The YAML document as a tree: every node keeps where it was written. */
enum cfg_node_kind { CFG_SCALAR, CFG_SEQ, CFG_MAP };

typedef struct cfg_node {
	enum cfg_node_kind kind;
	int line, col;          /* 1-based */
	bool plain;             /* scalar written without quotes */
	bool bad;               /* stands in for a refused alias: skip quietly */
	char *text;             /* scalar text, NUL-terminated */
	size_t len;
	struct cfg_node **kids; /* seq: items; map: key, value, key, value... */
	size_t n, cap;
} cfg_node;

/* Where errors go while one file is read. */
typedef struct {
	int line, col; /* 0, 0 for problems with the file as a whole */
	size_t seq;
	char *msg;
} cfg_pending;

typedef struct {
	const char *file;
	cfg_errors *errs;  /* may be NULL: then only counted */
	size_t count;
	cfg_pending *pend; /* held back so the report reads top to bottom */
	size_t npend;
} cfg_report;

void cfg_err_at(cfg_report *r, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cfg_err_plain(cfg_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A value from the file made safe to quote in a message: control
 * characters become '?', long text is cut with "...". */
/* Hand the collected errors to r->errs in file order. */
void cfg_report_finish(cfg_report *r);
const char *cfg_show(const char *s, char *buf, size_t bufsz);

/* Parse YAML into a tree; NULL when the document is empty or unreadable
 * (the reason is already reported). */
cfg_node *cfg_tree_parse(cfg_report *r, const char *buf, size_t len,
			 bool *syntax_error);
void cfg_tree_free(cfg_node *n);
bool cfg_node_is_null(const cfg_node *n);

/* Durations in base/duration.h's grammar, at most a week: 0 and ms on
 * success, else one of these. duration_format() spells them. */
enum { CFG_DUR_MALFORMED = -1, CFG_DUR_BARE_NUMBER = -2, CFG_DUR_TOO_LONG = -3 };
long cfg_duration_parse(const char *s);

/* Decimal number without locale ("0.995", "1", ".5"); false if malformed. */
bool cfg_parse_decimal(const char *s, double *out);
void cfg_format_decimal(double v, char *buf, size_t bufsz);

/* The nearest of `cands` to `word` by edit distance, or NULL when none is
 * close enough to be a likely typo. */
const char *cfg_suggest(const char *word, const char *const *cands, size_t n);

/* Expand "~/" and $HOME / ${HOME}; anything else that looks like a
 * variable is refused. Returns malloc'd text or NULL with why in err. */
char *cfg_expand_path(const char *in, char *err, size_t errsz);

#endif
