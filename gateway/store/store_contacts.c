/*
 * store_contacts: the contacts part of the store beyond the single-contact
 * get/put of store.c (see store.h): opt-out lookups, interests learned
 * from queries, the contacts import, named groups, and streaming an
 * audience expression over every contact.
 *
 * An audience is evaluated in C, one contact at a time, over contacts read
 * in phone order in pages (keyset pagination), rather than compiled into
 * SQL: expressions are arbitrary, and one prepared statement per page
 * shape keeps "nothing is prepared at request time" true.  Group and
 * interest terms are primary-key lookups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "log.h"
#include "store_int.h"
#include "util.h"

#define AUDIENCE_PAGE	1000

static const char *const sql_interest_add =
    "INSERT INTO contact_interests (phone, interest, first_ms, last_ms)"
    " VALUES (?1, ?2, ?3, ?3) ON CONFLICT(phone, interest)"
    " DO UPDATE SET last_ms = excluded.last_ms";
static const char *const sql_interest_has =
    "SELECT 1 FROM contact_interests WHERE phone = ?1 AND interest = ?2";
static const char *const sql_interests_get =
    "SELECT interest FROM contact_interests WHERE phone = ?1"
    " ORDER BY interest";
/* Empty fields keep what an existing contact has. */
static const char *const sql_import =
    "INSERT INTO contacts (phone, name, language, district, role)"
    " VALUES (?1, NULLIF(?2, ''), NULLIF(?3, ''), NULLIF(?4, ''),"
    " COALESCE(NULLIF(?5, ''), 'entrepreneur'))"
    " ON CONFLICT(phone) DO UPDATE SET"
    " name = COALESCE(NULLIF(?2, ''), contacts.name),"
    " language = COALESCE(NULLIF(?3, ''), contacts.language),"
    " district = COALESCE(NULLIF(?4, ''), contacts.district),"
    " role = COALESCE(NULLIF(?5, ''), contacts.role)";
static const char *const sql_contact_touch =
    "INSERT INTO contacts (phone) VALUES (?1) ON CONFLICT(phone) DO NOTHING";
static const char *const sql_group_create =
    "INSERT INTO contact_groups (name, created_ms) VALUES (?1, ?2)"
    " ON CONFLICT(name) DO NOTHING";
static const char *const sql_group_delete_members =
    "DELETE FROM group_members WHERE group_name = ?1";
static const char *const sql_group_delete =
    "DELETE FROM contact_groups WHERE name = ?1";
static const char *const sql_group_get =
    "SELECT name, created_ms, (SELECT count(*) FROM group_members m"
    " WHERE m.group_name = g.name), display_name FROM contact_groups g"
    " WHERE name = ?1";
static const char *const sql_group_set_display =
    "UPDATE contact_groups SET display_name = ?2 WHERE name = ?1";
static const char *const sql_contact_groups =
    "SELECT group_name FROM group_members WHERE phone = ?1"
    " ORDER BY group_name";
static const char *const sql_group_exists =
    "SELECT 1 FROM contact_groups WHERE name = ?1";
static const char *const sql_groups_list =
    "SELECT name, created_ms, (SELECT count(*) FROM group_members m"
    " WHERE m.group_name = g.name), display_name FROM contact_groups g"
    " ORDER BY name";
static const char *const sql_group_add =
    "INSERT INTO group_members (group_name, phone, added_ms)"
    " VALUES (?1, ?2, ?3) ON CONFLICT(group_name, phone) DO NOTHING";
static const char *const sql_group_remove =
    "DELETE FROM group_members WHERE group_name = ?1 AND phone = ?2";
static const char *const sql_group_has =
    "SELECT 1 FROM group_members WHERE group_name = ?1 AND phone = ?2";
/* rsvp: terms, per contact: her answer to the broadcast's meeting, and
 * whether the broadcast was sent to her (outbox_to_broadcast). */
static const char *const sql_rsvp_answer =
    "SELECT r.answer FROM broadcasts b JOIN rsvps r"
    " ON r.meeting_id = b.meeting_id AND r.phone = ?2 WHERE b.id = ?1";
static const char *const sql_rsvp_recipient =
    "SELECT 1 FROM outbox WHERE broadcast_id IS NOT NULL"
    " AND to_phone = ?2 AND broadcast_id = ?1 LIMIT 1";
static const char *const sql_page[2] = {
    "SELECT " CONTACT_COLUMNS " FROM contacts WHERE phone > ?1"
    " AND (?2 OR opted_out_ms = 0) ORDER BY phone LIMIT ?3",
    "SELECT " CONTACT_COLUMNS " FROM contacts WHERE phone > ?1"
    " AND (?2 <> 0 OR opted_out_ms = 0) ORDER BY phone LIMIT ?3" };
