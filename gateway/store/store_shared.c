/*
 * store_shared: what daemons sharing one PostgreSQL database must agree
 * on beyond the outbox and the send rate (store_rate.c): one woman's
 * messages taken one at a time, her abuse counters, and the hourly
 * outbound budget.  See store.h for the contract.
 *
 * On SQLite one daemon owns the file and keeps all of this in memory;
 * the functions here still work there (the tests run them on both), but
 * the daemon does not call them.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

#define HOUR_MS	3600000LL

/* A transaction-long lock: released by the commit or the roll-back,
 * so that no path can forget it. */
static const char *const sql_sender_lock =
    "SELECT pg_advisory_xact_lock(?1)";
static const char *const sql_limits_get =
    "SELECT tat_ms, repeat_since_ms, last_reply_ms, muted_until_ms,"
    " muted_why, last_text, repeats, fast, logged, day, replies_today"
    " FROM sender_limits WHERE phone = ?1";
static const char *const sql_limits_put =
    "INSERT INTO sender_limits (phone, tat_ms, repeat_since_ms,"
    " last_reply_ms, muted_until_ms, muted_why, last_text, repeats, fast,"
    " logged, day, replies_today, updated_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    " ON CONFLICT (phone) DO UPDATE SET tat_ms = excluded.tat_ms,"
    " repeat_since_ms = excluded.repeat_since_ms,"
    " last_reply_ms = excluded.last_reply_ms,"
    " muted_until_ms = excluded.muted_until_ms,"
    " muted_why = excluded.muted_why, last_text = excluded.last_text,"
    " repeats = excluded.repeats, fast = excluded.fast,"
    " logged = excluded.logged, day = excluded.day,"
    " replies_today = excluded.replies_today,"
    " updated_ms = excluded.updated_ms";
/*
 * One statement takes what the hour has left, up to want, and says how
 * much that was (taken: the SET sees the row as it was) and what the
 * hour has used: the row lock it leaves is held to the end of the
 * caller's transaction, so the claim and the return of what it did not
 * use are seen together.  PostgreSQL's hour is its own clock's (?3 0):
 * daemons on several machines agree on it.
 */
static const char *const sql_budget_take[2] = {
	[STORE_DB_SQ] = "INSERT INTO send_budget AS b (hour, used, taken)"
	    " VALUES (?3 / 3600000, min(?1, ?2), min(?1, ?2))"
	    " ON CONFLICT (hour) DO UPDATE SET"
	    " used = b.used + min(?1, max(?2 - b.used, 0)),"
	    " taken = min(?1, max(?2 - b.used, 0))"
	    " RETURNING taken, used, hour, ?3",
	[STORE_DB_PG] = "WITH n AS (SELECT CASE WHEN ?3 > 0 THEN ?3 ELSE"
	    " (extract(epoch FROM clock_timestamp()) * 1000)::bigint END"
	    " AS ms)"
	    " INSERT INTO send_budget AS b (hour, used, taken)"
	    " SELECT ms / 3600000, LEAST(?1, ?2), LEAST(?1, ?2) FROM n"
	    " ON CONFLICT (hour) DO UPDATE SET"
	    " used = b.used + LEAST(?1, GREATEST(?2 - b.used, 0)),"
	    " taken = LEAST(?1, GREATEST(?2 - b.used, 0))"
	    " RETURNING taken, used, hour, (SELECT ms FROM n)",
};
static const char *const sql_budget_back[2] = {
	[STORE_DB_SQ] = "UPDATE send_budget SET used = max(used - ?2, 0)"
	    " WHERE hour = ?1",
	[STORE_DB_PG] = "UPDATE send_budget SET used = GREATEST(used - ?2, 0)"
	    " WHERE hour = ?1",
};

/* Maintenance, hourly: scans of two small tables, by design. */
static const char *const sql_limits_prune =
    "/* batch: hourly, senders quiet for two days */ DELETE FROM"
    " sender_limits WHERE updated_ms < ?1 AND muted_until_ms < ?2";
static const char *const sql_budget_prune =
    "/* batch: hourly, hours two days gone */ DELETE FROM send_budget"
    " WHERE hour < ?1";

int
store_shared(const struct store *st)
{
	return STORE_IS_PG(st);
}

/*
 * The lock key of a phone number: FNV-1a, mixed.  Every daemon computes
 * the same key, and locks in the order of the keys, whatever its
 * batch's order: two batches that share two senders cannot each hold
 * one and wait for the other.
 */
static int64_t
sender_key(const char *phone)
{
	uint64_t h = util_fnv1a(0, phone);

	h ^= h >> 31;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 29;
	return (int64_t)h;
}

static int
key_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
store_senders_lock(struct store *st, const char *const *phones, size_t n)
{
	struct store_db_stmt *s;
	int64_t *keys;
	size_t i;
	int rc = 0;

	if (!STORE_IS_PG(st) || n == 0)
		return 0;
	keys = xreallocarray(NULL, n, sizeof(*keys));
	for (i = 0; i < n; i++)
		keys[i] = sender_key(phones[i]);
	qsort(keys, n, sizeof(*keys), key_cmp);
	/* A key twice (two numbers of one hash) is harmless: a session
	 * that holds an advisory lock gets it again at once. */
	for (i = 0; i < n && rc == 0; i++) {
		if ((s = store_sq_prepared(st, &sql_sender_lock,
		    "sender_lock")) == NULL) {
			rc = -1;
			break;
		}
		store_db_bind_int64(s, 1, keys[i]);
		/* The lock's SELECT gives one row (void), not read: in a
		 * pipeline it is held by the time the next statement runs. */
		if (store_sq_step_deferred(st, s, "sender_lock") == -1)
			rc = -1;
	}
	free(keys);
	return rc;
}

