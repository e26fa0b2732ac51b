/*
 * api_contacts: contacts over the admin API.  JSON in and out:
 *
 *   GET  /api/v1/contacts       ?q=TEXT&district=D&group=G&interest=I
 *                               &opted_out=yes|no&offset=N&limit=N
 *        → {"contacts": [...], "total", "offset", "limit"}
 *   POST /api/v1/contacts       {"phone", "name", "district", "language",
 *                               "role", "groups"} → 201 {"contact"};
 *                               409 if the number is a contact already
 *   GET  /api/v1/contacts/REF   → {"contact"} with its interests
 *   POST /api/v1/contacts/REF   the fields to change (a "groups" list
 *                               replaces her groups) → 200 {"contact"}
 *   POST /api/v1/contacts/import {"csv", "columns": {HEADER: COLUMN|null},
 *                               "commit"} → the preview: every problem of
 *                               every row with its line; with "commit"
 *                               and no problem, every row is written in
 *                               one transaction (else 400, nothing is)
 *
 * A contact is {"ref", "phone", "name", "district", "language", "role",
 * "groups", "opted_out"}.  Phones are masked (+********0001) as the CLI
 * masks them; REF names the contact instead (contact_ref.h).  The admin
 * may add ?reveal=phones to a GET for whole numbers (audit-logged).
 * Cells are read as contact_rows.h reads a spreadsheet: "Mirzapur",
 * "Hindi", "Silai Group" are fine.  Listing, import and edits of
 * groups run off the event loop (api_job.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "admin.h"
#include "api_contacts.h"
#include "api_import.h"
#include "api_job.h"
#include "audience.h"
#include "config.h"
#include "contact_ref.h"
#include "contact_rows.h"
#include "csv.h"
#include "form.h"
#include "log.h"
#include "phone.h"
#include "provider.h"
#include "runtime.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define PREFIX		"/api/v1/contacts/"
#define LIST_MAX	500
#define IMPORT_MAX_ROWS	20000
#define PROBLEMS_MAX	1000

/* ---- a contact as JSON ---- */

static json_t *
strings_json(char **s, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

/* c as JSON, with her groups (and interests when asked). */
static json_t *
contact_json(struct store *st, const unsigned char *key,
    const struct contact *c, int reveal, int interests)
{
	char ref[CONTACT_REF_MAX + 1], masked[PHONE_E164_MAX + 1], when[32];
	char **names;
	size_t n;
	json_t *o;

	if (contact_ref_make(key, c->phone, ref) == -1)
		ref[0] = '\0';
	if (c->opted_out_ms != 0)
		util_iso8601(c->opted_out_ms, when);
	o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "ref", ref,
	    "phone", reveal ? c->phone : phone_mask(c->phone, masked,
	    sizeof(masked)), "name", c->name, "district", c->district,
	    "language", c->language, "role", c->role, "opted_out",
	    c->opted_out_ms ? when : NULL);
	if (store_contact_groups(st, c->phone, &names, &n) == 0) {
		json_object_set_new(o, "groups", strings_json(names, n));
		store_strings_free(names, n);
	}
	if (interests && store_interests_get(st, c->phone, &names, &n) == 0) {
		json_object_set_new(o, "interests", strings_json(names, n));
		store_strings_free(names, n);
	}
	return o;
}

/*
 * Whether the query asks for whole phone numbers (?reveal=phones): 1, 0,
 * or -1 answered (not the admin).  A coordinator opens a contact by its
 * ref and needs no list of whole numbers; the admin may see them.
 */
static int
wants_phones(const struct form *f, enum admin_role role,
    struct admin_response *res)
{
	const char *v = form_get(f, "reveal");

	if (v == NULL)
		return 0;
	if (strcmp(v, "phones") != 0) {
		admin_error(res, 400, "reveal: only \"phones\"");
		return -1;
	}
	if (role != ROLE_ADMIN) {
		admin_error(res, 403, "only the admin role may reveal phones");
		return -1;
	}
	return 1;
}

