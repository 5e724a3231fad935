/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/lines.c: a confirmation dialog's body, a line at a time. */
#include "ops/op.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRAP_AT 100 /* bytes; effect lines are ids and numbers */

void ops_body_add(ops_body *ls, term_role role, const char *fmt, ...)
{
	if (ls->n >= OPS_LINES)
		return;
	char buf[1280];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *t = strdup(buf);
	if (!t) {
		ls->oom = true;
		return;
	}
	ls->text[ls->n] = t;
	ls->l[ls->n].text = t;
	ls->l[ls->n].role = role;
	ls->n++;
}

/* Long lines are wrapped after a ", " so every route group and member
 * stays readable in the dialog. */
void ops_body_block(ops_body *ls, term_role role, const char *block)
{
	const char *p = block;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		const char *q = p;
		bool cont = false;
		while (len > WRAP_AT) {
			int cut = WRAP_AT;
			while (cut > 20 && !(q[cut - 2] == ',' && q[cut - 1] == ' '))
				cut--;
			if (cut <= 20)
				cut = WRAP_AT;
			ops_body_add(ls, role, "%s%.*s", cont ? "    " : "", cut, q);
			q += cut;
			len -= cut;
			cont = true;
		}
		ops_body_add(ls, role, "%s%.*s", cont ? "    " : "", len, q);
		p = nl ? nl + 1 : NULL;
	}
}

void ops_body_free(ops_body *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->text[i]);
	ls->n = 0;
}
