/*
 * store_broadcast: broadcasts, meetings, RSVPs and phone notices (see
 * store.h).  A broadcast's messages are ordinary outbox rows carrying its
 * id; its counts are read from the outbox, so they are never out of step
 * with what was really sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

#define BROADCAST_COLUMNS \
	"id, kind, parent_id, audience, template, category, vars, provider," \
	" created_by, state, created_ms, send_at_ms, cancelled_ms," \
	" recipients, segments, skipped_opted_out, meeting_id, reminder"

static const char *const sql_add =
    "INSERT INTO broadcasts (kind, parent_id, audience, template, category,"
    " vars, provider, created_by, state, created_ms, send_at_ms,"
    " meeting_id, reminder) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
    " COALESCE(?9, 'creating'), ?10, ?11, ?12, ?13)";
static const char *const sql_finish =
    "UPDATE broadcasts SET state = ?2, recipients = ?3, segments = ?4,"
    " skipped_opted_out = ?5 WHERE id = ?1 AND state = 'creating'";
/* Reminders go with their broadcast. */
static const char *const sql_creating =
    "/* batch: once at start-up, the creations a crash interrupted */"
    " SELECT id FROM broadcasts WHERE state = 'creating'"
    " AND kind <> 'reminder' ORDER BY id";
static const char *const sql_get =
    "SELECT " BROADCAST_COLUMNS " FROM broadcasts WHERE id = ?1";
static const char *const sql_reminder_of =
    "SELECT id FROM broadcasts WHERE parent_id = ?1 AND kind = 'reminder'";
/* PostgreSQL has no negative LIMIT for "all", but a NULL one. */
static const char *const sql_list[2] = {
    "/* report: the coordinator's listing, newest first, stops at its"
    " limit */ SELECT " BROADCAST_COLUMNS " FROM broadcasts"
    " ORDER BY id DESC LIMIT ?1",
    "/* report: the coordinator's listing, newest first, stops at its"
    " limit */ SELECT " BROADCAST_COLUMNS " FROM broadcasts"
    " ORDER BY id DESC LIMIT NULLIF(GREATEST(?1, -1), -1)" };
static const char *const sql_cancel =
    "UPDATE broadcasts SET state = 'cancelled', cancelled_ms = ?2"
    " WHERE (id = ?1 OR parent_id = ?1) AND state <> 'cancelled'";
/*
 * The events first: they name the messages the update then moves.  The
 * queued messages of a creation not finished are cancelled too, and
 * "held" ones (how databases before migration 14 kept them): not deleted,
 * since deleting an outbox row makes SQLite look for its events and
 * attempts, which have no index on the message (migration 9).
 */
static const char *const sql_cancel_events =
    "INSERT INTO outbox_events (outbox_id, time_ms, from_state, to_state,"
    " detail) SELECT id, ?2, state, 'failed', 'cancelled' FROM outbox"
    " WHERE broadcast_id IS NOT NULL AND state IN ('queued', 'held')"
    " AND broadcast_id IN (SELECT id FROM broadcasts WHERE id = ?1"
    " OR parent_id = ?1)";
static const char *const sql_cancel_msgs =
    "UPDATE outbox SET state = 'failed', updated_ms = ?2,"
    " error = 'cancelled', reason = 'cancelled'"
    " WHERE broadcast_id IS NOT NULL AND state IN ('queued', 'held')"
    " AND broadcast_id IN (SELECT id FROM broadcasts WHERE id = ?1"
    " OR parent_id = ?1)";
static const char *const sql_counts =
    "SELECT state, reason, count(*) FROM outbox"
    " WHERE broadcast_id IS NOT NULL AND broadcast_id = ?1"
    " GROUP BY state, reason";
static const char *const sql_rsvp_counts[2] = {
    "SELECT sum(answer = 'yes'), sum(answer = 'no') FROM rsvps"
    " WHERE meeting_id = ?1",
    "SELECT sum((answer = 'yes')::int), sum((answer = 'no')::int)"
    " FROM rsvps WHERE meeting_id = ?1" };
