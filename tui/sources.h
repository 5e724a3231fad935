/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/sources.h: the feeds beside the platform's own REST and event stream
 * (which sync/ owns): the Prometheus Alertmanagers of the configuration
 * (alerts/), and the incremental sync of the big collections into the cache.
 * Everything runs on the app's event loop through its HTTP client; nothing
 * here blocks. The app creates it after sync and frees it before sync. */
#ifndef PAYOPS_TUI_SOURCES_H
#define PAYOPS_TUI_SOURCES_H

#include "config/config.h"
#include "net/http.h"
#include "store/store.h"
#include "base/ev.h"

struct audit_log;

typedef struct {
	ev_loop *ev;
	http_client *http;
	store *st;
	const cfg_config *cfg;
	const char *token;          /* the platform's bearer token */
	struct audit_log *audit;    /* the operator's audit log (may be NULL) */
	const char *operator_id;    /* for createdBy and audit rows, may change: see sources_set_operator */
	/* say something on the message line (msgline_severity) */
	void (*message)(void *ctx, int sev, const char *text);
	void *ctx;
} sources_env;

typedef struct app_sources app_sources;

app_sources *sources_new(const sources_env *env);
void sources_start(app_sources *s);
/* The operator is known once /v1/me answered. */
void sources_set_operator(app_sources *s, const char *operator_id);
void sources_free(app_sources *s);

/* The Alertmanagers (silences, their state), NULL when none is configured. */
struct am_hub;
struct am_hub *sources_am(const app_sources *s);
/* The Prometheus channel numbers, NULL when metrics: is not configured. */
struct pm_source;
struct pm_source *sources_pm(const app_sources *s);

#endif
