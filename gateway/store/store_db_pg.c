/* store_db_pg: see store_db_pg.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "log.h"
#include "store_db_pg.h"
#include "util.h"

/* pg_type.h's oids of int8 and text, which libpq's headers do not carry. */
#define INT8_OID	20
#define TEXT_OID	25

/*
 * SQLite's SAVEPOINT outside a transaction starts one, and releasing that
 * savepoint commits it; PostgreSQL refuses a savepoint outside a
 * transaction block.  Statements are told apart by their first word, and
 * the connection opens and closes the transaction as SQLite would.
 */
enum stmt_kind { K_OTHER, K_SAVEPOINT, K_RELEASE, K_COMMIT, K_ROLLBACK,
	K_BEGIN, K_ROLLBACK_TO };

/*
 * A connection that is gone (the server restarted, failed over, or we
 * reached a standby) is replaced by a new one made from the same string,
 * never inside the caller's transaction: the statement that found it gone
 * fails, and if a transaction was open every later statement of it fails
 * too, without reaching any server, until the caller ends it (COMMIT
 * fails, ROLLBACK succeeds).  Only then may a statement connect again, so
 * that no part of a transaction is ever run on its own on the new
 * connection.  Attempts are spaced: a connection attempt blocks its
 * caller (the event loop), which must not spend its time connecting.
 */
#define RETRY_MS		250
/* Given to libpq unless the URL or PGCONNECT_TIMEOUT says otherwise:
 * without one a TCP host that does not answer holds the caller for the
 * system's timeout, minutes. */
#define CONNECT_TIMEOUT_S	"2"

struct store_db_pg {
	PGconn	*conn;
	char	*url;		/* to connect again */
	char	*log_name;	/* the URL without its password */
	char	*session;	/* settings every new connection is given */
	uint64_t gen;		/* of the connection: statements prepared on
				   an earlier one are prepared again */
	int	 broken;	/* conn is gone: a new one before next use */
	int	 lost;		/* ... and the caller's transaction with it */
	int	 undoing;	/* lost: a ROLLBACK TO was seen */
	int64_t	 retry_ms;	/* monotonic: no attempt before */
	int64_t	 lost_ms;	/* monotonic: when it was found gone */
	int64_t	 changes;	/* of the last INSERT, UPDATE or DELETE */
	int	 next_name;	/* statements are named s1, s2, ... */
	int	 savepoints;	/* open, counted since the transaction began */
	int	 sp_began;	/* 1: a savepoint began the transaction */
	char	 sqlstate[6];	/* of the last error, "" if none */
	int64_t	 last_id;	/* of the last INSERT into a table of ids */
	int	 has_last_id;
	int	 pipeline_ok;	/* store_db_pg_pipeline(): writes may wait */
	int	 in_pipeline;	/* conn is in libpq's pipeline mode */
	int	 pending;	/* statements sent, answers not yet read */
	char	 err[512];
};

struct store_db_pg_stmt {
	struct store_db_pg *db;
	char		*sql;		/* as given, for store_db_sql() */
	char		*pgsql;		/* with $N */
	char		 name[16];
	int		 prepared;	/* once: the parameter types are fixed */
	uint64_t	 gen;		/* on the server of this connection */
	enum stmt_kind	 kind;
	int		 returns_id;	/* " RETURNING id" added: see below */
	int		 nparams;
	const char	**values;	/* bound: the caller's, or ints[i] */
	char		(*ints)[24];
	Oid		*types;
	PGresult	*res;
	int		 row, nrows;
};

