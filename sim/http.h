/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/http.h - the HTTP side: sites (one libmicrohttpd daemon each) serving
 * one world, requests and responses as the handlers see them */
#ifndef SIM_HTTP_H
#define SIM_HTTP_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "sim/world.h"
#include "sim/auth.h"

#define SIM_BODY_MAX (1024 * 1024)
#define SIM_VERSION "0.1.0"

struct sim_server;
struct sim_site {
	struct sim_server *srv;
	char name[16];
	unsigned port;
	struct MHD_Daemon *d;
	atomic_int down;
};

struct sim_server {
	struct sim_world *w;
	struct sim_auth *auth;
	struct sim_site *sites;
	int nsites;
	int quiet, ping_s;
	int adversarial;      /* hostile strings, numbers and lists (sim/hostile.c) */
	char *tls_cert, *tls_key, *tls_client_ca; /* PEM text; tls_cert NULL: plain HTTP */
	/* mutual TLS: what the client presented on this GnuTLS session, as
	 * sim/tls.h's SIM_TLS_CLIENT_* (set when tls_client_ca is) */
	int (*tls_client_status)(void *tls_session);
	char host[64];
	atomic_int stopping;
	atomic_ulong reqseq;
};

struct sim_req {
	void *conn; /* struct MHD_Connection */
	struct sim_site *site;
	struct sim_world *w;
	const char *method, *url;
	const char *body;
	size_t body_len;
	const struct sim_token *tok;
	char request_id[96];
};

struct sim_resp {
	int status;
	char *body;          /* malloc'd */
	const char *ctype;
	char etag[48];
	int retry_after;     /* seconds, 0: none */
	const char *allow;
	int replayed;
	int sse;             /* answer with the event stream */
	uint64_t sse_last;   /* resume after this id */
	int sse_resume;      /* Last-Event-ID given */
};

int sim_server_start(struct sim_server *s, unsigned first_port);
void sim_server_stop(struct sim_server *s);
struct sim_site *sim_server_site(struct sim_server *s, const char *name);

const char *sim_req_header(const struct sim_req *rq, const char *name);
const char *sim_req_query(const struct sim_req *rq, const char *name);
void sim_resp_json(struct sim_resp *rs, int status, json_t *obj); /* steals obj */
void sim_resp_problem(struct sim_resp *rs, const struct sim_req *rq, int status, const char *code,
		      const char *detail, json_t *extra); /* extra (stolen) is merged into the body */
void sim_resp_etag_hash(struct sim_resp *rs); /* strong ETag from the body */
const char *sim_status_title(int status);

/* handlers */
void sim_api_handle(struct sim_req *rq, struct sim_resp *rs);
void sim_control_handle(struct sim_req *rq, struct sim_resp *rs);
/* A token's scopes as POST /sim/scopes left them (takes the world lock). */
unsigned sim_control_scopes(struct sim_world *w, const char *operator_id, unsigned scopes);
void sim_metrics_handle(struct sim_req *rq, struct sim_resp *rs); /* GET /metrics, no token */

#endif
