/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/keymap_test.c: the key tables: names, lookup per mode,
 * remapping per mode from config with positions, every bound command
 * reachable by a letter key, the help rows per mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "term/keymap.h"
#include "term/term.h"
#include "tests/lib/unit.h"

static const char *const names[] = {
	"j", "G", "/", ":", "?", "C-l", "C-a", "C-z", "Enter", "Esc", "Tab",
	"BackTab", "Space", "Backspace", "Del", "PgUp", "PgDn", "Home", "End",
	"Up", "Down", "Left", "Right", "F1", "F5", "F12", "\xc3\xa9" /* é */,
	"1", "]",
};

static void test_parse_format_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		wint_t ch;
		bool isk;
		char out[32];
		assert_int_equal(keymap_key_parse(names[i], &ch, &isk), 0);
		assert_int_equal(keymap_key_format(ch, isk, out, sizeof out), 0);
		assert_string_equal(out, names[i]);
	}
}

static void test_parse_aliases_and_errors(void **state)
{
	(void)state;
	wint_t ch;
	bool isk;
	assert_int_equal(keymap_key_parse("PageDown", &ch, &isk), 0);
	assert_true(isk);
	assert_int_equal((int)ch, KEY_NPAGE);
	assert_int_equal(keymap_key_parse("c-L", &ch, &isk), 0);
	assert_false(isk);
	assert_int_equal((int)ch, 12);
	assert_int_equal(keymap_key_parse("F13", &ch, &isk), -1);
	assert_int_equal(keymap_key_parse("F0", &ch, &isk), -1);
	assert_int_equal(keymap_key_parse("jj", &ch, &isk), -1);
	assert_int_equal(keymap_key_parse("", &ch, &isk), -1);
	assert_int_equal(keymap_key_parse("C-1", &ch, &isk), -1);
	assert_int_equal(keymap_key_parse("\x01", &ch, &isk), -1);
	assert_int_equal(keymap_key_parse("\xff", &ch, &isk), -1);
	assert_int_equal(keymap_key_parse(" ", &ch, &isk), -1);
	/* C-m is Enter, C-i is Tab, C-h is Backspace: one key, one name */
	char out[16];
	assert_int_equal(keymap_key_parse("C-m", &ch, &isk), 0);
	keymap_key_format(ch, isk, out, sizeof out);
	assert_string_equal(out, "Enter");
	assert_int_equal(keymap_key_parse("C-h", &ch, &isk), 0);
	keymap_key_format(ch, isk, out, sizeof out);
	assert_string_equal(out, "Backspace");
}

static void test_lookup_defaults(void **state)
{
	(void)state;
	keymap_reset();
	assert_int_equal(keymap_lookup('j', false), ACT_DOWN);
	assert_int_equal(keymap_lookup(KEY_DOWN, true), ACT_DOWN);
	assert_int_equal(keymap_lookup('k', false), ACT_UP);
	assert_int_equal(keymap_lookup(KEY_NPAGE, true), ACT_PAGE_DOWN);
	assert_int_equal(keymap_lookup(6, false), ACT_PAGE_DOWN); /* C-f */
	assert_int_equal(keymap_lookup('\r', false), ACT_DETAIL);
	assert_int_equal(keymap_lookup('\n', false), ACT_DETAIL);
	assert_int_equal(keymap_lookup(KEY_ENTER, true), ACT_DETAIL);
	assert_int_equal(keymap_lookup(27, false), ACT_BACK);
	assert_int_equal(keymap_lookup('\t', false), ACT_NEXT_VIEW);
	assert_int_equal(keymap_lookup(KEY_BTAB, true), ACT_PREV_VIEW);
	assert_int_equal(keymap_lookup('3', false), ACT_VIEW_3);
	assert_int_equal(keymap_lookup('8', false), ACT_VIEW_8);
	assert_int_equal(keymap_lookup('D', false), ACT_DRAIN);
	assert_int_equal(keymap_lookup('d', false), ACT_DISABLE);
	assert_int_equal(keymap_lookup(' ', false), ACT_MARK);
	assert_int_equal(keymap_lookup(12, false), ACT_REDRAW);
	assert_int_equal(keymap_lookup('q', false), ACT_QUIT);
	assert_int_equal(keymap_lookup('K', false), ACT_NONE);
	assert_int_equal(keymap_lookup('j', true), ACT_NONE);
	/* the modal keys are in their own tables, not the normal one */
	assert_int_equal(keymap_lookup('+', false), ACT_NONE);
	assert_int_equal(keymap_lookup('m', false), ACT_NONE);
	assert_int_equal(keymap_lookup('y', false), ACT_NONE);
	char keys[KEYMAP_KEYS_TEXT];
	keymap_keys_text(ACT_DOWN, keys, sizeof keys);
	assert_string_equal(keys, "j, Down");
}

