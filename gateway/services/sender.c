/*
 * sender: the outbox's way out.  See sender.h for the contract.
 *
 * One "lane" per provider holds its token bucket and in-flight count.  A
 * pump event looks at every lane: it claims as many due messages as the
 * bucket and the in-flight cap allow and starts their requests.  The pump
 * runs when kicked (something was queued), when a request finishes, when
 * the next token or the next retry is due, and every outbox_poll_ms to
 * pick up messages queued by other processes (`sampark send`).
 *
 * Results of the requests that finish in one loop turn are recorded in one
 * transaction, for the same reason webhooks are: one commit is cheaper
 * than many.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "abuse.h"
#include "broadcast.h"
#include "config.h"
#include "httpclient.h"
#include "log.h"
#include "metrics.h"
#include "provider.h"
#include "provider_voice.h"
#include "runtime.h"
#include "segment.h"
#include "sender.h"
#include "store.h"
#include "util.h"

#define CLAIM_MAX	64		/* messages claimed in one go */

struct lane {
	const struct provider	*provider;
	double			 tokens;
	int64_t			 refill_ms;
	int			 inflight;
	char			*status_url;	/* for delivery reports, or NULL */
};

/*
 * The settings read for every message, taken from the runtime once when
 * it is set (config lookups search the directive table by name).
 */
struct send_settings {
	long			 attempts;
	int64_t			 max_age_ms;
	long			 timeout_ms;
	double			 retry_base_ms;
	double			 retry_max_ms;
};

struct transfer {
	TAILQ_ENTRY(transfer)	 entry;
	struct sender		*sender;
	struct lane		*lane;
	struct httpclient_req	*req;		/* NULL once done */
	struct sp_http_call	 call;
	struct outbox_msg	 msg;
	int64_t			 started_ms;
};

struct sender {
	struct event_base	*base;
	struct store		*store;
	const struct sp_runtime	*rt;
	struct send_settings	 set;		/* from rt */
	struct abuse		*abuse;		/* NULL: no limits */
	struct metrics		*metrics;	/* NULL: not counted */
	struct httpclient	*http;
	struct event		*pump;
	struct lane		*lanes;
	size_t			 nlanes;
	size_t			 inflight;
	TAILQ_HEAD(, transfer)	 transfers;	/* in flight */
	int			 stopped;
	int			 pump_scheduled;
	struct event		*commit_ev;	/* ends the turn's transaction */
	int			 txn_open;
	uint64_t		 rng;
	/* The broadcast row read for the messages of one claim. */
	struct broadcast_check_memo *bc_memo;
};

static void	pump_schedule(struct sender *, int64_t delay_ms);

/* xorshift64*: jitter needs no cryptography, only spread. */
static double
next_random(struct sender *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return (double)((s->rng * 2685821657736338717ULL) >> 11) /
	    (double)(1ULL << 53);
}

static long
cfg_int(const struct sender *s, const char *name)
{
	return config_int(s->rt->cfg, name);
}

/* ---- finishing a message ---- */

static int64_t
backoff_ms(struct sender *s, int attempts, long retry_after_s)
{
	double max = s->set.retry_max_ms, d = s->set.retry_base_ms;
	int i;

	for (i = 1; i < attempts && d < max; i++)
		d *= 2;
	if (d > max)
		d = max;
	/* Full jitter in [d/2, d): retries from many messages spread out. */
	d = d / 2 + next_random(s) * d / 2;
	if (retry_after_s > 0 && retry_after_s * 1000.0 > d)
		d = retry_after_s * 1000.0;
	return (int64_t)d;
}

static void
log_transition(const struct outbox_msg *m, const char *state,
    long http, const struct sp_send_result *r, int64_t latency)
{
	char masked[32], err[300];

	log_info("outbox", "id=%lld provider=%s to=%s state=%s attempt=%d "
	    "http=%ld provider_id=%s error_code=%s error=%s latency_ms=%lld",
	    (long long)m->id, m->provider, log_phone(m->to, masked,
	    sizeof(masked)), state, m->attempts, http,
	    r && r->provider_id[0] ? r->provider_id : "-",
	    r && r->error_code[0] ? r->error_code : "-",
	    log_quote(r ? r->error_message : "", 200, err, sizeof(err)),
	    (long long)latency);
}

