/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/world_gen.c - building the initial world from a seed, lookups, teardown */
#include "sim/world.h"
#include "sim/names.h"
#include "sim/util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sim_network_names[] = {"unionpay", "nucc", "bank_direct", "wallet", "cfs", "shclearing", "cross_border", NULL};
const char *const sim_admin_names[] = {"enabled", "disabled", "draining", "quarantined", NULL};
const char *const sim_health_names[] = {"healthy", "degraded", "down", "unknown", NULL};
const char *const sim_breaker_names[] = {"closed", "open", "half_open", "forced_open", NULL};
const char *const sim_iface_names[] = {"pay", "refund", "payout", "query", NULL};
const char *const sim_action_names[] = {"enable", "disable", "drain", "quarantine", "release", NULL};
const char *const sim_strategy_names[] = {"weighted", "priority", "success_rate", NULL};
const char *const sim_stage_names[] = {"submitted", "doc_check", "risk_check", "manual_review", "intent_confirm",
				       "approved", "rejected", "returned", NULL};
const char *const sim_source_names[] = {"agent_app", "api", "branch", "batch", NULL};
const char *const sim_risk_names[] = {"low", "medium", "high", NULL};
const char *const sim_check_result_names[] = {"pass", "warn", "fail", "pending", NULL};
const char *const sim_decision_names[] = {"approve", "reject", "return", "assign", NULL};
const char *const sim_break_type_names[] = {"long", "short", "missing_platform", "missing_channel", "amount_mismatch",
					    "refund_no_final", "returned", "fund_mismatch", NULL};
const char *const sim_severity_names[] = {"low", "medium", "high", NULL};
const char *const sim_break_status_names[] = {"open", "investigating", "escalated", "resolved", "written_off", NULL};
const char *const sim_resolve_names[] = {"match", "write_off", "adjust", "escalate", "investigate", "reopen", "assign", NULL};
const char *const sim_scope_names[] = {"merchant", "channel", "reserve", NULL};
const char *const sim_period_names[] = {"single", "day", "month", "year", NULL};
const char *const sim_limit_state_names[] = {"ok", "warning", "breached", NULL};
const char *const sim_alert_sev_names[] = {"critical", "warning", "info", NULL};
const char *const sim_file_status_names[] = {"received", "late", "missing", "parsed", NULL};

