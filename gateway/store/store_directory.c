/*
 * store_directory: contacts' own rows and the stakeholder directory (see store.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

/* ---- contacts ---- */

/* A row selected as CONTACT_COLUMNS into c (store_int.h). */
void
store_sq_contact_row(struct store_db_stmt *s, struct contact *c)
{
	memset(c, 0, sizeof(*c));
	c->phone = store_sq_column_dup(s, 0);
	c->name = store_sq_column_dup(s, 1);
	c->language = store_sq_column_dup(s, 2);
	c->district = store_sq_column_dup(s, 3);
	c->role = store_sq_column_dup(s, 4);
	c->pending_keyword = store_sq_column_dup(s, 5);
	c->pending_until_ms = store_db_column_int64(s, 6);
	c->more_text = store_sq_column_dup(s, 7);
	c->more_until_ms = store_db_column_int64(s, 8);
	c->opted_out_ms = store_db_column_int64(s, 9);
	c->first_seen_ms = store_db_column_int64(s, 10);
	c->last_seen_ms = store_db_column_int64(s, 11);
}

int
store_contact_get(struct store *st, const char *phone,
    struct contact *c)
{
	struct store_db_stmt *s = st->stmt[S_CONTACT_GET];
	int rc;

	memset(c, 0, sizeof(*c));
	store_sq_bind_text(s, 1, phone);
	if ((rc = store_sq_step_row(st, s, "contact_get")) == 1) {
		store_sq_contact_row(s, c);
		store_sq_done(s);
	}
	return rc;
}

int
store_contact_put(struct store *st, const struct contact *c)
{
	struct store_db_stmt *s = st->stmt[S_CONTACT_PUT];
	const char *v[] = { c->phone, c->name, c->language, c->district,
	    c->role, c->pending_keyword };

	store_sq_bind_texts(s, 1, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 7, c->pending_until_ms);
	store_sq_bind_text(s, 8, c->more_text);
	store_db_bind_int64(s, 9, c->more_until_ms);
	store_db_bind_int64(s, 10, c->opted_out_ms);
	store_db_bind_int64(s, 11, c->first_seen_ms);
	store_db_bind_int64(s, 12, c->last_seen_ms);
	return store_sq_step_deferred(st, st->stmt[S_CONTACT_PUT],
	    "contact_put");
}

/* ---- stakeholders ---- */

#define SH_NFIELDS	7

/* The string fields of r in SH_COLUMNS order. */
static void
sh_fields(struct stakeholder *r, char **f[SH_NFIELDS])
{
	f[0] = &r->name;
	f[1] = &r->category;
	f[2] = &r->district;
	f[3] = &r->phone;
	f[4] = &r->languages;
	f[5] = &r->description_en;
	f[6] = &r->description_hi;
}

static int
stakeholder_insert(struct store *st, const struct stakeholder *r,
    const char *source, int64_t now)
{
	struct store_db_stmt *s = st->stmt[S_SH_INSERT];
	const char *v[] = { r->name, r->category, r->district, r->phone,
	    r->languages, r->description_en, r->description_hi, source };

	store_sq_bind_texts(s, 1, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 9, now);
	return store_sq_run(st, S_SH_INSERT, "stakeholders_replace");
}

int
store_stakeholders_replace(struct store *st,
    const struct stakeholder *rows, size_t n, const char *source)
{
	int64_t now = util_wall_ms();
	size_t i;

	int ok;

	if (store_sq_run(st, S_SAVEPOINT, "stakeholders_replace") == -1)
		return -1;
	ok = store_sq_run(st, S_SH_DELETE, "stakeholders_replace") == 0;
	for (i = 0; ok && i < n; i++)
		ok = stakeholder_insert(st, &rows[i], source, now) == 0;
	return store_sq_savepoint_end(st, ok, "stakeholders_replace");
}

int
store_stakeholders_count(struct store *st, int64_t *n)
{
	return store_sq_int64(st, st->stmt[S_SH_COUNT], "stakeholders_count",
	    n) == 1 ? 0 : -1;
}

/* Rows selected as "id, " SH_COLUMNS, each with its id; ids (may be NULL)
 * gets the ids in an array of their own too. */
