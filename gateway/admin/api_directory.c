/*
 * api_directory: the stakeholder directory over the admin API.
 *
 *   GET  /api/v1/directory          ?district=D&category=C
 *        → {"stakeholders": [STAKEHOLDER...]}
 *   POST /api/v1/directory          {"name", "category", "district",
 *                                   "phone", "languages", "description_en",
 *                                   "description_hi"} → 201 {"stakeholder"}
 *   POST /api/v1/directory/ID       the fields to change → {"stakeholder"}
 *   POST /api/v1/directory/ID/retire → {"retired": STAKEHOLDER}
 *   POST /api/v1/directory/import   {"csv", "columns": {HEADING: COLUMN
 *                                   |null}, "replace", "commit"} → the
 *                                   preview: {"headers", "columns",
 *                                   "rows", "add": [...], "change": [...],
 *                                   "unchanged", "retire": [...],
 *                                   "problems": [...], "imported"};
 *                                   409 if the directory changed
 *                                   between its plan and its commit
 *   GET  /api/v1/directory/export   the directory as CSV (text/csv)
 *
 * A STAKEHOLDER is {"id", "name", "category", "district",
 * "district_name", "phone", "languages", "description_en",
 * "description_hi"}.  Fields are read as stakeholder_rows.h reads a
 * spreadsheet ("Bhadohi", "Loan", "Hindi, English" are fine); a refused
 * form or file answers 400 with "problems": [{"line" (files), "column",
 * "error", "value"}], every problem of every row.  An import merges by
 * name and district; "replace" also retires those the file leaves out;
 * without "commit" nothing is written.  Writes run off the event loop
 * on a connection of their own (api_job.h), so the daemon sees the new
 * directory as it sees an import by `sampark directory import`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "admin.h"
#include "api_directory.h"
#include "api_import.h"
#include "api_job.h"
#include "config.h"
#include "district.h"
#include "form.h"
#include "log.h"
#include "records.h"
#include "resolve.h"
#include "runtime.h"
#include "stakeholder_rows.h"
#include "store.h"
#include "util.h"

#define PREFIX		"/api/v1/directory/"
#define IMPORT_MAX	5000
#define PROBLEMS_MAX	1000

static json_t *
stakeholder_json(const struct district_table *dt, int64_t id,
    const struct stakeholder *r)
{
	const struct district *d = dt != NULL && r->district != NULL ?
	    district_find(dt, r->district) : NULL;

	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
	    "s:s?}", "id", (json_int_t)id, "name", r->name, "category",
	    r->category, "district", r->district, "district_name", d != NULL ?
	    d->name_en : r->district, "phone", r->phone, "languages",
	    r->languages, "description_en", r->description_en,
	    "description_hi", r->description_hi);
}

/* ---- GET /api/v1/directory ---- */

static void
directory_list(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	const struct district *d = NULL;
	struct stakeholder *rows = NULL;
	int64_t *ids = NULL;
	const char *district, *category, *cat = NULL;
	char err[512];
	struct form f;
	json_t *a;
	size_t n = 0, i;

	(void)role;
	if (admin_query_form(req, &f, res) == -1)
		return;
	district = form_get(&f, "district");
	category = form_get(&f, "category");
	if (district != NULL && *district != '\0' &&
	    strcmp(district, "*") != 0 && resolve_district(ctx->rt->districts,
	    district, &d, err, sizeof(err)) != 1) {
		form_free(&f);
		admin_error(res, 400, err);
		return;
	}
	if (category != NULL && *category != '\0' &&
	    (cat = stakeholder_rows_category(ctx->rt->keywords,
	    category)) == NULL) {
		snprintf(err, sizeof(err), "no category \"%s\"", category);
		form_free(&f);
		admin_error(res, 400, err);
		return;
	}
	if (store_stakeholders_list(ctx->store, d != NULL ? d->key :
	    district != NULL && strcmp(district, "*") == 0 ? "*" : NULL, cat,
	    &rows, &ids, &n) == -1) {
		form_free(&f);
		admin_error(res, 503, "store unavailable");
		return;
	}
	form_free(&f);
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, stakeholder_json(ctx->rt->districts,
		    ids[i], &rows[i]));
	records_stakeholders_free(rows, n);
	free(ids);
	admin_json_reply(res, 200, json_pack("{s:o}", "stakeholders", a));
}