static const char *const sql_planned =
    "SELECT count(*) FROM outbox o JOIN broadcasts b"
    " ON b.id = o.broadcast_id AND b.kind <> 'reminder'"
    " WHERE o.broadcast_id IS NOT NULL AND o.to_phone = ?1"
    " AND o.next_attempt_ms >= ?2 AND o.next_attempt_ms < ?3"
    " AND o.state NOT IN ('failed', 'expired')";
static const char *const sql_meeting_add =
    "INSERT INTO meetings (title, place, time_ms, created_ms)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char *const sql_meeting_get =
    "SELECT id, title, place, time_ms FROM meetings WHERE id = ?1";
static const char *const sql_meeting_open =
    "SELECT m.id, m.title, m.place, m.time_ms, b.id FROM outbox o"
    " JOIN broadcasts b ON b.id = o.broadcast_id"
    " JOIN meetings m ON m.id = b.meeting_id"
    " WHERE o.broadcast_id IS NOT NULL AND o.to_phone = ?1"
    " AND b.kind <> 'reminder' AND b.state <> 'cancelled'"
    " AND o.state IN ('sent', 'delivered') AND m.time_ms > ?2"
    " ORDER BY o.updated_ms DESC, o.id DESC LIMIT 1";
static const char *const sql_rsvp_set =
    "INSERT INTO rsvps (meeting_id, phone, answer, broadcast_id, time_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(meeting_id, phone) DO UPDATE"
    " SET answer = excluded.answer, broadcast_id = excluded.broadcast_id,"
    " time_ms = excluded.time_ms";
static const char *const sql_rsvp_get =
    "SELECT answer FROM rsvps WHERE meeting_id = ?1 AND phone = ?2";
static const char *const sql_notice_add =
    "INSERT INTO notices (phone, code, district, text, created_ms,"
    " expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(phone, code) DO UPDATE SET district = excluded.district,"
    " text = excluded.text, created_ms = excluded.created_ms,"
    " expires_ms = excluded.expires_ms, broadcast_id = NULL, tries = 0"
    " WHERE notices.expires_ms <= excluded.created_ms"
    " OR notices.broadcast_id IS NOT NULL";
/* What notice_row() reads; broadcast_id is NULL (0) until confirmed. */
#define NOTICE_COLUMNS \
    "phone, code, district, text, created_ms, expires_ms, broadcast_id"
static const char *const sql_notice_find =
    "SELECT " NOTICE_COLUMNS " FROM notices"
    " WHERE phone = ?1 AND code = ?2 AND expires_ms > ?3"
    " AND broadcast_id IS NULL";
/* Through the primary key (phone, code): a coordinator has few rows. */
static const char *const sql_notice_try =
    "UPDATE notices SET tries = tries + 1 WHERE phone = ?1"
    " AND expires_ms > ?2 AND broadcast_id IS NULL";
/* One notice out of tries: all of hers go, the guessing is at her phone. */
static const char *const sql_notice_spent =
    "UPDATE notices SET expires_ms = ?2 WHERE phone = ?1"
    " AND expires_ms > ?2 AND broadcast_id IS NULL AND EXISTS (SELECT 1"
    " FROM notices WHERE phone = ?1 AND expires_ms > ?2"
    " AND broadcast_id IS NULL AND tries >= ?3)";
/* Her notices are few, and the primary key starts with her phone. */
static const char *const sql_notice_latest =
    "SELECT " NOTICE_COLUMNS " FROM notices WHERE phone = ?1"
    " AND broadcast_id IS NOT NULL ORDER BY created_ms DESC,"
    " broadcast_id DESC LIMIT 1";
static const char *const sql_notice_done =
    "UPDATE notices SET broadcast_id = ?3 WHERE phone = ?1 AND code = ?2";

static const char *const sql_sp_begin = "SAVEPOINT broadcast";
static const char *const sql_sp_release = "RELEASE broadcast";
static const char *const sql_sp_undo = "ROLLBACK TO broadcast";

int
store_in_transaction(struct store *st)
{
	return store_db_in_transaction(&st->db);
}

int
store_savepoint_begin(struct store *st)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_sp_begin, "savepoint");

	return s == NULL ? -1 : store_sq_step_done(st, s, "savepoint");
}

