/* term/keymap.c: the declared key table and the bindings derived from it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/text.h"
#include "term/keymap.h"
#include "term/term.h"

struct action_def {
	keymap_action id;
	const char *name;
	const char *group;
	const char *keys[KEYMAP_MAX_KEYS]; /* defaults, letter key first */
	const char *help;
	unsigned flags;
	const char *scope;
};

#define NAV "Navigation"
#define VIEWS "Views"
#define GEN "General"
#define ACTS "Actions"
#define DLG "Dialogs"
#define W KEYMAP_WRITE

/* The table, in the order the help screen shows it. */
static const struct action_def defs[] = {
	{ ACT_UP, "up", NAV, { "k", "Up" }, "move up one row", 0, NULL },
	{ ACT_DOWN, "down", NAV, { "j", "Down" }, "move down one row", 0, NULL },
	{ ACT_LEFT, "left", NAV, { "h", "Left" }, "scroll left / previous field", 0, NULL },
	{ ACT_RIGHT, "right", NAV, { "l", "Right" }, "scroll right / next field", 0, NULL },
	{ ACT_PAGE_UP, "page_up", NAV, { "C-b", "PgUp" }, "one page up", 0, NULL },
	{ ACT_PAGE_DOWN, "page_down", NAV, { "C-f", "PgDn" }, "one page down", 0, NULL },
	{ ACT_TOP, "top", NAV, { "g", "Home" }, "first row", 0, NULL },
	{ ACT_BOTTOM, "bottom", NAV, { "G", "End" }, "last row", 0, NULL },
	{ ACT_DETAIL, "detail", NAV, { "Enter" }, "open the selected row's detail", 0, NULL },
	{ ACT_BACK, "back", NAV, { "Esc" }, "back: close detail, prompt or dialog", 0, NULL },

	{ ACT_VIEW_1, "view_1", VIEWS, { "1" }, "view 1", 0, NULL },
	{ ACT_VIEW_2, "view_2", VIEWS, { "2" }, "view 2", 0, NULL },
	{ ACT_VIEW_3, "view_3", VIEWS, { "3" }, "view 3", 0, NULL },
	{ ACT_VIEW_4, "view_4", VIEWS, { "4" }, "view 4", 0, NULL },
	{ ACT_VIEW_5, "view_5", VIEWS, { "5" }, "view 5", 0, NULL },
	{ ACT_VIEW_6, "view_6", VIEWS, { "6" }, "view 6", 0, NULL },
	{ ACT_VIEW_7, "view_7", VIEWS, { "7" }, "view 7", 0, NULL },
	{ ACT_VIEW_8, "view_8", VIEWS, { "8" }, "view 8", 0, NULL },
	{ ACT_NEXT_VIEW, "next_view", VIEWS, { "]", "Tab" }, "next view", 0, NULL },
	{ ACT_PREV_VIEW, "prev_view", VIEWS, { "[", "BackTab" }, "previous view", 0, NULL },
	{ ACT_FILTER, "filter", VIEWS, { "/" }, "filter rows (Esc clears)", 0, NULL },
	{ ACT_SORT, "sort", VIEWS, { "s" }, "sort by the next column", 0, NULL },
	{ ACT_SORT_REVERSE, "sort_reverse", VIEWS, { "S" }, "reverse the sort order", 0, NULL },
	{ ACT_MARK, "mark", VIEWS, { "Space" }, "mark/unmark the row (multi-select)", 0, NULL },

	{ ACT_COMMAND, "command", GEN, { ":" }, "command line (Tab completes)", 0, NULL },
	{ ACT_HELP, "help", GEN, { "?", "F1" }, "this help", 0, NULL },
	{ ACT_REDRAW, "redraw", GEN, { "C-l" }, "repaint the whole screen", 0, NULL },
	{ ACT_REFRESH, "refresh", GEN, { "C-r", "F5" }, "fetch everything now", 0, NULL },
	{ ACT_PAUSE, "pause", GEN, { "p" }, "pause/resume live updates", 0, NULL },
	{ ACT_QUIT, "quit", GEN, { "q" }, "quit", 0, NULL },

	{ ACT_ENABLE, "enable", ACTS, { "e" }, "enable the channel", W, "channels:write" },
	{ ACT_DISABLE, "disable", ACTS, { "d" }, "disable the channel", W, "channels:write" },
	{ ACT_DRAIN, "drain", ACTS, { "D" }, "drain: finish in-flight, take no new traffic", W, "channels:write" },
	{ ACT_QUARANTINE, "quarantine", ACTS, { "Q" }, "quarantine the channel", W, "channels:write" },
	{ ACT_RELEASE, "release", ACTS, { "R" }, "release from quarantine (comes back disabled)", W, "channels:write" },
	{ ACT_REROUTE, "reroute", ACTS, { "w" }, "change route weights", W, "routing:write" },
	{ ACT_APPROVE, "approve", ACTS, { "A" }, "approve the onboarding case", W, "onboarding:write" },
	{ ACT_REJECT, "reject", ACTS, { "X" }, "reject the onboarding case", W, "onboarding:write" },
	{ ACT_RETURN, "return", ACTS, { "B" }, "send the case back to the merchant", W, "onboarding:write" },
	/* a case needs onboarding:write, a break recon:write: the pane checks */
	{ ACT_ASSIGN, "assign", ACTS, { "o" }, "assign an owner (case or break)", W, NULL },
	{ ACT_RESOLVE, "resolve", ACTS, { "r" }, "resolve the reconciliation break", W, "recon:write" },
	{ ACT_ADJUST, "adjust", ACTS, { "c" }, "change the limit", W, "limits:write" },
	{ ACT_ACK, "ack", ACTS, { "a" }, "acknowledge the alert", W, "alerts:write" },
	{ ACT_SILENCE, "silence", ACTS, { "z" }, "silence the alert", W, "alerts:write" },

	{ ACT_CONFIRM, "confirm", DLG, { "y" }, "confirm in a dialog (never the key that opened it)", 0, NULL },
	{ ACT_GROUP, "group", "Alerts", { "b" }, "group rows by a label (none, channel_id, severity, alertname, source)", 0, NULL },
	{ ACT_SILENCES, "silences", "Alerts", { "Z" }, "show the Alertmanagers' silences (again: the alerts)", 0, NULL },
	{ ACT_EXPIRE_SILENCE, "expire_silence", "Alerts", { "x" }, "expire the selected silence", W, "alerts:write" },
	{ ACT_INFO, "info", "Alerts", { "i" }, "every field of the selected row (Enter may jump elsewhere)", 0, NULL },
};

