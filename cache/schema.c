/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/schema.c: the schema as ordered migrations.
 *
 * Version N is reached by running migrations 1..N in order, each in its own
 * transaction together with the schema_version update, so a file is always
 * at exactly one version. Never edit a migration that has shipped: add the
 * next one (and a test that opens a file of every older version). */
#include "cache/cache_int.h"

/* v1: the tables. Objects keep their JSON text plus the columns the panes
 * filter and sort on; `walk` is the mark-and-sweep mark of the last full
 * walk that saw the row (deletions); enums are stored as the api enum
 * values so they sort in display order. */
static const char v1[] =
	"CREATE TABLE sync_state ("
	" coll TEXT PRIMARY KEY,"
	" fetched_at INTEGER NOT NULL DEFAULT 0,"
	" high_water INTEGER NOT NULL DEFAULT 0,"
	" full_at INTEGER NOT NULL DEFAULT 0,"
	" cursor TEXT NOT NULL DEFAULT '',"
	" walk INTEGER NOT NULL DEFAULT 0,"
	" walk_start INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE channels (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
	"CREATE TABLE routes (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
	"CREATE TABLE alerts (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
	"CREATE TABLE cases (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
	" stage INTEGER NOT NULL, risk_level INTEGER NOT NULL,"
	" risk_score INTEGER NOT NULL, assignee TEXT,"
	" sla_due_at INTEGER NOT NULL, submitted_at INTEGER NOT NULL,"
	" merchant_id TEXT NOT NULL, merchant_name TEXT NOT NULL,"
	" json TEXT NOT NULL);"
	"CREATE TABLE breaks (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
	" recon_date TEXT NOT NULL, channel_id TEXT NOT NULL,"
	" type INTEGER NOT NULL, status INTEGER NOT NULL,"
	" severity INTEGER NOT NULL, difference_minor INTEGER NOT NULL,"
	" detected_at INTEGER NOT NULL, merchant_id TEXT NOT NULL,"
	" order_no TEXT NOT NULL, channel_serial TEXT NOT NULL,"
	" assignee TEXT, json TEXT NOT NULL);"
	"CREATE TABLE limits (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
	" scope INTEGER NOT NULL, state INTEGER NOT NULL,"
	" scope_id TEXT NOT NULL, name TEXT NOT NULL,"
	" limit_minor INTEGER NOT NULL, used_minor INTEGER NOT NULL,"
	" headroom INTEGER NOT NULL, json TEXT NOT NULL);"
	"CREATE TABLE summaries (date TEXT PRIMARY KEY,"
	" fetched_at INTEGER NOT NULL, json TEXT NOT NULL);";

/* v2: the indexes the panes need at a million breaks, and the absolute
 * difference as a column so "minimum absolute difference" and "largest
 * first" use an index instead of computing abs() over every row. The
 * status index carries difference_minor so count-and-sum by status never
 * reads the table. */
static const char v2[] =
	"ALTER TABLE breaks ADD COLUMN abs_difference INTEGER NOT NULL DEFAULT 0;"
	"UPDATE breaks SET abs_difference = abs(difference_minor);"
	"CREATE INDEX breaks_recon_date ON breaks (recon_date, channel_id, status, difference_minor);"
	"CREATE INDEX breaks_channel ON breaks (channel_id, status, difference_minor);"
	"CREATE INDEX breaks_type ON breaks (type);"
	"CREATE INDEX breaks_status ON breaks (status, difference_minor);"
	"CREATE INDEX breaks_severity ON breaks (severity, detected_at);"
	"CREATE INDEX breaks_abs_difference ON breaks (abs_difference);"
	"CREATE INDEX breaks_detected ON breaks (detected_at);"
	"CREATE INDEX cases_stage ON cases (stage, sla_due_at);"
	"CREATE INDEX cases_risk ON cases (risk_level, sla_due_at);"
	"CREATE INDEX cases_assignee ON cases (assignee);"
	"CREATE INDEX cases_sla ON cases (sla_due_at);"
	"CREATE INDEX limits_scope ON limits (scope, headroom);"
	"CREATE INDEX limits_state ON limits (state, headroom);"
	"CREATE INDEX limits_headroom ON limits (headroom);";

/* v3: measured at a million breaks, a status filter sorted by |difference|
 * or by age read 400k rows into a temporary sort; indexes that serve the
 * filter and the order together answer from the first 50 entries. */
