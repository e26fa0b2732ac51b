/*
 * store_rate: the send rate of each provider kept in the database
 * (table send_rate, see store.h), so that the daemons sharing one
 * PostgreSQL database send at most the configured rate together.
 *
 * A provider's row holds the earliest time, in microseconds, at which
 * its next message may go.  A take reads it under a row lock, grants as
 * many messages as have come due since, and moves it on by one interval
 * (1 / rate) per message granted: a daemon that takes next waits until
 * then, whichever daemon it is.  The lock is held to the end of the
 * caller's transaction, so the claim that follows and the return of
 * what it did not use are seen together by the next daemon.
 */
#include <math.h>
#include <stdint.h>

#include "store_int.h"

static const char *const sql_rate_row =
    "INSERT INTO send_rate (provider, next_free_us) VALUES (?1, 0)"
    " ON CONFLICT DO NOTHING";
/* The server's clock on PostgreSQL: daemons on several machines agree
 * on it where their own clocks may differ. */
static const char *const sql_rate_get[2] = {
	[STORE_DB_SQ] = "SELECT next_free_us, ?2 FROM send_rate"
	    " WHERE provider = ?1",
	[STORE_DB_PG] = "SELECT next_free_us, CASE WHEN ?2 > 0 THEN ?2 ELSE"
	    " (extract(epoch FROM clock_timestamp()) * 1000000)::bigint END"
	    " FROM send_rate WHERE provider = ?1 FOR UPDATE",
};
static const char *const sql_rate_set =
    "UPDATE send_rate SET next_free_us = ?2 WHERE provider = ?1";
static const char *const sql_rate_back =
    "UPDATE send_rate SET next_free_us = next_free_us - ?2"
    " WHERE provider = ?1";

int
store_rate_shared(const struct store *st)
{
	return STORE_IS_PG(st);
}

/* The row of provider, locked: its next free time and now; 0 or -1. */
static int
rate_read(struct store *st, const char *provider, int64_t now_us,
    int64_t *next, int64_t *now)
{
	struct store_db_stmt *s;
	int pass, rc;

	for (pass = 0; pass < 2; pass++) {
		if ((s = store_sq_prepared(st, STORE_SQL(st, sql_rate_get),
		    "rate_take")) == NULL)
			return -1;
		store_sq_bind_text(s, 1, provider);
		store_db_bind_int64(s, 2, now_us);
		if ((rc = store_sq_step_row(st, s, "rate_take")) == -1)
			return -1;
		if (rc == 1) {
			*next = store_db_column_int64(s, 0);
			*now = store_db_column_int64(s, 1);
			store_sq_done(s);
			return 0;
		}
		/* The provider's first send: its row, then read it again. */
		if ((s = store_sq_prepared(st, &sql_rate_row,
		    "rate_take")) == NULL)
			return -1;
		store_sq_bind_text(s, 1, provider);
		if (store_sq_step_done(st, s, "rate_take") == -1)
			return -1;
	}
	return store_sq_fail_msg(st, "rate_take", "send_rate row missing");
}

/*
 * In a savepoint of its own: on PostgreSQL a failed statement spoils the
 * whole transaction, which holds the sender's results too.
 */
static int	rate_take(struct store *, const char *, int64_t, double,
		    size_t, size_t, size_t *, int64_t *);

int
store_rate_take(struct store *st, const char *provider, int64_t now_us,
    double rate, size_t burst, size_t want, size_t *granted,
    int64_t *wait_us)
{
	int ok;

	*granted = 0;
	*wait_us = 0;
	if (store_sq_run(st, S_SAVEPOINT, "rate_take") == -1)
		return -1;
	ok = rate_take(st, provider, now_us, rate, burst, want, granted,
	    wait_us) == 0;
	if (store_sq_savepoint_end(st, ok, "rate_take") == 0)
		return 0;
	*granted = 0;
	return -1;
}

static int
rate_take(struct store *st, const char *provider, int64_t now_us,
    double rate, size_t burst, size_t want, size_t *granted,
    int64_t *wait_us)
{
	struct store_db_stmt *s;
	int64_t next = 0, now = 0, interval;
	size_t k;

	*granted = 0;
	*wait_us = 0;
	if (rate <= 0 || want == 0)
		return store_sq_fail_msg(st, "rate_take", "no rate to keep");
	interval = (int64_t)ceil(1e6 / rate);
	if (burst == 0)
		burst = 1;
	if (rate_read(st, provider, now_us, &next, &now) == -1)
		return -1;
	/* Time not used is not saved up beyond the burst. */
	if (next < now - (int64_t)(burst - 1) * interval)
		next = now - (int64_t)(burst - 1) * interval;
	if (next > now) {
		*wait_us = next - now;
		return 0;
	}
	k = (size_t)((now - next) / interval) + 1;
	if (k > want)
		k = want;
	if ((s = store_sq_prepared(st, &sql_rate_set, "rate_take")) == NULL)
		return -1;
	store_sq_bind_text(s, 1, provider);
	store_db_bind_int64(s, 2, next + (int64_t)k * interval);
	if (store_sq_step_done(st, s, "rate_take") == -1)
		return -1;
	*granted = k;
	return 0;
}

int
store_rate_return(struct store *st, const char *provider, double rate,
    size_t n)
{
	struct store_db_stmt *s;
	int ok;

	if (n == 0 || rate <= 0)
		return 0;
	if (store_sq_run(st, S_SAVEPOINT, "rate_return") == -1)
		return -1;
	if ((s = store_sq_prepared(st, &sql_rate_back, "rate_return")) !=
	    NULL) {
		store_sq_bind_text(s, 1, provider);
		store_db_bind_int64(s, 2, (int64_t)n *
		    (int64_t)ceil(1e6 / rate));
	}
	ok = s != NULL && store_sq_step_done(st, s, "rate_return") == 0;
	return store_sq_savepoint_end(st, ok, "rate_return");
}