/*
 * Why a send did not get through, as the label of
 * sampark_send_errors_total: what an operator must fix differs for each.
 */
static const char *
failure_reason(const struct httpclient_result *res)
{
	if (res->failure != NULL)
		return res->failure;
	if (res->status >= 400 && res->status < 500)
		return "http_4xx";
	if (res->status >= 500)
		return "http_5xx";
	return "rejected";	/* a 2xx or 3xx the provider's answer refused */
}

static void
count_error(struct sender *s, const char *provider, const char *reason,
    const char *state)
{
	metrics_add(s->metrics, "sampark_send_errors_total", 1, "provider",
	    provider, "reason", reason, "outcome", strcmp(state, "queued") == 0 ?
	    "retry" : state, NULL);
}

static void
record_result(struct sender *s, struct transfer *t, long http,
    long retry_after_s, const char *reason, struct sp_send_result *r)
{
	const struct outbox_msg *m = &t->msg;
	struct store_outbox_attempt a;
	int64_t now = util_wall_ms(), latency = util_mono_ms() - t->started_ms;
	const char *state;
	int64_t next = 0;

	memset(&a, 0, sizeof(a));
	a.outbox_id = m->id;
	a.time_ms = now;
	a.attempt = m->attempts;
	a.http_status = http;
	a.error_code = r->error_code[0] ? r->error_code : NULL;
	a.error = r->error_message[0] ? r->error_message : NULL;
	a.latency_ms = latency;
	store_outbox_attempt_add(s->store, &a);

	switch (r->outcome) {
	case SEND_ACCEPTED:
		state = "sent";
		break;
	case SEND_RETRY:
		if (m->attempts >= s->set.attempts) {
			state = "failed";
			break;
		}
		next = now + backoff_ms(s, m->attempts, retry_after_s);
		if (next - m->created_ms > s->set.max_age_ms) {
			state = "expired";
			break;
		}
		state = "queued";
		break;
	default:
		state = "failed";
		break;
	}
	metrics_add(s->metrics, "sampark_send_attempts_total", 1, "provider",
	    m->provider, NULL);
	metrics_observe(s->metrics, "sampark_send_duration_seconds",
	    (double)latency / 1000.0, "provider", m->provider, NULL);
	if (strcmp(state, "sent") != 0)
		count_error(s, m->provider, reason, state);
	store_outbox_finish(s->store, m->id, state, now, next,
	    r->provider_id[0] ? r->provider_id : NULL,
	    r->error_code[0] ? r->error_code : NULL,
	    r->error_message[0] ? r->error_message : NULL, NULL);
	log_transition(m, state, http, r, latency);
}

static void
transfer_free(struct transfer *t)
{
	httpclient_cancel(t->req);
	provider_http_call_clear(&t->call);
	records_outbox_msg_clear(&t->msg);
	free(t);
}

/*
 * The sender writes in batches: the results of finished requests gather
 * in one transaction, committed when the pump next claims (together with
 * its claims), when nothing is in flight any more, or after RESULTS_MAX_MS
 * at the latest; claims are committed before their requests go out.  So a
 * crash can leave at most max_inflight messages sent but not recorded,
 * which bounds the duplicates after a restart, while one commit serves
 * many messages.  The log lines of a batch go out together.
 */
#define RESULTS_MAX_MS	20

static void
txn_open(struct sender *s)
{
	/* Joins the open transaction, or opens it again if a webhook batch
	 * committed it in between. */
	if (store_defer_begin(s->store) == -1)
		return;		/* the store logged why; writes go one by one */
	/* Its history rows (events, attempts) need not wait for answers:
	 * the batch commits or fails whole (store_pipeline). */
	store_pipeline(s->store);
	if (s->txn_open)
		return;
	s->txn_open = 1;
	log_hold();
}

static void
txn_commit(struct sender *s)
{
	evtimer_del(s->commit_ev);
	if (!s->txn_open)
		return;
	s->txn_open = 0;
	store_defer_commit(s->store);
	log_release();
}

/* Is it worth claiming now?  When a lane has half its slots free. */
static int
worth_pumping(const struct sender *s)
{
	size_t i;

	for (i = 0; i < s->nlanes; i++) {
		const struct provider_conf *pc = runtime_provider_conf(s->rt,
		    s->lanes[i].provider);

		if (pc != NULL && pc->enabled &&
		    s->lanes[i].inflight * 2 <= pc->max_inflight)
			return 1;
	}
	return 0;
}

