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

const char *cache_migration(int v)
{
	switch (v) {
	case 1: return v1;
	case 2: return v2;
	case 3: return v3;
	}
	return NULL;
}
