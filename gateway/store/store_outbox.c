/*
 * store_outbox: the outbox part of the store (see store.h): the durable
 * queue of messages to send, every change of state, every attempt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

/* ---- outbox ---- */

/*
 * The ranks of records_state_rank() in provider.h, kept here by name: the
 * store knows no providers.  -1 for a name that is not a state.
 */
static int
state_rank(const char *state)
{
	static const struct {
		const char	*name;
		int		 rank;
	} ranks[] = {
		{ "queued", 0 }, { "sending", 1 }, { "sent", 2 },
		{ "delivered", 3 }, { "undelivered", 3 }, { "failed", 3 },
		{ "expired", 3 },
	};
	size_t i;

	for (i = 0; state != NULL && i < SP_ARRAY_LEN(ranks); i++) {
		if (strcmp(state, ranks[i].name) == 0)
			return ranks[i].rank;
	}
	return -1;
}

/* Fill m from a row in OUTBOX_COLUMNS order; m owns copies. */
static void
outbox_row(struct store_db_stmt *s, struct outbox_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->id = store_db_column_int64(s, 0);
	m->provider = store_sq_column_dup(s, 1);
	m->to = store_sq_column_dup(s, 2);
	m->from = store_sq_column_dup(s, 3);
	m->body = store_sq_column_dup(s, 4);
	m->encoding = store_sq_column_dup(s, 5);
	m->segments = (int)store_db_column_int64(s, 6);
	m->state = store_sq_column_dup(s, 7);
	m->attempts = (int)store_db_column_int64(s, 8);
	m->created_ms = store_db_column_int64(s, 9);
	m->next_attempt_ms = store_db_column_int64(s, 10);
	m->updated_ms = store_db_column_int64(s, 11);
	m->provider_id = store_sq_column_dup(s, 12);
	m->error_code = store_sq_column_dup(s, 13);
	m->error = store_sq_column_dup(s, 14);
	m->reason = store_sq_column_dup(s, 15);
	m->reply_to = store_db_column_int64(s, 16);
	m->broadcast_id = store_db_column_int64(s, 17);
	m->dlt_template_id = store_sq_column_dup(s, 18);
	m->sms_type = store_sq_column_dup(s, 19);
	m->is_call = (int)store_db_column_int64(s, 20);
	m->opted_out_ms = store_db_column_int64(s, 21);
}

/* Store one state change of message id (from is NULL when it is new). */
static int
outbox_event(struct store *st, int64_t id, int64_t now_ms, const char *from,
    const char *to, const char *detail, const char *op)
{
	struct store_db_stmt *s = st->stmt[S_OB_EVENT];
	const char *v[] = { from, to, detail };

	store_db_bind_int64(s, 1, id);
	store_db_bind_int64(s, 2, now_ms);
	store_sq_bind_texts(s, 3, v, SP_ARRAY_LEN(v));
	/* History: nothing is read back, so a pipeline need not wait. */
	if (store_sq_step_deferred(st, s, op) == -1)
		return -1;
	log_debug("store", "op=%s id=%lld from=%s to=%s", op, (long long)id,
	    from != NULL ? from : "-", to);
	return 0;
}

/*
 * m's fields as OUTBOX_INSERT takes them, the times
 * defaulted first (created now, due when created).
 */
static void
bind_msg(struct store_db_stmt *s, struct outbox_msg *m)
{
	const char *v[] = { m->provider, m->to, m->from, m->body, m->encoding };

	if (m->created_ms == 0)
		m->created_ms = util_wall_ms();
	if (m->next_attempt_ms == 0)
		m->next_attempt_ms = m->created_ms;
	store_sq_bind_texts(s, 1, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 6, m->segments);
	store_db_bind_int64(s, 7, m->created_ms);
	store_db_bind_int64(s, 8, m->next_attempt_ms);
	store_sq_bind_int64(s, 9, m->reply_to, 0);
	store_sq_bind_int64(s, 10, m->broadcast_id, 0);
	store_sq_bind_text(s, 11, m->dlt_template_id);
	store_sq_bind_text(s, 12, m->sms_type);
}

