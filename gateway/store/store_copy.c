/*
 * store_copy: store_copy() of store.h, a coalition's whole database moved
 * from SQLite to PostgreSQL.
 *
 * The tables are the source's own (sqlite_master), so a table a later
 * schema step adds is copied without a list to keep up to date here; its
 * counterpart must exist on the target with every column of the source,
 * or nothing is copied.  Column types are the target's: an integer column
 * is given an integer, a text column text, each by an explicit CAST so
 * that a NULL in the first row leaves the server nothing to guess.  The
 * SQL here is built from names the two catalogues give (checked to be
 * plain lower-case names), never from values, which are all bound.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

/* Rows per INSERT: a round trip per row would make a large log slow to
 * move; 64 rows of the widest table stay far below libpq's 65535
 * parameters. */
#define COPY_BATCH	64
/* A daemon's commit on the source may hold its lock for a moment. */
#define COPY_BUSY_MS	10000

struct copy_col {
	char	*name;
	int	 is_int;	/* the target's column is an integer */
};

struct copy_table {
	char		*name;
	struct copy_col	*cols;
	size_t		 ncols;
	char		*identity;	/* the target's identity column, or NULL */
};

struct copy {
	struct store	*src, *dst;
	struct copy_table *tables;
	size_t		 ntables;
	char		*err;
	size_t		 errlen;
};

/*
 * The order rows must arrive in for the target's foreign keys: a table
 * referred to before the tables that refer to it.  Tables not named here
 * come after, in name order.
 */
static const char *const parents_first[] = {
	"meta", "contacts", "contact_groups", "group_members",
	"contact_interests", "stakeholders", "meetings", "broadcasts",
	"rsvps", "notices", "outbox", "outbox_events", "outbox_attempts",
	"interactions", "calls",
};

static size_t
table_rank(const char *name)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(parents_first); i++)
		if (strcmp(parents_first[i], name) == 0)
			return i;
	return SP_ARRAY_LEN(parents_first);
}

static int
table_cmp(const void *a, const void *b)
{
	const struct copy_table *x = a, *y = b;
	size_t rx = table_rank(x->name), ry = table_rank(y->name);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Only such names are ever put into SQL text. */
static int
plain_name(const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0' || strlen(s) > 63)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
		    (i > 0 && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int
copy_fail(struct copy *c, const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a, b);
	util_strlcpy(c->err, msg, c->errlen);
	log_error("store", "op=copy error=\"%s\"", msg);
	return -1;
}

static int
db_fail(struct copy *c, struct store *st, const char *what)
{
	return copy_fail(c, "%s: %s", what, store_db_errmsg(&st->db));
}

static void
tables_free(struct copy_table *t, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < t[i].ncols; j++)
			free(t[i].cols[j].name);
		free(t[i].cols);
		free(t[i].name);
		free(t[i].identity);
	}
	free(t);
}

void
store_copy_counts_free(struct store_copy_count *c, size_t n)
{
	size_t i;

	for (i = 0; c != NULL && i < n; i++)
		free(c[i].table);
	free(c);
}

/* The source's tables (its first read, which fixes its snapshot). */
static int
source_tables(struct copy *c)
{
	struct store_db_stmt *s = store_db_prepare(&c->src->db,
	    "SELECT name FROM sqlite_master WHERE type = 'table'"
	    " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	    /* The target's own, kept by its trigger. */
	    " AND name <> 'sampark_data_version'");
	int rc;

	if (s == NULL)
		return db_fail(c, c->src, "listing the source's tables");
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		const char *name = store_db_column_text(s, 0);

		if (!plain_name(name)) {
			store_db_finalize(s);
			return copy_fail(c, "source table \"%s\": not a name"
			    " this copy knows how to quote%s", name, "");
		}
		c->tables = xreallocarray(c->tables, c->ntables + 1,
		    sizeof(*c->tables));
		memset(&c->tables[c->ntables], 0, sizeof(*c->tables));
		c->tables[c->ntables++].name = xstrdup(name);
	}
	store_db_finalize(s);
	if (rc != STORE_DB_DONE)
		return db_fail(c, c->src, "listing the source's tables");
	qsort(c->tables, c->ntables, sizeof(*c->tables), table_cmp);
	return 0;
}

