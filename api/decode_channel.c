/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_channel.c: channels and their history. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/dec.h"

#define RATE D_REQ | D_NULL, 0.0, 1.0 /* null: not measured in the window */
#define NONNEG D_REQ | D_NULL, 0.0, 1e15

static int dec_error_count(dec *d, const json_t *v, void *item)
{
	api_error_count *e = item;

	TRY(dec_str(d, v, "code", D_REQ, &e->code));
	TRY(dec_str(d, v, "message", D_NULLSTR, &e->message));
	TRY(dec_i64(d, v, "count", D_REQ, 0, INT64_MAX, &e->count));
	return 0;
fail:
	return -1;
}

/* An interface is acted on by name: dec_list leaves out one without. */
static int dec_interface(dec *d, const json_t *v, void *item)
{
	api_interface *f = item;

	TRY(dec_id(d, v, "name", &f->name));
	DEC_ENUM(d, v, f, admin_state, api_admin_state_names, ADM_UNKNOWN);
	return 0;
fail:
	return -1;
}

static int dec_maintenance(dec *d, const json_t *v, void *p)
{
	api_maintenance *o = p;

	TRY(dec_time(d, v, "starts_at", D_REQ, &o->starts_at));
	TRY(dec_time(d, v, "ends_at", D_NULL, &o->ends_at));
	TRY(dec_str(d, v, "note", D_NULLSTR, &o->note));
	return 0;
fail:
	return -1;
}

int dec_channel(dec *d, const json_t *j, api_channel *o)
{
	const json_t *lat;
	size_t m;
	int rc;

	TRY(dec_open(d, j, o, sizeof *o, &o->bad, &o->id));
	o->tps = o->system_success_rate = o->business_success_rate = NAN;
	o->latency_p50_ms = o->latency_p95_ms = o->latency_p99_ms = NAN;
	o->traffic_share = NAN;
	o->version = -1; /* refused: no If-Match can be sent */
	TRY(dec_str(d, j, "name", D_REQ, &o->name));
	DEC_ENUM(d, j, o, network, api_network_names, NET_UNKNOWN);
	TRY(dec_str(d, j, "link_id", D_NULL, &o->link_id));
	DEC_ENUM(d, j, o, admin_state, api_admin_state_names, ADM_UNKNOWN);
	DEC_ENUM(d, j, o, health, api_health_names, HEALTH_INVALID);
	DEC_ENUM(d, j, o, breaker, api_breaker_names, BRK_UNKNOWN);
	TRY(dec_int(d, j, "window_s", D_REQ, 1, 7 * 86400, &o->window_s));
	TRY(dec_num(d, j, "tps", NONNEG, &o->tps));
	TRY(dec_num(d, j, "system_success_rate", RATE, &o->system_success_rate));
	TRY(dec_num(d, j, "business_success_rate", RATE,
		    &o->business_success_rate));
	lat = dec_object(d, j, "latency_ms", D_REQ | D_NULL, &rc);
	TRY(rc);
	if (lat) {
		m = dec_key(d, "latency_ms");
		TRY(dec_num(d, lat, "p50", NONNEG, &o->latency_p50_ms));
		TRY(dec_num(d, lat, "p95", NONNEG, &o->latency_p95_ms));
		TRY(dec_num(d, lat, "p99", NONNEG, &o->latency_p99_ms));
		dec_pop(d, m);
	}
	TRY(dec_num(d, j, "traffic_share", RATE, &o->traffic_share));
	TRY(dec_list(d, j, "top_errors", sizeof *o->top_errors, &o->top_errors,
		     &o->n_top_errors, NULL, dec_error_count));
	TRY(dec_list(d, j, "interfaces", sizeof *o->interfaces, &o->interfaces,
		     &o->n_interfaces, "name", dec_interface));
	TRY(dec_optional(d, j, "maintenance", &o->maintenance.present, dec_maintenance, &o->maintenance));
	TRY(dec_i64(d, j, "version", D_REQ, 0, INT64_MAX, &o->version));
	TRY(dec_time(d, j, "updated_at", D_REQ, &o->updated_at));
	TRY(dec_str(d, j, "updated_by", D_NULL, &o->updated_by));
	return 0;
fail:
	api_channel_free(o);
	return -1;
}

static int point_cmp(const void *a, const void *b)
{
	const api_history_point *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

int api_decode_history(const json_t *j, api_history *o, api_err *err)
{
	const json_t *a, *v;
	size_t i, m;
	int rc;
	dec d;

	dec_init(&d, err);
	memset(o, 0, sizeof *o);
	TRY(dec_obj(&d, j));
	TRY(dec_id(&d, j, "channel_id", &o->channel_id));
	TRY(dec_int(&d, j, "step_s", D_REQ, 1, 86400, &o->step_s));
	a = dec_array(&d, j, "points", D_REQ, &rc);
	TRY(rc);
	o->points = dec_calloc(&d, json_array_size(a), sizeof *o->points);
	if (!o->points)
		goto fail;
	m = dec_key(&d, "points");
	json_array_foreach(a, i, v) {
		api_history_point *p = &o->points[i];
		size_t mi = dec_index(&d, i);
		TRY(dec_obj(&d, v));
		TRY(dec_time(&d, v, "t", D_REQ, &p->t));
		TRY(dec_num(&d, v, "tps", NONNEG, &p->tps));
		TRY(dec_num(&d, v, "system_success_rate", RATE,
			    &p->system_success_rate));
		TRY(dec_num(&d, v, "business_success_rate", RATE,
			    &p->business_success_rate));
		TRY(dec_num(&d, v, "latency_p95_ms", NONNEG, &p->latency_p95_ms));
		o->n_points = i + 1;
		dec_pop(&d, mi);
	}
	dec_pop(&d, m);
	/* the contract says oldest first; make sure of it */
	if (o->n_points > 1)
		qsort(o->points, o->n_points, sizeof *o->points, point_cmp);
	return 0;
fail:
	api_history_free(o);
	return -1;
}