int
store_savepoint_end(struct store *st, int keep)
{
	struct store_db_stmt *u = store_sq_prepared(st, &sql_sp_undo, "savepoint_undo");
	struct store_db_stmt *r = store_sq_prepared(st, &sql_sp_release, "savepoint");

	if (u == NULL || r == NULL)
		return -1;
	if (!keep && store_sq_step_done(st, u, "savepoint_undo") == -1)
		return -1;
	return store_sq_step_done(st, r, "savepoint");
}

void
store_broadcast_clear(struct store_broadcast *b)
{
	if (b == NULL)
		return;
	free(b->kind);
	free(b->audience);
	free(b->template_key);
	free(b->category);
	free(b->vars);
	free(b->provider);
	free(b->created_by);
	free(b->state);
	memset(b, 0, sizeof(*b));
}

static void
broadcast_row(struct store_db_stmt *s, struct store_broadcast *b)
{
	memset(b, 0, sizeof(*b));
	b->id = store_db_column_int64(s, 0);
	b->kind = store_sq_column_dup(s, 1);
	b->parent_id = store_db_column_int64(s, 2);
	b->audience = store_sq_column_dup(s, 3);
	b->template_key = store_sq_column_dup(s, 4);
	b->category = store_sq_column_dup(s, 5);
	b->vars = store_sq_column_dup(s, 6);
	b->provider = store_sq_column_dup(s, 7);
	b->created_by = store_sq_column_dup(s, 8);
	b->state = store_sq_column_dup(s, 9);
	b->created_ms = store_db_column_int64(s, 10);
	b->send_at_ms = store_db_column_int64(s, 11);
	b->cancelled_ms = store_db_column_int64(s, 12);
	b->recipients = store_db_column_int64(s, 13);
	b->segments = store_db_column_int64(s, 14);
	b->skipped_opted_out = store_db_column_int64(s, 15);
	b->meeting_id = store_db_column_int64(s, 16);
	b->reminder = (int)store_db_column_int64(s, 17);
}

/*
 * PostgreSQL: a broadcast being created is held by a session advisory
 * lock of the connection creating it, from its row to its finish or
 * cancel.  Another daemon's sweep (store_broadcasts_abandon_creating)
 * then tells a creation in progress (locked) from one whose daemon died
 * (the server dropped its session and the lock with it).  The key's
 * high half keeps these apart from the other advisory locks.
 */
#define CREATION_LOCK(id)	((int64_t)0x53504243 << 32 | \
	    ((id) & 0xffffffff))
static const char *const sql_creation_lock =
    "SELECT pg_advisory_lock(?1)";
/* Held by any session, this one too (a lock taken again by its own
 * session would be granted, and a daemon's sweep would cancel its own
 * creation). */
static const char *const sql_creation_held =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
    " AND classid::bigint = ?1 AND objid::bigint = ?2 AND objsubid = 1";
static const char *const sql_creation_unlock =
    "SELECT pg_advisory_unlock(?1)";

/* Run one of the lock statements for broadcast id: its boolean (1/0),
 * or -1.  On SQLite 1: one daemon, nothing to tell apart. */
static int
creation_lock(struct store *st, const char *const *sql, int64_t id)
{
	struct store_db_stmt *s;
	int rc;

	if (!STORE_IS_PG(st))
		return 1;
	if ((s = store_sq_prepared(st, sql, "broadcast_creation_lock")) ==
	    NULL)
		return -1;
	store_db_bind_int64(s, 1, CREATION_LOCK(id));
	if ((rc = store_sq_step_row(st, s, "broadcast_creation_lock")) != 1)
		return rc == 0 ? 1 : -1;
	rc = store_db_column_is_null(s, 0) || store_db_column_int64(s, 0);
	store_sq_done(s);
	return rc;
}

