/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/free.c: releasing and copying decoded objects.
 *
 * Every *_free releases the members and zeroes the struct, so it is safe on
 * a zeroed struct and twice in a row; the copies are deep and all-or-
 * nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "api/model.h"



void api_status_free(api_status *o)
{
	if (!o)
		return;
	free(o->site);
	free(o->platform_version);
	memset(o, 0, sizeof *o);
}

void api_me_free(api_me *o)
{
	if (!o)
		return;
	free(o->operator_id);
	free(o->display_name);
	memset(o, 0, sizeof *o);
}

void api_channel_free(api_channel *o)
{
	size_t i;

	if (!o)
		return;
	free(o->id);
	free(o->name);
	free(o->network_raw);
	free(o->link_id);
	free(o->admin_state_raw);
	free(o->health_raw);
	free(o->breaker_raw);
	for (i = 0; o->top_errors && i < o->n_top_errors; i++) {
		free(o->top_errors[i].code);
		free(o->top_errors[i].message);
	}
	free(o->top_errors);
	for (i = 0; o->interfaces && i < o->n_interfaces; i++) {
		free(o->interfaces[i].name);
		free(o->interfaces[i].admin_state_raw);
	}
	free(o->interfaces);
	free(o->maintenance.note);
	free(o->updated_by);
	api_bad_free(&o->bad);
	memset(o, 0, sizeof *o);
}

void api_history_free(api_history *o)
{
	if (!o)
		return;
	free(o->channel_id);
	free(o->points);
	memset(o, 0, sizeof *o);
}

void api_route_free(api_route *o)
{
	size_t i;

	if (!o)
		return;
	free(o->id);
	free(o->name);
	free(o->strategy_raw);
	for (i = 0; o->members && i < o->n_members; i++)
		free(o->members[i].channel_id);
	free(o->members);
	free(o->override.set_by);
	free(o->override.reason);
	free(o->override.ticket);
	api_bad_free(&o->bad);
	memset(o, 0, sizeof *o);
}

void api_case_free(api_case *o)
{
	size_t i;

	if (!o)
		return;
	free(o->id);
	free(o->merchant_id);
	free(o->merchant_name);
	free(o->mcc);
	free(o->category);
	free(o->channel_requested);
	free(o->source_raw);
	free(o->stage_raw);
	free(o->risk_level_raw);
	for (i = 0; o->checks && i < o->n_checks; i++) {
		free(o->checks[i].name);
		free(o->checks[i].result_raw);
		free(o->checks[i].detail);
	}
	free(o->checks);
	free(o->assignee);
	api_bad_free(&o->bad);
	memset(o, 0, sizeof *o);
}

void api_break_free(api_break *o)
{
	if (!o)
		return;
	free(o->id);
	free(o->recon_date);
	free(o->channel_id);
	free(o->merchant_id);
	free(o->order_no);
	free(o->channel_serial);
	free(o->type_raw);
	free(o->severity_raw);
	free(o->status_raw);
	free(o->assignee);
	free(o->resolution.action);
	free(o->resolution.note);
	free(o->resolution.by);
	api_bad_free(&o->bad);
	memset(o, 0, sizeof *o);
}

void api_recon_summary_free(api_recon_summary *o)
{
	size_t i;

	if (!o)
		return;
	free(o->date);
	for (i = 0; o->channels && i < o->n_channels; i++) {
		free(o->channels[i].channel_id);
		free(o->channels[i].file_status_raw);
	}
	free(o->channels);
	memset(o, 0, sizeof *o);
}

void api_limit_free(api_limit *o)
{
	if (!o)
		return;
	free(o->id);
	free(o->scope_raw);
	free(o->scope_id);
	free(o->name);
	free(o->period_raw);
	free(o->state_raw);
	api_bad_free(&o->bad);
	memset(o, 0, sizeof *o);
}

void api_alert_free(api_alert *o)
{
	size_t i;

	if (!o)
		return;
	free(o->id);
	free(o->fingerprint);
	free(o->severity_raw);
	free(o->state_raw);
	free(o->title);
	free(o->summary);
	for (i = 0; o->labels && i < o->n_labels; i++) {
		free(o->labels[i].key);
		free(o->labels[i].value);
	}
	free(o->labels);
	free(o->acked_by);
	free(o->source);
	api_bad_free(&o->bad);
	memset(o, 0, sizeof *o);
}

void api_problem_free(api_problem *o)
{
	if (!o)
		return;
	free(o->type);
	free(o->title);
	free(o->detail);
	free(o->code);
	free(o->request_id);
	free(o->current_json);
	memset(o, 0, sizeof *o);
}

/* strdup that keeps NULL as NULL; *ok cleared on allocation failure. */
static char *copy_str(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*ok = false;
	return d;
}

