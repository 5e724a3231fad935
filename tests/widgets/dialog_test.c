/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/dialog_test.c: confirmation dialogs: Cancel is the
 * default, the opening key never confirms, typed ids must match, a reason
 * is required, Esc cancels; drawn inside its area. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "widgets/dialog.h"
#include "tests/lib/unit.h"

static void type(dialog *d, const char *s)
{
	HEADLESS_TYPE(dialog_feed, d, s, DIALOG_PENDING);
}

static dialog *disable_dialog(bool typed_id)
{
	dialog *d = dialog_new("Disable channel", "Disable", 'y', 'd');
	assert_non_null(d);
	dialog_add_line(d, "Disable icbc.direct.quickpay (工商银行 快捷支付)?",
			ROLE_NORMAL);
	dialog_add_line(d, "It carries 18% of traffic; new payments reroute.",
			ROLE_WARN);
	assert_int_equal(dialog_add_field(d, "Reason", DIALOG_REQUIRED, NULL, 500), 0);
	assert_int_equal(dialog_add_field(d, "Ticket", DIALOG_OPTIONAL, NULL, 64), 1);
	if (typed_id)
		assert_int_equal(dialog_add_field(d, "Type the channel id",
						  DIALOG_MATCH,
						  "icbc.direct.quickpay", 0), 2);
	return d;
}

static void test_confirm_key_differs(void **state)
{
	(void)state;
	assert_null(dialog_new("x", "Disable", 'd', 'd'));
	dialog *d = dialog_new("Enable channel", "Enable", 'y', 'e');
	/* no fields: focus on Cancel, the default */
	assert_int_equal(dialog_focus(d), 0);
	/* the opening key pressed again does nothing */
	assert_int_equal(dialog_feed(d, 'e', false), DIALOG_PENDING);
	/* Enter on the default button cancels */
	assert_int_equal(dialog_feed(d, '\r', false), DIALOG_CANCELLED);
	dialog_free(d);

	d = dialog_new("Enable channel", "Enable", 'y', 'e');
	assert_int_equal(dialog_feed(d, 'y', false), DIALOG_CONFIRMED);
	/* finished: further keys change nothing */
	assert_int_equal(dialog_feed(d, 27, false), DIALOG_CONFIRMED);
	dialog_free(d);
}

static void test_reason_required(void **state)
{
	(void)state;
	dialog *d = disable_dialog(false);
	assert_int_equal(dialog_focus(d), 0); /* the reason field */
	/* 'y' in a field is text, not confirmation */
	type(d, "y");
	assert_string_equal(dialog_field_value(d, 0), "y");
	dialog_feed(d, KEY_BACKSPACE, true);
	type(d, "   ");
	/* Enter walks the fields, then lands on Cancel */
	assert_int_equal(dialog_feed(d, '\r', false), DIALOG_PENDING);
	assert_int_equal(dialog_focus(d), 1);
	assert_int_equal(dialog_feed(d, '\r', false), DIALOG_PENDING);
	assert_int_equal(dialog_focus(d), 2); /* Cancel */
	/* confirm with a blank reason: refused, focus back on the reason */
	assert_int_equal(dialog_feed(d, 'y', false), DIALOG_PENDING);
	assert_non_null(dialog_error(d));
	assert_non_null(strstr(dialog_error(d), "Reason is required"));
	assert_int_equal(dialog_focus(d), 0);
	dialog_feed(d, 21, false); /* C-u */
	type(d, "上游银行 96 故障");
	dialog_feed(d, '\t', false);
	type(d, "INC-4821");
	dialog_feed(d, '\t', false); /* Cancel */
	dialog_feed(d, KEY_RIGHT, true); /* Confirm */
	assert_int_equal(dialog_focus(d), 3);
	assert_int_equal(dialog_feed(d, KEY_ENTER, true), DIALOG_CONFIRMED);
	assert_string_equal(dialog_field_value(d, 0), "上游银行 96 故障");
	assert_string_equal(dialog_field_value(d, 1), "INC-4821");
	assert_null(dialog_error(d));
	dialog_free(d);
}

static void test_typed_id_must_match(void **state)
{
	(void)state;
	dialog *d = disable_dialog(true);
	type(d, "bank down");
	dialog_feed(d, '\t', false);
	dialog_feed(d, '\t', false);
	type(d, "icbc.direct.quickpa"); /* one short */
	dialog_feed(d, KEY_BTAB, true);
	dialog_feed(d, KEY_BTAB, true);
	dialog_feed(d, KEY_BTAB, true); /* wraps to Confirm */
	assert_int_equal(dialog_focus(d), 4);
	assert_int_equal(dialog_feed(d, 'y', false), DIALOG_PENDING);
	assert_non_null(strstr(dialog_error(d), "does not match"));
	assert_int_equal(dialog_focus(d), 2);
	type(d, "y"); /* typed into the field: now it matches */
	assert_string_equal(dialog_field_value(d, 2), "icbc.direct.quickpay");
	dialog_feed(d, '\t', false);
	dialog_feed(d, '\t', false);
	assert_int_equal(dialog_feed(d, 'y', false), DIALOG_CONFIRMED);
	dialog_free(d);

	/* case and surrounding spaces count: exact match only */
	d = disable_dialog(true);
	type(d, "r");
	dialog_feed(d, '\t', false);
	dialog_feed(d, '\t', false);
	type(d, "ICBC.direct.quickpay");
	dialog_feed(d, '\t', false);
	dialog_feed(d, '\t', false);
	assert_int_equal(dialog_feed(d, 'y', false), DIALOG_PENDING);
	dialog_free(d);
}

