/*
 * store_int: what the files of the store module share, and nothing else
 * may include: the struct behind struct store, the statement ids, and a
 * small toolkit over store_db.h (prefix store_sq_), which runs the same
 * statements on SQLite or PostgreSQL.  The store is one module split
 * over store.c (open, schema, transactions, interactions, contacts,
 * directory, meta) and store_<area>.c files; store.h stays its whole
 * contract.
 *
 * Statements of store.c are prepared at open from its table; an area file
 * may instead name its SQL as a static string and get the statement with
 * store_sq_prepared(), which prepares it once, on first use, and keeps it for the
 * life of the store.
 */
#ifndef SP_STORE_INT_H
#define SP_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store_db.h"

#include "store.h"

enum stmt_id {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
	S_HEARTBEAT, S_META_GET, S_META_SET,
	S_INBOUND_FIND, S_INTERACTION_INSERT, S_INTERACTION_OUTCOME,
	S_REPLIES_FOR, S_EXPORT,
	S_CONTACT_GET, S_CONTACT_PUT,
	S_SH_DELETE, S_SH_INSERT, S_SH_COUNT, S_SH_FIND, S_SH_ALL,
	S_DATA_VERSION,
	S_OB_ADD, S_OB_EVENT, S_OB_CLAIM, S_OB_ATTEMPT, S_OB_FINISH, S_OB_RETRY,
	S_OB_FIND_PID, S_OB_REPORT, S_OB_REQUEUE_EVENTS, S_OB_REQUEUE,
	S_OB_NEXT_DUE, S_OB_CREATING_FROM, S_OB_LIST, S_OB_GET, S_OB_COUNTS,
	S_COUNT
};

#define INTERACTION_COLUMNS \
	"time_ms, channel, direction, provider, provider_msg_id, phone," \
	" text, keyword, handler, district, language, encoding, segments," \
	" latency_ms, reply_to, status, outcome, category, stakeholders"
#define CONTACT_COLUMNS \
	"phone, name, language, district, role, pending_keyword," \
	" pending_until_ms, more_text, more_until_ms, opted_out_ms," \
	" first_seen_ms, last_seen_ms"
#define SH_COLUMNS \
	"name, category, district, phone, languages, description_en," \
	" description_hi"
/* A message queued (store_outbox_add, and inside store_outbox_queue). */
#define OUTBOX_INSERT \
	"INSERT INTO outbox (provider, to_phone, from_addr, body, encoding," \
	" segments, state, created_ms, next_attempt_ms, updated_ms, reply_to," \
	" broadcast_id, dlt_template_id, sms_type) VALUES (?1, ?2," \
	" COALESCE(?3, ''), ?4, ?5, ?6, 'queued', ?7, ?8, ?7, ?9, ?10, ?11," \
	" ?12)"
/* The order outbox_row() reads. */
#define OUTBOX_COLUMNS \
	"id, provider, to_phone, from_addr, body, encoding, segments, state," \
	" attempts, created_ms, next_attempt_ms, updated_ms, provider_id," \
	" error_code, error, reason, reply_to, broadcast_id, dlt_template_id," \
	" sms_type, kind = 'call', (SELECT opted_out_ms FROM contacts" \
	" WHERE phone = CAST(outbox.to_phone AS TEXT))"
/*
 * The CAST is for the claim: in an UPDATE's RETURNING, SQLite 3.40 gives
 * outbox.to_phone no affinity, and then plans the lookup as a full scan
 * of contacts for every message claimed.  to_phone is TEXT already.
 */


struct store_sq_cached {
	const char	*sql;	/* identity: the address of the area's string */
	struct store_db_stmt	*stmt;
};

struct store {
	struct store_db	 db;		/* SQLite or PostgreSQL */
	struct store_db_stmt	*stmt[S_COUNT];
	char		 err[512];
	struct store_sq_cached *cached;	/* store_sq_prepared() statements */
	int		 deferred;	/* a store_defer_begin() txn is open */
	struct store_ckpt *ckpt;	/* NULL: SQLite checkpoints itself */
	int		 synchronous_full;	/* as opened */
	size_t		 ncached;
	/* PostgreSQL: the connection that took the last broadcast creation
	 * lock (store_broadcast.c); a new one has lost it. */
	uint64_t	 creation_gen;
};

