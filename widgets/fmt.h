/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/fmt.h: how values are spelled on screen, in the panes and in
 * the confirmation dialogs alike: words and symbols first, colour
 * (a term role) only as a second signal; unknown enum values shown as they
 * came, marked "?". Output is plain text: the widgets sanitise and fit it. */
#ifndef PAYOPS_WIDGETS_FMT_H
#define PAYOPS_WIDGETS_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/model.h"
#include "config/config.h"
#include "term/term.h"

/* A contract enum value: known -> its spelling; unknown -> "raw?". */
void fmt_enum(char *out, size_t sz, const char *known, const char *raw);

/* Each writes text and returns the role to draw it with. */
term_role fmt_health(char *out, size_t sz, api_health h, const char *raw);
term_role fmt_admin(char *out, size_t sz, api_admin_state a, const char *raw);
term_role fmt_breaker(char *out, size_t sz, api_breaker b, const char *raw);
void fmt_network(char *out, size_t sz, api_network n, const char *raw);

/* System success rate against the thresholds: "99.92%", "97.10% !"
 * (warning), "91.00% !!" (critical); "-" when unknown. */
term_role fmt_ssr(char *out, size_t sz, double rate, const cfg_config *cfg);
/* p95 against the thresholds: "210ms", "800ms !", "2100ms !!". */
term_role fmt_p95(char *out, size_t sz, double ms, const cfg_config *cfg);
/* Plain numbers: "94.10%", "123.4", "18%"; "-" when NAN. */
void fmt_rate(char *out, size_t sz, double rate);
void fmt_tps(char *out, size_t sz, double tps);
void fmt_share(char *out, size_t sz, double share);
/* "08:15Z" today, "11-20 08:15Z" otherwise; "-" for 0. */
void fmt_time(char *out, size_t sz, time_t t, time_t now);

/* used/limit in tenths of a percent, rounded half up (97.56% is 976), but
 * below 1000 while used < limit: a limit not reached never reads 100.0%
 * (0 when limit <= 0). */
int64_t fmt_permille(int64_t used, int64_t limit);
/* "[######....]  86.3%" with `cells` bar cells ('#' used, '.' free, '!'
 * over the limit); "[....]     -" without a limit. */
void fmt_usage(char *out, size_t sz, int64_t used, int64_t limit, int cells);
/* A field the platform sent out of the contract (api/model.h `bad`):
 * writes FMT_BAD, sets *role (may be NULL) to ROLE_WARN and returns true;
 * false, nothing written, when the field is fine. Views call it before
 * formatting a value, so a refused field never shows as 0 or "-". */
#define FMT_BAD "?"
bool fmt_bad(char *out, size_t sz, const api_bad *b, const char *field,
	     int *role);
/* The detail pane's line: "invalid fields (shown as ?): tps: out of range
 * 0..1e+15; latency_ms.p95: expected a number (and 2 more)"; false, out
 * "", when the object has none. */
bool fmt_bad_line(char *out, size_t sz, const api_bad *b);

/* An amount in minor units as text/money.h spells it, unless the platform
 * sent it (or its currency, which says where the decimal point goes) out
 * of the contract: then "?" in a table cell (ROLE_WARN in *role, which may
 * be NULL); in a detail pane (`exact`) the minor units as they are, the
 * currency unknown ("12800 minor units, currency ?"). */
void fmt_money(char *out, size_t sz, int64_t minor, const char *currency,
	       const api_bad *b, const char *field, bool exact, int *role);

/* Severity of a channel's numbers, for sorting the worst first:
 * 2 critical, 1 warning, 0 fine. */
int fmt_ssr_level(double rate, const cfg_config *cfg);

#endif
