/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/commands_test.c: the command registry: every command
 * named once with its help and group, write commands and scopes going
 * together, lookup by id, name and alias, the `:` line parser, and the
 * manual pages naming every command and mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/model.h"
#include "term/commands.h"
#include "term/keymap.h"
#include "tests/lib/unit.h"

/* Every id has one entry; every entry has a name, a group and help;
 * names and aliases are unique and are what the config file accepts
 * (lower-case letters, digits, '_'). */
static void test_every_command_complete(void **state)
{
	(void)state;
	assert_int_equal(cmd_count(), ACT_COUNT - 1);
	for (int id = 1; id < ACT_COUNT; id++) {
		const cmd_def *d = cmd_get((cmd_id)id);
		if (!d)
			fail_msg("command id %d is not in the registry", id);
		assert_int_equal(d->id, id);
		assert_non_null(d->name);
		assert_non_null(d->group);
		assert_true(d->group[0] != '\0');
		if (!d->help || !d->help[0])
			fail_msg("%s has no help", d->name);
		for (const char *p = d->name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			      *p == '_'))
				fail_msg("%s: not a config name", d->name);
		assert_ptr_equal(cmd_find(d->name), d);
		if (d->alias)
			assert_ptr_equal(cmd_find(d->alias), d);
		for (size_t j = 0; j < cmd_count(); j++) {
			const cmd_def *o = cmd_at(j);
			if (o == d)
				continue;
			if (strcmp(o->name, d->name) == 0 ||
			    (o->alias && strcmp(o->alias, d->name) == 0))
				fail_msg("the name %s is taken twice", d->name);
		}
	}
	assert_null(cmd_get(ACT_NONE));
	assert_null(cmd_get(ACT_COUNT));
	assert_null(cmd_at(cmd_count()));
}

/* Write-ness and scopes are one property: a command that writes names
 * the scope(s) it needs, one that does not names none. */
static void test_write_commands_have_scopes(void **state)
{
	(void)state;
	unsigned known = SCOPE_BIT_CHANNELS_WRITE | SCOPE_BIT_ROUTING_WRITE |
			 SCOPE_BIT_ONBOARDING_WRITE | SCOPE_BIT_RECON_WRITE |
			 SCOPE_BIT_LIMITS_WRITE | SCOPE_BIT_ALERTS_WRITE;
	size_t writes = 0;
	for (size_t i = 0; i < cmd_count(); i++) {
		const cmd_def *d = cmd_at(i);
		bool w = d->flags & CMD_WRITE;
		if (w && !d->scopes)
			fail_msg("%s writes but names no scope", d->name);
		if (!w && d->scopes)
			fail_msg("%s names a scope but does not write", d->name);
		assert_int_equal(d->scopes & ~known, 0);
		char s[128];
		cmd_scope_text(d->id, s, sizeof s);
		assert_int_equal(s[0] != '\0', w);
		writes += w;
	}
	assert_true(writes >= 20);
	char s[128];
	cmd_scope_text(ACT_QUARANTINE, s, sizeof s);
	assert_string_equal(s, "channels:write");
	cmd_scope_text(ACT_REROUTE, s, sizeof s);
	assert_string_equal(s, "routing:write");
	cmd_scope_text(ACT_ASSIGN, s, sizeof s);
	assert_string_equal(s, "onboarding:write or recon:write");
	cmd_scope_text(ACT_RESOLVE_WRITE_OFF, s, sizeof s);
	assert_string_equal(s, "recon:write");
	cmd_scope_text(ACT_DOWN, s, sizeof s);
	assert_string_equal(s, "");
	char small[8];
	cmd_scope_text(ACT_ASSIGN, small, sizeof small); /* cut, terminated */
	assert_true(strlen(small) < sizeof small);
	assert_string_equal(cmd_name(ACT_SILENCE), "silence");
	assert_true(cmd_flags(ACT_EXPIRE_SILENCE) & CMD_WRITE);
	assert_false(cmd_flags(ACT_SORT) & CMD_WRITE);
	assert_int_equal(cmd_scopes(ACT_ADJUST), SCOPE_BIT_LIMITS_WRITE);
	assert_null(cmd_name(ACT_NONE));
	assert_int_equal(cmd_flags(ACT_COUNT), 0);
}

