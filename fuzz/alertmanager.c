/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/alertmanager.c: libFuzzer target for what an Alertmanager answers.
 *
 * The first byte picks the decoder (the silence list, the status, the id
 * of a created silence, the alert list, an error body); the rest is the
 * body. Every decoded string must be valid UTF-8 and fit its field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/am_int.h"
#include "text/text.h"

static void check_str(const char *s)
{
	if (s && !text_utf8_valid(s, strlen(s)))
		abort();
}

static void check_buf(const char *s, size_t sz)
{
	if (!memchr(s, '\0', sz))
		abort(); /* not terminated inside its buffer */
	check_str(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned which = data[0] % 5;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	char err[256];
	switch (which) {
	case 0: {
		am_silence *v = NULL;
		size_t n = 0, rejected = 0;
		if (am_decode_silences(body, len, &v, &n, &rejected, err, sizeof err) == 0) {
			for (size_t i = 0; i < n; i++) {
				check_str(v[i].id);
				check_str(v[i].created_by);
				check_str(v[i].comment);
				check_str(v[i].state_raw);
				for (size_t k = 0; k < v[i].n_matchers; k++) {
					check_str(v[i].matchers[k].name);
					check_str(v[i].matchers[k].value);
				}
			}
			am_silences_free(v, n);
		}
		check_buf(err, sizeof err);
		break;
	}
	case 1: {
		am_status_info st;
		memset(&st, 0, sizeof st);
		if (am_decode_status(body, len, &st, err, sizeof err) == 0) {
			check_buf(st.version, sizeof st.version);
			check_buf(st.cluster_status, sizeof st.cluster_status);
		}
		break;
	}
	case 2: {
		char id[64];
		if (am_decode_silence_id(body, len, id, sizeof id, err, sizeof err) == 0) {
			check_buf(id, sizeof id);
			if (!id[0])
				abort(); /* decoded, yet empty */
			am_silence_id_ok(id); /* the check the hub makes before a path */
		}
		break;
	}
	case 3: {
		am_alert_list l;
		memset(&l, 0, sizeof l);
		if (am_decode_alerts(body, len, "am", &l, err, sizeof err) == 0) {
			for (size_t i = 0; i < l.n; i++)
				check_str(l.items[i].title);
			check_buf(l.reject_msg, sizeof l.reject_msg);
		}
		am_alert_list_free(&l);
		break;
	}
	default: {
		char msg[200];
		am_body_message(body, len, msg, sizeof msg);
		check_buf(msg, sizeof msg);
		break;
	}
	}
	return 0;
}