static void
set_err(struct store_db_pg *db, const char *msg, const char *state)
{
	size_t n;

	util_strlcpy(db->err, msg != NULL && *msg != '\0' ? msg :
	    "PostgreSQL error", sizeof(db->err));
	/* libpq ends its messages with a newline; a log line must not. */
	n = strlen(db->err);
	while (n > 0 && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
		db->err[--n] = '\0';
	util_strlcpy(db->sqlstate, state != NULL ? state : "",
	    sizeof(db->sqlstate));
}

static void
set_result_err(struct store_db_pg *db, const PGresult *r)
{
	set_err(db, r != NULL ? PQresultErrorMessage(r) :
	    PQerrorMessage(db->conn), r != NULL ?
	    PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
}

/* Server notices (an IF NOT EXISTS that found its table) are not errors
 * of ours: they are dropped rather than printed on stderr. */
static void
quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* The connection string is put after our default, so that its own
 * connect_timeout wins. */
static PGconn *
open_conn(const char *url)
{
	const char *keys[3], *vals[3];
	int n = 0;

	if (getenv("PGCONNECT_TIMEOUT") == NULL) {
		keys[n] = "connect_timeout";
		vals[n++] = CONNECT_TIMEOUT_S;
	}
	keys[n] = "dbname";
	vals[n++] = url;
	keys[n] = NULL;
	vals[n] = NULL;
	return PQconnectdbParams(keys, vals, 1);
}

struct store_db_pg *
store_db_pg_connect(const char *url, const char *log_name, char *err,
    size_t errlen)
{
	struct store_db_pg *db = xcalloc(1, sizeof(*db));

	db->url = xstrdup(url);
	db->log_name = xstrdup(log_name != NULL ? log_name : "postgresql");
	db->gen = 1;
	db->conn = open_conn(url);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		set_err(db, db->conn != NULL ? PQerrorMessage(db->conn) :
		    "out of memory", NULL);
		util_err(err, errlen, "connecting to PostgreSQL: %s", db->err);
		store_db_pg_close(db);
		return NULL;
	}
	PQsetNoticeProcessor(db->conn, quiet_notice, NULL);
	return db;
}

void
store_db_pg_close(struct store_db_pg *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->url);
	free(db->log_name);
	free(db->session);
	free(db);
}

int
store_db_pg_session(struct store_db_pg *db, const char *sql)
{
	free(db->session);
	db->session = xstrdup(sql);
	return store_db_pg_exec(db, sql);
}

uint64_t
store_db_pg_generation(const struct store_db_pg *db)
{
	return db->gen;
}

static enum stmt_kind
kind_of(const char *sql)
{
	if (strncmp(sql, "SAVEPOINT ", 10) == 0)
		return K_SAVEPOINT;
	if (strncmp(sql, "RELEASE ", 8) == 0)
		return K_RELEASE;
	if (strncmp(sql, "ROLLBACK TO ", 12) == 0)
		return K_ROLLBACK_TO;
	if (strcmp(sql, "COMMIT") == 0)
		return K_COMMIT;
	if (strcmp(sql, "ROLLBACK") == 0)
		return K_ROLLBACK;
	if (strncmp(sql, "BEGIN", 5) == 0 && (sql[5] == '\0' ||
	    sql[5] == ';' || sql[5] == ' '))
		return K_BEGIN;
	return K_OTHER;
}

/*
 * Did the last failure take the connection with it?  Its socket closed,
 * a connection error (class 08), the server shutting down or crashing
 * (57P01-57P03), or a write refused by a standby: connected to one, or
 * to a primary that became one, we must find the primary again.  A
 * read-only store's own refusals (also 25006) come from a server that is
 * not in recovery, and stay ordinary errors.
 */
static int
gone(const struct store_db_pg *db)
{
	const char *st = db->sqlstate, *hs;

	if (PQstatus(db->conn) == CONNECTION_BAD)
		return 1;
	if (strncmp(st, "08", 2) == 0 || strcmp(st, "57P01") == 0 ||
	    strcmp(st, "57P02") == 0 || strcmp(st, "57P03") == 0)
		return 1;
	hs = PQparameterStatus(db->conn, "in_hot_standby");
	return strcmp(st, "25006") == 0 && hs != NULL && strcmp(hs, "on") == 0;
}

static void
end_transaction(struct store_db_pg *db)
{
	db->pipeline_ok = 0;
	db->lost = 0;
	db->undoing = 0;
	db->savepoints = 0;
	db->sp_began = 0;
}

/* Is the caller's transaction open after a statement of kind failed,
 * the server having been in state t0 before it? */
