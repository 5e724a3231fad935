/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/vec.c: checked growth for base/vec.h. */
#include "base/vec.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* The array's pointer is read and written through memcpy: pdata points to
 * a T * of the caller's type, which has the representation of a void * on
 * every platform this builds on (POSIX requires it). */
int vec_grow(void *pdata, size_t *cap, size_t n, size_t more, size_t elem)
{
	void *data, *grown;
	size_t need, ncap;

	if (elem == 0 || n > *cap)
		return -1;
	if (more <= *cap - n)
		return 0;
	if (more > SIZE_MAX - n) {
		errno = ENOMEM;
		return -1;
	}
	need = n + more;
	ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > SIZE_MAX / elem) {
		ncap = need;
		if (ncap > SIZE_MAX / elem) {
			errno = ENOMEM;
			return -1;
		}
	}
	memcpy(&data, pdata, sizeof data);
	grown = realloc(data, ncap * elem);
	if (!grown)
		return -1;
	memcpy(pdata, &grown, sizeof grown);
	*cap = ncap;
	return 0;
}

int vec_append_raw(void *pdata, size_t *cap, size_t *n, const void *src,
		   size_t k, size_t elem)
{
	void *data;

	if (k == 0)
		return 0;
	if (vec_grow(pdata, cap, *n, k, elem) != 0)
		return -1;
	memcpy(&data, pdata, sizeof data);
	memcpy((char *)data + *n * elem, src, k * elem);
	*n += k;
	return 0;
}
