/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/world_json.c - the contract's JSON shapes of each object */
#include "sim/world.h"
#include "sim/names.h"
#include "sim/util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *sim_json_time(int64_t t)
{
	char buf[32];
	if (t == 0)
		return json_null();
	sim_fmt_time(t, buf, sizeof buf);
	return json_string(buf);
}

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* rates and latencies rounded the way a platform would report them */
static double round_to(double v, double q)
{
	return round(v / q) * q;
}

json_t *sim_channel_json(const struct sim_world *w, size_t i)
{
	const struct sim_channel *c = &w->ch[i];
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "network", json_string(sim_network_names[c->network]));
	json_object_set_new(o, "link_id", json_string(c->link_id));
	json_object_set_new(o, "admin_state", json_string(sim_admin_names[c->admin]));
	json_object_set_new(o, "health", json_string(sim_health_names[c->health]));
	json_object_set_new(o, "breaker", json_string(sim_breaker_names[c->breaker]));
	json_object_set_new(o, "window_s", json_integer(60));
	json_object_set_new(o, "tps", json_real(round_to(c->tps, 0.1)));
	json_object_set_new(o, "system_success_rate", json_real(round_to(c->sys, 0.0001)));
	json_object_set_new(o, "business_success_rate", json_real(round_to(c->bus, 0.0001)));
	json_object_set_new(o, "latency_ms", json_pack("{s:i,s:i,s:i}", "p50", c->p50, "p95", c->p95, "p99", c->p99));
	json_object_set_new(o, "traffic_share", json_real(round_to(c->share, 0.0001)));
	json_t *errs = json_array();
	for (int k = 0; k < 3; k++)
		if (c->err[k].count)
			json_array_append_new(errs, json_pack("{s:s,s:s,s:I}", "code", sim_errcodes[c->err[k].code].code,
							      "message", sim_errcodes[c->err[k].code].message,
							      "count", (json_int_t)c->err[k].count));
	json_object_set_new(o, "top_errors", errs);
	json_t *ifs = json_array();
	for (int f = 0; f < SIM_IF_COUNT; f++)
		if (c->if_has[f])
			json_array_append_new(ifs, json_pack("{s:s,s:s}", "name", sim_iface_names[f], "admin_state",
							     sim_admin_names[c->if_state[f]]));
	json_object_set_new(o, "interfaces", ifs);
	if (c->has_maint)
		json_object_set_new(o, "maintenance", json_pack("{s:o,s:o,s:s}", "starts_at", sim_json_time(c->maint_start),
								 "ends_at", sim_json_time(c->maint_end), "note", c->maint_note));
	else
		json_object_set_new(o, "maintenance", json_null());
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "updated_at", sim_json_time(c->updated_at));
	json_object_set_new(o, "updated_by", json_string(c->updated_by));
	return o;
}

json_t *sim_route_json(const struct sim_world *w, size_t i)
{
	const struct sim_route *r = &w->rt[i];
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "strategy", json_string(sim_strategy_names[r->strategy]));
	json_t *m = json_array();
	for (int k = 0; k < r->nm; k++)
		json_array_append_new(m, json_pack("{s:s,s:i,s:b}", "channel_id", w->ch[r->m[k].ch].id, "weight_pct",
						   r->m[k].weight, "eligible", r->m[k].eligible));
	json_object_set_new(o, "members", m);
	if (r->has_override)
		json_object_set_new(o, "override", json_pack("{s:s,s:s,s:o,s:o}", "set_by", r->ov_by, "reason",
							     r->ov_reason ? r->ov_reason : "", "ticket",
							     r->ov_ticket[0] ? json_string(r->ov_ticket) : json_null(),
							     "expires_at", sim_json_time(r->ov_expires)));
	else
		json_object_set_new(o, "override", json_null());
	json_object_set_new(o, "version", json_integer(r->version));
	json_object_set_new(o, "updated_at", sim_json_time(r->updated_at));
	return o;
}

json_t *sim_case_json(const struct sim_world *w, size_t i)
{
	const struct sim_case *c = &w->cs[i];
	char buf[64];
	json_t *o = json_object();
	sim_case_id(c, buf, sizeof buf);
	json_object_set_new(o, "id", json_string(buf));
	snprintf(buf, sizeof buf, "mer_%012llu", (unsigned long long)c->merchant);
	json_object_set_new(o, "merchant_id", json_string(buf));
	json_object_set_new(o, "merchant_name", json_string(c->merchant_name));
	json_object_set_new(o, "mcc", json_string(sim_kinds[c->kind].mcc));
	json_object_set_new(o, "category", json_string(sim_kinds[c->kind].category));
	json_object_set_new(o, "channel_requested", json_string(w->ch[c->ch].id));
	json_object_set_new(o, "source", json_string(sim_source_names[c->source]));
	json_object_set_new(o, "stage", json_string(sim_stage_names[c->stage]));
	json_object_set_new(o, "risk_level", json_string(sim_risk_names[c->risk_level]));
	json_object_set_new(o, "risk_score", json_integer(c->risk_score));
	json_t *checks = json_array();
	for (int k = 0; k < c->nchecks; k++)
		json_array_append_new(checks, json_pack("{s:s,s:s,s:s}", "name", sim_check_names[c->check_name[k]],
							"result", sim_check_result_names[c->check_result[k]], "detail",
							sim_check_detail(c->check_name[k], c->check_result[k])));
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "submitted_at", sim_json_time(c->submitted_at));
	json_object_set_new(o, "sla_due_at", sim_json_time(c->sla_due_at));
	json_object_set_new(o, "assignee", jstr_or_null(c->assignee));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "updated_at", sim_json_time(c->updated_at));
	return o;
}