static int
open_after_failure(const struct store_db_pg *db, enum stmt_kind kind,
    PGTransactionStatusType t0)
{
	if (kind == K_BEGIN || kind == K_COMMIT || kind == K_ROLLBACK)
		return 0;
	if (db->sp_began)
		return db->savepoints > 0;
	return t0 == PQTRANS_INTRANS || t0 == PQTRANS_INERROR ||
	    t0 == PQTRANS_ACTIVE;
}

/* After a failure recorded by set_err(): is the connection gone?  The
 * first time, say so once. */
static void
failed(struct store_db_pg *db, enum stmt_kind kind,
    PGTransactionStatusType t0)
{
	char q[600];

	if (db->broken || !gone(db))
		return;
	db->broken = 1;
	db->retry_ms = 0;	/* the first attempt at once */
	db->lost_ms = util_mono_ms();
	if (open_after_failure(db, kind, t0)) {
		db->lost = 1;
		db->undoing = kind == K_ROLLBACK_TO;
	} else
		end_transaction(db);
	log_warn("store_lost", "store=%s in_transaction=%s error=%s",
	    db->log_name, db->lost ? "yes" : "no",
	    log_quote(db->err, 400, q, sizeof(q)));
}

/*
 * A statement of kind while the caller's transaction is lost: 1 it may
 * go on (to connect again), 0 it succeeded without reaching a server, -1
 * it failed.  The transaction ends with COMMIT (which fails), ROLLBACK,
 * or the undo of the savepoint that began it.  Undoing succeeds (what
 * was done is indeed not kept): an undo is ROLLBACK TO then RELEASE, so
 * a RELEASE after a ROLLBACK TO closes a savepoint, while a RELEASE
 * that would keep the work fails and leaves it open, for the undo that
 * the callers then run.
 */
static int
while_lost(struct store_db_pg *db, enum stmt_kind kind)
{
	switch (kind) {
	case K_ROLLBACK:
		end_transaction(db);
		return 0;
	case K_COMMIT:
		end_transaction(db);
		set_err(db, "the connection to the database was lost: the"
		    " transaction was rolled back", "08006");
		return -1;
	case K_BEGIN:
		/* Its caller holds no transaction: whatever did is over. */
		end_transaction(db);
		return 1;
	case K_ROLLBACK_TO:
		db->undoing = 1;
		return 0;
	case K_RELEASE:
		if (!db->undoing)
			break;
		db->undoing = 0;
		if (db->savepoints > 0)
			db->savepoints--;
		if (db->sp_began && db->savepoints == 0)
			end_transaction(db);
		return 0;
	case K_SAVEPOINT:
	case K_OTHER:
		break;
	}
	set_err(db, "the connection to the database was lost during the"
	    " transaction", "08006");
	return -1;
}

/*
 * A new connection for a broken one, at most every RETRY_MS (or twice
 * as long as the last failed attempt took, so that a host that lets
 * connections hang does not hold the caller most of the time).  The
 * session's settings are run on it; its statements are prepared again
 * as they are used (gen).
 */
static int
reconnect(struct store_db_pg *db)
{
	int64_t now = util_mono_ms(), took;
	PGconn *c;
	PGresult *r = NULL;
	int ok;

	if (now < db->retry_ms) {
		set_err(db, "no connection to the database (it was lost;"
		    " trying again)", "08006");
		return -1;
	}
	c = open_conn(db->url);
	ok = c != NULL && PQstatus(c) == CONNECTION_OK;
	if (ok && db->session != NULL) {
		r = PQexec(c, db->session);
		ok = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;
	}
	took = util_mono_ms() - now;
	db->retry_ms = now + (2 * took > RETRY_MS ? 2 * took : RETRY_MS);
	if (!ok) {
		set_err(db, r != NULL ? PQresultErrorMessage(r) : c != NULL ?
		    PQerrorMessage(c) : "out of memory", "08006");
		PQclear(r);
		PQfinish(c);
		return -1;
	}
	PQclear(r);
	PQsetNoticeProcessor(c, quiet_notice, NULL);
	PQfinish(db->conn);
	db->conn = c;
	db->gen++;
	db->broken = 0;
	db->has_last_id = 0;
	db->in_pipeline = 0;
	db->pending = 0;
	end_transaction(db);
	log_info("store_reconnected", "store=%s after_ms=%lld", db->log_name,
	    (long long)(util_mono_ms() - db->lost_ms));
	return 0;
}

