/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/view.c: the tabs, in the order of the number keys. */
#include "views/view.h"

#include <string.h>
#include <strings.h>

const view_class *const view_classes[VIEW_COUNT] = {
	&view_overview, &view_channels, &view_routes, &view_onboarding,
	&view_recon, &view_limits, &view_alerts, &view_audit, &view_approvals,
};

int view_find(const char *name)
{
	size_t len = strlen(name);
	int found = -1;
	if (len == 0)
		return -1;
	for (int i = 0; i < VIEW_COUNT; i++) {
		if (strcasecmp(view_classes[i]->name, name) == 0)
			return i;
		if (strncasecmp(view_classes[i]->name, name, len) == 0) {
			if (found >= 0)
				return -1; /* ambiguous prefix */
			found = i;
		}
	}
	return found;
}
