/*
 * api_compose: templates and the schedule, for composing a broadcast.
 *
 *   GET /api/v1/templates   {"templates": [{"key", "category", "header",
 *                           "vars": [names], "numeric": [names],
 *                           "meeting": true when it takes a meeting's
 *                           title, place, date and time, "texts": [{"lang",
 *                           "text", "registered", "dlt_template_id"}]}],
 *                           "var_max": 30}
 *   GET /api/v1/districts   {"districts": [{"key", "name_en",
 *                           "name_hi", "state"}]}
 *   GET /api/v1/schedule    ?at=ISO 8601 (IST unless zoned; default now)
 *                           &category=promotional|service|transactional
 *                           → {"asked", "first_send", "moved", "why":
 *                           "quiet_hours" | "promotional_window" | null,
 *                           "quiet_hours", "promotional_window"}
 *
 * The schedule's answer is the time the first message may go by the
 * rules alone; a woman's daily cap may move her own message further
 * (broadcast.h).  Both are quick: answered on the loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admin.h"
#include "api_compose.h"
#include "api_job.h"
#include "broadcast.h"
#include "config.h"
#include "district.h"
#include "form.h"
#include "provider.h"
#include "runtime.h"
#include "schedule.h"
#include "templates.h"
#include "util.h"

static const char *const meeting_vars[] = { "title", "place", "date",
    "time" };

static void
add_unique(json_t *a, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return;
	json_array_append_new(a, json_string(name));
}

static json_t *
template_json(const struct template *t)
{
	json_t *vars = json_array(), *numeric = json_array(), *texts =
	    json_array();
	char *copy, *p, *tok;
	size_t i, j;
	int meeting = 0;

	for (i = 0; i < t->ntexts; i++) {
		const struct templates_text *tt = &t->texts[i];

		for (j = 0; j < tt->nvars; j++)
			add_unique(vars, tt->vars[j]);
		json_array_append_new(texts, json_pack("{s:s, s:s, s:s, s:s}",
		    "lang", tt->lang, "text", tt->text, "registered",
		    tt->registered, "dlt_template_id", tt->dlt_id));
	}
	for (i = 0; i < SP_ARRAY_LEN(meeting_vars); i++)
		if (templates_has_var(t, meeting_vars[i]))
			meeting = 1;
	if (t->numeric != NULL) {
		copy = xstrdup(t->numeric);
		for (p = copy; (tok = strsep(&p, ",")) != NULL;)
			if (*tok != '\0')
				json_array_append_new(numeric,
				    json_string(tok));
		free(copy);
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:o}", "key", t->key,
	    "category", templates_category_name(t->category), "header", t->header,
	    "vars", vars, "numeric", numeric, "meeting", meeting, "texts",
	    texts);
}

static void
templates(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	const struct templates_table *tab = ctx->rt->templates;
	json_t *a = json_array();
	size_t i;

	(void)req;
	(void)role;
	for (i = 0; tab != NULL && i < templates_count(tab); i++)
		json_array_append_new(a, template_json(templates_at(tab, i)));
	admin_json_reply(res, 200, json_pack("{s:o, s:i, s:s}", "templates", a,
	    "var_max", TEMPLATES_VAR_MAX, "reminder_template",
	    config_str(ctx->rt->cfg, "reminder_template")));
}

static void
districts(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	const struct district_table *dt = ctx->rt->districts;
	const struct district *d;
	json_t *a = json_array();
	size_t i;

	(void)req;
	(void)role;
	for (i = 0; dt != NULL && i < district_count(dt); i++) {
		d = district_at(dt, i);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}",
		    "key", d->key, "name_en", d->name_en, "name_hi",
		    d->name_hi, "state", d->state));
	}
	admin_json_reply(res, 200, json_pack("{s:o}", "districts", a));
}

static void
schedule(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct schedule_rules rules;
	struct form f;
	const char *v, *why = NULL;
	char err[128], window[64];
	int64_t at = util_wall_ms(), first;
	int promo = 0;

	(void)role;
	if (admin_query_form(req, &f, res) == -1)
		return;
	if ((v = form_get(&f, "at")) != NULL && *v != '\0' &&
	    broadcast_parse_time(v, &at) == -1) {
		form_free(&f);
		admin_error(res, 400, "at: expected ISO 8601, e.g. "
		    "2026-12-04T11:00 (IST)");
		return;
	}
	promo = (v = form_get(&f, "category")) != NULL &&
	    strcmp(v, "promotional") == 0;
	form_free(&f);
	if (schedule_rules_init(&rules, config_str(ctx->rt->cfg, "quiet_hours"),
	    config_int(ctx->rt->cfg, "daily_cap"), err, sizeof(err)) == -1) {
		admin_error(res, 500, err);
		return;
	}
	if (at < util_wall_ms())
		at = util_wall_ms();
	first = schedule_next_allowed(&rules, promo, at);
	if (first != at)
		why = promo && schedule_allowed(&rules, 0, at) ?
		    "promotional_window" : "quiet_hours";
	snprintf(window, sizeof(window), "%02d:%02d-%02d:%02d",
	    rules.promo_start / 60, rules.promo_start % 60,
	    rules.promo_end / 60, rules.promo_end % 60);
	admin_json_reply(res, 200, json_pack("{s:o, s:o, s:b, s:s?, s:s, s:s}",
	    "asked", admin_json_time(at), "first_send", admin_json_time(first), "moved", first != at,
	    "why", why, "quiet_hours", config_str(ctx->rt->cfg,
	    "quiet_hours"), "promotional_window", window));
}

const struct admin_route api_compose_routes[] = {
	{ "GET", "/api/v1/templates", ROLE_COORDINATOR, 0, templates },
	{ "GET", "/api/v1/schedule", ROLE_COORDINATOR, 0, schedule },
	{ "GET", "/api/v1/districts", ROLE_COORDINATOR, 0, districts },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
