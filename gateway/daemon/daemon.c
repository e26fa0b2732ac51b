/*
 * daemon: the event loop and the webhook path.
 *
 * Durability with speed: a webhook is answered only after the transaction
 * that recorded it has committed.  The webhooks that arrive in one turn of
 * the event loop are queued, and one deferred event (run after every I/O
 * callback of that turn) records them all in a single transaction, then
 * answers each.  If the store cannot write, all of them get 503 and the
 * provider retries; a retry of a message we did record is recognised by
 * its provider message id and answered with the replies we gave before.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "abuse.h"
#include "admin.h"
#include "broadcast.h"
#include "config.h"
#include "crypto.h"
#include "daemon.h"
#include "directory.h"
#include "handler_env.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "provider.h"
#include "router.h"
#include "runtime.h"
#include "segment.h"
#include "sender.h"
#include "store.h"
#include "util.h"
#include "voice.h"

/* A retry is answered with the replies found after its message. */
_Static_assert(SP_REPLY_MAX <= STORE_REPLY_WINDOW,
    "replies beyond the store's window would be lost on a retry");

/* On shutdown, how long without a new request before we stop. */
#define DRAIN_QUIET_MS	300

struct batch_item {
	struct batch_item	*next;
	struct http_exchange	*x;
	const struct provider	*provider;
	struct inbound_msg	 in;
	int64_t			 t0_mono;
	int64_t			 t0_wall;
	/* Filled by the flush. */
	int			 inline_reply;	/* else through the outbox */
	char			**replies;	/* what the answer carries */
	size_t			 nreplies;
	int			 duplicate;
	/* Logged and counted once the batch has committed, never for a
	 * webhook answered 503 (the provider retries it). */
	char			*log_line;	/* sms_in, or NULL */
	char			*m_keyword;	/* inbound counted, or NULL */
	size_t			 m_replies;
	double			 m_segments;
};

struct sp_daemon {
	const struct serve_options *opts;
	struct event_base	*base;
	struct sp_runtime	*rt;
	struct store		*store;
	struct http_server	*http;
	struct http_server	*admin_http;	/* NULL: no admin listener */
	struct admin_auth	*auth;
	struct sender		*sender;
	struct metrics		*metrics;	/* GET /metrics */
	struct abuse		*abuse;		/* rate, loop and budget limits */
	struct directory	*directory;
	struct handler_env	 henv;	/* handlers' door to store and directory */
	struct page_memo	*page_memo;	/* pages of recent replies */
	int64_t			 data_version;	/* when directory was read */
	struct event		*ev_term, *ev_int, *ev_hup;
	struct event		*ev_flush;	/* group commit, once per turn */
	struct event		*ev_drain;	/* shutdown: wait for answers */
	struct event		*ev_ckpt;	/* the checkpointer ended a round */
	struct batch_item	*queue;
	struct batch_item	**queue_tail;
	size_t			 queue_len;
	int			 stopping;
	int64_t			 drain_deadline;
	int64_t			 last_request_ms;	/* monotonic */
};

/* ---- the webhook path ---- */

static void
item_free(struct batch_item *it)
{
	store_strings_free(it->replies, it->nreplies);
	records_inbound_clear(&it->in);
	free(it->log_line);
	free(it->m_keyword);
	free(it);
}