#define NDEFS (sizeof defs / sizeof defs[0])

typedef struct {
	wint_t ch;
	bool is_key;
} key;

static struct {
	bool ready;
	key keys[ACT_COUNT][KEYMAP_MAX_KEYS];
	int nkeys[ACT_COUNT];
	int def_index[ACT_COUNT]; /* id -> defs[] index, -1 if none */
} km;

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

static const struct action_def *def_of(keymap_action a)
{
	if (!km.ready)
		keymap_reset();
	if ((int)a <= ACT_NONE || a >= ACT_COUNT || km.def_index[a] < 0)
		return NULL;
	return &defs[km.def_index[a]];
}

static void unbind_key(key k)
{
	for (int a = 0; a < ACT_COUNT; a++) {
		for (int i = 0; i < km.nkeys[a]; i++) {
			if (km.keys[a][i].ch == k.ch &&
			    km.keys[a][i].is_key == k.is_key) {
				memmove(&km.keys[a][i], &km.keys[a][i + 1],
					(size_t)(km.nkeys[a] - i - 1) *
						sizeof(key));
				km.nkeys[a]--;
				i--;
			}
		}
	}
}

static int bind_key(key k, keymap_action a)
{
	if ((int)a < ACT_NONE || a >= ACT_COUNT)
		return -1;
	if (a != ACT_NONE && km.nkeys[a] >= KEYMAP_MAX_KEYS)
		return -1;
	unbind_key(k);
	if (a == ACT_NONE)
		return 0;
	km.keys[a][km.nkeys[a]++] = k;
	return 0;
}

void keymap_reset(void)
{
	memset(&km, 0, sizeof km);
	for (int a = 0; a < ACT_COUNT; a++)
		km.def_index[a] = -1;
	km.ready = true;
	for (size_t i = 0; i < NDEFS; i++) {
		km.def_index[defs[i].id] = (int)i;
		for (int j = 0; j < KEYMAP_MAX_KEYS && defs[i].keys[j]; j++) {
			wint_t ch;
			bool isk;
			if (keymap_key_parse(defs[i].keys[j], &ch, &isk) == 0)
				bind_key(canon(ch, isk), defs[i].id);
		}
	}
}

keymap_action keymap_lookup(wint_t ch, bool is_key_code)
{
	if (!km.ready)
		keymap_reset();
	key k = canon(ch, is_key_code);
	for (int a = 1; a < ACT_COUNT; a++)
		for (int i = 0; i < km.nkeys[a]; i++)
			if (km.keys[a][i].ch == k.ch &&
			    km.keys[a][i].is_key == k.is_key)
				return (keymap_action)a;
	return ACT_NONE;
}

