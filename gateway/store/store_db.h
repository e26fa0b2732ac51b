/*
 * store_db: the statements of the store over either backend, SQLite or
 * PostgreSQL (libpq), internal to gateway/store.  The store's SQL is
 * written once with ?N parameters; PostgreSQL gets it with $N, translated
 * when it is prepared.  A statement whose dialects really differ is given
 * both texts (struct store_db_sql) instead of branching in the callers.
 *
 * The SQLite side is a branch and a call: every wrapper is inline here,
 * since the sender runs through them for every message it sends.
 *
 * Steps return STORE_DB_ROW, STORE_DB_DONE or STORE_DB_ERROR; the error
 * is then in store_db_errmsg().  Text bound belongs to the caller until
 * store_db_reset().
 */
#ifndef SP_STORE_DB_H
#define SP_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

enum { STORE_DB_ERROR = -1, STORE_DB_DONE = 0, STORE_DB_ROW = 1 };

#include "store_db_pg.h"

/* One connection: exactly one of sq and pg is set. */
struct store_db {
	sqlite3			*sq;
	struct store_db_pg	*pg;
};

struct store_db_stmt {
	sqlite3_stmt		*sq;	/* NULL on PostgreSQL */
	struct store_db_pg_stmt	*pg;
};

/* A statement in both dialects: [0] SQLite, [1] PostgreSQL. */
#define STORE_DB_SQ	0
#define STORE_DB_PG	1

/* Is url a PostgreSQL connection string (postgresql:// or postgres://)? */
int	store_db_is_pg_url(const char *url);

/* ---- both backends ---- */

/* A script of statements without parameters; 0 or -1. */
int	store_db_exec(struct store_db *, const char *script);
/* NULL with the error in store_db_errmsg(). */
struct store_db_stmt *store_db_prepare(struct store_db *, const char *sql);
void	store_db_finalize(struct store_db_stmt *);	/* NULL: no-op */
void	store_db_close(struct store_db *);		/* the connection */

static inline const char *
store_db_errmsg(struct store_db *db)
{
	if (db->sq != NULL)
		return sqlite3_errmsg(db->sq);
	return db->pg != NULL ? store_db_pg_errmsg(db->pg) : "no database";
}

static inline int
store_db_step(struct store_db_stmt *s)
{
	if (s->sq != NULL) {
		int rc = sqlite3_step(s->sq);

		if (rc == SQLITE_ROW)
			return STORE_DB_ROW;
		return rc == SQLITE_DONE ? STORE_DB_DONE : STORE_DB_ERROR;
	}
	return store_db_pg_step(s->pg);
}

/*
 * A step whose caller reads no row, count (store_db_changes) or id
 * (store_db_last_id): on PostgreSQL inside store_db_pipeline(), sent
 * without waiting for its answer (store_db_pg.h).  Its failure may then
 * be reported by a later statement of the transaction.
 */
static inline int
store_db_step_deferred(struct store_db_stmt *s)
{
	if (s->sq != NULL)
		return store_db_step(s);
	return store_db_pg_step_deferred(s->pg);
}

/* Ready for the next use, bindings dropped. */
static inline void
store_db_reset(struct store_db_stmt *s)
{
	if (s->sq != NULL) {
		sqlite3_reset(s->sq);
		sqlite3_clear_bindings(s->sq);
	} else
		store_db_pg_reset(s->pg);
}

static inline void
store_db_bind_int64(struct store_db_stmt *s, int i, int64_t v)
{
	if (s->sq != NULL)
		sqlite3_bind_int64(s->sq, i, v);
	else
		store_db_pg_bind_int64(s->pg, i, v);
}

static inline void
store_db_bind_null(struct store_db_stmt *s, int i)
{
	if (s->sq != NULL)
		sqlite3_bind_null(s->sq, i);
	else
		store_db_pg_bind_null(s->pg, i);
}

/* v NULL binds NULL; v stays the caller's until the reset. */
static inline void
store_db_bind_text(struct store_db_stmt *s, int i, const char *v)
{
	if (s->sq != NULL) {
		if (v == NULL)
			sqlite3_bind_null(s->sq, i);
		else
			sqlite3_bind_text(s->sq, i, v, -1, SQLITE_STATIC);
	} else
		store_db_pg_bind_text(s->pg, i, v);
}

/* A comparison's truth reads as 1 or 0 on both. */
static inline int64_t
store_db_column_int64(struct store_db_stmt *s, int i)
{
	if (s->sq != NULL)
		return sqlite3_column_int64(s->sq, i);
	return store_db_pg_column_int64(s->pg, i);
}

static inline const char *
store_db_column_text(struct store_db_stmt *s, int i)
{
	if (s->sq != NULL)
		return (const char *)sqlite3_column_text(s->sq, i);
	return store_db_pg_column_text(s->pg, i);
}

static inline int
store_db_column_is_null(struct store_db_stmt *s, int i)
{
	if (s->sq != NULL)
		return sqlite3_column_type(s->sq, i) == SQLITE_NULL;
	return store_db_pg_column_is_null(s->pg, i);
}

static inline const char *
store_db_sql(struct store_db_stmt *s)
{
	if (s->sq != NULL)
		return sqlite3_sql(s->sq);
	return store_db_pg_sql(s->pg);
}

/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
static inline int64_t
store_db_changes(struct store_db *db)
{
	if (db->sq != NULL)
		return sqlite3_changes(db->sq);
	return store_db_pg_changes(db->pg);
}

/* The id of the row the connection's last INSERT made. */
static inline int64_t
store_db_last_id(struct store_db *db)
{
	if (db->sq != NULL)
		return sqlite3_last_insert_rowid(db->sq);
	return store_db_pg_last_id(db->pg);
}

/* PostgreSQL: store_db_pg_pipeline(); SQLite: nothing to do. */
static inline void
store_db_pipeline(struct store_db *db)
{
	if (db->pg != NULL)
		store_db_pg_pipeline(db->pg);
}

static inline int
store_db_in_transaction(struct store_db *db)
{
	if (db->sq != NULL)
		return !sqlite3_get_autocommit(db->sq);
	return store_db_pg_in_transaction(db->pg);
}

/* Did the last error come from a unique index or key? */
static inline int
store_db_unique_violation(struct store_db *db)
{
	if (db->sq != NULL) {
		int c = sqlite3_extended_errcode(db->sq);

		return c == SQLITE_CONSTRAINT_UNIQUE ||
		    c == SQLITE_CONSTRAINT_PRIMARYKEY;
	}
	return store_db_pg_unique_violation(db->pg);
}

#endif
