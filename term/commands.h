/* SPDX-License-Identifier: ISC (see COPYING) */
/* term/commands.h: the command registry.
 *
 * Everything the console does is a named command, in the manner of tmux:
 * "down", "quarantine", "resolve_match", "weight_up". A command is named
 * once, here, with its help text, its group on the `?` screen, the usage
 * of its arguments when `:` takes some, whether it writes to the platform
 * and the write scopes it needs. Keys reach commands through the key
 * tables of term/keymap.h (one per mode); the `:` line reaches them by name
 * (cmd_parse), so every command is also a `:` command. The `?` screen, the
 * `:` completion, the key hints and the remapping in payops.yaml all read
 * this table: what `?` shows is what there is.
 *
 * The ids keep the ACT_ spelling the panes switch on (keymap_action is the
 * same type).
 */
#ifndef PAYOPS_TERM_COMMANDS_H
#define PAYOPS_TERM_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

/* Command ids. Append before ACT_COUNT; never reorder. */
typedef enum {
	ACT_NONE = 0,
	/* Navigation */
	ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT,
	ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_TOP, ACT_BOTTOM,
	ACT_DETAIL, ACT_BACK,
	/* Views */
	ACT_VIEW_1, ACT_VIEW_2, ACT_VIEW_3, ACT_VIEW_4,
	ACT_VIEW_5, ACT_VIEW_6, ACT_VIEW_7, ACT_VIEW_8,
	ACT_NEXT_VIEW, ACT_PREV_VIEW,
	ACT_FILTER, ACT_SORT, ACT_SORT_REVERSE, ACT_MARK,
	/* General */
	ACT_COMMAND, ACT_HELP, ACT_REDRAW, ACT_REFRESH, ACT_PAUSE, ACT_QUIT,
	/* Actions (write scope): channels */
	ACT_ENABLE, ACT_DISABLE, ACT_DRAIN, ACT_QUARANTINE, ACT_RELEASE,
	/* routes */
	ACT_REROUTE,
	/* onboarding */
	ACT_APPROVE, ACT_REJECT, ACT_RETURN, ACT_ASSIGN,
	/* reconciliation */
	ACT_RESOLVE,
	/* limits */
	ACT_ADJUST,
	/* alerts */
	ACT_ACK, ACT_SILENCE,
	/* Dialog */
	ACT_CONFIRM,
	/* alerts (appended) */
	ACT_GROUP, ACT_SILENCES, ACT_EXPIRE_SILENCE, ACT_INFO,
	/* `:` only */
	ACT_SITES,
	/* the reroute editor */
	ACT_MEMBER_PREV, ACT_MEMBER_NEXT, ACT_WEIGHT_UP, ACT_WEIGHT_DOWN,
	ACT_WEIGHT_UP_5, ACT_WEIGHT_DOWN_5, ACT_REVIEW,
	/* the reroute editor and dialogs */
	ACT_CANCEL,
	/* the recon pane's resolve marks (after r) */
	ACT_RESOLVE_MATCH, ACT_RESOLVE_ADJUST, ACT_RESOLVE_WRITE_OFF,
	ACT_RESOLVE_ESCALATE, ACT_RESOLVE_INVESTIGATE, ACT_RESOLVE_REOPEN,
	ACT_RESOLVE_ASSIGN,
	/* dialogs */
	ACT_NEXT_FIELD, ACT_PREV_FIELD,
	/* views (appended) */
	ACT_VIEW_9,
	/* sorting by column (appended) */
	ACT_SORT_PREV_COL, ACT_SORT_NEXT_COL,
	ACT_COUNT
} cmd_id;

/* Command flags. */
enum {
	CMD_WRITE = 1u << 0 /* changes the platform: needs a write scope,
			       greyed in read-only mode */
};

typedef struct {
	cmd_id id;
	const char *name;   /* "page_down": the `:` name and the config name */
	const char *alias;  /* another `:` name ("q"), or NULL */
	const char *group;  /* "Navigation": the heading on `?` */
	const char *args;   /* usage of the arguments ("[ID [INTERFACE]]"),
			     * NULL: the command takes none */
	const char *help;
	unsigned flags;     /* CMD_WRITE */
	unsigned scopes;    /* the SCOPE_BIT_* (api/model.h) it needs; one of
			     * them when several (assign: a case's or a
			     * break's); non-zero exactly for CMD_WRITE */
} cmd_def;

/* The commands in the order `?` shows them; i past the end: NULL. */
size_t cmd_count(void);
const cmd_def *cmd_at(size_t i);
/* By id (NULL for ACT_NONE or out of range), by name or alias (NULL when
 * none: names are matched exactly). */
const cmd_def *cmd_get(cmd_id id);
const cmd_def *cmd_find(const char *name);

/* Shorthands; NULL/0 for an unknown id. */
const char *cmd_name(cmd_id id);
unsigned cmd_flags(cmd_id id);
unsigned cmd_scopes(cmd_id id);
/* The scopes as text: "channels:write", "onboarding:write or
 * recon:write"; "" when none. */
void cmd_scope_text(cmd_id id, char *out, size_t outsz);

/* One `:` line: "NAME ARGS...". The name is the first word, the arguments
 * the rest with the spaces around them dropped. */
#define CMD_LINE_MAX 1024
typedef enum {
	CMD_PARSE_OK = 0,     /* a command; args may be "" */
	CMD_PARSE_EMPTY,      /* nothing but spaces */
	CMD_PARSE_UNKNOWN,    /* the name is no command (it may be a pane) */
	CMD_PARSE_NO_ARGS,    /* the command takes no arguments, some came */
} cmd_parse_result;
typedef struct {
	const cmd_def *cmd;   /* NULL unless CMD_PARSE_OK or _NO_ARGS */
	const char *name;     /* the first word, in buf */
	const char *args;     /* the rest, in buf; "" when none */
	char buf[CMD_LINE_MAX];
} cmd_line;
cmd_parse_result cmd_parse(const char *line, cmd_line *out);

#endif