/*
 * In a caller's transaction (a webhook's batch, a broadcast's slice) no
 * savepoint of its own, for the reason given at store_outbox_finish: a
 * savepoint copies aside each page it touches, and this runs for every
 * reply and every recipient.  Outside one the savepoint is the
 * transaction that keeps the row and its event together.
 */
int
store_outbox_add(struct store *st, struct outbox_msg *m)
{
	struct store_db_stmt *s = st->stmt[S_OB_ADD];
	int own = !store_db_in_transaction(&st->db), ok;

	if (own && store_sq_run(st, S_SAVEPOINT, "outbox_add") == -1)
		return -1;
	bind_msg(s, m);
	/* No RETURNING: it costs a temporary b-tree per row (see store.c). */
	if ((ok = store_sq_step_done(st, s, "outbox_add") == 0)) {
		m->id = store_db_last_id(&st->db);
		ok = outbox_event(st, m->id, m->created_ms, NULL, "queued",
		    NULL, "outbox_add") == 0;
	}
	if (own ? store_sq_savepoint_end(st, ok, "outbox_add") == 0 : ok)
		return 0;
	m->id = 0;
	return -1;
}

/*
 * PostgreSQL: the message and its "queued" event in one statement, the
 * event taking the id the insert made, so nothing waits for it.
 */
static const char *const sql_outbox_queue =
    "WITH o AS (" OUTBOX_INSERT " RETURNING id, created_ms)"
    " INSERT INTO outbox_events (outbox_id, time_ms, from_state, to_state,"
    " detail) SELECT id, created_ms, NULL, 'queued', NULL FROM o";

int
store_outbox_queue(struct store *st, struct outbox_msg *m)
{
	struct store_db_stmt *s;

	if (!STORE_IS_PG(st) || !store_db_in_transaction(&st->db))
		return store_outbox_add(st, m);
	if ((s = store_sq_prepared(st, &sql_outbox_queue,
	    "outbox_queue")) == NULL)
		return -1;
	m->id = 0;
	bind_msg(s, m);
	return store_sq_step_deferred(st, s, "outbox_queue");
}

/* Claim order: due time, then queue order. */
static int
due_cmp(const void *a, const void *b)
{
	const struct outbox_msg *x = a, *y = b;

	if (x->next_attempt_ms != y->next_attempt_ms)
		return x->next_attempt_ms < y->next_attempt_ms ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The earliest send time of the broadcasts being created, INT64_MAX when
 * none is.  Their messages are written "queued" while the broadcast row
 * says "creating", and every one of them is due at or after its send time
 * (broadcast_create), so whatever is due before this is sendable as ever,
 * found through outbox_due alone.  0 or -1.
 */
static int
creating_from(struct store *st, int64_t *from)
{
	struct store_db_stmt *s = st->stmt[S_OB_CREATING_FROM];
	int rc;

	*from = INT64_MAX;
	if ((rc = store_sq_step_row(st, s, "outbox_creating")) == 1) {
		if (!store_db_column_is_null(s, 0))
			*from = store_db_column_int64(s, 0);
		store_sq_done(s);
	}
	return rc == -1 ? -1 : 0;
}

/*
 * The windows of due times the claim and next_due look in, given now and
 * the creating_from time c: before c, every message; after c, each checked
 * against its broadcast.  The messages due at c itself (a broadcast sent
 * "now": its whole audience) are left out of both, so no claim walks the
 * audience of a broadcast being written; a message of another due at that
 * very millisecond waits for the creation to end.
 */
struct window {
	int64_t	lo, hi;
	int	check;
};

static size_t
windows_of(int64_t c, int64_t now, struct window w[2])
{
	size_t n = 0;

	w[n].lo = INT64_MIN;
	w[n].hi = c <= now ? c - 1 : now;
	w[n++].check = 0;
	if (c <= now) {
		w[n].lo = c + 1;
		w[n].hi = now;
		w[n++].check = 1;
	}
	return n;
}

/* Claim up to max messages of one window into *v. */
static int
claim_window(struct store *st, const char *provider, int64_t now_ms,
    const struct window *w, size_t max, struct outbox_msg **v, size_t *len,
    size_t *cap)
{
	struct store_db_stmt *s = st->stmt[S_OB_CLAIM];
	int rc;

	store_sq_bind_text(s, 1, provider);
	store_db_bind_int64(s, 2, w->hi);
	store_db_bind_int64(s, 3, now_ms);
	store_db_bind_int64(s, 4, max > (size_t)INT64_MAX ? INT64_MAX :
	    (int64_t)max);
	store_db_bind_int64(s, 5, w->lo);
	store_db_bind_int64(s, 6, w->check);
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		if (*len == *cap) {
			*cap = *cap == 0 ? 16 : *cap * 2;
			*v = xreallocarray(*v, *cap, sizeof(**v));
		}
		outbox_row(s, &(*v)[(*len)++]);
	}
	if (rc != STORE_DB_DONE)
		store_sq_fail(st, "outbox_claim");
	store_sq_done(s);
	return rc == STORE_DB_DONE ? 0 : -1;
}

