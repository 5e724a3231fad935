/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/hostile.c - the adversarial platform (see hostile.h). Works on the
 * JSON the honest simulator produced, so the world itself stays sane and
 * actions keep working; only what goes on the wire turns hostile. */
#include "sim/hostile.h"
#include "sim/util.h"
#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONG_CHARS 10000
/* picked so that the demo channels show every kind of hostility */
#define HOSTILE_SALT 2ULL

static atomic_ulong serial;

/* ---- strings ---- */

static void puts_(struct sim_buf *b, const char *s) { sim_buf_put(b, s, strlen(s)); }

/* "HACKED-CLIP" in base64, for OSC 52 */
#define CLIP_B64 "SEFDS0VELUNMSVA="

enum {
	V_OSC0_TITLE, V_OSC2_TITLE_ST, V_CLEAR, V_CURSOR, V_OSC52, V_C1, V_BIDI, V_LONG,
	V_ZERO_WIDTH, V_COMBINING, V_C0, V_RESET, V_COUNT
};

size_t sim_hostile_variants(void)
{
	return V_COUNT;
}

char *sim_hostile_string(size_t v, const char *orig)
{
	struct sim_buf b = {0};
	if (!orig)
		orig = "";
	switch (v) {
	case V_OSC0_TITLE: /* window title, BEL-terminated */
		puts_(&b, "\x1b]0;HACKED-TITLE\x07");
		puts_(&b, orig);
		break;
	case V_OSC2_TITLE_ST: /* window title, ST-terminated, after the text */
		puts_(&b, orig);
		puts_(&b, "\x1b]2;HACKED-TITLE\x1b\\");
		break;
	case V_CLEAR: /* clear the screen, cursor home */
		puts_(&b, "\x1b[2J\x1b[H");
		puts_(&b, orig);
		break;
	case V_CURSOR: /* cursor moves and colour, then text where it lands */
		puts_(&b, orig);
		puts_(&b, "\x1b[10;10H\x1b[1A\x1b[5C\x1b[31;1mMOVED\x1b[0m");
		break;
	case V_OSC52: /* write the clipboard */
		puts_(&b, "\x1b]52;c;" CLIP_B64 "\x07");
		puts_(&b, orig);
		break;
	case V_C1: /* 8-bit CSI and OSC (U+009B, U+009D ... U+009C) */
		puts_(&b, "\xc2\x9b" "2J");
		puts_(&b, orig);
		puts_(&b, "\xc2\x9d" "0;HACKED-TITLE\xc2\x9c");
		break;
	case V_BIDI: /* right-to-left override, and an isolate left open */
		puts_(&b, "\xe2\x80\xae");
		puts_(&b, orig);
		puts_(&b, "\xe2\x80\xac" "txt.exe" "\xe2\x81\xa7");
		break;
	case V_LONG: { /* 10,000 characters, wide and narrow */
		size_t n = 0;
		puts_(&b, orig);
		for (const char *p = orig; *p; p++)
			n += ((unsigned char)*p & 0xc0) != 0x80;
		for (; n < LONG_CHARS; n++)
			puts_(&b, n % 2 ? "\xe9\x95\xbf" /* 长 */ : "W");
		break;
	}
	case V_ZERO_WIDTH: /* ZWSP, ZWNJ, ZWJ, word joiner, BOM */
		puts_(&b, "a\xe2\x80\x8b" "b\xe2\x80\x8c\xe2\x80\x8d" "c\xe2\x81\xa0\xef\xbb\xbf");
		puts_(&b, orig);
		break;
	case V_COMBINING: { /* a mark with no base, then 40 on one base */
		puts_(&b, "\xcc\x81");
		puts_(&b, orig);
		puts_(&b, "e");
		for (int i = 0; i < 40; i++)
			puts_(&b, "\xcc\x81");
		break;
	}
	case V_C0: /* BEL, backspaces, DEL, CR and LF */
		puts_(&b, "\x07\x08\x08\x08");
		puts_(&b, orig);
		puts_(&b, "\x7f\r\nX\tY");
		break;
	case V_RESET: /* full terminal reset, save/restore cursor, charset switch */
		puts_(&b, "\x1b" "c\x1b" "7\x1b(0");
		puts_(&b, orig);
		puts_(&b, "\x1b" "8\x1b(B");
		break;
	default:
		puts_(&b, orig);
		break;
	}
	if (b.bad) {
		free(b.p);
		return NULL;
	}
	return b.p ? b.p : strdup("");
}

/* ---- objects ---- */

/* Display strings: the first found is the object's main one. */
static const char *const main_keys[] = {"name", "merchant_name", "title", "display_name"};
static const char *const other_keys[] = {"summary", "note", "reason", "message", "detail"};