int
store_sender_limits_get(struct store *st, const char *phone,
    struct store_sender_limits *l)
{
	struct store_db_stmt *s;
	int rc;

	memset(l, 0, sizeof(*l));
	if ((s = store_sq_prepared(st, &sql_limits_get,
	    "sender_limits_get")) == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	if ((rc = store_sq_step_row(st, s, "sender_limits_get")) != 1)
		return rc;
	l->tat_ms = store_db_column_int64(s, 0);
	l->repeat_since_ms = store_db_column_int64(s, 1);
	l->last_reply_ms = store_db_column_int64(s, 2);
	l->muted_until_ms = store_db_column_int64(s, 3);
	l->muted_why = store_db_column_int64(s, 4);
	l->last_text = store_db_column_int64(s, 5);
	l->repeats = store_db_column_int64(s, 6);
	l->fast = store_db_column_int64(s, 7);
	l->logged = store_db_column_int64(s, 8);
	l->day = store_db_column_int64(s, 9);
	l->replies_today = store_db_column_int64(s, 10);
	store_sq_done(s);
	return 1;
}

int
store_sender_limits_put(struct store *st, const char *phone,
    const struct store_sender_limits *l, int64_t now_ms)
{
	struct store_db_stmt *s;

	if ((s = store_sq_prepared(st, &sql_limits_put,
	    "sender_limits_put")) == NULL)
		return -1;
	store_sq_bind_text(s, 1, phone);
	store_db_bind_int64(s, 2, l->tat_ms);
	store_db_bind_int64(s, 3, l->repeat_since_ms);
	store_db_bind_int64(s, 4, l->last_reply_ms);
	store_db_bind_int64(s, 5, l->muted_until_ms);
	store_db_bind_int64(s, 6, l->muted_why);
	store_db_bind_int64(s, 7, l->last_text);
	store_db_bind_int64(s, 8, l->repeats);
	store_db_bind_int64(s, 9, l->fast);
	store_db_bind_int64(s, 10, l->logged);
	store_db_bind_int64(s, 11, l->day);
	store_db_bind_int64(s, 12, l->replies_today);
	store_db_bind_int64(s, 13, now_ms);
	return store_sq_step_deferred(st, s, "sender_limits_put");
}

static int
budget_take(struct store *st, int64_t now_ms, int64_t limit, int64_t want,
    struct store_budget *b)
{
	struct store_db_stmt *s;
	int64_t now;
	int rc;

	if ((s = store_sq_prepared(st, STORE_SQL(st, sql_budget_take),
	    "budget_take")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, want);
	store_db_bind_int64(s, 2, limit);
	store_db_bind_int64(s, 3, now_ms);
	if ((rc = store_sq_step_row(st, s, "budget_take")) != 1)
		return rc == 0 ? store_sq_fail_msg(st, "budget_take",
		    "no row returned") : -1;
	b->granted = store_db_column_int64(s, 0);
	b->used = store_db_column_int64(s, 1);
	b->hour = store_db_column_int64(s, 2);
	now = store_db_column_int64(s, 3);
	store_sq_done(s);
	b->wait_ms = (b->hour + 1) * HOUR_MS - now;
	if (b->wait_ms < 1)
		b->wait_ms = 1;
	return 0;
}

int
store_budget_take(struct store *st, int64_t now_ms, int64_t limit,
    int64_t want, struct store_budget *b)
{
	int ok;

	memset(b, 0, sizeof(*b));
	if (limit <= 0 || want <= 0)
		return store_sq_fail_msg(st, "budget_take", "no budget to keep");
	/* In a savepoint of its own: on PostgreSQL a failed statement
	 * spoils the whole transaction, which holds the sender's results
	 * too. */
	if (store_sq_run(st, S_SAVEPOINT, "budget_take") == -1)
		return -1;
	ok = budget_take(st, now_ms, limit, want, b) == 0;
	if (store_sq_savepoint_end(st, ok, "budget_take") == 0)
		return 0;
	memset(b, 0, sizeof(*b));
	return -1;
}

int
store_budget_return(struct store *st, int64_t hour, int64_t n)
{
	struct store_db_stmt *s;
	int ok;

	if (n <= 0)
		return 0;
	if (store_sq_run(st, S_SAVEPOINT, "budget_return") == -1)
		return -1;
	if ((s = store_sq_prepared(st, STORE_SQL(st, sql_budget_back),
	    "budget_return")) != NULL) {
		store_db_bind_int64(s, 1, hour);
		store_db_bind_int64(s, 2, n);
	}
	ok = s != NULL && store_sq_step_done(st, s, "budget_return") == 0;
	return store_sq_savepoint_end(st, ok, "budget_return");
}

int
store_shared_prune(struct store *st, int64_t now_ms, int64_t *n)
{
	struct store_db_stmt *s;
	int64_t cutoff = now_ms - STORE_SHARED_KEEP_MS;

	*n = 0;
	if ((s = store_sq_prepared(st, &sql_limits_prune,
	    "shared_prune")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, cutoff);
	store_db_bind_int64(s, 2, now_ms);
	if (store_sq_step_done(st, s, "shared_prune") == -1)
		return -1;
	*n += store_db_changes(&st->db);
	if ((s = store_sq_prepared(st, &sql_budget_prune,
	    "shared_prune")) == NULL)
		return -1;
	store_db_bind_int64(s, 1, cutoff / 3600000);
	if (store_sq_step_done(st, s, "shared_prune") == -1)
		return -1;
	*n += store_db_changes(&st->db);
	return 0;
}