/*
 * Before a statement of kind reaches the server: 1 go on, 0 done
 * already (a ROLLBACK of a lost transaction), -1 failed.  A broken
 * connection is replaced here, outside any transaction of the caller's.
 */
static int
usable(struct store_db_pg *db, enum stmt_kind kind)
{
	int rc;

	if (!db->broken)
		return 1;
	if (db->lost && (rc = while_lost(db, kind)) != 1)
		return rc;
	switch (kind) {
	case K_COMMIT:
	case K_ROLLBACK:
	case K_RELEASE:
	case K_ROLLBACK_TO:
		/* No transaction to end: the lost one has been. */
		set_err(db, "no transaction is active (the connection to the"
		    " database was lost)", "08006");
		return -1;
	default:
		break;
	}
	return reconnect(db) == 0 ? 1 : -1;
}

/*
 * The permission of store_db_pg_pipeline() is the transaction's: any
 * statement that begins or ends one ends it, whether it succeeds or not.
 */
static void
transaction_edge(struct store_db_pg *db, enum stmt_kind kind)
{
	if (kind == K_BEGIN || kind == K_COMMIT || kind == K_ROLLBACK)
		db->pipeline_ok = 0;
}

/* The error is a write's that was sent earlier without waiting: say so,
 * since it is reported by whatever statement comes next. */
static void
earlier(struct store_db_pg *db)
{
	static const char prefix[] = "an earlier write of the transaction "
	    "failed: ";
	char msg[sizeof(db->err)];
	size_t n = sizeof(prefix) - 1;

	memcpy(msg, prefix, n);
	util_strlcpy(msg + n, db->err, sizeof(msg) - n);
	util_strlcpy(db->err, msg, sizeof(db->err));
}

/*
 * The answers to the statements sent without waiting (pipeline mode), and
 * to the one sent last if last is not NULL (its result is left there):
 * 0 if every one succeeded, else -1 with the first failure as the error.
 * After a failure the server skipped the rest and aborted the
 * transaction, whose owner will find its COMMIT refused.  The connection
 * leaves pipeline mode.
 */
static int
settle(struct store_db_pg *db, PGresult **last)
{
	PGresult *r, *skip;
	ExecStatusType t;
	int rc = 0, left;

	if (last != NULL)
		*last = NULL;
	if (!db->in_pipeline)
		return 0;
	if (PQpipelineSync(db->conn) != 1) {
		set_err(db, PQerrorMessage(db->conn), "08006");
		rc = -1;
	}
	for (; rc == 0 && db->pending > 0; db->pending--) {
		if ((r = PQgetResult(db->conn)) == NULL) {
			set_err(db, PQerrorMessage(db->conn), "08006");
			rc = -1;
			break;
		}
		t = PQresultStatus(r);
		if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
			set_result_err(db, r);
			if (last == NULL || db->pending > 1)
				earlier(db);
			PQclear(r);
			rc = -1;
		} else if (last != NULL && db->pending == 1)
			*last = r;
		else
			PQclear(r);
		/* Each statement's answer ends with a NULL. */
		while ((skip = PQgetResult(db->conn)) != NULL)
			PQclear(skip);
	}
	/*
	 * Then the sync's answer; after a failure, first those of the
	 * statements the server skipped, each ending with a NULL (so at
	 * most two reads each).
	 */
	for (left = 2 * db->pending + 2; left > 0 &&
	    PQstatus(db->conn) == CONNECTION_OK; left--) {
		if ((r = PQgetResult(db->conn)) == NULL)
			continue;
		t = PQresultStatus(r);
		PQclear(r);
		if (t == PGRES_PIPELINE_SYNC)
			break;
	}
	db->pending = 0;
	if (PQexitPipelineMode(db->conn) == 1)
		db->in_pipeline = 0;
	else if (PQstatus(db->conn) == CONNECTION_OK) {
		if (rc == 0)
			set_err(db, PQerrorMessage(db->conn), NULL);
		rc = -1;
	} else
		db->in_pipeline = 0;	/* the connection goes anyway */
	if (rc == -1 && last != NULL) {
		PQclear(*last);
		*last = NULL;
	}
	return rc;
}