/* Is broadcast id being created by a live session?  1, 0 or -1. */
static int
creation_held(struct store *st, int64_t id)
{
	struct store_db_stmt *s;
	int rc;

	if (!STORE_IS_PG(st))
		return 0;
	if ((s = store_sq_prepared(st, &sql_creation_held,
	    "broadcast_creation_held")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, CREATION_LOCK(id) >> 32);
	store_db_bind_int64(s, 2, CREATION_LOCK(id) & 0xffffffff);
	if ((rc = store_sq_step_row(st, s, "broadcast_creation_held")) != 1)
		return rc == 0 ? 0 : -1;
	rc = store_db_column_int64(s, 0) > 0;
	store_sq_done(s);
	return rc;
}

int
store_broadcast_add(struct store *st, struct store_broadcast *b)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_add, "broadcast_add");
	const char *v[] = { b->audience, b->template_key, b->category,
	    b->vars, b->provider, b->created_by, b->state };

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, b->kind != NULL ? b->kind : "broadcast");
	store_sq_bind_int64(s, 2, b->parent_id, 0);
	store_sq_bind_texts(s, 3, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 10, b->created_ms);
	store_db_bind_int64(s, 11, b->send_at_ms);
	store_sq_bind_int64(s, 12, b->meeting_id, 0);
	store_db_bind_int64(s, 13, b->reminder);
	if (store_sq_step_done(st, s, "broadcast_add") == -1)
		return -1;
	b->id = store_db_last_id(&st->db);
	if ((b->state == NULL || strcmp(b->state, "creating") == 0) &&
	    creation_lock(st, &sql_creation_lock, b->id) == -1)
		return -1;
	if (STORE_IS_PG(st))
		st->creation_gen = store_db_pg_generation(st->db.pg);
	return 0;
}

int
store_broadcast_finish(struct store *st, int64_t id, const char *state,
    int64_t recipients, int64_t segments, int64_t skipped)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_finish, "broadcast_finish");

	if (s == NULL)
		return -1;
	/*
	 * The lock is a session's, and went with a connection that broke.
	 * Any error on the way fails a creation, so this is a backstop: a
	 * creation that went on over a new connection may have been taken
	 * for a dead one's and cancelled by another daemon's sweep; it is
	 * failed (and cancelled by its caller), to be made again.
	 */
	if (STORE_IS_PG(st) && st->creation_gen != 0 &&
	    store_db_pg_generation(st->db.pg) != st->creation_gen)
		return store_sq_fail_msg(st, "broadcast_finish", "the"
		    " connection to the database was lost while the broadcast"
		    " was being created");
	store_db_bind_int64(s, 1, id);
	store_sq_bind_text(s, 2, state);
	store_db_bind_int64(s, 3, recipients);
	store_db_bind_int64(s, 4, segments);
	store_db_bind_int64(s, 5, skipped);
	int64_t changed;

	if (store_sq_step_done(st, s, "broadcast_finish") == -1)
		return -1;
	changed = store_db_changes(&st->db);
	/* Not ours any more whichever way it went (a cancel came first). */
	creation_lock(st, &sql_creation_unlock, id);
	return changed > 0;
}

int
store_broadcasts_abandon_creating(struct store *st, int64_t now_ms,
    int64_t *n, int64_t *stopped)
{
	int64_t *ids, k;
	size_t len, i;
	int rc;

	*n = 0;
	*stopped = 0;
	/* Ids first: the cancel writes to the table being read. */
	if (store_sq_int64s(st, store_sq_prepared(st, &sql_creating,
	    "broadcast_abandon"), "broadcast_abandon", &ids, &len) == -1)
		return -1;
	for (i = 0; i < len; i++) {
		/* Locked: a live daemon is creating it (PostgreSQL). */
		if ((rc = creation_held(st, ids[i])) == 1)
			continue;
		if (rc == -1 ||
		    store_broadcast_cancel(st, ids[i], now_ms, &k) == -1) {
			free(ids);
			return -1;
		}
		(*n)++;
		*stopped += k;
	}
	free(ids);
	return 0;
}

/* The statement of sql with ?1 = id, stepped: 1 its row is ready in *s
 * (the caller reads it and calls store_sq_done), 0 no row, -1 error. */