/* ---- GET /api/v1/contacts ---- */

struct list_job {
	char		*expr;
	char		*q;		/* normalised, or NULL */
	char		*digits;	/* the digits of q, or NULL */
	int		 opted;		/* 0 any, 1 only opted out, 2 not */
	size_t		 offset;
	size_t		 limit;
	int		 reveal;
	/* while walking */
	struct store	*st;
	unsigned char	 key[CONTACT_REF_KEY_LEN];
	json_t		*items;
	int64_t		 total;
};

static void
list_free(void *arg)
{
	struct list_job *lj = arg;

	free(lj->expr);
	free(lj->q);
	free(lj->digits);
	free(lj);
}

static int
text_has(const char *hay, const char *needle_norm)
{
	char *n;
	int found;

	if (hay == NULL || (n = text_normalize(hay, strlen(hay))) == NULL)
		return 0;
	found = strstr(n, needle_norm) != NULL;
	free(n);
	return found;
}

static int
list_one(void *arg, const struct contact *c)
{
	struct list_job *lj = arg;

	if ((lj->opted == 1 && c->opted_out_ms == 0) ||
	    (lj->opted == 2 && c->opted_out_ms != 0))
		return 0;
	if (lj->q != NULL && !text_has(c->name, lj->q) &&
	    !(lj->digits != NULL && strstr(c->phone, lj->digits) != NULL))
		return 0;
	if ((size_t)lj->total >= lj->offset &&
	    (size_t)lj->total < lj->offset + lj->limit)
		json_array_append_new(lj->items, contact_json(lj->st, lj->key,
		    c, lj->reveal, 0));
	lj->total++;
	return 0;
}

static json_t *
list_work(struct store *st, void *arg, int *status)
{
	struct list_job *lj = arg;
	struct audience *a;
	char err[256];

	if ((a = audience_parse(lj->expr, err, sizeof(err))) == NULL) {
		*status = 400;
		return json_pack("{s:s}", "error", err);
	}
	if (contact_ref_key(st, lj->key) == -1) {
		audience_free(a);
		return NULL;
	}
	lj->st = st;
	lj->items = json_array();
	if (store_audience_each(st, a, 1, list_one, lj) == -1) {
		audience_free(a);
		json_decref(lj->items);
		return NULL;
	}
	audience_free(a);
	return json_pack("{s:o, s:I, s:I, s:I}", "contacts", lj->items,
	    "total", (json_int_t)lj->total, "offset", (json_int_t)lj->offset,
	    "limit", (json_int_t)lj->limit);
}

/* Append "+kind:NAME" for a filter given in the query.  0 or -1. */
static int
add_term(struct buf *expr, const char *kind, const char *value,
    struct admin_response *res)
{
	char err[128], *name;

	if (value == NULL || *value == '\0')
		return 0;
	if ((name = audience_name_normalize(value, err, sizeof(err))) == NULL) {
		char msg[200];

		snprintf(msg, sizeof(msg), "%s: %s", kind, err);
		admin_error(res, 400, msg);
		return -1;
	}
	buf_printf(expr, "%s%s:%s", expr->len ? "+" : "", kind, name);
	free(name);
	return 0;
}