static int
record_reply(struct sp_daemon *d, struct batch_item *it, int64_t inbound_id,
    const struct router_result *res)
{
	struct interaction row;
	struct outbox_msg out;
	struct seg_info si;
	size_t i;

	it->replies = xcalloc(res->reply.n ? res->reply.n : 1, sizeof(char *));
	for (i = 0; i < res->reply.n; i++) {
		const char *text = res->reply.texts[i];

		memset(&row, 0, sizeof(row));
		if (res->reply.counted[i])
			si = res->reply.seg[i];
		else
			seg_count(text, strlen(text), &si);
		if (!it->inline_reply) {
			memset(&out, 0, sizeof(out));
			out.provider = (char *)it->provider->name;
			out.to = it->in.from;
			out.from = (char *)"";
			out.body = (char *)text;
			out.encoding = (char *)seg_encoding_name(si.encoding);
			out.segments = (int)si.segments;
			out.created_ms = sp_wall_ms();
			out.reply_to = inbound_id;
			if (store_outbox_add(d->store, &out) == -1)
				return -1;
		}
		row.time_ms = sp_wall_ms();
		row.channel = "sms";
		row.direction = "out";
		row.provider = it->provider->name;
		row.phone = it->in.from;
		row.text = text;
		row.keyword = res->keyword;
		row.handler = res->handler;
		row.district = res->district;
		row.language = res->language;
		row.encoding = seg_encoding_name(si.encoding);
		row.segments = (int)si.segments;
		row.latency_ms = sp_mono_ms() - it->t0_mono;
		row.reply_to = inbound_id;
		row.status = it->inline_reply ? "replied" : "queued";
		if (store_interaction_insert(d->store, &row) == -1)
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
process_item(struct sp_daemon *d, const struct sp_ctx *ctx,
    struct batch_item *it)
{
	struct interaction row;
	struct router_result res;
	struct seg_info si;
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
	seg_count(it->in.body, strlen(it->in.body), &si);
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
	row.encoding = seg_encoding_name(si.encoding);
	row.segments = (int)si.segments;
	row.latency_ms = -1;
	row.status = res.matched ? "matched" : "unmatched";
	rc = store_interaction_insert(d->store, &row);
	if (rc == 1)
		it->m_keyword = xstrdup(res.keyword != NULL ? res.keyword :
		    "none");
	if (rc == 1 && verdict == ABUSE_OK)
		verdict = abuse_reply(d->abuse, it->in.from,
		    (const char *const *)res.reply.texts, res.reply.n,
		    it->inline_reply && it->provider->build_send != NULL,
		    it->t0_wall);
	if (rc == 1 && verdict == ABUSE_OK)
		rc = record_reply(d, it, row.id, &res);
	else if (rc == 0 && it->inline_reply)	/* a retry in this batch */
		rc = store_replies_for(d->store, row.id, &it->replies,
		    &it->nreplies);
	if (rc != -1) {
		char masked[32], kw[80], where[80];

		it->log_line = xasprintf("provider=%s from=%s keyword=%s "
		    "handler=%s matched=%d replies=%zu%s%s%s%s",
		    it->provider->name,
		    log_phone(it->in.from, masked, sizeof(masked)),
		    log_quote(res.keyword ? res.keyword : "", 40, kw,
		    sizeof(kw)), res.handler, res.matched,
		    verdict == ABUSE_OK ? res.reply.n : 0,
		    res.unserved ? " unserved=" : "",
		    res.unserved ? log_quote(res.unserved, 40, where,
		    sizeof(where)) : "",
		    verdict == ABUSE_OK ? "" : " limited=",
		    verdict == ABUSE_OK ? "" : abuse_verdict_name(verdict));
	}
	router_result_clear(&res);
	return rc == -1 ? -1 : 0;
}

/* What a committed webhook leaves in the log and the metrics. */
static void
committed_item(struct sp_daemon *d, const struct batch_item *it)
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

static void
answer_item(struct sp_daemon *d, struct batch_item *it, int stored)
{
	const struct provider_conf *pc;
	const char *ctype;
	struct buf body;

	if (!stored) {
		http_respond_text(it->x, 503, "store unavailable, retry\n");
		return;
	}
	pc = runtime_provider_conf(d->rt, it->provider);
	buf_init(&body, 0);
	if (it->provider->render_sms_reply(pc, &it->in, it->replies,
	    it->nreplies,
	    &body, &ctype) == -1) {
		buf_free(&body);
		http_respond_text(it->x, 500, "reply too large\n");
		return;
	}
	http_respond(it->x, 200, ctype, buf_cstr(&body), body.len);
	buf_free(&body);
}

/*
 * Reload the in-memory directory when another process has committed to the
 * database (an import) or when forced (SIGHUP), and teach the words of its
 * names to the understanding.  On a store error the handlers fall back to
 * querying the store directly.
 */
static void
refresh_directory(struct sp_daemon *d, int force)
{
	struct directory *fresh;
	int64_t version;
	size_t words;

	if (store_data_version(d->store, &version) == -1)
		return;
	if (!force && d->directory != NULL && version == d->data_version)
		return;
	if ((fresh = directory_load(d->store)) == NULL)
		return;
	directory_free(d->directory);
	d->directory = fresh;
	d->data_version = version;
	words = directory_teach(fresh, d->rt->understand);
	log_debug("directory_loaded", "stakeholders=%zu words=%zu",
	    directory_count(fresh), words);
}

static void
flush_queue(struct sp_daemon *d)
{
	struct batch_item *it, *next, *batch = d->queue;
	struct bcast_env benv;
	struct sp_ctx ctx;
	size_t n = d->queue_len;
	int ok, queued_outbox = 0;

	d->queue = NULL;
	d->queue_tail = &d->queue;
	d->queue_len = 0;
	if (batch == NULL)
		return;

	log_hold();
	refresh_directory(d, 0);
	memset(&ctx, 0, sizeof(ctx));
	d->henv.store = d->store;
	d->henv.directory = d->directory;
	ctx.ops = &handler_env_ops;
	ctx.ops_arg = &d->henv;
	ctx.keywords = d->rt->keywords;
	ctx.districts = d->rt->districts;
	ctx.understand = d->rt->understand;
	ctx.prompts = d->rt->prompts;
	ctx.default_language = config_str(d->rt->cfg, "default_language");
	ctx.segment_budget = (unsigned)config_int(d->rt->cfg, "segment_budget");
	ctx.now_ms = sp_wall_ms();
	ctx.pending_ms = config_int(d->rt->cfg, "pending_minutes") * 60000;
	ctx.more_ms = config_int(d->rt->cfg, "more_minutes") * 60000;
	ctx.page_memo = d->page_memo;
	/* NOTICE and YES/NO reach broadcasts through this (broadcast.h). */
	memset(&benv, 0, sizeof(benv));
	benv.store = d->store;
	benv.templates = d->rt->templates;
	benv.cfg = d->rt->cfg;
	benv.now_ms = ctx.now_ms;
	ctx.bcast = &bcast_handler_ops;
	ctx.bcast_arg = &benv;

	/* The abuse counters move with the transaction (abuse.h). */
	abuse_batch_begin(d->abuse);
	ok = store_begin(d->store) == 0;
	for (it = batch; ok && it != NULL; it = it->next) {
		ok = process_item(d, &ctx, it) == 0;
		queued_outbox |= !it->inline_reply && !it->duplicate;
	}
	if (ok)
		ok = store_commit(d->store) == 0;
	abuse_batch_end(d->abuse, ok);
	log_debug("batch", "messages=%zu committed=%d", n, ok);
	if (!ok) {
		store_rollback(d->store);
		log_error("batch_failed", "messages=%zu error=\"%s\" "
		    "answer=503", n, store_errmsg(d->store));
	}
	for (it = batch; it != NULL; it = next) {
		next = it->next;
		if (ok)
			committed_item(d, it);
		answer_item(d, it, ok);
		item_free(it);
	}
	log_release();
	if (ok && queued_outbox)
		sender_kick(d->sender);
}

/*
 * A broadcast still "creating" at start-up lost its creator (kill -9 of
 * `broadcast create`, which cancels its own creation on Ctrl-C or an SSH
 * drop; a crash of this daemon during POST /api/v1/broadcasts): its
 * messages are held, none was sendable.  It is
 * rolled back (cancelled), not resumed: the request that made it is not
 * kept whole, the audience and templates may have changed since, and an
 * interrupted creation is often one its creator meant to stop.  She sees
 * it cancelled in `broadcast list` and creates it again; nobody gets two.
 * A creation still running in another process fails at its end (its
 * broadcast is no longer "creating") and is cancelled the same way.
 */
static int
abandon_creations(struct sp_daemon *d)
{
	int64_t n, stopped;

	if (store_broadcasts_abandon_creating(d->store, sp_wall_ms(), &n,
	    &stopped) == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(d->store));
		return -1;
	}
	if (n > 0)
		log_warn("broadcast_rolled_back", "broadcasts=%lld "
		    "messages=%lld reason=creation_interrupted",
		    (long long)n, (long long)stopped);
	return 0;
}

static void
on_ckpt(evutil_socket_t fd, short what, void *arg)
{
	struct sp_daemon *d = arg;

	(void)fd;
	(void)what;
	store_checkpointer_finish(d->store);
}

/* Without it the loop still works: SQLite checkpoints inside commits. */
static void
start_checkpointer(struct sp_daemon *d)
{
	char err[512];

	if (store_checkpointer_start(d->store, 0, err, sizeof(err)) == -1) {
		log_warn("checkpointer", "error=\"%s\" note=\"checkpoints "
		    "stay in the commits\"", err);
		return;
	}
	d->ev_ckpt = event_new(d->base, store_checkpointer_fd(d->store),
	    EV_READ | EV_PERSIST, on_ckpt, d);
	if (d->ev_ckpt == NULL || event_add(d->ev_ckpt, NULL) == -1) {
		log_warn("checkpointer", "error=\"cannot watch it\" "
		    "note=\"checkpoints stay in the commits\"");
		store_checkpointer_stop(d->store);
	}
}

static void
on_flush(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	flush_queue(arg);
}

/* HEAD /sms/<p>: some providers probe before they GET; same headers. */
static void
sms_head(struct sp_daemon *d, struct http_exchange *x, const struct provider *p)
{
	const char *ctype;
	struct buf body;

	buf_init(&body, 0);
	p->render_sms_reply(runtime_provider_conf(d->rt, p), NULL, NULL, 0,
	    &body, &ctype);
	http_respond(x, 200, ctype, buf_cstr(&body), body.len);
	buf_free(&body);
}

static void
sms_webhook(struct sp_daemon *d, struct http_exchange *x,
    const struct sp_request *req, const struct provider *p,
    const struct provider_conf *pc)
{
	struct batch_item *it;
	char err[256], quoted[300];
	int status;

	if (strcmp(req->method, "HEAD") == 0) {
		sms_head(d, x, p);
		return;
	}
	it = xcalloc(1, sizeof(*it));
	it->t0_mono = sp_mono_ms();
	it->t0_wall = sp_wall_ms();
	status = p->parse_sms(pc, req, &it->in, err, sizeof(err));
	if (status != 0) {
		log_warn("webhook_rejected", "provider=%s status=%d reason=%s",
		    p->name, status, log_quote(err, 200, quoted,
		    sizeof(quoted)));
		snprintf(quoted, sizeof(quoted), "%s\n", err);
		http_respond_text(x, status, quoted);
		item_free(it);
		return;
	}
	it->x = x;
	it->provider = p;
	*d->queue_tail = it;
	d->queue_tail = &it->next;
	if (d->queue_len++ == 0)
		event_active(d->ev_flush, EV_TIMEOUT, 0);
}

static void
status_webhook(struct sp_daemon *d, struct http_exchange *x,
    const struct sp_request *req, const struct provider *p,
    const struct provider_conf *pc)
{
	struct sp_status_update up;
	char err[256], quoted[300];
	const char *outcome;
	int status;

	if (p->parse_status == NULL) {
		http_respond_text(x, 404, "no delivery reports for this "
		    "provider\n");
		return;
	}
	memset(&up, 0, sizeof(up));
	status = p->parse_status(pc, req, &up, err, sizeof(err));
	if (status != 0) {
		log_warn("status_rejected", "provider=%s status=%d reason=%s",
		    p->name, status, log_quote(err, 200, quoted,
		    sizeof(quoted)));
		snprintf(quoted, sizeof(quoted), "%s\n", err);
		http_respond_text(x, status, quoted);
		return;
	}
	if (up.provider_id[0] == '\0') {
		/* An event we do not track: acknowledged, nothing to do. */
		http_respond(x, 200, "text/plain", "", 0);
		return;
	}
	switch (store_outbox_report(d->store, p->name, up.provider_id,
	    records_state_name(up.state), sp_wall_ms(),
	    up.error_code[0] ? up.error_code : NULL,
	    up.reason[0] ? up.reason : NULL)) {
	case 1:
		outcome = "updated";
		metrics_add(d->metrics, "sampark_delivery_reports_total", 1,
		    "provider", p->name, "state", records_state_name(up.state),
		    NULL);
		break;
	case 2: outcome = "ignored"; break;	/* duplicate or out of order */
	case 0: outcome = "unknown_id"; break;	/* 200 all the same: a
						   provider must not retry */
	default:
		http_respond_text(x, 503, "store unavailable, retry\n");
		return;
	}
	log_info("delivery_report", "provider=%s provider_id=%s state=%s "
	    "raw=%s error_code=%s outcome=%s", p->name,
	    log_quote(up.provider_id, 128, quoted, sizeof(quoted)),
	    records_state_name(up.state), up.raw_status[0] ? up.raw_status : "-",
	    up.error_code[0] ? up.error_code : "-", outcome);
	http_respond(x, 200, "text/plain", "", 0);
}

static void
healthz(struct sp_daemon *d, struct http_exchange *x,
    const struct sp_request *req)
{
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD")) {
		http_respond_text(x, 405, "use GET\n");
		return;
	}
	if (store_check_writable(d->store) == 0)
		http_respond_text(x, 200, "ok\n");
	else
		http_respond_text(x, 503, "store not writable\n");
}

