/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/events.h - the world's event ring: every change is one event with an id
 * that grows over the whole world; SSE clients replay from it */
#ifndef SIM_EVENTS_H
#define SIM_EVENTS_H
#include <stddef.h>
#include <stdint.h>

enum sim_ev_type { SIM_EV_ALERT, SIM_EV_CHANNEL, SIM_EV_ROUTE, SIM_EV_CASE, SIM_EV_BREAK, SIM_EV_LIMIT,
		   SIM_EV_APPROVAL };

struct sim_event {
	uint64_t id;
	int type;
	char *data; /* one line of JSON */
	size_t len;
};

struct sim_events {
	struct sim_event *ring;
	size_t cap, count, head; /* head: slot of the oldest event */
	uint64_t seq;            /* id of the newest event (0: none yet) */
};

int sim_events_init(struct sim_events *ev, size_t cap);
void sim_events_free(struct sim_events *ev);
/* Takes ownership of data (malloc'd). Returns the new id, 0 on failure. */
uint64_t sim_events_push(struct sim_events *ev, int type, char *data, size_t len);
/* Is the resume point "after last_id" still replayable? 1 yes, 0 aged out or from the future. */
int sim_events_can_resume(const struct sim_events *ev, uint64_t last_id);
/* The event with this id, NULL when not buffered. */
const struct sim_event *sim_events_get(const struct sim_events *ev, uint64_t id);
const char *sim_event_type_name(int type);

#endif