int
store_outbox_claim(struct store *st, const char *provider, int64_t now_ms,
    size_t max, struct outbox_msg **msgs, size_t *n)
{
	struct outbox_msg *v = NULL;
	struct window w[2];
	size_t len = 0, cap = 0, i, nw;
	int64_t c;
	char detail[32];

	*msgs = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	if (store_sq_run(st, S_SAVEPOINT, "outbox_claim") == -1)
		return -1;
	if (creating_from(st, &c) == -1)
		goto undo;
	nw = windows_of(c, now_ms, w);
	for (i = 0; i < nw && len < max; i++)
		if (claim_window(st, provider, now_ms, &w[i], max - len, &v,
		    &len, &cap) == -1)
			goto undo;
	if (len > 1)
		qsort(v, len, sizeof(*v), due_cmp);
	for (i = 0; i < len; i++) {
		snprintf(detail, sizeof(detail), "attempt %d", v[i].attempts);
		if (outbox_event(st, v[i].id, now_ms, "queued", "sending",
		    detail, "outbox_claim") == -1)
			goto undo;
	}
	if (store_sq_run(st, S_RELEASE, "outbox_claim") == -1)
		goto undo;
	*msgs = v;
	*n = len;
	return 0;
undo:
	store_sq_savepoint_undo(st);
	records_outbox_msgs_free(v, len);
	return -1;
}

int
store_outbox_attempt_add(struct store *st,
    const struct store_outbox_attempt *a)
{
	struct store_db_stmt *s = st->stmt[S_OB_ATTEMPT];
	const char *v[] = { a->error_code, a->error };

	store_db_bind_int64(s, 1, a->outbox_id);
	store_db_bind_int64(s, 2, a->time_ms);
	store_db_bind_int64(s, 3, a->attempt);
	store_sq_bind_int64(s, 4, a->http_status, 0);
	store_sq_bind_texts(s, 5, v, SP_ARRAY_LEN(v));
	store_sq_bind_int64(s, 7, a->latency_ms, -1);
	return store_sq_step_deferred(st, s, "outbox_attempt_add");
}

/*
 * Inside a transaction (the sender's batches), two statements and no
 * savepoint of their own: this runs for every sent message, and a
 * savepoint copies aside each page it touches (3% of the outbound bench).
 * The update is one statement, all or nothing; the event after it cannot
 * meet a constraint once the update went through (its message exists,
 * every field is set).  What is left (disk full, an I/O error, no memory)
 * as a rule fails the commit of the transaction around both; at worst a
 * transition would lack its event row (the log line still has it), never
 * a message its state.  Outside a transaction the savepoint is the
 * transaction that keeps the two together.
 */
