/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/views/slow_test.c: the breaks pane with a query the indexes cannot
 * answer, over a real cache file and a real event loop, without a
 * terminal.
 *
 * While a first load has the indexes out (cache_bulk_begin) every query
 * of the pane is such a query once the table is big; the threshold is set
 * to one row here, so a few hundred rows are enough. The pane must say it
 * is searching (never a count it does not have), hand the query to the
 * reader thread, and show the answer when the loop is woken for it: the
 * same count, sum and rows as the query run directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/cache.h"
#include "config/config.h"
#include "store/store.h"
#include "tests/cache/fixture.h"
#include "base/ev.h"
#include "views/view.h"
#include "tests/lib/unit.h"

#define NR 600

static const char *const statuses[] = { "open", "investigating", "escalated", "resolved" };
static const char *const people[] = { "op.wang", "op.li", "op.zhang" };

static json_t *row_json(int i, int version)
{
	char id[32], order[32], at[32];
	snprintf(id, sizeof id, "brk_20261121_%06d", i);
	snprintf(order, sizeof order, "P%09d", i * 31 + 7);
	snprintf(at, sizeof at, "2026-11-21T%02d:%02d:00Z", (i / 60) % 24, i % 60);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:i,s:s}",
			      "id", id, "recon_date", "2026-11-21", "channel_id", "ch.1",
			      "merchant_id", "mer_000001", "order_no", order,
			      "channel_serial", "UP1X", "type", "amount_mismatch",
			      "platform_amount_minor", (json_int_t)10000,
			      "channel_amount_minor", (json_int_t)(10000 + i % 97),
			      "difference_minor", (json_int_t)(i % 97), "currency", "CNY",
			      "detected_at", at, "severity", i % 7 ? "low" : "high",
			      "status", statuses[i % 4], "version", version,
			      "updated_at", "2026-11-21T09:00:00Z");
	assert_non_null(j);
	json_object_set_new(j, "assignee", i % 4 ? json_string(people[i % 3]) : json_null());
	return j;
}

static void save_rows(cache *c, int from, int to, int version)
{
	json_t *arr = json_array();
	for (int i = from; i < to; i++)
		json_array_append_new(arr, row_json(i, version));
	fixture_save_items(c, API_KIND_BREAK, arr);
}

typedef struct {
	ev_loop *ev;
	void *v;
	const char *until_not; /* stop once the note is no longer this */
	int frames;
} waiter;

static void frame(void *ctx)
{
	waiter *w = ctx;
	w->frames++;
	view_recon.recalc(w->v, time(NULL), false);
	const char *n = view_recon.note(w->v);
	if (!n || strcmp(n, w->until_not) != 0)
		ev_stop(w->ev);
}

static void give_up(void *ctx)
{
	ev_stop(((waiter *)ctx)->ev);
}

/* Run the loop until the pane's note moves on from `searching` (bounded). */
static void wait_answer(ev_loop *ev, void *v, const char *searching)
{
	waiter w = { ev, v, searching, 0 };
	ev_set_before_wait(ev, frame, &w);
	ev_timer_id t = ev_timer_add(ev, 20000, give_up, &w);
	ev_run(ev);
	ev_timer_cancel(ev, t);
	ev_set_before_wait(ev, NULL, NULL);
}

typedef struct {
	char first[32];
	int n;
} firsts;

static int first_id(void *ctx, api_break *b)
{
	firsts *f = ctx;
	if (f->n++ == 0)
		snprintf(f->first, sizeof f->first, "%s", b->id);
	return 0;
}

static void expect_note(void *v, cache *c, const char *text)
{
	cache_break_filter f = { .text = text };
	int64_t n = 0, sum = 0;
	assert_int_equal(cache_count_breaks(c, &f, &n, &sum), 0);
	char want[200];
	snprintf(want, sizeof want, "filter '%s': %lld breaks", text, (long long)n);
	const char *note = view_recon.note(v);
	assert_non_null(note);
	if (strncmp(note, want, strlen(want)) != 0)
		fail_msg("note '%s', want '%s...'", note, want);
}