static const char v3[] =
	"CREATE INDEX breaks_status_abs ON breaks (status, abs_difference);"
	"CREATE INDEX breaks_status_detected ON breaks (status, detected_at);"
	"CREATE INDEX breaks_type_detected ON breaks (type, detected_at);"
	"CREATE INDEX breaks_channel_detected ON breaks (channel_id, detected_at);";

/* The breaks' aggregate by day, type, status, severity and size bucket,
 * kept by triggers: a row's OLD values taken out (the group gone when
 * empty), its NEW values added. */
#define BREAKS_AGG_REMOVE_OLD \
	" UPDATE breaks_agg SET n = n - 1, sum_difference = sum_difference - OLD.difference_minor" \
	"  WHERE recon_date = OLD.recon_date AND type = OLD.type AND status = OLD.status" \
	"  AND severity = OLD.severity AND bucket = length(OLD.abs_difference) * 10 + CAST(substr(OLD.abs_difference, 1, 1) AS INTEGER);" \
	" DELETE FROM breaks_agg WHERE recon_date = OLD.recon_date AND type = OLD.type" \
	"  AND status = OLD.status AND severity = OLD.severity" \
	"  AND bucket = length(OLD.abs_difference) * 10 + CAST(substr(OLD.abs_difference, 1, 1) AS INTEGER) AND n <= 0;"
#define BREAKS_AGG_ADD_NEW \
	" INSERT INTO breaks_agg VALUES (NEW.recon_date, NEW.type, NEW.status," \
	"  NEW.severity, length(NEW.abs_difference) * 10 + CAST(substr(NEW.abs_difference, 1, 1) AS INTEGER), 1, NEW.difference_minor)" \
	"  ON CONFLICT DO UPDATE SET n = n + 1," \
	"  sum_difference = sum_difference + excluded.sum_difference;"

/* v4: a million breaks, measured. The breaks table is rebuilt without the
 * columns nothing queries (updated_at; merchant_id, order_no,
 * channel_serial and assignee live on in the JSON and in one `search`
 * column the text filter reads, the fields joined by U+001F so a pattern
 * cannot match across two of them). Wide covering indexes gave way to
 * narrow ones that serve a sort (a page of 50 stops early) plus the
 * channel and date ones a selective filter needs; counts and summed
 * differences come from breaks_agg, a summary per (recon_date, type,
 * status, severity, bucket of |difference|) kept in step by triggers
 * inside the same transactions, so "all", "open" or "high severity, at
 * least 100.00" add up a few thousand rows, not a million. The bucket
 * is 10 x the number of digits + the leading digit (0 -> 10, 7 -> 17,
 * 15000 -> 51): it grows with the value, so "at least X" is every bucket
 * above X's plus, unless X is a leading digit and zeros, the rows of X's
 * own bucket. */
