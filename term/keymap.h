/* SPDX-License-Identifier: ISC (see COPYING) */
/* term/keymap.h: the key tables, one per mode, binding keys to commands.
 *
 * In the manner of tmux: the commands are named once in the registry
 * (term/commands.h); a key table per mode binds keys to them. The normal
 * table serves the panes; the reroute editor, the recon pane's resolve
 * marks (the keys after r) and the confirmation dialog each have their
 * own, looked up while that mode is on, so their keys are listed by `?`
 * under the mode and remapped in payops.yaml like any other
 * (keys: {reroute: {KEY: COMMAND}}). Any command may be bound in any
 * table. Every default binding has a letter key (function keys break over
 * some SSH clients).
 *
 * Key names: a single character ("j", "G", "/", "é"), "C-a".."C-z",
 * "Enter", "Esc", "Tab", "BackTab", "Space", "Backspace", "Del", "Ins",
 * "PgUp", "PgDn", "Home", "End", "Up", "Down", "Left", "Right", "F1".."F12".
 * A key is a (code, is_key_code) pair as returned by wget_wch()/
 * term_read_key(): is_key_code is true for curses KEY_* codes.
 */
#ifndef PAYOPS_TERM_KEYMAP_H
#define PAYOPS_TERM_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "config/config.h"
#include "term/commands.h"

/* The panes switch on command ids under this name. */
typedef cmd_id keymap_action;

/* The key tables. */
typedef enum {
	KEYMAP_NORMAL = 0,  /* the panes */
	KEYMAP_REROUTE,     /* the reroute editor (w in Routes) */
	KEYMAP_RESOLVE,     /* the resolve marks of the Recon pane (after r) */
	KEYMAP_DIALOG,      /* the confirmation dialog */
	KEYMAP_MODE_COUNT
} keymap_mode;

/* "normal", "reroute", "resolve", "dialog": payops.yaml's names. */
const char *keymap_mode_name(keymap_mode m);
/* The heading of the mode on `?` ("Reroute editor (w in Routes)"). */
const char *keymap_mode_title(keymap_mode m);
/* -1 for an unknown name. */
int keymap_mode_from_name(const char *name);

#define KEYMAP_MAX_KEYS 6     /* keys bound to one command in one table */
#define KEYMAP_KEYS_TEXT 64   /* room for "j, Down" style key lists */

/* Key names. parse: 0 on success, -1 for an unknown name. format: writes
 * the canonical name ("C-l", "PgDn", "j"); returns 0, -1 if unnameable. */
int keymap_key_parse(const char *name, wint_t *ch, bool *is_key_code);
int keymap_key_format(wint_t ch, bool is_key_code, char *out, size_t outsz);

/* Reset every table to its defaults. Called implicitly on first use; call
 * again (tests) to undo keymap_apply(). */
void keymap_reset(void);

/* The command a key is bound to in a table, or ACT_NONE. Enter arrives as
 * '\r', '\n' or KEY_ENTER and Backspace as 127, 8 or KEY_BACKSPACE: all
 * are the same key. keymap_lookup: the normal table. */
keymap_action keymap_lookup_in(keymap_mode m, wint_t ch, bool is_key_code);
keymap_action keymap_lookup(wint_t ch, bool is_key_code);

/* Bind key -> command in a table (the key leaves whatever command it had
 * there; the command keeps its other keys). ACT_NONE unbinds the key. 0,
 * or -1 when the command already has KEYMAP_MAX_KEYS keys there (or a bad
 * mode or id). keymap_bind: the normal table. */
int keymap_bind_in(keymap_mode m, wint_t ch, bool is_key_code, keymap_action a);
int keymap_bind(wint_t ch, bool is_key_code, keymap_action a);

/* Apply the config's key bindings ("key: command", command "none" unbinds;
 * each in its mode's table). Each bad entry appends
 * "FILE:LINE:COL: unknown command 'x'", "... unknown key 'x'" or
 * "... unknown mode 'x' (normal, reroute, resolve, dialog)" to errs (file
 * NULL: "config"); the good ones still apply. Returns the number of errors
 * (0: all applied). */
int keymap_apply(const cfg_keybind *kb, size_t n, const char *file,
		 cfg_errors *errs);

/* The keys bound to a command in a table, as "j, Down" (empty if none). */
void keymap_keys_text_in(keymap_mode m, keymap_action a, char *out, size_t outsz);
/* The same in the first table (normal first) that binds it. */
void keymap_keys_text(keymap_action a, char *out, size_t outsz);
/* The first key bound to a command in a table (letter keys first): for
 * hints such as "e enable". False when the command has no key there. */
bool keymap_first_key_in(keymap_mode m, keymap_action a, wint_t *ch,
			 bool *is_key_code);
/* The same in the first table (normal first) that binds it. */
bool keymap_first_key(keymap_action a, wint_t *ch, bool *is_key_code);

/* The help screen's rows: per mode (normal first), the commands bound in
 * its table in registry order (the normal table grouped by the commands'
 * groups, the others under the mode's title); last the commands no table
 * binds, under "Commands (type : and the name)". heading_start marks the
 * first row under a heading. Returns false when i is past the end. */
typedef struct {
	keymap_mode mode;
	keymap_action action;
	const char *heading;
	bool heading_start;
	const char *name;
	const char *args;    /* the usage of its `:` arguments, or NULL */
	const char *help;
	unsigned flags;      /* CMD_WRITE */
	char keys[KEYMAP_KEYS_TEXT];  /* "" for a command without a key */
} keymap_help_row;
size_t keymap_help_count(void);
bool keymap_help_row_get(size_t i, keymap_help_row *out);

#endif