int
store_outbox_finish(struct store *st, int64_t id, const char *state,
    int64_t now_ms, int64_t next_attempt_ms, const char *provider_id,
    const char *error_code, const char *error, const char *reason)
{
	enum stmt_id which = strcmp(state, "queued") == 0 ? S_OB_RETRY :
	    S_OB_FINISH;
	struct store_db_stmt *s = st->stmt[which];
	const char *v[] = { provider_id, error_code, error, reason };
	const char *op = "outbox_finish";
	int own = !store_db_in_transaction(&st->db);

	if (state_rank(state) < 0 || strcmp(state, "sending") == 0)
		return store_sq_fail_msg(st, op, "not a state an attempt ends in");
	if (own && store_sq_run(st, S_SAVEPOINT, op) == -1)
		return -1;
	store_db_bind_int64(s, 1, id);
	store_sq_bind_text(s, 2, state);
	store_db_bind_int64(s, 3, now_ms);
	store_db_bind_int64(s, 4, next_attempt_ms);
	store_sq_bind_texts(s, 5, v, SP_ARRAY_LEN(v));
	if (store_sq_run(st, which, op) == -1)
		goto undo;
	if (store_db_changes(&st->db) == 0) {
		/* Requeued or moved on by another process: theirs stands. */
		log_warn("store", "op=%s id=%lld state=%s note=\"not sending; "
		    "unchanged\"", op, (long long)id, state);
	} else if (outbox_event(st, id, now_ms, "sending", state,
	    error != NULL ? error : provider_id, op) == -1)
		goto undo;
	if (own && store_sq_run(st, S_RELEASE, op) == -1)
		goto undo;
	return 0;
undo:
	if (own)
		store_sq_savepoint_undo(st);
	return -1;
}

int
store_outbox_report(struct store *st, const char *provider,
    const char *provider_id, const char *state, int64_t now_ms,
    const char *error_code, const char *reason)
{
	struct store_db_stmt *s = st->stmt[S_OB_FIND_PID];
	const char *op = "outbox_report";
	const char *v[] = { state };
	const char *w[] = { error_code, reason };
	char cur[16];
	int64_t id;
	int rank, rc;

	if ((rank = state_rank(state)) < 0)
		return store_sq_fail_msg(st, op, "not a message state");
	store_sq_bind_text(s, 1, provider);
	store_sq_bind_text(s, 2, provider_id);
	if ((rc = store_sq_step_row(st, s, op)) != 1)
		return rc;
	id = store_db_column_int64(s, 0);
	util_strlcpy(cur, store_sq_column_str(s, 1) != NULL ? store_sq_column_str(s, 1) : "",
	    sizeof(cur));
	store_sq_done(s);
	/* Equal ranks too: a final state is never replaced by another. */
	if (rank <= state_rank(cur))
		return 2;
	if (store_sq_run(st, S_SAVEPOINT, op) == -1)
		return -1;
	s = st->stmt[S_OB_REPORT];
	store_db_bind_int64(s, 1, id);
	store_sq_bind_texts(s, 2, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 3, now_ms);
	store_sq_bind_texts(s, 4, w, SP_ARRAY_LEN(w));
	store_sq_bind_text(s, 6, cur);
	if (store_sq_run(st, S_OB_REPORT, op) == -1)
		goto undo;
	rc = store_db_changes(&st->db) == 1 ? 1 : 2;
	if (rc == 1 && outbox_event(st, id, now_ms, cur, state,
	    reason != NULL ? reason : error_code, op) == -1)
		goto undo;
	if (store_sq_run(st, S_RELEASE, op) == -1)
		goto undo;
	return rc;
undo:
	store_sq_savepoint_undo(st);
	return -1;
}

int
store_outbox_requeue_sending(struct store *st, int64_t now_ms, int64_t *n)
{
	/* SQLite has one daemon: whatever is "sending" at its start was
	 * left by its own previous run.  A shared store has others, whose
	 * claims are theirs until their lease runs out; then any daemon
	 * takes them back (store_outbox_requeue_expired, on a timer). */
	*n = 0;
	if (STORE_IS_PG(st))
		return 0;
	return store_outbox_requeue_expired(st, now_ms, -1, n);
}