static const char *serial_prefix(int network)
{
	static const char *const p[] = {"UP", "NU", "BK", "WL", "CF", "SC", "CB"};
	return network >= 0 && network < SIM_NET_COUNT ? p[network] : "XX";
}

json_t *sim_break_json(const struct sim_world *w, size_t i)
{
	const struct sim_break *b = &w->br[i];
	char buf[64], d[16];
	json_t *o = json_object();
	sim_break_id(b, buf, sizeof buf);
	json_object_set_new(o, "id", json_string(buf));
	sim_fmt_date(b->date, buf, sizeof buf);
	json_object_set_new(o, "recon_date", json_string(buf));
	json_object_set_new(o, "channel_id", json_string(w->ch[b->ch].id));
	if (b->merchant) {
		snprintf(buf, sizeof buf, "mer_%012llu", (unsigned long long)b->merchant);
		json_object_set_new(o, "merchant_id", json_string(buf));
	} else {
		json_object_set_new(o, "merchant_id", json_null());
	}
	sim_fmt_date_compact(b->date, d, sizeof d);
	if (b->type == SIM_BT_FUND_MISMATCH) {
		json_object_set_new(o, "order_no", json_null());
		json_object_set_new(o, "channel_serial", json_null());
	} else {
		snprintf(buf, sizeof buf, "P%s%08u", d, b->seq * 10 + 2);
		json_object_set_new(o, "order_no", json_string(buf));
		if (b->type == SIM_BT_MISSING_CHANNEL || b->type == SIM_BT_REFUND_NO_FINAL)
			json_object_set_new(o, "channel_serial", json_null());
		else {
			snprintf(buf, sizeof buf, "%s%s%06u", serial_prefix(w->ch[b->ch].network), d + 2, b->seq);
			json_object_set_new(o, "channel_serial", json_string(buf));
		}
	}
	json_object_set_new(o, "type", json_string(sim_break_type_names[b->type]));
	json_object_set_new(o, "platform_amount_minor", json_integer(b->platform_minor));
	json_object_set_new(o, "channel_amount_minor", json_integer(b->channel_minor));
	json_object_set_new(o, "difference_minor", json_integer(b->channel_minor - b->platform_minor));
	json_object_set_new(o, "currency", json_string("CNY"));
	json_object_set_new(o, "detected_at", sim_json_time(b->detected_at));
	json_object_set_new(o, "severity", json_string(sim_severity_names[b->severity]));
	json_object_set_new(o, "status", json_string(sim_break_status_names[b->status]));
	json_object_set_new(o, "assignee", jstr_or_null(b->assignee));
	if (b->res) {
		json_t *r = json_pack("{s:s,s:s,s:s,s:o}", "action", sim_resolve_names[b->res->action], "note",
				      b->res->note ? b->res->note : "", "by", b->res->by ? b->res->by : "", "at",
				      sim_json_time(b->res->at));
		if (b->res->ref)
			json_object_set_new(r, "counterpart_ref", json_string(b->res->ref));
		if (b->res->has_adjustment)
			json_object_set_new(r, "adjustment_minor", json_integer(b->res->adjustment));
		json_object_set_new(o, "resolution", r);
	} else {
		json_object_set_new(o, "resolution", json_null());
	}
	json_object_set_new(o, "version", json_integer(b->version));
	json_object_set_new(o, "updated_at", sim_json_time(b->updated_at));
	return o;
}

json_t *sim_limit_json(const struct sim_world *w, size_t i)
{
	const struct sim_limit *l = &w->lm[i];
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(l->id));
	json_object_set_new(o, "scope", json_string(sim_scope_names[l->scope]));
	json_object_set_new(o, "scope_id", json_string(l->scope_id));
	json_object_set_new(o, "name", json_string(l->name));
	json_object_set_new(o, "period", json_string(sim_period_names[l->period]));
	json_object_set_new(o, "limit_minor", json_integer(l->limit_minor));
	json_object_set_new(o, "used_minor", json_integer(l->used_minor));
	json_object_set_new(o, "currency", json_string("CNY"));
	json_object_set_new(o, "warn_at", json_real(round_to(l->warn_at, 0.001)));
	json_object_set_new(o, "state", json_string(sim_limit_state_names[l->state]));
	json_object_set_new(o, "resets_at", sim_json_time(l->resets_at));
	json_object_set_new(o, "version", json_integer(l->version));
	json_object_set_new(o, "updated_at", sim_json_time(l->updated_at));
	return o;
}