static void
on_request(void *arg, struct http_exchange *x, const struct sp_request *req)
{
	static const struct {
		const char	*prefix;
		void		(*fn)(struct sp_daemon *, struct http_exchange *,
				    const struct sp_request *,
				    const struct provider *,
				    const struct provider_conf *);
	} routes[] = {
		{ "/sms/", sms_webhook },
		{ "/status/", status_webhook },
		{ "/voice/", voice_webhook },
	};
	struct sp_daemon *d = arg;
	const struct provider *p;
	const struct provider_conf *pc;
	struct sp_request r;
	char name[32];
	const char *rest, *slash;
	size_t i, len;

	d->last_request_ms = sp_mono_ms();
	if (strcmp(req->path, "/healthz") == 0) {
		healthz(d, x, req);
		return;
	}
	if (strncmp(req->path, "/audio/", 7) == 0) {
		voice_audio_route(d, x, req);
		return;
	}
	for (i = 0; i < SP_ARRAY_LEN(routes); i++) {
		len = strlen(routes[i].prefix);
		if (strncmp(req->path, routes[i].prefix, len) != 0)
			continue;
		/* /<kind>/<provider>[/<arg>] */
		rest = req->path + len;
		slash = strchr(rest, '/');
		len = slash ? (size_t)(slash - rest) : strlen(rest);
		if (len == 0 || len >= sizeof(name) ||
		    (slash != NULL && strchr(slash + 1, '/') != NULL))
			break;
		memcpy(name, rest, len);
		name[len] = '\0';
		if ((p = provider_find(name)) == NULL ||
		    (pc = runtime_provider_conf(d->rt, p)) == NULL ||
		    !pc->enabled) {
			http_respond_text(x, 404, "no such provider\n");
			return;
		}
		r = *req;
		r.path_arg = slash != NULL ? slash + 1 : NULL;
		routes[i].fn(d, x, &r, p, pc);
		return;
	}
	http_respond_text(x, 404, "not found\n");
}

