/* store_db_pg: see store_db_pg.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

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
enum stmt_kind { K_OTHER, K_SAVEPOINT, K_RELEASE, K_COMMIT, K_ROLLBACK };

struct store_db_pg {
	PGconn	*conn;
	int64_t	 changes;	/* of the last INSERT, UPDATE or DELETE */
	int	 next_name;	/* statements are named s1, s2, ... */
	int	 savepoints;	/* open, counted since the transaction began */
	int	 sp_began;	/* 1: a savepoint began the transaction */
	char	 sqlstate[6];	/* of the last error, "" if none */
	int64_t	 last_id;	/* of the last INSERT into a table of ids */
	int	 has_last_id;
	char	 err[512];
};

struct store_db_pg_stmt {
	struct store_db_pg *db;
	char		*sql;		/* as given, for store_db_sql() */
	char		*pgsql;		/* with $N */
	char		 name[16];
	int		 prepared;
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

struct store_db_pg *
store_db_pg_connect(const char *url, char *err, size_t errlen)
{
	struct store_db_pg *db = xcalloc(1, sizeof(*db));

	db->conn = PQconnectdb(url);
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
	free(db);
}

int
store_db_pg_exec(struct store_db_pg *db, const char *script)
{
	PGresult *r = PQexec(db->conn, script);
	ExecStatusType t = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	int ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;

	if (!ok)
		set_result_err(db, r);
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
	if (strncmp(sql, "SAVEPOINT ", 10) == 0)
		s->kind = K_SAVEPOINT;
	else if (strncmp(sql, "RELEASE ", 8) == 0)
		s->kind = K_RELEASE;
	else if (strcmp(sql, "COMMIT") == 0)
		s->kind = K_COMMIT;
	else if (strcmp(sql, "ROLLBACK") == 0)
		s->kind = K_ROLLBACK;
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
	if (ok)
		s->prepared = 1;
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
		db->savepoints = 0;
		db->sp_began = 0;
		break;
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

int
store_db_pg_step(struct store_db_pg_stmt *s)
{
	if (s->res == NULL) {
		ExecStatusType t;

		if (before(s) == -1 ||
		    (!s->prepared && prepare_on_server(s) == -1))
			return -1;
		s->res = PQexecPrepared(s->db->conn, s->name, s->nparams,
		    s->values, NULL, NULL, 0);
		t = s->res != NULL ? PQresultStatus(s->res) :
		    PGRES_FATAL_ERROR;
		if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
			set_result_err(s->db, s->res);
			PQclear(s->res);
			s->res = NULL;
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
	r = PQexec(db->conn, "SELECT lastval()");
	if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
	    PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

int
store_db_pg_in_transaction(struct store_db_pg *db)
{
	return PQtransactionStatus(db->conn) != PQTRANS_IDLE;
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
