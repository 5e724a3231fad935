/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_page.c: list pages, keeping every item that can be kept.
 *
 * One malformed channel must not blank the whole channel list during an
 * incident, nor hide itself: an item with bad fields is kept with those
 * fields marked (api/model.h). Only an item without a usable id is
 * dropped; it is counted and reported, named by its index and, when it has
 * one, its name (the ids of items dropped for another reason, out of
 * memory, are listed so the store can keep their last copy).
 *
 * The public entry of each object kind, api_decode_<kind>, is here too,
 * made with its page adaptor by KIND below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dec.h"
#include "text/text.h"

typedef struct {
	size_t size;
	int (*decode)(dec *d, const json_t *j, void *o, const char *source);
	void (*release)(void *o);
} kind_ops;

/* Each object kind once: its adaptor for the page table, its release,
 * and its public entry api_decode_<kind> (api/decode.h), a fresh decoding
 * context around dec_<kind>. */
#define KIND(kind, type)                                                  \
	static int k_##kind(dec *d, const json_t *j, void *o, const char *s) \
	{                                                                 \
		(void)s;                                                  \
		return dec_##kind(d, j, o);                               \
	}                                                                 \
	static void f_##kind(void *o) { type##_free(o); }                 \
	int api_decode_##kind(const json_t *j, type *out, api_err *err)  \
	{                                                                 \
		dec d;                                                    \
		dec_init(&d, err);                                        \
		return dec_##kind(&d, j, out);                            \
	}
KIND(channel, api_channel)
KIND(route, api_route)
KIND(case, api_case)
KIND(break, api_break)
KIND(limit, api_limit)
KIND(alert, api_alert)
KIND(approval, api_approval)
#undef KIND

static int k_am_alert(dec *d, const json_t *j, void *o, const char *s)
{
	return dec_am_alert(d, j, s, o);
}

static const kind_ops kinds[] = {
	[API_KIND_CHANNEL] = { sizeof(api_channel), k_channel, f_channel },
	[API_KIND_ROUTE] = { sizeof(api_route), k_route, f_route },
	[API_KIND_CASE] = { sizeof(api_case), k_case, f_case },
	[API_KIND_BREAK] = { sizeof(api_break), k_break, f_break },
	[API_KIND_LIMIT] = { sizeof(api_limit), k_limit, f_limit },
	[API_KIND_ALERT] = { sizeof(api_alert), k_alert, f_alert },
	[API_KIND_APPROVAL] = { sizeof(api_approval), k_approval, f_approval },
};
static const kind_ops am_kind = { sizeof(api_alert), k_am_alert, f_alert };

void api_page_free(api_page *p)
{
	size_t i;

	if (!p)
		return;
	if (p->items && (size_t)p->kind < sizeof kinds / sizeof kinds[0])
		for (i = 0; i < p->n; i++)
			kinds[p->kind].release((char *)p->items +
					       i * kinds[p->kind].size);
	free(p->items);
	free(p->next_cursor);
	for (i = 0; p->rejected_ids && i < p->n_rejected_ids; i++)
		free(p->rejected_ids[i]);
	free(p->rejected_ids);
	memset(p, 0, sizeof *p);
}

/* What the item calls itself, when it has no id: its first display name. */
static const char *item_name(const json_t *v)
{
	static const char *const keys[] = { "name", "merchant_name", "title" };
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const json_t *n = json_object_get(v, keys[i]);
		if (json_is_string(n) && json_string_length(n) > 0)
			return json_string_value(n);
	}
	return NULL;
}

/* s cut to at most max bytes at a character boundary: the length kept. */
static size_t cut(const char *s, size_t max)
{
	size_t n = strlen(s), k = 0;

	while (k < n) {
		uint32_t cp;
		int r = text_utf8_next(s + k, n - k, &cp);
		if (r <= 0 || k + (size_t)r > max)
			break;
		k += (size_t)r;
	}
	return k;
}

/* The item's id (or an Alertmanager alert's fingerprint), if it has one. */
static char *item_id(const json_t *v)
{
	const json_t *id = json_object_get(v, "id");

	if (!json_is_string(id))
		id = json_object_get(v, "fingerprint");
	if (!json_is_string(id) || json_string_length(id) == 0 ||
	    json_string_length(id) > DEC_MAX_STRING)
		return NULL;
	return dec_strdup_json(id);
}

