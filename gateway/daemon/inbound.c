/*
 * inbound: the SMS webhook's pipeline.  See inbound.h for the contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abuse.h"
#include "broadcast.h"
#include "config.h"
#include "handler_env.h"
#include "inbound.h"
#include "log.h"
#include "metrics.h"
#include "provider.h"
#include "reply_templates.h"
#include "router.h"
#include "runtime.h"
#include "segment.h"
#include "store.h"
#include "util.h"

/* A retry is answered with the replies found after its message. */
_Static_assert(SP_REPLY_MAX <= STORE_REPLY_WINDOW,
    "replies beyond the store's window would be lost on a retry");

struct inbound_item *
inbound_item_new(void)
{
	return xcalloc(1, sizeof(struct inbound_item));
}

void
inbound_item_free(struct inbound_item *it)
{
	if (it == NULL)
		return;
	store_strings_free(it->replies, it->nreplies);
	records_inbound_clear(&it->in);
	free(it->log_line);
	free(it->m_keyword);
	free(it);
}

/* The DLT template id configured for reply text i, or NULL. */
static const char *
reply_dlt_id(const struct inbound_env *d, const struct router_result *res,
    size_t i)
{
	const struct reply_template *t;

	if (d->rt->replies == NULL || res->reply.keys[i] == NULL ||
	    res->language == NULL)
		return NULL;
	t = reply_templates_find(d->rt->replies, res->language,
	    res->reply.keys[i]);
	return t != NULL ? t->dlt_id : NULL;
}

