/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/help.h: the `?` screen, generated from the command registry
 * and the key tables.
 *
 * A line saying that every command also runs from `:`, then per mode (the
 * normal keys by group, then the reroute editor, the resolve marks, the
 * dialogs, each under its title) one line per command bound there: its
 * keys, its name, its help text and the usage of its `:` arguments; last
 * the commands no key is bound to. The columns are as wide as the widest
 * keys and name. Commands the app says are unavailable (read-only mode, a
 * missing scope) are dimmed and marked "(unavailable: <reason>)". Scrolls
 * with the navigation commands.
 */
#ifndef PAYOPS_WIDGETS_HELP_H
#define PAYOPS_WIDGETS_HELP_H

#include <stdbool.h>

#include "term/keymap.h"
#include "widgets/widget.h"

/* Returns NULL when the command is available, else why not ("read-only
 * mode", "token lacks channels:write"). */
typedef const char *(*help_why_fn)(void *ctx, keymap_action a);

typedef struct help help;

help *help_new(void);
void help_free(help *h);
void help_set_why(help *h, help_why_fn fn, void *ctx);
/* Rebuild from the key tables (after keymap_apply or a scope change). */
void help_refresh(help *h);

void help_set_rect(help *h, widget_rect r);
/* ACT_UP/DOWN/PAGE_UP/PAGE_DOWN/TOP/BOTTOM scroll; true when handled. */
bool help_handle(help *h, keymap_action a);
size_t help_lines(const help *h);   /* total lines, headings included */
size_t help_scroll(const help *h);

bool help_dirty(const help *h);
/* Draws every time it is called and clears the dirty flag: the app asks
 * help_dirty() (scrolled, resized, refreshed) or repaints after the window
 * was drawn over. */
void help_draw(help *h, WINDOW *win);

#endif