/* ---- problems, as the contacts' API lists them ---- */

struct problems {
	json_t	*list;
};

static void
file_problem(void *arg, size_t line, int col, const char *cell,
    const char *msg)
{
	struct problems *p = arg;

	if (json_array_size(p->list) >= PROBLEMS_MAX)
		return;
	json_array_append_new(p->list, json_pack("{s:I, s:s?, s:s, s:s?}",
	    "line", (json_int_t)line, "column", col >= 0 ?
	    stakeholder_rows_column_name((enum stakeholder_col)col) : NULL,
	    "error", msg, "value", cell));
}

static void
form_problem(void *arg, enum stakeholder_col col, const char *msg)
{
	struct problems *p = arg;

	json_array_append_new(p->list, json_pack("{s:s, s:s}", "column",
	    stakeholder_rows_column_name(col), "error", msg));
}

/* ---- add and edit ---- */

struct put_job {
	json_t			*body;
	int64_t			 id;		/* 0: add */
	int			 retire;
	const struct keywords_table	*kw;
	const struct district_table	*dt;
	const char		*cc;
	int64_t			 now_ms;
};

static void
put_free(void *arg)
{
	struct put_job *pj = arg;

	json_decref(pj->body);
	free(pj);
}

static json_t *
put_work(struct store *st, void *arg, int *status)
{
	struct put_job *pj = arg;
	struct stakeholder cur, r;
	struct problems p;
	const char *cells[SC_COUNT];
	int64_t id = pj->id;
	json_t *v, *out;
	size_t c;
	int rc;

	memset(&cur, 0, sizeof(cur));
	memset(&r, 0, sizeof(r));
	if (pj->id != 0) {
		if ((rc = store_stakeholder_get(st, pj->id, &cur)) == -1)
			return NULL;
		if (rc == 0) {
			*status = 404;
			return json_pack("{s:s}", "error",
			    "no such stakeholder");
		}
	}
	if (pj->retire) {
		if (store_stakeholder_retire(st, pj->id) != 1) {
			records_stakeholder_clear(&cur);
			return NULL;
		}
		log_info("stakeholder_retired", "id=%lld by=console",
		    (long long)pj->id);
		out = json_pack("{s:o}", "retired", stakeholder_json(pj->dt,
		    pj->id, &cur));
		records_stakeholder_clear(&cur);
		return out;
	}
	{
		const char *had[SC_COUNT];

		stakeholder_rows_cells(&cur, had);
		for (c = 0; c < SC_COUNT; c++) {
			v = json_object_get(pj->body,
			    stakeholder_rows_column_name(c));
			cells[c] = json_is_string(v) ? json_string_value(v) :
			    had[c];
		}
	}
	p.list = json_array();
	if (stakeholder_rows_check(pj->kw, pj->dt, pj->cc, cells, &r,
	    form_problem, &p) != 0) {
		records_stakeholder_clear(&cur);
		*status = 400;
		return json_pack("{s:s, s:o}", "error", "the stakeholder has "
		    "problems; nothing changed", "problems", p.list);
	}
	json_decref(p.list);
	records_stakeholder_clear(&cur);
	if (pj->id == 0) {
		if (store_stakeholder_add(st, &r, "console", pj->now_ms,
		    &id) == -1) {
			records_stakeholder_clear(&r);
			return NULL;
		}
		*status = 201;
	} else {
		if (store_stakeholder_update(st, pj->id, &r, "console",
		    pj->now_ms) != 1) {
			records_stakeholder_clear(&r);
			return NULL;
		}
	}
	log_info("stakeholder_saved", "id=%lld by=console", (long long)id);
	out = json_pack("{s:o}", "stakeholder", stakeholder_json(pj->dt, id,
	    &r));
	records_stakeholder_clear(&r);
	return out;
}