/* n in decimal at the end of b. */
static void
put_count(struct buf *b, size_t n)
{
	char digits[24];
	size_t i = sizeof(digits);

	digits[--i] = '\0';
	do {
		digits[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	buf_puts(b, digits + i);
}

static int
record_reply(const struct inbound_env *d, struct inbound_item *it, int64_t inbound_id,
    const struct router_result *res)
{
	struct interaction row;
	struct outbox_msg out;
	struct segment_info si;
	size_t i;

	it->replies = xcalloc(res->reply.n ? res->reply.n : 1, sizeof(char *));
	for (i = 0; i < res->reply.n; i++) {
		const char *text = res->reply.texts[i];

		memset(&row, 0, sizeof(row));
		if (res->reply.counted[i])
			si = res->reply.seg[i];
		else
			segment_count(text, strlen(text), &si);
		if (!it->inline_reply) {
			memset(&out, 0, sizeof(out));
			out.provider = (char *)it->provider->name;
			out.to = it->in.from;
			out.from = (char *)"";
			out.body = (char *)text;
			out.encoding = (char *)segment_encoding_name(si.encoding);
			out.segments = (int)si.segments;
			out.created_ms = util_wall_ms();
			out.reply_to = inbound_id;
			/* Its own DLT template id, not the provider's one
			 * for every reply: each shape is a template. */
			out.dlt_template_id = (char *)reply_dlt_id(d, res, i);
			if (store_outbox_add(d->store, &out) == -1)
				return -1;
		}
		row.time_ms = util_wall_ms();
		row.channel = "sms";
		row.direction = "out";
		row.provider = it->provider->name;
		row.phone = it->in.from;
		row.text = text;
		row.keyword = res->keyword;
		row.handler = res->handler;
		row.district = res->district;
		row.language = res->language;
		row.encoding = segment_encoding_name(si.encoding);
		row.segments = (int)si.segments;
		row.latency_ms = util_mono_ms() - it->t0_mono;
		row.reply_to = inbound_id;
		row.status = it->inline_reply ? "replied" : "queued";
		if (store_interaction_log(d->store, &row) == -1)
			return -1;
		it->m_replies++;
		it->m_segments += (double)si.segments;
		if (it->inline_reply)
			it->replies[it->nreplies++] = xstrdup(text);
	}
	return 0;
}

/* Record one webhook and decide its replies, inside the open transaction. */
static int
process_item(const struct inbound_env *d, const struct sp_ctx *ctx,
    struct inbound_item *it)
{
	struct interaction row;
	struct router_result res;
	struct segment_info si;
	struct sp_ctx ictx;
	enum abuse_verdict verdict;
	int64_t id;
	int rc;

	it->inline_reply = it->in.reply_inline_ok &&
	    runtime_provider_conf(d->rt, it->provider)->reply_inline;
	if (it->in.provider_msg_id != NULL) {
		rc = store_inbound_find(d->store, it->provider->name,
		    it->in.provider_msg_id, &id);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			/* A retry: answer as before; outbox replies are
			 * already queued, so the answer carries none. */
			it->duplicate = 1;
			if (!it->inline_reply)
				return 0;
			return store_replies_for(d->store, id, &it->replies,
			    &it->nreplies);
		}
	}
	/*
	 * A refused message is still routed and stored (nothing accepted is
	 * lost), but nothing it asks is carried out except STOP, and its
	 * replies are dropped: a flood or a machine must not join, confirm
	 * a NOTICE or change a contact just because its answers are muted.
	 */
	verdict = abuse_inbound(d->abuse, it->in.from, it->in.body,
	    it->t0_wall);
	ictx = *ctx;
	ictx.limited = verdict != ABUSE_OK;
	if (router_route(&ictx, it->in.from, it->in.body,
	    &res) == -1)
		return -1;
	memset(&row, 0, sizeof(row));
	segment_count(it->in.body, strlen(it->in.body), &si);
	row.time_ms = it->t0_wall;
	row.channel = "sms";
	row.direction = "in";
	row.provider = it->provider->name;
	row.provider_msg_id = it->in.provider_msg_id;
	row.phone = it->in.from;
	row.text = it->in.body;
	row.keyword = res.keyword;
	row.handler = res.handler;
	row.district = res.district;
	row.language = res.language;
	row.encoding = segment_encoding_name(si.encoding);
	row.segments = (int)si.segments;
	row.latency_ms = -1;
	row.status = res.matched ? "matched" : "unmatched";
	row.outcome = res.outcome;
	row.category = res.category;
	row.stakeholders = res.stakeholders;
	rc = store_interaction_insert(d->store, &row);
	if (rc == 1)
		it->m_keyword = xstrdup(res.keyword != NULL ? res.keyword :
		    "none");
	if (rc == 1 && verdict == ABUSE_OK) {
		verdict = abuse_reply(d->abuse, it->in.from,
		    (const char *const *)res.reply.texts, res.reply.n,
		    it->inline_reply && it->provider->build_send != NULL,
		    it->t0_wall);
		/* Her replies are held back: she got nothing, whatever the
		 * handler had for her. */
		if (verdict != ABUSE_OK && res.reply.n > 0 &&
		    store_interaction_set_outcome(d->store, row.id,
		    HANDLER_OUTCOME_LIMITED) == -1)
			rc = -1;
	}
	if (rc == 1 && verdict == ABUSE_OK)
		rc = record_reply(d, it, row.id, &res);
	else if (rc == 0 && it->inline_reply)	/* a retry in this batch */
		rc = store_replies_for(d->store, row.id, &it->replies,
		    &it->nreplies);
	if (rc != -1) {
		char masked[32], kw[80], where[80];
		struct buf line;

		/* Pieces put together, not formatted: every webhook pays
		 * for this line. */
		buf_init(&line, 0);
		buf_puts(&line, "provider=");
		buf_puts(&line, it->provider->name);
		buf_puts(&line, " from=");
		buf_puts(&line, log_phone(it->in.from, masked, sizeof(masked)));
		buf_puts(&line, " keyword=");
		buf_puts(&line, log_quote(res.keyword ? res.keyword : "", 40,
		    kw, sizeof(kw)));
		buf_puts(&line, " handler=");
		buf_puts(&line, res.handler);
		buf_puts(&line, res.matched ? " matched=1" : " matched=0");
		buf_puts(&line, " replies=");
		put_count(&line, verdict == ABUSE_OK ? res.reply.n : 0);
		if (res.unserved) {
			buf_puts(&line, " unserved=");
			buf_puts(&line, log_quote(res.unserved, 40, where,
			    sizeof(where)));
		}
		if (verdict != ABUSE_OK) {
			buf_puts(&line, " limited=");
			buf_puts(&line, abuse_verdict_name(verdict));
		}
		it->log_line = buf_steal(&line);
	}
	router_result_clear(&res);
	return rc == -1 ? -1 : 0;
}

/* What a committed webhook leaves in the log and the metrics. */
static void
committed_item(const struct inbound_env *d, const struct inbound_item *it)
{
	if (it->log_line != NULL)
		log_info("sms_in", "%s", it->log_line);
	if (it->m_keyword != NULL)
		metrics_add(d->metrics, "sampark_inbound_messages_total", 1,
		    "keyword", it->m_keyword, NULL);
	if (it->m_replies > 0) {
		metrics_add(d->metrics, "sampark_replies_total",
		    (double)it->m_replies, NULL);
		metrics_add(d->metrics, "sampark_reply_segments_total",
		    it->m_segments, NULL);
	}
}

int
inbound_answer(const struct inbound_env *d, const struct inbound_item *it,
    int stored, struct buf *body, const char **ctype)
{
	const struct provider_conf *pc;

	*ctype = "text/plain";
	if (!stored) {
		buf_puts(body, "store unavailable, retry\n");
		return 503;
	}
	pc = runtime_provider_conf(d->rt, it->provider);
	if (it->provider->render_sms_reply(pc, &it->in, it->replies,
	    it->nreplies, body, ctype) == -1) {
		buf_reset(body);
		*ctype = "text/plain";
		buf_puts(body, "reply too large\n");
		return 500;
	}
	return 200;
}

/* The handlers' context for a batch: the runtime's tables, now. */
static void
batch_ctx(const struct inbound_env *d, struct sp_ctx *ctx,
    struct broadcast_env *benv)
{
	const struct config *cfg = d->rt->cfg;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ops = &handler_env_ops;
	ctx->ops_arg = d->handlers;
	ctx->keywords = d->rt->keywords;
	ctx->districts = d->rt->districts;
	ctx->understand = d->rt->understand;
	ctx->prompts = d->rt->prompts;
	ctx->templates = d->rt->replies;
	ctx->default_language = config_str(cfg, "default_language");
	ctx->segment_budget = (unsigned)config_int(cfg, "segment_budget");
	ctx->now_ms = util_wall_ms();
	ctx->pending_ms = config_int(cfg, "pending_minutes") * 60000;
	ctx->more_ms = config_int(cfg, "more_minutes") * 60000;
	ctx->page_memo = d->page_memo;
	/* NOTICE and YES/NO reach broadcasts through this (broadcast.h). */
	memset(benv, 0, sizeof(*benv));
	benv->store = d->store;
	benv->templates = d->rt->templates;
	benv->cfg = cfg;
	benv->default_provider = runtime_broadcast_provider;
	benv->districts = d->rt->districts;
	benv->now_ms = ctx->now_ms;
	ctx->broadcast = &notice_handler_ops;
	ctx->broadcast_arg = benv;
}

/*
 * ---- several daemons on one database ----
 *
 * Two messages of one woman may reach two daemons at once.  Her
 * contact row (pending question, MORE page, language, opt-out) and her
 * abuse counters are read and written in her message's transaction, so
 * each batch first locks all its senders (store_senders_lock: one order
 * for everyone, no deadlock) and the second waits for the first's
 * commit.  Then her abuse counters are loaded from the database into
 * d->abuse, and saved back before the commit: they commit or roll back
 * with the batch, as abuse_batch_end does in memory.
 */
struct batch_senders {
	const char		**phones;	/* distinct, sorted */
	struct store_sender_limits *was;	/* as loaded */
	size_t			 n;
};

static int
phone_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
limits_from_store(const struct store_sender_limits *l,
    struct abuse_sender *s)
{
	memset(s, 0, sizeof(*s));
	s->tat = l->tat_ms;
	s->repeat_since = l->repeat_since_ms;
	s->last_reply_ms = l->last_reply_ms;
	s->muted_until = l->muted_until_ms;
	s->last_text = (uint64_t)l->last_text;
	s->day = l->day;
	s->replies_today = (uint32_t)l->replies_today;
	s->repeats = (uint32_t)l->repeats;
	s->fast = (uint32_t)l->fast;
	s->muted_why = (uint8_t)l->muted_why;
	s->logged = (uint8_t)l->logged;
}

static void
limits_to_store(const struct abuse_sender *s,
    struct store_sender_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->tat_ms = s->tat;
	l->repeat_since_ms = s->repeat_since;
	l->last_reply_ms = s->last_reply_ms;
	l->muted_until_ms = s->muted_until;
	l->muted_why = s->muted_why;
	l->last_text = (int64_t)s->last_text;
	l->repeats = s->repeats;
	l->fast = s->fast;
	l->logged = s->logged;
	l->day = s->day;
	l->replies_today = s->replies_today;
}

static void
senders_clear(struct batch_senders *bs)
{
	free(bs->phones);
	free(bs->was);
	memset(bs, 0, sizeof(*bs));
}

/* Lock the batch's senders and load their counters; 0 or -1. */
static int
senders_load(const struct inbound_env *d, struct inbound_item *batch,
    struct batch_senders *bs)
{
	struct abuse_sender loaded;
	struct inbound_item *it;
	size_t n = 0, i;
	int rc;

	for (it = batch; it != NULL; it = it->next)
		n++;
	bs->phones = xreallocarray(NULL, n ? n : 1, sizeof(*bs->phones));
	for (it = batch; it != NULL; it = it->next)
		bs->phones[bs->n++] = it->in.from;
	qsort(bs->phones, bs->n, sizeof(*bs->phones), phone_cmp);
	for (i = n = 0; i < bs->n; i++)
		if (n == 0 || strcmp(bs->phones[n - 1], bs->phones[i]) != 0)
			bs->phones[n++] = bs->phones[i];
	bs->n = n;
	if (store_senders_lock(d->store, bs->phones, bs->n) == -1)
		return -1;
	bs->was = xcalloc(bs->n ? bs->n : 1, sizeof(*bs->was));
	for (i = 0; i < bs->n; i++) {
		if ((rc = store_sender_limits_get(d->store, bs->phones[i],
		    &bs->was[i])) == -1)
			return -1;
		/* None kept: a sender never seen, whatever this daemon's
		 * memory says (another may have seen her, long ago). */
		if (rc == 1)
			limits_from_store(&bs->was[i], &loaded);
		abuse_sender_import(d->abuse, bs->phones[i],
		    rc == 1 ? &loaded : NULL);
	}
	return 0;
}

/* Save back the counters the batch changed; 0 or -1. */
static int
senders_save(const struct inbound_env *d, const struct batch_senders *bs,
    int64_t now_ms)
{
	struct store_sender_limits l;
	struct abuse_sender now;
	size_t i;

	for (i = 0; i < bs->n; i++) {
		abuse_sender_export(d->abuse, bs->phones[i], &now);
		limits_to_store(&now, &l);
		/* A batch of retries changes nothing: no write.  (The
		 * store's record is all int64_t: no padding to compare.) */
		if (memcmp(&l, &bs->was[i], sizeof(l)) == 0)
			continue;
		if (store_sender_limits_put(d->store, bs->phones[i], &l,
		    now_ms) == -1)
			return -1;
	}
	return 0;
}

int
inbound_run(const struct inbound_env *d, struct inbound_item *batch,
    int *queued_outbox)
{
	struct batch_senders bs;
	struct inbound_item *it;
	struct broadcast_env benv;
	struct sp_ctx ctx;
	size_t n = 0;
	int ok, shared = store_shared(d->store);

	*queued_outbox = 0;
	memset(&bs, 0, sizeof(bs));
	for (it = batch; it != NULL; it = it->next)
		n++;
	batch_ctx(d, &ctx, &benv);
	/* The abuse counters move with the transaction (abuse.h). */
	abuse_batch_begin(d->abuse);
	ok = store_begin(d->store) == 0;
	/* A batch succeeds or fails whole: its writes need not wait. */
	if (ok)
		store_pipeline(d->store);
	if (ok && shared)
		ok = senders_load(d, batch, &bs) == 0;
	for (it = batch; ok && it != NULL; it = it->next) {
		ok = process_item(d, &ctx, it) == 0;
		*queued_outbox |= !it->inline_reply && !it->duplicate;
	}
	if (ok && shared)
		ok = senders_save(d, &bs, ctx.now_ms) == 0;
	senders_clear(&bs);
	if (ok)
		ok = store_commit(d->store) == 0;
	abuse_batch_end(d->abuse, ok);
	log_debug("batch", "messages=%zu committed=%d", n, ok);
	if (!ok) {
		store_rollback(d->store);
		log_error("batch_failed", "messages=%zu error=\"%s\" "
		    "answer=503", n, store_errmsg(d->store));
		*queued_outbox = 0;
		return 0;
	}
	for (it = batch; it != NULL; it = it->next)
		committed_item(d, it);
	return 1;
}