int sim_enum_parse(const char *const *names, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

#define IFM(p, r, o, q) ((p) | (r) << 1 | (o) << 2 | (q) << 3)
struct ch_tmpl { const char *id, *name, *link; uint8_t net, ifs; double tps; };
static const struct ch_tmpl fixed_channels[] = {
	{"unionpay.qr", "银联 二维码收单", "cup-sh-01", SIM_NET_UNIONPAY, IFM(1, 1, 0, 1), 900},
	{"unionpay.card", "银联 银行卡收单", "cup-sh-01", SIM_NET_UNIONPAY, IFM(1, 1, 0, 1), 600},
	{"unionpay.quickpay", "银联 无卡快捷", "cup-sh-02", SIM_NET_UNIONPAY, IFM(1, 1, 0, 1), 400},
	{"unionpay.payout", "银联 代付", "cup-sh-02", SIM_NET_UNIONPAY, IFM(0, 0, 1, 1), 150},
	{"nucc.quickpay", "网联 快捷支付", "nucc-bj-01", SIM_NET_NUCC, IFM(1, 1, 0, 1), 1500},
	{"nucc.agreement", "网联 协议支付", "nucc-bj-01", SIM_NET_NUCC, IFM(1, 1, 0, 1), 1100},
	{"nucc.payout", "网联 代付", "nucc-bj-02", SIM_NET_NUCC, IFM(0, 0, 1, 1), 300},
	{"wechat.native", "微信支付 扫码", "tenpay-sz-01", SIM_NET_WALLET, IFM(1, 1, 0, 1), 1200},
	{"wechat.jsapi", "微信支付 公众号", "tenpay-sz-01", SIM_NET_WALLET, IFM(1, 1, 0, 1), 700},
	{"alipay.qr", "支付宝 扫码", "alipay-hz-01", SIM_NET_WALLET, IFM(1, 1, 0, 1), 1100},
	{"alipay.app", "支付宝 APP 支付", "alipay-hz-01", SIM_NET_WALLET, IFM(1, 1, 0, 1), 900},
	{"unionpay.quickpass", "云闪付", "cup-sh-03", SIM_NET_WALLET, IFM(1, 1, 0, 1), 300},
	{"cfs.hvps", "大额支付系统", "pboc-cnaps-01", SIM_NET_CFS, IFM(0, 0, 1, 1), 20},
	{"cfs.ibps", "网上支付跨行清算 超级网银", "pboc-cnaps-01", SIM_NET_CFS, IFM(1, 0, 1, 1), 60},
	{"shclearing.settle", "上海清算所 清算结算", "shch-01", SIM_NET_SHCLEARING, IFM(0, 0, 1, 1), 5},
	{"cips.rmb", "人民币跨境支付 CIPS", "cips-sh-01", SIM_NET_CROSS_BORDER, IFM(0, 0, 1, 1), 8},
	{"crossborder.remit", "跨境人民币汇款", "cips-sh-01", SIM_NET_CROSS_BORDER, IFM(0, 0, 1, 1), 4},
	{"icbc.direct.corp", "工商银行 银企直连", "icbc-bj-01", SIM_NET_BANK_DIRECT, IFM(0, 0, 1, 1), 30},
};
#define NFIXED (sizeof fixed_channels / sizeof fixed_channels[0])

struct rt_tmpl { const char *id, *name; uint8_t strategy; struct { const char *ch; int w; } m[6]; };
static const struct rt_tmpl fixed_routes[] = {
	{"qr.cny.domestic", "二维码收单 境内", SIM_STRAT_WEIGHTED,
	 {{"unionpay.qr", 40}, {"wechat.native", 30}, {"alipay.qr", 30}}},
	{"quickpay.cny", "快捷支付 全国", SIM_STRAT_SUCCESS_RATE,
	 {{"nucc.quickpay", 40}, {"unionpay.quickpay", 20}, {"icbc.direct.quickpay", 15},
	  {"ccb.direct.quickpay", 15}, {"cmb.direct.quickpay", 10}}},
	{"agreement.cny", "协议支付", SIM_STRAT_WEIGHTED,
	 {{"nucc.agreement", 70}, {"abc.direct.quickpay", 15}, {"spdb.direct.quickpay", 15}}},
	{"payout.salary", "代发工资", SIM_STRAT_PRIORITY,
	 {{"icbc.direct.payout", 40}, {"ccb.direct.payout", 30}, {"abc.direct.payout", 30}}},
	{"payout.cny", "代付 通用", SIM_STRAT_WEIGHTED,
	 {{"nucc.payout", 50}, {"unionpay.payout", 30}, {"cmbc.direct.payout", 20}}},
	{"wallet.app", "钱包 APP 支付", SIM_STRAT_WEIGHTED,
	 {{"alipay.app", 45}, {"wechat.jsapi", 45}, {"unionpay.quickpass", 10}}},
	{"card.acquiring", "银行卡收单", SIM_STRAT_WEIGHTED,
	 {{"unionpay.card", 80}, {"psbc.direct.quickpay", 20}}},
	{"b2b.large", "大额对公", SIM_STRAT_PRIORITY,
	 {{"cfs.hvps", 50}, {"icbc.direct.corp", 20}, {"cfs.ibps", 20}, {"shclearing.settle", 10}}},
	{"crossborder.rmb", "跨境人民币", SIM_STRAT_WEIGHTED, {{"cips.rmb", 80}, {"crossborder.remit", 20}}},
	{"quickpay.citybank", "城商行 快捷支付", SIM_STRAT_WEIGHTED,
	 {{"bocd.direct.quickpay", 35}, {"xabank.direct.quickpay", 25}, {"hbnx.direct.quickpay", 20},
	  {"hxb.direct.quickpay", 20}}},
	{"payout.citybank", "城商行 代付", SIM_STRAT_WEIGHTED,
	 {{"bocd.direct.payout", 40}, {"xabank.direct.payout", 30}, {"hbnx.direct.payout", 30}}},
	{"quickpay.joint", "股份制银行 快捷支付", SIM_STRAT_WEIGHTED,
	 {{"cib.direct.quickpay", 40}, {"pab.direct.quickpay", 35}, {"cmbc.direct.quickpay", 25}}},
};
#define NFIXED_ROUTES (sizeof fixed_routes / sizeof fixed_routes[0])

static int cmp_channel(const void *a, const void *b)
{
	return strcmp(((const struct sim_channel *)a)->id, ((const struct sim_channel *)b)->id);
}
static int cmp_route(const void *a, const void *b)
{
	return strcmp(((const struct sim_route *)a)->id, ((const struct sim_route *)b)->id);
}
static int cmp_limit(const void *a, const void *b)
{
	return strcmp(((const struct sim_limit *)a)->id, ((const struct sim_limit *)b)->id);
}

static void init_channel_metrics(struct sim_world *w, struct sim_channel *c)
{
	sim_rng *r = &w->rng;
	c->base_sys = c->network == SIM_NET_BANK_DIRECT ? sim_rng_range(r, 0.995, 0.9995) : sim_rng_range(r, 0.998, 0.99995);
	c->base_bus = c->base_sys - sim_rng_range(r, 0.02, 0.08);
	c->base_p50 = c->network == SIM_NET_BANK_DIRECT ? 60 + (int)sim_rng_below(r, 80) : 30 + (int)sim_rng_below(r, 60);
	c->sys = c->base_sys;
	c->bus = c->base_bus;
	c->p50 = c->base_p50;
	c->p95 = c->p50 * 5 / 2;
	c->p99 = c->p50 * 6;
	c->tps = c->base_tps;
	c->admin = SIM_ADM_ENABLED;
	c->health = SIM_H_HEALTHY;
	c->breaker = SIM_BR_CLOSED;
	for (int k = 0; k < 3; k++) {
		static const uint8_t common[] = {3, 1, 0}; /* 96, 51, 05 */
		c->err[k].code = k == 0 && c->network == SIM_NET_BANK_DIRECT ? 2 : common[k];
		c->err[k].count = (uint32_t)(sim_rng_below(r, 40) + 1) * (uint32_t)(3 - k);
	}
	c->version = 1 + sim_rng_below(r, 30);
	c->updated_at = w->now - (int64_t)sim_rng_below(r, 3600);
	snprintf(c->updated_by, sizeof c->updated_by, "%s", sim_operators[sim_rng_below(r, (uint32_t)sim_noperators)]);
}

static int gen_channels(struct sim_world *w, size_t n)
{
	w->ch = calloc(n ? n : 1, sizeof *w->ch);
	if (!w->ch)
		return -1;
	w->nch = n;
	size_t i = 0;
	/* the fixed national channels first, then each bank's quick pay and payout on one link */
	for (size_t k = 0; k < NFIXED && i < n; k++, i++) {
		struct sim_channel *c = &w->ch[i];
		const struct ch_tmpl *t = &fixed_channels[k];
		snprintf(c->id, sizeof c->id, "%s", t->id);
		snprintf(c->name, sizeof c->name, "%s", t->name);
		snprintf(c->link_id, sizeof c->link_id, "%s", t->link);
		c->network = t->net;
		for (int f = 0; f < SIM_IF_COUNT; f++)
			c->if_has[f] = (t->ifs >> f) & 1;
		c->base_tps = t->tps * sim_rng_range(&w->rng, 0.8, 1.2);
	}
	for (size_t k = 0; i < n; k++, i++) {
		struct sim_channel *c = &w->ch[i];
		const struct sim_bank *b = &sim_banks[k % sim_nbanks];
		int payout = (int)((k / sim_nbanks) % 2);
		size_t region = k / (2 * sim_nbanks);
		if (region == 0) {
			snprintf(c->id, sizeof c->id, "%s.direct.%s", b->code, payout ? "payout" : "quickpay");
			snprintf(c->name, sizeof c->name, "%s %s", b->name, payout ? "代付" : "快捷支付");
			snprintf(c->link_id, sizeof c->link_id, "%s-%s-01", b->code, b->city);
		} else {
			snprintf(c->id, sizeof c->id, "%s.r%03zu.%s", b->code, region, payout ? "payout" : "quickpay");
			snprintf(c->name, sizeof c->name, "%s 分行%03zu %s", b->name, region, payout ? "代付" : "快捷支付");
			snprintf(c->link_id, sizeof c->link_id, "%s-r%03zu", b->code, region);
		}
		c->network = SIM_NET_BANK_DIRECT;
		c->if_has[SIM_IF_PAY] = c->if_has[SIM_IF_REFUND] = (uint8_t)!payout;
		c->if_has[SIM_IF_PAYOUT] = (uint8_t)payout;
		c->if_has[SIM_IF_QUERY] = 1;
		c->base_tps = (payout ? sim_rng_range(&w->rng, 10, 60) : sim_rng_range(&w->rng, 40, 250)) /
			      (region ? 4.0 : 1.0);
	}
	qsort(w->ch, n, sizeof *w->ch, cmp_channel);
	for (i = 0; i < n; i++) {
		init_channel_metrics(w, &w->ch[i]);
		for (int f = 0; f < SIM_IF_COUNT; f++)
			w->ch[i].if_state[f] = SIM_ADM_ENABLED;
	}
	/* a bank's maintenance notice tonight, and one refund interface switched off */
	long m = sim_find_channel(w, "hxb.direct.quickpay");
	if (m >= 0) {
		struct sim_channel *c = &w->ch[m];
		int64_t mid = ((int64_t)sim_cst_day(w->now) + 1) * 86400 - SIM_CST_OFFSET;
		c->has_maint = 1;
		c->maint_start = mid + 3600;
		c->maint_end = mid + 3 * 3600;
		snprintf(c->maint_note, sizeof c->maint_note, "华夏银行核心系统升级，01:00-03:00 暂停快捷支付");
	}
	m = sim_find_channel(w, "cmbc.direct.quickpay");
	if (m >= 0)
		w->ch[m].if_state[SIM_IF_REFUND] = SIM_ADM_DISABLED;
	return 0;
}

static void normalize_weights(struct sim_route *r)
{
	int sum = 0;
	for (int k = 0; k < r->nm; k++)
		sum += r->m[k].base;
	if (sum == 100 || r->nm == 0)
		return;
	int got = 0;
	double rem[SIM_MAX_MEMBERS];
	for (int k = 0; k < r->nm; k++) {
		double exact = sum ? 100.0 * r->m[k].base / sum : 100.0 / r->nm;
		r->m[k].base = (int)floor(exact);
		rem[k] = exact - r->m[k].base;
		got += r->m[k].base;
	}
	while (got < 100) {
		int best = 0;
		for (int k = 1; k < r->nm; k++)
			if (rem[k] > rem[best])
				best = k;
		r->m[best].base++;
		rem[best] = -1;
		got++;
	}
}

static int gen_routes(struct sim_world *w)
{
	size_t extra = 0;
	for (size_t i = 0; i < w->nch; i++)
		if (strstr(w->ch[i].id, ".r0") || strstr(w->ch[i].id, ".r1") || strstr(w->ch[i].id, ".r2"))
			extra++;
	size_t cap = NFIXED_ROUTES + extra / 5 + 1;
	w->rt = calloc(cap, sizeof *w->rt);
	if (!w->rt)
		return -1;
	size_t n = 0;
	for (size_t k = 0; k < NFIXED_ROUTES; k++) {
		struct sim_route *r = &w->rt[n];
		const struct rt_tmpl *t = &fixed_routes[k];
		memset(r, 0, sizeof *r);
		for (int j = 0; j < 6 && t->m[j].ch; j++) {
			long ci = sim_find_channel(w, t->m[j].ch);
			if (ci < 0)
				continue;
			r->m[r->nm].ch = (int)ci;
			r->m[r->nm].base = t->m[j].w;
			r->nm++;
		}
		if (r->nm == 0)
			continue;
		snprintf(r->id, sizeof r->id, "%s", t->id);
		snprintf(r->name, sizeof r->name, "%s", t->name);
		r->strategy = t->strategy;
		n++;
	}
	/* regional bank channels pooled five at a time */
	struct sim_route *cur = NULL;
	size_t pool = 0;
	for (size_t i = 0; i < w->nch && n < cap; i++) {
		const char *id = w->ch[i].id, *dot = strchr(id, '.');
		if (!dot || dot[1] != 'r' || !strchr(dot + 1, '.'))
			continue;
		if (!cur || cur->nm == 5) {
			cur = &w->rt[n++];
			memset(cur, 0, sizeof *cur);
			snprintf(cur->id, sizeof cur->id, "pool.r%04zu", pool);
			snprintf(cur->name, sizeof cur->name, "分行资金池 %04zu", pool);
			cur->strategy = SIM_STRAT_WEIGHTED;
			pool++;
		}
		cur->m[cur->nm].ch = (int)i;
		cur->m[cur->nm].base = 20;
		cur->nm++;
	}
	w->nrt = n;
	for (size_t i = 0; i < n; i++) {
		struct sim_route *r = &w->rt[i];
		normalize_weights(r);
		for (int k = 0; k < r->nm; k++) {
			r->m[k].weight = r->m[k].base;
			r->m[k].eligible = 1;
		}
		r->version = 1 + sim_rng_below(&w->rng, 6);
		r->updated_at = w->now - 86400 + (int64_t)sim_rng_below(&w->rng, 80000);
	}
	qsort(w->rt, n, sizeof *w->rt, cmp_route);
	return 0;
}

char *sim_make_merchant_name(struct sim_world *w, uint32_t seq, unsigned region, unsigned kind)
{
	char buf[256];
	const struct sim_kind *k = &sim_kinds[kind];
	const char *noun = k->nouns[sim_rng_below(&w->rng, (uint32_t)k->nnouns)];
	const char *prefix = k->prefixed ? sim_shop_prefixes[sim_rng_below(&w->rng, (uint32_t)sim_nshop_prefixes)] : "";
	/* display strings may carry anything: a few hostile names keep clients honest */
	if (seq == 7)
		snprintf(buf, sizeof buf, "%s\x1b[2J\x1b[31m红字\x1b[0m小吃店", sim_regions[region].name);
	else if (seq == 13)
		snprintf(buf, sizeof buf, "%s回车\r换行\n制表\t面馆\xe2\x80\x8b\xe2\x80\xae", sim_regions[region].name);
	else
		snprintf(buf, sizeof buf, "%s%s%s", sim_regions[region].name, prefix, noun);
	return strdup(buf);
}

void sim_case_fill(struct sim_world *w, struct sim_case *c, uint32_t seq, int stage, int64_t submitted)
{
	sim_rng *r = &w->rng;
	memset(c, 0, sizeof *c);
	c->seq = seq;
	c->region = sim_rng_below(r, (uint32_t)sim_nregions);
	c->merchant = (uint64_t)sim_regions[c->region].code * 1000000ULL + seq % 1000000;
	c->kind = (uint8_t)sim_rng_below(r, (uint32_t)sim_nkinds);
	c->merchant_name = sim_make_merchant_name(w, seq, c->region, c->kind);
	c->ch = (uint16_t)sim_rng_below(r, (uint32_t)w->nch);
	c->source = (uint8_t)sim_rng_below(r, SIM_SRC_COUNT);
	c->risk_score = (uint8_t)(10 + sim_rng_below(r, 85));
	c->risk_level = c->risk_score < 40 ? SIM_RISK_LOW : c->risk_score < 75 ? SIM_RISK_MEDIUM : SIM_RISK_HIGH;
	c->stage = (uint8_t)stage;
	c->nchecks = SIM_CASE_CHECKS;
	int done = stage == SIM_STAGE_SUBMITTED ? 0 : stage == SIM_STAGE_DOC_CHECK ? 1 : stage == SIM_STAGE_RISK_CHECK ? 2
		 : stage == SIM_STAGE_MANUAL_REVIEW ? 4 : 5;
	for (int k = 0; k < SIM_CASE_CHECKS; k++) {
		c->check_name[k] = (uint8_t)k;
		if (k >= done) {
			c->check_result[k] = SIM_CHK_PENDING;
			continue;
		}
		double u = sim_rng_unit(r);
		int res = u < 0.85 ? SIM_CHK_PASS : u < 0.97 ? SIM_CHK_WARN : SIM_CHK_FAIL;
		if (stage == SIM_STAGE_APPROVED || stage == SIM_STAGE_INTENT_CONFIRM)
			res = u < 0.9 ? SIM_CHK_PASS : SIM_CHK_WARN;
		c->check_result[k] = (uint8_t)res;
	}
	if (stage == SIM_STAGE_REJECTED)
		c->check_result[2 + sim_rng_below(r, 2)] = SIM_CHK_FAIL;
	if (stage == SIM_STAGE_RETURNED)
		c->check_result[sim_rng_below(r, 2)] = SIM_CHK_WARN;
	c->submitted_at = submitted;
	c->sla_due_at = submitted + (c->risk_level == SIM_RISK_HIGH ? 36 : 24) * 3600;
	c->updated_at = submitted + (int64_t)(sim_rng_unit(r) * (double)(w->now - submitted));
	if (stage == SIM_STAGE_MANUAL_REVIEW && sim_rng_chance(r, 0.5))
		c->assignee = strdup(sim_operators[sim_rng_below(r, (uint32_t)sim_noperators)]);
	c->version = 1 + (uint32_t)done;
}

static int gen_cases(struct sim_world *w, size_t n)
{
	static const double dist[SIM_STAGE_COUNT] = {0.10, 0.12, 0.12, 0.20, 0.08, 0.25, 0.07, 0.06};
	w->cap_cs = n + 1024;
	w->cs = calloc(w->cap_cs, sizeof *w->cs);
	if (!w->cs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint32_t seq = (uint32_t)i + 1;
		int64_t submitted = w->now - (int64_t)((double)(n - i) * (72.0 * 3600 / (double)n)) -
				    (int64_t)sim_rng_below(&w->rng, 60);
		/* recent cases sit early in the pipeline, old ones are mostly decided */
		double age = (double)(n - i) / (double)n;
		double u = sim_rng_unit(&w->rng), acc = 0;
		int stage = SIM_STAGE_APPROVED;
		if (age < 0.05)
			stage = u < 0.6 ? SIM_STAGE_SUBMITTED : SIM_STAGE_DOC_CHECK;
		else
			for (int s = 0; s < SIM_STAGE_COUNT; s++) {
				acc += dist[s];
				if (u < acc) {
					stage = s;
					break;
				}
			}
		sim_case_fill(w, &w->cs[i], seq, stage, submitted);
		if (!w->cs[i].merchant_name)
			return -1;
		w->ncs++;
	}
	return 0;
}

static int64_t ticket_minor(sim_rng *r)
{
	double v = exp(sim_rng_gauss(r) * 1.0 + log(50000.0));
	if (v < 100)
		v = 100;
	if (v > 5000000)
		v = 5000000;
	return (int64_t)v;
}

void sim_break_fill(struct sim_world *w, struct sim_break *b, int32_t date, uint32_t seq, int type, int64_t detected)
{
	sim_rng *r = &w->rng;
	memset(b, 0, sizeof *b);
	b->date = date;
	b->seq = seq;
	b->ch = (uint16_t)sim_rng_below(r, (uint32_t)w->nch);
	b->type = (uint8_t)type;
	b->merchant = type == SIM_BT_FUND_MISMATCH ? 0
		      : (uint64_t)sim_regions[sim_rng_below(r, (uint32_t)sim_nregions)].code * 1000000ULL +
				sim_rng_below(r, 999999) + 1;
	int64_t p = ticket_minor(r), d = 1 + (int64_t)(p * sim_rng_range(r, 0.001, 0.05));
	switch (type) {
	case SIM_BT_LONG: b->platform_minor = p; b->channel_minor = p + d; break;
	case SIM_BT_SHORT: b->platform_minor = p; b->channel_minor = p - d; break;
	case SIM_BT_MISSING_PLATFORM: b->channel_minor = p; break;
	case SIM_BT_MISSING_CHANNEL: b->platform_minor = p; break;
	case SIM_BT_AMOUNT_MISMATCH: b->platform_minor = p; b->channel_minor = sim_rng_chance(r, 0.5) ? p + d : p - d; break;
	case SIM_BT_REFUND_NO_FINAL: b->platform_minor = p; break;
	case SIM_BT_RETURNED: b->platform_minor = p * 10; break;
	default: {
		int64_t big = (int64_t)sim_rng_range(r, 1e8, 5e9);
		b->platform_minor = big;
		b->channel_minor = big + (sim_rng_chance(r, 0.5) ? 1 : -1) * (int64_t)sim_rng_range(r, 100, 2e6);
	}
	}
	int64_t diff = llabs(b->channel_minor - b->platform_minor);
	b->severity = type == SIM_BT_FUND_MISMATCH || diff >= 500000 ? SIM_SEV_HIGH : diff >= 10000 ? SIM_SEV_MEDIUM : SIM_SEV_LOW;
	b->status = SIM_BS_OPEN;
	b->detected_at = b->updated_at = detected;
	b->version = 1;
}

static int pick_type(sim_rng *r)
{
	static const double dist[SIM_BT_COUNT] = {0.15, 0.15, 0.15, 0.15, 0.20, 0.08, 0.08, 0.04};
	double u = sim_rng_unit(r), acc = 0;
	for (int t = 0; t < SIM_BT_COUNT; t++) {
		acc += dist[t];
		if (u < acc)
			return t;
	}
	return SIM_BT_AMOUNT_MISMATCH;
}

int sim_pick_break_type(sim_rng *r)
{
	return pick_type(r);
}

static int gen_breaks(struct sim_world *w, size_t n)
{
	static const double share[3] = {0.3, 0.4, 0.3}; /* day-2, day-1, today */
	static const double st[3][SIM_BS_COUNT] = {{0.15, 0.10, 0.10, 0.55, 0.10},
						   {0.40, 0.20, 0.10, 0.25, 0.05},
						   {0.80, 0.10, 0.05, 0.05, 0.00}};
	w->cap_br = n + 4096;
	w->br = calloc(w->cap_br, sizeof *w->br);
	if (!w->br)
		return -1;
	int32_t today = sim_cst_day(w->now);
	size_t made = 0;
	for (int dd = 0; dd < 3; dd++) {
		int32_t date = today - 2 + dd;
		size_t cnt = dd == 2 ? n - made : (size_t)((double)n * share[dd]);
		int64_t dstart = (int64_t)date * 86400 - SIM_CST_OFFSET;
		int64_t dend = dstart + 86400 < w->now ? dstart + 86400 : w->now;
		for (size_t k = 0; k < cnt; k++) {
			struct sim_break *b = &w->br[made++];
			int64_t det = dstart + 3600 + (int64_t)((double)(dend - dstart - 3600) * ((double)k + 0.5) / (double)cnt);
			if (det > w->now)
				det = w->now;
			sim_break_fill(w, b, date, (uint32_t)k + 1, pick_type(&w->rng), det);
			double u = sim_rng_unit(&w->rng), acc = 0;
			for (int s = 0; s < SIM_BS_COUNT; s++) {
				acc += st[dd][s];
				if (u < acc) {
					b->status = (uint8_t)s;
					break;
				}
			}
			if (b->status != SIM_BS_OPEN) {
				b->version = 2 + sim_rng_below(&w->rng, 2);
				b->updated_at = det + (int64_t)sim_rng_below(&w->rng, 3600);
				if (b->updated_at > w->now)
					b->updated_at = w->now;
				if (sim_rng_chance(&w->rng, 0.7))
					b->assignee = strdup(sim_operators[sim_rng_below(&w->rng, (uint32_t)sim_noperators)]);
			}
			if (b->status == SIM_BS_RESOLVED || b->status == SIM_BS_WRITTEN_OFF) {
				struct sim_resolution *res = calloc(1, sizeof *res);
				if (!res)
					return -1;
				int auto_match = b->status == SIM_BS_RESOLVED && sim_rng_chance(&w->rng, 0.6);
				res->action = b->status == SIM_BS_WRITTEN_OFF ? SIM_RES_WRITE_OFF : auto_match ? SIM_RES_MATCH : SIM_RES_ADJUST;
				res->note = strdup(auto_match ? "自动勾对：次日文件补到" : b->status == SIM_BS_WRITTEN_OFF ? "差额低于核销阈值，按制度核销" : "手工调账，已复核");
				res->by = strdup(auto_match ? "system" : sim_operators[sim_rng_below(&w->rng, (uint32_t)sim_noperators)]);
				res->at = b->updated_at;
				b->res = res;
			}
		}
	}
	w->nbr = made;
	return 0;
}

static int64_t next_reset(int64_t now, int period)
{
	int32_t day = sim_cst_day(now);
	int y, m, d;
	sim_civil_from_days(day, &y, &m, &d);
	int64_t when;
	switch (period) {
	case SIM_PER_DAY: when = (int64_t)(day + 1) * 86400; break;
	case SIM_PER_MONTH: when = sim_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * 86400; break;
	case SIM_PER_YEAR: when = sim_days_from_civil(y + 1, 1, 1) * 86400; break;
	default: return 0;
	}
	return when - SIM_CST_OFFSET;
}

int64_t sim_limit_next_reset(int64_t now, int period)
{
	return next_reset(now, period);
}

static void limit_init(struct sim_world *w, struct sim_limit *l, int scope, const char *scope_id,
		       const char *name, int period, int64_t limit)
{
	static const char *const per_suffix[] = {"single", "day", "month", "year"};
	static const char *const scope_prefix[] = {"mer", "ch", "rsv"};
	sim_rng *r = &w->rng;
	snprintf(l->id, sizeof l->id, "lim_%s_%s_%s", scope_prefix[scope], scope_id, per_suffix[period]);
	snprintf(l->scope_id, sizeof l->scope_id, "%s", scope_id);
	l->scope = (uint8_t)scope;
	l->period = (uint8_t)period;
	l->name = name;
	l->limit_minor = limit;
	l->warn_at = sim_rng_chance(r, 0.8) ? 0.8 : 0.9;
	double u = sim_rng_unit(r), f;
	if (u < 0.05)
		f = 0;
	else if (u < 0.75)
		f = sim_rng_range(r, 0.05, 0.75);
	else if (u < 0.95)
		f = sim_rng_range(r, l->warn_at, 0.99);
	else
		f = sim_rng_range(r, 1.0, 1.08);
	l->used_minor = (int64_t)((double)limit * f);
	l->resets_at = next_reset(w->now, period);
	l->version = 1 + sim_rng_below(r, 20);
	l->updated_at = w->now - (int64_t)sim_rng_below(r, 7200);
	sim_limit_recompute(l);
}

static int gen_limits(struct sim_world *w, size_t n)
{
	w->lm = calloc(n ? n : 1, sizeof *w->lm);
	if (!w->lm)
		return -1;
	size_t i = 0;
	static const char *const rsv_day = "备付金额度 单日", *const rsv_month = "备付金额度 单月";
	for (int net = 0; net < SIM_NET_COUNT && i < n; net++) {
		limit_init(w, &w->lm[i++], SIM_SCOPE_RESERVE, sim_network_names[net], rsv_day, SIM_PER_DAY,
			   (int64_t)(net <= SIM_NET_NUCC ? 5e11 : 5e10));
		if ((net == SIM_NET_UNIONPAY || net == SIM_NET_NUCC) && i < n)
			limit_init(w, &w->lm[i++], SIM_SCOPE_RESERVE, sim_network_names[net], rsv_month, SIM_PER_MONTH, (int64_t)1e13);
	}
	for (size_t c = 0; c < w->nch && i < n; c++) {
		limit_init(w, &w->lm[i++], SIM_SCOPE_CHANNEL, w->ch[c].id, "通道单日交易限额", SIM_PER_DAY,
			   (int64_t)(w->ch[c].base_tps * 86400 * 60000));
		if (i < n)
			limit_init(w, &w->lm[i++], SIM_SCOPE_CHANNEL, w->ch[c].id, "通道单笔限额", SIM_PER_SINGLE,
				   w->ch[c].network == SIM_NET_CFS ? (int64_t)1e11 : 5000000);
	}
	static const char *const mer_names[] = {"单笔限额", "单日结算限额", "单月结算限额", "年度累计限额"};
	static const double mer_limit[] = {5e6, 5e7, 1e9, 1e10};
	for (size_t k = 0; i < n; k++) {
		char mid[32];
		uint64_t mer = k < w->ncs ? w->cs[k].merchant
					 : (uint64_t)sim_regions[k % sim_nregions].code * 1000000ULL + k % 1000000;
		snprintf(mid, sizeof mid, "mer_%012llu", (unsigned long long)mer);
		for (int p = 0; p < SIM_PER_COUNT && i < n; p++)
			limit_init(w, &w->lm[i++], SIM_SCOPE_MERCHANT, mid, mer_names[p], p,
				   (int64_t)(mer_limit[p] * sim_rng_range(&w->rng, 0.5, 2.0)) / 10000 * 10000);
	}
	w->nlm = i;
	qsort(w->lm, i, sizeof *w->lm, cmp_limit);
	/* identical merchant numbers from a small case set would collide: drop duplicates */
	size_t o = 0;
	for (size_t k = 0; k < w->nlm; k++)
		if (o == 0 || strcmp(w->lm[o - 1].id, w->lm[k].id) != 0)
			w->lm[o++] = w->lm[k];
	w->nlm = o;
	return 0;
}

static void gen_alerts(struct sim_world *w)
{
	long c = sim_find_channel(w, "bocd.direct.quickpay");
	size_t a;
	if (c >= 0) {
		a = sim_alert_fire(w, SIM_AS_WARNING, "成都银行 快捷支付 业务成功率下降",
				   "业务成功率 15 分钟内由 94% 降至 88%，主要为 51 余额不足与 05 不予承兑", "channel_id",
				   w->ch[c].id);
		w->al[a].starts_at = w->now - 25 * 60;
	}
	c = sim_find_channel(w, "cmbc.direct.payout");
	if (c >= 0) {
		a = sim_alert_fire(w, SIM_AS_INFO, "民生银行 代付 对账文件延迟到达",
				   "T-1 对账文件应于 06:00 前到达，当前未收到", "channel_id", w->ch[c].id);
		w->al[a].starts_at = w->now - 2 * 3600;
	}
	c = sim_find_channel(w, "nucc.quickpay");
	if (c >= 0) {
		a = sim_alert_fire(w, SIM_AS_CRITICAL, "网联 快捷支付 系统成功率跌破 99%",
				   "系统成功率 96.2%，p95 时延 1800 ms；已自动熔断并恢复", "channel_id", w->ch[c].id);
		w->al[a].starts_at = w->now - 5 * 3600;
		w->al[a].state = SIM_AL_RESOLVED;
		w->al[a].ends_at = w->now - 4 * 3600 - 1800;
		w->al[a].acked_by = strdup("op.zhang");
	}
	for (size_t i = 0; i < w->nlm; i++) {
		struct sim_limit *l = &w->lm[i];
		if (l->scope == SIM_SCOPE_RESERVE && l->state != SIM_LS_OK) {
			char title[160];
			snprintf(title, sizeof title, "备付金额度 %s %s", l->scope_id,
				 l->state == SIM_LS_BREACHED ? "已超限" : "使用率超过预警线");
			sim_alert_fire(w, l->state == SIM_LS_BREACHED ? SIM_AS_CRITICAL : SIM_AS_WARNING, title,
				       "额度不足时代付交易将被拒绝，请调拨备付金", "limit_id", l->id);
		}
	}
}

struct sim_world *sim_world_new(const struct sim_world_opts *o)
{
	struct sim_world *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	w->seed = o->seed;
	sim_rng_seed(&w->rng, o->seed);
	sim_rng_seed(&w->frng, o->seed ^ 0x5eedfa17ULL);
	w->now = w->start = o->now;
	w->approval_share = o->approval_share;
	w->approval_weight_pct = -1;
	w->approval_ttl_s = SIM_APPROVAL_TTL_S;
	w->last_hist_minute = w->now / 60;
	if (sim_events_init(&w->ev, o->event_buffer ? o->event_buffer : 10000) ||
	    sim_idem_init(&w->idem, 24 * 3600, 200000))
		goto fail;
	if (gen_channels(w, o->channels) || gen_routes(w) || gen_cases(w, o->cases) || gen_breaks(w, o->breaks) ||
	    gen_limits(w, o->limits))
		goto fail;
	gen_alerts(w);
	sim_seed_history(w);
	w->emit_events = 1;
	return w;
fail:
	sim_world_free(w);
	return NULL;
}

void sim_world_free(struct sim_world *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nrt; i++)
		free(w->rt[i].ov_reason);
	for (size_t i = 0; i < w->ncs; i++) {
		free(w->cs[i].merchant_name);
		free(w->cs[i].assignee);
	}
	for (size_t i = 0; i < w->nbr; i++) {
		free(w->br[i].assignee);
		if (w->br[i].res) {
			free(w->br[i].res->note);
			free(w->br[i].res->by);
			free(w->br[i].res->ref);
			free(w->br[i].res);
		}
	}
	for (size_t i = 0; i < w->nal; i++) {
		free(w->al[i].title);
		free(w->al[i].summary);
		free(w->al[i].label_key);
		free(w->al[i].label_value);
		free(w->al[i].acked_by);
	}
	sim_approvals_free(w);
	free(w->ch);
	free(w->rt);
	free(w->cs);
	free(w->br);
	free(w->lm);
	free(w->al);
	sim_events_free(&w->ev);
	sim_idem_free(&w->idem);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

/* ---- lookups ---- */

#define BSEARCH_BODY(count, idexpr)                                \
	size_t lo = 0, hi = (count);                               \
	while (lo < hi) {                                          \
		size_t mid = lo + (hi - lo) / 2;                   \
		int c = strcmp((idexpr), id);                      \
		if (c == 0)                                        \
			return (long)mid;                          \
		if (c < 0)                                         \
			lo = mid + 1;                              \
		else                                               \
			hi = mid;                                  \
	}                                                          \
	return -1;

long sim_find_channel(const struct sim_world *w, const char *id)
{
	BSEARCH_BODY(w->nch, w->ch[mid].id)
}
long sim_find_route(const struct sim_world *w, const char *id)
{
	BSEARCH_BODY(w->nrt, w->rt[mid].id)
}
long sim_find_limit(const struct sim_world *w, const char *id)
{
	BSEARCH_BODY(w->nlm, w->lm[mid].id)
}

void sim_case_id(const struct sim_case *c, char *out, size_t cap)
{
	snprintf(out, cap, "case_%06u", c->seq);
}
void sim_break_id(const struct sim_break *b, char *out, size_t cap)
{
	char d[16];
	sim_fmt_date_compact(b->date, d, sizeof d);
	snprintf(out, cap, "brk_%s_%06u", d, b->seq);
}
void sim_alert_id(const struct sim_alert *a, char *out, size_t cap)
{
	snprintf(out, cap, "alt_%06u", a->seq);
}

static const char *case_idx_id(const struct sim_world *w, size_t i, char *buf, size_t cap)
{
	sim_case_id(&w->cs[i], buf, cap);
	return buf;
}
static const char *break_idx_id(const struct sim_world *w, size_t i, char *buf, size_t cap)
{
	sim_break_id(&w->br[i], buf, cap);
	return buf;
}
static const char *alert_idx_id(const struct sim_world *w, size_t i, char *buf, size_t cap)
{
	sim_alert_id(&w->al[i], buf, cap);
	return buf;
}

long sim_find_case(const struct sim_world *w, const char *id)
{
	char buf[48];
	BSEARCH_BODY(w->ncs, case_idx_id(w, mid, buf, sizeof buf))
}
long sim_find_break(const struct sim_world *w, const char *id)
{
	char buf[48];
	BSEARCH_BODY(w->nbr, break_idx_id(w, mid, buf, sizeof buf))
}
long sim_find_alert(const struct sim_world *w, const char *id)
{
	char buf[48];
	BSEARCH_BODY(w->nal, alert_idx_id(w, mid, buf, sizeof buf))
}