void
daemon_parts(struct sp_daemon *d, struct daemon_parts *parts)
{
	/* Voice callers see an import at once, as SMS senders do. */
	refresh_directory(d, 0);
	parts->store = d->store;
	parts->rt = d->rt;
	parts->sender = d->sender;
	d->henv.store = d->store;
	d->henv.directory = d->directory;
	parts->ops = &handler_env_ops;
	parts->ops_arg = &d->henv;
}

/* ---- metrics of every answer ---- */

/* Webhooks by kind, provider (only names we know: a path is not allowed
 * to invent label values) and status code. */
static void
on_webhook_answer(void *arg, const char *path, int status, double seconds)
{
	static const char *const kinds[] = { "sms", "status", "voice" };
	struct sp_daemon *d = arg;
	const char *kind = "other", *provider = "", *rest;
	char name[32], code[8];
	size_t i, len;

	for (i = 0; i < SP_ARRAY_LEN(kinds); i++) {
		len = strlen(kinds[i]);
		if (path[0] != '/' || strncmp(path + 1, kinds[i], len) != 0 ||
		    path[len + 1] != '/')
			continue;
		kind = kinds[i];
		rest = path + len + 2;
		len = strcspn(rest, "/");
		provider = "unknown";
		if (len < sizeof(name)) {
			memcpy(name, rest, len);
			name[len] = '\0';
			if (provider_find(name) != NULL)
				provider = name;
		}
		break;
	}
	/* Once per webhook: three digits without snprintf. */
	if (status >= 100 && status <= 999) {
		code[0] = (char)('0' + status / 100);
		code[1] = (char)('0' + status / 10 % 10);
		code[2] = (char)('0' + status % 10);
		code[3] = '\0';
	} else
		snprintf(code, sizeof(code), "%d", status);
	metrics_add(d->metrics, "sampark_webhook_requests_total", 1, "kind",
	    kind, "provider", provider, "code", code, NULL);
	metrics_observe(d->metrics, "sampark_http_request_duration_seconds",
	    seconds, "listener", "webhook", NULL);
}