static const char v4[] =
	"CREATE TABLE breaks_v4 (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, recon_date TEXT NOT NULL,"
	" channel_id TEXT NOT NULL, type INTEGER NOT NULL, status INTEGER NOT NULL,"
	" severity INTEGER NOT NULL, difference_minor INTEGER NOT NULL,"
	" abs_difference INTEGER NOT NULL, detected_at INTEGER NOT NULL,"
	" search TEXT NOT NULL, json TEXT NOT NULL);"
	"INSERT INTO breaks_v4 (id, version, walk, recon_date, channel_id, type, status,"
	" severity, difference_minor, abs_difference, detected_at, search, json)"
	" SELECT id, version, walk, recon_date, channel_id, type, status, severity,"
	" difference_minor, abs_difference, detected_at,"
	" id || char(31) || merchant_id || char(31) || order_no || char(31) ||"
	" channel_serial || char(31) || coalesce(assignee, ''), json FROM breaks;"
	"DROP TABLE breaks;"
	"ALTER TABLE breaks_v4 RENAME TO breaks;"
	"CREATE INDEX breaks_detected ON breaks (detected_at);"
	"CREATE INDEX breaks_abs_difference ON breaks (abs_difference);"
	"CREATE INDEX breaks_severity ON breaks (severity, detected_at);"
	"CREATE INDEX breaks_status ON breaks (status, detected_at);"
	"CREATE INDEX breaks_status_abs ON breaks (status, abs_difference);"
	"CREATE INDEX breaks_type ON breaks (type, detected_at);"
	"CREATE INDEX breaks_channel ON breaks (channel_id, detected_at);"
	"CREATE INDEX breaks_recon_date ON breaks (recon_date, channel_id, status, difference_minor);"
	"CREATE INDEX breaks_search ON breaks (search, difference_minor);"
	"CREATE TABLE breaks_agg (recon_date TEXT NOT NULL, type INTEGER NOT NULL,"
	" status INTEGER NOT NULL, severity INTEGER NOT NULL, bucket INTEGER NOT NULL,"
	" n INTEGER NOT NULL, sum_difference INTEGER NOT NULL,"
	" PRIMARY KEY (recon_date, type, status, severity, bucket)) WITHOUT ROWID;"
	"INSERT INTO breaks_agg SELECT recon_date, type, status, severity,"
	" length(abs_difference) * 10 + CAST(substr(abs_difference, 1, 1) AS INTEGER),"
	" count(*), sum(difference_minor) FROM breaks"
	" GROUP BY 1, 2, 3, 4, 5;"
	"CREATE TRIGGER breaks_agg_insert AFTER INSERT ON breaks BEGIN"
	BREAKS_AGG_ADD_NEW
	" END;"
	"CREATE TRIGGER breaks_agg_delete AFTER DELETE ON breaks BEGIN"
	BREAKS_AGG_REMOVE_OLD
	" END;"
	"CREATE TRIGGER breaks_agg_update AFTER UPDATE OF recon_date, type, status, severity,"
	" difference_minor, abs_difference ON breaks"
	" WHEN OLD.recon_date <> NEW.recon_date OR OLD.type <> NEW.type"
	"  OR OLD.status <> NEW.status OR OLD.severity <> NEW.severity"
	"  OR OLD.difference_minor <> NEW.difference_minor BEGIN"
	BREAKS_AGG_REMOVE_OLD
	BREAKS_AGG_ADD_NEW
	" END;"
	"CREATE TABLE bulk_saved (coll TEXT NOT NULL, name TEXT NOT NULL, sql TEXT NOT NULL,"
	" PRIMARY KEY (coll, name));"
	"CREATE INDEX cases_submitted ON cases (submitted_at);"
	"CREATE INDEX limits_utilisation ON limits ((CASE WHEN limit_minor > 0 THEN"
	" used_minor * 1.0 / limit_minor ELSE 0 END));"
	"ANALYZE;";

/* v5: every sort served by one index in its own direction. An index's
 * entries end with the rowid, so the tie-breaker is the rowid, in the
 * direction of the sort's last key: ORDER BY status, detected_at DESC
 * needs an index declared (status, detected_at DESC), or SQLite sorts the
 * whole table to find the first 50 rows (measured: 2 to 9 s at a million). */
static const char v5[] =
	"DROP INDEX IF EXISTS breaks_status;"
	"CREATE INDEX IF NOT EXISTS breaks_status ON breaks (status, detected_at DESC);"
	"DROP INDEX IF EXISTS breaks_channel;"
	"CREATE INDEX IF NOT EXISTS breaks_channel ON breaks (channel_id, detected_at DESC);"
	"CREATE INDEX IF NOT EXISTS breaks_date_detected ON breaks (recon_date, detected_at);"
	/* "at least X" counts the rest of X's summary bucket from here, and
	 * the filter columns make that an index-only read */
	"DROP INDEX IF EXISTS breaks_abs_difference;"
	"CREATE INDEX IF NOT EXISTS breaks_abs_difference ON breaks (abs_difference,"
	" difference_minor, status, type, severity, recon_date);"
	"DROP INDEX IF EXISTS cases_risk;"
	"CREATE INDEX IF NOT EXISTS cases_risk ON cases (risk_level DESC, sla_due_at);"
	"DROP INDEX IF EXISTS limits_state;"
	"CREATE INDEX IF NOT EXISTS limits_state ON limits (state DESC, headroom);"
	"ANALYZE;";

/* v6: text search through trigram indexes, and the indexes measured
 * missing at a million breaks.
 *
 * "search LIKE '%x%'" read every row: 4.2 s for a page of breaks. An
 * FTS5 table with the trigram tokenizer per collection, over its `search`
 * text (breaks keep one; cases and limits get it as a virtual generated
 * column), finds rows that hold a few of x's trigrams, and the LIKE keeps
 * the matches (cache/query_text.c). detail=none and columnsize=0 keep the
 * index small (about 50 MB at a million breaks); they rule out phrase
 * queries and ranking, which the filter does not use: it asks for single
 * trigrams. External content: the text lives once, in the table, and
 * triggers keep the index in step.
 *
 * Building all that over a million rows takes seconds, so this migration
 * does not: it creates the empty full-text tables and records the new
 * indexes and the triggers in bulk_saved, as a bulk load does, and the
 * build (cache/build.c, on its own thread) creates them, fills the
 * full-text index from the rows and starts the triggers. Until it has,
 * queries do without (cache_bulk_active). An empty table is built at
 * once when the file is opened (cache_bulk_settle). */