static void
contacts_list(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	struct list_job *lj;
	struct form f;
	struct buf expr;
	const char *v;
	size_t i, nd = 0;
	long n;
	int reveal;

	if (admin_query_form(req, &f, res) == -1)
		return;
	if ((reveal = wants_phones(&f, role, res)) == -1) {
		form_free(&f);
		return;
	}
	buf_init(&expr, 0);
	if (add_term(&expr, "district", form_get(&f, "district"), res) == -1 ||
	    add_term(&expr, "group", form_get(&f, "group"), res) == -1 ||
	    add_term(&expr, "interest", form_get(&f, "interest"), res) == -1) {
		buf_free(&expr);
		form_free(&f);
		return;
	}
	lj = xcalloc(1, sizeof(*lj));
	lj->expr = expr.len ? buf_steal(&expr) : xstrdup("all");
	buf_free(&expr);
	lj->reveal = reveal;
	lj->limit = 100;
	if ((v = form_get(&f, "q")) != NULL && *v != '\0' &&
	    (lj->q = text_normalize(v, strlen(v))) != NULL) {
		lj->digits = xcalloc(1, strlen(v) + 1);
		for (i = 0; v[i] != '\0'; i++)
			if (v[i] >= '0' && v[i] <= '9')
				lj->digits[nd++] = v[i];
		if (nd < 3) {
			/* Too few digits to look for in numbers. */
			free(lj->digits);
			lj->digits = NULL;
		}
		if (*lj->q == '\0') {
			free(lj->q);
			lj->q = NULL;
		}
	}
	if ((v = form_get(&f, "opted_out")) != NULL)
		lj->opted = strcmp(v, "yes") == 0 ? 1 : strcmp(v, "no") == 0 ?
		    2 : 0;
	if ((v = form_get(&f, "offset")) != NULL && (n = strtol(v, NULL,
	    10)) > 0)
		lj->offset = (size_t)n;
	if ((v = form_get(&f, "limit")) != NULL && (n = strtol(v, NULL,
	    10)) > 0)
		lj->limit = n > LIST_MAX ? LIST_MAX : (size_t)n;
	form_free(&f);
	if (reveal)
		log_info("contacts_reveal_phones", "role=%s",
		    admin_role_name(role));
	api_job_start(ctx, res, list_work, lj, list_free, 0);
}

/* ---- checking a contact's fields ---- */

struct problems {
	json_t		*list;
	size_t		 line;		/* 0: a form, not a file */
	const char	*const *cells;
};

static void
problem(void *arg, enum contact_col col, const char *msg)
{
	struct problems *p = arg;
	json_t *o;

	if (json_array_size(p->list) >= PROBLEMS_MAX)
		return;
	o = json_pack("{s:s, s:s, s:s?}", "column",
	    contact_rows_column_name(col), "error", msg, "value",
	    p->cells != NULL ? p->cells[col] : NULL);
	if (p->line > 0)
		json_object_set_new(o, "line", json_integer((json_int_t)
		    p->line));
	json_array_append_new(p->list, o);
}

/*
 * The body's fields as cells: strings as they are, "groups" also as an
 * array of names.  cells[c] is NULL for a field not given.  groups_buf
 * holds the joined groups.  0, or -1 when a field is not text.
 */
static int
body_cells(json_t *v, const char *cells[CC_COUNT], char **groups_buf)
{
	json_t *g, *x;
	struct buf b;
	size_t i;

	*groups_buf = NULL;
	for (i = 0; i < CC_COUNT; i++) {
		x = json_object_get(v, contact_rows_column_name(i));
		cells[i] = NULL;
		if (x == NULL || json_is_null(x) || (i == CC_GROUPS &&
		    json_is_array(x)))
			continue;
		if (!json_is_string(x))
			return -1;
		cells[i] = json_string_value(x);
	}
	if (json_is_array(g = json_object_get(v, "groups"))) {
		buf_init(&b, 0);
		buf_puts(&b, "");
		json_array_foreach(g, i, x) {
			if (!json_is_string(x)) {
				buf_free(&b);
				return -1;
			}
			buf_printf(&b, "%s%s", i ? "|" : "",
			    json_string_value(x));
		}
		*groups_buf = b.len ? buf_steal(&b) : xstrdup("");
		buf_free(&b);
		cells[CC_GROUPS] = *groups_buf;
	}
	return 0;
}