static void
put_start(struct admin_ctx *ctx, struct admin_response *res, json_t *body,
    int64_t id, int retire)
{
	struct put_job *pj = xcalloc(1, sizeof(*pj));

	pj->body = body;
	pj->id = id;
	pj->retire = retire;
	pj->kw = ctx->rt->keywords;
	pj->dt = ctx->rt->districts;
	pj->cc = config_str(ctx->rt->cfg, "default_country");
	pj->now_ms = util_wall_ms();
	api_job_start(ctx, res, put_work, pj, put_free, 0);
}

static void
directory_add(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	json_t *v;

	(void)role;
	if ((v = admin_json_body(req, res)) == NULL)
		return;
	put_start(ctx, res, v, 0, 0);
}

static void
directory_edit(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	int64_t id = admin_path_id(req->path, PREFIX, ""), rid;
	json_t *v;

	(void)role;
	rid = admin_path_id(req->path, PREFIX, "/retire");
	if (id == 0 && rid == 0) {
		admin_error(res, 404, "no such stakeholder");
		return;
	}
	if (rid != 0) {
		put_start(ctx, res, json_object(), rid, 1);
		return;
	}
	if ((v = admin_json_body(req, res)) == NULL)
		return;
	put_start(ctx, res, v, id, 0);
}

/* ---- POST /api/v1/directory/import ---- */

static json_t *
planned(const struct stakeholder_sheet *sh, const size_t *idx,
    const int64_t *ids, size_t n)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct stakeholder *r = &sh->rows[idx[i]];

		o = json_pack("{s:I, s:s, s:s, s:s}", "line",
		    (json_int_t)sh->lines[idx[i]], "name", r->name,
		    "district", r->district, "category", r->category);
		if (ids != NULL)
			json_object_set_new(o, "id", json_integer(ids[i]));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
