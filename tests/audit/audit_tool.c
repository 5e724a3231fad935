/* audit-tool: `payops audit ...` for the shell tests, plus an `append`
 * command that writes intent/outcome pairs the way the console does. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"

static int append_main(int argc, char **argv)
{
	const char *db = NULL, *action = "channel.disable", *target = "test.channel";
	const char *reason = "test", *outcome = "applied", *operator_id = "op.test";
	long count = 1;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0) db = argv[i + 1];
		else if (strcmp(argv[i], "--count") == 0) count = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--action") == 0) action = argv[i + 1];
		else if (strcmp(argv[i], "--target") == 0) target = argv[i + 1];
		else if (strcmp(argv[i], "--reason") == 0) reason = argv[i + 1];
		else if (strcmp(argv[i], "--outcome") == 0) outcome = argv[i + 1];
		else if (strcmp(argv[i], "--operator") == 0) operator_id = argv[i + 1];
		else {
			fprintf(stderr, "audit-tool append: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	struct audit_log *log;
	char err[512];
	if (audit_open(db, &log, err, sizeof err) != AUDIT_OK) {
		fprintf(stderr, "audit-tool: %s\n", err);
		return 2;
	}
	enum audit_outcome oc = AUDIT_APPLIED;
	int with_outcome = strcmp(outcome, "none") != 0;
	if (with_outcome && audit_outcome_parse(outcome, &oc) != 0) {
		fprintf(stderr, "audit-tool: bad outcome %s\n", outcome);
		audit_close(log);
		return 2;
	}
	for (long i = 0; i < count; i++) {
		char key[64];
		int64_t seq;
		snprintf(key, sizeof key, "k-%ld-%ld", (long)getpid(), i);
		struct audit_intent in = {
			.operator_id = operator_id, .site = "site-a", .action = action,
			.target = target, .state_before = "enabled", .reason = reason,
			.idempotency_key = key,
		};
		if (audit_append_intent(log, &in, &seq) != AUDIT_OK ||
		    (with_outcome && audit_append_outcome(log, seq, oc, "200", "", "disabled",
		                                          NULL, NULL) != AUDIT_OK)) {
			fprintf(stderr, "audit-tool: %s\n", audit_errmsg(log));
			audit_close(log);
			return 1;
		}
	}
	audit_close(log);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "append") == 0)
		return append_main(argc, argv);
	return audit_cli_main(argc, argv);
}