static void
problems_reply(struct admin_response *res, json_t *list)
{
	admin_json_reply(res, 400, json_pack("{s:s, s:o}", "error",
	    "the contact has problems; nothing changed", "problems", list));
}

/*
 * A form's cells checked as one contact: 0 and *r filled (caller clears),
 * or -1 with res answered 400 listing every problem.
 */
static int
check_form(struct admin_ctx *ctx, const char *cc, const char **cells,
    struct contact_row *r, struct admin_response *res)
{
	struct problems p;

	p.list = json_array();
	p.line = 0;
	p.cells = cells;
	if (contact_rows_check(ctx->rt->districts, cc, cells, r, problem,
	    &p) != 0) {
		problems_reply(res, p.list);
		return -1;
	}
	json_decref(p.list);
	return 0;
}

/* ---- POST /api/v1/contacts ---- */

static void
contacts_add(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	const char *cells[CC_COUNT];
	const char *cc = config_str(ctx->rt->cfg, "default_country");
	unsigned char key[CONTACT_REF_KEY_LEN];
	struct store_contact_import imp;
	struct contact_row r;
	struct contact c;
	char *groups = NULL;
	json_t *v;
	int rc;

	(void)role;
	if ((v = admin_json_body(req, res)) == NULL)
		return;
	if (body_cells(v, cells, &groups) == -1) {
		admin_error(res, 400, "every field must be text (\"groups\" "
		    "text or a list of names)");
		goto out;
	}
	if (check_form(ctx, cc, cells, &r, res) == -1)
		goto out;
	memset(&c, 0, sizeof(c));
	if ((rc = store_contact_get(ctx->store, r.phone, &c)) != 0) {
		records_contact_clear(&c);
		if (rc == 1)
			admin_error(res, 409, "that number is a contact "
			    "already: edit it instead");
		else
			admin_error(res, 503, "store unavailable");
		contact_row_clear(&r);
		goto out;
	}
	memset(&imp, 0, sizeof(imp));
	imp.phone = r.phone;
	imp.name = r.name;
	imp.district = r.district;
	imp.language = r.language;
	imp.role = r.role;
	imp.groups = (const char *const *)r.groups;
	imp.group_names = (const char *const *)r.group_names;
	imp.ngroups = r.ngroups;
	if (store_contacts_import(ctx->store, &imp, 1, util_wall_ms()) == -1 ||
	    store_contact_get(ctx->store, r.phone, &c) != 1 ||
	    contact_ref_key(ctx->store, key) == -1) {
		records_contact_clear(&c);
		admin_error(res, 503, "store unavailable");
	} else {
		admin_json_reply(res, 201, json_pack("{s:o}", "contact",
		    contact_json(ctx->store, key, &c, 0, 1)));
		records_contact_clear(&c);
	}
	contact_row_clear(&r);
out:
	free(groups);
	json_decref(v);
}

/* ---- GET and POST /api/v1/contacts/REF ---- */

/* The contact named by the path's ref: 1 and *c, 0 answered 404, -1 503. */
static int
path_contact(struct admin_ctx *ctx, const char *path,
    unsigned char key[CONTACT_REF_KEY_LEN], struct contact *c,
    struct admin_response *res)
{
	char phone[PHONE_E164_MAX + 1];
	int rc;

	memset(c, 0, sizeof(*c));
	if (contact_ref_key(ctx->store, key) == -1) {
		admin_error(res, 503, "store unavailable");
		return -1;
	}
	if (contact_ref_open(key, path + strlen(PREFIX), phone,
	    sizeof(phone)) == -1) {
		admin_error(res, 404, "no such contact");
		return 0;
	}
	if ((rc = store_contact_get(ctx->store, phone, c)) == 0)
		admin_error(res, 404, "no such contact");
	else if (rc == -1)
		admin_error(res, 503, "store unavailable");
	return rc;
}

