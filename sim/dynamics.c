/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/dynamics.c - the living world: one step per simulated second (traffic by
 * time of day, incidents and recovery, cases advancing, breaks appearing,
 * limits filling) and the named scenarios */
#include "sim/world.h"
#include "base/vec.h"
#include "sim/names.h"
#include "sim/util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANNEL_UPDATES 200


/* traffic over a Beijing day: a night trough, peaks late morning and evening */
static double diurnal(int64_t t)
{
	double h = (double)(((t + SIM_CST_OFFSET) % 86400 + 86400) % 86400) / 3600.0;
	return 0.12 + 0.9 * exp(-pow((h - 11) / 2.5, 2)) + 0.95 * exp(-pow((h - 20.5) / 2.2, 2)) +
	       0.45 * exp(-pow((h - 15) / 2.5, 2));
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void hist_push(struct sim_channel *c, int64_t t, double tps, double sys, double bus, int p95)
{
	int slot;
	if (c->hist_n < SIM_HIST_CAP) {
		slot = (c->hist_head + c->hist_n) % SIM_HIST_CAP;
		c->hist_n++;
	} else {
		slot = c->hist_head;
		c->hist_head = (c->hist_head + 1) % SIM_HIST_CAP;
	}
	c->hist[slot].t = t;
	c->hist[slot].tps = (float)tps;
	c->hist[slot].sys = (float)sys;
	c->hist[slot].bus = (float)bus;
	c->hist[slot].p95 = p95;
}

void sim_seed_history(struct sim_world *w)
{
	int64_t minute = w->now / 60;
	for (size_t i = 0; i < w->nch; i++) {
		struct sim_channel *c = &w->ch[i];
		for (int k = 120; k >= 1; k--) {
			int64_t t = (minute - k) * 60;
			double tps = c->base_tps * diurnal(t) * (1 + 0.05 * sim_rng_gauss(&w->rng));
			double sys = clamp(c->base_sys + 0.0008 * sim_rng_gauss(&w->rng), 0, 1);
			double bus = clamp(c->base_bus + 0.006 * sim_rng_gauss(&w->rng), 0, sys);
			int p95 = (int)(c->base_p50 * 2.5 * (1 + 0.08 * fabs(sim_rng_gauss(&w->rng))));
			hist_push(c, t, tps < 0 ? 0 : tps, sys, bus, p95);
		}
		c->tps = c->base_tps * diurnal(w->now);
	}
	double total = 0;
	for (size_t i = 0; i < w->nch; i++)
		total += w->ch[i].tps;
	w->total_tps = total;
	for (size_t i = 0; i < w->nch; i++)
		w->ch[i].share = total > 0 ? w->ch[i].tps / total : 0;
}

static int cmp_err(const void *a, const void *b)
{
	const struct { uint8_t code; uint32_t count; } *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

static void incident_start(struct sim_world *w, size_t i, int64_t duration)
{
	struct sim_channel *c = &w->ch[i];
	c->incident_until = w->now + duration;
	if (!c->incident_alert) {
		char title[192], summary[256];
		snprintf(title, sizeof title, "%s 系统成功率骤降", c->name);
		snprintf(summary, sizeof summary, "%s 系统成功率低于 90%%，p95 时延超过 2 秒，熔断器已打开，流量已切往同组通道",
			 c->id);
		c->incident_alert = sim_alert_fire(w, SIM_AS_CRITICAL, title, summary, "channel_id", c->id) + 1;
	}
}

static void incident_end(struct sim_world *w, size_t i)
{
	struct sim_channel *c = &w->ch[i];
	c->incident_until = 0;
	if (c->incident_alert) {
		sim_alert_resolve(w, c->incident_alert - 1);
		c->incident_alert = 0;
	}
}

/* One channel's metrics for this second; returns 1 when its eligibility changed. */
static int channel_step(struct sim_world *w, size_t i)
{
	struct sim_channel *c = &w->ch[i];
	sim_rng *r = &w->rng;
	int was = sim_channel_eligible(c);
	int incident = c->incident_until > 0;
	double target;
	if (c->admin == SIM_ADM_DISABLED || c->admin == SIM_ADM_QUARANTINED)
		target = 0;
	else if (c->admin == SIM_ADM_DRAINING)
		target = c->tps * 0.6;
	else if (c->breaker == SIM_BR_OPEN)
		target = c->base_tps * diurnal(w->now) * 0.02;
	else
		target = c->base_tps * diurnal(w->now) * (1 + 0.04 * sim_rng_gauss(r));
	c->tps = target < 0.05 ? 0 : clamp(c->tps + 0.5 * (target - c->tps), 0, 1e7);

	double sys_t = incident ? sim_rng_range(r, 0.55, 0.85) : c->base_sys;
	c->sys = clamp(c->sys + 0.5 * (sys_t - c->sys) + 0.0005 * sim_rng_gauss(r), 0, 1);
	double bus_t = c->sys - (c->base_sys - c->base_bus);
	c->bus = clamp(c->bus + 0.4 * (bus_t - c->bus) + 0.004 * sim_rng_gauss(r), 0, c->sys);
	double lat = incident ? 6.0 : 1.0;
	c->p50 = (int)clamp(c->base_p50 * lat * (1 + 0.08 * sim_rng_gauss(r)), 5, 30000);
	c->p95 = (int)clamp(c->p50 * (incident ? 4.0 : 2.5) * (1 + 0.1 * fabs(sim_rng_gauss(r))), c->p50, 60000);
	c->p99 = (int)clamp(c->p95 * (1.8 + 0.3 * fabs(sim_rng_gauss(r))), c->p95, 120000);

	/* health over the window; no traffic means nothing to judge */
	if (c->tps == 0 && c->admin != SIM_ADM_ENABLED)
		c->health = SIM_H_UNKNOWN;
	else if (c->sys >= 0.995 && c->p95 < 1500)
		c->health = SIM_H_HEALTHY;
	else if (c->sys >= 0.97)
		c->health = SIM_H_DEGRADED;
	else
		c->health = SIM_H_DOWN;

	switch (c->breaker) {
	case SIM_BR_CLOSED:
		if (c->sys < 0.9 && c->tps > 0) {
			c->breaker = SIM_BR_OPEN;
			c->breaker_changed = w->now;
		}
		break;
	case SIM_BR_OPEN:
		if (w->now - c->breaker_changed >= 30 && !incident) {
			c->breaker = SIM_BR_HALF_OPEN;
			c->breaker_changed = w->now;
		}
		break;
	case SIM_BR_HALF_OPEN:
		if (incident) {
			c->breaker = SIM_BR_OPEN;
			c->breaker_changed = w->now;
		} else if (w->now - c->breaker_changed >= 10 && c->sys >= 0.99) {
			c->breaker = SIM_BR_CLOSED;
			c->breaker_changed = w->now;
		}
		break;
	default:
		break;
	}

	double window = c->tps * 60;
	int tech = c->network == SIM_NET_BANK_DIRECT ? 2 : 3; /* 91 issuer unavailable, 96 system malfunction */
	c->err[0].code = (uint8_t)tech;
	c->err[0].count = (uint32_t)(window * (1 - c->sys));
	c->err[1].code = 1; /* 51 */
	c->err[1].count = (uint32_t)(window * (c->sys - c->bus) * 0.6);
	c->err[2].code = 0; /* 05 */
	c->err[2].count = (uint32_t)(window * (c->sys - c->bus) * 0.4);
	qsort(c->err, 3, sizeof c->err[0], cmp_err);
	c->share = w->total_tps > 0 ? c->tps / w->total_tps : 0;
	sim_touch_channel(w, i);
	return was != sim_channel_eligible(c);
}

static void channels_tick(struct sim_world *w)
{
	if (w->nch == 0)
		return;
	/* incidents come and go on bank routes */
	if (sim_rng_chance(&w->rng, 1.0 / 900)) {
		size_t i = sim_rng_below(&w->rng, (uint32_t)w->nch);
		struct sim_channel *c = &w->ch[i];
		if (c->network == SIM_NET_BANK_DIRECT && c->admin == SIM_ADM_ENABLED && !c->incident_until)
			incident_start(w, i, 60 + (int64_t)sim_rng_below(&w->rng, 120));
	}
	double total = 0;
	for (size_t i = 0; i < w->nch; i++) {
		struct sim_channel *c = &w->ch[i];
		if (c->incident_until && w->now >= c->incident_until)
			incident_end(w, i);
		total += c->tps;
	}
	w->total_tps = total;
	size_t n = w->nch < MAX_CHANNEL_UPDATES ? w->nch : MAX_CHANNEL_UPDATES;
	for (size_t k = 0; k < n; k++) {
		size_t i = (w->ch_rotor + k) % w->nch;
		if (channel_step(w, i))
			sim_channel_refresh_routes(w, i);
	}
	/* channels in trouble are watched every second, whatever the rotation */
	if (w->nch > n)
		for (size_t i = 0; i < w->nch; i++) {
			size_t off = (i + w->nch - w->ch_rotor) % w->nch;
			if (off >= n && (w->ch[i].incident_until || w->ch[i].breaker == SIM_BR_OPEN ||
					 w->ch[i].breaker == SIM_BR_HALF_OPEN))
				if (channel_step(w, i))
					sim_channel_refresh_routes(w, i);
		}
	w->ch_rotor = (w->ch_rotor + n) % w->nch;

	int64_t minute = w->now / 60;
	if (minute > w->last_hist_minute) {
		w->last_hist_minute = minute;
		for (size_t i = 0; i < w->nch; i++) {
			struct sim_channel *c = &w->ch[i];
			hist_push(c, minute * 60, c->tps, c->sys, c->bus, c->p95);
		}
	}
}

static int append_case(struct sim_world *w, int source)
{
	if (vec_grow(&w->cs, &w->cap_cs, w->ncs, 1, sizeof *w->cs) != 0)
		return -1;
	uint32_t seq = w->ncs ? w->cs[w->ncs - 1].seq + 1 : 1;
	if (seq > 999999)
		return -1;
	struct sim_case *c = &w->cs[w->ncs];
	sim_case_fill(w, c, seq, SIM_STAGE_SUBMITTED, w->now);
	if (!c->merchant_name)
		return -1;
	if (source >= 0)
		c->source = (uint8_t)source;
	c->version = 0;
	w->ncs++;
	sim_touch_case(w, w->ncs - 1);
	return 0;
}

static void advance_case(struct sim_world *w, size_t i)
{
	struct sim_case *c = &w->cs[i];
	sim_rng *r = &w->rng;
	int k;
	switch (c->stage) {
	case SIM_STAGE_SUBMITTED:
		c->stage = SIM_STAGE_DOC_CHECK;
		break;
	case SIM_STAGE_DOC_CHECK:
		for (k = 0; k < 2; k++)
			c->check_result[k] = sim_rng_chance(r, 0.88) ? SIM_CHK_PASS : SIM_CHK_WARN;
		c->stage = SIM_STAGE_RISK_CHECK;
		break;
	case SIM_STAGE_RISK_CHECK: {
		int clean = 1;
		for (k = 2; k < 4; k++) {
			double u = sim_rng_unit(r);
			c->check_result[k] = u < 0.85 ? SIM_CHK_PASS : u < 0.97 ? SIM_CHK_WARN : SIM_CHK_FAIL;
		}
		for (k = 0; k < 4; k++)
			clean &= c->check_result[k] == SIM_CHK_PASS;
		c->stage = clean && c->risk_level == SIM_RISK_LOW ? SIM_STAGE_INTENT_CONFIRM : SIM_STAGE_MANUAL_REVIEW;
		if (c->stage == SIM_STAGE_INTENT_CONFIRM)
			c->check_result[4] = SIM_CHK_PASS;
		break;
	}
	case SIM_STAGE_INTENT_CONFIRM:
		c->check_result[4] = SIM_CHK_PASS;
		c->stage = SIM_STAGE_APPROVED;
		break;
	default:
		return;
	}
	sim_touch_case(w, i);
}

static void cases_tick(struct sim_world *w)
{
	if (w->ncs && sim_rng_chance(&w->rng, 0.3))
		for (int tries = 0; tries < 4; tries++) {
			size_t i = sim_rng_below(&w->rng, (uint32_t)w->ncs);
			int st = w->cs[i].stage;
			if (st == SIM_STAGE_SUBMITTED || st == SIM_STAGE_DOC_CHECK || st == SIM_STAGE_RISK_CHECK ||
			    st == SIM_STAGE_INTENT_CONFIRM) {
				advance_case(w, i);
				break;
			}
		}
	if (sim_rng_chance(&w->rng, 0.04))
		append_case(w, -1);
}

static long append_break(struct sim_world *w, int type, int ch)
{
	if (vec_grow(&w->br, &w->cap_br, w->nbr, 1, sizeof *w->br) != 0)
		return -1;
	int32_t today = sim_cst_day(w->now);
	uint32_t seq = 1;
	if (w->nbr && w->br[w->nbr - 1].date >= today) {
		today = w->br[w->nbr - 1].date; /* keep ids sorted even if the clock ran backwards */
		seq = w->br[w->nbr - 1].seq + 1;
	}
	if (seq > 999999)
		return -1;
	struct sim_break *b = &w->br[w->nbr];
	sim_break_fill(w, b, today, seq, type, w->now);
	if (ch >= 0)
		b->ch = (uint16_t)ch;
	b->version = 0;
	w->nbr++;
	sim_touch_break(w, w->nbr - 1);
	return (long)w->nbr - 1;
}

static void breaks_tick(struct sim_world *w)
{
	if (w->nch && sim_rng_chance(&w->rng, 0.08))
		append_break(w, sim_pick_break_type(&w->rng), -1);
	if (w->nbr && sim_rng_chance(&w->rng, 0.03)) {
		size_t i = w->nbr - 1 - sim_rng_below(&w->rng, (uint32_t)(w->nbr < 2000 ? w->nbr : 2000));
		struct sim_break *b = &w->br[i];
		if (b->status == SIM_BS_OPEN && b->type != SIM_BT_FUND_MISMATCH) {
			struct sim_err e;
			sim_break_resolve(w, i, SIM_RES_MATCH, "system", "自动勾对：补单成功", NULL, 0, 0, NULL, &e);
		}
	}
}

static void limit_alert(struct sim_world *w, size_t i, int old_state)
{
	struct sim_limit *l = &w->lm[i];
	if (l->scope != SIM_SCOPE_RESERVE || l->state == old_state)
		return;
	char title[192];
	if (l->state == SIM_LS_OK) {
		for (size_t a = 0; a < w->nal; a++)
			if (w->al[a].state == SIM_AL_FIRING && w->al[a].label_value &&
			    strcmp(w->al[a].label_value, l->id) == 0)
				sim_alert_resolve(w, a);
		return;
	}
	snprintf(title, sizeof title, "备付金额度 %s %s", l->scope_id,
		 l->state == SIM_LS_BREACHED ? "已超限" : "使用率超过预警线");
	sim_alert_fire(w, l->state == SIM_LS_BREACHED ? SIM_AS_CRITICAL : SIM_AS_WARNING, title,
		       "额度不足时代付交易将被拒绝，请调拨备付金", "limit_id", l->id);
}

static void limits_tick(struct sim_world *w)
{
	for (size_t i = 0; i < w->nlm; i++) {
		struct sim_limit *l = &w->lm[i];
		if (l->resets_at && w->now >= l->resets_at) {
			int old = l->state;
			l->used_minor = 0;
			l->resets_at = sim_limit_next_reset(w->now, l->period);
			sim_limit_recompute(l);
			sim_touch_limit(w, i);
			limit_alert(w, i, old);
		}
	}
	if (w->nlm == 0)
		return;
	double load = diurnal(w->now);
	for (int k = 0; k < 3; k++) {
		size_t i = sim_rng_below(&w->rng, (uint32_t)w->nlm);
		struct sim_limit *l = &w->lm[i];
		if (l->period == SIM_PER_SINGLE || l->state == SIM_LS_BREACHED)
			continue;
		int old = l->state;
		double per = l->period == SIM_PER_DAY ? 0.01 : l->period == SIM_PER_MONTH ? 0.001 : 0.0001;
		l->used_minor += (int64_t)((double)l->limit_minor * per * load * sim_rng_range(&w->rng, 0.2, 1.5)) + 1;
		sim_limit_recompute(l);
		sim_touch_limit(w, i);
		limit_alert(w, i, old);
	}
}

static void routes_tick(struct sim_world *w)
{
	for (size_t i = 0; i < w->nrt; i++) {
		struct sim_route *r = &w->rt[i];
		if (r->has_override && w->now >= r->ov_expires) {
			for (int k = 0; k < r->nm; k++)
				r->m[k].base = r->saved_base[k];
			r->ctl++; /* the operator's override ran out: what they set moved */
			r->has_override = 0;
			free(r->ov_reason);
			r->ov_reason = NULL;
			sim_route_redistribute(w, i);
			sim_touch_route(w, i);
		}
	}
}

void sim_tick(struct sim_world *w)
{
	w->now++;
	w->ticks++;
	channels_tick(w);
	sim_metrics_tick(w);
	routes_tick(w);
	cases_tick(w);
	breaks_tick(w);
	limits_tick(w);
	sim_approvals_expire(w);
	sim_idem_expire(&w->idem, w->now);
}

/* ---- scenarios ---- */

static long default_channel(const struct sim_world *w, const char *prefer, int network)
{
	long i = sim_find_channel(w, prefer);
	if (i >= 0 && w->ch[i].admin == SIM_ADM_ENABLED)
		return i;
	for (size_t k = 0; k < w->nch; k++)
		if (w->ch[k].network == network && w->ch[k].admin == SIM_ADM_ENABLED && !w->ch[k].incident_until)
			return (long)k;
	return w->nch ? 0 : -1;
}

static void outage_now(struct sim_world *w, size_t i, int64_t duration)
{
	struct sim_channel *c = &w->ch[i];
	incident_start(w, i, duration);
	c->sys = 0.62;
	c->bus = 0.58;
	c->p50 = c->base_p50 * 6;
	c->p95 = c->p50 * 5;
	c->p99 = c->p95 * 2;
	c->health = SIM_H_DOWN;
	if (c->breaker == SIM_BR_CLOSED || c->breaker == SIM_BR_HALF_OPEN) {
		c->breaker = SIM_BR_OPEN;
		c->breaker_changed = w->now;
	}
	sim_touch_channel(w, i);
	sim_channel_refresh_routes(w, i);
}

static void recover_all(struct sim_world *w)
{
	for (size_t i = 0; i < w->nch; i++) {
		struct sim_channel *c = &w->ch[i];
		if (!c->incident_until && c->breaker != SIM_BR_OPEN && c->breaker != SIM_BR_HALF_OPEN)
			continue;
		incident_end(w, i);
		c->sys = c->base_sys;
		c->bus = c->base_bus;
		c->p50 = c->base_p50;
		c->p95 = c->p50 * 5 / 2;
		c->p99 = c->p50 * 6;
		if (c->breaker == SIM_BR_OPEN || c->breaker == SIM_BR_HALF_OPEN)
			c->breaker = SIM_BR_CLOSED;
		c->breaker_changed = w->now;
		c->health = c->admin == SIM_ADM_ENABLED || c->admin == SIM_ADM_DRAINING ? SIM_H_HEALTHY : c->health;
		sim_touch_channel(w, i);
		sim_channel_refresh_routes(w, i);
	}
}

static void set_file_status(struct sim_world *w, size_t ch, int32_t date, int status)
{
	for (int k = 0; k < w->nfiles; k++)
		if (w->files[k].ch == (int)ch && w->files[k].date == date) {
			w->files[k].status = (uint8_t)status;
			return;
		}
	if (w->nfiles == (int)(sizeof w->files / sizeof w->files[0])) {
		memmove(w->files, w->files + 1, sizeof w->files - sizeof w->files[0]);
		w->nfiles--;
	}
	w->files[w->nfiles].ch = (int)ch;
	w->files[w->nfiles].date = date;
	w->files[w->nfiles].status = (uint8_t)status;
	w->nfiles++;
}

static void surge_limit(struct sim_world *w, size_t i, double fraction)
{
	struct sim_limit *l = &w->lm[i];
	int old = l->state;
	l->used_minor = (int64_t)((double)l->limit_minor * fraction);
	sim_limit_recompute(l);
	sim_touch_limit(w, i);
	if (l->scope == SIM_SCOPE_RESERVE)
		limit_alert(w, i, old);
	else if (l->state == SIM_LS_BREACHED) {
		char title[192];
		snprintf(title, sizeof title, "%s %s 已超限", l->scope_id, l->name);
		sim_alert_fire(w, SIM_AS_WARNING, title, "超限后交易将被拒绝", "limit_id", l->id);
	}
}

int sim_scenario(struct sim_world *w, const char *name, const char *target, char *target_out, size_t tcap,
		 char *detail, size_t dcap, struct sim_err *e)
{
	target_out[0] = '\0';
	if (strcmp(name, "bank_outage") == 0 || strcmp(name, "settlement_file_missing") == 0) {
		int outage = name[0] == 'b';
		long i = target ? sim_find_channel(w, target)
				: outage ? default_channel(w, "icbc.direct.quickpay", SIM_NET_BANK_DIRECT)
					 : default_channel(w, "cmbc.direct.payout", SIM_NET_BANK_DIRECT);
		if (i < 0) {
			e->status = 404;
			e->code = "not_found";
			snprintf(e->detail, sizeof e->detail, "no channel %s", target ? target : "to act on");
			return -1;
		}
		snprintf(target_out, tcap, "%s", w->ch[i].id);
		if (outage) {
			outage_now(w, (size_t)i, 120);
			snprintf(detail, dcap, "%s: system success rate collapses, breaker open, health down for 120 s",
				 w->ch[i].id);
		} else {
			int32_t today = sim_cst_day(w->now);
			set_file_status(w, (size_t)i, today, SIM_FILE_MISSING);
			append_break(w, SIM_BT_FUND_MISMATCH, (int)i);
			char title[192];
			snprintf(title, sizeof title, "%s 对账文件未到达", w->ch[i].name);
			sim_alert_fire(w, SIM_AS_WARNING, title, "结算文件超过截止时间未到达，资金核对不平",
				       "channel_id", w->ch[i].id);
			snprintf(detail, dcap, "%s: today's settlement file missing, fund_mismatch break opened",
				 w->ch[i].id);
		}
		return 0;
	}
	if (strcmp(name, "recover") == 0) {
		recover_all(w);
		snprintf(detail, dcap, "every running incident ended");
		return 0;
	}
	if (strcmp(name, "limit_surge") == 0) {
		int n = 0, moved = 0;
		long t = -1;
		if (target && (t = sim_find_limit(w, target)) < 0) {
			e->status = 404;
			e->code = "not_found";
			snprintf(e->detail, sizeof e->detail, "no limit %.200s", target);
			return -1;
		}
		/* the NetsUnion day quota breaches, UnionPay's goes to warning */
		for (size_t i = 0; i < w->nlm; i++) {
			struct sim_limit *l = &w->lm[i];
			if (l->scope == SIM_SCOPE_RESERVE && l->period == SIM_PER_DAY &&
			    (strcmp(l->scope_id, "unionpay") == 0 || strcmp(l->scope_id, "nucc") == 0)) {
				moved |= l->state == SIM_LS_OK;
				surge_limit(w, i, strcmp(l->scope_id, "nucc") == 0 ? 1.03 : 0.91);
				n++;
			}
		}
		/* make sure one quota visibly leaves ok */
		for (size_t i = 0; !moved && i < w->nlm; i++)
			if (w->lm[i].scope == SIM_SCOPE_RESERVE && w->lm[i].state == SIM_LS_OK) {
				surge_limit(w, i, 0.95);
				moved = 1;
				n++;
			}
		if (t >= 0) {
			surge_limit(w, (size_t)t, 1.05);
			snprintf(target_out, tcap, "%s", target);
			n++;
		}
		/* and a few limits that were fine a moment ago */
		for (int tries = 0; n < 6 && tries < 1000 && w->nlm; tries++) {
			size_t i = sim_rng_below(&w->rng, (uint32_t)w->nlm);
			if (w->lm[i].period != SIM_PER_SINGLE && w->lm[i].state == SIM_LS_OK) {
				surge_limit(w, i, n % 2 ? 1.02 : 0.93);
				n++;
			}
		}
		snprintf(detail, dcap, "%d limits pushed to warning or breached", n);
		return 0;
	}
	if (strcmp(name, "onboarding_burst") == 0) {
		int n = 0;
		for (; n < 200; n++)
			if (append_case(w, SIM_SRC_BATCH))
				break;
		snprintf(detail, dcap, "%d new submitted cases", n);
		return 0;
	}
	e->status = 404;
	e->code = "not_found";
	snprintf(e->detail, sizeof e->detail, "unknown scenario %.200s", name);
	return -1;
}
