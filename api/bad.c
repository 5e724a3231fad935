/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/bad.c: the fields of an object that came out of the contract (see
 * api/model.h): kept beside the object so views can mark them. */
#include <stdlib.h>
#include <string.h>

#include "api/model.h"

/* a is b, or holds it ("latency_ms" holds "latency_ms.p95", "members"
 * holds "members[1]"). */
static bool holds(const char *a, const char *b)
{
	size_t n = strlen(a);

	return strncmp(a, b, n) == 0 &&
	       (b[n] == '\0' || b[n] == '.' || b[n] == '[');
}

const char *api_bad_why(const api_bad *b, const char *field)
{
	size_t i;

	if (!b || !field)
		return NULL;
	for (i = 0; i < b->n; i++)
		if (holds(b->v[i].field, field) || holds(field, b->v[i].field))
			return b->v[i].why;
	return NULL;
}

size_t api_bad_count(const api_bad *b)
{
	return b ? b->n + b->more : 0;
}

int api_bad_add(api_bad *b, const char *field, const char *why)
{
	api_bad_field *grown;
	char *f, *w;

	if (b->n == API_BAD_MAX) {
		b->more++;
		return 0;
	}
	/* the first reason for a field is the one kept */
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i].field, field) == 0)
			return 0;
	grown = realloc(b->v, (b->n + 1) * sizeof *grown);
	if (!grown)
		return -1;
	b->v = grown;
	f = strdup(field);
	w = strdup(why);
	if (!f || !w) {
		free(f);
		free(w);
		return -1;
	}
	b->v[b->n].field = f;
	b->v[b->n].why = w;
	b->n++;
	return 0;
}

bool api_bad_equal(const api_bad *x, const api_bad *y)
{
	if (x->n != y->n || x->more != y->more)
		return false;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->v[i].field, y->v[i].field) != 0 ||
		    strcmp(x->v[i].why, y->v[i].why) != 0)
			return false;
	return true;
}

void api_bad_free(api_bad *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].field);
		free(b->v[i].why);
	}
	free(b->v);
	memset(b, 0, sizeof *b);
}

int api_bad_copy(api_bad *dst, const api_bad *src)
{
	memset(dst, 0, sizeof *dst);
	for (size_t i = 0; i < src->n; i++)
		if (api_bad_add(dst, src->v[i].field, src->v[i].why) != 0) {
			api_bad_free(dst);
			return -1;
		}
	dst->more = src->more;
	return 0;
}
