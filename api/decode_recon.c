/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_recon.c: reconciliation breaks and the daily summary. */
#include <string.h>

#include "api/dec.h"

static int dec_resolution(dec *d, const json_t *v, void *p)
{
	api_resolution *o = p;

	TRY(dec_str(d, v, "action", D_REQ, &o->action));
	TRY(dec_str(d, v, "note", D_NULLSTR, &o->note));
	TRY(dec_str(d, v, "by", D_NULLSTR, &o->by));
	TRY(dec_time(d, v, "at", D_NULL, &o->at));
	return 0;
fail:
	return -1;
}

int dec_break(dec *d, const json_t *j, api_break *o)
{
	TRY(dec_open(d, j, o, sizeof *o, &o->bad, &o->id));
	o->version = -1;
	TRY(dec_date(d, j, "recon_date", D_REQ, &o->recon_date));
	TRY(dec_id(d, j, "channel_id", &o->channel_id));
	/* a fund-account break has no merchant or order */
	TRY(dec_str(d, j, "merchant_id", D_NULLSTR, &o->merchant_id));
	TRY(dec_str(d, j, "order_no", D_NULLSTR, &o->order_no));
	TRY(dec_str(d, j, "channel_serial", D_NULLSTR, &o->channel_serial));
	DEC_ENUM(d, j, o, type, api_break_type_names, BT_UNKNOWN);
	/* a missing side may come as null: it counts as 0 */
	TRY(dec_i64(d, j, "platform_amount_minor", D_REQ | D_NULL, INT64_MIN,
		    INT64_MAX, &o->platform_amount_minor));
	TRY(dec_i64(d, j, "channel_amount_minor", D_REQ | D_NULL, INT64_MIN,
		    INT64_MAX, &o->channel_amount_minor));
	TRY(dec_i64(d, j, "difference_minor", D_REQ, INT64_MIN, INT64_MAX,
		    &o->difference_minor));
	TRY(dec_currency(d, j, "currency", o->currency));
	TRY(dec_time(d, j, "detected_at", D_REQ, &o->detected_at));
	DEC_ENUM(d, j, o, severity, api_severity_names, SEV_UNKNOWN);
	DEC_ENUM(d, j, o, status, api_break_status_names, BS_UNKNOWN);
	TRY(dec_str(d, j, "assignee", D_NULL, &o->assignee));
	TRY(dec_optional(d, j, "resolution", &o->resolution.present, dec_resolution, &o->resolution));
	TRY(dec_i64(d, j, "version", D_REQ, 0, INT64_MAX, &o->version));
	TRY(dec_time(d, j, "updated_at", D_REQ, &o->updated_at));
	return 0;
fail:
	api_break_free(o);
	return -1;
}

int api_decode_recon_summary(const json_t *j, api_recon_summary *o,
			     api_err *err)
{
	const json_t *a, *v;
	size_t i, m;
	int rc;
	dec d;

	dec_init(&d, err);
	memset(o, 0, sizeof *o);
	TRY(dec_obj(&d, j));
	TRY(dec_date(&d, j, "date", D_REQ, &o->date));
	a = dec_array(&d, j, "channels", D_REQ, &rc);
	TRY(rc);
	o->channels = dec_calloc(&d, json_array_size(a), sizeof *o->channels);
	if (!o->channels)
		goto fail;
	m = dec_key(&d, "channels");
	json_array_foreach(a, i, v) {
		api_recon_channel *c = &o->channels[i];
		size_t mi = dec_index(&d, i);
		o->n_channels = i + 1;
		TRY(dec_obj(&d, v));
		TRY(dec_id(&d, v, "channel_id", &c->channel_id));
		DEC_ENUM(&d, v, c, file_status, api_file_status_names, FILE_UNKNOWN);
		TRY(dec_i64(&d, v, "matched_count", D_REQ, 0, INT64_MAX,
			    &c->matched_count));
		TRY(dec_i64(&d, v, "break_count", D_REQ, 0, INT64_MAX,
			    &c->break_count));
		TRY(dec_i64(&d, v, "open_count", D_REQ, 0, INT64_MAX,
			    &c->open_count));
		TRY(dec_i64(&d, v, "net_difference_minor", D_REQ, INT64_MIN,
			    INT64_MAX, &c->net_difference_minor));
		TRY(dec_currency(&d, v, "currency", c->currency));
		dec_pop(&d, mi);
	}
	dec_pop(&d, m);
	return 0;
fail:
	api_recon_summary_free(o);
	return -1;
}
