/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/idem.c - hash table plus insertion-order list for expiry */
#include "sim/idem.h"
#include "sim/util.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

int sim_idem_init(struct sim_idem *s, int64_t ttl_s, size_t max_entries)
{
	memset(s, 0, sizeof *s);
	s->nbuckets = 4096;
	s->buckets = calloc(s->nbuckets, sizeof *s->buckets);
	if (!s->buckets)
		return -1;
	s->ttl = ttl_s;
	s->max = max_entries ? max_entries : 1;
	return 0;
}

static void entry_free(struct sim_idem_entry *e)
{
	free(e->key);
	free(e->fingerprint);
	free(e->body);
	free(e);
}

void sim_idem_free(struct sim_idem *s)
{
	struct sim_idem_entry *e = s->fifo_head;
	while (e) {
		struct sim_idem_entry *n = e->next_fifo;
		entry_free(e);
		e = n;
	}
	free(s->buckets);
	memset(s, 0, sizeof *s);
}

static size_t bucket_of(const struct sim_idem *s, const char *key)
{
	return (size_t)(sim_fnv1a(key, strlen(key), SIM_FNV_INIT) % s->nbuckets);
}

/* Remove the oldest entry (the head of the FIFO). */
static void drop_oldest(struct sim_idem *s)
{
	struct sim_idem_entry *e = s->fifo_head;
	if (!e)
		return;
	struct sim_idem_entry **pp = &s->buckets[bucket_of(s, e->key)];
	while (*pp && *pp != e)
		pp = &(*pp)->next_bucket;
	if (*pp)
		*pp = e->next_bucket;
	s->fifo_head = e->next_fifo;
	if (!s->fifo_head)
		s->fifo_tail = NULL;
	s->count--;
	entry_free(e);
}

void sim_idem_expire(struct sim_idem *s, int64_t now)
{
	while (s->fifo_head && now - s->fifo_head->at >= s->ttl)
		drop_oldest(s);
}

int sim_idem_lookup(struct sim_idem *s, const char *key, const char *fingerprint,
		    int64_t now, const struct sim_idem_entry **out)
{
	sim_idem_expire(s, now);
	for (struct sim_idem_entry *e = s->buckets[bucket_of(s, key)]; e; e = e->next_bucket) {
		if (strcmp(e->key, key) == 0) {
			*out = e;
			return strcmp(e->fingerprint, fingerprint) == 0 ? SIM_IDEM_REPLAY : SIM_IDEM_REUSED;
		}
	}
	*out = NULL;
	return SIM_IDEM_MISS;
}

int sim_idem_put(struct sim_idem *s, const char *key, const char *fingerprint, int status,
		 const char *body, const char *etag, int64_t now)
{
	struct sim_idem_entry *e = calloc(1, sizeof *e);
	if (!e)
		return -1;
	e->key = strdup(key);
	e->fingerprint = strdup(fingerprint);
	e->body = strdup(body ? body : "");
	if (!e->key || !e->fingerprint || !e->body) {
		entry_free(e);
		return -1;
	}
	snprintf(e->etag, sizeof e->etag, "%s", etag ? etag : "");
	e->status = status;
	e->at = now;
	while (s->count >= s->max)
		drop_oldest(s);
	size_t b = bucket_of(s, key);
	e->next_bucket = s->buckets[b];
	s->buckets[b] = e;
	if (s->fifo_tail)
		s->fifo_tail->next_fifo = e;
	else
		s->fifo_head = e;
	s->fifo_tail = e;
	s->count++;
	return 0;
}