#define FTS_TABLE(t)                                                           \
	"CREATE VIRTUAL TABLE " t "_fts USING fts5(search, content='" t "',"    \
	" content_rowid='rowid', tokenize='trigram', detail='none',"            \
	" columnsize=0);"
/* a definition for the build (quotes inside doubled: it is a literal) */
#define SAVED(t, name, sql)                                                    \
	"INSERT OR REPLACE INTO bulk_saved (coll, name, sql)"                   \
	" VALUES ('" t "', '" name "', '" sql "');"
#define FTS_TRIGGERS(t, cols)                                                  \
	SAVED(t, t "_fts_insert", "CREATE TRIGGER " t "_fts_insert AFTER INSERT" \
	      " ON " t " BEGIN INSERT INTO " t "_fts (rowid, search)"           \
	      " VALUES (NEW.rowid, NEW.search); END")                           \
	SAVED(t, t "_fts_delete", "CREATE TRIGGER " t "_fts_delete AFTER DELETE" \
	      " ON " t " BEGIN INSERT INTO " t "_fts (" t "_fts, rowid, search)" \
	      " VALUES (''delete'', OLD.rowid, OLD.search); END")               \
	SAVED(t, t "_fts_update", "CREATE TRIGGER " t "_fts_update AFTER UPDATE" \
	      " OF " cols " ON " t " WHEN OLD.search IS NOT NEW.search BEGIN"   \
	      " INSERT INTO " t "_fts (" t "_fts, rowid, search)"               \
	      " VALUES (''delete'', OLD.rowid, OLD.search);"                    \
	      " INSERT INTO " t "_fts (rowid, search) VALUES (NEW.rowid, NEW.search); END")

static const char v6[] =
	"ALTER TABLE cases ADD COLUMN search TEXT GENERATED ALWAYS AS"
	" (id || char(31) || merchant_id || char(31) || merchant_name) VIRTUAL;"
	"ALTER TABLE limits ADD COLUMN search TEXT GENERATED ALWAYS AS"
	" (id || char(31) || scope_id || char(31) || name) VIRTUAL;"
	FTS_TABLE("breaks")
	FTS_TABLE("cases")
	FTS_TABLE("limits")
	FTS_TRIGGERS("breaks", "search")
	FTS_TRIGGERS("cases", "id, merchant_id, merchant_name")
	FTS_TRIGGERS("limits", "id, scope_id, name")
	/* the recon date is the filter of every morning; by id, a date's
	 * page read the ids of every other date first (260 ms) */
	SAVED("breaks", "breaks_date_id", "CREATE INDEX breaks_date_id ON breaks (recon_date, id)")
	/* breaks_abs_difference carries the filter columns after
	 * |difference|, so it orders equal differences by them, not by
	 * rowid: largest first sorted every tie */
	SAVED("breaks", "breaks_abs_sort", "CREATE INDEX breaks_abs_sort ON breaks (abs_difference)")
	/* most amount mismatches are small: walking the severity index for
	 * them passed every high-severity break of another type (200 ms) */
	SAVED("breaks", "breaks_type_severity", "CREATE INDEX breaks_type_severity ON breaks"
	      " (type, severity DESC, detected_at DESC)")
	/* the recon summary of a date read every row's JSON for its currency
	 * (1.3 s at 300,000 breaks a date); it now groups the index
	 * breaks_recon_date alone and reads one row's currency per channel */
	"ALTER TABLE breaks ADD COLUMN currency TEXT GENERATED ALWAYS AS"
	" (json_extract(json, '$.currency')) VIRTUAL;"
	/* a case count reads stage and SLA of every match: in the index */
	"DROP INDEX IF EXISTS cases_assignee;"
	"DROP INDEX IF EXISTS cases_risk;"
	SAVED("cases", "cases_assignee", "CREATE INDEX cases_assignee ON cases"
	      " (assignee, stage, sla_due_at)")
	SAVED("cases", "cases_risk", "CREATE INDEX cases_risk ON cases"
	      " (risk_level DESC, sla_due_at, stage)");

/* v7: the queues' headlines every few minutes (cache/headline.c), so a
 * shift report can set the queues now against its window's start. */
static const char v7[] =
	"CREATE TABLE queue_headlines (at INTEGER PRIMARY KEY,"
	" cases_open INTEGER NOT NULL, cases_past_sla INTEGER NOT NULL,"
	" breaks_low INTEGER NOT NULL, breaks_low_net INTEGER NOT NULL,"
	" breaks_medium INTEGER NOT NULL, breaks_medium_net INTEGER NOT NULL,"
	" breaks_high INTEGER NOT NULL, breaks_high_net INTEGER NOT NULL,"
	" limits_warning INTEGER NOT NULL, limits_breached INTEGER NOT NULL);";

