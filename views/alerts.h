/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/alerts.h: internal to the Alerts pane (views/alerts*.c): its
 * state and what its files share.
 *
 *   views/alerts.c         the pane: layout, drawing, keys, and what an
 *                          action acts on, handed to the runner
 *   views/alerts_text.c    how an alert and a silence read, cell by cell
 *   views/alerts_rows.c    the rows: filter, sort, groups and their folds
 *   views/alerts_detail.c  the detail strip and the group header lines
 */
#ifndef PAYOPS_VIEWS_ALERTS_H
#define PAYOPS_VIEWS_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alerts/am.h"
#include "views/view.h"
#include "widgets/table.h"

#define ROW_KEY_MAX 192
#define CELL_MAX 512

/* the columns of the two tables */
enum { A_SEV, A_STATE, A_TITLE, A_SOURCE, A_AGE, A_ACKED, A_LABELS, A__N };
enum { S_SERVER, S_ID, S_STATE, S_MATCHERS, S_BY, S_COMMENT, S_ENDS, S__N };

typedef enum { G_NONE, G_CHANNEL, G_SEVERITY, G_ALERTNAME, G_SOURCE,
	       G__N } group_by;
extern const char *const alerts_group_names[G__N];

typedef struct {
	bool group;
	size_t src;              /* alert: store index at the last rebuild */
	char key[ROW_KEY_MAX];       /* alert: fingerprint; group: the value */
	size_t n, firing;        /* group: members shown, of which firing */
} arow;

typedef struct {
	size_t server, idx;      /* am_hub_at(server), am_silence_at(idx) */
	char id[64];
	char srv[64];
} srow;

typedef struct alert_view {
	view_env env;
	table *at, *st;          /* alerts, silences */
	widget_rect rect, trect, detail;
	bool detail_open, detail_dirty, clear_all;
	bool show_silences;
	group_by group;
	char filter[256];
	int sort_col;            /* -1: the store's order (firing, severity, newest) */
	bool sort_desc;
	arow *rows; size_t n_rows, cap_rows;
	srow *srows; size_t n_srows, cap_srows;
	char sel_id[ROW_KEY_MAX + 4];  /* "a:<fp>" / "g:<value>" */
	char ssel_id[140];         /* "<server>/<silence id>" */
	char detail_id[ROW_KEY_MAX + 4];
	size_t shown_alerts;
	/* collapsed groups (by value), for the current grouping */
	char **collapsed; size_t n_collapsed;
	uint64_t seen_alerts, seen_am, seen_ops;
	time_t now;
	time_t built_min;        /* the minute ages were last computed for */
	char note[400];
} alert_view;

/* ---- views/alerts_text.c ---- */
const char *alerts_label(const api_alert *a, const char *key);
/* The alert's key: its fingerprint, else its id. */
const char *alerts_key(const api_alert *a);
/* The alert of key, looked for at store index hint first (SIZE_MAX:
 * none). */
const api_alert *alerts_find(const alert_view *v, const char *key, size_t hint);
/* The first Alertmanager reporting the alert (NULL: none). */
am_server *alerts_am(const alert_view *v, const api_alert *a);
/* Silenced: an Alertmanager says "suppressed" or names silences. */
bool alerts_silenced(const alert_view *v, const api_alert *a);
/* "platform", "am-test", "platform+am-test". */
void alerts_sources(const alert_view *v, const api_alert *a, char *out,
		    size_t sz);
term_role alerts_severity(char *out, size_t sz, const api_alert *a);
/* "firing", "resolved", "silenced"; plus the action in flight. */
term_role alerts_state(const alert_view *v, const api_alert *a, char *out,
		       size_t sz);
void alerts_matchers(const am_silence *s, char *out, size_t sz);
/* The value of the current grouping's label, "(none)" when absent. */
void alerts_group_value(const alert_view *v, const api_alert *a, char *out,
			size_t sz);
/* One cell's text (and role) of an alert, a silence row: 0, or -1. */
int alerts_alert_text(const alert_view *v, const api_alert *a, int col,
		      char *buf, size_t sz, int *role);
int alerts_silence_text(const alert_view *v, const srow *r, int col,
			char *buf, size_t sz, int *role);
/* The table callbacks (ctx: the view). */
int alerts_alert_cell(void *ctx, size_t row, int col, char *buf, size_t sz,
		      int *role);
int alerts_silence_cell(void *ctx, size_t row, int col, char *buf, size_t sz,
			int *role);
/* The silence of a row, still there (its server in *srv when non-NULL). */
const am_silence *alerts_silence_of(const alert_view *v, const srow *r,
				    am_server **srv);

/* ---- views/alerts_rows.c ---- */
bool alerts_collapsed(const alert_view *v, const char *g);
void alerts_collapsed_clear(alert_view *v);
void alerts_collapsed_toggle(alert_view *v, const char *g);
/* "a:<fingerprint>" / "g:<value>" for a row, "" past the end. */
void alerts_row_id(const alert_view *v, size_t row, char *out, size_t sz);
void alerts_remember_sel(alert_view *v);
void alerts_build_silences(alert_view *v);
/* Both tables from the store and the Alertmanagers, the selection kept. */
void alerts_rebuild(alert_view *v);

/* ---- views/alerts_detail.c ---- */
void alerts_detail_draw(alert_view *v, WINDOW *win);
/* Group headers span the whole line: paint them over the table's cells. */
void alerts_draw_groups(alert_view *v, WINDOW *win);

#endif