static int
row_by_id(struct store *st, const char *const *sql, int64_t id,
    const char *op, struct store_db_stmt **s)
{
	if ((*s = store_sq_prepared(st, sql, op)) == NULL)
		return -1;
	store_db_bind_int64(*s, 1, id);
	return store_sq_step_row(st, *s, op);
}

int
store_broadcast_get(struct store *st, int64_t id, struct store_broadcast *b)
{
	struct store_db_stmt *s;
	int rc;

	if ((rc = row_by_id(st, &sql_get, id, "broadcast_get", &s)) == 1) {
		broadcast_row(s, b);
		store_sq_done(s);
	}
	return rc;
}

/* A single-integer lookup: 1 and *v, 0 no row, -1 error. */
static int
int_lookup(struct store *st, const char *const *sql, int64_t a,
    int64_t *v, const char *op)
{
	struct store_db_stmt *s = store_sq_prepared(st, sql, op);

	if (s == NULL)
		return -1;
	store_db_bind_int64(s, 1, a);
	return store_sq_int64(st, s, op, v);
}

int
store_broadcast_reminder_of(struct store *st, int64_t id, int64_t *rid)
{
	return int_lookup(st, &sql_reminder_of, id, rid,
	    "broadcast_reminder_of");
}

int
store_broadcasts_list(struct store *st, size_t limit,
    int (*cb)(void *, const struct store_broadcast *), void *arg)
{
	struct store_db_stmt *s = store_sq_prepared(st, STORE_SQL(st, sql_list), "broadcasts_list");
	struct store_broadcast b;
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	store_db_bind_int64(s, 1, limit > 0 && limit < INT64_MAX ?
	    (int64_t)limit : -1);
	/* Few rows: copy each so cb may use the store. */
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		broadcast_row(s, &b);
		ret = cb(arg, &b);
		store_broadcast_clear(&b);
		if (ret != 0) {
			ret = -1;
			break;
		}
	}
	if (ret == 0 && rc != STORE_DB_DONE)
		ret = store_sq_fail(st, "broadcasts_list");
	store_sq_done(s);
	return ret;
}

int
store_broadcast_cancel(struct store *st, int64_t id, int64_t now_ms,
    int64_t *stopped)
{
	struct store_db_stmt *ev, *up, *bc;
	struct store_broadcast b;
	int own = 0, rc;

	*stopped = 0;
	if ((rc = store_broadcast_get(st, id, &b)) != 1)
		return rc;
	store_broadcast_clear(&b);
	if ((ev = store_sq_prepared(st, &sql_cancel_events, "broadcast_cancel")) ==
	    NULL || (up = store_sq_prepared(st, &sql_cancel_msgs,
	    "broadcast_cancel")) == NULL || (bc = store_sq_prepared(st, &sql_cancel,
	    "broadcast_cancel")) == NULL)
		return -1;
	if (!store_in_transaction(st)) {
		if (store_begin(st) == -1)
			return -1;
		own = 1;
	}
	store_db_bind_int64(ev, 1, id);
	store_db_bind_int64(ev, 2, now_ms);
	store_db_bind_int64(up, 1, id);
	store_db_bind_int64(up, 2, now_ms);
	store_db_bind_int64(bc, 1, id);
	store_db_bind_int64(bc, 2, now_ms);
	if (store_sq_step_done(st, ev, "broadcast_cancel") == -1 ||
	    store_sq_step_done(st, up, "broadcast_cancel") == -1)
		goto fail;
	*stopped = store_db_changes(&st->db);
	if (store_sq_step_done(st, bc, "broadcast_cancel") == -1)
		goto fail;
	if (own && store_commit(st) == -1)
		goto fail;
	creation_lock(st, &sql_creation_unlock, id);
	return 1;
fail:
	if (own)
		store_rollback(st);
	return -1;
}

