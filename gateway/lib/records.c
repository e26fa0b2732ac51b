/* records: freeing the plain records, and the names of message states. */
#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "util.h"

void
records_contact_clear(struct contact *c)
{
	if (c == NULL)
		return;
	free(c->phone);
	free(c->name);
	free(c->language);
	free(c->district);
	free(c->role);
	free(c->pending_keyword);
	free(c->more_text);
	memset(c, 0, sizeof(*c));
}

void
records_stakeholder_clear(struct stakeholder *r)
{
	free(r->name);
	free(r->category);
	free(r->district);
	free(r->phone);
	free(r->languages);
	free(r->description_en);
	free(r->description_hi);
	memset(r, 0, sizeof(*r));
}

void
records_stakeholders_free(struct stakeholder *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].category);
		free(v[i].district);
		free(v[i].phone);
		free(v[i].languages);
		free(v[i].description_en);
		free(v[i].description_hi);
	}
	free(v);
}

static const char *const state_names[] = {
	[MSG_QUEUED] = "queued",
	[MSG_SENDING] = "sending",
	[MSG_SENT] = "sent",
	[MSG_DELIVERED] = "delivered",
	[MSG_UNDELIVERED] = "undelivered",
	[MSG_FAILED] = "failed",
	[MSG_EXPIRED] = "expired",
};

const char *
records_state_name(enum msg_state s)
{
	return (size_t)s < SP_ARRAY_LEN(state_names) ? state_names[s] : "?";
}

int
records_state_parse(const char *name, enum msg_state *out)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(state_names); i++)
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum msg_state)i;
			return 0;
		}
	return -1;
}

int
records_state_rank(enum msg_state s)
{
	switch (s) {
	case MSG_QUEUED: return 0;
	case MSG_SENDING: return 1;
	case MSG_SENT: return 2;
	default: return 3;
	}
}

const char *
records_outbox_state(const struct outbox_msg *m)
{
	if (m->state != NULL && strcmp(m->state, "failed") == 0 &&
	    m->reason != NULL && strcmp(m->reason, "cancelled") == 0)
		return "cancelled";
	return m->state;
}

void
records_outbox_msg_clear(struct outbox_msg *m)
{
	if (m == NULL)
		return;
	free(m->provider);
	free(m->to);
	free(m->from);
	free(m->body);
	free(m->encoding);
	free(m->state);
	free(m->provider_id);
	free(m->error_code);
	free(m->error);
	free(m->reason);
	free(m->dlt_template_id);
	free(m->sms_type);
	memset(m, 0, sizeof(*m));
}

void
records_outbox_msgs_free(struct outbox_msg *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		records_outbox_msg_clear(&v[i]);
	free(v);
}

void
records_inbound_clear(struct inbound_msg *in)
{
	free(in->provider_msg_id);
	free(in->body);
	memset(in, 0, sizeof(*in));
}