static void *dup_array(const void *src, size_t n, size_t size, bool *ok)
{
	void *d;

	if (!src || n == 0)
		return NULL;
	d = calloc(n, size);
	if (!d) {
		*ok = false;
		return NULL;
	}
	memcpy(d, src, n * size);
	return d;
}

int api_channel_copy(api_channel *dst, const api_channel *src)
{
	bool ok = true;
	size_t i;

	*dst = *src; /* scalars; every pointer is replaced below */
	dst->id = copy_str(src->id, &ok);
	dst->name = copy_str(src->name, &ok);
	dst->network_raw = copy_str(src->network_raw, &ok);
	dst->link_id = copy_str(src->link_id, &ok);
	dst->admin_state_raw = copy_str(src->admin_state_raw, &ok);
	dst->health_raw = copy_str(src->health_raw, &ok);
	dst->breaker_raw = copy_str(src->breaker_raw, &ok);
	dst->maintenance.note = copy_str(src->maintenance.note, &ok);
	dst->updated_by = copy_str(src->updated_by, &ok);
	if (api_bad_copy(&dst->bad, &src->bad) != 0)
		ok = false;
	dst->top_errors = dup_array(src->top_errors, src->n_top_errors,
				    sizeof *src->top_errors, &ok);
	if (!dst->top_errors)
		dst->n_top_errors = 0;
	for (i = 0; i < dst->n_top_errors; i++) {
		dst->top_errors[i].code = copy_str(src->top_errors[i].code, &ok);
		dst->top_errors[i].message = copy_str(src->top_errors[i].message, &ok);
	}
	dst->interfaces = dup_array(src->interfaces, src->n_interfaces,
				    sizeof *src->interfaces, &ok);
	if (!dst->interfaces)
		dst->n_interfaces = 0;
	for (i = 0; i < dst->n_interfaces; i++) {
		dst->interfaces[i].name = copy_str(src->interfaces[i].name, &ok);
		dst->interfaces[i].admin_state_raw =
			copy_str(src->interfaces[i].admin_state_raw, &ok);
	}
	if (!ok) {
		api_channel_free(dst);
		return -1;
	}
	return 0;
}

int api_route_copy(api_route *dst, const api_route *src)
{
	bool ok = true;
	size_t i;

	*dst = *src;
	dst->id = copy_str(src->id, &ok);
	dst->name = copy_str(src->name, &ok);
	dst->strategy_raw = copy_str(src->strategy_raw, &ok);
	dst->override.set_by = copy_str(src->override.set_by, &ok);
	dst->override.reason = copy_str(src->override.reason, &ok);
	dst->override.ticket = copy_str(src->override.ticket, &ok);
	if (api_bad_copy(&dst->bad, &src->bad) != 0)
		ok = false;
	dst->members = dup_array(src->members, src->n_members,
				 sizeof *src->members, &ok);
	if (!dst->members)
		dst->n_members = 0;
	for (i = 0; i < dst->n_members; i++)
		dst->members[i].channel_id = copy_str(src->members[i].channel_id, &ok);
	if (!ok) {
		api_route_free(dst);
		return -1;
	}
	return 0;
}

void api_approval_free(api_approval *o)
{
	if (!o)
		return;
	char **s[] = { &o->id, &o->state_raw, &o->kind, &o->target_type, &o->target_id,
		       &o->request_json, &o->req_action, &o->req_interface, &o->req_reason,
		       &o->req_ticket, &o->effect, &o->requested_by, &o->decided_by,
		       &o->decision_reason, &o->result_json, &o->result_code, &o->result_detail };
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		free(*s[i]);
	api_bad_free(&o->bad);
	memset(o, 0, sizeof *o);
}

int api_approval_copy(api_approval *dst, const api_approval *src)
{
	bool ok = true;

	*dst = *src;
	dst->id = copy_str(src->id, &ok);
	dst->state_raw = copy_str(src->state_raw, &ok);
	dst->kind = copy_str(src->kind, &ok);
	dst->target_type = copy_str(src->target_type, &ok);
	dst->target_id = copy_str(src->target_id, &ok);
	dst->request_json = copy_str(src->request_json, &ok);
	dst->req_action = copy_str(src->req_action, &ok);
	dst->req_interface = copy_str(src->req_interface, &ok);
	dst->req_reason = copy_str(src->req_reason, &ok);
	dst->req_ticket = copy_str(src->req_ticket, &ok);
	dst->effect = copy_str(src->effect, &ok);
	dst->requested_by = copy_str(src->requested_by, &ok);
	dst->decided_by = copy_str(src->decided_by, &ok);
	dst->decision_reason = copy_str(src->decision_reason, &ok);
	dst->result_json = copy_str(src->result_json, &ok);
	dst->result_code = copy_str(src->result_code, &ok);
	dst->result_detail = copy_str(src->result_detail, &ok);
	if (api_bad_copy(&dst->bad, &src->bad) != 0)
		ok = false;
	if (!ok) {
		api_approval_free(dst);
		return -1;
	}
	return 0;
}