static void
on_commit(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	txn_commit(arg);
}

/*
 * A request finished: read the provider's answer and record it in the
 * open batch (see RESULTS_MAX_MS).
 */
static void
on_answer(void *arg, const struct httpclient_result *res)
{
	struct transfer *t = arg;
	struct sender *s = t->sender;
	const struct provider *p = t->lane->provider;
	struct sp_send_result r;

	t->req = NULL;		/* the client frees it after this call */
	provider_classify_send(res->status, &r);
	if (res->failure != NULL)
		snprintf(r.error_message, sizeof(r.error_message), "%s",
		    res->error);
	else if (p->parse_send != NULL)
		p->parse_send(runtime_provider_conf(s->rt, p), res->status,
		    res->body, res->body_len, &r);
	if (res->failure == NULL)
		provider_explain_failure(res->status, res->body,
		    res->body_len, &r);
	txn_open(s);
	record_result(s, t, res->status, res->retry_after_s,
	    failure_reason(res), &r);
	t->lane->inflight--;
	s->inflight--;
	TAILQ_REMOVE(&s->transfers, t, entry);
	transfer_free(t);
	if (s->stopped) {
		txn_commit(s);		/* no pump will come to do it */
	} else if (s->inflight == 0 || worth_pumping(s)) {
		pump_schedule(s, 0);	/* it commits these results first */
	} else if (!evtimer_pending(s->commit_ev, NULL)) {
		struct timeval tv = { 0, RESULTS_MAX_MS * 1000 };

		evtimer_add(s->commit_ev, &tv);
	}
}

/* ---- starting requests ---- */

/*
 * A message that cannot be sent at all: record why, count it under
 * reason (it never reached the provider) and move on.
 */
static void
fail_now(struct sender *s, struct outbox_msg *m, const char *state,
    const char *reason, const char *why)
{
	struct sp_send_result r;

	count_error(s, m->provider, reason, state);
	memset(&r, 0, sizeof(r));
	r.outcome = SEND_FAILED;
	snprintf(r.error_message, sizeof(r.error_message), "%s", why);
	store_outbox_finish(s->store, m->id, state, util_wall_ms(), 0, NULL,
	    NULL, why, NULL);
	log_transition(m, state, 0, &r, 0);
}

static void
send_local(struct sender *s, struct outbox_msg *m)
{
	struct sp_send_result r;
	char id[64], text[400], masked[32];

	memset(&r, 0, sizeof(r));
	snprintf(id, sizeof(id), "local-%lld", (long long)m->id);
	snprintf(r.provider_id, sizeof(r.provider_id), "%s", id);
	store_outbox_finish(s->store, m->id, "sent", util_wall_ms(), 0, id, NULL,
	    NULL, NULL);
	log_info("console_send", "id=%lld to=%s text=%s", (long long)m->id,
	    log_phone(m->to, masked, sizeof(masked)), log_quote(m->body, 300,
	    text, sizeof(text)));
	log_transition(m, "sent", 0, &r, 0);
}

/*
 * A broadcast message that may not go now after all (broadcast.h): its
 * window closed since it was queued (back to the queue until it opens),
 * its broadcast was cancelled, or it is a reminder she did not say yes
 * to (dropped).  1 if it was held back, 0 to send it.
 */
static int
broadcast_held(struct sender *s, struct outbox_msg *m)
{
	int64_t now = util_wall_ms(), next;
	const char *why;

	switch (broadcast_send_check(s->store, s->rt->cfg, s->bc_memo, m, now,
	    &next, &why)) {
	case BROADCAST_SEND:
		return 0;
	case BROADCAST_DEFER:
		store_outbox_finish(s->store, m->id, "queued", now, next, NULL,
		    NULL, NULL, NULL);
		log_info("send_deferred", "id=%lld broadcast=%lld "
		    "until_ms=%lld", (long long)m->id,
		    (long long)m->broadcast_id, (long long)next);
		return 1;
	case BROADCAST_DROP:
		store_outbox_finish(s->store, m->id, "failed", now, 0, NULL,
		    NULL, why, why);
		log_info("send_skipped", "id=%lld broadcast=%lld reason=\"%s\"",
		    (long long)m->id, (long long)m->broadcast_id, why);
		return 1;
	}
	return 0;
}

