/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/events.c - fixed-size ring of serialized events */
#include "sim/events.h"
#include <stdlib.h>

int sim_events_init(struct sim_events *ev, size_t cap)
{
	if (cap == 0)
		cap = 1;
	ev->ring = calloc(cap, sizeof *ev->ring);
	if (!ev->ring)
		return -1;
	ev->cap = cap;
	ev->count = ev->head = 0;
	ev->seq = 0;
	return 0;
}

void sim_events_free(struct sim_events *ev)
{
	if (!ev->ring)
		return;
	for (size_t i = 0; i < ev->cap; i++)
		free(ev->ring[i].data);
	free(ev->ring);
	ev->ring = NULL;
}

uint64_t sim_events_push(struct sim_events *ev, int type, char *data, size_t len)
{
	size_t slot;
	if (ev->count == ev->cap) {
		slot = ev->head;
		free(ev->ring[slot].data);
		ev->head = (ev->head + 1) % ev->cap;
	} else {
		slot = (ev->head + ev->count) % ev->cap;
		ev->count++;
	}
	ev->ring[slot].id = ++ev->seq;
	ev->ring[slot].type = type;
	ev->ring[slot].data = data;
	ev->ring[slot].len = len;
	return ev->seq;
}

int sim_events_can_resume(const struct sim_events *ev, uint64_t last_id)
{
	if (last_id > ev->seq)
		return 0;
	uint64_t oldest = ev->seq - ev->count + 1; /* == seq+1 when empty */
	return last_id + 1 >= oldest;
}

const struct sim_event *sim_events_get(const struct sim_events *ev, uint64_t id)
{
	if (ev->count == 0 || id > ev->seq)
		return NULL;
	uint64_t oldest = ev->seq - ev->count + 1;
	if (id < oldest)
		return NULL;
	return &ev->ring[(ev->head + (size_t)(id - oldest)) % ev->cap];
}

const char *sim_event_type_name(int type)
{
	static const char *names[] = {"alert", "channel", "route", "case", "break", "limit", "approval"};
	return type >= 0 && type <= SIM_EV_APPROVAL ? names[type] : "unknown";
}
