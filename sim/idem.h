/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/idem.h - the idempotency store: first response per (operator, key),
 * kept for a TTL, replayed for the same request, refused for another */
#ifndef SIM_IDEM_H
#define SIM_IDEM_H
#include <stddef.h>
#include <stdint.h>

struct sim_idem_entry {
	char *key;          /* operator "\n" idempotency key */
	char *fingerprint;  /* method, path and canonical body */
	int status;
	char *body;
	char etag[32];
	int64_t at;
	struct sim_idem_entry *next_bucket, *next_fifo;
};

struct sim_idem {
	struct sim_idem_entry **buckets;
	size_t nbuckets, count, max;
	struct sim_idem_entry *fifo_head, *fifo_tail;
	int64_t ttl;
};

enum { SIM_IDEM_MISS, SIM_IDEM_REPLAY, SIM_IDEM_REUSED };

int sim_idem_init(struct sim_idem *s, int64_t ttl_s, size_t max_entries);
void sim_idem_free(struct sim_idem *s);
int sim_idem_lookup(struct sim_idem *s, const char *key, const char *fingerprint,
		    int64_t now, const struct sim_idem_entry **out);
int sim_idem_put(struct sim_idem *s, const char *key, const char *fingerprint, int status,
		 const char *body, const char *etag, int64_t now);
void sim_idem_expire(struct sim_idem *s, int64_t now);

#endif