void
store_db_pg_pipeline(struct store_db_pg *db)
{
	db->pipeline_ok = !db->broken && (db->in_pipeline ||
	    PQtransactionStatus(db->conn) == PQTRANS_INTRANS);
}

int
store_db_pg_exec(struct store_db_pg *db, const char *script)
{
	enum stmt_kind kind = kind_of(script);
	PGTransactionStatusType t0;
	PGresult *r;
	ExecStatusType t;
	int ok;

	transaction_edge(db, kind);
	if ((ok = usable(db, kind)) != 1)
		return ok == 0 ? 0 : -1;
	if (settle(db, NULL) == -1 && kind != K_ROLLBACK) {
		failed(db, K_OTHER, PQTRANS_INTRANS);
		return -1;
	}
	t0 = PQtransactionStatus(db->conn);
	r = PQexec(db->conn, script);
	t = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
	if (!ok) {
		set_result_err(db, r);
		failed(db, kind, t0);
	}
	PQclear(r);
	return ok ? 0 : -1;
}

/*
 * ?N becomes $N outside string literals, quoted names and comments; the
 * largest N is the statement's number of parameters.
 */
static char *
translate(const char *sql, int *nparams)
{
	size_t len = strlen(sql);
	char *out = xmalloc(len + 1), *o = out;
	const char *p = sql;
	int max = 0;

	while (*p != '\0') {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			*o++ = *p++;
			while (*p != '\0' && *p != q)
				*o++ = *p++;
			if (*p != '\0')
				*o++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			size_t n = e != NULL ? (size_t)(e + 2 - p) : strlen(p);

			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p != '\0' && *p != '\n')
				*o++ = *p++;
		} else if (*p == '?') {
			int n = 0;

			*o++ = '$';
			p++;
			while (*p >= '0' && *p <= '9') {
				n = n * 10 + (*p - '0');
				*o++ = *p++;
			}
			if (n > max)
				max = n;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	if (nparams != NULL)
		*nparams = max;
	return out;
}

char *
store_db_pg_translate(const char *sql)
{
	return translate(sql, NULL);
}

/*
 * The tables whose rows have an identity id.  An INSERT into one gets
 * " RETURNING id", read and kept by the step (which still answers done),
 * so that the id of the row made costs no second round trip to the
 * server the way SELECT lastval() would.
 */
static int
inserts_with_id(const char *sql)
{
	static const char *const tables[] = { "interactions", "outbox",
	    "outbox_events", "outbox_attempts", "stakeholders", "meetings",
	    "broadcasts", "calls" };
	size_t i, n;

	if (strncmp(sql, "INSERT INTO ", 12) != 0 ||
	    strstr(sql, "RETURNING") != NULL)
		return 0;
	sql += 12;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		n = strlen(tables[i]);
		if (strncmp(sql, tables[i], n) == 0 &&
		    (sql[n] == ' ' || sql[n] == '('))
			return 1;
	}
	return 0;
}

struct store_db_pg_stmt *
store_db_pg_prepare(struct store_db_pg *db, const char *sql)
{
	struct store_db_pg_stmt *s = xcalloc(1, sizeof(*s));
	int n;

	s->db = db;
	s->sql = xstrdup(sql);
	s->pgsql = translate(sql, &s->nparams);
	if ((s->returns_id = inserts_with_id(sql))) {
		char *t = xasprintf("%s RETURNING id", s->pgsql);

		free(s->pgsql);
		s->pgsql = t;
	}
	n = s->nparams > 0 ? s->nparams : 1;
	s->values = xcalloc((size_t)n, sizeof(*s->values));
	s->ints = xcalloc((size_t)n, sizeof(*s->ints));
	s->types = xcalloc((size_t)n, sizeof(*s->types));
	snprintf(s->name, sizeof(s->name), "s%d", ++db->next_name);
	s->kind = kind_of(sql);
	return s;
}