static void test_bulk_load_answers_off_the_loop(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof path, "%s/c.db", fixture_dir);
	char msg[256];
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_int_equal(cache_bulk_begin(c, API_KIND_BREAK), 0);
	save_rows(c, 0, NR, 1);
	cache_set_background_rows(c, 1);
	cache_break_filter wang = { .text = "op.wang" };
	assert_true(cache_breaks_slow(c, &wang));

	cfg_config cfg;
	cfg_defaults(&cfg);
	store *st = store_new();
	ev_loop *ev = ev_new();
	assert_non_null(st);
	assert_non_null(ev);
	view_env env = { .st = st, .cfg = &cfg, .cache = c, .ev = ev };
	void *v = view_recon.create(&env);
	assert_non_null(v);
	view_recon.set_rect(v, (widget_rect){ 2, 0, 40, 140 });
	view_recon.recalc(v, time(NULL), true);

	/* a filter: no count until the reader answers */
	view_recon.set_filter(v, "op.wang");
	assert_string_equal(view_recon.note(v), "filter 'op.wang': searching...");
	wait_answer(ev, v, "filter 'op.wang': searching...");
	expect_note(v, c, "op.wang");

	/* its rows, in the pane's order (severity, then newest) */
	firsts fr = { "", 0 };
	assert_true(cache_query_breaks(c, &wang, CACHE_BREAK_SORT_SEVERITY, 0, 1,
				       first_id, &fr) == 1);
	assert_true(view_recon.select(v, fr.first));
	/* a break the filter does not match is not in the list */
	assert_false(view_recon.select(v, "brk_20261121_000001")); /* op.li */

	/* the letters of a filter typed one after the other: only the last
	 * one's answer is shown */
	view_recon.set_filter(v, "op.z");
	view_recon.set_filter(v, "op.zh");
	view_recon.set_filter(v, "op.zhang");
	assert_string_equal(view_recon.note(v), "filter 'op.zhang': searching...");
	wait_answer(ev, v, "filter 'op.zhang': searching...");
	expect_note(v, c, "op.zhang");

	/* the data moves under a list shown: the rows stay, the new answer
	 * follows without "searching" in between */
	save_rows(c, NR, NR + 30, 1);
	store_touch(st, STORE_BREAKS);
	view_recon.recalc(v, time(NULL), false);
	const char *n = view_recon.note(v);
	assert_non_null(n);
	assert_null(strstr(n, "searching"));
	char before[200];
	snprintf(before, sizeof before, "%s", n);
	wait_answer(ev, v, before);
	expect_note(v, c, "op.zhang");

	/* the load ends, the indexes are built: the loop answers at once */
	assert_int_equal(cache_bulk_end(c, API_KIND_BREAK), 0);
	view_recon.set_filter(v, "op.li");
	expect_note(v, c, "op.li");

	/* :sort takes the columns the query sorts by, text up and amounts
	 * down; a column no sort order names is refused and the sort stays */
	table *t = view_recon.table(v);
	int ch = table_col_by_name(t, "channel"), diff = table_col_by_name(t, "difference");
	assert_true(ch >= 0 && diff >= 0);
	assert_true(view_recon.sort_by(v, ch, true));
	assert_int_equal(table_sort_col(t), ch);
	assert_false(table_sort_desc(t));
	assert_true(view_recon.sort_by(v, diff, false));
	assert_int_equal(table_sort_col(t), diff);
	assert_true(table_sort_desc(t));
	assert_false(view_recon.sort_by(v, table_col_by_name(t, "type"), false));
	assert_int_equal(table_sort_col(t), diff);

	view_recon.destroy(v);
	ev_free(ev);
	store_free(st);
	cache_close(c);
	unlink(path);
}

UNIT_MAIN(fixture_setup_dir, fixture_teardown_dir,
	cmocka_unit_test(test_bulk_load_answers_off_the_loop))