/* Every key of the old tables and every modal key is a command: the ones
 * the brief of the `:` line names are there by name. */
static void test_lookup_by_name(void **state)
{
	(void)state;
	static const char *const names[] = {
		"quarantine", "resolve", "silence", "approve", "sort", "quit",
		"sites", "filter", "reroute", "weight_up", "member_next",
		"resolve_match", "resolve_write_off", "confirm", "cancel",
		"next_field", "expire_silence", "view_3",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!cmd_find(names[i]))
			fail_msg("no command %s", names[i]);
	assert_int_equal(cmd_find("q")->id, ACT_QUIT);
	assert_int_equal(cmd_find("page_down")->id, ACT_PAGE_DOWN);
	assert_null(cmd_find("Quit"));
	assert_null(cmd_find("qu"));   /* no prefixes: a name is exact */
	assert_null(cmd_find(""));
	assert_null(cmd_find(NULL));
	assert_string_equal(cmd_get(ACT_ENABLE)->args, "[ID [INTERFACE]]");
	assert_string_equal(cmd_get(ACT_SORT)->args, "[COLUMN [asc|desc]]");
	assert_null(cmd_get(ACT_TOP)->args);
}

static void test_parse(void **state)
{
	(void)state;
	cmd_line l;
	assert_int_equal(cmd_parse("quarantine", &l), CMD_PARSE_OK);
	assert_int_equal(l.cmd->id, ACT_QUARANTINE);
	assert_string_equal(l.args, "");
	assert_int_equal(cmd_parse("  quarantine   ch.up.01  ", &l), CMD_PARSE_OK);
	assert_string_equal(l.name, "quarantine");
	assert_string_equal(l.args, "ch.up.01");
	assert_int_equal(cmd_parse("enable ch.up.01   refund", &l), CMD_PARSE_OK);
	assert_string_equal(l.args, "ch.up.01   refund"); /* inner spaces kept */
	assert_int_equal(cmd_parse("reroute rg.card ch.a=60 ch.b=40", &l), CMD_PARSE_OK);
	assert_int_equal(l.cmd->id, ACT_REROUTE);
	assert_string_equal(l.args, "rg.card ch.a=60 ch.b=40");
	assert_int_equal(cmd_parse("q", &l), CMD_PARSE_OK);
	assert_int_equal(l.cmd->id, ACT_QUIT);
	assert_int_equal(cmd_parse("resolve write off", &l), CMD_PARSE_OK);
	assert_string_equal(l.args, "write off");
	/* a command without arguments refuses some */
	assert_int_equal(cmd_parse("top 3", &l), CMD_PARSE_NO_ARGS);
	assert_int_equal(l.cmd->id, ACT_TOP);
	assert_int_equal(cmd_parse("sort sys_sr desc", &l), CMD_PARSE_OK);
	assert_string_equal(l.args, "sys_sr desc");
	assert_int_equal(cmd_parse("sort   ", &l), CMD_PARSE_OK);
	/* not a command: the name is handed back (a pane, perhaps) */
	assert_int_equal(cmd_parse("chan", &l), CMD_PARSE_UNKNOWN);
	assert_null(l.cmd);
	assert_string_equal(l.name, "chan");
	assert_int_equal(cmd_parse("   ", &l), CMD_PARSE_EMPTY);
	assert_int_equal(cmd_parse("", &l), CMD_PARSE_EMPTY);
	assert_int_equal(cmd_parse(NULL, &l), CMD_PARSE_EMPTY);
	/* a line longer than the buffer is cut, never overrun */
	char big[CMD_LINE_MAX * 2];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "filter ", 7);
	assert_int_equal(cmd_parse(big, &l), CMD_PARSE_OK);
	assert_int_equal(strlen(l.args), CMD_LINE_MAX - 1 - 7);
}