/* The same key means one thing per mode. */
static void test_lookup_per_mode(void **state)
{
	(void)state;
	keymap_reset();
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'j', false), ACT_MEMBER_NEXT);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, '\t', false), ACT_MEMBER_NEXT);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, KEY_UP, true), ACT_MEMBER_PREV);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, '+', false), ACT_WEIGHT_UP);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'h', false), ACT_WEIGHT_DOWN);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'L', false), ACT_WEIGHT_UP_5);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, '\n', false), ACT_REVIEW);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 27, false), ACT_CANCEL);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, '?', false), ACT_HELP);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, '5', false), ACT_NONE);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'q', false), ACT_NONE);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 'm', false), ACT_RESOLVE_MATCH);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 'w', false), ACT_RESOLVE_WRITE_OFF);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 'u', false), ACT_RESOLVE_REOPEN);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 27, false), ACT_NONE);
	assert_int_equal(keymap_lookup_in(KEYMAP_DIALOG, 'y', false), ACT_CONFIRM);
	assert_int_equal(keymap_lookup_in(KEYMAP_DIALOG, KEY_BTAB, true), ACT_PREV_FIELD);
	assert_int_equal(keymap_lookup_in(KEYMAP_DIALOG, 27, false), ACT_CANCEL);
	assert_int_equal(keymap_lookup_in(KEYMAP_MODE_COUNT, 'j', false), ACT_NONE);
	/* a command's key is found in the table that binds it */
	wint_t ch;
	bool isk;
	assert_true(keymap_first_key(ACT_CONFIRM, &ch, &isk));
	assert_int_equal((int)ch, 'y');
	assert_true(keymap_first_key_in(KEYMAP_REROUTE, ACT_WEIGHT_UP, &ch, &isk));
	assert_int_equal((int)ch, '+');
	assert_false(keymap_first_key_in(KEYMAP_NORMAL, ACT_WEIGHT_UP, &ch, &isk));
	assert_false(keymap_first_key(ACT_SITES, &ch, &isk));
	char keys[KEYMAP_KEYS_TEXT];
	keymap_keys_text_in(KEYMAP_REROUTE, ACT_WEIGHT_DOWN, keys, sizeof keys);
	assert_string_equal(keys, "-, h, Left");
	keymap_keys_text(ACT_CANCEL, keys, sizeof keys); /* reroute before dialog */
	assert_string_equal(keys, "Esc");
	/* mode names, both ways */
	for (int m = 0; m < KEYMAP_MODE_COUNT; m++) {
		assert_non_null(keymap_mode_title((keymap_mode)m));
		assert_int_equal(keymap_mode_from_name(keymap_mode_name((keymap_mode)m)), m);
	}
	assert_int_equal(keymap_mode_from_name("visual"), -1);
	assert_null(keymap_mode_name(KEYMAP_MODE_COUNT));
}

/* Every bound command is reachable over any SSH client: in each table that
 * binds it, one key is a character, not a curses function-key code; and
 * that key leads back to it. */
static void test_every_binding_has_letter_key(void **state)
{
	(void)state;
	keymap_reset();
	size_t bound = 0;
	for (int m = 0; m < KEYMAP_MODE_COUNT; m++) {
		for (size_t i = 0; i < cmd_count(); i++) {
			keymap_action a = cmd_at(i)->id;
			wint_t ch;
			bool isk;
			if (!keymap_first_key_in((keymap_mode)m, a, &ch, &isk))
				continue;
			bound++;
			if (isk)
				fail_msg("%s has no letter key in %s", cmd_at(i)->name,
					 keymap_mode_name((keymap_mode)m));
			assert_int_equal(keymap_lookup_in((keymap_mode)m, ch, isk), a);
		}
	}
	/* every command but the `:`-only ones has a key somewhere */
	for (size_t i = 0; i < cmd_count(); i++) {
		keymap_action a = cmd_at(i)->id;
		if (a != ACT_SITES && !keymap_first_key(a, NULL, NULL))
			fail_msg("%s has no key in any table", cmd_at(i)->name);
	}
	assert_true(bound > cmd_count());
}

