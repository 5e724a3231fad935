/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/rfc5424.c: libFuzzer target for the collected-line parser behind
 * `payops audit verify --against` (audit/rfc5424.h).
 *
 * Any input: no crash, no read outside the buffer (the input is copied to
 * an exact-size allocation), and a parsed row is well formed: positive seq,
 * a known kind, 64 lowercase hex digits of hash and prev_hash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/rfc5424.h"

static int hex64(const char *s)
{
	size_t i;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size ? size : 1);
	struct audit_collected row;
	struct audit_syslog_msg m;
	char why[256], v[64];

	if (!line)
		return 0;
	memcpy(line, data, size);
	if (audit_rfc5424_parse(line, size, &m, why, sizeof why) == 0) {
		if (m.pri < 0 || m.pri > 191 || m.version < 1)
			abort();
		audit_rfc5424_param(&m, "payops@32473", "reason", v, sizeof v);
	}
	int r = audit_collected_parse(line, size, &row, why, sizeof why);
	if (r == AUDIT_LINE_ROW &&
	    (row.seq <= 0 || (strcmp(row.kind, "intent") && strcmp(row.kind, "outcome")) ||
	     !hex64(row.hash) || !hex64(row.prev_hash)))
		abort();
	free(line);
	return 0;
}