/* The target's columns of t: their types and its identity column. */
static int
target_columns(struct copy *c, struct copy_table *t, struct copy_col **cols,
    size_t *ncols)
{
	struct store_db_stmt *s = store_db_prepare(&c->dst->db,
	    "SELECT column_name, data_type, is_identity"
	    " FROM information_schema.columns"
	    " WHERE table_schema = current_schema() AND table_name = ?1"
	    " ORDER BY ordinal_position");
	int rc;

	*cols = NULL;
	*ncols = 0;
	if (s == NULL)
		return db_fail(c, c->dst, "reading the target's columns");
	store_db_bind_text(s, 1, t->name);
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		const char *name = store_db_column_text(s, 0);
		const char *type = store_db_column_text(s, 1);
		const char *ident = store_db_column_text(s, 2);

		*cols = xreallocarray(*cols, *ncols + 1, sizeof(**cols));
		(*cols)[*ncols].name = xstrdup(name);
		(*cols)[*ncols].is_int = strcmp(type, "bigint") == 0 ||
		    strcmp(type, "integer") == 0 ||
		    strcmp(type, "smallint") == 0;
		(*ncols)++;
		if (strcmp(type, "bigint") != 0 &&
		    strcmp(type, "integer") != 0 &&
		    strcmp(type, "smallint") != 0 && strcmp(type, "text") != 0) {
			copy_fail(c, "target column %s is of type %s, which"
			    " this copy does not convert to", name, type);
			rc = STORE_DB_ERROR;
			break;
		}
		if (ident != NULL && strcmp(ident, "YES") == 0 &&
		    t->identity == NULL)
			t->identity = xstrdup(name);
	}
	store_db_finalize(s);
	if (rc == STORE_DB_ERROR && c->err[0] == '\0')
		return db_fail(c, c->dst, "reading the target's columns");
	return rc == STORE_DB_DONE ? 0 : -1;
}

/*
 * The columns of t to copy: every column of the source (in its order),
 * each of which the target must have.
 */
static int
plan_table(struct copy *c, struct copy_table *t)
{
	struct copy_col *tcols = NULL;
	size_t ntcols = 0, i, j;
	char *sql = xasprintf("SELECT * FROM \"%s\"", t->name);
	struct store_db_stmt *s = store_db_prepare(&c->src->db, sql);
	int rc = -1, n;

	free(sql);
	if (s == NULL)
		return db_fail(c, c->src, t->name);
	if (target_columns(c, t, &tcols, &ntcols) == -1)
		goto out;
	if (ntcols == 0) {
		copy_fail(c, "table %s has no counterpart on the target%s",
		    t->name, " (is its schema this sampark's?)");
		goto out;
	}
	n = sqlite3_column_count(s->sq);
	t->cols = xcalloc((size_t)n, sizeof(*t->cols));
	for (i = 0; i < (size_t)n; i++) {
		const char *name = sqlite3_column_name(s->sq, (int)i);

		for (j = 0; j < ntcols; j++)
			if (strcmp(tcols[j].name, name) == 0)
				break;
		if (j == ntcols || !plain_name(name)) {
			copy_fail(c, "column %s of table %s has no counterpart"
			    " on the target", name, t->name);
			goto out;
		}
		t->cols[i].name = xstrdup(name);
		t->cols[i].is_int = tcols[j].is_int;
		t->ncols++;
	}
	rc = 0;
out:
	for (j = 0; j < ntcols; j++)
		free(tcols[j].name);
	free(tcols);
	store_db_finalize(s);
	return rc;
}

/* 1 when the target's t holds rows the copy would have to mix with. */
static int
target_has_rows(struct copy *c, const struct copy_table *t)
{
	/* What opening the target wrote is no data; the source's replaces
	 * it. */
	char *sql = strcmp(t->name, "meta") == 0 ?
	    xstrdup("SELECT EXISTS (SELECT 1 FROM meta WHERE key NOT IN"
	    " ('pseudonym_key', 'heartbeat'))") :
	    xasprintf("SELECT EXISTS (SELECT 1 FROM \"%s\")", t->name);
	struct store_db_stmt *s = store_db_prepare(&c->dst->db, sql);
	int64_t v = 0;
	int rc;

	free(sql);
	if (s == NULL)
		return db_fail(c, c->dst, t->name);
	rc = store_db_step(s);
	if (rc == STORE_DB_ROW)
		v = store_db_column_int64(s, 0);
	store_db_finalize(s);
	if (rc != STORE_DB_ROW)
		return db_fail(c, c->dst, t->name);
	return v != 0;
}