/*
 * When every part of an audience names a group, only those groups'
 * members can match: walk them (CROSS JOIN keeps group_members the outer
 * loop) instead of every contact.  ?4 is a JSON array of group names.
 */
#define PAGE_GROUPS_COLUMNS \
    "SELECT c.phone, c.name, c.language, c.district, c.role," \
    " c.pending_keyword, c.pending_until_ms, c.more_text, c.more_until_ms," \
    " c.opted_out_ms, c.first_seen_ms, c.last_seen_ms"
/* PostgreSQL: its JSON array function, and grouped by the contact's key
 * so that the contact's columns may be selected. */
static const char *const sql_page_groups[2] = {
    PAGE_GROUPS_COLUMNS
    " FROM group_members m CROSS JOIN contacts c ON c.phone = m.phone"
    " WHERE m.group_name IN (SELECT value FROM json_each(?4))"
    " AND m.phone > ?1 AND (?2 OR c.opted_out_ms = 0)"
    " GROUP BY m.phone ORDER BY m.phone LIMIT ?3",
    PAGE_GROUPS_COLUMNS
    " FROM group_members m JOIN contacts c ON c.phone = m.phone"
    " WHERE m.group_name IN"
    " (SELECT json_array_elements_text(?4::json))"
    " AND m.phone > ?1 AND (?2 <> 0 OR c.opted_out_ms = 0)"
    " GROUP BY c.phone ORDER BY c.phone LIMIT ?3" };

/* ---- interests ---- */

int
store_interest_add(struct store *st, const char *phone, const char *interest,
    int64_t now_ms)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_interest_add, "interest_add");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	store_sq_bind_text(s, 2, interest);
	store_db_bind_int64(s, 3, now_ms);
	return store_sq_step_deferred(st, s, "interest_add");
}

int
store_interest_has(struct store *st, const char *phone, const char *interest)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_interest_has, "interest_has");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	store_sq_bind_text(s, 2, interest);
	return store_sq_exists(st, s, "interest_has");
}

int
store_interests_get(struct store *st, const char *phone, char ***names,
    size_t *n)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_interests_get, "interests_get");

	if (s != NULL)
		store_sq_bind_text(s, 1, phone);
	return store_sq_strings(st, s, "interests_get", names, n);
}

/* ---- import ---- */

static int
import_row(struct store *st, const struct store_contact_import *r,
    int64_t now_ms)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_import, "contacts_import");
	const char *v[] = { r->phone, r->name, r->language, r->district,
	    r->role };
	size_t i;
	int created;

	if (s == NULL)
		return -1;
	store_sq_bind_texts(s, 1, v, SP_ARRAY_LEN(v));
	if (store_sq_step_done(st, s, "contacts_import") == -1)
		return -1;
	for (i = 0; i < r->ngroups; i++) {
		if ((created = store_group_create(st, r->groups[i],
		    now_ms)) == -1)
			return -1;
		if (created && r->group_names != NULL &&
		    strcmp(r->group_names[i], r->groups[i]) != 0 &&
		    store_group_set_display(st, r->groups[i],
		    r->group_names[i]) == -1)
			return -1;
		if (store_group_add(st, r->groups[i], r->phone, now_ms) == -1)
			return -1;
	}
	return 0;
}

int
store_contacts_import(struct store *st,
    const struct store_contact_import *rows, size_t n, int64_t now_ms)
{
	size_t i;
	int ok = 1;

	if (store_sq_run(st, S_SAVEPOINT, "contacts_import") == -1)
		return -1;
	for (i = 0; ok && i < n; i++)
		ok = import_row(st, &rows[i], now_ms) == 0;
	return store_sq_savepoint_end(st, ok, "contacts_import");
}

/* ---- groups ---- */

void
store_group_clear(struct store_group *g)
{
	if (g == NULL)
		return;
	free(g->name);
	free(g->display_name);
	memset(g, 0, sizeof(*g));
}

int
store_group_create(struct store *st, const char *name, int64_t now_ms)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_group_create, "group_create");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, name);
	store_db_bind_int64(s, 2, now_ms);
	if (store_sq_step_done(st, s, "group_create") == -1)
		return -1;
	return store_db_changes(&st->db) > 0 ? 1 : 0;
}

int
store_group_set_display(struct store *st, const char *name,
    const char *display_name)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_group_set_display,
	    "group_set_display");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, name);
	store_sq_bind_text(s, 2, display_name);
	if (store_sq_step_done(st, s, "group_set_display") == -1)
		return -1;
	return store_db_changes(&st->db) > 0 ? 1 : 0;
}

