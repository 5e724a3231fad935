/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/cmdline_test.c: editing keys, history, Tab completion
 * (its space never doubled), the live filter callback, drawing with a
 * scrolled long line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "widgets/cmdline.h"
#include "tests/lib/unit.h"

static void type(cmdline *c, const char *s)
{
	HEADLESS_TYPE(cmdline_feed, c, s, CMDLINE_EDITING);
}

static void test_editing(void **state)
{
	(void)state;
	cmdline *c = cmdline_new(":", 10);
	assert_int_equal(cmdline_feed(c, 'x', false), CMDLINE_IGNORED);
	cmdline_open(c, NULL);
	type(c, "disable icbc");
	assert_string_equal(cmdline_text(c), "disable icbc");
	cmdline_feed(c, 1, false); /* C-a */
	assert_int_equal(cmdline_cursor_byte(c), 0);
	cmdline_feed(c, KEY_RIGHT, true);
	cmdline_feed(c, KEY_DC, true);
	assert_string_equal(cmdline_text(c), "dsable icbc");
	cmdline_feed(c, 'i', false);
	cmdline_feed(c, 5, false); /* C-e */
	cmdline_feed(c, 127, false);
	assert_string_equal(cmdline_text(c), "disable icb");
	type(c, " 工行");
	cmdline_feed(c, KEY_BACKSPACE, true); /* a whole wide character */
	assert_string_equal(cmdline_text(c), "disable icb 工");
	cmdline_feed(c, 23, false); /* C-w */
	assert_string_equal(cmdline_text(c), "disable icb ");
	cmdline_feed(c, 23, false);
	assert_string_equal(cmdline_text(c), "disable ");
	cmdline_feed(c, KEY_LEFT, true);
	cmdline_feed(c, KEY_LEFT, true);
	cmdline_feed(c, 11, false); /* C-k */
	assert_string_equal(cmdline_text(c), "disabl");
	cmdline_feed(c, 21, false); /* C-u */
	assert_string_equal(cmdline_text(c), "");
	/* control characters never enter the line */
	cmdline_feed(c, 0x1b5b, false); /* a printable code point */
	cmdline_feed(c, 0x9b, false);   /* C1 CSI: dropped */
	cmdline_feed(c, 3, false);      /* C-c: swallowed */
	assert_int_equal(strlen(cmdline_text(c)), 3);
	assert_int_equal(cmdline_feed(c, 27, false), CMDLINE_CANCELLED);
	assert_false(cmdline_active(c));
	assert_int_equal(cmdline_history_count(c), 0);
	cmdline_free(c);
}

static void test_history(void **state)
{
	(void)state;
	cmdline *c = cmdline_new(":", 3);
	const char *lines[] = { "one", "two", "two", "three", "four" };
	for (size_t i = 0; i < 5; i++) {
		cmdline_open(c, NULL);
		type(c, lines[i]);
		assert_int_equal(cmdline_feed(c, '\r', false),
				 CMDLINE_ACCEPTED);
		assert_string_equal(cmdline_text(c), lines[i]);
	}
	/* bounded to 3, no duplicate in a row */
	assert_int_equal(cmdline_history_count(c), 3);
	assert_string_equal(cmdline_history_get(c, 0), "two");
	assert_string_equal(cmdline_history_get(c, 1), "three");
	assert_string_equal(cmdline_history_get(c, 2), "four");
	cmdline_open(c, NULL);
	type(c, "draft");
	cmdline_feed(c, KEY_UP, true);
	assert_string_equal(cmdline_text(c), "four");
	cmdline_feed(c, 16, false); /* C-p */
	assert_string_equal(cmdline_text(c), "three");
	cmdline_feed(c, KEY_UP, true);
	cmdline_feed(c, KEY_UP, true); /* stays at the oldest */
	assert_string_equal(cmdline_text(c), "two");
	cmdline_feed(c, KEY_DOWN, true);
	cmdline_feed(c, KEY_DOWN, true);
	cmdline_feed(c, KEY_DOWN, true); /* back to the draft */
	assert_string_equal(cmdline_text(c), "draft");
	cmdline_feed(c, KEY_ENTER, true);
	assert_int_equal(cmdline_history_count(c), 3);
	assert_string_equal(cmdline_history_get(c, 2), "draft");
	/* empty lines are not kept */
	cmdline_open(c, NULL);
	assert_int_equal(cmdline_feed(c, '\n', false), CMDLINE_ACCEPTED);
	assert_string_equal(cmdline_history_get(c, 2), "draft");
	cmdline_free(c);
}