/* count(*) of t on st: 0 and *n, or -1. */
static int
count_rows(struct copy *c, struct store *st, const char *table, int64_t *n)
{
	char *sql = xasprintf("SELECT count(*) FROM \"%s\"", table);
	struct store_db_stmt *s = store_db_prepare(&st->db, sql);
	int rc;

	free(sql);
	if (s == NULL)
		return db_fail(c, st, table);
	rc = store_db_step(s);
	if (rc == STORE_DB_ROW)
		*n = store_db_column_int64(s, 0);
	store_db_finalize(s);
	return rc == STORE_DB_ROW ? 0 : db_fail(c, st, table);
}

/* INSERT of rows rows of t, parameters numbered row by row. */
static char *
insert_sql(const struct copy_table *t, size_t rows)
{
	struct buf_s {
		char	*p;
		size_t	 len, cap;
	} b = { NULL, 0, 0 };
	size_t r, i;
	int k = 1;

#define ADD(...) do {							\
		char *piece_ = xasprintf(__VA_ARGS__);			\
		size_t n_ = strlen(piece_);				\
		if (b.len + n_ + 1 > b.cap) {				\
			b.cap = (b.len + n_ + 1) * 2;			\
			b.p = xrealloc(b.p, b.cap);			\
		}							\
		memcpy(b.p + b.len, piece_, n_ + 1);			\
		b.len += n_;						\
		free(piece_);						\
	} while (0)

	ADD("INSERT INTO \"%s\" (", t->name);
	for (i = 0; i < t->ncols; i++)
		ADD("%s\"%s\"", i > 0 ? ", " : "", t->cols[i].name);
	ADD(") VALUES ");
	for (r = 0; r < rows; r++) {
		ADD("%s(", r > 0 ? ", " : "");
		for (i = 0; i < t->ncols; i++)
			ADD("%sCAST(?%d AS %s)", i > 0 ? ", " : "", k++,
			    t->cols[i].is_int ? "bigint" : "text");
		ADD(")");
	}
#undef ADD
	return b.p;
}

/*
 * The source's value of column i of the current row as the target's
 * column takes it: *out NULL for NULL, else a new string (a whole number
 * for an integer column).  0, or -1 for a value the column cannot hold.
 */
static int
value_text(struct copy *c, const struct copy_table *t, sqlite3_stmt *from,
    int i, char **out)
{
	int type = sqlite3_column_type(from, i);
	const char *col = t->cols[i].name;

	*out = NULL;
	if (type == SQLITE_NULL)
		return 0;
	if (type == SQLITE_BLOB)
		return copy_fail(c, "%s.%s holds a blob, which the target"
		    " keeps as text", t->name, col);
	if (!t->cols[i].is_int || type == SQLITE_INTEGER) {
		*out = xstrdup((const char *)sqlite3_column_text(from, i));
		return 0;
	}
	if (type == SQLITE_FLOAT) {
		double d = sqlite3_column_double(from, i);

		if (d == floor(d) && fabs(d) < 9e18) {
			*out = xasprintf("%lld", (long long)d);
			return 0;
		}
	} else {
		const char *v = (const char *)sqlite3_column_text(from, i);
		char *end;
		long long n;

		errno = 0;
		n = strtoll(v, &end, 10);
		if (*v != '\0' && *end == '\0' && errno == 0) {
			*out = xasprintf("%lld", n);
			return 0;
		}
	}
	return copy_fail(c, "%s.%s holds a value that is no whole number,"
	    " which the target's column needs", t->name, col);
}

/*
 * INSERT the rows buffered in vals (rows of t->ncols values), with ins
 * made for exactly that many rows, and free them.
 */
static int
flush_rows(struct copy *c, const struct copy_table *t,
    struct store_db_stmt *ins, char **vals, size_t rows)
{
	size_t i, n = rows * t->ncols;
	int rc;

