/*
 * store_db_pg: the PostgreSQL (libpq) side of store_db.h, which is the
 * only caller.  Parameters are sent as text, results read as text;
 * a statement is prepared on the server at its first step, with the
 * types of what was bound then (integers as int8, the rest left to the
 * server to infer), and kept for the life of the connection.
 */
#ifndef SP_STORE_DB_PG_H
#define SP_STORE_DB_PG_H

#include <stddef.h>
#include <stdint.h>

struct store_db_pg;
struct store_db_pg_stmt;

/*
 * A connection that breaks (the server restarted or failed over) is made
 * again from url when next used outside the caller's transaction: the
 * statement that met the break fails, and so does the rest of its
 * transaction until the caller ends it; statements are prepared again on
 * the new connection.  log_name (url without its password) names it in
 * the store_lost and store_reconnected log lines.
 */
struct store_db_pg *store_db_pg_connect(const char *url, const char *log_name,
	    char *err, size_t errlen);
void	store_db_pg_close(struct store_db_pg *);
/* Run sql (settings, no parameters) now and on every new connection. */
int	store_db_pg_session(struct store_db_pg *, const char *sql);
/* 1 for the first connection, one more for each made again since: what
 * a session held (advisory locks, settings) is gone when it changes. */
uint64_t store_db_pg_generation(const struct store_db_pg *);
int	store_db_pg_exec(struct store_db_pg *, const char *script);
struct store_db_pg_stmt *store_db_pg_prepare(struct store_db_pg *,
	    const char *sql);
void	store_db_pg_finalize(struct store_db_pg_stmt *);
void	store_db_pg_bind_text(struct store_db_pg_stmt *, int i, const char *v);
void	store_db_pg_bind_int64(struct store_db_pg_stmt *, int i, int64_t v);
void	store_db_pg_bind_null(struct store_db_pg_stmt *, int i);
int	store_db_pg_step(struct store_db_pg_stmt *);
/*
 * For the rest of the open transaction, store_db_pg_step_deferred() may
 * send a statement without waiting for its answer (libpq's pipeline
 * mode): the answers are read with the next statement that waits, in its
 * round trip, and a failure among them fails that statement (the server
 * has aborted the transaction, so its COMMIT fails too).  Any BEGIN,
 * COMMIT or ROLLBACK ends the permission.
 */
void	store_db_pg_pipeline(struct store_db_pg *);
/* A step of a statement whose caller reads no row, count or id. */
int	store_db_pg_step_deferred(struct store_db_pg_stmt *);
void	store_db_pg_reset(struct store_db_pg_stmt *);
int64_t	store_db_pg_column_int64(struct store_db_pg_stmt *, int i);
const char *store_db_pg_column_text(struct store_db_pg_stmt *, int i);
int	store_db_pg_column_is_null(struct store_db_pg_stmt *, int i);
const char *store_db_pg_sql(const struct store_db_pg_stmt *);
int64_t	store_db_pg_changes(struct store_db_pg *);
int64_t	store_db_pg_last_id(struct store_db_pg *);
/* As the caller sees it: a transaction whose connection broke stays open
 * until the caller's COMMIT or ROLLBACK (or last RELEASE). */
int	store_db_pg_in_transaction(struct store_db_pg *);
const char *store_db_pg_errmsg(struct store_db_pg *);
int	store_db_pg_unique_violation(struct store_db_pg *);
/* The ?N of sql as $N (string literals and comments left alone); the
 * caller frees.  Exposed for the tests. */
char	*store_db_pg_translate(const char *sql);

#endif