json_t *sim_alert_json(const struct sim_world *w, size_t i)
{
	const struct sim_alert *a = &w->al[i];
	char buf[32];
	json_t *o = json_object();
	sim_alert_id(a, buf, sizeof buf);
	json_object_set_new(o, "id", json_string(buf));
	json_object_set_new(o, "fingerprint", json_string(a->fingerprint));
	json_object_set_new(o, "severity", json_string(sim_alert_sev_names[a->severity]));
	json_object_set_new(o, "state", json_string(a->state == SIM_AL_FIRING ? "firing" : "resolved"));
	json_object_set_new(o, "title", json_string(a->title));
	json_object_set_new(o, "summary", json_string(a->summary));
	json_t *labels = json_object();
	if (a->label_key)
		json_object_set_new(labels, a->label_key, json_string(a->label_value));
	json_object_set_new(o, "labels", labels);
	json_object_set_new(o, "starts_at", sim_json_time(a->starts_at));
	json_object_set_new(o, "ends_at", sim_json_time(a->ends_at));
	json_object_set_new(o, "acked_by", jstr_or_null(a->acked_by));
	json_object_set_new(o, "source", json_string("platform"));
	json_object_set_new(o, "version", json_integer(a->version));
	json_object_set_new(o, "updated_at", sim_json_time(a->updated_at));
	return o;
}

json_t *sim_history_json(const struct sim_world *w, size_t i, int minutes)
{
	const struct sim_channel *c = &w->ch[i];
	json_t *pts = json_array();
	/* points sit on minute boundaries; the last `minutes` of them */
	int64_t from = (w->now / 60 - minutes) * 60;
	for (int k = 0; k < c->hist_n; k++) {
		const struct sim_hist *h = &c->hist[(c->hist_head + k) % SIM_HIST_CAP];
		if (h->t < from)
			continue;
		json_array_append_new(pts, json_pack("{s:o,s:f,s:f,s:f,s:i}", "t", sim_json_time(h->t), "tps",
						     round_to(h->tps, 0.1), "system_success_rate", round_to(h->sys, 0.0001),
						     "business_success_rate", round_to(h->bus, 0.0001),
						     "latency_p95_ms", (int)h->p95));
	}
	return json_pack("{s:s,s:i,s:o}", "channel_id", c->id, "step_s", 60, "points", pts);
}

int sim_file_status(const struct sim_world *w, size_t ch, int32_t date)
{
	for (int k = 0; k < w->nfiles; k++)
		if (w->files[k].ch == (int)ch && w->files[k].date == date)
			return w->files[k].status;
	int32_t today = sim_cst_day(w->now);
	if (date < today)
		return SIM_FILE_PARSED;
	uint64_t h = sim_fnv1a(&ch, sizeof ch, w->seed);
	int hour = (int)(((w->now + SIM_CST_OFFSET) % 86400) / 3600);
	if (hour < 6)
		return h % 5 == 0 ? SIM_FILE_LATE : SIM_FILE_RECEIVED;
	return h % 11 == 0 ? SIM_FILE_LATE : h % 3 == 0 ? SIM_FILE_RECEIVED : SIM_FILE_PARSED;
}

json_t *sim_summary_json(const struct sim_world *w, int32_t date)
{
	struct agg { long long brk, open; long long net; } *a = calloc(w->nch ? w->nch : 1, sizeof *a);
	if (!a)
		return NULL;
	for (size_t i = 0; i < w->nbr; i++) {
		const struct sim_break *b = &w->br[i];
		if (b->date != date)
			continue;
		a[b->ch].brk++;
		if (b->status == SIM_BS_OPEN || b->status == SIM_BS_INVESTIGATING || b->status == SIM_BS_ESCALATED) {
			a[b->ch].open++;
			a[b->ch].net += b->channel_minor - b->platform_minor;
		}
	}
	char d[16];
	sim_fmt_date(date, d, sizeof d);
	json_t *chs = json_array();
	for (size_t i = 0; i < w->nch; i++) {
		int fs = sim_file_status(w, i, date);
		long long matched = fs == SIM_FILE_MISSING ? 0 : (long long)(w->ch[i].base_tps * 86400 * 0.35);
		json_array_append_new(chs, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:s}", "channel_id", w->ch[i].id,
						     "file_status", sim_file_status_names[fs], "matched_count",
						     (json_int_t)matched, "break_count", (json_int_t)a[i].brk, "open_count",
						     (json_int_t)a[i].open, "net_difference_minor", (json_int_t)a[i].net,
						     "currency", "CNY"));
	}
	free(a);
	return json_pack("{s:s,s:o}", "date", d, "channels", chs);
}
