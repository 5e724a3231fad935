/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/batch.c: objects that came one at a time (the event stream) wait
 * here and are written together, one transaction per flush; repeated
 * changes to one object between flushes cost one write. */
#include "cache/cache_int.h"

#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	api_kind kind;
	char *id;
	int64_t version;
	char *json;
	size_t len;
} q_item;

struct cache_queue {
	q_item *items;
	size_t n, cap;
	size_t *slot;      /* open addressing over items: index + 1, 0 empty */
	size_t n_slots;    /* a power of two, at least twice n */
};

static size_t hash(api_kind kind, const char *id)
{
	size_t h = 2166136261u ^ (size_t)kind;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static size_t *find_slot(cache_queue *q, api_kind kind, const char *id)
{
	size_t m = q->n_slots - 1;
	for (size_t i = hash(kind, id) & m;; i = (i + 1) & m) {
		size_t s = q->slot[i];
		if (!s || (q->items[s - 1].kind == kind && strcmp(q->items[s - 1].id, id) == 0))
			return &q->slot[i];
	}
}

static int grow(cache_queue *q)
{
	if (q->n + 1 > q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		q_item *it = realloc(q->items, cap * sizeof *it);
		if (!it)
			return -1;
		q->items = it;
		q->cap = cap;
	}
	if ((q->n + 1) * 2 > q->n_slots) {
		size_t ns = q->n_slots ? q->n_slots * 2 : 128;
		size_t *sl = calloc(ns, sizeof *sl);
		if (!sl)
			return -1;
		free(q->slot);
		q->slot = sl;
		q->n_slots = ns;
		for (size_t i = 0; i < q->n; i++)
			*find_slot(q, q->items[i].kind, q->items[i].id) = i + 1;
	}
	return 0;
}

static void clear(cache_queue *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->items[i].id);
		free(q->items[i].json);
	}
	q->n = 0;
	if (q->slot)
		memset(q->slot, 0, q->n_slots * sizeof *q->slot);
}

void cache_queue_free(cache *c)
{
	if (!c->queue)
		return;
	clear(c->queue);
	free(c->queue->items);
	free(c->queue->slot);
	free(c->queue);
	c->queue = NULL;
}

int cache_queue_object(cache *c, api_kind kind, const json_t *obj, const char *json,
		       size_t len)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	json_t *v = json_object_get(obj, "version");
	if (!id || !*id || !json_is_integer(v)) {
		/* nothing the cache could key or order: the decoder refuses it */
		snprintf(c->err, sizeof c->err, "%s: an object without id or version",
			 cache_table(kind));
		return -1;
	}
	if (!c->queue && !(c->queue = calloc(1, sizeof *c->queue)))
		goto oom;
	cache_queue *q = c->queue;
	if (grow(q) != 0)
		goto oom;
	int64_t version = json_integer_value(v);
	size_t *slot = find_slot(q, kind, id);
	if (*slot && version < q->items[*slot - 1].version)
		return 0; /* an older copy than the one waiting */
	/* the text as it came when it is what the parser read (valid UTF-8),
	 * else the object as parsed, its bad bytes already U+FFFD */
	char *text;
	if (json && utf8_valid(json, len)) {
		if ((text = malloc(len + 1))) {
			memcpy(text, json, len);
			text[len] = '\0';
		}
	} else if ((text = json_dumps(obj, JSON_COMPACT))) {
		len = strlen(text);
	}
	if (!text)
		goto oom;
	if (*slot) {
		q_item *it = &q->items[*slot - 1];
		free(it->json);
		it->json = text;
		it->len = len;
		it->version = version;
		return 0;
	}
	char *idc = strdup(id);
	if (!idc) {
		free(text);
		goto oom;
	}
	q->items[q->n] = (q_item){ .kind = kind, .id = idc, .version = version,
				   .json = text, .len = len };
	*slot = ++q->n;
	return 0;
oom:
	snprintf(c->err, sizeof c->err, "out of memory");
	return -1;
}

int cache_queue_json(cache *c, api_kind kind, const char *json, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, JSON_ALLOW_NUL, &je);
	int rc = cache_queue_object(c, kind, root, json, len);
	json_decref(root);
	return rc;
}

size_t cache_queue_pending(const cache *c)
{
	return c->queue ? c->queue->n : 0;
}

long cache_queue_flush(cache *c)
{
	cache_queue *q = c->queue;
	if (!q || !q->n)
		return 0;
	if (cache_begin(c) != 0)
		return -1;
	long written = 0;
	int64_t walk[CACHE_N_KINDS];
	for (int k = 0; k < CACHE_N_KINDS; k++)
		walk[k] = -1;
	for (size_t i = 0; i < q->n; i++) {
		q_item *it = &q->items[i];
		if (walk[it->kind] < 0) {
			/* a new object joins the current walk: the sweep spares it */
			cache_sync_state st;
			walk[it->kind] = cache_get_state(c, it->kind, &st) == 0 ? st.walk : 0;
		}
		int rc;
		if (it->kind == API_KIND_CHANNEL || it->kind == API_KIND_ROUTE ||
		    it->kind == API_KIND_ALERT) {
			/* their tables hold nothing but id, version and the
			 * text, and the queue has all three, from the one parse
			 * the event already had: written as they are (a live
			 * minute at 2,000 channels parsed each one three times) */
			rc = cache_save_text(c, it->kind, it->id, it->version, walk[it->kind],
					     it->json, it->len);
		} else {
			json_error_t je;
			json_t *j = json_loadb(it->json, it->len, JSON_ALLOW_NUL, &je);
			api_err err = {{0}};
			rc = j ? cache_save_item(c, it->kind, CACHE_SAVE_NEWER, j, walk[it->kind],
						 &err, it->json, it->len) : 2;
			json_decref(j);
		}
		if (rc < 0) {
			cache_rollback(c);
			return -1;
		}
		if (rc == 0)
			written++;
	}
	if (cache_commit(c) != 0)
		return cache_fail(c, "commit");
	clear(q);
	if (written)
		c->data_version++;
	return written;
}