/* The text of a manual page between two section headings ("KEYS"),
 * malloc'd; NULL (and the test skipped) without $top_srcdir. */
static char *man_section(const char *page, const char *from, const char *to)
{
	const char *top = getenv("top_srcdir");
	if (!top)
		return NULL;
	char path[1024];
	snprintf(path, sizeof path, "%s/man/%s.in", top, page);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[200000];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char a[64], b[64];
	snprintf(a, sizeof a, "\n.SH %s\n", from);
	snprintf(b, sizeof b, "\n.SH %s\n", to);
	char *s = strstr(buf, a), *e = s ? strstr(s, b) : NULL;
	assert_non_null(s);
	assert_non_null(e);
	char *out = strndup(s, (size_t)(e - s));
	assert_non_null(out);
	return out;
}

/* word as a whole word of text (not inside "resolve_match" for "match") */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = text; (p = strstr(p, word)); p++) {
		char before = p == text ? ' ' : p[-1], after = p[n];
		bool inner = (before >= 'a' && before <= 'z') || before == '_' ||
			     (after >= 'a' && after <= 'z') || after == '_' ||
			     (after >= '0' && after <= '9');
		if (!inner)
			return true;
	}
	return false;
}

/* `?` and the manual agree: payops(1)'s KEYS and COMMANDS name every
 * command, payops.yaml(5) every mode. */
/* A and X decide a held change on the Approvals pane with the write scope
 * that change needed, whichever it was: a token with any one write scope
 * is not turned away by the registry (the pane checks the row's). */
static void test_decisions_take_the_held_scope(void **state)
{
	(void)state;
	static const unsigned each[] = { SCOPE_BIT_CHANNELS_WRITE, SCOPE_BIT_ROUTING_WRITE,
		SCOPE_BIT_ONBOARDING_WRITE, SCOPE_BIT_RECON_WRITE, SCOPE_BIT_LIMITS_WRITE,
		SCOPE_BIT_ALERTS_WRITE };
	static const cmd_id ids[] = { ACT_APPROVE, ACT_REJECT };
	for (size_t i = 0; i < 2; i++) {
		for (size_t k = 0; k < sizeof each / sizeof each[0]; k++)
			assert_true(cmd_scopes(ids[i]) & each[k]);
		assert_non_null(strstr(cmd_get(ids[i])->help, "Approvals pane"));
	}
	char s[160];
	cmd_scope_text(ACT_APPROVE, s, sizeof s);
	assert_non_null(strstr(s, "channels:write"));
	assert_non_null(strstr(s, "onboarding:write"));
}

static void test_man_pages(void **state)
{
	(void)state;
	char *keys = man_section("payops.1", "KEYS", "DEMO");
	if (!keys)
		skip();
	for (size_t i = 0; i < cmd_count(); i++)
		if (!has_word(keys, cmd_at(i)->name))
			fail_msg("payops(1) does not name the command %s",
				 cmd_at(i)->name);
	for (int m = 0; m < KEYMAP_MODE_COUNT; m++)
		if (!has_word(keys, keymap_mode_name((keymap_mode)m)))
			fail_msg("payops(1) does not name the mode %s",
				 keymap_mode_name((keymap_mode)m));
	free(keys);
	char *yaml = man_section("payops.yaml.5", "KEYS", "YAML");
	for (int m = 0; m < KEYMAP_MODE_COUNT; m++) {
		char b[64];
		snprintf(b, sizeof b, ".B %s\n", keymap_mode_name((keymap_mode)m));
		if (!strstr(yaml, b))
			fail_msg("payops.yaml(5) does not describe the mode %s",
				 keymap_mode_name((keymap_mode)m));
	}
	free(yaml);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_every_command_complete),
	cmocka_unit_test(test_write_commands_have_scopes),
	cmocka_unit_test(test_lookup_by_name),
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_decisions_take_the_held_scope),
	cmocka_unit_test(test_man_pages))