/* v8: a break stored once. Measured at a million breaks (dbstat): the
 * table was 668 MB of 1,286, 513 bytes a row of it the JSON text beside
 * the columns made from it; it is 253 MB now. The table keeps every field
 * as a column and rebuilds the text (CACHE_BREAK_JSON) in a generated
 * column, so every reader of `json` reads what it did; the text as it
 * came is kept (`raw`) only where the rebuild would not give it back
 * exactly. The text filter's `search` stays a column of its own: made a
 * generated one, SQLite 3.40 read every row for a count by text instead
 * of the index breaks_search that holds it (88 -> 630 ms for an assignee,
 * measured), since using a generated column uses what it is made of. The table is
 * copied with its rowids (the full-text index points at them); its
 * indexes and triggers go to bulk_saved, and the build recreates them. */
#define V8_COLUMNS                                                             \
	"id, version, walk, recon_date, channel_id, type, status, severity,"   \
	" difference_minor, abs_difference, detected_at, merchant_id, order_no," \
	" channel_serial, assignee, platform_amount_minor, channel_amount_minor," \
	" currency, resolution, updated_at"
/* the text a row's columns give back */
#define V8_JSON                                                                \
	CACHE_BREAK_JSON("id", "recon_date", "channel_id", "merchant_id", "order_no", \
			 "channel_serial", "type", "platform_amount_minor",        \
			 "channel_amount_minor", "difference_minor", "currency",    \
			 "detected_at", "severity", "status", "assignee", "resolution", \
			 "version", "updated_at")
static const char v8[] =
	"INSERT OR REPLACE INTO bulk_saved (coll, name, sql)"
	" SELECT 'breaks', name, sql FROM sqlite_master WHERE tbl_name = 'breaks'"
	" AND type IN ('index', 'trigger') AND sql IS NOT NULL;"
	"CREATE TABLE breaks_v8 (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, recon_date TEXT NOT NULL,"
	" channel_id TEXT NOT NULL, type INTEGER NOT NULL, status INTEGER NOT NULL,"
	" severity INTEGER NOT NULL, difference_minor INTEGER NOT NULL,"
	" abs_difference INTEGER NOT NULL, detected_at INTEGER NOT NULL,"
	" merchant_id TEXT, order_no TEXT, channel_serial TEXT, assignee TEXT,"
	" platform_amount_minor INTEGER, channel_amount_minor INTEGER, currency TEXT,"
	" resolution TEXT, updated_at INTEGER, raw TEXT, search TEXT NOT NULL,"
	" json TEXT GENERATED ALWAYS AS (coalesce(raw, "
	V8_JSON
	")) VIRTUAL);"
	"INSERT INTO breaks_v8 (rowid, " V8_COLUMNS ", search, raw)"
	" SELECT rid, " V8_COLUMNS ", search, CASE WHEN old = "
	V8_JSON
	" THEN NULL ELSE old END FROM (SELECT rid, id, version, walk, recon_date,"
	"  channel_id, type, status, severity, difference_minor, abs_difference, detected_at,"
	"  json_extract(j, '$.merchant_id') AS merchant_id,"
	"  json_extract(j, '$.order_no') AS order_no,"
	"  json_extract(j, '$.channel_serial') AS channel_serial,"
	"  json_extract(j, '$.assignee') AS assignee,"
	"  json_extract(j, '$.platform_amount_minor') AS platform_amount_minor,"
	"  json_extract(j, '$.channel_amount_minor') AS channel_amount_minor,"
	"  json_extract(j, '$.currency') AS currency,"
	"  json_extract(j, '$.resolution') AS resolution,"
	"  CAST(strftime('%s', json_extract(j, '$.updated_at')) AS INTEGER) AS updated_at,"
	"  search, old"
	"  FROM (SELECT *, rowid AS rid, json AS old,"
	"   CASE WHEN json_valid(json) THEN json ELSE '{}' END AS j FROM breaks));"
	"DROP TABLE breaks;"
	"ALTER TABLE breaks_v8 RENAME TO breaks;";

const char *cache_migration(int v)
{
	switch (v) {
	case 1: return v1;
	case 2: return v2;
	case 3: return v3;
	case 4: return v4;
	case 5: return v5;
	case 6: return v6;
	case 7: return v7;
	case 8: return v8;
	}
	return NULL;
}
