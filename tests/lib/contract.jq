# tests/lib/contract.jq - the shapes and enums of the platform API contract
# (platform-api.md) as jq checks. Each KIND_errors filter takes one object and
# emits one string per violation (nothing when the object conforms).
# Use: jq -L tests/lib 'include "contract"; .data[] | channel_errors'

def is_str: type == "string";
def is_nestr: type == "string" and length > 0;
def is_int: type == "number" and . == floor;
def is_nat: is_int and . >= 0;
def is_num: type == "number";
def is_rate: type == "number" and . >= 0 and . <= 1;
def is_bool: type == "boolean";
def is_rfc3339:
  type == "string" and
  test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$");
def is_date: type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
def is_currency: type == "string" and test("^[A-Z]{3}$");
def oneof($set): . as $v | any($set[]; . == $v);
def nullor(f): . == null or f;

# Emit NAME when the check on the input fails (or errors out).
def need(name; cond): if (try cond catch false) then empty else name end;

def lbl($kind): (if type == "object" then (.id // .channel_id // "?") else "?" end) as $id
  | "\($kind) \($id)";

def channel_networks: ["unionpay", "nucc", "bank_direct", "wallet", "cfs", "shclearing", "cross_border"];
def admin_states: ["enabled", "disabled", "draining", "quarantined"];
def healths: ["healthy", "degraded", "down", "unknown"];
def breakers: ["closed", "open", "half_open", "forced_open"];
def strategies: ["weighted", "priority", "success_rate"];
def stages: ["submitted", "doc_check", "risk_check", "manual_review", "intent_confirm", "approved", "rejected", "returned"];
def sources: ["agent_app", "api", "branch", "batch"];
def risk_levels: ["low", "medium", "high"];
def check_results: ["pass", "warn", "fail", "pending"];
def break_types: ["long", "short", "missing_platform", "missing_channel", "amount_mismatch", "refund_no_final", "returned", "fund_mismatch"];
def severities3: ["low", "medium", "high"];
def break_statuses: ["open", "investigating", "escalated", "resolved", "written_off"];
def file_statuses: ["received", "late", "missing", "parsed"];
def limit_scopes: ["merchant", "channel", "reserve"];
def periods: ["single", "day", "month", "year"];
def limit_states: ["ok", "warning", "breached"];
def alert_severities: ["critical", "warning", "info"];
def alert_states: ["firing", "resolved"];
def all_scopes: ["read", "channels:write", "routing:write", "onboarding:write", "recon:write", "limits:write", "alerts:write"];

def channel_errors:
  lbl("channel") as $l
  | if type != "object" then "\($l): not an object" else
    (need("id"; .id | is_nestr),
     need("name"; .name | is_str),
     need("network enum"; .network | oneof(channel_networks)),
     need("link_id"; .link_id | is_nestr),
     need("admin_state enum"; .admin_state | oneof(admin_states)),
     need("health enum"; .health | oneof(healths)),
     need("breaker enum"; .breaker | oneof(breakers)),
     need("window_s"; .window_s | is_int and . > 0),
     need("tps"; .tps | is_num and . >= 0),
     need("system_success_rate"; .system_success_rate | is_rate),
     need("business_success_rate"; .business_success_rate | is_rate),
     need("business_success_rate <= system_success_rate";
          .business_success_rate <= .system_success_rate + 1e-9),
     need("latency_ms p50/p95/p99"; .latency_ms | (.p50 | is_num) and (.p95 | is_num) and (.p99 | is_num)),
     need("latency_ms p50 <= p95 <= p99"; .latency_ms | .p50 <= .p95 and .p95 <= .p99),
     need("traffic_share"; .traffic_share | is_rate),
     need("top_errors"; .top_errors | type == "array"
          and all(.[]; (.code | is_str) and (.message | is_str) and (.count | is_nat))),
     need("interfaces"; .interfaces | type == "array"
          and all(.[]; (.name | is_nestr) and (.admin_state | oneof(admin_states)))),
     need("maintenance"; .maintenance | nullor((.starts_at | is_rfc3339)
          and (.ends_at | is_rfc3339) and (.note | is_str))),
     need("version"; .version | is_nat),
     need("updated_at"; .updated_at | is_rfc3339),
     need("updated_by"; .updated_by | nullor(is_str))
    ) | "\($l): \(.)" end;

def route_errors:
  lbl("route") as $l
  | if type != "object" then "\($l): not an object" else
    (need("id"; .id | is_nestr),
     need("name"; .name | is_str),
     need("strategy enum"; .strategy | oneof(strategies)),
     need("members"; .members | type == "array" and length > 0
          and all(.[]; (.channel_id | is_nestr) and (.weight_pct | is_int and . >= 0 and . <= 100)
                        and (.eligible | is_bool))),
     need("weights sum to 100 while a member is eligible";
          if any(.members[]; .eligible) then ([.members[].weight_pct] | add) == 100 else true end),
     need("ineligible members carry no weight"; all(.members[]; .eligible or .weight_pct == 0)),
     need("override"; .override | nullor((.set_by | is_str) and (.reason | is_str)
          and (.ticket | nullor(is_str)) and (.expires_at | nullor(is_rfc3339)))),
     need("version"; .version | is_nat)
    ) | "\($l): \(.)" end;

def case_errors:
  lbl("case") as $l
  | if type != "object" then "\($l): not an object" else
    (need("id"; .id | is_nestr),
     need("merchant_id"; .merchant_id | is_nestr),
     need("merchant_name"; .merchant_name | is_str),
     need("mcc"; .mcc | is_str and test("^[0-9]{4}$")),
     need("category"; .category | is_str),
     need("channel_requested"; .channel_requested | is_str),
     need("source enum"; .source | oneof(sources)),
     need("stage enum"; .stage | oneof(stages)),
     need("risk_level enum"; .risk_level | oneof(risk_levels)),
     need("risk_score"; .risk_score | is_num),
     need("checks"; .checks | type == "array"
          and all(.[]; (.name | is_nestr) and (.result | oneof(check_results)) and (.detail | is_str))),
     need("submitted_at"; .submitted_at | is_rfc3339),
     need("sla_due_at"; .sla_due_at | is_rfc3339),
     need("assignee"; .assignee | nullor(is_str)),
     need("version"; .version | is_nat)
    ) | "\($l): \(.)" end;

def break_errors:
  lbl("break") as $l
  | if type != "object" then "\($l): not an object" else
    (need("id"; .id | is_nestr),
     need("recon_date"; .recon_date | is_date),
     need("channel_id"; .channel_id | is_nestr),
     need("merchant_id"; .merchant_id | nullor(is_str)),
     need("order_no"; .order_no | nullor(is_str)),
     need("channel_serial"; .channel_serial | nullor(is_str)),
     need("type enum"; .type | oneof(break_types)),
     need("platform_amount_minor"; .platform_amount_minor | nullor(is_int)),
     need("channel_amount_minor"; .channel_amount_minor | nullor(is_int)),
     need("difference_minor = channel - platform";
          .difference_minor == ((.channel_amount_minor // 0) - (.platform_amount_minor // 0))),
     need("long: channel holds more"; .type != "long" or .difference_minor > 0),
     need("short: channel holds less"; .type != "short" or .difference_minor < 0),
     need("missing_platform: no platform amount"; .type != "missing_platform" or (.platform_amount_minor // 0) == 0),
     need("missing_channel: no channel amount"; .type != "missing_channel" or (.channel_amount_minor // 0) == 0),
     need("currency"; .currency | is_currency),
     need("detected_at"; .detected_at | is_rfc3339),
     need("severity enum"; .severity | oneof(severities3)),
     need("status enum"; .status | oneof(break_statuses)),
     need("assignee"; .assignee | nullor(is_str)),
     need("resolution"; .resolution | nullor((.action | is_str) and (.note | nullor(is_str))
          and (.by | is_str) and (.at | is_rfc3339))),
     need("version"; .version | is_nat),
     need("updated_at"; .updated_at | is_rfc3339)
    ) | "\($l): \(.)" end;

def limit_errors:
  lbl("limit") as $l
  | if type != "object" then "\($l): not an object" else
    (need("id"; .id | is_nestr),
     need("scope enum"; .scope | oneof(limit_scopes)),
     need("scope_id"; .scope_id | is_nestr),
     need("name"; .name | is_str),
     need("period enum"; .period | oneof(periods)),
     need("limit_minor"; .limit_minor | is_int and . > 0),
     need("used_minor"; .used_minor | is_nat),
     need("currency"; .currency | is_currency),
     need("warn_at"; .warn_at | is_rate),
     need("state enum"; .state | oneof(limit_states)),
     # warning means used >= warn_at x limit; one minor unit of slack for rounding
     need("state agrees with used/limit/warn_at";
          (.warn_at * .limit_minor) as $w
          | if .state == "ok" then .used_minor < $w + 1
            elif .state == "warning" then .used_minor >= $w - 1
            else .used_minor >= .limit_minor - 1 end),
     need("resets_at"; .resets_at | nullor(is_rfc3339)),
     need("version"; .version | is_nat)
    ) | "\($l): \(.)" end;

def alert_errors:
  lbl("alert") as $l
  | if type != "object" then "\($l): not an object" else
    (need("id"; .id | is_nestr),
     need("fingerprint"; .fingerprint | is_nestr),
     need("severity enum"; .severity | oneof(alert_severities)),
     need("state enum"; .state | oneof(alert_states)),
     need("title"; .title | is_str),
     need("summary"; .summary | is_str),
     need("labels"; .labels | type == "object"),
     need("starts_at"; .starts_at | is_rfc3339),
     need("ends_at"; .ends_at | nullor(is_rfc3339)),
     need("resolved alerts have ends_at"; .state != "resolved" or (.ends_at | is_rfc3339)),
     need("acked_by"; .acked_by | nullor(is_str)),
     need("source"; .source == "platform")
    ) | "\($l): \(.)" end;

def summary_errors:
  "recon summary" as $l
  | if type != "object" then "\($l): not an object" else
    (need("date"; .date | is_date),
     need("channels"; .channels | type == "array"),
     (.channels[]? | lbl("summary channel") as $c
      | (need("channel_id"; .channel_id | is_nestr),
         need("file_status enum"; .file_status | oneof(file_statuses)),
         need("matched_count"; .matched_count | is_nat),
         need("break_count"; .break_count | is_nat),
         need("open_count"; .open_count | is_nat),
         need("open_count <= break_count"; .open_count <= .break_count),
         need("net_difference_minor"; .net_difference_minor | is_int),
         need("currency"; .currency | is_currency)) | "\($c) \(.)")
    ) | "\($l): \(.)" end;

def status_errors:
  (need("site"; .site | is_nestr),
   need("platform_version"; .platform_version | is_nestr),
   need("server_time"; .server_time | is_rfc3339),
   need("stream_seq"; .stream_seq | is_nat)) | "status: \(.)";

def me_errors:
  (need("operator_id"; .operator_id | is_nestr),
   need("display_name"; .display_name | is_str),
   need("scopes"; .scopes | type == "array" and all(.[]; oneof(all_scopes)))) | "me: \(.)";

def history_errors:
  (need("channel_id"; .channel_id | is_nestr),
   need("step_s is 60"; .step_s == 60),
   need("points"; .points | type == "array" and length > 0),
   need("point fields"; all(.points[]; (.t | is_rfc3339) and (.tps | is_num)
        and (.system_success_rate | is_rate) and (.business_success_rate | is_rate)
        and (.latency_p95_ms | is_num))),
   need("oldest first, 60 s apart"; [.points[].t | sub("\\.[0-9]+"; "") | fromdateiso8601]
        | . as $ts | all(range(1; length); $ts[.] - $ts[. - 1] == 60))) | "history: \(.)";

def list_errors:
  (need("list object"; type == "object"),
   need("data array"; .data | type == "array"),
   need("next_cursor string or null"; .next_cursor | nullor(is_nestr))) | "list: \(.)";