int
store_outbox_requeue_expired(struct store *st, int64_t now_ms,
    int64_t lease_ms, int64_t *n)
{
	const char *op = "outbox_requeue_sending";
	int64_t cutoff = lease_ms < 0 ? INT64_MAX : now_ms - lease_ms;
	int ok;

	*n = 0;
	if (store_sq_run(st, S_SAVEPOINT, op) == -1)
		return -1;
	store_db_bind_int64(st->stmt[S_OB_REQUEUE_EVENTS], 1, now_ms);
	store_db_bind_int64(st->stmt[S_OB_REQUEUE_EVENTS], 2, cutoff);
	store_sq_bind_text(st->stmt[S_OB_REQUEUE_EVENTS], 3, lease_ms < 0 ?
	    "requeued at start-up" : "requeued: lease expired");
	store_db_bind_int64(st->stmt[S_OB_REQUEUE], 1, now_ms);
	store_db_bind_int64(st->stmt[S_OB_REQUEUE], 2, cutoff);
	ok = store_sq_run(st, S_OB_REQUEUE_EVENTS, op) == 0 &&
	    store_sq_run(st, S_OB_REQUEUE, op) == 0;
	*n = ok ? store_db_changes(&st->db) : 0;
	if (store_sq_savepoint_end(st, ok, op) == 0)
		return 0;
	*n = 0;
	return -1;
}

int
store_outbox_next_due(struct store *st, const char *provider, int64_t *when)
{
	struct store_db_stmt *s = st->stmt[S_OB_NEXT_DUE];
	struct window w[2];
	size_t i, nw;
	int64_t c;
	int rc = 0;

	if (creating_from(st, &c) == -1)
		return -1;
	/* The claim's windows, looking ahead to the end of time. */
	nw = c == INT64_MAX ? 1 : windows_of(c, c, w);
	if (c == INT64_MAX) {
		w[0].lo = INT64_MIN;
		w[0].check = 0;
	}
	w[nw - 1].hi = INT64_MAX;
	for (i = 0; i < nw && rc == 0; i++) {
		store_sq_bind_text(s, 1, provider);
		store_db_bind_int64(s, 2, w[i].lo);
		store_db_bind_int64(s, 3, w[i].hi);
		store_db_bind_int64(s, 4, w[i].check);
		if ((rc = store_sq_step_row(st, s, "outbox_next_due")) == 1) {
			*when = store_db_column_int64(s, 0);
			store_sq_done(s);
		}
	}
	return rc;
}

/* Stepped row by row like store_export; each row is copied for the call. */
int
store_outbox_list(struct store *st, const char *state, size_t limit,
    int (*cb)(void *, const struct outbox_msg *), void *arg)
{
	struct store_db_stmt *s = st->stmt[S_OB_LIST];
	struct outbox_msg m;
	int rc, stop, ret = 0;

	store_sq_bind_text(s, 1, state);
	store_db_bind_int64(s, 2, limit == 0 || limit > (size_t)INT64_MAX ?
	    -1 : (int64_t)limit);
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		outbox_row(s, &m);
		stop = cb(arg, &m);
		records_outbox_msg_clear(&m);
		if (stop != 0) {
			/* The caller's choice, not a store error: not logged. */
			util_strlcpy(st->err, "list stopped by the callback",
			    sizeof(st->err));
			ret = -1;
			break;
		}
	}
	if (ret == 0 && rc != STORE_DB_DONE)
		ret = store_sq_fail(st, "outbox_list");
	store_sq_done(s);
	return ret;
}

int
store_outbox_get(struct store *st, int64_t id, struct outbox_msg *m)
{
	struct store_db_stmt *s = st->stmt[S_OB_GET];
	int rc;

	memset(m, 0, sizeof(*m));
	store_db_bind_int64(s, 1, id);
	if ((rc = store_sq_step_row(st, s, "outbox_get")) == 1) {
		outbox_row(s, m);
		store_sq_done(s);
	}
	return rc;
}

int
store_outbox_counts(struct store *st,
    void (*cb)(void *, const char *, int64_t), void *arg)
{
	struct store_db_stmt *s = st->stmt[S_OB_COUNTS];
	int rc;

	while ((rc = store_db_step(s)) == STORE_DB_ROW)
		cb(arg, store_sq_column_str(s, 0), store_db_column_int64(s, 1));
	if (rc != STORE_DB_DONE)
		store_sq_fail(st, "outbox_counts");
	store_sq_done(s);
	return rc == STORE_DB_DONE ? 0 : -1;
}

