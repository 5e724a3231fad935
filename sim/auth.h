/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/auth.h - bearer tokens with scopes, from a token file or generated */
#ifndef SIM_AUTH_H
#define SIM_AUTH_H
#include <stddef.h>

enum { SIM_SC_READ = 1, SIM_SC_CHANNELS = 2, SIM_SC_ROUTING = 4, SIM_SC_ONBOARDING = 8, SIM_SC_RECON = 16,
       SIM_SC_LIMITS = 32, SIM_SC_ALERTS = 64, SIM_SC_ALL = 127 };

struct sim_token { char *token, *operator_id; unsigned scopes; };
struct sim_auth { struct sim_token *t; size_t n; };

int sim_auth_load(struct sim_auth *a, const char *path, char *err, size_t errcap);
int sim_auth_generate(struct sim_auth *a, const char *operator_id);
void sim_auth_free(struct sim_auth *a);
/* From an Authorization header value; NULL when missing or unknown. */
const struct sim_token *sim_auth_check(const struct sim_auth *a, const char *authorization);
const char *sim_scope_name(unsigned bit);
unsigned sim_scope_parse(const char *name);
/* "read,channels:write,..." */
void sim_scopes_format(unsigned scopes, char *out, size_t cap);

#endif
