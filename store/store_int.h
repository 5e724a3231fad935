/* SPDX-License-Identifier: ISC (see COPYING) */
/* store/store_int.h: internal to store/ (its files share the store). */
#ifndef PAYOPS_STORE_INT_H
#define PAYOPS_STORE_INT_H

#include "store/store.h"

typedef struct {
	api_approval *v; /* sorted by id */
	size_t n;
} store_apr_set;

void store_bump(store *s, store_coll c);
/* The store's approvals (store/approvals.c keeps them). */
store_apr_set *store_aprs(const store *s);
void store_aprs_free(store_apr_set *set);
/* id is one of ids[0..n) (NULL entries skipped): the ids a replace keeps. */
bool store_in_list(char *const *ids, size_t n, const char *id);

#endif
