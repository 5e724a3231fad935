/* SPDX-License-Identifier: ISC (see COPYING) */
/* store/approvals.c: the approvals the platform holds for a second
 * operator, pending and decided, sorted by id. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

void store_aprs_free(store_apr_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		api_approval_free(&set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

/* The index of id, or where it would go (*found false). */
static size_t apr_pos(const store_apr_set *set, const char *id, bool *found)
{
	size_t lo = 0, hi = set->n;
	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->v[mid].id, id);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int apr_cmp(const void *a, const void *b)
{
	return strcmp(((const api_approval *)a)->id, ((const api_approval *)b)->id);
}

size_t store_approval_count(const store *s)
{
	return store_aprs(s)->n;
}

const api_approval *store_approval_at(const store *s, size_t i)
{
	const store_apr_set *set = store_aprs(s);
	return i < set->n ? &set->v[i] : NULL;
}

const api_approval *store_approval_find(const store *s, const char *id)
{
	const store_apr_set *set = store_aprs(s);
	bool found;
	size_t i = id ? apr_pos(set, id, &found) : 0;
	return id && found ? &set->v[i] : NULL;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The version moves with every change (contract), and state decides the
 * rest: enough to tell an unchanged approval. */
static bool apr_same(const api_approval *a, const api_approval *b)
{
	return a->version == b->version && a->state == b->state &&
	       str_eq(a->state_raw, b->state_raw) && str_eq(a->decided_by, b->decided_by) &&
	       a->expires_at == b->expires_at && api_bad_equal(&a->bad, &b->bad);
}

void store_approvals_replace(store *s, api_approval *items, size_t n,
			     char *const *keep_ids, size_t n_keep, time_t now)
{
	(void)now;
	store_apr_set *set = store_aprs(s);
	api_approval *next = calloc(n + set->n + 1, sizeof *next);
	unsigned char *taken = calloc(set->n + 1, 1);
	if (!next || !taken) {
		free(next);
		free(taken);
		for (size_t i = 0; i < n; i++)
			api_approval_free(&items[i]);
		free(items);
		return;
	}
	bool changed = n != set->n;
	size_t m = 0;
	/* set->v stays whole (and sorted) until every item is looked up:
	 * what is kept from it is only marked taken here */
	for (size_t i = 0; i < n; i++) {
		bool found;
		size_t p = apr_pos(set, items[i].id, &found);
		if (found && !taken[p] &&
		    (items[i].version < set->v[p].version || apr_same(&set->v[p], &items[i]))) {
			/* keep the held copy (an event may have brought a newer one) */
			api_approval_free(&items[i]);
			next[m++] = set->v[p];
			taken[p] = 1;
			continue;
		}
		changed = true;
		next[m++] = items[i];
	}
	free(items);
	for (size_t i = 0; i < set->n; i++) {
		if (taken[i])
			continue;
		if (store_in_list(keep_ids, n_keep, set->v[i].id))
			next[m++] = set->v[i];
		else
			api_approval_free(&set->v[i]);
	}
	free(taken);
	free(set->v);
	set->v = next;
	set->n = m;
	qsort(set->v, m, sizeof *set->v, apr_cmp);
	/* an id both kept and listed appears once: the listed copy wins */
	for (size_t i = 1; i < set->n;) {
		if (strcmp(set->v[i - 1].id, set->v[i].id) == 0) {
			api_approval_free(&set->v[i]);
			memmove(&set->v[i], &set->v[i + 1], (set->n - i - 1) * sizeof *set->v);
			set->n--;
		} else {
			i++;
		}
	}
	if (changed)
		store_bump(s, STORE_APPROVALS);
}

void store_approval_upsert(store *s, api_approval *a, time_t now)
{
	(void)now;
	store_apr_set *set = store_aprs(s);
	bool found;
	size_t p = apr_pos(set, a->id, &found);
	if (found) {
		if (a->version < set->v[p].version || apr_same(&set->v[p], a)) {
			api_approval_free(a);
			return;
		}
		api_approval_free(&set->v[p]);
	} else {
		api_approval *g = realloc(set->v, (set->n + 1) * sizeof *g);
		if (!g) {
			api_approval_free(a);
			return;
		}
		set->v = g;
		memmove(&set->v[p + 1], &set->v[p], (set->n - p) * sizeof *set->v);
		set->n++;
	}
	set->v[p] = *a;
	memset(a, 0, sizeof *a);
	store_bump(s, STORE_APPROVALS);
}
