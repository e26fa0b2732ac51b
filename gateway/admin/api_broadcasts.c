/*
 * api_broadcasts: broadcasts over the admin API.  JSON in and out:
 *
 *   GET  /api/v1/broadcasts             {"broadcasts": [{"id", "kind",
 *                                        "state", "template", "audience",
 *                                        "recipients", "segments",
 *                                        "created", "first_send",
 *                                        "reminder_of", "counts"}]},
 *                                        newest first, reminders too
 *   POST /api/v1/broadcasts             {"to", "template", "vars": {..},
 *                                        "at", "dry_run", "meeting":
 *                                        {"title", "place", "time"},
 *                                        "no_reminder", "provider"}
 *        → 200 {"preview": ..} when dry_run, else 201 {"id", "preview"};
 *          400 {"error"} when refused (nothing queued)
 *   GET  /api/v1/broadcasts/ID          the broadcast and its counts
 *
 * "state" is queued, sent, done, cancelled or creating (broadcast_state).
 *   POST /api/v1/broadcasts/ID/cancel   {"id", "stopped"}
 *
 * Times are ISO 8601, IST unless they carry Z or an offset.  A create
 * queues the whole audience before it answers (seconds for 100,000), off
 * the event loop, so webhooks are answered meanwhile.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admin.h"
#include "api_broadcasts.h"
#include "broadcast.h"
#include "provider.h"
#include "runtime.h"
#include "sender.h"
#include "store.h"
#include "util.h"
#include "when.h"

#define PREFIX		"/api/v1/broadcasts/"
#define LIST_MAX	100

static json_t *
texts_json(const struct broadcast_lang *l, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:i, "
		    "s:I}", "lang", l[i].lang, "text", l[i].text,
		    "dlt_template_id", l[i].dlt_id, "encoding", l[i].encoding,
		    "segments", (int)l[i].segments, "recipients",
		    (json_int_t)l[i].recipients));
	return a;
}

static json_t *
preview_json(const struct broadcast_preview *pv)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, "
	    "s:o, s:o}", "template", pv->tpl->key, "category",
	    templates_category_name(pv->tpl->category), "audience", pv->audience,
	    "provider", pv->provider, "recipients",
	    (json_int_t)pv->recipients, "opted_out",
	    (json_int_t)pv->opted_out, "too_late", (json_int_t)pv->late,
	    "segments", (json_int_t)pv->segments,
	    "first_send", admin_json_time(pv->first_ms), "texts",
	    texts_json(pv->langs, pv->nlangs), "reminder_at",
	    admin_json_time(pv->reminder_ms), "reminders",
	    texts_json(pv->reminders, pv->nreminders));
}

/* Fill req from the body; strings point into v.  0 or -1 with res set. */
static int
request_from(json_t *v, struct broadcast_request *req, struct templates_var *vars,
    struct admin_response *res)
{
	json_t *jv = json_object_get(v, "vars"), *m, *val;
	const char *key, *at;
	char err[256];

	req->to = json_string_value(json_object_get(v, "to"));
	req->template_key = json_string_value(json_object_get(v, "template"));
	req->provider = json_string_value(json_object_get(v, "provider"));
	req->no_reminder = json_is_true(json_object_get(v, "no_reminder"));
	req->created_by = "api";
	req->vars = vars;
	if (req->to == NULL || req->template_key == NULL) {
		admin_error(res, 400, "\"to\" and \"template\" are required");
		return -1;
	}
	if (jv != NULL && !json_is_object(jv)) {
		admin_error(res, 400, "\"vars\" must be an object of strings");
		return -1;
	}
	json_object_foreach(jv, key, val) {
		if (!json_is_string(val) || req->nvars == TEMPLATES_MAX_VARS) {
			admin_error(res, 400, "\"vars\" must be an object of "
			    "at most 16 strings");
			return -1;
		}
		vars[req->nvars].name = key;
		vars[req->nvars++].value = json_string_value(val);
	}
	if ((at = json_string_value(json_object_get(v, "at"))) != NULL &&
	    when_parse(at, util_wall_ms(), &req->at_ms, err,
	    sizeof(err)) == -1) {
		admin_error(res, 400, err);
		return -1;
	}
	if ((m = json_object_get(v, "meeting")) != NULL && !json_is_null(m)) {
		const char *t = json_string_value(json_object_get(m, "time"));

		req->meeting_title = json_string_value(json_object_get(m,
		    "title"));
		req->meeting_place = json_string_value(json_object_get(m,
		    "place"));
		if (req->meeting_title == NULL || req->meeting_place == NULL ||
		    t == NULL) {
			admin_error(res, 400, "\"meeting\" needs \"title\", "
			    "\"place\" and \"time\"");
			return -1;
		}
		if (when_parse(t, util_wall_ms(), &req->meeting_ms, err,
		    sizeof(err)) == -1) {
			admin_error(res, 400, err);
			return -1;
		}
	}
	return 0;
}