void
store_db_pg_finalize(struct store_db_pg_stmt *s)
{
	if (s == NULL)
		return;
	PQclear(s->res);
	/* The server's statement goes with the connection, closed next. */
	free(s->sql);
	free(s->pgsql);
	free(s->values);
	free(s->ints);
	free(s->types);
	free(s);
}

void
store_db_pg_bind_text(struct store_db_pg_stmt *s, int i, const char *v)
{
	if (i < 1 || i > s->nparams)
		return;
	s->values[i - 1] = v;
	if (!s->prepared && v != NULL)
		s->types[i - 1] = TEXT_OID;
}

void
store_db_pg_bind_int64(struct store_db_pg_stmt *s, int i, int64_t v)
{
	if (i < 1 || i > s->nparams)
		return;
	snprintf(s->ints[i - 1], sizeof(s->ints[i - 1]), "%" PRId64, v);
	s->values[i - 1] = s->ints[i - 1];
	if (!s->prepared)
		s->types[i - 1] = INT8_OID;
}

void
store_db_pg_bind_null(struct store_db_pg_stmt *s, int i)
{
	if (i < 1 || i > s->nparams)
		return;
	s->values[i - 1] = NULL;
}

/*
 * Prepared with the types of the first values bound: integers as int8,
 * text as text, NULL left for the server to infer.  A NULL whose only
 * use is "?N IS NULL OR column = ?N" leaves it unable to; those filters
 * are all on text columns, so it is tried once more with text.
 */
static int
prepare_on_server(struct store_db_pg_stmt *s)
{
	PGresult *r = PQprepare(s->db->conn, s->name, s->pgsql, s->nparams,
	    s->types);
	int ok = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK, i;

	if (!ok && r != NULL && strcmp(PQresultErrorField(r,
	    PG_DIAG_SQLSTATE) != NULL ? PQresultErrorField(r,
	    PG_DIAG_SQLSTATE) : "", "42P08") == 0 &&
	    PQtransactionStatus(s->db->conn) != PQTRANS_INERROR) {
		PQclear(r);
		for (i = 0; i < s->nparams; i++)
			if (s->types[i] == 0)
				s->types[i] = TEXT_OID;
		r = PQprepare(s->db->conn, s->name, s->pgsql, s->nparams,
		    s->types);
		ok = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;
	}
	if (!ok)
		set_result_err(s->db, r);
	PQclear(r);
	if (ok) {
		s->prepared = 1;
		s->gen = s->db->gen;
	}
	return ok ? 0 : -1;
}

/*
 * Before a statement: a savepoint outside a transaction begins one.  A
 * COMMIT or ROLLBACK with no transaction is an error, as on SQLite; and
 * a COMMIT of a transaction that an error has aborted, which PostgreSQL
 * turns into a roll-back that reports success, is a failure here: the
 * caller must not answer as if its work were kept.
 */
static int
before(struct store_db_pg_stmt *s)
{
	struct store_db_pg *db = s->db;
	PGTransactionStatusType t = PQtransactionStatus(db->conn);

	if ((s->kind == K_COMMIT || s->kind == K_ROLLBACK) &&
	    t == PQTRANS_IDLE) {
		set_err(db, s->kind == K_COMMIT ? "cannot commit - no"
		    " transaction is active" : "cannot rollback - no"
		    " transaction is active", NULL);
		return -1;
	}
	if (s->kind == K_COMMIT && t == PQTRANS_INERROR) {
		store_db_pg_exec(db, "ROLLBACK");
		db->savepoints = 0;
		db->sp_began = 0;
		set_err(db, "transaction rolled back: a statement in it"
		    " failed", NULL);
		return -1;
	}

	if (s->kind == K_SAVEPOINT &&
	    PQtransactionStatus(db->conn) == PQTRANS_IDLE) {
		if (store_db_pg_exec(db, "BEGIN") == -1)
			return -1;
		db->savepoints = 0;
		db->sp_began = 1;
	}
	return 0;
}