/*
 * Is m for a contact who has opted out (as of its claim)?  The one
 * exception is the STOP confirmation: a reply to her own message, queued
 * no earlier than her opt-out (after STOP the router queues no other
 * reply).
 */
static int
opted_out(const struct outbox_msg *m)
{
	if (m->opted_out_ms == 0)
		return 0;
	return m->reply_to == 0 || m->created_ms < m->opted_out_ms;
}

/*
 * The request for msg: a send, or for an outbox message of kind "call"
 * (a missed-call callback) the provider's call into our voice menu.
 */
static int
build_request(struct sender *s, const struct provider *p,
    const struct provider_conf *pc, const struct sp_outbound *msg,
    int is_call, struct sp_http_call *call, char *err, size_t errlen)
{
	struct sp_call c;
	char *url, *status_url;
	int rc;

	if (!is_call)
		return p->build_send(pc, msg, call, err, errlen);
	if (p->build_call == NULL) {
		util_err(err, errlen, "%s cannot place calls", p->name);
		return -1;
	}
	url = xasprintf("%s/voice/%s%s%s", config_str(s->rt->cfg, "public_url"),
	    p->name, pc->url_token != NULL ? "/" : "",
	    pc->url_token != NULL ? pc->url_token : "");
	memset(&c, 0, sizeof(c));
	c.id = msg->id;
	c.to = msg->to;
	c.from = msg->from;
	c.answer_url = url;
	/* The call's end, length and outcome (no answer, busy) come only
	 * in the provider's status callback: the voice route records them
	 * on the call's row. */
	status_url = xasprintf("%s?ev=status", url);
	c.status_url = status_url;
	rc = p->build_call(pc, &c, call, err, errlen);
	free(status_url);
	free(url);
	return rc;
}

/*
 * Start one claimed message.  Takes ownership of *m's contents.  1 when
 * a request went out to a provider that costs (the budget counts it),
 * else 0.
 */
static int
start(struct sender *s, struct lane *lane, struct outbox_msg *m)
{
	const struct provider_conf *pc = runtime_provider_conf(s->rt,
	    lane->provider);
	struct transfer *t;
	struct sp_outbound out;
	char err[256];

	if (util_wall_ms() - m->created_ms > s->set.max_age_ms) {
		fail_now(s, m, "expired", "expired", "too old to send");
		records_outbox_msg_clear(m);
		return 0;
	}
	if (opted_out(m)) {
		store_outbox_finish(s->store, m->id, "failed", util_wall_ms(), 0,
		    NULL, NULL, "opted out", "opted out");
		log_info("send_skipped", "id=%lld reason=opted_out",
		    (long long)m->id);
		records_outbox_msg_clear(m);
		return 0;
	}
	if (m->broadcast_id != 0 && broadcast_held(s, m)) {
		records_outbox_msg_clear(m);
		return 0;
	}
	/* The one prefix check of the outbox: replies, broadcasts and
	 * `sampark send` all come through here. */
	if (s->abuse != NULL && !abuse_destination_ok(s->abuse, m->to)) {
		store_outbox_finish(s->store, m->id, "failed", util_wall_ms(), 0,
		    NULL, NULL, "destination not allowed",
		    "destination not allowed");
		log_info("send_skipped", "id=%lld reason=prefix",
		    (long long)m->id);
		records_outbox_msg_clear(m);
		return 0;
	}
	if (lane->provider->build_send == NULL) {
		send_local(s, m);
		records_outbox_msg_clear(m);
		return 0;
	}
	t = xcalloc(1, sizeof(*t));
	t->sender = s;
	t->lane = lane;
	t->msg = *m;
	memset(m, 0, sizeof(*m));

	memset(&out, 0, sizeof(out));
	out.id = t->msg.id;
	out.to = t->msg.to;
	out.from = t->msg.from ? t->msg.from : "";
	out.body = t->msg.body;
	out.unicode = t->msg.encoding != NULL &&
	    strcmp(t->msg.encoding, "UCS-2") == 0;
	out.status_url = lane->status_url;
	out.dlt_template_id = t->msg.dlt_template_id;
	out.sms_type = t->msg.sms_type;
	if (build_request(s, lane->provider, pc, &out, t->msg.is_call,
	    &t->call, err, sizeof(err)) == -1) {
		fail_now(s, &t->msg, "failed", "config", err);
		transfer_free(t);
		return 0;
	}

	t->started_ms = util_mono_ms();
	t->req = httpclient_post(s->http, &t->call, s->set.timeout_ms,
	    on_answer, t, err, sizeof(err));
	if (t->req == NULL) {
		fail_now(s, &t->msg, "failed", "internal", err);
		transfer_free(t);
		return 0;
	}
	lane->inflight++;
	s->inflight++;
	TAILQ_INSERT_TAIL(&s->transfers, t, entry);
	return 1;
}