static void
on_admin_answer(void *arg, const char *path, int status, double seconds)
{
	struct sp_daemon *d = arg;

	(void)path;
	(void)status;
	metrics_observe(d->metrics, "sampark_http_request_duration_seconds",
	    seconds, "listener", "admin", NULL);
}

/* ---- the admin listener ---- */

static void
on_admin_request(void *arg, struct http_exchange *x,
    const struct sp_request *req)
{
	struct sp_daemon *d = arg;
	struct admin_response res;
	struct admin_ctx ctx;

	d->last_request_ms = sp_mono_ms();
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = d->store;
	ctx.rt = d->rt;
	ctx.sender = d->sender;
	ctx.daemon = d;
	ctx.auth = d->auth;
	ctx.metrics = d->metrics;
	admin_dispatch(&ctx, req, &res);
	if (res.set_cookie != NULL)
		http_add_header(x, "Set-Cookie", res.set_cookie);
	if (res.location != NULL)
		http_add_header(x, "Location", res.location);
	/* Nothing on this listener is for caches. */
	http_add_header(x, "Cache-Control", "no-store");
	http_respond(x, res.status ? res.status : 500, res.content_type ?
	    res.content_type : "text/plain", buf_cstr(&res.body),
	    res.body.len);
	admin_response_clear(&res);
}