/* After it succeeded: releasing the savepoint that began the
 * transaction commits it. */
static int
after(struct store_db_pg_stmt *s)
{
	struct store_db_pg *db = s->db;

	switch (s->kind) {
	case K_SAVEPOINT:
		db->savepoints++;
		break;
	case K_RELEASE:
		if (db->savepoints > 0)
			db->savepoints--;
		if (db->sp_began && db->savepoints == 0) {
			db->sp_began = 0;
			return store_db_pg_exec(db, "COMMIT");
		}
		break;
	case K_COMMIT:
	case K_ROLLBACK:
	case K_BEGIN:
		db->savepoints = 0;
		db->sp_began = 0;
		break;
	case K_ROLLBACK_TO:
	case K_OTHER:
		break;
	}
	return 0;
}

static int
changes_of(const PGresult *r, int64_t *n)
{
	const char *cmd = PQcmdStatus((PGresult *)r);

	if (strncmp(cmd, "INSERT", 6) != 0 && strncmp(cmd, "UPDATE", 6) != 0 &&
	    strncmp(cmd, "DELETE", 6) != 0)
		return 0;
	*n = strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
	return 1;
}

/*
 * Send s in the open pipeline and wait for everything sent: its answer
 * comes back with theirs, in one round trip.
 */
static PGresult *
exec_in_pipeline(struct store_db_pg_stmt *s)
{
	struct store_db_pg *db = s->db;
	PGresult *r;

	if (PQsendQueryPrepared(db->conn, s->name, s->nparams, s->values,
	    NULL, NULL, 0) != 1) {
		set_err(db, PQerrorMessage(db->conn), "08006");
		settle(db, NULL);
		return NULL;
	}
	db->pending++;
	if (settle(db, &r) == -1)
		return NULL;
	return r;
}

int
store_db_pg_step(struct store_db_pg_stmt *s)
{
	if (s->res == NULL) {
		struct store_db_pg *db = s->db;
		PGTransactionStatusType t0;
		ExecStatusType t;
		int rc;

		transaction_edge(db, s->kind);
		if ((rc = usable(db, s->kind)) != 1) {
			s->row = s->nrows = 0;
			return rc == 0 ? 0 : -1;
		}
		if (db->in_pipeline && (s->kind != K_OTHER ||
		    s->gen != db->gen)) {
			/* Control statements look at the transaction's state,
			 * and preparing waits: what was sent is settled
			 * first. */
			if (settle(db, NULL) == -1 && s->kind != K_ROLLBACK) {
				failed(db, K_OTHER, PQTRANS_INTRANS);
				if (s->kind == K_COMMIT &&
				    store_db_pg_exec(db, "ROLLBACK") == 0)
					end_transaction(db);
				return -1;
			}
		}
		t0 = db->in_pipeline ? PQTRANS_INTRANS :
		    PQtransactionStatus(db->conn);
		if (before(s) == -1 ||
		    (s->gen != db->gen && prepare_on_server(s) == -1)) {
			failed(db, s->kind, t0);
			return -1;
		}
		if (db->in_pipeline) {
			if ((s->res = exec_in_pipeline(s)) == NULL) {
				failed(db, s->kind, t0);
				return -1;
			}
		} else
			s->res = PQexecPrepared(db->conn, s->name, s->nparams,
			    s->values, NULL, NULL, 0);
		t = s->res != NULL ? PQresultStatus(s->res) :
		    PGRES_FATAL_ERROR;
		if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
			set_result_err(db, s->res);
			PQclear(s->res);
			s->res = NULL;
			failed(db, s->kind, t0);
			return -1;
		}
		s->db->sqlstate[0] = '\0';
		if (s->kind != K_OTHER && after(s) == -1) {
			PQclear(s->res);
			s->res = NULL;
			return -1;
		}
		changes_of(s->res, &s->db->changes);
		s->nrows = t == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
		if (s->returns_id) {
			/* The caller asked for no rows: the ids are ours. */
			if (s->nrows > 0) {
				s->db->last_id = strtoll(PQgetvalue(s->res,
				    s->nrows - 1, 0), NULL, 10);
				s->db->has_last_id = 1;
			}
			s->nrows = 0;
		}
		s->row = -1;
	}
	if (s->row + 1 < s->nrows) {
		s->row++;
		return 1;
	}
	s->row = s->nrows;
	return 0;
}

