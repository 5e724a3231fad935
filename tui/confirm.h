/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/confirm.h: the one confirmation dialog the app runs for the views
 * (view_env.confirm): builds the dialog from a view_confirm, feeds it the
 * keys, runs the view's callbacks when it closes, and opens it again with
 * the operator's text kept when the view's own validation refuses. */
#ifndef PAYOPS_TUI_CONFIRM_H
#define PAYOPS_TUI_CONFIRM_H

#include <stdbool.h>
#include <wchar.h>

#include "config/config.h"
#include "views/view.h"
#include "widgets/widget.h"

typedef struct confirm_box confirm_box;

confirm_box *confirm_new(const cfg_config *cfg);
/* Frees without calling back. */
void confirm_free(confirm_box *b);
/* 0, or -1 when a dialog is already open or out of memory. */
int confirm_open(confirm_box *b, const view_confirm *spec);
bool confirm_active(const confirm_box *b);
/* Feed a key; true when the dialog closed (its callback has run). */
bool confirm_feed(confirm_box *b, wint_t ch, bool is_key_code);
/* Close it as cancelled (on_cancel runs), e.g. when the app quits. */
void confirm_cancel(confirm_box *b);
bool confirm_dirty(const confirm_box *b);
void confirm_draw(confirm_box *b, WINDOW *win, widget_rect area);
void confirm_cursor(const confirm_box *b, int *y, int *x);

#endif
