/* SPDX-License-Identifier: ISC (see COPYING) */
/* term/keymap.c: the key tables per mode, their defaults, and the help
 * rows read from them and the command registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/text.h"
#include "term/keymap.h"
#include "term/term.h"
#include "base/i18n.h"

/* ---- modes ---- */

static const struct {
	const char *name, *title;
} modes[KEYMAP_MODE_COUNT] = {
	[KEYMAP_NORMAL] = { "normal", N_("Keys") },
	[KEYMAP_REROUTE] = { "reroute", N_("Reroute editor (w in Routes; digits then Enter set a weight)") },
	[KEYMAP_RESOLVE] = { "resolve", N_("Resolve marks (r in Recon, then one of these; any other key cancels)") },
	[KEYMAP_DIALOG] = { "dialog", N_("Dialogs (in a field, a key that types is typed instead)") },
};

const char *keymap_mode_name(keymap_mode m)
{
	return (int)m >= 0 && m < KEYMAP_MODE_COUNT ? modes[m].name : NULL;
}

const char *keymap_mode_title(keymap_mode m)
{
	return (int)m >= 0 && m < KEYMAP_MODE_COUNT ? modes[m].title : NULL;
}

int keymap_mode_from_name(const char *name)
{
	for (int m = 0; name && m < KEYMAP_MODE_COUNT; m++)
		if (strcmp(modes[m].name, name) == 0)
			return m;
	return -1;
}

/* ---- the default tables ---- */

struct binding {
	keymap_mode mode;
	keymap_action cmd;
	const char *keys[KEYMAP_MAX_KEYS]; /* letter key first */
};

#define N KEYMAP_NORMAL
#define E KEYMAP_REROUTE
#define M KEYMAP_RESOLVE
#define D KEYMAP_DIALOG

static const struct binding defaults[] = {
	{ N, ACT_UP, { "k", "Up" } },
	{ N, ACT_DOWN, { "j", "Down" } },
	{ N, ACT_LEFT, { "h", "Left" } },
	{ N, ACT_RIGHT, { "l", "Right" } },
	{ N, ACT_PAGE_UP, { "C-b", "PgUp" } },
	{ N, ACT_PAGE_DOWN, { "C-f", "PgDn" } },
	{ N, ACT_TOP, { "g", "Home" } },
	{ N, ACT_BOTTOM, { "G", "End" } },
	{ N, ACT_DETAIL, { "Enter" } },
	{ N, ACT_BACK, { "Esc" } },
	{ N, ACT_VIEW_1, { "1" } },
	{ N, ACT_VIEW_2, { "2" } },
	{ N, ACT_VIEW_3, { "3" } },
	{ N, ACT_VIEW_4, { "4" } },
	{ N, ACT_VIEW_5, { "5" } },
	{ N, ACT_VIEW_6, { "6" } },
	{ N, ACT_VIEW_7, { "7" } },
	{ N, ACT_VIEW_8, { "8" } },
	{ N, ACT_VIEW_9, { "9" } },
	{ N, ACT_NEXT_VIEW, { "]", "Tab" } },
	{ N, ACT_PREV_VIEW, { "[", "BackTab" } },
	{ N, ACT_FILTER, { "/" } },
	{ N, ACT_SORT, { "s" } },
	{ N, ACT_SORT_PREV_COL, { "<" } },
	{ N, ACT_SORT_NEXT_COL, { ">" } },
	{ N, ACT_SORT_REVERSE, { "S" } },
	{ N, ACT_MARK, { "Space" } },
	{ N, ACT_COMMAND, { ":" } },
	{ N, ACT_HELP, { "?", "F1" } },
	{ N, ACT_REDRAW, { "C-l" } },
	{ N, ACT_REFRESH, { "C-r", "F5" } },
	{ N, ACT_PAUSE, { "p" } },
	{ N, ACT_QUIT, { "q" } },
	{ N, ACT_ENABLE, { "e" } },
	{ N, ACT_DISABLE, { "d" } },
	{ N, ACT_DRAIN, { "D" } },
	{ N, ACT_QUARANTINE, { "Q" } },
	{ N, ACT_RELEASE, { "R" } },
	{ N, ACT_REROUTE, { "w" } },
	{ N, ACT_APPROVE, { "A" } },
	{ N, ACT_REJECT, { "X" } },
	{ N, ACT_RETURN, { "B" } },
	{ N, ACT_ASSIGN, { "o" } },
	{ N, ACT_RESOLVE, { "r" } },
	{ N, ACT_ADJUST, { "c" } },
	{ N, ACT_ACK, { "a" } },
	{ N, ACT_SILENCE, { "z" } },
	{ N, ACT_GROUP, { "b" } },
	{ N, ACT_SILENCES, { "Z" } },
	{ N, ACT_EXPIRE_SILENCE, { "x" } },
	{ N, ACT_INFO, { "i" } },

	{ E, ACT_MEMBER_PREV, { "k", "Up", "BackTab" } },
	{ E, ACT_MEMBER_NEXT, { "j", "Down", "Tab" } },
	{ E, ACT_WEIGHT_UP, { "+", "l", "Right" } },
	{ E, ACT_WEIGHT_DOWN, { "-", "h", "Left" } },
	{ E, ACT_WEIGHT_UP_5, { "L" } },
	{ E, ACT_WEIGHT_DOWN_5, { "H" } },
	{ E, ACT_REVIEW, { "Enter" } },
	{ E, ACT_CANCEL, { "Esc" } },
	{ E, ACT_COMMAND, { ":" } },
	{ E, ACT_HELP, { "?", "F1" } },
	{ E, ACT_REDRAW, { "C-l" } },

	{ M, ACT_RESOLVE_MATCH, { "m" } },
	{ M, ACT_RESOLVE_ADJUST, { "a" } },
	{ M, ACT_RESOLVE_WRITE_OFF, { "w" } },
	{ M, ACT_RESOLVE_ESCALATE, { "e" } },
	{ M, ACT_RESOLVE_INVESTIGATE, { "i" } },
	{ M, ACT_RESOLVE_REOPEN, { "u" } },
	{ M, ACT_RESOLVE_ASSIGN, { "o" } },

	{ D, ACT_CONFIRM, { "y" } },
	{ D, ACT_NEXT_FIELD, { "Tab", "Down" } },
	{ D, ACT_PREV_FIELD, { "BackTab", "Up", "C-p" } },
	{ D, ACT_CANCEL, { "Esc" } },
};

