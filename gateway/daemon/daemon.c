/*
 * daemon: the event loop and the webhook path.
 *
 * Durability with speed: a webhook is answered only after the transaction
 * that recorded it has committed.  The webhooks that arrive in one turn of
 * the event loop are queued, and one deferred event (run after every I/O
 * callback of that turn) records them all in a single transaction
 * (inbound.c, the pipeline), then answers each.  If the store cannot write, all of them get 503 and the
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
#include "config.h"
#include "crypto.h"
#include "daemon.h"
#include "directory.h"
#include "handler_env.h"
#include "http.h"
#include "inbound.h"
#include "log.h"
#include "metrics.h"
#include "provider.h"
#include "handler.h"
#include "runtime.h"
#include "sender.h"
#include "store.h"
#include "util.h"
#include "voice.h"
#include "voice_audio.h"
#include "worker.h"

/* On shutdown, how long without a new request before we stop. */
#define DRAIN_QUIET_MS	300

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
	struct handler_page_memo	*page_memo;	/* pages of recent replies */
	struct inbound_env	 inbound;	/* the webhook pipeline's world */
	struct worker		*worker;	/* bulk admin jobs, off the loop */
	/* Runtimes replaced by a reload while a job still reads them. */
	struct sp_runtime	**retired;
	size_t			 nretired;
	int64_t			 data_version;	/* when directory was read */
	struct event		*ev_term, *ev_int, *ev_hup;
	struct event		*ev_flush;	/* group commit, once per turn */
	struct event		*ev_drain;	/* shutdown: wait for answers */
	struct event		*ev_sweep;	/* shared store: dead creations */
	struct event		*ev_ckpt;	/* the checkpointer ended a round */
	struct event		*ev_lease;	/* shared store: dead daemons'
						   claims back to the queue */
	int64_t			 pruned_ms;	/* shared store: last
						   store_shared_prune */
	struct inbound_item	*queue;
	struct inbound_item	**queue_tail;
	size_t			 queue_len;
	int			 stopping;
	int64_t			 drain_deadline;
	int64_t			 last_request_ms;	/* monotonic */
};

/*
 * Reload the in-memory directory when another process has committed to the
 * database (an import) or when forced (SIGHUP), and teach the words of its
 * names to the understanding.  On a store error the handlers fall back to
 * querying the store directly.  1 if it was reloaded (and taught).
 */
static int
refresh_directory(struct sp_daemon *d, int force)
{
	struct directory *fresh;
	int64_t version;
	size_t words;

	if (store_data_version(d->store, &version) == -1)
		return 0;
	if (!force && d->directory != NULL && version == d->data_version)
		return 0;
	if ((fresh = directory_load(d->store)) == NULL)
		return 0;
	directory_free(d->directory);
	d->directory = fresh;
	d->data_version = version;
	words = directory_teach(fresh, d->rt->understand);
	log_debug("directory_loaded", "stakeholders=%zu words=%zu",
	    directory_count(fresh), words);
	return 1;
}