import_work(struct store *st, void *arg, int *status)
{
	struct api_import *ij = arg;
	const char *csv = ij->csv;
	json_t *given = ij->columns, *gv, *cols, *headers, *retire, *out;
	const char **gh = NULL, **gc = NULL;
	struct stakeholder_sheet sh;
	struct stakeholder_plan plan;
	struct stakeholder *old = NULL;
	int64_t *old_ids = NULL;
	struct problems p;
	const char *key;
	size_t ng = 0, nold = 0, i, c;
	int imported = 0, changed = 0, nproblems, rc;

	memset(&plan, 0, sizeof(plan));
	if (given != NULL) {
		gh = xcalloc(json_object_size(given) + 1, sizeof(*gh));
		gc = xcalloc(json_object_size(given) + 1, sizeof(*gc));
		json_object_foreach(given, key, gv) {
			gh[ng] = key;
			gc[ng++] = json_is_string(gv) ? json_string_value(gv) :
			    NULL;
		}
	}
	p.list = json_array();
	/* The count, not the list: a problem the list failed to hold
	 * must still stop the import. */
	nproblems = stakeholder_rows_read(ij->kw, ij->dt, ij->cc, csv,
	    strlen(csv), gh, gc, ng, &sh, file_problem, &p);
	free(gh);
	free(gc);
	if (sh.nrows > IMPORT_MAX)
		file_problem(&p, 1, -1, NULL, "more than 5000 rows: is this "
		    "the directory?");
	if (store_stakeholders_list(st, NULL, NULL, &old, &old_ids,
	    &nold) == -1)
		goto fail;
	stakeholder_rows_plan(old, old_ids, nold, sh.rows, sh.n,
	    stakeholder_sheet_columns(&sh), ij->replace, &plan);
	retire = json_array();
	for (i = 0; i < plan.nretire; i++)
		for (c = 0; c < nold; c++)
			if (old_ids[c] == plan.retire[i])
				json_array_append_new(retire, json_pack("{s:I, "
				    "s:s, s:s, s:s}", "id", (json_int_t)
				    old_ids[c], "name", old[c].name, "district",
				    old[c].district, "category",
				    old[c].category));
	if (ij->commit && nproblems == 0 && sh.nrows <= IMPORT_MAX &&
	    json_array_size(p.list) == 0 && sh.n > 0) {
		if ((rc = stakeholder_rows_apply(st, &plan, sh.rows,
		    "console", ij->now_ms)) == -1) {
			json_decref(retire);
			goto fail;
		}
		imported = rc == 1;
		changed = rc == 0;
	}
	if (imported)
		log_info("directory_imported", "rows=%zu added=%zu changed=%zu "
		    "retired=%zu by=console", sh.n, plan.nadd, plan.nchange,
		    plan.nretire);
	headers = json_array();
	cols = json_object();
	for (i = 0; i < sh.nheaders; i++) {
		json_array_append_new(headers, json_string(sh.headers[i]));
		json_object_set_new(cols, sh.headers[i], json_null());
	}
	for (c = 0; c < SC_COUNT; c++)
		if (sh.map[c] >= 0 && (size_t)sh.map[c] < sh.nheaders)
			json_object_set_new(cols, sh.headers[sh.map[c]],
			    json_string(stakeholder_rows_column_name(c)));
	out = json_pack("{s:o, s:o, s:I, s:o, s:o, s:I, s:o, s:o, s:b, s:b}",
	    "headers", headers, "columns", cols, "rows", (json_int_t)sh.nrows,
	    "add", planned(&sh, plan.add, NULL, plan.nadd), "change",
	    planned(&sh, plan.change, plan.change_id, plan.nchange),
	    "unchanged", (json_int_t)plan.nsame, "retire", retire, "problems",
	    p.list, "replace", ij->replace, "imported", imported);
	if (changed) {
		/* What it shows was planned on a directory that is no
		 * more: nothing of it was written. */
		*status = 409;
		json_object_set_new(out, "error", json_string("the directory "
		    "changed while you were importing; preview again"));
	} else if (ij->commit && !imported) {
		*status = 400;
		json_object_set_new(out, "error", json_string(sh.n == 0 &&
		    json_array_size(p.list) == 0 ? "no rows to import" :
		    "the file has problems; nothing changed"));
	}
	stakeholder_plan_clear(&plan);
	stakeholder_sheet_clear(&sh);
	records_stakeholders_free(old, nold);
	free(old_ids);
	return out;
fail:
	json_decref(p.list);
	stakeholder_plan_clear(&plan);
	stakeholder_sheet_clear(&sh);
	records_stakeholders_free(old, nold);
	free(old_ids);
	return NULL;
}

static void
directory_import(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	(void)role;
	api_import_start(ctx, req, res, "headings", import_work);
}

/* ---- GET /api/v1/directory/export ---- */

static void
directory_export(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct stakeholder *rows = NULL;
	int64_t *ids = NULL;
	size_t n = 0;

	(void)req;
	(void)role;
	if (store_stakeholders_list(ctx->store, NULL, NULL, &rows, &ids,
	    &n) == -1) {
		admin_error(res, 503, "store unavailable");
		return;
	}
	stakeholder_rows_csv(&res->body, rows, n);
	records_stakeholders_free(rows, n);
	free(ids);
	res->status = 200;
	res->content_type = "text/csv; charset=utf-8";
}

const struct admin_route api_directory_routes[] = {
	{ "GET", "/api/v1/directory", ROLE_COORDINATOR, 0, directory_list },
	{ "POST", "/api/v1/directory", ROLE_COORDINATOR, 1, directory_add },
	{ "POST", PREFIX "import", ROLE_COORDINATOR, 1, directory_import },
	{ "GET", PREFIX "export", ROLE_COORDINATOR, 0, directory_export },
	{ "POST", PREFIX "*", ROLE_COORDINATOR, 1, directory_edit },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