static void note_reject(api_page *p, const json_t *v, const api_err *e)
{
	char *id = item_id(v);

	p->n_rejected++;
	if (!p->reject_msg[0]) {
		api_err tmp;
		char head[80];
		const char *name = id ? NULL : item_name(v);
		if (id) {
			/* "[id]: data[3]: out of memory", the id cut at a
			 * character boundary */
			size_t k = cut(id, 64);
			snprintf(head, sizeof head, "[%.*s%s]", (int)k, id,
				 k < strlen(id) ? "..." : "");
			api_err_set(&tmp, head, e->msg);
		} else if (name) {
			/* "\"UnionPay QR\": data[3].id: missing" */
			size_t k = cut(name, 48);
			snprintf(head, sizeof head, "\"%.*s%s\"", (int)k, name,
				 k < strlen(name) ? "..." : "");
			api_err_set(&tmp, head, e->msg);
		} else {
			api_err_set(&tmp, NULL, e->msg);
		}
		memcpy(p->reject_msg, tmp.msg, sizeof p->reject_msg);
	}
	if (id) {
		size_t n = p->n_rejected_ids;
		/* capacity doubles: it is full when n is 0 or a power of 2 */
		if ((n & (n - 1)) == 0) {
			char **grown = realloc(p->rejected_ids,
					       (n ? 2 * n : 1) * sizeof *grown);
			if (!grown) {
				free(id);
				return;
			}
			p->rejected_ids = grown;
		}
		p->rejected_ids[p->n_rejected_ids++] = id;
	}
}

static int decode_items(const json_t *arr, const char *prefix,
			const kind_ops *ops, const char *source, api_page *out,
			api_err *err)
{
	const json_t *v;
	size_t i;

	out->items = calloc(json_array_size(arr) ? json_array_size(arr) : 1,
			    ops->size);
	if (!out->items) {
		api_err_set(err, NULL, "out of memory");
		return -1;
	}
	json_array_foreach(arr, i, v) {
		api_err e;
		dec d;

		dec_init(&d, &e);
		if (*prefix)
			dec_key(&d, prefix);
		dec_index(&d, i);
		if (ops->decode(&d, v, (char *)out->items + out->n * ops->size,
				source) == 0)
			out->n++;
		else
			note_reject(out, v, &e);
	}
	return 0;
}

/* The start of a decode into out: empty, of kind, err cleared (err may be
 * NULL: then dummy takes the message). */
static api_err *page_start(api_page *out, api_kind kind, api_err *err, api_err *dummy)
{
	if (!err)
		err = dummy;
	memset(out, 0, sizeof *out);
	out->kind = kind;
	err->msg[0] = '\0';
	return err;
}

/* The end of a decode of the parsed body j: rc, and out empty (still of its
 * kind) unless rc is 0. */
static int page_end(json_t *j, api_page *out, int rc)
{
	api_kind kind = out->kind;

	json_decref(j);
	if (rc != 0) {
		api_page_free(out);
		out->kind = kind;
		return -1;
	}
	return 0;
}

int api_decode_page(const char *body, size_t len, api_kind kind,
		    api_page *out, api_err *err)
{
	json_t *j = NULL;
	const json_t *data, *cur;
	api_err dummy;

	err = page_start(out, kind, err, &dummy);
	if ((size_t)kind >= sizeof kinds / sizeof kinds[0]) {
		api_err_set(err, NULL, "unknown list kind");
		return -1;
	}
	if (api_parse(body, len, &j, err) != 0)
		return -1;
	if (!json_is_object(j)) {
		api_err_set(err, NULL, "expected an object {\"data\": [...]}");
		return page_end(j, out, -1);
	}
	data = json_object_get(j, "data");
	if (!json_is_array(data)) {
		api_err_set(err, "data", data ? "expected an array" : "missing");
		return page_end(j, out, -1);
	}
	cur = json_object_get(j, "next_cursor");
	if (cur && !json_is_null(cur)) {
		if (!json_is_string(cur) || json_string_length(cur) == 0 ||
		    json_string_length(cur) > DEC_MAX_STRING) {
			api_err_set(err, "next_cursor",
				    "expected a non-empty string or null");
			return page_end(j, out, -1);
		}
		out->next_cursor = dec_strdup_json(cur);
		if (!out->next_cursor) {
			api_err_set(err, NULL, "out of memory");
			return page_end(j, out, -1);
		}
	}
	return page_end(j, out, decode_items(data, "data", &kinds[kind], NULL, out, err));
}

int api_decode_am_alerts(const char *body, size_t len, const char *source,
			 api_page *out, api_err *err)
{
	json_t *j = NULL;
	api_err dummy;

	err = page_start(out, API_KIND_ALERT, err, &dummy);
	if (api_parse(body, len, &j, err) != 0)
		return -1;
	if (!json_is_array(j)) {
		api_err_set(err, NULL, "expected an array of alerts");
		return page_end(j, out, -1);
	}
	return page_end(j, out, decode_items(j, "", &am_kind, source, out, err));
}
