/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/rules.c: the platform's rules the console repeats before it asks. */
#include "api/model.h"

api_limit_state api_limit_state_for(int64_t used, int64_t limit, double warn_at)
{
	if (used >= limit)
		return LS_BREACHED;
	/* in doubles, as the platform compares: 0.8 x 100 is exactly 80 there
	 * (a long double would carry 0.8's binary excess and say ok) */
	if ((double)used >= warn_at * (double)limit)
		return LS_WARNING;
	return LS_OK;
}