int
store_contact_groups(struct store *st, const char *phone, char ***names,
    size_t *n)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_contact_groups,
	    "contact_groups");

	if (s != NULL)
		store_sq_bind_text(s, 1, phone);
	return store_sq_strings(st, s, "contact_groups", names, n);
}

int
store_group_delete(struct store *st, const char *name)
{
	struct store_db_stmt *m = store_sq_prepared(st, &sql_group_delete_members,
	    "group_delete");
	struct store_db_stmt *g = store_sq_prepared(st, &sql_group_delete, "group_delete");
	int changed;

	if (m == NULL || g == NULL)
		return -1;
	if (store_sq_run(st, S_SAVEPOINT, "group_delete") == -1)
		return -1;
	store_sq_bind_text(m, 1, name);
	if (store_sq_step_done(st, m, "group_delete") == -1)
		goto undo;
	store_sq_bind_text(g, 1, name);
	if (store_sq_step_done(st, g, "group_delete") == -1)
		goto undo;
	changed = store_db_changes(&st->db);
	if (store_sq_run(st, S_RELEASE, "group_delete") == -1)
		goto undo;
	return changed > 0 ? 1 : 0;
undo:
	store_sq_savepoint_undo(st);
	return -1;
}

static void
group_row(struct store_db_stmt *s, struct store_group *g)
{
	g->name = store_sq_column_dup(s, 0);
	g->created_ms = store_db_column_int64(s, 1);
	g->members = store_db_column_int64(s, 2);
	g->display_name = store_sq_column_dup(s, 3);
}

int
store_group_get(struct store *st, const char *name, struct store_group *g)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_group_get, "group_get");
	int rc;

	memset(g, 0, sizeof(*g));
	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, name);
	if ((rc = store_sq_step_row(st, s, "group_get")) == 1) {
		group_row(s, g);
		store_sq_done(s);
	}
	return rc;
}

int
store_groups_list(struct store *st,
    int (*cb)(void *arg, const struct store_group *g), void *arg)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_groups_list, "groups_list");
	struct store_group g;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		memset(&g, 0, sizeof(g));
		group_row(s, &g);
		ret = cb(arg, &g);
		store_group_clear(&g);
		if (ret == -1)
			break;
	}
	if (ret == 0 && rc != STORE_DB_DONE)
		ret = store_sq_fail(st, "groups_list");
	store_sq_done(s);
	return ret;
}

int
store_group_add(struct store *st, const char *name, const char *phone,
    int64_t now_ms)
{
	struct store_db_stmt *t = store_sq_prepared(st, &sql_contact_touch, "group_add");
	struct store_db_stmt *s = store_sq_prepared(st, &sql_group_add, "group_add");
	struct store_db_stmt *e = store_sq_prepared(st, &sql_group_exists, "group_add");
	int rc;

	if (t == NULL || s == NULL || e == NULL)
		return -1;
	store_sq_bind_text(e, 1, name);
	if ((rc = store_sq_exists(st, e, "group_add")) != 1)
		return rc == 0 ? store_sq_fail_msg(st, "group_add", "no such group") :
		    -1;
	/* A member must be a contact, or no audience would reach her. */
	store_sq_bind_text(t, 1, phone);
	if (store_sq_step_done(st, t, "group_add") == -1)
		return -1;
	store_sq_bind_text(s, 1, name);
	store_sq_bind_text(s, 2, phone);
	store_db_bind_int64(s, 3, now_ms);
	if (store_sq_step_done(st, s, "group_add") == -1)
		return -1;
	return store_db_changes(&st->db) > 0 ? 1 : 0;
}

int
store_group_remove(struct store *st, const char *name, const char *phone)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_group_remove, "group_remove");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, name);
	store_sq_bind_text(s, 2, phone);
	if (store_sq_step_done(st, s, "group_remove") == -1)
		return -1;
	return store_db_changes(&st->db) > 0 ? 1 : 0;
}

int
store_group_has(struct store *st, const char *name, const char *phone)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_group_has, "group_has");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, name);
	store_sq_bind_text(s, 2, phone);
	return store_sq_exists(st, s, "group_has");
}

/* ---- audiences ---- */

/* Did phone answer broadcast id's meeting as name ("ID:ANSWER") says?
 * "none": it was sent to her and she has not answered. */
