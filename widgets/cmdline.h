/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/cmdline.h: the one-line editor behind `:` commands and the `/`
 * filter prompt.
 *
 * Keys: printable characters insert; Left/Right (C-b/C-f), Home/End
 * (C-a/C-e), Backspace, Del (C-d), C-u (kill to start), C-k (kill to end),
 * C-w (kill the word before the cursor); Up/Down (C-p/C-n) walk the history
 * (bounded, no duplicate of the previous entry); Tab completes the word
 * before the cursor from a caller-supplied candidate function (first Tab:
 * complete the common prefix; when there is none to add, each Tab cycles
 * through the candidates; a word completed whole is followed by a space,
 * and a space typed right after that one is not doubled); Enter accepts;
 * Esc (or C-g) cancels.
 *
 * It never blocks: the app feeds keys from its event loop. An on-change
 * callback runs after every edit (the live `/` filter).
 */
#ifndef PAYOPS_WIDGETS_CMDLINE_H
#define PAYOPS_WIDGETS_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "widgets/widget.h"

#define CMDLINE_MAX 1024   /* bytes of text, NUL included */

typedef enum {
	CMDLINE_EDITING = 0,   /* key used, still editing */
	CMDLINE_ACCEPTED,      /* Enter: cmdline_text() has the line */
	CMDLINE_CANCELLED,     /* Esc */
	CMDLINE_IGNORED        /* not active, or a key it does not use */
} cmdline_result;

/* Candidates: the function gets the whole line and the byte offset where
 * the word being completed starts (so it can tell a command from an
 * argument) and calls cmdline_add_candidate() for each full word; the
 * cmdline keeps those that start with the word. */
typedef struct cmdline_cands cmdline_cands;
typedef void (*cmdline_complete_fn)(void *ctx, const char *line,
				    size_t word_start, cmdline_cands *out);
void cmdline_add_candidate(cmdline_cands *c, const char *word);

typedef void (*cmdline_change_fn)(void *ctx, const char *text);

typedef struct cmdline cmdline;

/* prompt: ":" or "/" (copied). hist_max: history entries kept (0: none). */
cmdline *cmdline_new(const char *prompt, size_t hist_max);
void cmdline_free(cmdline *c);

void cmdline_set_complete(cmdline *c, cmdline_complete_fn fn, void *ctx);
void cmdline_set_on_change(cmdline *c, cmdline_change_fn fn, void *ctx);

/* Start editing with initial text (NULL: empty), cursor at the end. */
void cmdline_open(cmdline *c, const char *initial);
void cmdline_close(cmdline *c);
bool cmdline_active(const cmdline *c);

/* Feed one key (as from term_read_key: is_key_code for KEY_* codes). On
 * CMDLINE_ACCEPTED the line is added to the history and the editor closes;
 * on CMDLINE_CANCELLED it closes. */
cmdline_result cmdline_feed(cmdline *c, wint_t ch, bool is_key_code);

const char *cmdline_text(const cmdline *c);   /* current or accepted line */
size_t cmdline_cursor_byte(const cmdline *c); /* cursor, byte offset */

/* The candidates of the last Tab (for "matches: a b c" on the message
 * line): count and i-th. */
size_t cmdline_ncandidates(const cmdline *c);
const char *cmdline_candidate(const cmdline *c, size_t i);

/* History: oldest first. */
size_t cmdline_history_count(const cmdline *c);
const char *cmdline_history_get(const cmdline *c, size_t i);
void cmdline_history_add(cmdline *c, const char *line);

bool cmdline_dirty(const cmdline *c);
/* Draw prompt + text on one line (scrolled horizontally to keep the
 * cursor visible); clears the dirty flag. */
void cmdline_draw(cmdline *c, WINDOW *win, int y, int x, int w);
/* Cursor position of the last draw (window coordinates). */
void cmdline_cursor(const cmdline *c, int *y, int *x);

#endif