	for (i = 0; i < n; i++) {
		int k = (int)i + 1;

		if (vals[i] == NULL)
			store_db_bind_null(ins, k);
		else if (t->cols[i % t->ncols].is_int)
			store_db_bind_int64(ins, k, strtoll(vals[i], NULL, 10));
		else
			store_db_bind_text(ins, k, vals[i]);
	}
	rc = store_db_step(ins);
	store_db_reset(ins);
	for (i = 0; i < n; i++) {
		free(vals[i]);
		vals[i] = NULL;
	}
	return rc == STORE_DB_DONE ? 0 : db_fail(c, c->dst, t->name);
}

/* INSERT for rows rows of t, prepared on the target; NULL after saying
 * why. */
static struct store_db_stmt *
insert_stmt(struct copy *c, const struct copy_table *t, size_t rows)
{
	char *sql = insert_sql(t, rows);
	struct store_db_stmt *s = store_db_prepare(&c->dst->db, sql);

	free(sql);
	if (s == NULL)
		db_fail(c, c->dst, t->name);
	return s;
}

/* The rows of t, source to target; *rows = how many were read. */
static int
copy_rows(struct copy *c, const struct copy_table *t, int64_t *rows)
{
	char *sql = xasprintf("SELECT * FROM \"%s\"", t->name);
	struct store_db_stmt *from = store_db_prepare(&c->src->db, sql);
	struct store_db_stmt *batch = NULL, *rest = NULL;
	char **vals = xcalloc(COPY_BATCH * t->ncols, sizeof(*vals));
	size_t inrow = 0, i;
	int rc, ret = -1;

	free(sql);
	*rows = 0;
	if (from == NULL) {
		db_fail(c, c->src, t->name);
		goto out;
	}
	while ((rc = store_db_step(from)) == STORE_DB_ROW) {
		for (i = 0; i < t->ncols; i++)
			if (value_text(c, t, from->sq, (int)i,
			    &vals[inrow * t->ncols + i]) == -1)
				goto out;
		(*rows)++;
		if (++inrow < COPY_BATCH)
			continue;
		if ((batch == NULL &&
		    (batch = insert_stmt(c, t, COPY_BATCH)) == NULL) ||
		    flush_rows(c, t, batch, vals, COPY_BATCH) == -1)
			goto out;
		inrow = 0;
	}
	if (rc != STORE_DB_DONE) {
		db_fail(c, c->src, t->name);
		goto out;
	}
	if (inrow > 0 && ((rest = insert_stmt(c, t, inrow)) == NULL ||
	    flush_rows(c, t, rest, vals, inrow) == -1))
		goto out;
	ret = 0;
out:
	for (i = 0; i < COPY_BATCH * t->ncols; i++)
		free(vals[i]);
	free(vals);
	store_db_finalize(from);
	store_db_finalize(batch);
	store_db_finalize(rest);
	return ret;
}

/* The target's identity sequence of t past the ids copied (or back at
 * its start for a table with none). */
static int
move_identity(struct copy *c, const struct copy_table *t)
{
	char *sql;
	struct store_db_stmt *s;
	int rc;

	if (t->identity == NULL)
		return 0;
	sql = xasprintf("SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'),"
	    " COALESCE(max(\"%s\"), 1), max(\"%s\") IS NOT NULL) FROM \"%s\"",
	    t->name, t->identity, t->identity, t->identity, t->name);
	s = store_db_prepare(&c->dst->db, sql);
	free(sql);
	if (s == NULL)
		return db_fail(c, c->dst, t->name);
	rc = store_db_step(s);
	store_db_finalize(s);
	return rc == STORE_DB_ROW ? 0 : db_fail(c, c->dst, t->name);
}

/*
 * Both ends open, the source's snapshot taken and its tables planned: no
 * other writer on the target's tables until the commit, and none of them
 * with data.
 */
static int
target_ready(struct copy *c)
{
	size_t i;
	int r;

	for (i = 0; i < c->ntables; i++) {
		char *sql = xasprintf("LOCK TABLE \"%s\" IN EXCLUSIVE MODE",
		    c->tables[i].name);

		r = store_db_exec(&c->dst->db, sql);
		free(sql);
		if (r == -1)
			return copy_fail(c, "the target is in use (%s): stop"
			    " what writes to it first%s",
			    store_db_errmsg(&c->dst->db), "");
	}
	for (i = 0; i < c->ntables; i++) {
		if ((r = target_has_rows(c, &c->tables[i])) == -1)
			return -1;
		if (r == 1)
			return copy_fail(c, "the target is not empty: table %s"
			    " has rows; migrate-store only fills a new"
			    " database%s", c->tables[i].name, "");
	}
	return store_db_exec(&c->dst->db, "DELETE FROM meta") == -1 ?
	    db_fail(c, c->dst, "meta") : 0;
}