static int
rsvp_member(struct store *st, const char *name, const char *phone)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_rsvp_answer, "rsvp_member");
	const char *want, *got;
	long long id;
	int rc, same = 0;

	if (s == NULL)
		return -1;
	if (audience_rsvp_split(name, &id, &want) == -1)
		return store_sq_fail_msg(st, "rsvp_member", "bad rsvp: term");
	store_db_bind_int64(s, 1, id);
	store_sq_bind_text(s, 2, phone);
	if ((rc = store_sq_step_row(st, s, "rsvp_member")) == 1) {
		got = store_sq_column_str(s, 0);
		same = got != NULL && strcmp(got, want) == 0;
		store_sq_done(s);
	}
	if (rc == -1)
		return -1;
	if (strcmp(want, "none") != 0)
		return same;
	if (rc == 1)
		return 0;
	if ((s = store_sq_prepared(st, &sql_rsvp_recipient, "rsvp_member")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, id);
	store_sq_bind_text(s, 2, phone);
	return store_sq_exists(st, s, "rsvp_member");
}

static int
member(void *arg, enum audience_kind kind, const struct contact *c,
    const char *name)
{
	struct store *st = arg;

	if (kind == AUD_RSVP)
		return rsvp_member(st, name, c->phone);
	if (kind == AUD_GROUP)
		return store_group_has(st, name, c->phone);
	if (kind == AUD_INTEREST)
		return store_interest_has(st, c->phone, name);
	return 0;
}

/* Read the page of contacts after key *after into page; *n of them. */
static int
read_page(struct store *st, const char *after, int include_opted_out,
    const char *groups, struct contact *page, size_t *n)
{
	struct store_db_stmt *s = groups != NULL ?
	    store_sq_prepared(st, STORE_SQL(st, sql_page_groups), "audience") :
	    store_sq_prepared(st, STORE_SQL(st, sql_page), "audience");
	int rc;

	*n = 0;
	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, after);
	store_db_bind_int64(s, 2, include_opted_out ? 1 : 0);
	store_db_bind_int64(s, 3, AUDIENCE_PAGE);
	if (groups != NULL)
		store_sq_bind_text(s, 4, groups);
	while ((rc = store_db_step(s)) == STORE_DB_ROW && *n < AUDIENCE_PAGE)
		store_sq_contact_row(s, &page[(*n)++]);
	if (rc != STORE_DB_ROW && rc != STORE_DB_DONE) {
		store_sq_fail(st, "audience");
		store_sq_done(s);
		while (*n > 0)
			records_contact_clear(&page[--(*n)]);
		return -1;
	}
	/* Released before the callbacks run, so they may write. */
	store_sq_done(s);
	return 0;
}

/*
 * The groups that bound the audience, as a JSON array, when every
 * conjunction names one (caller frees); NULL when some part can match
 * contacts outside any group.
 */
static char *
bounding_groups(const struct audience *a)
{
	struct buf b;
	size_t i, j;

	buf_init(&b, 0);
	buf_putc(&b, '[');
	for (i = 0; i < a->nconjs; i++) {
		const struct audience_conj *c = &a->conjs[i];

		for (j = 0; j < c->nterms; j++)
			if (c->terms[j].kind == AUD_GROUP)
				break;
		if (j == c->nterms) {
			buf_free(&b);
			return NULL;
		}
		buf_puts(&b, i > 0 ? ",\"" : "\"");
		buf_json_escape(&b, c->terms[j].name);
		buf_putc(&b, '"');
	}
	buf_putc(&b, ']');
	return a->nconjs > 0 ? buf_steal(&b) : (buf_free(&b), NULL);
}

int
store_audience_each(struct store *st, const struct audience *a,
    int include_opted_out,
    int (*cb)(void *arg, const struct contact *c), void *arg)
{
	struct contact *page = xcalloc(AUDIENCE_PAGE, sizeof(*page));
	char *after = xstrdup(""), *groups = bounding_groups(a);
	size_t n, i;
	int ret = 0, m;

	for (;;) {
		if (read_page(st, after, include_opted_out, groups, page,
		    &n) == -1) {
			ret = -1;
			break;
		}
		for (i = 0; i < n && ret == 0; i++) {
			m = audience_match(a, &page[i], member, st);
			if (m == -1 || (m == 1 && cb(arg, &page[i]) == -1))
				ret = -1;
		}
		if (n > 0) {
			free(after);
			after = xstrdup(page[n - 1].phone);
		}
		for (i = 0; i < n; i++)
			records_contact_clear(&page[i]);
		if (ret == -1 || n < AUDIENCE_PAGE)
			break;
	}
	free(after);
	free(groups);
	free(page);
	return ret;
}

static int
count_one(void *arg, const struct contact *c)
{
	(void)c;
	(*(int64_t *)arg)++;
	return 0;
}

int
store_audience_count(struct store *st, const struct audience *a,
    int include_opted_out, int64_t *n)
{
	*n = 0;
	return store_audience_each(st, a, include_opted_out, count_one, n);
}
