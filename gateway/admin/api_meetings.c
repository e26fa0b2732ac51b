/*
 * api_meetings: the people of a meeting by their answer, and calling the
 * meeting off.  JSON in and out:
 *
 *   GET  /api/v1/meetings/ID/people   → {"yes": [...], "no": [...],
 *                                      "none": [...], "truncated"}:
 *                                      each {"name", "phone", "district",
 *                                      "language"}, phones masked unless
 *                                      ?reveal=phones (role admin only)
 *   POST /api/v1/meetings/ID/cancel   {"template", "vars": {..}} →
 *                                      {"id", "stopped", "notify":
 *                                      {"id", "recipients", "segments"}
 *                                      or null when nobody said yes}
 *
 * ID is the broadcast that announced the meeting.  The lists are the
 * audiences rsvp:ID:yes, rsvp:ID:no and rsvp:ID:none (audience.h), the
 * same that "message these people" sends to (POST /api/v1/broadcasts
 * with "to": "rsvp:ID:yes").  Both routes walk an audience: off the
 * event loop (api_job.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admin.h"
#include "api_job.h"
#include "api_meetings.h"
#include "audience.h"
#include "broadcast.h"
#include "form.h"
#include "log.h"
#include "phone.h"
#include "provider.h"
#include "runtime.h"
#include "store.h"
#include "util.h"

#define PREFIX		"/api/v1/meetings/"
#define PEOPLE_MAX	1000	/* per answer */

/* ---- people ---- */

struct people_job {
	int64_t	 id;
	int	 reveal;
	json_t	*list;
	int	 truncated;
};

static void
people_free(void *arg)
{
	free(arg);
}

static int
person(void *arg, const struct contact *c)
{
	struct people_job *pj = arg;
	char masked[PHONE_E164_MAX + 1];

	if (json_array_size(pj->list) == PEOPLE_MAX) {
		pj->truncated = 1;
		return 0;
	}
	json_array_append_new(pj->list, json_pack("{s:s?, s:s, s:s?, s:s?, "
	    "s:b}", "name", c->name, "phone", pj->reveal ? c->phone :
	    phone_mask(c->phone, masked, sizeof(masked)), "district",
	    c->district, "language", c->language, "opted_out",
	    c->opted_out_ms != 0));
	return 0;
}

static json_t *
people_work(struct store *st, void *arg, int *status)
{
	static const char *const answers[] = { "yes", "no", "none" };
	struct people_job *pj = arg;
	struct store_broadcast b;
	struct audience *a;
	json_t *out;
	char expr[64], err[128];
	size_t i;
	int rc;

	memset(&b, 0, sizeof(b));
	if ((rc = store_broadcast_get(st, pj->id, &b)) == -1)
		return NULL;
	if (rc == 0 || b.meeting_id == 0) {
		store_broadcast_clear(&b);
		*status = 404;
		return json_pack("{s:s}", "error", rc == 0 ? "no such "
		    "broadcast" : "that broadcast announced no meeting");
	}
	store_broadcast_clear(&b);
	out = json_pack("{s:I, s:s}", "id", (json_int_t)pj->id, "phones",
	    pj->reveal ? "revealed" : "masked");
	for (i = 0; i < SP_ARRAY_LEN(answers); i++) {
		snprintf(expr, sizeof(expr), "rsvp:%lld:%s",
		    (long long)pj->id, answers[i]);
		if ((a = audience_parse(expr, err, sizeof(err))) == NULL) {
			json_decref(out);
			return NULL;
		}
		pj->list = json_array();
		rc = store_audience_each(st, a, 1, person, pj);
		audience_free(a);
		if (rc == -1) {
			json_decref(pj->list);
			json_decref(out);
			return NULL;
		}
		json_object_set_new(out, answers[i], pj->list);
	}
	json_object_set_new(out, "truncated", json_boolean(pj->truncated));
	return out;
}