static void
contact_get(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	unsigned char key[CONTACT_REF_KEY_LEN];
	struct contact c;
	struct form f;
	int reveal;

	if (admin_query_form(req, &f, res) == -1)
		return;
	reveal = wants_phones(&f, role, res);
	form_free(&f);
	if (reveal == -1 || path_contact(ctx, req->path, key, &c, res) != 1)
		return;
	if (reveal)
		log_info("contacts_reveal_phones", "role=%s contacts=1",
		    admin_role_name(role));
	admin_json_reply(res, 200, json_pack("{s:o}", "contact",
	    contact_json(ctx->store, key, &c, reveal, 1)));
	records_contact_clear(&c);
}

/* Replace field *dst with src when the body gave it ("" clears). */
static void
set_field(char **dst, const char *given, const char *checked)
{
	if (given == NULL)
		return;
	free(*dst);
	*dst = checked != NULL && *checked != '\0' ? xstrdup(checked) : NULL;
}

/* Her groups become exactly r's.  0 or -1. */
static int
set_groups(struct store *st, const char *phone, const struct contact_row *r,
    int64_t now)
{
	char **have;
	size_t n, i, j;
	int rc = 0, created;

	if (store_contact_groups(st, phone, &have, &n) == -1)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		for (j = 0; j < r->ngroups; j++)
			if (strcmp(have[i], r->groups[j]) == 0)
				break;
		if (j == r->ngroups && store_group_remove(st, have[i],
		    phone) == -1)
			rc = -1;
	}
	for (j = 0; rc == 0 && j < r->ngroups; j++) {
		if ((created = store_group_create(st, r->groups[j], now)) == -1)
			rc = -1;
		else if (created && strcmp(r->group_names[j],
		    r->groups[j]) != 0 && store_group_set_display(st,
		    r->groups[j], r->group_names[j]) == -1)
			rc = -1;
		else if (store_group_add(st, r->groups[j], phone, now) == -1)
			rc = -1;
	}
	store_strings_free(have, n);
	return rc;
}

static void
contact_edit(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	const char *cc = config_str(ctx->rt->cfg, "default_country");
	unsigned char key[CONTACT_REF_KEY_LEN];
	const char *cells[CC_COUNT];
	struct contact_row r;
	struct contact c;
	char *groups = NULL;
	json_t *v;

	(void)role;
	if (path_contact(ctx, req->path, key, &c, res) != 1)
		return;
	if ((v = admin_json_body(req, res)) == NULL) {
		records_contact_clear(&c);
		return;
	}
	if (body_cells(v, cells, &groups) == -1) {
		admin_error(res, 400, "every field must be text (\"groups\" "
		    "text or a list of names)");
		goto out;
	}
	if (cells[CC_PHONE] != NULL) {
		admin_error(res, 400, "a contact's number cannot change: add "
		    "the new number as a contact");
		goto out;
	}
	cells[CC_PHONE] = c.phone;
	if (check_form(ctx, cc, cells, &r, res) == -1)
		goto out;
	set_field(&c.name, cells[CC_NAME], r.name);
	set_field(&c.district, cells[CC_DISTRICT], r.district);
	set_field(&c.language, cells[CC_LANGUAGE], r.language);
	if (cells[CC_ROLE] != NULL && *r.role != '\0')
		set_field(&c.role, cells[CC_ROLE], r.role);
	if (store_begin(ctx->store) == -1 ||
	    store_contact_put(ctx->store, &c) == -1 ||
	    (cells[CC_GROUPS] != NULL && set_groups(ctx->store, c.phone, &r,
	    util_wall_ms()) == -1) || store_commit(ctx->store) == -1) {
		store_rollback(ctx->store);
		admin_error(res, 503, "store unavailable");
	} else {
		admin_json_reply(res, 200, json_pack("{s:o}", "contact",
		    contact_json(ctx->store, key, &c, 0, 1)));
	}
	contact_row_clear(&r);
out:
	records_contact_clear(&c);
	free(groups);
	json_decref(v);
}