int
store_broadcast_counts(struct store *st, int64_t id,
    struct store_broadcast_counts *c)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_counts, "broadcast_counts");
	struct store_broadcast b;
	int rc;

	memset(c, 0, sizeof(*c));
	if (s == NULL)
		return -1;
	store_db_bind_int64(s, 1, id);
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		const char *state = store_sq_column_str(s, 0);
		const char *reason = store_sq_column_str(s, 1);
		int64_t n = store_db_column_int64(s, 2);

		if (state == NULL)
			state = "";
		if (reason == NULL)
			reason = "";
		if (strcmp(state, "queued") == 0 ||
		    strcmp(state, "sending") == 0 ||
		    strcmp(state, "held") == 0)
			c->queued += n;
		else if (strcmp(state, "sent") == 0)
			c->sent += n;
		else if (strcmp(state, "delivered") == 0)
			c->delivered += n;
		else if (strcmp(reason, "opted out") == 0)
			c->opted_out += n;
		else if (strcmp(reason, "cancelled") == 0)
			c->cancelled += n;
		else
			c->failed += n;
	}
	store_sq_done(s);
	if (rc != STORE_DB_DONE)
		return store_sq_fail(st, "broadcast_counts");
	if ((rc = store_broadcast_get(st, id, &b)) == -1)
		return -1;
	if (rc == 1 && b.meeting_id != 0 && (s = store_sq_prepared(st,
	    STORE_SQL(st, sql_rsvp_counts), "broadcast_counts")) != NULL) {
		store_db_bind_int64(s, 1, b.meeting_id);
		if (store_sq_step_row(st, s, "broadcast_counts") == 1) {
			c->rsvp_yes = store_db_column_int64(s, 0);
			c->rsvp_no = store_db_column_int64(s, 1);
			store_sq_done(s);
		}
	}
	store_broadcast_clear(&b);
	return 0;
}

int
store_broadcast_planned(struct store *st, const char *phone,
    int64_t from_ms, int64_t to_ms, int64_t *n)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_planned, "broadcast_planned");

	*n = 0;
	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	store_db_bind_int64(s, 2, from_ms);
	store_db_bind_int64(s, 3, to_ms);
	return store_sq_int64(st, s, "broadcast_planned", n) == -1 ? -1 : 0;
}

/* ---- meetings and RSVPs ---- */

void
store_meeting_clear(struct store_meeting *m)
{
	if (m == NULL)
		return;
	free(m->title);
	free(m->place);
	memset(m, 0, sizeof(*m));
}

static void
meeting_row(struct store_db_stmt *s, struct store_meeting *m)
{
	memset(m, 0, sizeof(*m));
	m->id = store_db_column_int64(s, 0);
	m->title = store_sq_column_dup(s, 1);
	m->place = store_sq_column_dup(s, 2);
	m->time_ms = store_db_column_int64(s, 3);
}

int
store_meeting_add(struct store *st, struct store_meeting *m, int64_t now_ms)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_meeting_add, "meeting_add");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, m->title);
	store_sq_bind_text(s, 2, m->place);
	store_db_bind_int64(s, 3, m->time_ms);
	store_db_bind_int64(s, 4, now_ms);
	if (store_sq_step_done(st, s, "meeting_add") == -1)
		return -1;
	m->id = store_db_last_id(&st->db);
	return 0;
}

int
store_meeting_get(struct store *st, int64_t id, struct store_meeting *m)
{
	struct store_db_stmt *s;
	int rc;

	if ((rc = row_by_id(st, &sql_meeting_get, id, "meeting_get",
	    &s)) == 1) {
		meeting_row(s, m);
		store_sq_done(s);
	}
	return rc;
}

int
store_meeting_open_for(struct store *st, const char *phone, int64_t now_ms,
    struct store_meeting *m, int64_t *broadcast_id)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_meeting_open, "meeting_open");
	int rc;

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	store_db_bind_int64(s, 2, now_ms);
	if ((rc = store_sq_step_row(st, s, "meeting_open")) == 1) {
		meeting_row(s, m);
		*broadcast_id = store_db_column_int64(s, 4);
		store_sq_done(s);
	}
	return rc;
}

int
store_rsvp_set(struct store *st, int64_t meeting_id, const char *phone,
    const char *answer, int64_t broadcast_id, int64_t now_ms)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_rsvp_set, "rsvp_set");

	if (s == NULL)
		return -1;
	store_db_bind_int64(s, 1, meeting_id);
	store_sq_bind_text(s, 2, phone);
	store_sq_bind_text(s, 3, answer);
	store_sq_bind_int64(s, 4, broadcast_id, 0);
	store_db_bind_int64(s, 5, now_ms);
	return store_sq_step_done(st, s, "rsvp_set");
}