/*
 * A create (or its dry run) reads the whole audience, and a create writes
 * a message per woman: a job, off the loop (admin.h), with a store
 * connection of its own.
 */
struct create_job {
	struct admin_job	 job;
	json_t			*body;		/* req's strings point into it */
	struct broadcast_request	 req;
	struct templates_var		 vars[TEMPLATES_MAX_VARS];
	int			 dry_run;
	char			*db_path;	/* NULL: use store below */
	struct store		*store;		/* when run on the loop */
	const struct templates_table	*templates;
	const struct config	*cfg;
	const struct district_table	*districts;
	int64_t			 now_ms;
	/* What the work found. */
	int			 rc;
	char			 err[512];
	int64_t			 id;
	struct broadcast_preview	 pv;
};

static void
create_work(struct admin_job *job)
{
	struct create_job *cj = (struct create_job *)job;
	struct store_options so;
	struct broadcast_env env;
	struct store *own = NULL;

	memset(&env, 0, sizeof(env));
	env.store = cj->store;
	if (cj->db_path != NULL) {
		/* Its slices of 250 wait for the daemon's commits, not
		 * the other way round: a long busy wait is fine here. */
		memset(&so, 0, sizeof(so));
		so.busy_timeout_ms = 10000;
		if ((own = store_open(cj->db_path, &so, cj->err,
		    sizeof(cj->err))) == NULL) {
			cj->rc = -1;
			return;
		}
		env.store = own;
	}
	env.templates = cj->templates;
	env.cfg = cj->cfg;
	env.default_provider = runtime_broadcast_provider;
	env.districts = cj->districts;
	env.now_ms = cj->now_ms;
	if (cj->dry_run)
		cj->rc = broadcast_preview(&env, &cj->req, &cj->pv, cj->err,
		    sizeof(cj->err));
	else
		cj->rc = broadcast_create(&env, &cj->req, &cj->pv, &cj->id,
		    cj->err, sizeof(cj->err));
	store_close(own);
}

static void
create_finish(struct admin_job *job, struct admin_ctx *ctx,
    struct admin_response *res)
{
	struct create_job *cj = (struct create_job *)job;

	char read_as[WHEN_DESCRIBE_MAX];
	json_t *pv;

	if (cj->rc == -1) {
		admin_error(res, 400, cj->err);
		return;
	}
	pv = preview_json(&cj->pv);
	/* How the meeting's time was read, for her to check. */
	if (cj->req.meeting_title != NULL) {
		when_describe(cj->req.meeting_ms, read_as);
		json_object_set_new(pv, "meeting_time", json_pack("{s:o, s:s}",
		    "time", admin_json_time(cj->req.meeting_ms), "read_as",
		    read_as));
	}
	if (cj->dry_run) {
		admin_json_reply(res, 200, json_pack("{s:o}", "preview", pv));
	} else {
		if (ctx->sender != NULL)
			sender_kick(ctx->sender);
		admin_json_reply(res, 201, json_pack("{s:I, s:o}", "id",
		    (json_int_t)cj->id, "preview", pv));
	}
}

static void
create_free(struct admin_job *job)
{
	struct create_job *cj = (struct create_job *)job;

	broadcast_preview_clear(&cj->pv);
	json_decref(cj->body);
	free(cj->db_path);
	free(cj);
}

static void
create(struct admin_ctx *ctx, const struct sp_request *hreq,
    enum admin_role role, struct admin_response *res)
{
	struct create_job *cj;
	json_t *v;

	(void)role;
	if ((v = admin_json_body(hreq, res)) == NULL)
		return;
	cj = xcalloc(1, sizeof(*cj));
	cj->job.work = create_work;
	cj->job.finish = create_finish;
	cj->job.free = create_free;
	cj->body = v;
	if (request_from(v, &cj->req, cj->vars, res) == -1) {
		create_free(&cj->job);
		return;
	}
	cj->dry_run = json_is_true(json_object_get(v, "dry_run"));
	cj->store = ctx->store;
	if (ctx->can_defer && ctx->db_path != NULL)
		cj->db_path = xstrdup(ctx->db_path);
	cj->templates = ctx->rt->templates;
	cj->cfg = ctx->rt->cfg;
	cj->districts = ctx->rt->districts;
	cj->now_ms = util_wall_ms();
	cj->rc = -1;
	res->job = &cj->job;
}

static json_t *
counts_json(const struct store_broadcast_counts *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "queued",
	    (json_int_t)c->queued, "sent", (json_int_t)c->sent, "delivered",
	    (json_int_t)c->delivered, "failed", (json_int_t)c->failed,
	    "opted_out", (json_int_t)c->opted_out, "cancelled",
	    (json_int_t)c->cancelled);
}