#undef N
#undef E
#undef M
#undef D

#define NDEFAULTS (sizeof defaults / sizeof defaults[0])

typedef struct {
	wint_t ch;
	bool is_key;
} key;

/* ---- key names ---- */

static const struct {
	const char *name;
	wint_t ch;
	bool is_key;
} named[] = {
	/* canonical names first: format picks the first match */
	{ "Enter", '\r', false },
	{ "Esc", 27, false },
	{ "Tab", '\t', false },
	{ "BackTab", KEY_BTAB, true },
	{ "Space", ' ', false },
	{ "Backspace", KEY_BACKSPACE, true },
	{ "Del", KEY_DC, true },
	{ "Ins", KEY_IC, true },
	{ "PgUp", KEY_PPAGE, true },
	{ "PgDn", KEY_NPAGE, true },
	{ "Home", KEY_HOME, true },
	{ "End", KEY_END, true },
	{ "Up", KEY_UP, true },
	{ "Down", KEY_DOWN, true },
	{ "Left", KEY_LEFT, true },
	{ "Right", KEY_RIGHT, true },
	/* aliases accepted when parsing */
	{ "Return", '\r', false },
	{ "Escape", 27, false },
	{ "S-Tab", KEY_BTAB, true },
	{ "BSpace", KEY_BACKSPACE, true },
	{ "Delete", KEY_DC, true },
	{ "Insert", KEY_IC, true },
	{ "PageUp", KEY_PPAGE, true },
	{ "PageDown", KEY_NPAGE, true },
};

/* One key, several codes: Enter is C-m, C-j or KEY_ENTER; Backspace is
 * DEL, C-h or KEY_BACKSPACE. */
static key canon(wint_t ch, bool is_key)
{
	key k = { ch, is_key };
	if (is_key) {
		if (ch == KEY_ENTER)
			k.ch = '\r', k.is_key = false;
	} else {
		if (ch == '\n')
			k.ch = '\r';
		else if (ch == 127 || ch == 8)
			k.ch = KEY_BACKSPACE, k.is_key = true;
	}
	return k;
}

/* Decode exactly one UTF-8 character; -1 otherwise. */
static int utf8_one(const char *s, wint_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	int n;
	wint_t v;
	if (c < 0x80)
		n = 1, v = c;
	else if (c >= 0xc2 && c < 0xe0)
		n = 2, v = c & 0x1f;
	else if (c >= 0xe0 && c < 0xf0)
		n = 3, v = c & 0x0f;
	else if (c >= 0xf0 && c < 0xf5)
		n = 4, v = c & 0x07;
	else
		return -1;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (p[n] != '\0')
		return -1;
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return -1;
	*out = v;
	return 0;
}