static int
start_admin(struct sp_daemon *d, char *err, size_t errlen)
{
	const char *listen = config_str(d->rt->cfg, "admin_listen");

	d->auth = admin_auth_load(config_str(d->rt->cfg, "tokens_file"), err,
	    errlen);
	if (d->auth == NULL)
		return -1;
	if (*listen == '\0')
		return 0;
	d->admin_http = http_server_new(d->base, listen,
	    (size_t)config_int(d->rt->cfg, "max_body"),
	    (int)config_int(d->rt->cfg, "request_timeout"), on_admin_request,
	    d, err, errlen);
	if (d->admin_http == NULL)
		return -1;
	http_server_observe(d->admin_http, on_admin_answer, d);
	if (admin_auth_count(d->auth) == 0)
		log_warn("admin_config", "problem=\"no tokens: every admin "
		    "request will be refused with 401\"");
	log_info("admin_listening", "address=%s port=%d", listen,
	    http_server_port(d->admin_http));
	return 0;
}

/* ---- signals: stop and reload ---- */

static void
on_drain(evutil_socket_t fd, short what, void *arg)
{
	struct sp_daemon *d = arg;
	struct timeval tick = { 0, 20 * 1000 };

	(void)fd;
	(void)what;
	flush_queue(d);
	/*
	 * Requests still being received on open connections are invisible
	 * until complete, so wait for a short quiet spell as well as for
	 * every received request to be answered.
	 */
	if ((http_server_inflight(d->http) == 0 &&
	    (d->admin_http == NULL ||
	    http_server_inflight(d->admin_http) == 0) &&
	    sender_inflight(d->sender) == 0 &&
	    sp_mono_ms() - d->last_request_ms >= DRAIN_QUIET_MS) ||
	    sp_mono_ms() >= d->drain_deadline) {
		if (http_server_inflight(d->http) > 0)
			log_warn("shutdown", "unanswered=%zu",
			    http_server_inflight(d->http));
		event_base_loopexit(d->base, NULL);
		return;
	}
	evtimer_add(d->ev_drain, &tick);
}

static void
on_stop(evutil_socket_t sig, short what, void *arg)
{
	struct sp_daemon *d = arg;

	(void)what;
	if (d->stopping)
		return;
	d->stopping = 1;
	d->last_request_ms = sp_mono_ms();
	log_info("shutdown", "signal=%d inflight=%zu queued=%zu", (int)sig,
	    http_server_inflight(d->http), d->queue_len);
	http_server_stop_accepting(d->http);
	if (d->admin_http != NULL)
		http_server_stop_accepting(d->admin_http);
	sender_stop(d->sender);
	d->drain_deadline = sp_mono_ms() +
	    config_int(d->rt->cfg, "request_timeout") * 1000;
	event_active(d->ev_drain, EV_TIMEOUT, 0);
}

static void
log_problems(const char *event, const struct buf *errors)
{
	const char *line = buf_cstr(errors), *nl;
	char quoted[600];

	for (; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		char one[512];
		snprintf(one, sizeof(one), "%.*s", (int)(nl - line), line);
		log_error(event, "problem=%s", log_quote(one, 500, quoted,
		    sizeof(quoted)));
		if (*nl == '\0')
			break;
	}
}

/*
 * What check-config refuses, the daemon only warns about (it may be the
 * one provider being set up while others work), once per line, naming
 * the variable to set.
 */