/* ---- the pump ---- */

/* Fill the bucket; returns how many messages it allows now. */
static size_t
lane_allowance(struct lane *lane, const struct provider_conf *pc,
    int64_t now)
{
	double burst;

	if (pc->rate <= 0)
		return SIZE_MAX;
	/* A small burst keeps pacing exact at low rates and smooth at
	 * high ones (50 ms worth of tokens). */
	burst = pc->rate / 20 > 1 ? pc->rate / 20 : 1;
	lane->tokens += (double)(now - lane->refill_ms) * pc->rate / 1000.0;
	lane->refill_ms = now;
	if (lane->tokens > burst)
		lane->tokens = burst;
	return lane->tokens >= 1 ? (size_t)lane->tokens : 0;
}

/*
 * Several daemons on one database: the rate is taken from the database
 * (store_rate_take), in the transaction of the claim that follows, so
 * that together they send no more than the configured rate.  Evenly
 * paced, with no burst: the rate is the provider's contract (an
 * operator's TPS), and the daemons' timers are not in step.  Returns
 * how many the claim may take, or 0 with *wait the ms to wait.
 */
static size_t
shared_allowance(struct sender *s, struct lane *lane,
    const struct provider_conf *pc, size_t want, int64_t *wait)
{
	size_t granted = 0;
	int64_t wait_us = 0;

	if (store_rate_take(s->store, lane->provider->name, 0, pc->rate, 1,
	    want, &granted, &wait_us) == -1) {
		*wait = 1000;		/* the store logged why; try later */
		return 0;
	}
	*wait = wait_us / 1000 + 1;
	return granted;
}

/*
 * Several daemons on one database: the hourly budget is counted there,
 * per clock hour of the database's clock, and taken before the claim in
 * its transaction (store_budget_take), so that outbound_per_hour is the
 * total of all daemons.  Returns how many the claim may take (the
 * budget's row in *b), or 0 with *wait the ms until the next hour.
 * Its row is taken before the lane's rate row, and each lane in the
 * same order on every daemon; should the database still find two turns
 * waiting for each other (a lane with a rate through a provider that
 * costs nothing comes first on one), it fails one take, in its
 * savepoint: that lane tries again a second later, nothing else is lost.
 */
static size_t
shared_budget(struct sender *s, size_t want, struct store_budget *b,
    int64_t wall, int64_t *wait)
{
	if (store_budget_take(s->store, 0, abuse_budget_limit(s->abuse),
	    (int64_t)want, b) == -1) {
		*wait = 1000;		/* the store logged why; try later */
		return 0;
	}
	abuse_budget_seen(s->abuse, (uint64_t)b->used, wall);
	if (b->granted > 0)
		return (size_t)b->granted;
	/* Spent: said once (abuse_budget_left logs the hour's trip). */
	abuse_budget_left(s->abuse, wall);
	*wait = b->wait_ms;
	return 0;
}

/* The budget taken but not used (the claim found fewer, or some did not
 * go out) back to the database. */
static void
shared_budget_return(struct sender *s, const struct store_budget *b,
    size_t unused, int64_t wall)
{
	if (unused == 0)
		return;
	if (store_budget_return(s->store, b->hour, (int64_t)unused) == -1) {
		log_warn("sender", "note=\"unused budget not returned\"");
		return;
	}
	abuse_budget_seen(s->abuse, (uint64_t)b->used - unused, wall);
}