int keymap_key_parse(const char *name, wint_t *ch, bool *is_key_code)
{
	if (!name || !*name || !ch || !is_key_code)
		return -1;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strcasecmp(name, named[i].name) == 0) {
			*ch = named[i].ch;
			*is_key_code = named[i].is_key;
			return 0;
		}
	}
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' &&
	    name[2] && !name[3]) {
		int c = name[2];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c < 'a' || c > 'z')
			return -1;
		key k = canon((wint_t)(c - 'a' + 1), false);
		*ch = k.ch;
		*is_key_code = k.is_key;
		return 0;
	}
	if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' &&
	    name[1] <= '9') {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 12) {
			*ch = KEY_F(n);
			*is_key_code = true;
			return 0;
		}
	}
	wint_t c;
	if (utf8_one(name, &c) != 0)
		return -1;
	if (c <= 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return -1; /* spaces and controls go by their names */
	*ch = c;
	*is_key_code = false;
	return 0;
}

int keymap_key_format(wint_t ch, bool is_key_code, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return -1;
	out[0] = '\0';
	key k = canon(ch, is_key_code);
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (named[i].ch == k.ch && named[i].is_key == k.is_key) {
			snprintf(out, outsz, "%s", named[i].name);
			return 0;
		}
	}
	if (k.is_key) {
		if (k.ch >= (wint_t)KEY_F(1) && k.ch <= (wint_t)KEY_F(12)) {
			snprintf(out, outsz, "F%d", (int)(k.ch - KEY_F0));
			return 0;
		}
		return -1;
	}
	if (k.ch >= 1 && k.ch <= 26) {
		snprintf(out, outsz, "C-%c", (char)('a' + k.ch - 1));
		return 0;
	}
	if (k.ch <= 0x20 || k.ch == 0x7f || (k.ch >= 0x80 && k.ch < 0xa0) ||
	    k.ch > 0x10ffff || (k.ch >= 0xd800 && k.ch <= 0xdfff))
		return -1;
	/* UTF-8 encode */
	char b[5];
	unsigned v = (unsigned)k.ch;
	if (v < 0x80) {
		b[0] = (char)v, b[1] = 0;
	} else if (v < 0x800) {
		b[0] = (char)(0xc0 | (v >> 6));
		b[1] = (char)(0x80 | (v & 0x3f));
		b[2] = 0;
	} else if (v < 0x10000) {
		b[0] = (char)(0xe0 | (v >> 12));
		b[1] = (char)(0x80 | ((v >> 6) & 0x3f));
		b[2] = (char)(0x80 | (v & 0x3f));
		b[3] = 0;
	} else {
		b[0] = (char)(0xf0 | (v >> 18));
		b[1] = (char)(0x80 | ((v >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((v >> 6) & 0x3f));
		b[3] = (char)(0x80 | (v & 0x3f));
		b[4] = 0;
	}
	if (strlen(b) + 1 > outsz)
		return -1;
	snprintf(out, outsz, "%s", b);
	return 0;
}

/* ---- bindings ---- */

static struct {
	bool ready;
	key keys[KEYMAP_MODE_COUNT][ACT_COUNT][KEYMAP_MAX_KEYS];
	int nkeys[KEYMAP_MODE_COUNT][ACT_COUNT];
	/* the help rows, rebuilt after a change of the bindings */
	bool rows_ready;
	size_t nrows;
	struct { keymap_mode mode; keymap_action cmd; } rows[(KEYMAP_MODE_COUNT + 1) * ACT_COUNT];
} km;

static bool mode_ok(keymap_mode m)
{
	return (int)m >= 0 && m < KEYMAP_MODE_COUNT;
}

static void unbind_key(keymap_mode m, key k)
{
	for (int a = 0; a < ACT_COUNT; a++) {
		key *ks = km.keys[m][a];
		for (int i = 0; i < km.nkeys[m][a]; i++) {
			if (ks[i].ch == k.ch && ks[i].is_key == k.is_key) {
				memmove(&ks[i], &ks[i + 1],
					(size_t)(km.nkeys[m][a] - i - 1) * sizeof(key));
				km.nkeys[m][a]--;
				i--;
			}
		}
	}
}

static int bind_key(keymap_mode m, key k, keymap_action a)
{
	if (!mode_ok(m) || (int)a < ACT_NONE || a >= ACT_COUNT ||
	    (a != ACT_NONE && !cmd_get(a)))
		return -1;
	if (a != ACT_NONE && km.nkeys[m][a] >= KEYMAP_MAX_KEYS)
		return -1;
	unbind_key(m, k);
	km.rows_ready = false;
	if (a == ACT_NONE)
		return 0;
	km.keys[m][a][km.nkeys[m][a]++] = k;
	return 0;
}

void keymap_reset(void)
{
	memset(&km, 0, sizeof km);
	km.ready = true;
	for (size_t i = 0; i < NDEFAULTS; i++) {
		for (int j = 0; j < KEYMAP_MAX_KEYS && defaults[i].keys[j]; j++) {
			wint_t ch;
			bool isk;
			if (keymap_key_parse(defaults[i].keys[j], &ch, &isk) == 0)
				bind_key(defaults[i].mode, canon(ch, isk),
					 defaults[i].cmd);
		}
	}
}

static void ready(void)
{
	if (!km.ready)
		keymap_reset();
}

keymap_action keymap_lookup_in(keymap_mode m, wint_t ch, bool is_key_code)
{
	ready();
	if (!mode_ok(m))
		return ACT_NONE;
	key k = canon(ch, is_key_code);
	for (int a = 1; a < ACT_COUNT; a++)
		for (int i = 0; i < km.nkeys[m][a]; i++)
			if (km.keys[m][a][i].ch == k.ch &&
			    km.keys[m][a][i].is_key == k.is_key)
				return (keymap_action)a;
	return ACT_NONE;
}

keymap_action keymap_lookup(wint_t ch, bool is_key_code)
{
	return keymap_lookup_in(KEYMAP_NORMAL, ch, is_key_code);
}

int keymap_bind_in(keymap_mode m, wint_t ch, bool is_key_code, keymap_action a)
{
	ready();
	return bind_key(m, canon(ch, is_key_code), a);
}

int keymap_bind(wint_t ch, bool is_key_code, keymap_action a)
{
	return keymap_bind_in(KEYMAP_NORMAL, ch, is_key_code, a);
}

static bool bound_in(keymap_mode m, keymap_action a)
{
	return (int)a > ACT_NONE && a < ACT_COUNT && km.nkeys[m][a] > 0;
}

/* The first table (normal first) that binds a, or -1. */
static int first_mode(keymap_action a)
{
	ready();
	for (int m = 0; m < KEYMAP_MODE_COUNT; m++)
		if (bound_in((keymap_mode)m, a))
			return m;
	return -1;
}

void keymap_keys_text_in(keymap_mode m, keymap_action a, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return;
	out[0] = '\0';
	ready();
	if (!mode_ok(m) || !bound_in(m, a))
		return;
	size_t len = 0;
	for (int i = 0; i < km.nkeys[m][a]; i++) {
		char name[32];
		if (keymap_key_format(km.keys[m][a][i].ch, km.keys[m][a][i].is_key,
				      name, sizeof name) != 0)
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s",
				 len ? ", " : "", name);
		if (n < 0 || (size_t)n >= outsz - len) {
			out[len] = '\0';
			return;
		}
		len += (size_t)n;
	}
}