static void test_apply_from_config(void **state)
{
	(void)state;
	keymap_reset();
	cfg_keybind kb[] = {
		{ .key = "x", .action = "down", .line = 3, .col = 5 },
		{ .key = "j", .action = "nowhere", .line = 4, .col = 5 },
		{ .key = "C-?", .action = "up", .line = 5, .col = 7 },
		{ .key = "q", .action = "none", .line = 6, .col = 5 },
		{ .key = "F2", .action = "help", .line = 7, .col = 5 },
	};
	cfg_errors errs = { 0 };
	assert_int_equal(keymap_apply(kb, 5, "payops.yaml", &errs), 2);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.msgs[0],
			    "payops.yaml:4:5: unknown command 'nowhere'");
	assert_string_equal(errs.msgs[1], "payops.yaml:5:7: unknown key 'C-?'");
	assert_int_equal(keymap_lookup('x', false), ACT_DOWN);
	assert_int_equal(keymap_lookup('j', false), ACT_DOWN); /* kept */
	assert_int_equal(keymap_lookup('q', false), ACT_NONE);  /* unbound */
	assert_int_equal(keymap_lookup(KEY_F(2), true), ACT_HELP);
	/* rebinding a key moves it: 'e' from enable to quit */
	cfg_keybind mv = { .key = "e", .action = "quit", .line = 1, .col = 1 };
	assert_int_equal(keymap_apply(&mv, 1, NULL, &errs), 0);
	assert_int_equal(keymap_lookup('e', false), ACT_QUIT);
	char keys[KEYMAP_KEYS_TEXT];
	keymap_keys_text(ACT_ENABLE, keys, sizeof keys);
	assert_string_equal(keys, "");
	for (size_t i = 0; i < errs.n; i++)
		free(errs.msgs[i]);
	free(errs.msgs);
	/* a control character in the file reaches the message sanitised */
	cfg_keybind bad = { .key = "k", .action = "a\x1b[2Jb", .line = 9, .col = 2 };
	cfg_errors e2 = { 0 };
	assert_int_equal(keymap_apply(&bad, 1, "f", &e2), 1);
	assert_null(strchr(e2.msgs[0], 0x1b));
	free(e2.msgs[0]);
	free(e2.msgs);
	keymap_reset();
	assert_int_equal(keymap_lookup('q', false), ACT_QUIT);
}

/* keys: {reroute: {...}} remaps the editor's keys and leaves the
 * normal table alone; a bad mode is reported at its position. */
static void test_apply_per_mode(void **state)
{
	(void)state;
	keymap_reset();
	cfg_keybind kb[] = {
		{ .key = "n", .action = "member_next", .mode = "reroute", .line = 3, .col = 5 },
		{ .key = "j", .action = "none", .mode = "reroute", .line = 4, .col = 5 },
		{ .key = "M", .action = "resolve_match", .mode = "resolve", .line = 5, .col = 5 },
		{ .key = "x", .action = "down", .mode = "visual", .line = 6, .col = 3 },
		{ .key = "C-y", .action = "confirm", .mode = "dialog", .line = 7, .col = 5 },
		{ .key = "q", .action = "quit", .mode = "reroute", .line = 8, .col = 5 },
	};
	cfg_errors errs = { 0 };
	assert_int_equal(keymap_apply(kb, 6, "p.yaml", &errs), 1);
	assert_string_equal(errs.msgs[0], "p.yaml:6:3: unknown mode 'visual' "
			    "(normal, reroute, resolve, dialog)");
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'n', false), ACT_MEMBER_NEXT);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'j', false), ACT_NONE);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, KEY_DOWN, true), ACT_MEMBER_NEXT);
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'q', false), ACT_QUIT);
	assert_int_equal(keymap_lookup('j', false), ACT_DOWN);  /* untouched */
	assert_int_equal(keymap_lookup('n', false), ACT_NONE);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 'M', false), ACT_RESOLVE_MATCH);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 'm', false), ACT_RESOLVE_MATCH);
	assert_int_equal(keymap_lookup_in(KEYMAP_DIALOG, 25, false), ACT_CONFIRM);
	/* the hint of the editor's command now names n */
	wint_t ch;
	bool isk;
	assert_true(keymap_first_key_in(KEYMAP_REROUTE, ACT_MEMBER_NEXT, &ch, &isk));
	assert_int_equal((int)ch, 'n');
	/* binding in one table by keymap_bind_in, unbinding with ACT_NONE */
	assert_int_equal(keymap_bind_in(KEYMAP_RESOLVE, 'z', false, ACT_RESOLVE_ESCALATE), 0);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 'z', false), ACT_RESOLVE_ESCALATE);
	assert_int_equal(keymap_lookup('z', false), ACT_SILENCE);
	assert_int_equal(keymap_bind_in(KEYMAP_RESOLVE, 'z', false, ACT_NONE), 0);
	assert_int_equal(keymap_lookup_in(KEYMAP_RESOLVE, 'z', false), ACT_NONE);
	assert_int_equal(keymap_bind_in(KEYMAP_MODE_COUNT, 'z', false, ACT_UP), -1);
	for (size_t i = 0; i < errs.n; i++)
		free(errs.msgs[i]);
	free(errs.msgs);
	keymap_reset();
	assert_int_equal(keymap_lookup_in(KEYMAP_REROUTE, 'j', false), ACT_MEMBER_NEXT);
}