struct list_job {
	struct store	*st;
	json_t		*a;
};

static int
list_one(void *arg, const struct store_broadcast *b)
{
	struct list_job *lj = arg;
	struct store_broadcast_counts c;

	if (store_broadcast_counts(lj->st, b->id, &c) == -1)
		return -1;
	json_array_append_new(lj->a, json_pack("{s:I, s:s, s:s, s:s, s:s, "
	    "s:I, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)b->id, "kind",
	    b->kind, "state", broadcast_state(b, &c), "template",
	    b->template_key, "audience", b->audience, "recipients",
	    (json_int_t)b->recipients, "segments", (json_int_t)b->segments,
	    "created", admin_json_time(b->created_ms), "first_send",
	    admin_json_time(b->send_at_ms), "reminder_of", b->parent_id != 0 ?
	    json_integer((json_int_t)b->parent_id) : json_null(), "counts",
	    counts_json(&c)));
	return 0;
}

static void
list(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	json_t *a = json_array();
	struct list_job lj = { ctx->store, a };

	(void)req;
	(void)role;
	if (store_broadcasts_list(ctx->store, LIST_MAX, list_one, &lj) == -1) {
		json_decref(a);
		admin_error(res, 503, "store unavailable");
		return;
	}
	admin_json_reply(res, 200, json_pack("{s:o}", "broadcasts", a));
}

static void
show(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct store_broadcast b;
	struct store_broadcast_counts c, rc_;
	struct store_meeting m;
	int64_t id = admin_path_id(req->path, PREFIX, ""), rid = 0;
	json_t *o;
	int rc;

	(void)role;
	if (id == 0 || (rc = store_broadcast_get(ctx->store, id, &b)) == 0) {
		admin_error(res, 404, "no such broadcast");
		return;
	}
	if (rc == -1 || store_broadcast_counts(ctx->store, id, &c) == -1) {
		if (rc == 1)
			store_broadcast_clear(&b);
		admin_error(res, 503, "store unavailable");
		return;
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, "
	    "s:I, s:I, s:I, s:o}", "id", (json_int_t)b.id, "kind", b.kind,
	    "state", broadcast_state(&b, &c), "template", b.template_key,
	    "category",
	    b.category, "audience", b.audience, "provider", b.provider,
	    "created_by", b.created_by ? b.created_by : "", "created",
	    admin_json_time(b.created_ms), "first_send", admin_json_time(b.send_at_ms), "recipients",
	    (json_int_t)b.recipients, "segments", (json_int_t)b.segments,
	    "skipped_opted_out", (json_int_t)b.skipped_opted_out, "counts",
	    counts_json(&c));
	if (b.meeting_id != 0 &&
	    store_meeting_get(ctx->store, b.meeting_id, &m) == 1) {
		json_object_set_new(o, "meeting", json_pack("{s:s, s:s, s:o}",
		    "title", m.title, "place", m.place, "time",
		    admin_json_time(m.time_ms)));
		json_object_set_new(o, "rsvp", json_pack("{s:I, s:I, s:I}",
		    "yes", (json_int_t)c.rsvp_yes, "no", (json_int_t)c.rsvp_no,
		    "no_answer", (json_int_t)(b.recipients - c.rsvp_yes -
		    c.rsvp_no)));
		store_meeting_clear(&m);
	}
	if (store_broadcast_reminder_of(ctx->store, id, &rid) == 1 &&
	    store_broadcast_counts(ctx->store, rid, &rc_) == 0)
		json_object_set_new(o, "reminder", json_pack("{s:I, s:o}",
		    "id", (json_int_t)rid, "counts", counts_json(&rc_)));
	store_broadcast_clear(&b);
	admin_json_reply(res, 200, o);
}

static void
cancel(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	int64_t id = admin_path_id(req->path, PREFIX, "/cancel"), stopped = 0;
	int rc;

	(void)role;
	if (id == 0) {
		admin_error(res, 404, "no such route (POST "
		    "/api/v1/broadcasts/ID/cancel)");
		return;
	}
	rc = store_broadcast_cancel(ctx->store, id, util_wall_ms(), &stopped);
	if (rc == 0)
		admin_error(res, 404, "no such broadcast");
	else if (rc == -1)
		admin_error(res, 503, "store unavailable");
	else
		admin_json_reply(res, 200, json_pack("{s:I, s:I}", "id",
		    (json_int_t)id, "stopped", (json_int_t)stopped));
}

const struct admin_route api_broadcasts_routes[] = {
	{ "GET", "/api/v1/broadcasts", ROLE_COORDINATOR, 0, list },
	{ "POST", "/api/v1/broadcasts", ROLE_COORDINATOR, 1, create },
	{ "GET", PREFIX "*", ROLE_COORDINATOR, 0, show },
	{ "POST", PREFIX "*", ROLE_COORDINATOR, 1, cancel },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