static void
flush_queue(struct sp_daemon *d)
{
	struct inbound_item *it, *next, *batch = d->queue;
	struct buf body;
	const char *ctype;
	int ok, queued_outbox, status;

	d->queue = NULL;
	d->queue_tail = &d->queue;
	d->queue_len = 0;
	if (batch == NULL)
		return;

	log_hold();
	refresh_directory(d, 0);
	d->henv.store = d->store;
	d->henv.directory = d->directory;
	d->inbound.rt = d->rt;
	ok = inbound_run(&d->inbound, batch, &queued_outbox);
	buf_init(&body, 0);
	for (it = batch; it != NULL; it = next) {
		next = it->next;
		buf_reset(&body);
		status = inbound_answer(&d->inbound, it, ok, &body, &ctype);
		http_respond(it->exchange, status, ctype, buf_cstr(&body),
		    body.len);
		inbound_item_free(it);
	}
	buf_free(&body);
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

	if (store_broadcasts_abandon_creating(d->store, util_wall_ms(), &n,
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

/*
 * Several daemons on one database: a broadcast whose creator died stays
 * "creating" until a daemon starts, which may be never.  Every daemon
 * sweeps now and then; the store leaves alone what a live daemon is
 * creating, so a sweep by any of them, or by all, cancels each once.
 */
#define SWEEP_S	30

static void
on_sweep(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	abandon_creations(arg);		/* the store logged any error */
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
	if (store_checkpointer_fd(d->store) == -1)
		return;		/* a server's store checkpoints itself */
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
	struct inbound_item *it;
	char err[256], quoted[300];
	int status;

	if (strcmp(req->method, "HEAD") == 0) {
		sms_head(d, x, p);
		return;
	}
	it = inbound_item_new();
	it->t0_mono = util_mono_ms();
	it->t0_wall = util_wall_ms();
	status = p->parse_sms(pc, req, &it->in, err, sizeof(err));
	if (status != 0) {
		log_warn("webhook_rejected", "provider=%s status=%d reason=%s",
		    p->name, status, log_quote(err, 200, quoted,
		    sizeof(quoted)));
		snprintf(quoted, sizeof(quoted), "%s\n", err);
		http_respond_text(x, status, quoted);
		inbound_item_free(it);
		return;
	}
	it->exchange = x;
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
	    records_state_name(up.state), util_wall_ms(),
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

/* What the voice routes may use, valid during the request only. */
static void
voice_env(struct sp_daemon *d, struct voice_env *env)
{
	/* Voice callers see an import at once, as SMS senders do. */
	refresh_directory(d, 0);
	d->henv.store = d->store;
	d->henv.directory = d->directory;
	env->store = d->store;
	env->rt = d->rt;
	env->sender = d->sender;
	env->ops = &handler_env_ops;
	env->ops_arg = &d->henv;
}

static void
voice_route(struct sp_daemon *d, struct http_exchange *x,
    const struct sp_request *req, const struct provider *p,
    const struct provider_conf *pc)
{
	struct voice_env env;

	voice_env(d, &env);
	voice_webhook(&env, x, req, p, pc);
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
		{ "/voice/", voice_route },
	};
	struct sp_daemon *d = arg;
	const struct provider *p;
	const struct provider_conf *pc;
	struct sp_request r;
	char name[32];
	const char *rest, *slash;
	size_t i, len;

	d->last_request_ms = util_mono_ms();
	if (strcmp(req->path, "/healthz") == 0) {
		healthz(d, x, req);
		return;
	}
	if (strncmp(req->path, "/audio/", 7) == 0) {
		char *dir = xasprintf("%s/audio", config_str(d->rt->cfg,
		    "prompts_dir"));

		voice_audio(dir, x, req);
		free(dir);
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
admin_ctx_of(struct sp_daemon *d, struct admin_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->store = d->store;
	ctx->rt = d->rt;
	ctx->sender = d->sender;
	ctx->daemon = d;
	ctx->auth = d->auth;
	ctx->metrics = d->metrics;
	ctx->db_path = config_str(d->rt->cfg, "db");
	ctx->can_defer = d->worker != NULL && !d->stopping;
}

static void
admin_respond(struct http_exchange *x, struct admin_response *res)
{
	if (res->set_cookie != NULL)
		http_add_header(x, "Set-Cookie", res->set_cookie);
	if (res->location != NULL)
		http_add_header(x, "Location", res->location);
	/* Nothing on this listener is for caches. */
	http_add_header(x, "Cache-Control", "no-store");
	http_respond(x, res->status ? res->status : 500, res->content_type ?
	    res->content_type : "text/plain", buf_cstr(&res->body),
	    res->body.len);
}

/* Free the runtimes a reload replaced, once no job reads them. */
static void
free_retired(struct sp_daemon *d)
{
	size_t i;

	if (d->worker != NULL && worker_busy(d->worker) > 0)
		return;
	for (i = 0; i < d->nretired; i++)
		runtime_free(d->retired[i]);
	free(d->retired);
	d->retired = NULL;
	d->nretired = 0;
}

/* An admin request whose job runs off the loop (admin.h). */
struct admin_deferred {
	struct sp_daemon	*d;
	struct http_exchange	*x;
	struct admin_job	*job;
};

static void
deferred_work(void *arg)
{
	struct admin_deferred *df = arg;

	df->job->work(df->job);
}

static void
deferred_done(void *arg)
{
	struct admin_deferred *df = arg;
	struct admin_response res;
	struct admin_ctx ctx;

	admin_ctx_of(df->d, &ctx);
	memset(&res, 0, sizeof(res));
	buf_init(&res.body, 0);
	df->job->finish(df->job, &ctx, &res);
	df->job->free(df->job);
	admin_respond(df->x, &res);
	admin_response_clear(&res);
	free_retired(df->d);
	free(df);
}

static void
on_admin_request(void *arg, struct http_exchange *x,
    const struct sp_request *req)
{
	struct sp_daemon *d = arg;
	struct admin_deferred *df;
	struct admin_response res;
	struct admin_ctx ctx;
	char err[256];

	d->last_request_ms = util_mono_ms();
	admin_ctx_of(d, &ctx);
	admin_dispatch(&ctx, req, &res);
	if (res.job != NULL) {
		df = xcalloc(1, sizeof(*df));
		df->d = d;
		df->x = x;
		df->job = res.job;
		res.job = NULL;
		if (worker_run(d->worker, deferred_work, deferred_done, df,
		    err, sizeof(err)) == 0) {
			admin_response_clear(&res);
			return;
		}
		log_warn("admin_job", "problem=\"%s\" note=\"run on the "
		    "loop\"", err);
		res.job = df->job;
		free(df);
		admin_job_run_here(&ctx, &res);
	}
	admin_respond(x, &res);
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

/* ---- claims left by dead daemons (a shared store) ---- */

/*
 * -1 (every "sending" message is this daemon's to requeue at start) on
 * SQLite, which one daemon owns; on a store shared by several daemons,
 * the configured lease: only a claim older than that was left by one
 * that died.
 */
static int64_t
lease_ms(const struct sp_daemon *d)
{
	if (!store_path_is_server(config_str(d->rt->cfg, "db")))
		return -1;
	return (int64_t)config_int(d->rt->cfg, "sending_lease_s") * 1000;
}

static struct timeval
lease_tick(const struct sp_daemon *d)
{
	int64_t s = lease_ms(d) / 2000;
	struct timeval tv = { s < 1 ? 1 : s > 30 ? 30 : (time_t)s, 0 };

	return tv;
}

/* Any daemon takes back what a dead one left, once its lease is out. */
static void
on_lease(evutil_socket_t fd, short what, void *arg)
{
	struct sp_daemon *d = arg;
	struct timeval tick = lease_tick(d);
	int64_t n = 0;

	(void)fd;
	(void)what;
	if (store_outbox_requeue_expired(d->store, util_wall_ms(),
	    lease_ms(d), &n) == 0 && n > 0)
		log_warn("outbox_requeued", "messages=%lld "
		    "reason=claim_lease_expired", (long long)n);
	/* Hourly, by whichever daemon comes first: the abuse counters of
	 * senders long quiet, and hours of budget long gone. */
	if (util_mono_ms() - d->pruned_ms >= 3600 * 1000) {
		d->pruned_ms = util_mono_ms();
		if (store_shared_prune(d->store, util_wall_ms(), &n) == 0 &&
		    n > 0)
			log_info("shared_pruned", "rows=%lld", (long long)n);
	}
	evtimer_add(d->ev_lease, &tick);
}

static int
start_lease_check(struct sp_daemon *d)
{
	struct timeval tick = lease_tick(d);

	if (lease_ms(d) < 0)
		return 0;
	if ((d->ev_lease = evtimer_new(d->base, on_lease, d)) == NULL ||
	    evtimer_add(d->ev_lease, &tick) == -1) {
		fprintf(stderr, "sampark: cannot set up events\n");
		return -1;
	}
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
	    util_mono_ms() - d->last_request_ms >= DRAIN_QUIET_MS) ||
	    util_mono_ms() >= d->drain_deadline) {
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
	d->last_request_ms = util_mono_ms();
	log_info("shutdown", "signal=%d inflight=%zu queued=%zu", (int)sig,
	    http_server_inflight(d->http), d->queue_len);
	http_server_stop_accepting(d->http);
	if (d->admin_http != NULL)
		http_server_stop_accepting(d->admin_http);
	sender_stop(d->sender);
	d->drain_deadline = util_mono_ms() +
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
	 * are answered with the new tables, which is what a reload means.
	 * A job still running keeps the tables it was given. */
	d->retired = xreallocarray(d->retired, d->nretired + 1,
	    sizeof(*d->retired));
	d->retired[d->nretired++] = d->rt;
	d->rt = rt;
	free_retired(d);
	sender_set_runtime(d->sender, rt);
	abuse_configure(d->abuse, rt->cfg);
	/* The new understanding learns the directory's words once: from the
	 * reloaded directory, or from the one kept if the store failed. */
	if (!refresh_directory(d, 1))
		directory_teach(d->directory, rt->understand);
	apply_log_level(rt);
	check_providers(rt);
	log_info("reloaded", "config=%s", d->opts->config_path);
}

/* ---- set-up ---- */

static void
daemon_free(struct sp_daemon *d)
{
	struct event **evs[] = { &d->ev_term, &d->ev_int, &d->ev_hup,
	    &d->ev_flush, &d->ev_drain, &d->ev_ckpt, &d->ev_lease,
	    &d->ev_sweep };
	size_t i;

	/* First: finishing jobs answer through the servers and the rest. */
	worker_free(d->worker);
	d->worker = NULL;
	free_retired(d);
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
	handler_page_memo_free(d->page_memo);
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

		/* The claims' lease (on a shared store, what a dead
		 * daemon left is requeued once it runs out); one that ran
		 * out under a live request would send its message twice. */
		if (config_int(d.rt->cfg, "sending_lease_s") <=
		    config_int(d.rt->cfg, "send_timeout"))
			log_warn("config", "problem=\"sending_lease_s is not "
			    "longer than send_timeout: a slow send may go "
			    "twice\"");
		/* A crash left these half-sent: send them again (on a
		 * shared store, those whose claim has expired). */
		if (store_outbox_requeue_expired(d.store, util_wall_ms(),
		    lease_ms(&d), &requeued) == -1) {
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
		uint64_t seed = (uint64_t)util_wall_ms();

		crypto_random(&seed, sizeof(seed));
		d.abuse = abuse_new((size_t)config_int(d.rt->cfg,
		    "abuse_senders"), seed);
		abuse_configure(d.abuse, d.rt->cfg);
		sender_set_abuse(d.sender, d.abuse);
	}
	if ((d.worker = worker_new(d.base, err, sizeof(err))) == NULL)
		log_warn("worker", "problem=\"%s\" note=\"bulk admin jobs run "
		    "on the loop\"", err);
	d.metrics = metrics_new_sampark();
	d.page_memo = handler_page_memo_new();
	d.inbound.store = d.store;
	d.inbound.rt = d.rt;
	d.inbound.abuse = d.abuse;
	d.inbound.metrics = d.metrics;
	d.inbound.handlers = &d.henv;
	d.inbound.page_memo = d.page_memo;
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
	if (store_rate_shared(d.store)) {
		struct timeval every = { SWEEP_S, 0 };

		d.ev_sweep = event_new(d.base, -1, EV_PERSIST, on_sweep, &d);
		if (d.ev_sweep == NULL || event_add(d.ev_sweep, &every)) {
			fprintf(stderr, "sampark: cannot set up events\n");
			goto out;
		}
	}
	start_checkpointer(&d);
	if (start_lease_check(&d) == -1)
		goto out;
	check_providers(d.rt);
	{
		char *shown = store_path_for_log(config_str(d.rt->cfg, "db"));

		log_info("listening", "address=%s port=%d db=%s",
		    config_str(d.rt->cfg, "listen"),
		    http_server_port(d.http), shown);
		free(shown);
	}
	event_base_dispatch(d.base);
	flush_queue(&d);
	log_info("stopped", "status=clean");
	rc = 0;
out:
	daemon_free(&d);
	return rc;
}
