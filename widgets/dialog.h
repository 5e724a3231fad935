/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/dialog.h: modal confirmation for dangerous actions.
 *
 * Built from lines of text (title, body lines each with a role: say the
 * exact effect), optional input fields (a reason that is required, a ticket
 * that is optional or required, "type the channel id to confirm" that must
 * match exactly), and two buttons, [Cancel] and [<label> (<key>)], with
 * Cancel the default.
 *
 * Keys: those of the dialog key table (term/keymap.h, KEYMAP_DIALOG):
 * next_field (Tab/Down), prev_field (BackTab/Up), cancel (Esc, anywhere);
 * in a field a key that can be typed is typed instead. Its own: Left/Right
 * between the buttons; Enter in a field moves on, on a button presses it;
 * the confirming key presses Confirm when a button has the focus (or
 * anywhere, when it is a control key). The confirming
 * key must differ from the key that opened the dialog, so a repeated
 * keypress can never confirm. Confirm validates the fields first: on a
 * problem the dialog stays open, says why (dialog_error()) and focuses the
 * field.
 *
 * The app feeds keys from its event loop; nothing blocks.
 */
#ifndef PAYOPS_WIDGETS_DIALOG_H
#define PAYOPS_WIDGETS_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "widgets/widget.h"

typedef enum {
	DIALOG_PENDING = 0,  /* still open */
	DIALOG_CONFIRMED,
	DIALOG_CANCELLED
} dialog_result;

typedef enum {
	DIALOG_OPTIONAL = 0, /* may be empty */
	DIALOG_REQUIRED,     /* must not be empty (blank counts as empty) */
	DIALOG_MATCH         /* must equal `expect` exactly */
} dialog_field_kind;

typedef struct dialog dialog;

/* title and confirm_label are copied ("Disable channel", "Disable").
 * confirm_key: the key that confirms (a character, e.g. 'y');
 * opened_by: the key that opened the dialog. NULL when they are equal
 * (errno EINVAL) or on ENOMEM. */
dialog *dialog_new(const char *title, const char *confirm_label,
		   wint_t confirm_key, wint_t opened_by);
void dialog_free(dialog *d);

/* Body lines, in order (copied). 0, or -1 on ENOMEM. */
int dialog_add_line(dialog *d, const char *text, term_role role);
/* Input field: label ("Reason"), kind, expect (DIALOG_MATCH only: the
 * exact text, e.g. the channel id), max_chars (0: 500). Returns the field
 * index, -1 on error. */
int dialog_add_field(dialog *d, const char *label, dialog_field_kind kind,
		     const char *expect, size_t max_chars);

dialog_result dialog_feed(dialog *d, wint_t ch, bool is_key_code);
dialog_result dialog_result_get(const dialog *d);

/* A field's text (UTF-8), NULL for a bad index. */
const char *dialog_field_value(const dialog *d, int idx);
/* Why the last confirm was refused ("Reason is required", "Channel id
 * does not match"), or NULL. */
const char *dialog_error(const dialog *d);
/* Focus: 0..nfields-1 the fields, then nfields = Cancel, nfields+1 =
 * Confirm. */
int dialog_focus(const dialog *d);

bool dialog_dirty(const dialog *d);
/* Draw centred in area (a box with a border); clears the dirty flag. The
 * box is sized to its content and cut to the area. */
void dialog_draw(dialog *d, WINDOW *win, widget_rect area);
/* Cursor of the last draw (in the focused field or on the focused button). */
void dialog_cursor(const dialog *d, int *y, int *x);

#endif