static void
check_providers(const struct sp_runtime *rt)
{
	struct buf problems, warnings, line;
	const char *s, *e;
	const struct buf *both[2];
	char quoted[1024];
	size_t i;

	buf_init(&problems, 0);
	buf_init(&warnings, 0);
	buf_init(&line, 0);
	runtime_check_references(rt, &problems, &warnings);
	both[0] = &problems;
	both[1] = &warnings;
	for (i = 0; i < 2; i++)
		for (s = buf_cstr(both[i]); (e = strchr(s, '\n')) != NULL;
		    s = e + 1) {
			buf_reset(&line);
			buf_append(&line, s, (size_t)(e - s));
			log_warn("provider_config", "problem=%s",
			    log_quote(buf_cstr(&line), 900, quoted,
			    sizeof(quoted)));
		}
	buf_free(&line);
	buf_free(&warnings);
	buf_free(&problems);
}

/*
 * Each open connection holds a descriptor: with systemd's default soft
 * limit of 1024 the daemon would hold some 480 at once and make the rest
 * wait.  Raise the limit as far as allowed and say what it is.
 */
#define FD_LIMIT_LOW	4096

static void
log_fd_limit(void)
{
	unsigned long long soft, hard;
	size_t per_server;

	if (http_fd_limit(&soft, &hard, &per_server) == -1) {
		log_warn("fd_limit", "problem=\"cannot read RLIMIT_NOFILE\"");
		return;
	}
	if (soft < FD_LIMIT_LOW)
		log_warn("fd_limit", "soft=%llu hard=%llu "
		    "max_connections=%zu problem=\"few descriptors: raise "
		    "LimitNOFILE= in the unit (or ulimit -n)\"", soft, hard,
		    per_server);
	else
		log_info("fd_limit", "soft=%llu hard=%llu max_connections=%zu",
		    soft, hard, per_server);
}

static void
apply_log_level(const struct sp_runtime *rt)
{
	enum log_level level;

	if (log_level_parse(config_str(rt->cfg, "log_level"), &level) == 0)
		log_set_level(level);
}

static void
on_reload(evutil_socket_t sig, short what, void *arg)
{
	struct sp_daemon *d = arg;
	struct sp_runtime *rt;
	struct buf errors;

	(void)sig;
	(void)what;
	buf_init(&errors, 0);
	rt = runtime_load(d->opts->config_path, d->opts->overrides,
	    d->opts->noverrides, &errors);
	if (rt == NULL) {
		log_problems("reload_problem", &errors);
		log_error("reload_failed", "keeping=previous_configuration");
		buf_free(&errors);
		return;
	}
	buf_free(&errors);
	{
		char err[512];
		struct admin_auth *auth = admin_auth_load(config_str(rt->cfg,
		    "tokens_file"), err, sizeof(err));

		if (auth == NULL) {
			log_error("reload_problem", "problem=\"%s\"", err);
			log_error("reload_failed",
			    "keeping=previous_configuration");
			runtime_free(rt);
			return;
		}
		admin_auth_free(d->auth);
		d->auth = auth;
	}
	/* Webhooks already queued were parsed with the old settings; they
	 * are answered with the new tables, which is what a reload means. */
	runtime_free(d->rt);
	d->rt = rt;
	directory_teach(d->directory, rt->understand);
	sender_set_runtime(d->sender, rt);
	abuse_configure(d->abuse, rt->cfg);
	refresh_directory(d, 1);
	apply_log_level(rt);
	check_providers(rt);
	log_info("reloaded", "config=%s", d->opts->config_path);
}

/* ---- set-up ---- */

static void
daemon_free(struct sp_daemon *d)
{
	struct event **evs[] = { &d->ev_term, &d->ev_int, &d->ev_hup,
	    &d->ev_flush, &d->ev_drain, &d->ev_ckpt };
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(evs); i++)
		if (*evs[i] != NULL)
			event_free(*evs[i]);
	http_server_free(d->http);
	http_server_free(d->admin_http);
	admin_auth_free(d->auth);
	sender_free(d->sender);
	abuse_free(d->abuse);
	metrics_free(d->metrics);
	directory_free(d->directory);
	page_memo_free(d->page_memo);
	store_close(d->store);
	runtime_free(d->rt);
	if (d->base != NULL)
		event_base_free(d->base);
}