static void test_esc_cancels_and_limits(void **state)
{
	(void)state;
	dialog *d = disable_dialog(true);
	type(d, "some reason");
	assert_int_equal(dialog_feed(d, 27, false), DIALOG_CANCELLED);
	assert_int_equal(dialog_result_get(d), DIALOG_CANCELLED);
	dialog_free(d);
	/* a control confirming key works from inside a field */
	d = dialog_new("Quarantine", "Quarantine", 25 /* C-y */, 'Q');
	dialog_add_field(d, "Reason", DIALOG_REQUIRED, NULL, 5);
	type(d, "abcdefgh"); /* capped at 5 characters */
	assert_string_equal(dialog_field_value(d, 0), "abcde");
	dialog_feed(d, 0x9b, false); /* C1 control: not text */
	assert_string_equal(dialog_field_value(d, 0), "abcde");
	assert_int_equal(dialog_feed(d, 25, false), DIALOG_CONFIRMED);
	dialog_free(d);
}

static void test_draw_inside_area(void **state)
{
	(void)state;
	WINDOW *win = newwin(24, 80, 0, 0);
	dialog *d = disable_dialog(true);
	type(d, "bank\x07 down"); /* BEL is not text */
	assert_string_equal(dialog_field_value(d, 0), "bank down");
	dialog_add_line(d, "note from the server: \x1b[2Jgone", ROLE_DIM);
	assert_true(dialog_dirty(d));
	widget_rect area = { 2, 10, 18, 60 };
	dialog_draw(d, win, area);
	assert_false(dialog_dirty(d));
	char line[512];
	bool saw_title = false, saw_buttons = false, saw_body = false;
	for (int y = 0; y < 24; y++) {
		headless_line(win, y, 0, 80, line, sizeof line);
		if (strstr(line, "Disable channel"))
			saw_title = true;
		if (strstr(line, "[ Cancel ]") && strstr(line, "[ Disable (y) ]"))
			saw_buttons = true;
		if (strstr(line, "工商银行"))
			saw_body = true;
		assert_null(strchr(line, 0x1b));
		/* nothing outside the area */
		if (y < area.y || y >= area.y + area.h) {
			char blank[81];
			memset(blank, ' ', 80);
			blank[80] = 0;
			assert_string_equal(line, blank);
		} else {
			for (int x = 0; x < area.x; x++)
				assert_int_equal(line[x], ' ');
		}
	}
	assert_true(saw_title);
	assert_true(saw_buttons);
	assert_true(saw_body);
	/* the cursor sits in the focused field, after the text */
	int cy, cx;
	dialog_cursor(d, &cy, &cx);
	assert_true(cy > area.y && cy < area.y + area.h);
	assert_true(cx > area.x && cx < area.x + area.w);
	/* a tiny area: draws nothing rather than garbage */
	werase(win);
	dialog_draw(d, win, (widget_rect){ 0, 0, 3, 10 });
	headless_line(win, 0, 0, 10, line, sizeof line);
	assert_string_equal(line, "          ");
	dialog_free(d);
	delwin(win);
}

/* The display column of the first c at or after column from on row y
 * (each cell read back, a wide character's second cell skipped), or -1. */
static int cell_col(int y, int from, wchar_t c)
{
	int maxx = getmaxx(stdscr);
	for (int x = 0; x < maxx; x++) {
		cchar_t cc;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t a;
		short pair;
		if (mvwin_wch(stdscr, y, x, &cc) == ERR ||
		    getcchar(&cc, wc, &a, &pair, NULL) == ERR)
			continue;
		int w = wcwidth(wc[0]);
		if (x >= from && wc[0] == c)
			return x;
		if (w == 2)
			x++;
	}
	return -1;
}

/* A dialog over rows of double-width text, each parity of the text's
 * start, keeps its border: "|" at the corners' columns on every row, and
 * never half of a wide character beside it. */
static void test_border_over_wide_text(void **state)
{
	(void)state;
	for (int shift = 0; shift < 2; shift++) {
		werase(stdscr);
		for (int y = 0; y < 24; y++) {
			wmove(stdscr, y, shift + (y % 2));
			waddstr(stdscr, "上海清算所网联快捷支付工商银行代付上海清算所网联快捷支付工商银行代付");
		}
		dialog *d = disable_dialog(false);
		widget_rect area = { 0, 0, 24, 80 };
		dialog_draw(d, stdscr, area);
		int top = -1;
		for (int y = 0; y < 24 && top < 0; y++)
			if (cell_col(y, 0, L'+') >= 0)
				top = y;
		assert_true(top >= 0);
		int left = cell_col(top, 0, L'+');
		int right = left + 1;
		while (cell_col(top, right, L'+') != right)
			right++;
		int bottom = top + 1;
		while (cell_col(bottom, 0, L'+') != left)
			bottom++;
		for (int y = top + 1; y < bottom; y++) {
			if (cell_col(y, left, L'|') != left ||
			    cell_col(y, left + 1, L'|') != right) {
				char line[512];
				headless_line(stdscr, y, 0, 80, line, sizeof line);
				fail_msg("shift %d row %d: border not at %d and %d: %s",
					 shift, y, left, right, line);
			}
		}
		dialog_free(d);
	}
}

UNIT_MAIN(headless_setup, headless_teardown,
	cmocka_unit_test(test_confirm_key_differs),
	cmocka_unit_test(test_reason_required),
	cmocka_unit_test(test_typed_id_must_match),
	cmocka_unit_test(test_esc_cancels_and_limits),
	cmocka_unit_test(test_draw_inside_area),
	cmocka_unit_test(test_border_over_wide_text))