static int
copy_all(struct copy *c,
    void (*progress)(void *arg, const char *table, int64_t rows), void *arg,
    struct store_copy_count **counts, size_t *n)
{
	size_t i;

	if (store_db_exec(&c->src->db, "BEGIN") == -1)
		return db_fail(c, c->src, "beginning the source's read");
	if (source_tables(c) == -1)
		return -1;
	if (store_db_exec(&c->dst->db, "BEGIN") == -1)
		return db_fail(c, c->dst, "beginning the target's transaction");
	for (i = 0; i < c->ntables; i++)
		if (plan_table(c, &c->tables[i]) == -1)
			return -1;
	if (target_ready(c) == -1)
		return -1;
	*counts = xcalloc(c->ntables, sizeof(**counts));
	for (i = 0; i < c->ntables; i++) {
		const struct copy_table *t = &c->tables[i];
		struct store_copy_count *k = &(*counts)[i];
		int64_t read = 0;

		k->table = xstrdup(t->name);
		(*n)++;
		if (count_rows(c, c->src, t->name, &k->source) == -1 ||
		    copy_rows(c, t, &read) == -1 ||
		    move_identity(c, t) == -1 ||
		    count_rows(c, c->dst, t->name, &k->target) == -1)
			return -1;
		if (read != k->source || k->target != k->source) {
			char got[64];

			snprintf(got, sizeof(got), "%lld read, %lld on the"
			    " source, %lld on the target", (long long)read,
			    (long long)k->source, (long long)k->target);
			return copy_fail(c, "table %s: %s; nothing copied",
			    t->name, got);
		}
		log_info("store", "op=copy table=%s rows=%lld", t->name,
		    (long long)k->target);
		if (progress != NULL)
			progress(arg, t->name, k->target);
	}
	if (store_db_exec(&c->dst->db, "COMMIT") == -1)
		return db_fail(c, c->dst, "committing the copy");
	return 0;
}

int
store_copy(const char *from, const char *to,
    void (*progress)(void *arg, const char *table, int64_t rows), void *arg,
    struct store_copy_count **counts, size_t *n, char *err, size_t errlen)
{
	struct store_options ro = { .read_only = 1,
	    .busy_timeout_ms = COPY_BUSY_MS };
	struct copy c = { .err = err, .errlen = errlen };
	char e[512] = "";
	int rc = -1;

	*counts = NULL;
	*n = 0;
	if (errlen > 0)
		err[0] = '\0';
	if (store_path_is_server(from))
		return copy_fail(&c, "the source must be an SQLite database%s"
		    " (sqlite:PATH)%s", "", "");
	if (!store_path_is_server(to))
		return copy_fail(&c, "the target must be a PostgreSQL"
		    " database (postgresql://...)%s%s", "", "");
	if ((c.src = store_open(from, &ro, e, sizeof(e))) == NULL) {
		copy_fail(&c, "the source: %s%s", e, "");
		goto out;
	}
	if ((c.dst = store_open(to, NULL, e, sizeof(e))) == NULL) {
		copy_fail(&c, "the target: %s%s", e, "");
		goto out;
	}
	rc = copy_all(&c, progress, arg, counts, n);
out:
	if (rc == -1) {
		store_copy_counts_free(*counts, *n);
		*counts = NULL;
		*n = 0;
	}
	/* Closing rolls back what is still open: the target's work after
	 * a failure, the source's read in every case. */
	if (c.dst != NULL && store_db_in_transaction(&c.dst->db))
		store_db_exec(&c.dst->db, "ROLLBACK");
	if (c.src != NULL && store_db_in_transaction(&c.src->db))
		store_db_exec(&c.src->db, "ROLLBACK");
	store_close(c.dst);
	store_close(c.src);
	tables_free(c.tables, c.ntables);
	return rc;
}
