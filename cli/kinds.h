/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/kinds.h: the object kinds of `payops get` (cli/kinds.c). */
#ifndef PAYOPS_CLI_KINDS_H
#define PAYOPS_CLI_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "api/decode.h"
#include "store/store.h"
#include "views/queue.h"

typedef struct cli_field cli_field; /* one column's cell (cli/kinds.c) */

typedef struct {
	const char *name;              /* "breaks" */
	api_kind api;
	store_coll coll;
	int queue;                     /* queue_kind, or -1: kept in the store */
	const char *const *cols;       /* the contract's field names, NULL-ended */
	const cli_field *fields;       /* a cell per name: see cli_kind_cell */
	const char *(*id)(const void *obj);
	const char *const *sorts;      /* queue kinds: the cache's sorts; NULL:
					* any column */
	size_t elem;                   /* queue kinds: sizeof the object */
	void (*free_elem)(void *);
} cli_kind;

extern const cli_kind cli_kinds[];
extern const char *const cli_kind_names[];
const cli_kind *cli_kind_find(const char *name);
int cli_kind_ncols(const cli_kind *k);
/* Cell text of column c of obj; human: money formatted (table), else in
 * minor units (csv). */
void cli_kind_cell(const cli_kind *k, const void *obj, int c, bool human, char *buf,
		   size_t sz);

#endif
