/* term/keymap.h: the one declared key table.
 *
 * Every action the console knows is one row: id, name ("down"), default
 * keys (several per action), help text, group, flags. Lookup, the help
 * screen, the key-hint line and config remapping all read this table, so
 * what `?` shows is what the keys do. Every action has a letter key
 * (function keys break over some SSH clients).
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

/* Action ids. Append before ACT_COUNT; never reorder. */
typedef enum {
	ACT_NONE = 0,
	/* Navigation */
	ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT,
	ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP, ACT_BOTTOM,
	ACT_DETAIL, ACT_BACK,
	/* Views */
	ACT_VIEW_1, ACT_VIEW_2, ACT_VIEW_3, ACT_VIEW_4,
	ACT_VIEW_5, ACT_VIEW_6, ACT_VIEW_7, ACT_VIEW_8,
	ACT_NEXT_VIEW, ACT_PREV_VIEW,
	ACT_FILTER, ACT_SORT, ACT_SORT_REVERSE, ACT_MARK,
	/* General */
	ACT_COMMAND, ACT_HELP, ACT_REDRAW, ACT_REFRESH, ACT_PAUSE, ACT_QUIT,
	/* Actions (write scope): channels */
	ACT_ENABLE, ACT_DISABLE, ACT_DRAIN, ACT_QUARANTINE, ACT_RELEASE,
	/* routes */
	ACT_REROUTE,
	/* onboarding */
	ACT_APPROVE, ACT_REJECT, ACT_RETURN, ACT_ASSIGN,
	/* reconciliation */
	ACT_RESOLVE,
	/* limits */
	ACT_ADJUST,
	/* alerts */
	ACT_ACK, ACT_SILENCE,
	/* Dialog */
	ACT_CONFIRM,
	/* alerts (appended) */
	ACT_GROUP, ACT_SILENCES, ACT_EXPIRE_SILENCE, ACT_INFO,
	ACT_COUNT
} keymap_action;

/* Action flags. */
enum {
	KEYMAP_WRITE = 1u << 0 /* changes the platform: needs a write scope,
	                          greyed in read-only mode */
};

#define KEYMAP_MAX_KEYS 6     /* keys bound to one action */
#define KEYMAP_KEYS_TEXT 64   /* room for "j, Down" style key lists */

/* Action metadata. Names are the config-file names ("page_down"). */
const char *keymap_action_name(keymap_action a);        /* NULL if invalid */
keymap_action keymap_action_from_name(const char *name); /* ACT_NONE if unknown */
const char *keymap_action_help(keymap_action a);
const char *keymap_action_group(keymap_action a);  /* "Navigation", ... */
unsigned keymap_action_flags(keymap_action a);
/* The write scope an action needs ("channels:write"), or NULL. */
const char *keymap_action_scope(keymap_action a);

/* Key names. parse: 0 on success, -1 for an unknown name. format: writes
 * the canonical name ("C-l", "PgDn", "j"); returns 0, -1 if unnameable. */
int keymap_key_parse(const char *name, wint_t *ch, bool *is_key_code);
int keymap_key_format(wint_t ch, bool is_key_code, char *out, size_t outsz);

/* Reset the bindings to the table's defaults. Called implicitly on first
 * use; call again (tests) to undo keymap_apply(). */
void keymap_reset(void);

/* The action bound to a key, or ACT_NONE. Enter arrives as '\r', '\n' or
 * KEY_ENTER and Backspace as 127, 8 or KEY_BACKSPACE: all are the same key. */
keymap_action keymap_lookup(wint_t ch, bool is_key_code);

/* Bind key -> action (the key leaves whatever action it had; the action
 * keeps its other keys). action ACT_NONE unbinds the key. 0, or -1 when the
 * action already has KEYMAP_MAX_KEYS keys. */
int keymap_bind(wint_t ch, bool is_key_code, keymap_action a);

/* Apply the config's key bindings ("key: action", action "none" unbinds).
 * Each bad entry appends "FILE:LINE:COL: unknown action 'x'" or
 * "FILE:LINE:COL: unknown key 'x'" to errs (file NULL: "config"); the good
 * ones still apply. Returns the number of errors (0: all applied). */
int keymap_apply(const cfg_keybind *kb, size_t n, const char *file,
		 cfg_errors *errs);

/* The keys currently bound to an action, as "j, Down" (empty if none). */
void keymap_keys_text(keymap_action a, char *out, size_t outsz);
/* The first key bound to an action (letter keys first): for hints such as
 * "e enable". Returns false when the action has no key. */
bool keymap_first_key(keymap_action a, wint_t *ch, bool *is_key_code);

/* Help screen rows, in table order, grouped. group_start marks the first
 * row of a group. Returns false when i is past the end. */
typedef struct {
	keymap_action action;
	const char *group;
	bool group_start;
	const char *name;
	const char *help;
	unsigned flags;
	char keys[KEYMAP_KEYS_TEXT];
} keymap_help_row;
size_t keymap_help_count(void);
bool keymap_help_row_get(size_t i, keymap_help_row *out);

#endif