/* Run one lane; returns ms until it wants to run again (-1: no need). */
static int64_t
pump_lane(struct sender *s, struct lane *lane)
{
	const struct provider_conf *pc = runtime_provider_conf(s->rt,
	    lane->provider);
	struct outbox_msg *msgs;
	struct store_budget b;
	int64_t now = util_mono_ms(), wall = util_wall_ms(), due, wait;
	size_t allow, room, n, i, started = 0, budget = 0;
	int shared = pc != NULL && pc->rate > 0 &&
	    store_rate_shared(s->store);
	int paid = s->abuse != NULL && lane->provider->build_send != NULL;
	int budget_shared = paid && abuse_budget_limit(s->abuse) > 0 &&
	    store_shared(s->store);

	if (pc == NULL || !pc->enabled)
		return -1;
	allow = shared ? SIZE_MAX : lane_allowance(lane, pc, now);
	room = lane->inflight < pc->max_inflight ?
	    (size_t)(pc->max_inflight - lane->inflight) : 0;
	if (allow > room)
		allow = room;
	if (allow > CLAIM_MAX)
		allow = CLAIM_MAX;
	if (allow == 0) {
		if (room == 0)
			return -1;	/* a finishing request pumps again */
		return (int64_t)((1 - lane->tokens) * 1000 / pc->rate) + 1;
	}
	/* A read first: claiming is a write, and mostly nothing is due. */
	switch (store_outbox_next_due(s->store, lane->provider->name, &due)) {
	case -1:
		return 1000;		/* the store logged why; try later */
	case 0:
		return -1;
	}
	if (due > wall)
		return due - wall;
	/* The circuit breaker: a spent budget claims nothing this hour. */
	if (paid && !budget_shared) {
		size_t left = abuse_budget_left(s->abuse, wall);

		if (left == 0)
			return abuse_budget_wait_ms(wall);
		if (allow > left)
			allow = left;
	}
	if (budget_shared && (allow = budget = shared_budget(s, allow, &b,
	    wall, &wait)) == 0)
		return wait;
	if (shared && (allow = shared_allowance(s, lane, pc, allow,
	    &wait)) == 0) {
		if (budget_shared)
			shared_budget_return(s, &b, budget, wall);
		return wait;
	}
	if (store_outbox_claim(s->store, lane->provider->name, wall, allow,
	    &msgs, &n) == -1) {
		if (shared)
			store_rate_return(s->store, lane->provider->name,
			    pc->rate, allow);
		if (budget_shared)
			shared_budget_return(s, &b, budget, wall);
		return 1000;
	}
	if (shared && n < allow &&
	    store_rate_return(s->store, lane->provider->name, pc->rate,
	    allow - n) == -1)
		log_warn("sender", "provider=%s note=\"unused sends not "
		    "returned to the shared rate\"", lane->provider->name);
	if (pc->rate > 0 && !shared)
		lane->tokens -= (double)n;
	for (i = 0; i < n; i++)
		started += (size_t)start(s, lane, &msgs[i]);
	if (budget_shared)
		shared_budget_return(s, &b, budget - started, wall);
	else if (paid && started > 0)
		abuse_budget_take(s->abuse, started, wall);
	broadcast_check_memo_forget(s->bc_memo);
	records_outbox_msgs_free(msgs, n);
	if (n == allow)
		return 0;		/* there may be more right now */
	if (store_outbox_next_due(s->store, lane->provider->name, &due) == 1)
		return due > wall ? due - wall : 0;
	return -1;
}

static void
on_pump(evutil_socket_t fd, short what, void *arg)
{
	struct sender *s = arg;
	int64_t next = cfg_int(s, "outbox_poll_ms"), d;
	size_t i;

	(void)fd;
	(void)what;
	s->pump_scheduled = 0;
	if (s->stopped) {
		txn_commit(s);
		return;
	}
	/* The results gathered since the last commit join the claims: one
	 * commit makes both durable before the new requests go out. */
	txn_open(s);
	for (i = 0; i < s->nlanes; i++) {
		d = pump_lane(s, &s->lanes[i]);
		if (d >= 0 && d < next)
			next = d;
	}
	txn_commit(s);
	pump_schedule(s, next);
}

static void
pump_schedule(struct sender *s, int64_t delay_ms)
{
	struct timeval tv;

	if (s->stopped)
		return;
	if (s->pump_scheduled) {
		/* Only ever bring the next run closer. */
		if (delay_ms > 0)
			return;
		evtimer_del(s->pump);
	}
	tv.tv_sec = delay_ms / 1000;
	tv.tv_usec = (delay_ms % 1000) * 1000;
	evtimer_add(s->pump, &tv);
	s->pump_scheduled = 1;
}

