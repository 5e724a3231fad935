/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/decode/samples.h: the contract's own examples (platform-api.md),
 * shared by the decoder tests. */
#ifndef PAYOPS_TESTS_DECODE_SAMPLES_H
#define PAYOPS_TESTS_DECODE_SAMPLES_H

#define SAMPLE_CHANNEL \
	"{\"id\": \"icbc.direct.quickpay\", \"name\": \"工商银行 快捷支付\"," \
	" \"network\": \"bank_direct\", \"link_id\": \"icbc-bj-01\"," \
	" \"admin_state\": \"enabled\", \"health\": \"healthy\"," \
	" \"breaker\": \"closed\", \"window_s\": 60, \"tps\": 123.4," \
	" \"system_success_rate\": 0.9992, \"business_success_rate\": 0.941," \
	" \"latency_ms\": {\"p50\": 85, \"p95\": 210, \"p99\": 480}," \
	" \"traffic_share\": 0.18," \
	" \"top_errors\": [{\"code\": \"96\", \"message\": \"系统故障\", \"count\": 12}]," \
	" \"interfaces\": [{\"name\": \"pay\", \"admin_state\": \"enabled\"}," \
	"   {\"name\": \"refund\", \"admin_state\": \"disabled\"}]," \
	" \"maintenance\": null, \"version\": 17," \
	" \"updated_at\": \"2026-11-21T08:15:00Z\", \"updated_by\": \"op.zhang\"}"

#define SAMPLE_ROUTE \
	"{\"id\": \"qr.cny.domestic\", \"name\": \"二维码收单 境内\"," \
	" \"strategy\": \"weighted\"," \
	" \"members\": [{\"channel_id\": \"unionpay.qr\", \"weight_pct\": 60, \"eligible\": true}," \
	"   {\"channel_id\": \"nucc.qr\", \"weight_pct\": 40, \"eligible\": true}]," \
	" \"override\": null, \"version\": 4}"

#define SAMPLE_CASE \
	"{\"id\": \"case_000123\", \"merchant_id\": \"mer_510104000123\"," \
	" \"merchant_name\": \"成都市锦江区老妈火锅店\", \"mcc\": \"5812\"," \
	" \"category\": \"restaurant\", \"channel_requested\": \"unionpay.qr\"," \
	" \"source\": \"agent_app\", \"stage\": \"manual_review\"," \
	" \"risk_level\": \"medium\", \"risk_score\": 57," \
	" \"checks\": [{\"name\": \"license_ocr\", \"result\": \"pass\", \"detail\": \"\"}," \
	"   {\"name\": \"blacklist\", \"result\": \"pass\", \"detail\": \"\"}," \
	"   {\"name\": \"account_micro_deposit\", \"result\": \"pending\", \"detail\": \"\"}]," \
	" \"submitted_at\": \"2026-11-21T02:00:00Z\"," \
	" \"sla_due_at\": \"2026-11-22T02:00:00Z\", \"assignee\": null, \"version\": 3}"

#define SAMPLE_BREAK \
	"{\"id\": \"brk_20261121_000451\", \"recon_date\": \"2026-11-21\"," \
	" \"channel_id\": \"unionpay.qr\", \"merchant_id\": \"mer_510104000123\"," \
	" \"order_no\": \"P2026112100004512\", \"channel_serial\": \"UP88210045121\"," \
	" \"type\": \"amount_mismatch\", \"platform_amount_minor\": 12800," \
	" \"channel_amount_minor\": 12600, \"difference_minor\": -200," \
	" \"currency\": \"CNY\", \"detected_at\": \"2026-11-21T03:10:00Z\"," \
	" \"severity\": \"medium\", \"status\": \"open\", \"assignee\": null," \
	" \"resolution\": null, \"version\": 1," \
	" \"updated_at\": \"2026-11-21T03:10:00Z\"}"

#define SAMPLE_SUMMARY \
	"{\"date\": \"2026-11-21\", \"channels\": [" \
	" {\"channel_id\": \"unionpay.qr\", \"file_status\": \"parsed\"," \
	"  \"matched_count\": 120345, \"break_count\": 7, \"open_count\": 5," \
	"  \"net_difference_minor\": -200, \"currency\": \"CNY\"}," \
	" {\"channel_id\": \"nucc.qr\", \"file_status\": \"late\"," \
	"  \"matched_count\": 0, \"break_count\": 0, \"open_count\": 0," \
	"  \"net_difference_minor\": 0, \"currency\": \"CNY\"}]}"

#define SAMPLE_LIMIT \
	"{\"id\": \"lim_mer_510104000123_day\", \"scope\": \"merchant\"," \
	" \"scope_id\": \"mer_510104000123\", \"name\": \"单日结算限额\"," \
	" \"period\": \"day\", \"limit_minor\": 50000000, \"used_minor\": 41230000," \
	" \"currency\": \"CNY\", \"warn_at\": 0.8, \"state\": \"warning\"," \
	" \"resets_at\": \"2026-11-21T16:00:00Z\", \"version\": 9}"

#define SAMPLE_ALERT \
	"{\"id\": \"alr_1\", \"fingerprint\": \"9f3c2a\", \"severity\": \"critical\"," \
	" \"state\": \"firing\", \"title\": \"通道成功率下降\"," \
	" \"summary\": \"icbc.direct.quickpay system success rate 91%\"," \
	" \"labels\": {\"channel_id\": \"icbc.direct.quickpay\"}," \
	" \"starts_at\": \"2026-11-21T08:10:00Z\", \"ends_at\": null," \
	" \"acked_by\": null, \"source\": \"platform\"}"

#define SAMPLE_STATUS \
	"{\"site\": \"bj\", \"platform_version\": \"3.2.1\"," \
	" \"server_time\": \"2026-11-21T08:15:00Z\", \"stream_seq\": 10452}"

#define SAMPLE_ME \
	"{\"operator_id\": \"op.zhang\", \"display_name\": \"张伟\"," \
	" \"scopes\": [\"read\", \"channels:write\", \"recon:write\", \"future:scope\"]}"

#define SAMPLE_HISTORY \
	"{\"channel_id\": \"icbc.direct.quickpay\", \"step_s\": 60, \"points\": [" \
	" {\"t\": \"2026-11-21T08:13:00Z\", \"tps\": 120.0, \"system_success_rate\": 0.999," \
	"  \"business_success_rate\": 0.94, \"latency_p95_ms\": 200}," \
	" {\"t\": \"2026-11-21T08:14:00Z\", \"tps\": 123.4, \"system_success_rate\": 0.9992," \
	"  \"business_success_rate\": 0.941, \"latency_p95_ms\": 210}]}"

#define SAMPLE_AM_ALERT \
	"{\"labels\": {\"alertname\": \"ChannelDown\", \"severity\": \"critical\"," \
	"  \"channel_id\": \"nucc.qr\"}," \
	" \"annotations\": {\"summary\": \"nucc.qr is down\"," \
	"  \"description\": \"no successful payment for 5m\"}," \
	" \"startsAt\": \"2026-11-21T08:00:00.123Z\"," \
	" \"endsAt\": \"2026-11-21T08:20:00.123Z\"," \
	" \"updatedAt\": \"2026-11-21T08:15:00.000Z\"," \
	" \"fingerprint\": \"4f1e0c2b9a7d3e21\", \"receivers\": [{\"name\": \"ops\"}]," \
	" \"status\": {\"state\": \"active\", \"silencedBy\": [], \"inhibitedBy\": []}," \
	" \"generatorURL\": \"http://prometheus/graph\"}"

#endif
