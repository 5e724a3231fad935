/* tests/widgets/keymap_test.c: the key table: names, lookup, remapping
 * from config with positions, every action reachable by a letter key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "term/keymap.h"
#include "term/term.h"

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
	assert_int_equal(keymap_action_from_name("page_down"), ACT_PAGE_DOWN);
	assert_string_equal(keymap_action_name(ACT_QUARANTINE), "quarantine");
	assert_true(keymap_action_flags(ACT_QUARANTINE) & KEYMAP_WRITE);
	assert_false(keymap_action_flags(ACT_DOWN) & KEYMAP_WRITE);
	assert_string_equal(keymap_action_scope(ACT_REROUTE), "routing:write");
	char keys[KEYMAP_KEYS_TEXT];
	keymap_keys_text(ACT_DOWN, keys, sizeof keys);
	assert_string_equal(keys, "j, Down");
}

/* Every action is reachable over any SSH client: at least one key that is
 * a character, not a curses function-key code; and no key is bound twice. */
static void test_every_action_has_letter_key(void **state)
{
	(void)state;
	keymap_reset();
	assert_int_equal(keymap_help_count(), ACT_COUNT - 1);
	for (int a = 1; a < ACT_COUNT; a++) {
		wint_t ch;
		bool isk;
		assert_non_null(keymap_action_name((keymap_action)a));
		assert_true(keymap_first_key((keymap_action)a, &ch, &isk));
		if (isk)
			fail_msg("action %s has no letter key",
				 keymap_action_name((keymap_action)a));
		assert_int_equal(keymap_lookup(ch, isk), a);
	}
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
			    "payops.yaml:4:5: unknown action 'nowhere'");
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

static void test_help_rows_grouped(void **state)
{
	(void)state;
	keymap_reset();
	keymap_help_row row;
	size_t groups = 0;
	bool seen_write = false;
	for (size_t i = 0; keymap_help_row_get(i, &row); i++) {
		if (row.group_start)
			groups++;
		assert_non_null(row.help);
		assert_true(row.keys[0] != '\0');
		if (row.flags & KEYMAP_WRITE)
			seen_write = true;
	}
	assert_true(groups >= 4);
	assert_true(seen_write);
	assert_false(keymap_help_row_get(keymap_help_count(), &row));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format_round_trip),
		cmocka_unit_test(test_parse_aliases_and_errors),
		cmocka_unit_test(test_lookup_defaults),
		cmocka_unit_test(test_every_action_has_letter_key),
		cmocka_unit_test(test_apply_from_config),
		cmocka_unit_test(test_help_rows_grouped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