int
store_db_pg_step_deferred(struct store_db_pg_stmt *s)
{
	struct store_db_pg *db = s->db;

	if (!db->pipeline_ok || db->broken || s->kind != K_OTHER ||
	    (!db->in_pipeline &&
	    PQtransactionStatus(db->conn) != PQTRANS_INTRANS))
		return store_db_pg_step(s);
	if (s->gen != db->gen) {
		/* Its first use on this connection: prepared, waiting. */
		if (settle(db, NULL) == -1 || prepare_on_server(s) == -1) {
			failed(db, K_OTHER, PQTRANS_INTRANS);
			return -1;
		}
	}
	if (!db->in_pipeline) {
		if (PQenterPipelineMode(db->conn) != 1)
			return store_db_pg_step(s);
		db->in_pipeline = 1;
	}
	if (PQsendQueryPrepared(db->conn, s->name, s->nparams, s->values,
	    NULL, NULL, 0) != 1) {
		set_err(db, PQerrorMessage(db->conn), "08006");
		settle(db, NULL);
		failed(db, K_OTHER, PQTRANS_INTRANS);
		return -1;
	}
	db->pending++;
	/* Nothing to read; its id and count are not known yet. */
	db->has_last_id = 0;
	db->changes = 0;
	s->row = s->nrows = 0;
	return 0;
}

void
store_db_pg_reset(struct store_db_pg_stmt *s)
{
	int i;

	PQclear(s->res);
	s->res = NULL;
	for (i = 0; i < s->nparams; i++)
		s->values[i] = NULL;
}

static const char *
value(struct store_db_pg_stmt *s, int i)
{
	if (s->res == NULL || s->row < 0 || s->row >= s->nrows ||
	    i < 0 || i >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

int64_t
store_db_pg_column_int64(struct store_db_pg_stmt *s, int i)
{
	const char *v = value(s, i);

	if (v == NULL)
		return 0;
	/* A boolean (a comparison) reads as SQLite gives it: 1 or 0. */
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

const char *
store_db_pg_column_text(struct store_db_pg_stmt *s, int i)
{
	return value(s, i);
}

int
store_db_pg_column_is_null(struct store_db_pg_stmt *s, int i)
{
	return value(s, i) == NULL;
}

const char *
store_db_pg_sql(const struct store_db_pg_stmt *s)
{
	return s->sql;
}

int64_t
store_db_pg_changes(struct store_db_pg *db)
{
	return db->changes;
}

int64_t
store_db_pg_last_id(struct store_db_pg *db)
{
	PGresult *r;
	int64_t id = 0;

	if (db->has_last_id)
		return db->last_id;
	if (db->broken || settle(db, NULL) == -1)
		return 0;
	r = PQexec(db->conn, "SELECT lastval()");
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
	    PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

/* The caller's view: a lost transaction is open until it ends it; a
 * connection found gone outside one is in none. */
int
store_db_pg_in_transaction(struct store_db_pg *db)
{
	PGTransactionStatusType t;

	if (db->broken)
		return db->lost;
	if (db->in_pipeline)
		return 1;
	t = PQtransactionStatus(db->conn);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR ||
	    t == PQTRANS_ACTIVE;
}

const char *
store_db_pg_errmsg(struct store_db_pg *db)
{
	return db->err[0] != '\0' ? db->err : PQerrorMessage(db->conn);
}

int
store_db_pg_unique_violation(struct store_db_pg *db)
{
	return strcmp(db->sqlstate, "23505") == 0;
}