void keymap_keys_text(keymap_action a, char *out, size_t outsz)
{
	int m = first_mode(a);
	if (m < 0) {
		if (out && outsz)
			out[0] = '\0';
		return;
	}
	keymap_keys_text_in((keymap_mode)m, a, out, outsz);
}

bool keymap_first_key_in(keymap_mode m, keymap_action a, wint_t *ch,
			 bool *is_key_code)
{
	ready();
	if (!mode_ok(m) || !bound_in(m, a))
		return false;
	/* a key one types first ("j"), then a control key ("Tab", "C-p"),
	 * then a function key ("Down") */
	const key *ks = km.keys[m][a];
	int pick = 0, best = 3;
	for (int i = 0; i < km.nkeys[m][a] && best > 0; i++) {
		int rank = ks[i].is_key ? 2 : ks[i].ch > 0x20 && ks[i].ch != 0x7f ? 0 : 1;
		if (rank < best) {
			best = rank;
			pick = i;
		}
	}
	if (ch)
		*ch = ks[pick].ch;
	if (is_key_code)
		*is_key_code = ks[pick].is_key;
	return true;
}

bool keymap_first_key(keymap_action a, wint_t *ch, bool *is_key_code)
{
	int m = first_mode(a);
	return m >= 0 && keymap_first_key_in((keymap_mode)m, a, ch, is_key_code);
}

/* ---- config ---- */

static void push_err(cfg_errors *errs, const char *msg)
{
	if (!errs)
		return;
	char **m = realloc(errs->msgs, (errs->n + 1) * sizeof *m);
	if (!m)
		return;
	errs->msgs = m;
	char *copy = strdup(msg);
	if (!copy)
		return;
	errs->msgs[errs->n++] = copy;
}

