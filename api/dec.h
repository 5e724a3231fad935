/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/dec.h: internal to api/ (not for other modules).
 *
 * Field readers shared by the decoders. Each takes a context that carries
 * the JSON path being decoded ("data[3].latency_ms") so every error names
 * the exact field.
 *
 * Two ways to meet a bad field. Strict (d->bad NULL: status, me, history,
 * the recon summary): the first error stops the decoder. Kept (an object's
 * decoder calls dec_begin with the object's `bad`): a field of the wrong
 * type or out of range is recorded there with its path inside the object,
 * the reader leaves the field's "nothing" value (see api/model.h) and
 * returns 0, and decoding goes on. The object's own id (dec_key_id) and
 * running out of memory stay fatal either way.
 */
#ifndef PAYOPS_API_DEC_H
#define PAYOPS_API_DEC_H

#include <stdarg.h>

#include "api/decode.h"

#define DEC_MAX_STRING (64u * 1024u) /* bytes; longer strings are refused */

typedef struct {
	char path[224];
	size_t len;
	api_err *err;
	api_bad *bad;  /* NULL: strict; else where refused fields go */
	size_t base;   /* where the object's own path starts in `path` */
} dec;

/* Field flags */
enum {
	D_REQ = 1 << 0,  /* missing is an error */
	D_NULL = 1 << 1, /* JSON null allowed: NULL string, NAN number, 0 time */
	D_NULLSTR = 1 << 2, /* strings: null allowed, kept as "" */
};

#define TRY(x) do { if ((x) != 0) goto fail; } while (0)

void dec_init(dec *d, api_err *err);
size_t dec_key(dec *d, const char *key);     /* push ".key"; returns mark */
size_t dec_index(dec *d, size_t i);          /* push "[i]" */
void dec_pop(dec *d, size_t mark);
void api_err_set(api_err *err, const char *prefix, const char *what);
int dec_fail(dec *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3))); /* always -1 */
/* A bad field at the current path: recorded and 0 when the object is kept,
 * else dec_fail's -1 (also when recording it ran out of memory). */
int dec_bad(dec *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Decode the object that starts here keeping its bad fields in `bad`. */
void dec_begin(dec *d, api_bad *bad);

/* Field readers: 0 or -1 (error set). The value is read from obj[key]. */
int dec_obj(dec *d, const json_t *v);                 /* v is an object */
/* An element of an array that must be an object: 1 it is; 0 it is not and
 * was recorded (skip it); -1 strict failure. Path already pushed. */
int dec_elem(dec *d, const json_t *v);
/* obj[key] as an array / object; NULL (rc 0) when absent or null and the
 * flags allow it. The path is not left pushed. */
const json_t *dec_array(dec *d, const json_t *obj, const char *key, int flags,
			int *rc);
const json_t *dec_object(dec *d, const json_t *obj, const char *key,
			 int flags, int *rc);
void *dec_calloc(dec *d, size_t n, size_t size); /* n == 0 allowed */
/* Fill one item of a dec_list from the object v: 0 or -1 (error set). */
typedef int (*dec_item_fn)(dec *d, const json_t *v, void *item);
/* obj[key], an optional object (absent or null: *present stays false),
 * read by fn into o with the path pushed; *present set when it is there. */
int dec_optional(dec *d, const json_t *obj, const char *key, bool *present,
		 dec_item_fn fn, void *o);
/* obj[key], an optional array of objects (absent or null: no array), into a
 * calloc'd array of elem-byte items stored at *(T **)items, *n of them kept.
 * An element that is not an object, or (need_id not NULL) has no usable
 * string at need_id, is recorded and left out. Each kept item is counted
 * before fn fills it, so freeing *n items frees what a failure left. */
int dec_list(dec *d, const json_t *obj, const char *key, size_t elem,
	     void *items, size_t *n, const char *need_id, dec_item_fn fn);
const json_t *dec_get(dec *d, const json_t *obj, const char *key, int flags,
		      int *rc);
int dec_str(dec *d, const json_t *obj, const char *key, int flags, char **out);
/* A required, non-empty string (ids of things the object refers to). */
int dec_id(dec *d, const json_t *obj, const char *key, char **out);
/* The object's own id: always strict, whatever dec_begin said; an object
 * without one is dropped. */
int dec_key_id(dec *d, const json_t *obj, const char *key, char **out);
/* The start of every object with an id: o (size bytes) zeroed, j an
 * object, bad fields recorded in bad (dec_begin), its "id" read into *id
 * (dec_key_id). The caller sets its other "unknown" values after it. */
int dec_open(dec *d, const json_t *j, void *o, size_t size, api_bad *bad, char **id);
int dec_i64(dec *d, const json_t *obj, const char *key, int flags,
	    int64_t lo, int64_t hi, int64_t *out);
int dec_int(dec *d, const json_t *obj, const char *key, int flags,
	    int lo, int hi, int *out);
int dec_num(dec *d, const json_t *obj, const char *key, int flags,
	    double lo, double hi, double *out);
int dec_bool(dec *d, const json_t *obj, const char *key, int flags, bool *out);
int dec_time(dec *d, const json_t *obj, const char *key, int flags,
	     time_t *out);
int dec_date(dec *d, const json_t *obj, const char *key, int flags,
	     char **out);
int dec_currency(dec *d, const json_t *obj, const char *key, char out[4]);
/* An enum: names[0..n) are the contract spellings, index = enum value;
 * anything else gives `unknown`. The raw string is always kept. */
int dec_enum(dec *d, const json_t *obj, const char *key, int flags,
	     const char *const *names, int n, int unknown, int *val,
	     char **raw);

/* The required enum obj["field"] into o->field and o->field_raw (the JSON
 * key is spelled as the field), an unknown value kept raw as `unknown`,
 * which is also the length of names; a failure goes to the caller's fail:
 * as TRY does. */
#define DEC_ENUM(d, obj, o, field, names, unknown)                                 \
	do {                                                                       \
		int enum_val_;                                                     \
		TRY(dec_enum(d, obj, #field, D_REQ, names, unknown, unknown,       \
			     &enum_val_, &(o)->field##_raw));                      \
		(o)->field = enum_val_;                                            \
	} while (0)

/* obj[key] is a string that can serve as an id (non-empty, not too long). */
bool dec_usable_id(const json_t *obj, const char *key);

/* Value-level string copy: valid UTF-8, NULs replaced by U+FFFD. */
char *dec_strdup_json(const json_t *s);

/* Internal decoders with a path context (used by the page decoder). */
int dec_channel(dec *d, const json_t *j, api_channel *o);
int dec_route(dec *d, const json_t *j, api_route *o);
int dec_case(dec *d, const json_t *j, api_case *o);
int dec_break(dec *d, const json_t *j, api_break *o);
int dec_limit(dec *d, const json_t *j, api_limit *o);
int dec_alert(dec *d, const json_t *j, api_alert *o);
int dec_approval(dec *d, const json_t *j, api_approval *o);
int dec_am_alert(dec *d, const json_t *j, const char *source, api_alert *o);

#define DEC_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