static int
stakeholders_read(struct store *st, struct store_db_stmt *s, const char *op,
    struct stakeholder **rows, int64_t **ids, size_t *n)
{
	struct stakeholder *v = NULL;
	int64_t *id = NULL;
	char **f[SH_NFIELDS];
	size_t len = 0, cap = 0;
	int rc, i;

	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		if (len == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			v = xreallocarray(v, cap, sizeof(*v));
			if (ids != NULL)
				id = xreallocarray(id, cap, sizeof(*id));
		}
		memset(&v[len], 0, sizeof(v[len]));
		v[len].id = store_db_column_int64(s, 0);
		if (ids != NULL)
			id[len] = v[len].id;
		sh_fields(&v[len++], f);
		for (i = 0; i < SH_NFIELDS; i++)
			*f[i] = store_sq_column_dup(s, i + 1);
	}
	if (rc != STORE_DB_DONE)
		store_sq_fail(st, op);
	store_sq_done(s);
	if (rc != STORE_DB_DONE) {
		records_stakeholders_free(v, len);
		free(id);
		v = NULL;
		id = NULL;
		len = 0;
	}
	*rows = v;
	if (ids != NULL)
		*ids = id;
	*n = len;
	return rc == STORE_DB_DONE ? 0 : -1;
}

int
store_stakeholders_find(struct store *st, const char *category,
    const char *district, struct stakeholder **rows, size_t *n)
{
	struct store_db_stmt *s = st->stmt[S_SH_FIND];

	store_sq_bind_text(s, 1, category);
	store_sq_bind_text(s, 2, district);
	return stakeholders_read(st, s, "stakeholders_find", rows, NULL, n);
}

int
store_stakeholders_all(struct store *st, struct stakeholder **rows,
    size_t *n)
{
	return stakeholders_read(st, st->stmt[S_SH_ALL], "stakeholders_find",
	    rows, NULL, n);
}

static const char *const sql_sh_list =
    "SELECT id, " SH_COLUMNS " FROM stakeholders"
    " WHERE (?1 IS NULL OR district = ?1 OR district = '*')"
    " AND (?2 IS NULL OR category = ?2) ORDER BY id";
static const char *const sql_sh_get =
    "SELECT id, " SH_COLUMNS " FROM stakeholders WHERE id = ?1";
static const char *const sql_sh_update =
    "UPDATE stakeholders SET name = ?2, category = ?3, district = ?4,"
    " phone = ?5, languages = ?6, description_en = ?7, description_hi = ?8,"
    " source = ?9, imported_ms = ?10 WHERE id = ?1";
static const char *const sql_sh_retire =
    "DELETE FROM stakeholders WHERE id = ?1";

int
store_stakeholders_list(struct store *st, const char *district,
    const char *category, struct stakeholder **rows, int64_t **ids,
    size_t *n)
{
	struct store_db_stmt *s;

	*rows = NULL;
	*ids = NULL;
	*n = 0;
	if ((s = store_sq_prepared(st, &sql_sh_list,
	    "stakeholders_list")) == NULL)
		return -1;
	store_sq_bind_text(s, 1, district);
	store_sq_bind_text(s, 2, category);
	return stakeholders_read(st, s, "stakeholders_list", rows, ids, n);
}

int
store_stakeholder_get(struct store *st, int64_t id, struct stakeholder *r)
{
	struct stakeholder *v;
	struct store_db_stmt *s;
	size_t n;

	memset(r, 0, sizeof(*r));
	if ((s = store_sq_prepared(st, &sql_sh_get, "stakeholder_get")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, id);
	if (stakeholders_read(st, s, "stakeholders_list", &v, NULL, &n) == -1)
		return -1;
	if (n == 1)
		*r = v[0];
	free(v);
	return n == 1;
}

int
store_stakeholder_add(struct store *st, const struct stakeholder *r,
    const char *source, int64_t now_ms, int64_t *id)
{
	if (stakeholder_insert(st, r, source, now_ms) == -1)
		return -1;
	*id = store_db_last_id(&st->db);
	return 0;
}

int
store_stakeholder_update(struct store *st, int64_t id,
    const struct stakeholder *r, const char *source, int64_t now_ms)
{
	const char *v[] = { r->name, r->category, r->district, r->phone,
	    r->languages, r->description_en, r->description_hi, source };
	struct store_db_stmt *s;

	if ((s = store_sq_prepared(st, &sql_sh_update,
	    "stakeholder_update")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, id);
	store_sq_bind_texts(s, 2, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 10, now_ms);
	if (store_sq_step_done(st, s, "stakeholder_update") == -1)
		return -1;
	return store_db_changes(&st->db) > 0;
}

int
store_stakeholder_retire(struct store *st, int64_t id)
{
	struct store_db_stmt *s;

	if ((s = store_sq_prepared(st, &sql_sh_retire,
	    "stakeholder_retire")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, id);
	if (store_sq_step_done(st, s, "stakeholder_retire") == -1)
		return -1;
	return store_db_changes(&st->db) > 0;
}

int
store_data_version(struct store *st, int64_t *version)
{
	return store_sq_int64(st, st->stmt[S_DATA_VERSION], "data_version",
	    version) == 1 ? 0 : -1;
}