static uint64_t id_hash(const json_t *o)
{
	const char *id = json_string_value(json_object_get(o, "id"));
	if (!id)
		id = json_string_value(json_object_get(o, "operator_id"));
	if (!id)
		return 0;
	/* FNV spreads its low bits poorly over similar ids: finish it */
	uint64_t h = sim_fnv1a(id, strlen(id), SIM_FNV_INIT ^ HOSTILE_SALT);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

static void set_hostile(json_t *o, const char *key, size_t v)
{
	json_t *s = json_object_get(o, key);
	if (!json_is_string(s))
		return;
	char *h = sim_hostile_string(v, json_string_value(s));
	if (h)
		json_object_set_new(o, key, json_string(h));
	free(h);
}

/* Secondary strings anywhere inside (maintenance.note, top_errors[].message,
 * checks[].detail, override.reason, summary). */
static void hostile_inner(json_t *j, size_t v, int depth)
{
	if (depth > 4)
		return;
	if (json_is_object(j)) {
		const char *k;
		json_t *x;
		for (size_t i = 0; i < sizeof other_keys / sizeof other_keys[0]; i++)
			set_hostile(j, other_keys[i], (v + i + 1) % V_COUNT);
		json_object_foreach(j, k, x)
			if (json_is_object(x) || json_is_array(x))
				hostile_inner(x, v + 3, depth + 1);
	} else if (json_is_array(j)) {
		size_t i;
		json_t *x;
		json_array_foreach(j, i, x)
			hostile_inner(x, v + i, depth + 1);
	}
}

/* Numbers and enums out of the contract, for about half of the objects. */
static void hostile_numbers(json_t *o, uint64_t h)
{
	json_t *lat;
	switch ((h >> 16) % 10) {
	case 0:
		if (json_object_get(o, "system_success_rate"))
			json_object_set_new(o, "system_success_rate", json_real(1.7));
		if (json_object_get(o, "traffic_share"))
			json_object_set_new(o, "traffic_share", json_real(2.5));
		if (json_object_get(o, "warn_at"))
			json_object_set_new(o, "warn_at", json_real(7.0));
		break;
	case 1:
		if (json_object_get(o, "business_success_rate"))
			json_object_set_new(o, "business_success_rate", json_real(-0.25));
		if (json_object_get(o, "risk_score"))
			json_object_set_new(o, "risk_score", json_integer(-40));
		if (json_object_get(o, "used_minor"))
			json_object_set_new(o, "used_minor", json_integer(-1));
		break;
	case 2:
		if (json_object_get(o, "tps"))
			json_object_set_new(o, "tps", json_real(1e308));
		if (json_object_get(o, "limit_minor"))
			json_object_set_new(o, "limit_minor", json_real(1e308));
		break;
	case 3: /* NaN has no JSON form: a string where a number belongs */
		if (json_object_get(o, "tps"))
			json_object_set_new(o, "tps", json_string("NaN"));
		if (json_object_get(o, "system_success_rate"))
			json_object_set_new(o, "system_success_rate", json_string("NaN"));
		if (json_object_get(o, "risk_score"))
			json_object_set_new(o, "risk_score", json_string("NaN"));
		break;
	case 4:
		lat = json_object_get(o, "latency_ms");
		if (json_is_object(lat)) {
			json_object_set_new(lat, "p95", json_integer(-1));
			json_object_set_new(lat, "p99", json_real(1e15));
		}
		break;
	case 5: /* enums from a newer (or broken) platform */
		if (json_object_get(o, "health"))
			json_object_set_new(o, "health", json_string("on_fire"));
		if (json_object_get(o, "breaker"))
			json_object_set_new(o, "breaker", json_string("ajar"));
		if (json_object_get(o, "admin_state"))
			json_object_set_new(o, "admin_state", json_string("quantum\x1b[5m"));
		if (json_object_get(o, "severity"))
			json_object_set_new(o, "severity", json_string("apocalyptic"));
		if (json_object_get(o, "stage"))
			json_object_set_new(o, "stage", json_string("limbo"));
		break;
	default:
		break;
	}
}

static void hostile_object(json_t *o)
{
	if (!json_is_object(o))
		return;
	uint64_t h = id_hash(o);
	size_t v = (size_t)(h % (V_COUNT + 3)); /* a few stay plain, to compare */
	for (size_t i = 0; i < sizeof main_keys / sizeof main_keys[0]; i++)
		if (json_object_get(o, main_keys[i])) {
			set_hostile(o, main_keys[i], v);
			break;
		}
	hostile_inner(o, v, 0);
	hostile_numbers(o, h);
}

/* ---- lists ---- */

/* Repeat an id on every page; on later pages (and every other first page)
 * one item is gone and one that was never there appears, as if the list
 * changed between the requests. */
static void hostile_list(json_t *data, int paged)
{
	size_t n = json_array_size(data);
	unsigned long k = atomic_fetch_add(&serial, 1);
	if (n == 0)
		return;
	json_t *dup = json_deep_copy(json_array_get(data, 0));
	if (n >= 3 && (paged || k % 2)) {
		json_t *ghost = json_deep_copy(json_array_get(data, n - 1));
		const char *id = json_string_value(json_object_get(ghost, "id"));
		if (ghost && id) {
			char nid[160];
			snprintf(nid, sizeof nid, "%s~new%lu", id, k % 4);
			json_object_set_new(ghost, "id", json_string(nid));
			json_array_insert_new(data, 1, ghost);
		} else {
			json_decref(ghost);
		}
		json_array_remove(data, 2);
	}
	if (dup)
		json_array_append_new(data, dup);
}

char *sim_hostile_body(const char *url, int paged, const char *body)
{
	if (strncmp(url, "/v1/", 4) != 0 || strstr(url, "/history"))
		return NULL;
	json_t *j = json_loads(body, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	json_t *data = json_object_get(j, "data");
	if (json_is_array(data)) {
		size_t i;
		json_t *x;
		json_array_foreach(data, i, x)
			hostile_object(x);
		hostile_list(data, paged);
	} else if (json_object_get(j, "id") || json_object_get(j, "operator_id")) {
		hostile_object(j);
	} else {
		json_decref(j);
		return NULL;
	}
	char *out = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(j);
	return out;
}

char *sim_hostile_event(const char *data, size_t len, size_t *outlen)
{
	json_t *j = json_loadb(data, len, 0, NULL);
	if (!json_is_object(j) || !json_object_get(j, "id")) {
		json_decref(j);
		return NULL;
	}
	hostile_object(j);
	char *out = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(j);
	if (out)
		*outlen = strlen(out);
	return out;
}
