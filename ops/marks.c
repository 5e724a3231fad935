/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/marks.c: the marks the panes show beside a target while its
 * operation runs, and after it for channels and route groups. */
#include "ops/op.h"
#include "base/i18n.h"

#include <stdio.h>
#include <string.h>

const ops_mark *ops_marks_find(const ops_marks *t, const char *target)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].target, target) == 0)
			return &t->e[i].m;
	return NULL;
}

ops_mark *ops_marks_get(ops_marks *t, const char *target)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].target, target) == 0)
			return &t->e[i].m;
	size_t i = t->n;
	if (i == OPS_MARKS) { /* drop the oldest */
		size_t old = 0;
		for (size_t k = 1; k < OPS_MARKS; k++)
			if (t->e[k].m.at < t->e[old].m.at)
				old = k;
		i = old;
	} else {
		t->n++;
	}
	snprintf(t->e[i].target, sizeof t->e[i].target, "%s", target);
	memset(&t->e[i].m, 0, sizeof t->e[i].m);
	return &t->e[i].m;
}

void ops_marks_drop(ops_marks *t, const char *target)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].target, target) == 0) {
			t->e[i] = t->e[--t->n];
			return;
		}
}

const char *ops_mark_word(const ops_mark *m, char *buf, size_t bufsz)
{
	if (!m || m->phase == OPS_NONE) {
		snprintf(buf, bufsz, "%s", "");
	} else if (m->phase == OPS_IN_FLIGHT) {
		snprintf(buf, bufsz, _("~ %s: sending"), m->what);
	} else if (m->status == ACT_REJECTED || m->status == ACT_REFUSED) {
		snprintf(buf, bufsz, _("! %s: rejected%s%s"), m->what,
			 m->code[0] ? ": " : "", m->code);
	} else {
		snprintf(buf, bufsz, "%s %s: %s",
			 m->status == ACT_APPLIED ? "=" : "!", m->what,
			 m->status == ACT_PENDING_APPROVAL ? _("pending approval") :
			 act_status_name(m->status));
	}
	return buf;
}