static void complete(void *ctx, const char *line, size_t ws, cmdline_cands *out)
{
	(void)ctx;
	static const char *cmds[] = { "disable", "drain", "detail", "quit",
				      "quarantine" };
	static const char *ids[] = { "icbc.direct.quickpay", "icbc.direct.refund",
				     "unionpay.qr" };
	if (ws == 0) {
		for (size_t i = 0; i < 5; i++)
			cmdline_add_candidate(out, cmds[i]);
	} else {
		assert_true(strncmp(line, "disable ", 8) == 0);
		for (size_t i = 0; i < 3; i++)
			cmdline_add_candidate(out, ids[i]);
		cmdline_add_candidate(out, ids[0]); /* duplicates are dropped */
	}
}

static void test_completion(void **state)
{
	(void)state;
	cmdline *c = cmdline_new(":", 5);
	cmdline_set_complete(c, complete, NULL);
	cmdline_open(c, NULL);
	type(c, "di");
	cmdline_feed(c, '\t', false); /* unique: completed with a space */
	assert_string_equal(cmdline_text(c), "disable ");
	type(c, "ic");
	cmdline_feed(c, '\t', false); /* common prefix */
	assert_string_equal(cmdline_text(c), "disable icbc.direct.");
	assert_int_equal(cmdline_ncandidates(c), 2);
	cmdline_feed(c, '\t', false); /* nothing more in common: cycle */
	assert_string_equal(cmdline_text(c), "disable icbc.direct.quickpay");
	cmdline_feed(c, '\t', false);
	assert_string_equal(cmdline_text(c), "disable icbc.direct.refund");
	cmdline_feed(c, '\t', false);
	assert_string_equal(cmdline_text(c), "disable icbc.direct.quickpay");
	assert_string_equal(cmdline_candidate(c, 1), "icbc.direct.refund");
	cmdline_feed(c, 21, false);
	type(c, "q");
	cmdline_feed(c, '\t', false);
	assert_string_equal(cmdline_text(c), "qu");
	cmdline_feed(c, '\t', false);
	assert_string_equal(cmdline_text(c), "quit");
	cmdline_feed(c, '\t', false);
	assert_string_equal(cmdline_text(c), "quarantine");
	/* no candidate: nothing changes */
	cmdline_feed(c, 21, false);
	type(c, "zz");
	cmdline_feed(c, '\t', false);
	assert_string_equal(cmdline_text(c), "zz");
	/* the space a completion added is not doubled by the one typed out
	 * of habit; a second one, or one typed later, is the operator's */
	cmdline_feed(c, 21, false);
	type(c, "di");
	cmdline_feed(c, '\t', false);
	assert_string_equal(cmdline_text(c), "disable ");
	type(c, " ");
	assert_string_equal(cmdline_text(c), "disable ");
	type(c, " ");
	assert_string_equal(cmdline_text(c), "disable  ");
	cmdline_feed(c, 21, false);
	type(c, "di");
	cmdline_feed(c, '\t', false);
	type(c, "u ");
	assert_string_equal(cmdline_text(c), "disable u ");
	cmdline_free(c);
}

struct seen {
	int calls;
	char last[64];
};

static void on_change(void *ctx, const char *text)
{
	struct seen *s = ctx;
	s->calls++;
	snprintf(s->last, sizeof s->last, "%s", text);
}

static void test_live_filter_and_draw(void **state)
{
	(void)state;
	cmdline *c = cmdline_new("/", 0);
	struct seen s = { 0, "" };
	cmdline_set_on_change(c, on_change, &s);
	cmdline_open(c, NULL);
	type(c, "icbc");
	assert_int_equal(s.calls, 4);
	assert_string_equal(s.last, "icbc");
	cmdline_feed(c, KEY_LEFT, true); /* a move is not an edit */
	assert_int_equal(s.calls, 4);
	cmdline_feed(c, KEY_BACKSPACE, true);
	assert_int_equal(s.calls, 5);
	assert_string_equal(s.last, "icc");

	WINDOW *win = newwin(1, 20, 0, 0);
	assert_true(cmdline_dirty(c));
	cmdline_draw(c, win, 0, 0, 20);
	assert_false(cmdline_dirty(c));
	char line[128];
	headless_line(win, 0, 0, 20, line, sizeof line);
	assert_string_equal(line, "/icc                ");
	int y, x;
	cmdline_cursor(c, &y, &x);
	assert_int_equal(x, 3);
	/* a long line scrolls to keep the cursor in view */
	cmdline_feed(c, 5, false);
	type(c, "一二三四五六七八九十一二三四五");
	cmdline_draw(c, win, 0, 0, 20);
	assert_int_equal(headless_line(win, 0, 0, 20, line, sizeof line), 20);
	assert_non_null(strstr(line, "四五"));
	cmdline_cursor(c, &y, &x);
	assert_true(x <= 19);
	cmdline_free(c);
	delwin(win);
}

UNIT_MAIN(headless_setup, headless_teardown,
	cmocka_unit_test(test_editing),
	cmocka_unit_test(test_history),
	cmocka_unit_test(test_completion),
	cmocka_unit_test(test_live_filter_and_draw))
