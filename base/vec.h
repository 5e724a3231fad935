/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/vec.h: the one growable array.
 *
 * A typed array is a struct declared with VEC(T):
 *
 *	VEC(char *) names = { 0 };
 *	if (vec_push(&names, copy) != 0)
 *		... out of memory: names is as it was, copy is still yours
 *	for (size_t i = 0; i < names.n; i++)
 *		use(names.at[i]);
 *	vec_free(&names);
 *
 * Growth doubles the capacity, so appending one element at a time costs
 * amortised O(1); every size computation is checked for overflow, and a
 * failed growth leaves the array exactly as it was (nothing leaked, nothing
 * lost). The macros evaluate their array argument more than once.
 *
 * vec_grow() is the same growth for an array whose element size is only
 * known at run time (the decoded items of a list of any kind).
 */
#ifndef PAYOPS_BASE_VEC_H
#define PAYOPS_BASE_VEC_H

#include <stddef.h>
#include <stdlib.h>

#define VEC(T) struct { T *at; size_t n, cap; }

/* Make room for `more` elements of `elem` bytes after the first n of the
 * array *pdata (a pointer to the array's pointer, of any object type) of
 * capacity *cap: 0, or -1 on overflow or out of memory with *pdata and *cap
 * untouched. */
int vec_grow(void *pdata, size_t *cap, size_t n, size_t more, size_t elem);

/* 0 when v has room for `more` further elements, else -1 (v unchanged). */
#define vec_reserve(v, more) \
	vec_grow(&(v)->at, &(v)->cap, (v)->n, (more), sizeof *(v)->at)

/* Append x: 0, or -1 (v unchanged). */
#define vec_push(v, x) \
	(vec_reserve((v), 1) != 0 ? -1 : ((v)->at[(v)->n++] = (x), 0))

/* Append k elements copied from src: 0, or -1 (v unchanged). */
#define vec_append(v, src, k) \
	vec_append_raw(&(v)->at, &(v)->cap, &(v)->n, (src), (k), sizeof *(v)->at)
int vec_append_raw(void *pdata, size_t *cap, size_t *n, const void *src,
		   size_t k, size_t elem);

/* Free the storage (not what the elements point to) and empty v. */
#define vec_free(v) \
	(free((v)->at), (v)->at = NULL, (v)->n = 0, (v)->cap = 0)

#endif