int
daemon_serve(const struct serve_options *opts)
{
	struct sp_daemon d;
	struct store_options so;
	struct buf errors;
	char err[512];
	int rc = 1;

	memset(&d, 0, sizeof(d));
	d.opts = opts;
	d.queue_tail = &d.queue;
	buf_init(&errors, 0);
	d.rt = runtime_load(opts->config_path, opts->overrides,
	    opts->noverrides, &errors);
	if (d.rt == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		fprintf(stderr, "sampark: configuration has errors, not "
		    "starting\n");
		buf_free(&errors);
		return 1;
	}
	buf_free(&errors);
	apply_log_level(d.rt);
	signal(SIGPIPE, SIG_IGN);

	memset(&so, 0, sizeof(so));
	so.synchronous_full = strcmp(config_str(d.rt->cfg, "synchronous"),
	    "full") == 0;
	/* The loop must not stall behind a CLI holding the lock: give up
	 * quickly and answer 503, so that the provider retries. */
	so.busy_timeout_ms = 250;
	d.store = store_open(config_str(d.rt->cfg, "db"), &so, err,
	    sizeof(err));
	if (d.store == NULL) {
		fprintf(stderr, "sampark: %s\n", err);
		goto out;
	}
	{
		/*
		 * The changelist: evhttp turns a connection's read and
		 * write interest off and on around every request, four
		 * epoll_ctl calls a request; with the changelist libevent
		 * makes only the net change, at the next wait.  Its one
		 * hazard, fds cloned with dup(), does not arise here.
		 */
		struct event_config *ec = event_config_new();

		if (ec != NULL)
			event_config_set_flag(ec,
			    EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
		d.base = ec != NULL ? event_base_new_with_config(ec) : NULL;
		event_config_free(ec);
	}
	if (d.base == NULL) {
		fprintf(stderr, "sampark: cannot create the event loop\n");
		goto out;
	}
	{
		int64_t requeued = 0;

		/* A crash left these half-sent: send them again. */
		if (store_outbox_requeue_sending(d.store, sp_wall_ms(),
		    &requeued) == -1) {
			fprintf(stderr, "sampark: %s\n", store_errmsg(d.store));
			goto out;
		}
		if (requeued > 0)
			log_warn("outbox_requeued", "messages=%lld "
			    "reason=left_sending_by_previous_run",
			    (long long)requeued);
		if (abandon_creations(&d) == -1)
			goto out;
	}
	d.sender = sender_new(d.base, d.store, d.rt, err, sizeof(err));
	if (d.sender == NULL) {
		fprintf(stderr, "sampark: %s\n", err);
		goto out;
	}
	{
		uint64_t seed = (uint64_t)sp_wall_ms();

		crypto_random(&seed, sizeof(seed));
		d.abuse = abuse_new((size_t)config_int(d.rt->cfg,
		    "abuse_senders"), seed);
		abuse_configure(d.abuse, d.rt->cfg);
		sender_set_abuse(d.sender, d.abuse);
	}
	d.metrics = metrics_new_sampark();
	d.page_memo = page_memo_new();
	sender_set_metrics(d.sender, d.metrics);
	abuse_set_metrics(d.abuse, d.metrics);
	log_fd_limit();
	d.http = http_server_new(d.base, config_str(d.rt->cfg, "listen"),
	    (size_t)config_int(d.rt->cfg, "max_body"),
	    (int)config_int(d.rt->cfg, "request_timeout"), on_request, &d,
	    err, sizeof(err));
	if (d.http == NULL) {
		fprintf(stderr, "sampark: %s\n", err);
		goto out;
	}
	http_server_observe(d.http, on_webhook_answer, &d);
	if (start_admin(&d, err, sizeof(err)) == -1) {
		fprintf(stderr, "sampark: %s\n", err);
		goto out;
	}
	d.ev_flush = event_new(d.base, -1, 0, on_flush, &d);
	d.ev_drain = evtimer_new(d.base, on_drain, &d);
	d.ev_term = evsignal_new(d.base, SIGTERM, on_stop, &d);
	d.ev_int = evsignal_new(d.base, SIGINT, on_stop, &d);
	d.ev_hup = evsignal_new(d.base, SIGHUP, on_reload, &d);
	if (d.ev_flush == NULL || d.ev_drain == NULL || d.ev_term == NULL ||
	    d.ev_int == NULL || d.ev_hup == NULL || evsignal_add(d.ev_term,
	    NULL) || evsignal_add(d.ev_int, NULL) || evsignal_add(d.ev_hup,
	    NULL)) {
		fprintf(stderr, "sampark: cannot set up events\n");
		goto out;
	}
	start_checkpointer(&d);
	check_providers(d.rt);
	log_info("listening", "address=%s port=%d db=%s",
	    config_str(d.rt->cfg, "listen"), http_server_port(d.http),
	    config_str(d.rt->cfg, "db"));
	event_base_dispatch(d.base);
	flush_queue(&d);
	log_info("stopped", "status=clean");
	rc = 0;
out:
	daemon_free(&d);
	return rc;
}