int
store_rsvp_get(struct store *st, int64_t meeting_id, const char *phone,
    const char **answer)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_rsvp_get, "rsvp_get");
	int rc;

	if (s == NULL)
		return -1;
	store_db_bind_int64(s, 1, meeting_id);
	store_sq_bind_text(s, 2, phone);
	if ((rc = store_sq_step_row(st, s, "rsvp_get")) == 1) {
		*answer = strcmp(store_sq_column_str(s, 0), "yes") == 0 ? "yes" :
		    "no";
		store_sq_done(s);
	}
	return rc;
}

/* ---- notices from a coordinator's phone ---- */

void
store_notice_clear(struct store_notice *n)
{
	if (n == NULL)
		return;
	free(n->phone);
	free(n->code);
	free(n->district);
	free(n->text);
	memset(n, 0, sizeof(*n));
}

int
store_notice_add(struct store *st, const struct store_notice *n)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_notice_add, "notice_add");
	const char *v[] = { n->phone, n->code, n->district, n->text };

	if (s == NULL)
		return -1;
	store_sq_bind_texts(s, 1, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 5, n->created_ms);
	store_db_bind_int64(s, 6, n->expires_ms);
	if (store_sq_step_done(st, s, "notice_add") == -1)
		return -1;
	return store_db_changes(&st->db) > 0;
}

/* A row selected as NOTICE_COLUMNS. */
static void
notice_row(struct store_db_stmt *s, struct store_notice *n)
{
	memset(n, 0, sizeof(*n));
	n->phone = store_sq_column_dup(s, 0);
	n->code = store_sq_column_dup(s, 1);
	n->district = store_sq_column_dup(s, 2);
	n->text = store_sq_column_dup(s, 3);
	n->created_ms = store_db_column_int64(s, 4);
	n->expires_ms = store_db_column_int64(s, 5);
	n->broadcast_id = store_db_column_int64(s, 6);
}

int
store_notice_find(struct store *st, const char *phone, const char *code,
    int64_t now_ms, struct store_notice *n)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_notice_find, "notice_find");
	int rc;

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	store_sq_bind_text(s, 2, code);
	store_db_bind_int64(s, 3, now_ms);
	if ((rc = store_sq_step_row(st, s, "notice_find")) == 1) {
		notice_row(s, n);
		store_sq_done(s);
	}
	return rc;
}

int
store_notice_latest(struct store *st, const char *phone,
    struct store_notice *n)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_notice_latest,
	    "notice_latest");
	int rc;

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	if ((rc = store_sq_step_row(st, s, "notice_latest")) == 1) {
		notice_row(s, n);
		store_sq_done(s);
	}
	return rc;
}

int
store_notice_wrong_try(struct store *st, const char *phone, int64_t now_ms,
    int max_tries)
{
	struct store_db_stmt *t = store_sq_prepared(st, &sql_notice_try, "notice_try");
	struct store_db_stmt *x = store_sq_prepared(st, &sql_notice_spent, "notice_try");

	if (t == NULL || x == NULL)
		return -1;
	store_sq_bind_text(t, 1, phone);
	store_db_bind_int64(t, 2, now_ms);
	if (store_sq_step_done(st, t, "notice_try") == -1)
		return -1;
	if (store_db_changes(&st->db) == 0)
		return 0;
	store_sq_bind_text(x, 1, phone);
	store_db_bind_int64(x, 2, now_ms);
	store_db_bind_int64(x, 3, max_tries);
	if (store_sq_step_done(st, x, "notice_try") == -1)
		return -1;
	return store_db_changes(&st->db) > 0 ? 2 : 1;
}

int
store_notice_confirmed(struct store *st, const char *phone,
    const char *code, int64_t broadcast_id)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_notice_done, "notice_done");

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	store_sq_bind_text(s, 2, code);
	store_db_bind_int64(s, 3, broadcast_id);
	return store_sq_step_done(st, s, "notice_done");
}
