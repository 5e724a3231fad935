/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/auth.c - token file parsing and constant-time token checks */
#include "sim/auth.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const char *const scope_names[] = {"read", "channels:write", "routing:write", "onboarding:write",
					  "recon:write", "limits:write", "alerts:write"};
#define NSCOPES 7

const char *sim_scope_name(unsigned bit)
{
	for (int i = 0; i < NSCOPES; i++)
		if (bit == (1u << i))
			return scope_names[i];
	return "?";
}

unsigned sim_scope_parse(const char *name)
{
	for (int i = 0; i < NSCOPES; i++)
		if (strcmp(scope_names[i], name) == 0)
			return 1u << i;
	return 0;
}

void sim_scopes_format(unsigned scopes, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < NSCOPES; i++)
		if (scopes & (1u << i)) {
			int n = snprintf(out + o, cap - o, "%s%s", o ? "," : "", scope_names[i]);
			if (n < 0 || (size_t)n >= cap - o)
				return;
			o += (size_t)n;
		}
}

static int add_token(struct sim_auth *a, const char *tok, const char *op, unsigned scopes)
{
	struct sim_token *n = realloc(a->t, (a->n + 1) * sizeof *n);
	if (!n)
		return -1;
	a->t = n;
	n[a->n].token = strdup(tok);
	n[a->n].operator_id = strdup(op);
	n[a->n].scopes = scopes;
	if (!n[a->n].token || !n[a->n].operator_id) {
		free(n[a->n].token);
		free(n[a->n].operator_id);
		return -1;
	}
	a->n++;
	return 0;
}

int sim_auth_load(struct sim_auth *a, const char *path, char *err, size_t errcap)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[4096];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *p = line, *save = NULL;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || *p == '\0')
			continue;
		char *tok = strtok_r(p, " \t\r\n", &save);
		char *op = strtok_r(NULL, " \t\r\n", &save);
		char *sc = strtok_r(NULL, " \t\r\n", &save);
		if (!tok || !op) {
			snprintf(err, errcap, "%s:%d: expected TOKEN OPERATOR_ID SCOPES", path, lineno);
			rc = -1;
			break;
		}
		unsigned scopes = 0;
		if (sc) {
			char *s2 = NULL;
			for (char *s = strtok_r(sc, ",", &s2); s; s = strtok_r(NULL, ",", &s2)) {
				unsigned b = sim_scope_parse(s);
				if (!b)
					fprintf(stderr, "payops-sim: %s:%d: unknown scope '%s' ignored\n", path, lineno, s);
				scopes |= b;
			}
		}
		if (add_token(a, tok, op, scopes)) {
			snprintf(err, errcap, "out of memory");
			rc = -1;
			break;
		}
	}
	fclose(f);
	if (rc == 0 && a->n == 0) {
		snprintf(err, errcap, "%s: no tokens", path);
		rc = -1;
	}
	return rc;
}

int sim_auth_generate(struct sim_auth *a, const char *operator_id)
{
	unsigned char raw[16];
	char tok[40];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	int o = snprintf(tok, sizeof tok, "pst_");
	for (size_t i = 0; i < sizeof raw; i++)
		o += snprintf(tok + o, sizeof tok - (size_t)o, "%02x", raw[i]);
	return add_token(a, tok, operator_id, SIM_SC_ALL);
}

void sim_auth_free(struct sim_auth *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->t[i].token);
		free(a->t[i].operator_id);
	}
	free(a->t);
	a->t = NULL;
	a->n = 0;
}

static int ct_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = (unsigned char)(la != lb);
	for (size_t i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
	return d == 0;
}

const struct sim_token *sim_auth_check(const struct sim_auth *a, const char *h)
{
	if (!h)
		return NULL;
	while (*h == ' ')
		h++;
	if (strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	char tok[512];
	size_t n = strlen(h);
	while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof tok)
		return NULL;
	memcpy(tok, h, n);
	tok[n] = '\0';
	const struct sim_token *hit = NULL;
	for (size_t i = 0; i < a->n; i++)
		if (ct_equal(a->t[i].token, tok) && !hit)
			hit = &a->t[i];
	return hit;
}