static void
people(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct people_job *pj;
	struct form f;
	const char *v;
	int64_t id = admin_path_id(req->path, PREFIX, "/people");
	int reveal;

	if (id == 0) {
		admin_error(res, 404, "no such route (GET "
		    "/api/v1/meetings/ID/people)");
		return;
	}
	if (admin_query_form(req, &f, res) == -1)
		return;
	v = form_get(&f, "reveal");
	reveal = v != NULL;
	if (reveal && strcmp(v, "phones") != 0) {
		form_free(&f);
		admin_error(res, 400, "reveal: only \"phones\"");
		return;
	}
	form_free(&f);
	if (reveal && role != ROLE_ADMIN) {
		admin_error(res, 403, "only the admin role may reveal phones");
		return;
	}
	if (reveal)
		log_info("meeting_reveal_phones", "broadcast=%lld role=%s",
		    (long long)id, admin_role_name(role));
	pj = xcalloc(1, sizeof(*pj));
	pj->id = id;
	pj->reveal = reveal;
	api_job_start(ctx, res, people_work, pj, people_free, 0);
}

/* ---- cancel ---- */

struct cancel_job {
	json_t			*body;	/* template and vars live here */
	int64_t			 id;
	struct templates_var		 vars[TEMPLATES_MAX_VARS];
	size_t			 nvars;
	const struct templates_table	*templates;
	const struct config	*cfg;
	int64_t			 now_ms;
};

static void
cancel_free(void *arg)
{
	struct cancel_job *cj = arg;

	json_decref(cj->body);
	free(cj);
}

static json_t *
cancel_work(struct store *st, void *arg, int *status)
{
	struct cancel_job *cj = arg;
	struct broadcast_preview pv;
	struct broadcast_env env;
	int64_t nid, stopped;
	char err[512];
	json_t *out;

	memset(&env, 0, sizeof(env));
	env.store = st;
	env.templates = cj->templates;
	env.cfg = cj->cfg;
	env.default_provider = runtime_broadcast_provider;
	env.now_ms = cj->now_ms;
	if (broadcast_cancel_notify(&env, cj->id, json_string_value(
	    json_object_get(cj->body, "template")), cj->vars, cj->nvars,
	    "api", &pv, &nid, &stopped, err, sizeof(err)) == -1) {
		*status = strstr(err, "no such broadcast") != NULL ? 404 : 400;
		return json_pack("{s:s}", "error", err);
	}
	out = json_pack("{s:I, s:I}", "id", (json_int_t)cj->id, "stopped",
	    (json_int_t)stopped);
	json_object_set_new(out, "notify", nid == 0 ? json_null() :
	    json_pack("{s:I, s:I, s:I}", "id", (json_int_t)nid, "recipients",
	    (json_int_t)pv.recipients, "segments", (json_int_t)pv.segments));
	broadcast_preview_clear(&pv);
	return out;
}

static void
cancel(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct cancel_job *cj;
	json_t *v, *vars, *val;
	const char *key;
	int64_t id = admin_path_id(req->path, PREFIX, "/cancel");

	(void)role;
	if (id == 0) {
		admin_error(res, 404, "no such route (POST "
		    "/api/v1/meetings/ID/cancel)");
		return;
	}
	if ((v = admin_json_body(req, res)) == NULL)
		return;
	vars = json_object_get(v, "vars");
	if (!json_is_string(json_object_get(v, "template")) ||
	    (vars != NULL && !json_is_object(vars))) {
		json_decref(v);
		admin_error(res, 400, "\"template\" is required (e.g. "
		    "meeting_cancelled); \"vars\" is an object of strings");
		return;
	}
	cj = xcalloc(1, sizeof(*cj));
	cj->body = v;
	json_object_foreach(vars, key, val) {
		if (!json_is_string(val) || cj->nvars == TEMPLATES_MAX_VARS) {
			cancel_free(cj);
			admin_error(res, 400, "\"vars\" must be an object of at "
			    "most 16 strings");
			return;
		}
		cj->vars[cj->nvars].name = key;
		cj->vars[cj->nvars++].value = json_string_value(val);
	}
	cj->id = id;
	cj->templates = ctx->rt->templates;
	cj->cfg = ctx->rt->cfg;
	cj->now_ms = util_wall_ms();
	api_job_start(ctx, res, cancel_work, cj, cancel_free, 1);
}

const struct admin_route api_meetings_routes[] = {
	{ "GET", PREFIX "*", ROLE_COORDINATOR, 0, people },
	{ "POST", PREFIX "*", ROLE_COORDINATOR, 1, cancel },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