/* ---- life cycle ---- */

/* Take what the sender reads per message from s->rt. */
static void
use_runtime(struct sender *s)
{
	const char *base = config_str(s->rt->cfg, "public_url");
	size_t i;

	s->set.attempts = cfg_int(s, "send_attempts");
	s->set.max_age_ms = (int64_t)cfg_int(s, "send_max_age") * 1000;
	s->set.timeout_ms = cfg_int(s, "send_timeout") * 1000L;
	s->set.retry_base_ms = (double)cfg_int(s, "retry_base_ms");
	s->set.retry_max_ms = (double)cfg_int(s, "retry_max_ms");
	for (i = 0; i < s->nlanes; i++) {
		struct lane *l = &s->lanes[i];
		const struct provider_conf *pc = runtime_provider_conf(s->rt,
		    l->provider);

		free(l->status_url);
		l->status_url = NULL;
		if (*base == '\0' || pc == NULL)
			continue;
		if (pc->url_token != NULL)
			l->status_url = xasprintf("%s/status/%s/%s", base,
			    pc->name, pc->url_token);
		else
			l->status_url = xasprintf("%s/status/%s", base,
			    pc->name);
	}
}

struct sender *
sender_new(struct event_base *base, struct store *store,
    const struct sp_runtime *rt, char *err, size_t errlen)
{
	struct sender *s;
	size_t i;

	s = xcalloc(1, sizeof(*s));
	s->base = base;
	s->store = store;
	s->rt = rt;
	s->bc_memo = broadcast_check_memo_new();
	TAILQ_INIT(&s->transfers);
	s->rng = (uint64_t)util_wall_ms() * 0x9e3779b97f4a7c15ULL | 1;
	if ((s->http = httpclient_new(base, err, errlen)) == NULL) {
		sender_free(s);
		return NULL;
	}
	s->pump = evtimer_new(base, on_pump, s);
	s->commit_ev = evtimer_new(base, on_commit, s);
	if (s->pump == NULL || s->commit_ev == NULL) {
		util_err(err, errlen, "cannot set up the sender");
		sender_free(s);
		return NULL;
	}
	for (s->nlanes = 0; provider_table[s->nlanes] != NULL; s->nlanes++)
		;
	s->lanes = xcalloc(s->nlanes, sizeof(*s->lanes));
	for (i = 0; i < s->nlanes; i++) {
		s->lanes[i].provider = provider_table[i];
		s->lanes[i].tokens = 1;
		s->lanes[i].refill_ms = util_mono_ms();
	}
	use_runtime(s);
	pump_schedule(s, 0);
	return s;
}

void
sender_set_runtime(struct sender *s, const struct sp_runtime *rt)
{
	s->rt = rt;
	use_runtime(s);
	pump_schedule(s, 0);
}

void
sender_set_abuse(struct sender *s, struct abuse *a)
{
	s->abuse = a;
}

void
sender_set_metrics(struct sender *s, struct metrics *m)
{
	s->metrics = m;
}

void
sender_kick(struct sender *s)
{
	pump_schedule(s, 0);
}

void
sender_stop(struct sender *s)
{
	s->stopped = 1;
	if (s->pump_scheduled)
		evtimer_del(s->pump);
	s->pump_scheduled = 0;
}

size_t
sender_inflight(const struct sender *s)
{
	return s->inflight;
}

void
sender_free(struct sender *s)
{
	struct transfer *t;
	size_t i;

	if (s == NULL)
		return;
	txn_commit(s);
	while ((t = TAILQ_FIRST(&s->transfers)) != NULL) {
		TAILQ_REMOVE(&s->transfers, t, entry);
		transfer_free(t);
	}
	httpclient_free(s->http);
	if (s->pump != NULL)
		event_free(s->pump);
	if (s->commit_ev != NULL)
		event_free(s->commit_ev);
	for (i = 0; s->lanes != NULL && i < s->nlanes; i++)
		free(s->lanes[i].status_url);
	free(s->lanes);
	broadcast_check_memo_free(s->bc_memo);
	free(s);
}