static int row_of(keymap_mode m, keymap_action a, keymap_help_row *out)
{
	for (size_t i = 0; keymap_help_row_get(i, out); i++)
		if (out->mode == m && out->action == a && out->keys[0])
			return (int)i;
	return -1;
}

/* The help rows: the normal table by group, each mode under its title,
 * then the commands without a key; every command at least once. */
static void test_help_rows(void **state)
{
	(void)state;
	keymap_reset();
	keymap_help_row row;
	size_t headings = 0;
	bool seen_write = false, seen[ACT_COUNT] = { false };
	keymap_mode last = KEYMAP_NORMAL;
	for (size_t i = 0; keymap_help_row_get(i, &row); i++) {
		if (row.heading_start)
			headings++;
		assert_non_null(row.heading);
		assert_non_null(row.help);
		assert_true(row.mode >= last || !row.keys[0]); /* modes in order */
		if (row.keys[0])
			last = row.mode;
		if (row.flags & CMD_WRITE)
			seen_write = true;
		seen[row.action] = true;
	}
	assert_true(headings >= 8);
	assert_true(seen_write);
	for (size_t i = 0; i < cmd_count(); i++)
		if (!seen[cmd_at(i)->id])
			fail_msg("%s is not on the help screen", cmd_at(i)->name);
	assert_false(keymap_help_row_get(keymap_help_count(), &row));

	int r = row_of(KEYMAP_REROUTE, ACT_WEIGHT_UP, &row);
	assert_true(r > 0);
	assert_string_equal(row.keys, "+, l, Right");
	assert_string_equal(row.heading, keymap_mode_title(KEYMAP_REROUTE));
	assert_true(row_of(KEYMAP_RESOLVE, ACT_RESOLVE_MATCH, &row) > r);
	assert_string_equal(row.keys, "m");
	assert_true(row_of(KEYMAP_NORMAL, ACT_QUARANTINE, &row) >= 0);
	assert_string_equal(row.heading, "Actions");
	assert_string_equal(row.args, "[ID]");
	/* a command no table binds is listed last, without keys */
	size_t n = keymap_help_count();
	assert_true(keymap_help_row_get(n - 1, &row));
	assert_int_equal(row.action, ACT_SITES);
	assert_string_equal(row.keys, "");
	assert_true(row.heading_start);
	/* a remap shows up: help in the reroute table on F2 only */
	cfg_keybind kb[] = {
		{ .key = "?", .action = "none", .mode = "reroute", .line = 1, .col = 1 },
		{ .key = "F1", .action = "none", .mode = "reroute", .line = 2, .col = 1 },
	};
	assert_int_equal(keymap_apply(kb, 2, NULL, NULL), 0);
	assert_int_equal(row_of(KEYMAP_REROUTE, ACT_HELP, &row), -1);
	assert_int_equal(keymap_help_count(), n - 1);
	keymap_reset();
	assert_int_equal(keymap_help_count(), n);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_parse_format_round_trip),
	cmocka_unit_test(test_parse_aliases_and_errors),
	cmocka_unit_test(test_lookup_defaults),
	cmocka_unit_test(test_lookup_per_mode),
	cmocka_unit_test(test_every_binding_has_letter_key),
	cmocka_unit_test(test_apply_from_config),
	cmocka_unit_test(test_apply_per_mode),
	cmocka_unit_test(test_help_rows))
