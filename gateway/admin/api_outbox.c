/*
 * api_outbox: the outbox, newest first.
 *
 *   GET /api/v1/outbox   ?state=STATE&limit=N (default 100, at most 500)
 *        → {"counts": {STATE: n, ...}, "messages": [{"id", "created",
 *          "state", "provider", "to", "attempts", "segments",
 *          "next_attempt", "broadcast_id", "provider_id", "error_code",
 *          "error", "reason", "why"}]}
 *
 * STATE as `sampark outbox --state` takes it.  "why" says why a queued
 * message has not gone yet: "retry" (an attempt failed; error says
 * what), "quiet_hours", "promotional_window", "daily_cap", "scheduled"
 * (the time the broadcast asked for), or "due" (it goes at the next turn
 * of the sender); null for the others.  Numbers are masked as the CLI
 * masks them.  Run off the event loop (api_job.h): the listing sorts a
 * table that grows with use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admin.h"
#include "api_job.h"
#include "api_outbox.h"
#include "config.h"
#include "form.h"
#include "log.h"
#include "phone.h"
#include "provider.h"
#include "runtime.h"
#include "schedule.h"
#include "store.h"
#include "util.h"

#define LIST_DEFAULT	100
#define LIST_MAX	500

struct outbox_job {
	char			*state;	/* NULL: all */
	size_t			 limit;
	struct schedule_rules	 rules;
	int			 rules_ok;
	int64_t			 now_ms;
	struct store		*st;
	json_t			*messages;
	json_t			*counts;
};

static void
outbox_free(void *arg)
{
	struct outbox_job *oj = arg;

	free(oj->state);
	free(oj);
}

/*
 * Did her daily cap move m to its day?  It is due when that day's windows
 * open, and the day before already had her cap of broadcast messages.
 * (The broadcast's first send cannot tell: when everyone was capped, it is
 * that same morning.)
 */
static int
held_by_cap(struct outbox_job *oj, const struct outbox_msg *m, int promo)
{
	int64_t day = schedule_next_day(m->next_attempt_ms) - SCHEDULE_DAY_MS;
	int64_t n;

	if (m->next_attempt_ms != schedule_next_allowed(&oj->rules, promo, day))
		return 0;
	return store_broadcast_planned(oj->st, m->to, day - SCHEDULE_DAY_MS,
	    day, &n) == 0 && n >= oj->rules.daily_cap;
}

/* Why a queued message waits (see the top of the file). */
static const char *
why_waiting(struct outbox_job *oj, const struct outbox_msg *m)
{
	struct store_broadcast b;
	const char *why = "due";
	int promo;

	if (strcmp(m->state, "queued") != 0 && strcmp(m->state, "held") != 0)
		return NULL;
	if (m->next_attempt_ms <= oj->now_ms)
		return "due";
	if (m->attempts > 0)
		return "retry";
	if (m->broadcast_id == 0 || store_broadcast_get(oj->st,
	    m->broadcast_id, &b) != 1)
		return "scheduled";
	promo = strcmp(b.category, "promotional") == 0;
	/* Tonight's quiet hours hold only what is due when they end, not a
	 * message planned for a later day. */
	if (oj->rules_ok && !schedule_allowed(&oj->rules, promo, oj->now_ms) &&
	    m->next_attempt_ms <= schedule_next_allowed(&oj->rules, promo,
	    oj->now_ms))
		why = promo && schedule_allowed(&oj->rules, 0, oj->now_ms) ?
		    "promotional_window" : "quiet_hours";
	else if (strcmp(b.kind, "reminder") == 0)
		why = "scheduled";
	else if (oj->rules_ok && oj->rules.daily_cap > 0 &&
	    held_by_cap(oj, m, promo))
		why = "daily_cap";
	else if (m->next_attempt_ms == b.send_at_ms)
		why = "scheduled";
	else if (oj->rules_ok && oj->rules.daily_cap > 0)
		why = "daily_cap";
	else
		why = "scheduled";
	store_broadcast_clear(&b);
	return why;
}

static int
one(void *arg, const struct outbox_msg *m)
{
	struct outbox_job *oj = arg;
	char masked[64];

	json_array_append_new(oj->messages, json_pack("{s:I, s:o, s:s, s:s, "
	    "s:s, s:i, s:i, s:o, s:I, s:s?, s:s?, s:s?, s:s?, s:s?}", "id",
	    (json_int_t)m->id, "created", admin_json_time(m->created_ms), "state",
	    records_outbox_state(m), "provider", m->provider, "to",
	    phone_mask(m->to, masked,
	    sizeof(masked)), "attempts", m->attempts, "segments", m->segments,
	    "next_attempt", admin_json_time(m->next_attempt_ms), "broadcast_id",
	    (json_int_t)m->broadcast_id, "provider_id", m->provider_id,
	    "error_code", m->error_code, "error", m->error, "reason",
	    m->reason, "why", why_waiting(oj, m)));
	return 0;
}

static void
count(void *arg, const char *state, int64_t n)
{
	json_object_set_new(arg, state, json_integer((json_int_t)n));
}

static json_t *
outbox_work(struct store *st, void *arg, int *status)
{
	struct outbox_job *oj = arg;

	(void)status;
	oj->st = st;
	oj->counts = json_object();
	oj->messages = json_array();
	if (store_outbox_counts(st, count, oj->counts) == -1 ||
	    store_outbox_list(st, oj->state, oj->limit, one, oj) == -1) {
		json_decref(oj->counts);
		json_decref(oj->messages);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "counts", oj->counts, "messages",
	    oj->messages);
}

static void
outbox(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct outbox_job *oj;
	enum msg_state parsed;
	struct form f;
	const char *v;
	long n;

	(void)role;
	if (admin_query_form(req, &f, res) == -1)
		return;
	oj = xcalloc(1, sizeof(*oj));
	oj->limit = LIST_DEFAULT;
	if ((v = form_get(&f, "state")) != NULL && *v != '\0') {
		if (strcmp(v, "held") != 0 && strcmp(v, "cancelled") != 0 &&
		    records_state_parse(v, &parsed) == -1) {
			form_free(&f);
			free(oj);
			admin_error(res, 400, "state: queued, sending, sent, "
			    "delivered, undelivered, failed, expired, "
			    "cancelled or held");
			return;
		}
		oj->state = xstrdup(v);
	}
	if ((v = form_get(&f, "limit")) != NULL && (n = strtol(v, NULL,
	    10)) > 0)
		oj->limit = n > LIST_MAX ? LIST_MAX : (size_t)n;
	form_free(&f);
	oj->rules_ok = schedule_rules_init(&oj->rules, config_str(ctx->rt->cfg,
	    "quiet_hours"), config_int(ctx->rt->cfg, "daily_cap"), NULL,
	    0) == 0;
	oj->now_ms = util_wall_ms();
	api_job_start(ctx, res, outbox_work, oj, outbox_free, 0);
}

const struct admin_route api_outbox_routes[] = {
	{ "GET", "/api/v1/outbox", ROLE_COORDINATOR, 0, outbox },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
