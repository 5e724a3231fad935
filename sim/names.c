/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/names.c - demo data that reads like a Chinese clearing platform */
#include "sim/names.h"
#include "sim/world.h"
#include <string.h>

const struct sim_bank sim_banks[] = {
	{"icbc", "工商银行", "bj"}, {"ccb", "建设银行", "bj"}, {"abc", "农业银行", "bj"},
	{"cmb", "招商银行", "sz"}, {"cmbc", "民生银行", "bj"}, {"hxb", "华夏银行", "bj"},
	{"psbc", "邮储银行", "bj"}, {"spdb", "浦发银行", "sh"}, {"cib", "兴业银行", "fz"},
	{"pab", "平安银行", "sz"}, {"bocd", "成都银行", "cd"}, {"xabank", "西安银行", "xa"},
	{"hbnx", "湖北农信", "wh"},
};
const size_t sim_nbanks = sizeof sim_banks / sizeof sim_banks[0];

const struct sim_region sim_regions[] = {
	{"成都市锦江区", 510104}, {"成都市武侯区", 510107}, {"西安市雁塔区", 610113},
	{"武汉市洪山区", 420111}, {"上海市浦东新区", 310115}, {"北京市朝阳区", 110105},
	{"深圳市南山区", 440305}, {"杭州市西湖区", 330106}, {"重庆市渝中区", 500103},
	{"广州市天河区", 440106},
};
const size_t sim_nregions = sizeof sim_regions / sizeof sim_regions[0];

static const char *const k_rest[] = {"老妈火锅店", "川味小馆", "兰州牛肉拉面馆", "烧烤城", "饺子馆", "茶餐厅"};
static const char *const k_super[] = {"便民超市", "生鲜超市", "平价超市", "百货超市"};
static const char *const k_hosp[] = {"人民医院", "中医医院", "妇幼保健院", "口腔医院"};
static const char *const k_school[] = {"第一中学食堂", "实验小学食堂", "职业技术学院第二食堂", "外国语学校"};
static const char *const k_park[] = {"智慧停车场", "地下停车场", "停车管理有限公司"};
static const char *const k_util[] = {"自来水有限公司", "燃气有限公司", "供电营业厅", "热力有限公司"};
static const char *const k_ins[] = {"人保财险营业部", "太平洋保险中心支公司", "平安财险支公司"};
static const char *const k_auto[] = {"汽车销售服务有限公司", "新能源汽车4S店"};
static const char *const k_logi[] = {"物流有限公司", "快递营业网点", "供应链管理有限公司"};
#define N(a) (sizeof a / sizeof a[0])
const struct sim_kind sim_kinds[] = {
	{"restaurant", "5812", 1, k_rest, N(k_rest)},
	{"supermarket", "5411", 1, k_super, N(k_super)},
	{"hospital", "8062", 0, k_hosp, N(k_hosp)},
	{"education", "8211", 0, k_school, N(k_school)},
	{"parking", "7523", 1, k_park, N(k_park)},
	{"utilities", "4900", 0, k_util, N(k_util)},
	{"insurance", "6300", 0, k_ins, N(k_ins)},
	{"auto_dealer", "5511", 1, k_auto, N(k_auto)},
	{"logistics", "4215", 1, k_logi, N(k_logi)},
};
const size_t sim_nkinds = N(sim_kinds);

const char *const sim_shop_prefixes[] = {"老张", "蜀香", "福满楼", "鑫源", "华联", "金牛",
					 "顺达", "宏图", "家和", "同仁", "锦城", "长安"};
const size_t sim_nshop_prefixes = N(sim_shop_prefixes);

const struct sim_errcode sim_errcodes[] = {
	{"05", "不予承兑"}, {"51", "余额不足"}, {"91", "发卡行不可用"},
	{"96", "系统故障"}, {"61", "超出金额限制"}, {"55", "密码错误"}, {"14", "无效卡号"},
};
const size_t sim_nerrcodes = N(sim_errcodes);

const char *const sim_check_names[] = {"license_ocr", "business_registration", "blacklist",
				       "risk_rating", "account_micro_deposit"};
const size_t sim_ncheck_names = N(sim_check_names);

const char *sim_check_detail(int check, int result)
{
	static const char *const warn[] = {"营业执照照片模糊，有效期字段置信度低", "经营范围与 MCC 不一致",
					   "法人姓名近似命中风险名单", "风险评分偏高", "小额打款金额回填错误一次"};
	static const char *const fail[] = {"营业执照已过期", "工商登记状态：吊销", "命中行业黑名单",
					   "高风险行业且交易异常", "结算账户户名与营业执照不一致"};
	if (check < 0 || (size_t)check >= N(warn))
		return "";
	if (result == SIM_CHK_WARN)
		return warn[check];
	if (result == SIM_CHK_FAIL)
		return fail[check];
	return "";
}

const char *const sim_operators[] = {"op.zhang", "op.li", "op.wang", "op.chen"};
const size_t sim_noperators = N(sim_operators);

const char *sim_operator_display(const char *id)
{
	static const struct { const char *id, *name; } known[] = {
		{"op.zhang", "张伟"}, {"op.li", "李娜"}, {"op.wang", "王芳"},
		{"op.chen", "陈明"}, {"op.demo", "演示操作员"},
	};
	for (size_t i = 0; i < N(known); i++)
		if (strcmp(known[i].id, id) == 0)
			return known[i].name;
	return id;
}