/* ---- POST /api/v1/contacts/import ---- */

/*
 * Which column each header is: as "columns" says, else as the header
 * reads (contact_rows_column_of).  map[col] = cell index or -1.  Problems
 * of the header go to p (line 1).
 */
static json_t *
map_columns(json_t *given, char **f, size_t nf, int map[CC_COUNT],
    struct problems *p)
{
	json_t *cols = json_object(), *g;
	size_t i;
	int c;

	for (i = 0; i < CC_COUNT; i++)
		map[i] = -1;
	for (i = 0; i < nf; i++) {
		c = -1;
		if (given != NULL && (g = json_object_get(given, f[i])) !=
		    NULL) {
			if (json_is_string(g) && (c = contact_rows_column_of(
			    json_string_value(g))) == -1) {
				char msg[200];

				snprintf(msg, sizeof(msg), "\"%s\" is no column "
				    "(phone, name, district, language, role, "
				    "groups)", json_string_value(g));
				problem(p, CC_PHONE, msg);
			}
		} else {
			c = contact_rows_column_of(f[i]);
		}
		if (c != -1 && map[c] != -1) {
			char msg[200];

			snprintf(msg, sizeof(msg), "two columns are %s: \"%s\" "
			    "and \"%s\"", contact_rows_column_name(c),
			    f[map[c]], f[i]);
			problem(p, c, msg);
			c = -1;
		}
		if (c != -1)
			map[c] = (int)i;
		json_object_set_new(cols, f[i], c == -1 ? json_null() :
		    json_string(contact_rows_column_name(c)));
	}
	if (map[CC_PHONE] == -1)
		problem(p, CC_PHONE, "no column holds the phone numbers: "
		    "choose it");
	return cols;
}

struct import_state {
	struct store_contact_import *rows;
	struct contact_row	*checked;
	size_t			 n;
	int64_t			 added;
	int64_t			 updated;
};

static void
import_state_clear(struct import_state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		contact_row_clear(&s->checked[i]);
	free(s->checked);
	free(s->rows);
}

/* The row's phone repeated from an earlier line: that line, or 0. */
static size_t
seen_before(const struct import_state *s, const size_t *lines,
    const char *phone)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->checked[i].phone, phone) == 0)
			return lines[i];
	return 0;
}