int keymap_bind(wint_t ch, bool is_key_code, keymap_action a)
{
	if (!km.ready)
		keymap_reset();
	return bind_key(canon(ch, is_key_code), a);
}

/* ---- metadata ---- */

const char *keymap_action_name(keymap_action a)
{
	const struct action_def *d = def_of(a);
	return d ? d->name : NULL;
}

keymap_action keymap_action_from_name(const char *name)
{
	if (!name)
		return ACT_NONE;
	for (size_t i = 0; i < NDEFS; i++)
		if (strcmp(defs[i].name, name) == 0)
			return defs[i].id;
	return ACT_NONE;
}

const char *keymap_action_help(keymap_action a)
{
	const struct action_def *d = def_of(a);
	return d ? d->help : NULL;
}

const char *keymap_action_group(keymap_action a)
{
	const struct action_def *d = def_of(a);
	return d ? d->group : NULL;
}

unsigned keymap_action_flags(keymap_action a)
{
	const struct action_def *d = def_of(a);
	return d ? d->flags : 0;
}

const char *keymap_action_scope(keymap_action a)
{
	const struct action_def *d = def_of(a);
	return d ? d->scope : NULL;
}

void keymap_keys_text(keymap_action a, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return;
	out[0] = '\0';
	if (!def_of(a))
		return;
	size_t len = 0;
	for (int i = 0; i < km.nkeys[a]; i++) {
		char name[32];
		if (keymap_key_format(km.keys[a][i].ch, km.keys[a][i].is_key,
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

bool keymap_first_key(keymap_action a, wint_t *ch, bool *is_key_code)
{
	if (!def_of(a) || km.nkeys[a] == 0)
		return false;
	int pick = 0;
	for (int i = 0; i < km.nkeys[a]; i++) {
		if (!km.keys[a][i].is_key) {
			pick = i;
			break;
		}
	}
	if (ch)
		*ch = km.keys[a][pick].ch;
	if (is_key_code)
		*is_key_code = km.keys[a][pick].is_key;
	return true;
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

int keymap_apply(const cfg_keybind *kb, size_t n, const char *file,
		 cfg_errors *errs)
{
	if (!km.ready)
		keymap_reset();
	int nerr = 0;
	char fname[256], what[128], msg[512];
	text_sanitize(file ? file : "config", (size_t)-1, fname, sizeof fname);
	for (size_t i = 0; i < n; i++) {
		int line = kb[i].line, col = kb[i].col;
		keymap_action a = ACT_NONE;
		bool unbind = kb[i].action && strcmp(kb[i].action, "none") == 0;
		if (!unbind) {
			a = keymap_action_from_name(kb[i].action);
			if (a == ACT_NONE) {
				text_sanitize(kb[i].action ? kb[i].action : "",
					      (size_t)-1, what, sizeof what);
				snprintf(msg, sizeof msg,
					 "%s:%d:%d: unknown action '%s'",
					 fname, line, col, what);
				push_err(errs, msg);
				nerr++;
				continue;
			}
		}
		wint_t ch;
		bool isk;
		if (keymap_key_parse(kb[i].key, &ch, &isk) != 0) {
			text_sanitize(kb[i].key ? kb[i].key : "", (size_t)-1,
				      what, sizeof what);
			snprintf(msg, sizeof msg, "%s:%d:%d: unknown key '%s'",
				 fname, line, col, what);
			push_err(errs, msg);
			nerr++;
			continue;
		}
		if (bind_key(canon(ch, isk), a) != 0) {
			snprintf(msg, sizeof msg,
				 "%s:%d:%d: too many keys for '%s' (at most %d)",
				 fname, line, col, kb[i].action,
				 KEYMAP_MAX_KEYS);
			push_err(errs, msg);
			nerr++;
		}
	}
	return nerr;
}

/* ---- help rows ---- */

size_t keymap_help_count(void)
{
	return NDEFS;
}

bool keymap_help_row_get(size_t i, keymap_help_row *out)
{
	if (i >= NDEFS || !out)
		return false;
	if (!km.ready)
		keymap_reset();
	const struct action_def *d = &defs[i];
	out->action = d->id;
	out->group = d->group;
	out->group_start = i == 0 || strcmp(defs[i - 1].group, d->group) != 0;
	out->name = d->name;
	out->help = d->help;
	out->flags = d->flags;
	keymap_keys_text(d->id, out->keys, sizeof out->keys);
	return true;
}
