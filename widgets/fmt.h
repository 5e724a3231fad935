/* widgets/fmt.h: how values are spelled on screen, in the panes and in
 * the confirmation dialogs alike: words and symbols first, colour
 * (a term role) only as a second signal; unknown enum values shown as they
 * came, marked "?". Output is plain text: the widgets sanitise and fit it. */
#ifndef PAYOPS_WIDGETS_FMT_H
#define PAYOPS_WIDGETS_FMT_H

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

/* used/limit in tenths of a percent, floored (0 when limit <= 0). */
int64_t fmt_permille(int64_t used, int64_t limit);
/* "[######....]  86.3%" with `cells` bar cells ('#' used, '.' free, '!'
 * over the limit); "[....]     -" without a limit. */
void fmt_usage(char *out, size_t sz, int64_t used, int64_t limit, int cells);

/* Severity of a channel's numbers, for sorting the worst first:
 * 2 critical, 1 warning, 0 fine. */
int fmt_ssr_level(double rate, const cfg_config *cfg);

#endif