static json_t *
import_work(struct store *st, void *arg, int *status)
{
	struct api_import *ij = arg;
	const char *csv = ij->csv;
	struct import_state s;
	struct csv_reader *r;
	struct problems p;
	struct contact c, row_c;
	json_t *headers = json_array(), *cols = NULL, *out;
	const char *cells[CC_COUNT];
	char err[256], **f;
	size_t nf, line, i, *lines = NULL, before, rows = 0;
	int map[CC_COUNT], rc, first = 1, imported = 0;

	memset(&s, 0, sizeof(s));
	memset(&c, 0, sizeof(c));
	p.list = json_array();
	p.line = 1;
	p.cells = NULL;
	r = csv_open_mem(csv, strlen(csv));
	while ((rc = csv_next(r, &f, &nf, &line, err, sizeof(err))) != 0) {
		p.line = line;
		p.cells = NULL;
		if (rc == -1) {
			problem(&p, CC_PHONE, err);
			continue;
		}
		if (first) {
			first = 0;
			for (i = 0; i < nf; i++)
				json_array_append_new(headers,
				    json_string(f[i]));
			cols = map_columns(ij->columns, f, nf, map, &p);
			continue;
		}
		if (++rows > IMPORT_MAX_ROWS) {
			problem(&p, CC_PHONE, "more than 20000 rows: split "
			    "the file");
			break;
		}
		for (i = 0; i < CC_COUNT; i++)
			cells[i] = map[i] >= 0 && (size_t)map[i] < nf ?
			    f[map[i]] : NULL;
		p.cells = cells;
		s.checked = xreallocarray(s.checked, s.n + 1,
		    sizeof(*s.checked));
		if (contact_rows_check(ij->dt, ij->cc, cells, &s.checked[s.n],
		    problem, &p) != 0)
			continue;
		if ((before = seen_before(&s, lines, s.checked[s.n].phone))) {
			char msg[96];

			snprintf(msg, sizeof(msg), "the same number as line "
			    "%zu", before);
			problem(&p, CC_PHONE, msg);
			contact_row_clear(&s.checked[s.n]);
			continue;
		}
		lines = xreallocarray(lines, s.n + 1, sizeof(*lines));
		lines[s.n++] = line;
	}
	csv_close(r);
	if (first)
		problem(&p, CC_PHONE, "the file is empty");
	if (cols == NULL)
		cols = json_object();
	/* Who is new, who is known: what the import will do. */
	for (i = 0; i < s.n; i++) {
		if ((rc = store_contact_get(st, s.checked[i].phone,
		    &row_c)) == -1)
			goto fail;
		records_contact_clear(&row_c);
		if (rc == 1)
			s.updated++;
		else
			s.added++;
	}
	if (ij->commit && json_array_size(p.list) == 0 && s.n > 0) {
		s.rows = xcalloc(s.n, sizeof(*s.rows));
		for (i = 0; i < s.n; i++) {
			struct contact_row *cr = &s.checked[i];

			s.rows[i].phone = cr->phone;
			s.rows[i].name = cr->name;
			s.rows[i].district = cr->district;
			s.rows[i].language = cr->language;
			s.rows[i].role = cr->role;
			s.rows[i].groups = (const char *const *)cr->groups;
			s.rows[i].group_names =
			    (const char *const *)cr->group_names;
			s.rows[i].ngroups = cr->ngroups;
		}
		if (store_begin(st) == -1)
			goto fail;
		if (store_contacts_import(st, s.rows, s.n, ij->now_ms) == -1 ||
		    store_commit(st) == -1) {
			store_rollback(st);
			goto fail;
		}
		imported = 1;
		log_info("contacts_imported", "rows=%zu added=%lld updated=%lld "
		    "by=console", s.n, (long long)s.added,
		    (long long)s.updated);
	}
	if (ij->commit && !imported)
		*status = 400;
	out = json_pack("{s:o, s:o, s:I, s:I, s:I, s:o, s:b}", "headers",
	    headers, "columns", cols, "rows", (json_int_t)rows, "new",
	    (json_int_t)s.added, "updated", (json_int_t)s.updated, "problems",
	    p.list, "imported", imported);
	if (ij->commit && !imported)
		json_object_set_new(out, "error", json_string(s.n == 0 &&
		    json_array_size(p.list) == 0 ? "no rows to import" :
		    "the file has problems; nothing imported"));
	import_state_clear(&s);
	free(lines);
	return out;
fail:
	json_decref(headers);
	json_decref(cols);
	json_decref(p.list);
	import_state_clear(&s);
	free(lines);
	return NULL;
}

static void
contacts_import(struct admin_ctx *ctx, const struct sp_request *req,
    enum admin_role role, struct admin_response *res)
{
	(void)role;
	api_import_start(ctx, req, res, "headers", import_work);
}

const struct admin_route api_contacts_routes[] = {
	{ "GET", "/api/v1/contacts", ROLE_COORDINATOR, 0, contacts_list },
	{ "POST", "/api/v1/contacts", ROLE_COORDINATOR, 1, contacts_add },
	{ "POST", PREFIX "import", ROLE_COORDINATOR, 1, contacts_import },
	{ "GET", PREFIX "*", ROLE_COORDINATOR, 0, contact_get },
	{ "POST", PREFIX "*", ROLE_COORDINATOR, 1, contact_edit },
	{ NULL, NULL, ROLE_NONE, 0, NULL },
};
