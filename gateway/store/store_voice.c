/*
 * store_voice: the calls part of the store (see store.h): one row per
 * voice call with the caller's place in the menu, missed-call follow-ups,
 * and outbound calls queued in the outbox as messages of kind "call".
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

#define CALL_COLUMNS \
	"call_id, provider, caller, our_number, direction, start_ms, end_ms," \
	" updated_ms, status, node, back, retries, district, language," \
	" pending, pending_next, last_answer, say_next, steps, followup," \
	" duration_s, last_query"

static const char *const sql_call_get =
    "SELECT " CALL_COLUMNS " FROM calls WHERE provider = ?1 AND call_id = ?2";
static const char *const sql_call_put =
    "INSERT INTO calls (" CALL_COLUMNS ") VALUES (?1, ?2, ?3, ?4,"
    " COALESCE(?5, 'in'), ?6, ?7, ?8, COALESCE(?9, 'active'), ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
    " ON CONFLICT(provider, call_id) DO UPDATE SET"
    " caller = excluded.caller, our_number = excluded.our_number,"
    " direction = excluded.direction, end_ms = excluded.end_ms,"
    " updated_ms = excluded.updated_ms, status = excluded.status,"
    " node = excluded.node, back = excluded.back,"
    " retries = excluded.retries, district = excluded.district,"
    " language = excluded.language, pending = excluded.pending,"
    " pending_next = excluded.pending_next,"
    " last_answer = excluded.last_answer, say_next = excluded.say_next,"
    " steps = excluded.steps, followup = excluded.followup,"
    " duration_s = excluded.duration_s, last_query = excluded.last_query";
static const char *const sql_recent_followup =
    "SELECT 1 FROM calls WHERE caller = ?1 AND start_ms >= ?2"
    " AND followup IN ('sms', 'callback') LIMIT 1";
static const char *const sql_outbox_kind_call =
    "UPDATE outbox SET kind = 'call' WHERE id = ?1";

void
store_call_clear(struct store_call *c)
{
	if (c == NULL)
		return;
	free(c->call_id);
	free(c->provider);
	free(c->caller);
	free(c->our_number);
	free(c->direction);
	free(c->status);
	free(c->node);
	free(c->back);
	free(c->district);
	free(c->language);
	free(c->pending);
	free(c->pending_next);
	free(c->last_answer);
	free(c->say_next);
	free(c->followup);
	free(c->last_query);
	memset(c, 0, sizeof(*c));
}

int
store_call_get(struct store *st, const char *provider, const char *call_id,
    struct store_call *c)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_call_get, "call_get");
	int rc;

	memset(c, 0, sizeof(*c));
	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, provider);
	store_sq_bind_text(s, 2, call_id);
	if ((rc = store_sq_step_row(st, s, "call_get")) != 1)
		return rc;
	c->call_id = store_sq_column_dup(s, 0);
	c->provider = store_sq_column_dup(s, 1);
	c->caller = store_sq_column_dup(s, 2);
	c->our_number = store_sq_column_dup(s, 3);
	c->direction = store_sq_column_dup(s, 4);
	c->start_ms = store_db_column_int64(s, 5);
	c->end_ms = store_db_column_int64(s, 6);
	c->updated_ms = store_db_column_int64(s, 7);
	c->status = store_sq_column_dup(s, 8);
	c->node = store_sq_column_dup(s, 9);
	c->back = store_sq_column_dup(s, 10);
	c->retries = (int)store_db_column_int64(s, 11);
	c->district = store_sq_column_dup(s, 12);
	c->language = store_sq_column_dup(s, 13);
	c->pending = store_sq_column_dup(s, 14);
	c->pending_next = store_sq_column_dup(s, 15);
	c->last_answer = store_sq_column_dup(s, 16);
	c->say_next = store_sq_column_dup(s, 17);
	c->steps = (int)store_db_column_int64(s, 18);
	c->followup = store_sq_column_dup(s, 19);
	c->duration_s = store_db_column_is_null(s, 20) ? -1 :
	    store_db_column_int64(s, 20);
	c->last_query = store_sq_column_dup(s, 21);
	store_sq_done(s);
	return 1;
}

int
store_call_put(struct store *st, const struct store_call *c)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_call_put, "call_put");
	const char *a[] = { c->call_id, c->provider, c->caller, c->our_number,
	    c->direction };
	const char *b[] = { c->status, c->node, c->back };
	const char *d[] = { c->district, c->language, c->pending,
	    c->pending_next, c->last_answer, c->say_next };
	int rc;

	if (s == NULL)
		return -1;
	if (c->call_id == NULL || c->provider == NULL || c->caller == NULL)
		return store_sq_fail_msg(st, "call_put", "call id, provider and "
		    "caller are required");
	store_sq_bind_texts(s, 1, a, SP_ARRAY_LEN(a));
	store_db_bind_int64(s, 6, c->start_ms);
	store_sq_bind_int64(s, 7, c->end_ms, 0);
	store_db_bind_int64(s, 8, c->updated_ms);
	store_sq_bind_texts(s, 9, b, SP_ARRAY_LEN(b));
	store_db_bind_int64(s, 12, c->retries);
	store_sq_bind_texts(s, 13, d, SP_ARRAY_LEN(d));
	store_db_bind_int64(s, 19, c->steps);
	store_sq_bind_text(s, 20, c->followup);
	store_sq_bind_int64(s, 21, c->duration_s, -1);
	store_sq_bind_text(s, 22, c->last_query);
	rc = store_db_step(s);
	if (rc != STORE_DB_DONE)
		store_sq_fail(st, "call_put");
	store_sq_done(s);
	return rc == STORE_DB_DONE ? 0 : -1;
}

int
store_call_recent_followup(struct store *st, const char *caller,
    int64_t since_ms)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_recent_followup,
	    "call_recent_followup");
	int rc;

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, caller);
	store_db_bind_int64(s, 2, since_ms);
	if ((rc = store_sq_step_row(st, s, "call_recent_followup")) == 1)
		store_sq_done(s);
	return rc;
}

int
store_outbox_add_call(struct store *st, struct outbox_msg *m)
{
	struct store_db_stmt *s;
	int ok;

	if (store_sq_run(st, S_SAVEPOINT, "outbox_add_call") == -1)
		return -1;
	if ((ok = store_outbox_add(st, m) == 0 &&
	    (s = store_sq_prepared(st, &sql_outbox_kind_call,
	    "outbox_add_call")) != NULL)) {
		store_db_bind_int64(s, 1, m->id);
		ok = store_sq_step_done(st, s, "outbox_add_call") == 0;
	}
	if (store_sq_savepoint_end(st, ok, "outbox_add_call") == 0)
		return 0;
	m->id = 0;
	return -1;
}