static int apply_one(const cfg_keybind *b, const char *fname, cfg_errors *errs)
{
	char what[128], msg[512];
	int line = b->line, col = b->col;
	int m = b->mode ? keymap_mode_from_name(b->mode) : KEYMAP_NORMAL;
	if (m < 0) {
		text_sanitize(b->mode, (size_t)-1, what, sizeof what);
		snprintf(msg, sizeof msg, "%s:%d:%d: unknown mode '%s' "
			 "(normal, reroute, resolve, dialog)", fname, line, col, what);
		push_err(errs, msg);
		return -1;
	}
	keymap_action a = ACT_NONE;
	if (!b->action || strcmp(b->action, "none") != 0) {
		const cmd_def *d = cmd_find(b->action);
		if (!d) {
			text_sanitize(b->action ? b->action : "", (size_t)-1,
				      what, sizeof what);
			snprintf(msg, sizeof msg, "%s:%d:%d: unknown command '%s'",
				 fname, line, col, what);
			push_err(errs, msg);
			return -1;
		}
		a = d->id;
	}
	wint_t ch;
	bool isk;
	if (keymap_key_parse(b->key, &ch, &isk) != 0) {
		text_sanitize(b->key ? b->key : "", (size_t)-1, what, sizeof what);
		snprintf(msg, sizeof msg, "%s:%d:%d: unknown key '%s'",
			 fname, line, col, what);
		push_err(errs, msg);
		return -1;
	}
	if (bind_key((keymap_mode)m, canon(ch, isk), a) != 0) {
		snprintf(msg, sizeof msg,
			 "%s:%d:%d: too many keys for '%s' (at most %d)",
			 fname, line, col, cmd_name(a), KEYMAP_MAX_KEYS);
		push_err(errs, msg);
		return -1;
	}
	return 0;
}

int keymap_apply(const cfg_keybind *kb, size_t n, const char *file,
		 cfg_errors *errs)
{
	ready();
	int nerr = 0;
	char fname[256];
	text_sanitize(file ? file : "config", (size_t)-1, fname, sizeof fname);
	for (size_t i = 0; i < n; i++)
		if (apply_one(&kb[i], fname, errs) != 0)
			nerr++;
	return nerr;
}

/* ---- help rows ---- */

#define UNBOUND_HEADING "Commands (type : and the name)"

static void rows_build(void)
{
	ready();
	if (km.rows_ready)
		return;
	size_t n = 0;
	for (int m = 0; m < KEYMAP_MODE_COUNT; m++)
		for (size_t i = 0; i < cmd_count(); i++)
			if (bound_in((keymap_mode)m, cmd_at(i)->id)) {
				km.rows[n].mode = (keymap_mode)m;
				km.rows[n++].cmd = cmd_at(i)->id;
			}
	for (size_t i = 0; i < cmd_count(); i++)
		if (first_mode(cmd_at(i)->id) < 0) {
			km.rows[n].mode = KEYMAP_MODE_COUNT; /* no table */
			km.rows[n++].cmd = cmd_at(i)->id;
		}
	km.nrows = n;
	km.rows_ready = true;
}

static const char *heading_of(size_t i)
{
	keymap_mode m = km.rows[i].mode;
	if (m == KEYMAP_MODE_COUNT)
		return UNBOUND_HEADING;
	if (m == KEYMAP_NORMAL)
		return cmd_get(km.rows[i].cmd)->group;
	return modes[m].title;
}

size_t keymap_help_count(void)
{
	rows_build();
	return km.nrows;
}

bool keymap_help_row_get(size_t i, keymap_help_row *out)
{
	rows_build();
	if (i >= km.nrows || !out)
		return false;
	const cmd_def *d = cmd_get(km.rows[i].cmd);
	keymap_mode m = km.rows[i].mode;
	out->mode = m == KEYMAP_MODE_COUNT ? KEYMAP_NORMAL : m;
	out->action = d->id;
	out->heading = heading_of(i);
	out->heading_start = i == 0 || km.rows[i - 1].mode != m ||
			     strcmp(heading_of(i - 1), out->heading) != 0;
	out->name = d->name;
	out->args = d->args;
	out->help = d->help;
	out->flags = d->flags;
	out->keys[0] = '\0';
	if (m != KEYMAP_MODE_COUNT)
		keymap_keys_text_in(m, d->id, out->keys, sizeof out->keys);
	return true;
}