/* Record msg (or sqlite's message) as the error of op, log it once; -1. */
int	store_sq_fail_msg(struct store *, const char *op, const char *msg);
int	store_sq_fail(struct store *, const char *op);
/* Make a statement ready for its next use (bound strings are released). */
void	store_sq_done(struct store_db_stmt *);
/* Bound strings belong to the caller for the call; store_sq_done() drops them. */
void	store_sq_bind_text(struct store_db_stmt *, int i, const char *v);
void	store_sq_bind_texts(struct store_db_stmt *, int first, const char *const *v,
	    size_t n);
/* v == null_value is bound as SQL NULL. */
void	store_sq_bind_int64(struct store_db_stmt *, int i, int64_t v, int64_t null_value);
char	*store_sq_column_dup(struct store_db_stmt *, int i);	/* caller frees; NULL stays */
const char *store_sq_column_str(struct store_db_stmt *, int i);
/* Step a statement that returns no rows to completion; 0 or -1. */
int	store_sq_step_done(struct store *, struct store_db_stmt *, const char *op);
/* A yes/no lookup bound by the caller: 1 a row, 0 none, -1 error. */
int	store_sq_exists(struct store *, struct store_db_stmt *, const char *op);
/*
 * store_sq_step_done() for a write whose caller reads nothing back (no
 * count, no id): it may be answered later (store_pipeline()).
 */
int	store_sq_step_deferred(struct store *, struct store_db_stmt *,
	    const char *op);
/* store_sq_step_done() on a statement of store.c's table. */
int	store_sq_run(struct store *, enum stmt_id, const char *op);
/* Step a lookup: 1 row ready (caller calls store_sq_done), 0 none, -1 error. */
int	store_sq_step_row(struct store *, struct store_db_stmt *, const char *op);
/* Undo and leave the savepoint opened by S_SAVEPOINT. */
void	store_sq_savepoint_undo(struct store *);
/*
 * Close the savepoint opened by S_SAVEPOINT: keep its work when ok is set
 * and the release succeeds (0), else undo it (-1; the error that made ok
 * false has already been reported).
 */
int	store_sq_savepoint_end(struct store *, int ok, const char *op);
/* PRAGMA user_version of db (any connection, not only a store's): 0, or
 * -1 with sqlite3_errmsg(db) telling why. */
int	store_sq_user_version(sqlite3 *db, int *v);
/* The statement for sql (a string with static storage), prepared once;
 * NULL with the error recorded. */
struct store_db_stmt *store_sq_prepared(struct store *,
	    const char *const *sql, const char *op);
/* 1 on PostgreSQL, 0 on SQLite. */
#define STORE_IS_PG(st)	((st)->db.pg != NULL)
/* Of a statement in both dialects, an array {SQLite's, PostgreSQL's}
 * with static storage, the one for st (to give store_sq_prepared()). */
#define STORE_SQL(st, both)	(&(both)[STORE_IS_PG(st) ? STORE_DB_PG : \
	    STORE_DB_SQ])

/* A row selected as CONTACT_COLUMNS into c,
 * which it zeroes first; the caller clears it. */
void	 store_sq_contact_row(struct store_db_stmt *, struct contact *);

/* The first column of every row of s (bound already) as strings (NULL
 * as ""): 0 with *out freed by store_strings_free(), or -1 (s NULL
 * too, when it could not be prepared). */
int	 store_sq_strings(struct store *, struct store_db_stmt *, const char *op,
	    char ***out, size_t *n);
/* The same for integers: *out freed with free(). */
int	 store_sq_int64s(struct store *, struct store_db_stmt *, const char *op,
	    int64_t **out, size_t *n);
/* Step a lookup bound by the caller whose first column is an integer:
 * 1 and *v, 0 no row, -1 error. */
int	 store_sq_int64(struct store *, struct store_db_stmt *, const char *op,
	    int64_t *v);

#endif
