/*
 * Tests for the store: schema, migration from versions 1 and 7 and the guard
 * against newer files, inbound dedupe, transactions, contacts, the
 * stakeholder directory, meta, export filters, the writability check and
 * the outbox lifecycle.  Each test gets a fresh database in a
 * temporary directory that is removed afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "plan_check.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

struct fixture {
	char		 dir[64];
	char		*path;
	struct store	*st;
	struct temp_db	 pg;	/* with SAMPARK_TEST_PG: the database */
};

/* A test that is about SQLite's file (its header, WAL, old versions)
 * has no meaning on PostgreSQL. */
#define SQLITE_ONLY() do { if (temp_db_pg()) skip(); } while (0)

/* Run sql on the PostgreSQL database at uri, through a connection of the
 * test's own; the first column of its first row, or 0. */
static int64_t
pg_query(const char *uri, const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;
	int64_t v = 0;

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s: %s", uri, PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return v;
}

static struct store *
open_ok(const char *path)
{
	struct store_options opt = { .busy_timeout_ms = 0 };
	char err[256] = "";
	struct store *st = store_open(path, &opt, err, sizeof(err));

	if (st == NULL)
		fail_msg("store_open %s: %s", path, err);
	return st;
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (temp_db_pg()) {
		temp_db_make(&f->pg, "store");
		f->path = xstrdup(f->pg.path);
		f->st = open_ok(f->path);
		*state = f;
		return 0;
	}
	snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX",
	    tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	f->path = xasprintf("%s/sampark.db", f->dir);
	f->st = open_ok(f->path);
	*state = f;
	return 0;
}

static void
unlink_db(const char *path)
{
	char *p;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	plan_check_no_growing_scans(f->st);
	store_close(f->st);
	if (temp_db_pg()) {
		temp_db_remove(&f->pg);
		free(f->path);
		free(f);
		return 0;
	}
	unlink_db(f->path);
	rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static void
reopen(struct fixture *f)
{
	store_close(f->st);
	f->st = open_ok(f->path);
}

static struct interaction
inbound(int64_t t, const char *msg_id, const char *text)
{
	struct interaction r;

	memset(&r, 0, sizeof(r));
	r.time_ms = t;
	r.channel = "sms";
	r.direction = "in";
	r.provider = "twilio";
	r.provider_msg_id = msg_id;
	r.phone = "+919876543210";
	r.text = text;
	r.latency_ms = -1;
	r.status = "received";
	return r;
}

static struct interaction
outbound(int64_t t, int64_t reply_to, const char *text)
{
	struct interaction r = inbound(t, NULL, text);

	r.direction = "out";
	r.reply_to = reply_to;
	r.encoding = "GSM-7";
	r.segments = 1;
	r.latency_ms = 12;
	r.status = "replied";
	return r;
}

/* What the daemon logs of its store: never a password. */
static void
test_path_for_log(void **state)
{
	static const char *const cases[][2] = {
		{ "/var/lib/sampark/sampark.db", "/var/lib/sampark/sampark.db" },
		{ "postgresql://sampark:Bh@d0hi-2026@db1.internal/sampark",
		  "postgresql://sampark:***@db1.internal/sampark" },
		{ "postgres://sampark:s3cret@db1,db2/sampark?sslmode=require",
		  "postgres://sampark:***@db1,db2/sampark?sslmode=require" },
		{ "postgresql://db.internal/sampark?user=sampark&password=s3"
		  "cret&sslmode=require", "postgresql://db.internal/sampark?"
		  "user=sampark&password=***&sslmode=require" },
		{ "postgresql:///sampark?host=/run/pg&oldpassword=x&password=y",
		  "postgresql:///sampark?host=/run/pg&oldpassword=x&password=***" },
		{ "postgresql://sampark@db.internal/sampark",
		  "postgresql://sampark@db.internal/sampark" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		got = store_path_for_log(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

static void
test_open_creates_schema(void **state)
{
	struct fixture *f = *state;
	char *v = NULL;
	int64_t n = -1;

	assert_true(store_schema_version() >= 3);
	assert_string_equal(store_errmsg(f->st), "");
	assert_int_equal(store_stakeholders_count(f->st, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_meta_set(f->st, "pseudonym_key", "abc"), 0);
	reopen(f);
	assert_int_equal(store_meta_get(f->st, "pseudonym_key", &v), 1);
	assert_string_equal(v, "abc");
	free(v);
	store_close(NULL);
}

/*
 * Forge a database from the future: user_version is the big-endian 32-bit
 * word at offset 60 of the SQLite file header.  The store was closed
 * cleanly, so the WAL is checkpointed and the main file is authoritative.
 */
static void
test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	unsigned char v[4] = { 0, 0, 999 >> 8, 999 & 0xff };
	char err[256] = "", want[128];
	struct store *st;
	FILE *fp;

	snprintf(want, sizeof(want), "database schema version 999 is newer "
	    "than this sampark (%d); upgrade sampark", store_schema_version());
	store_close(f->st);
	f->st = NULL;
	if (temp_db_pg())
		pg_query(f->path, "UPDATE sampark_schema SET version = 999");
	else {
		assert_non_null(fp = fopen(f->path, "r+b"));
		assert_int_equal(fseek(fp, 60, SEEK_SET), 0);
		assert_int_equal(fwrite(v, 1, sizeof(v), fp), sizeof(v));
		assert_int_equal(fclose(fp), 0);
	}
	st = store_open(f->path, NULL, err, sizeof(err));
	assert_null(st);
	assert_non_null(strstr(err, want));
	/* Refused, not damaged: still refused the second time. */
	assert_null(store_open(f->path, NULL, err, sizeof(err)));
}

static void
test_inbound_dedupe(void **state)
{
	struct fixture *f = *state;
	struct interaction a = inbound(1000, "SM1", "INFO");
	struct interaction b = inbound(2000, "SM1", "INFO again");
	struct interaction c = inbound(3000, "SM2", "HELP");
	struct interaction d = inbound(4000, NULL, "no id");
	struct interaction e = inbound(5000, NULL, "no id");
	int64_t id = 0;

	assert_int_equal(store_inbound_find(f->st, "twilio", "SM1", &id), 0);
	assert_int_equal(store_interaction_insert(f->st, &a), 1);
	assert_true(a.id > 0);
	assert_int_equal(store_interaction_insert(f->st, &b), 0);
	assert_int_equal(b.id, a.id);
	assert_int_equal(store_inbound_find(f->st, "twilio", "SM1", &id), 1);
	assert_int_equal(id, a.id);
	/* Same id from another provider is another message. */
	c.provider_msg_id = "SM1";
	c.provider = "exotel";
	assert_int_equal(store_interaction_insert(f->st, &c), 1);
	assert_int_not_equal(c.id, a.id);
	/* Without a provider id nothing is deduplicated. */
	assert_int_equal(store_interaction_insert(f->st, &d), 1);
	assert_int_equal(store_interaction_insert(f->st, &e), 1);
	assert_int_not_equal(d.id, e.id);

	reopen(f);
	b.id = 0;
	assert_int_equal(store_interaction_insert(f->st, &b), 0);
	assert_int_equal(b.id, a.id);
	/* And inside an outer transaction, as the daemon groups webhooks. */
	assert_int_equal(store_begin(f->st), 0);
	b.id = 0;
	assert_int_equal(store_interaction_insert(f->st, &b), 0);
	assert_int_equal(b.id, a.id);
	c = inbound(6000, "SM3", "x");
	assert_int_equal(store_interaction_insert(f->st, &c), 1);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_inbound_find(f->st, "twilio", "SM3", &id), 1);
	assert_int_equal(id, c.id);
}

static void
test_replies(void **state)
{
	struct fixture *f = *state;
	struct interaction in = inbound(1000, "SM9", "INFO loan");
	struct interaction o1, o2, other;
	char **texts = NULL;
	size_t n = 99;

	assert_int_equal(store_interaction_insert(f->st, &in), 1);
	assert_int_equal(store_replies_for(f->st, in.id, &texts, &n), 0);
	assert_int_equal(n, 0);
	store_strings_free(texts, n);
	o1 = outbound(1010, in.id, "first part");
	o2 = outbound(1005, in.id, "second part");
	other = outbound(1020, 0, "broadcast");
	assert_int_equal(store_interaction_insert(f->st, &o1), 1);
	assert_int_equal(store_interaction_insert(f->st, &other), 1);
	assert_int_equal(store_interaction_insert(f->st, &o2), 1);
	assert_int_equal(store_replies_for(f->st, in.id, &texts, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(texts[0], "first part");
	assert_string_equal(texts[1], "second part");
	store_strings_free(texts, n);
	store_strings_free(NULL, 0);
}

static void
test_transactions(void **state)
{
	struct fixture *f = *state;
	struct interaction a = inbound(1000, "T1", "x");
	struct interaction b = inbound(1000, "T2", "y");
	int64_t id;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_interaction_insert(f->st, &a), 1);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(store_inbound_find(f->st, "twilio", "T1", &id), 0);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_interaction_insert(f->st, &b), 1);
	/* Nested BEGIN is an error, reported and not fatal. */
	assert_int_equal(store_begin(f->st), -1);
	assert_string_not_equal(store_errmsg(f->st), "");
	assert_int_equal(store_commit(f->st), 0);
	reopen(f);
	assert_int_equal(store_inbound_find(f->st, "twilio", "T2", &id), 1);
	assert_int_equal(id, b.id);
	assert_int_equal(store_commit(f->st), -1);	/* none open */
}

static void
test_contacts(void **state)
{
	struct fixture *f = *state;
	struct contact c, got;

	assert_int_equal(store_contact_get(f->st, "+911111111111", &got), 0);
	assert_null(got.phone);
	records_contact_clear(&got);

	memset(&c, 0, sizeof(c));
	c.phone = "+911111111111";
	c.first_seen_ms = 100;
	c.last_seen_ms = 200;
	assert_int_equal(store_contact_put(f->st, &c), 0);
	assert_int_equal(store_contact_get(f->st, c.phone, &got), 1);
	assert_string_equal(got.phone, c.phone);
	assert_null(got.name);
	assert_null(got.language);
	assert_null(got.district);
	assert_string_equal(got.role, "entrepreneur");	/* the default */
	assert_null(got.pending_keyword);
	assert_null(got.more_text);
	assert_int_equal(got.opted_out_ms, 0);
	assert_int_equal(got.first_seen_ms, 100);
	assert_int_equal(got.last_seen_ms, 200);
	records_contact_clear(&got);
	assert_null(got.role);

	c.name = "सीता देवी";
	c.language = "hi";
	c.district = "bhadohi";
	c.role = "coordinator";
	c.pending_keyword = "info";
	c.pending_until_ms = 5000;
	c.more_text = "page two";
	c.more_until_ms = 6000;
	c.opted_out_ms = 7000;
	c.last_seen_ms = 300;
	assert_int_equal(store_contact_put(f->st, &c), 0);
	assert_int_equal(store_contact_get(f->st, c.phone, &got), 1);
	assert_string_equal(got.name, "सीता देवी");
	assert_string_equal(got.language, "hi");
	assert_string_equal(got.district, "bhadohi");
	assert_string_equal(got.role, "coordinator");
	assert_string_equal(got.pending_keyword, "info");
	assert_int_equal(got.pending_until_ms, 5000);
	assert_string_equal(got.more_text, "page two");
	assert_int_equal(got.more_until_ms, 6000);
	assert_int_equal(got.opted_out_ms, 7000);
	assert_int_equal(got.last_seen_ms, 300);
	records_contact_clear(&got);

	/* Fields set back to NULL are cleared in the database. */
	c.pending_keyword = NULL;
	c.more_text = NULL;
	assert_int_equal(store_contact_put(f->st, &c), 0);
	assert_int_equal(store_contact_get(f->st, c.phone, &got), 1);
	assert_null(got.pending_keyword);
	assert_null(got.more_text);
	assert_string_equal(got.name, "सीता देवी");
	records_contact_clear(&got);
	records_contact_clear(NULL);
}

static const struct stakeholder directory[] = {
	{ "Bank of Baroda", "loan", "bhadohi", "+915414000000", "hi|en",
	    "Mudra loans", "मुद्रा ऋण", 0 },
	{ "NABARD", "loan", "*", NULL, NULL, "Rural credit", NULL, 0 },
	{ "RSETI Mirzapur", "training", "mirzapur", NULL, "hi", NULL, NULL,
	    0 },
	{ "SIDBI", "loan", "mirzapur", NULL, NULL, NULL, NULL, 0 },
	{ "Carpet Export Council", "market", "bhadohi", NULL, NULL, NULL,
	    NULL, 0 },
};

static void
test_stakeholders(void **state)
{
	struct fixture *f = *state;
	struct stakeholder *rows = NULL, bad[2];
	size_t n = 0;
	int64_t count = 0;

	assert_int_equal(store_stakeholders_replace(f->st, directory,
	    SP_ARRAY_LEN(directory), "config/stakeholders.csv"), 0);
	assert_int_equal(store_stakeholders_count(f->st, &count), 0);
	assert_int_equal(count, 5);

	assert_int_equal(store_stakeholders_find(f->st, "loan", "bhadohi",
	    &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "Bank of Baroda");
	assert_string_equal(rows[0].description_hi, "मुद्रा ऋण");
	assert_string_equal(rows[0].languages, "hi|en");
	assert_string_equal(rows[1].name, "NABARD");
	assert_string_equal(rows[1].district, "*");
	assert_null(rows[1].phone);
	records_stakeholders_free(rows, n);

	assert_int_equal(store_stakeholders_find(f->st, "loan", "mirzapur",
	    &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "NABARD");
	assert_string_equal(rows[1].name, "SIDBI");
	records_stakeholders_free(rows, n);

	assert_int_equal(store_stakeholders_find(f->st, "training",
	    "samastipur", &rows, &n), 0);
	assert_int_equal(n, 0);
	records_stakeholders_free(rows, n);

	/* A bad row fails the whole replace; the old directory stays. */
	bad[0] = directory[2];
	memset(&bad[1], 0, sizeof(bad[1]));
	bad[1].category = "loan";
	bad[1].district = "bhadohi";
	assert_int_equal(store_stakeholders_replace(f->st, bad, 2, "bad.csv"),
	    -1);
	assert_string_not_equal(store_errmsg(f->st), "");
	assert_int_equal(store_stakeholders_count(f->st, &count), 0);
	assert_int_equal(count, 5);

	/* Also inside an outer transaction, which survives the failure. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_stakeholders_replace(f->st, bad, 2, "bad.csv"),
	    -1);
	assert_int_equal(store_stakeholders_replace(f->st, directory, 2,
	    "small.csv"), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_stakeholders_count(f->st, &count), 0);
	assert_int_equal(count, 2);

	assert_int_equal(store_stakeholders_replace(f->st, NULL, 0, "empty"),
	    0);
	assert_int_equal(store_stakeholders_count(f->st, &count), 0);
	assert_int_equal(count, 0);
	records_stakeholders_free(NULL, 0);
}

static void
test_meta(void **state)
{
	struct fixture *f = *state;
	char *v = (char *)"untouched";

	assert_int_equal(store_meta_get(f->st, "missing", &v), 0);
	assert_null(v);
	assert_int_equal(store_meta_set(f->st, "k", "one"), 0);
	assert_int_equal(store_meta_set(f->st, "k", "two"), 0);
	assert_int_equal(store_meta_get(f->st, "k", &v), 1);
	assert_string_equal(v, "two");
	free(v);
}

/* A new database has its export pseudonym key from the start, and keeps
 * it: exports only read it. */
static void
test_pseudonym_key_with_database(void **state)
{
	struct fixture *f = *state;
	char *v = NULL, *again = NULL;

	assert_int_equal(store_meta_get(f->st, "pseudonym_key", &v), 1);
	assert_int_equal(strlen(v), 64);
	assert_int_equal(strspn(v, "0123456789abcdef"), 64);
	reopen(f);
	assert_int_equal(store_meta_get(f->st, "pseudonym_key", &again), 1);
	assert_string_equal(v, again);
	free(v);
	free(again);
}

/* A database without one (made by an older sampark) gets one at the next
 * open for writing; an open for reading adds nothing. */
static void
test_pseudonym_key_added_to_old_database(void **state)
{
	struct fixture *f = *state;
	struct store_options ro = { .read_only = 1 };
	char err[256] = "", *v = NULL;
	sqlite3 *db;

	store_close(f->st);
	f->st = NULL;
	if (temp_db_pg())
		pg_query(f->path, "DELETE FROM meta WHERE key ="
		    " 'pseudonym_key'");
	else {
		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "DELETE FROM meta WHERE key"
		    " = 'pseudonym_key'", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	f->st = store_open(f->path, &ro, err, sizeof(err));
	assert_non_null(f->st);
	assert_int_equal(store_meta_get(f->st, "pseudonym_key", &v), 0);
	store_close(f->st);
	f->st = open_ok(f->path);
	assert_int_equal(store_meta_get(f->st, "pseudonym_key", &v), 1);
	assert_int_equal(strlen(v), 64);
	free(v);
}

/* Read-only: nothing is created or written, and a file of another schema
 * version is refused rather than migrated. */
static void
test_read_only_open(void **state)
{
	struct fixture *f = *state;
	struct store_options ro = { .read_only = 1 };
	char err[256] = "", *missing, *v = NULL;
	struct store *r;

	missing = xasprintf("%s/none.db", f->dir);
	assert_null(store_open(missing, &ro, err, sizeof(err)));
	assert_int_equal(access(missing, F_OK), -1);
	free(missing);

	assert_int_equal(store_meta_set(f->st, "k", "v"), 0);
	r = store_open(f->path, &ro, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(store_meta_get(r, "k", &v), 1);
	assert_string_equal(v, "v");
	free(v);
	assert_int_equal(store_meta_set(r, "k", "changed"), -1);
	store_close(r);
	assert_int_equal(store_meta_get(f->st, "k", &v), 1);
	assert_string_equal(v, "v");
	free(v);
}

struct collect {
	int	 n;
	int	 stop_after;
	int64_t	 times[16];
	char	 texts[16][32];
};

static int
collect_cb(void *arg, const struct interaction *row)
{
	struct collect *c = arg;

	if (c->stop_after > 0 && c->n == c->stop_after)
		return -1;
	if (c->n < 16) {
		c->times[c->n] = row->time_ms;
		util_strlcpy(c->texts[c->n], row->text != NULL ? row->text : "",
		    sizeof(c->texts[c->n]));
	}
	c->n++;
	return 0;
}

static void
test_export(void **state)
{
	struct fixture *f = *state;
	struct interaction r;
	struct store_filter flt;
	struct collect c;
	static const struct {
		int64_t		 t;
		const char	*channel, *district, *text;
	} rows[] = {
		{ 3000, "sms", "bhadohi", "c" },
		{ 1000, "sms", "mirzapur", "a" },
		{ 2000, "voice", "bhadohi", "b" },
		{ 4000, "missed_call", NULL, "d" },
		{ 5000, "sms", "bhadohi", "e" },
	};
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(rows); i++) {
		r = inbound(rows[i].t, NULL, rows[i].text);
		r.channel = rows[i].channel;
		r.district = rows[i].district;
		assert_int_equal(store_interaction_insert(f->st, &r), 1);
	}

	memset(&c, 0, sizeof(c));
	assert_int_equal(store_export(f->st, NULL, collect_cb, &c), 0);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.texts[0], "a");		/* oldest first */
	assert_string_equal(c.texts[4], "e");

	memset(&flt, 0, sizeof(flt));
	flt.since_ms = 2000;
	flt.until_ms = 5000;				/* exclusive */
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_export(f->st, &flt, collect_cb, &c), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.times[0], 2000);
	assert_int_equal(c.times[2], 4000);

	memset(&flt, 0, sizeof(flt));
	flt.channel = "sms";
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_export(f->st, &flt, collect_cb, &c), 0);
	assert_int_equal(c.n, 3);

	flt.district = "bhadohi";
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_export(f->st, &flt, collect_cb, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.texts[0], "c");
	assert_string_equal(c.texts[1], "e");

	flt.channel = NULL;
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_export(f->st, &flt, collect_cb, &c), 0);
	assert_int_equal(c.n, 3);

	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	assert_int_equal(store_export(f->st, NULL, collect_cb, &c), -1);
	assert_int_equal(c.n, 2);
	/* The statement was reset: the next export starts afresh. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_export(f->st, NULL, collect_cb, &c), 0);
	assert_int_equal(c.n, 5);
}

static void
test_check_writable(void **state)
{
	struct fixture *f = *state;
	struct store_options opt = { .synchronous_full = 1,
	    .busy_timeout_ms = 50 };
	char err[256] = "", *v = NULL;
	struct store *other;

	assert_int_equal(store_check_writable(f->st), 0);
	assert_int_equal(store_meta_get(f->st, "heartbeat", &v), 1);
	assert_true(strtoll(v, NULL, 10) > 0);
	free(v);

	/* While another writer holds the lock past busy_timeout: -1. */
	other = store_open(f->path, &opt, err, sizeof(err));
	assert_non_null(other);
	assert_int_equal(store_begin(f->st), 0);
	/* PostgreSQL locks rows, not the database: hold the heartbeat's. */
	if (temp_db_pg())
		assert_int_equal(store_check_writable(f->st), 0);
	assert_int_equal(store_check_writable(other), -1);
	assert_string_not_equal(store_errmsg(other), "");
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(store_check_writable(other), 0);
	store_close(other);
}

static void
test_readonly_file(void **state)
{
	struct fixture *f = *state;

	/*
	 * root ignores file modes, so the chmod below would prove nothing;
	 * the -1 path is still covered by the locked case above.  Run this
	 * binary as an ordinary user to exercise it.
	 */
	if (geteuid() == 0)
		skip();
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(chmod(f->path, 0444), 0);
	f->st = open_ok(f->path);
	assert_int_equal(store_check_writable(f->st), -1);
	assert_string_not_equal(store_errmsg(f->st), "");
}

/* The user_version word of a closed database's file header. */
static int
file_user_version(const char *path)
{
	unsigned char v[4];
	FILE *fp;

	assert_non_null(fp = fopen(path, "rb"));
	assert_int_equal(fseek(fp, 60, SEEK_SET), 0);
	assert_int_equal(fread(v, 1, sizeof(v), fp), sizeof(v));
	fclose(fp);
	return v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
}

static void
copy_file(const char *from, const char *to)
{
	char b[4096];
	FILE *in, *out;
	size_t n;

	assert_non_null(in = fopen(from, "rb"));
	assert_non_null(out = fopen(to, "wb"));
	while ((n = fread(b, 1, sizeof(b), in)) > 0)
		assert_int_equal(fwrite(b, 1, n, out), n);
	assert_false(ferror(in));
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static struct outbox_msg
queued(const char *provider, int64_t created, const char *body)
{
	struct outbox_msg m;

	memset(&m, 0, sizeof(m));
	m.provider = (char *)provider;
	m.to = (char *)"+919876500001";
	m.body = (char *)body;
	m.encoding = (char *)"GSM-7";
	m.segments = 1;
	m.created_ms = created;
	return m;
}

/* add, then check the id came back */
static int64_t
add_ok(struct store *st, struct outbox_msg m)
{
	assert_int_equal(store_outbox_add(st, &m), 0);
	assert_true(m.id > 0);
	return m.id;
}

/* The state of message id, copied into a static buffer for asserts. */
static const char *
state_of(struct store *st, int64_t id)
{
	static char state[16];
	struct outbox_msg m;

	assert_int_equal(store_outbox_get(st, id, &m), 1);
	util_strlcpy(state, m.state, sizeof(state));
	records_outbox_msg_clear(&m);
	return state;
}

/*
 * tests/data/store/v1.db was written by the schema-1 store (before the
 * outbox): an inbound row, its reply, a contact and a meta key, then
 * vacuumed with a 512-byte page to stay small.
 */
static void
test_migrate_from_v1(void **state)
{
	SQLITE_ONLY();
	struct fixture *f = *state;
	struct contact c;
	char **texts = NULL, *v = NULL;
	size_t n = 0;
	int64_t id = 0;

	if (access("tests/data/store/v1.db", R_OK) != 0)
		fail_msg("tests/data/store/v1.db: run from the repo root");
	store_close(f->st);
	f->st = NULL;
	unlink_db(f->path);
	copy_file("tests/data/store/v1.db", f->path);
	assert_int_equal(file_user_version(f->path), 1);

	f->st = open_ok(f->path);
	assert_int_equal(store_inbound_find(f->st, "twilio", "SMv1", &id), 1);
	assert_int_equal(store_replies_for(f->st, id, &texts, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(texts[0], "Bank of Baroda: Mudra loans");
	store_strings_free(texts, n);
	assert_int_equal(store_contact_get(f->st, "+919876543210", &c), 1);
	assert_string_equal(c.district, "bhadohi");
	records_contact_clear(&c);
	assert_int_equal(store_meta_get(f->st, "pseudonym_key", &v), 1);
	assert_string_equal(v, "v1key");
	free(v);
	/* The new tables are there and the old dedupe still holds. */
	add_ok(f->st, queued("twilio", 1000, "hello"));
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(file_user_version(f->path), store_schema_version());
	f->st = open_ok(f->path);
	assert_string_equal(state_of(f->st, 1), "queued");
}

/* Column col of sql's first row, through a connection of the test's own. */
static int64_t
sql_int(const char *path, const char *sql, int col)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v;

	if (temp_db_pg() && col == 0)
		return pg_query(path, sql);

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, col);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* How many events message id has. */
static int
event_count(const char *path, int64_t id)
{
	char *sql = xasprintf("SELECT count(*) FROM outbox_events"
	    " WHERE outbox_id = %lld", (long long)id);
	int n = (int)sql_int(path, sql, 0);

	free(sql);
	return n;
}

/* Does SQLite compile sql on db to a program with opcode op? */
static int
program_has(sqlite3 *db, const char *sql, const char *op)
{
	sqlite3_stmt *s;
	char *explain = xasprintf("EXPLAIN %s", sql);
	int found = 0;

	assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(s, 1), op) == 0)
			found = 1;
	}
	sqlite3_finalize(s);
	free(explain);
	return found;
}

/*
 * tests/data/store/v7.db was written by the schema-7 store: one message
 * queued, one sent with its claim and result events and its attempt.
 * Step 8 rebuilds the outbox; rows, ids, events and the state rule stay.
 */
static void
test_migrate_from_v7(void **state)
{
	SQLITE_ONLY();
	struct fixture *f = *state;
	struct outbox_msg m;
	sqlite3 *db;

	if (access("tests/data/store/v7.db", R_OK) != 0)
		fail_msg("tests/data/store/v7.db: run from the repo root");
	store_close(f->st);
	f->st = NULL;
	unlink_db(f->path);
	copy_file("tests/data/store/v7.db", f->path);
	assert_int_equal(file_user_version(f->path), 7);

	f->st = open_ok(f->path);
	assert_int_equal(store_outbox_get(f->st, 1, &m), 1);
	assert_string_equal(m.state, "queued");
	assert_string_equal(m.body, "v7 queued");
	records_outbox_msg_clear(&m);
	assert_int_equal(store_outbox_get(f->st, 2, &m), 1);
	assert_string_equal(m.state, "sent");
	assert_string_equal(m.provider_id, "SMv7sent");
	assert_int_equal(m.attempts, 1);
	records_outbox_msg_clear(&m);
	/* A delivery report still finds it by the provider's id. */
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMv7sent",
	    "delivered", 1795750231000, NULL, NULL), 1);
	assert_string_equal(state_of(f->st, 2), "delivered");
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(file_user_version(f->path), store_schema_version());

	assert_int_equal(event_count(f->path, 2), 4);	/* + "delivered" */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	/* The rule holds, and checking it builds no temporary table. */
	assert_int_equal(sqlite3_exec(db, "UPDATE outbox SET state = 'lost'"
	    " WHERE id = 1", NULL, NULL, NULL), SQLITE_CONSTRAINT);
	assert_false(program_has(db, "UPDATE outbox SET state = 'sent'"
	    " WHERE id = 1", "OpenEphemeral"));
	sqlite3_close(db);
}

/* A broadcast row in state "creating", as broadcast_create writes it first. */
static int64_t
creating_broadcast(struct store *st)
{
	struct store_broadcast b;

	memset(&b, 0, sizeof(b));
	b.audience = (char *)"district:bhadohi";
	b.template_key = (char *)"notice";
	b.category = (char *)"service";
	b.provider = (char *)"twilio";
	b.created_ms = 1000;
	b.send_at_ms = 1000;
	assert_int_equal(store_broadcast_add(st, &b), 0);
	return b.id;
}

/* A message of broadcast bid due at due_ms, written as broadcast_create
 * writes them: straight "queued". */
static int64_t
member_ok(struct store *st, int64_t bid, int64_t due_ms, const char *body)
{
	struct outbox_msg m = queued("twilio", 1000, body);

	m.broadcast_id = bid;
	m.next_attempt_ms = due_ms;
	return add_ok(st, m);
}

/* Claim everything due at now_ms; returns how many, ids into got[]. */
static size_t
claim_ids(struct store *st, int64_t now_ms, int64_t *got, size_t max)
{
	struct outbox_msg *msgs = NULL;
	size_t n = 0, i;

	assert_int_equal(store_outbox_claim(st, "twilio", now_ms, max, &msgs,
	    &n), 0);
	for (i = 0; i < n; i++)
		got[i] = msgs[i].id;
	records_outbox_msgs_free(msgs, n);
	return n;
}

/*
 * A broadcast's messages are written "queued" while the broadcast is
 * "creating", and none is claimed (nor reported due) until the one-row
 * update that ends its creation; then all are claimable at once.  Other
 * messages go meanwhile, before and after its send time.  A creation
 * left "creating" is cancelled at start-up with its messages, and its
 * creator can then no longer finish it.
 */
static void
test_broadcast_creating_not_claimed(void **state)
{
	struct fixture *f = *state;
	struct store_broadcast b;
	struct store *crashed;
	int64_t bid, bid2, h1, h2, later, h3, early, reply, got[10], nb,
	    stopped, due;

	bid = creating_broadcast(f->st);		/* sends at 1000 */
	h1 = member_ok(f->st, bid, 1000, "h1");
	h2 = member_ok(f->st, bid, 1000, "h2");
	/* Pushed to a later day by her daily cap. */
	later = member_ok(f->st, bid, 4000, "h-later");
	early = add_ok(f->st, queued("twilio", 900, "queued before it"));
	reply = add_ok(f->st, queued("twilio", 1200, "a reply meanwhile"));
	assert_string_equal(state_of(f->st, h1), "queued");
	assert_int_equal(store_outbox_next_due(f->st, "twilio", &due), 1);
	assert_int_equal(due, 900);
	assert_int_equal(claim_ids(f->st, 5000, got, 10), 2);
	assert_int_equal(got[0], early);
	assert_int_equal(got[1], reply);
	/* Nothing of the broadcast is due while it is being created. */
	assert_int_equal(store_outbox_next_due(f->st, "twilio", &due), 0);
	assert_int_equal(claim_ids(f->st, 5000, got, 10), 0);

	assert_int_equal(store_broadcast_finish(f->st, bid, "queued", 3, 3, 0),
	    1);
	assert_int_equal(store_outbox_next_due(f->st, "twilio", &due), 1);
	assert_int_equal(due, 1000);
	assert_int_equal(claim_ids(f->st, 5000, got, 10), 3);
	assert_int_equal(got[0], h1);
	assert_int_equal(got[1], h2);
	assert_int_equal(got[2], later);
	assert_int_equal(event_count(f->path, h2), 2);	/* queued, sending */

	/* Interrupted: left "creating" by a daemon that died (its
	 * connection gone with it), then the daemon starts. */
	crashed = open_ok(f->path);
	bid2 = creating_broadcast(crashed);
	h3 = member_ok(crashed, bid2, 1000, "h3");
	store_close(crashed);
	assert_int_equal(claim_ids(f->st, 9000, got, 10), 0);
	assert_int_equal(store_broadcasts_abandon_creating(f->st, 6000, &nb,
	    &stopped), 0);
	assert_int_equal(nb, 1);
	assert_int_equal(stopped, 1);
	assert_string_equal(state_of(f->st, h3), "failed");
	assert_int_equal(store_broadcast_get(f->st, bid2, &b), 1);
	assert_string_equal(b.state, "cancelled");
	store_broadcast_clear(&b);
	assert_int_equal(store_broadcast_get(f->st, bid, &b), 1);
	assert_string_equal(b.state, "queued");		/* untouched */
	store_broadcast_clear(&b);
	/* Its creator, if still running, cannot finish it any more. */
	assert_int_equal(store_broadcast_finish(f->st, bid2, "queued", 1, 1,
	    0), 0);
	assert_int_equal(claim_ids(f->st, 9000, got, 10), 0);
}

/* Wrong codes count against her pending notices; the third cancels. */
static void
test_notice_wrong_tries(void **state)
{
	struct fixture *f = *state;
	struct store_notice nt, got;

	assert_int_equal(store_notice_wrong_try(f->st, "+919800000009", 1000,
	    3), 0);				/* nothing pending */
	memset(&nt, 0, sizeof(nt));
	nt.phone = (char *)"+919800000009";
	nt.code = (char *)"123456";
	nt.district = (char *)"bhadohi";
	nt.text = (char *)"meeting";
	nt.created_ms = 1000;
	nt.expires_ms = 1000 + 15 * 60000;
	assert_int_equal(store_notice_add(f->st, &nt), 1);
	assert_int_equal(store_notice_wrong_try(f->st, nt.phone, 2000, 3), 1);
	assert_int_equal(store_notice_wrong_try(f->st, nt.phone, 3000, 3), 1);
	assert_int_equal(store_notice_find(f->st, nt.phone, "123456", 3500,
	    &got), 1);
	store_notice_clear(&got);
	assert_int_equal(store_notice_wrong_try(f->st, nt.phone, 4000, 3), 2);
	assert_int_equal(store_notice_find(f->st, nt.phone, "123456", 4500,
	    &got), 0);
	assert_int_equal(store_notice_wrong_try(f->st, nt.phone, 5000, 3), 0);
}

/*
 * A result recorded inside the sender's transaction (no savepoint of its
 * own) lands with its event when the transaction commits, and not at all
 * when it rolls back.
 */
static void
test_finish_in_transaction(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg *msgs = NULL;
	int64_t a, b;
	size_t n = 0;

	a = add_ok(f->st, queued("twilio", 1000, "a"));
	b = add_ok(f->st, queued("twilio", 1001, "b"));
	assert_int_equal(store_outbox_claim(f->st, "twilio", 2000, 2, &msgs,
	    &n), 0);
	assert_int_equal(n, 2);
	records_outbox_msgs_free(msgs, n);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_finish(f->st, a, "sent", 2100, 0, "SMa",
	    NULL, NULL, NULL), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_string_equal(state_of(f->st, a), "sending");
	assert_int_equal(event_count(f->path, a), 2);	/* queued, sending */

	assert_int_equal(store_defer_begin(f->st), 0);
	assert_int_equal(store_outbox_finish(f->st, a, "sent", 2200, 0, "SMa",
	    NULL, NULL, NULL), 0);
	assert_int_equal(store_outbox_finish(f->st, b, "failed", 2200, 0, NULL,
	    "21211", "invalid To", "bad_number"), 0);
	assert_int_equal(store_defer_commit(f->st), 0);
	assert_string_equal(state_of(f->st, a), "sent");
	assert_string_equal(state_of(f->st, b), "failed");
	assert_int_equal(event_count(f->path, a), 3);
	assert_int_equal(event_count(f->path, b), 3);
}

static void
test_outbox_lifecycle(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg *msgs = NULL, m, x;
	struct store_outbox_attempt at;
	int64_t a, b, c, d, e, g, h, when = 0;
	size_t n = 99;

	a = add_ok(f->st, queued("twilio", 1000, "a"));
	b = add_ok(f->st, queued("twilio", 2000, "b"));
	x = queued("twilio", 1500, "c");
	x.next_attempt_ms = 5000;
	c = add_ok(f->st, x);
	d = add_ok(f->st, queued("plivo", 500, "d"));
	g = add_ok(f->st, queued("twilio", 2000, "g"));	/* ties with b */
	e = add_ok(f->st, queued("twilio", 2500, "e"));
	/* Queued last, yet due first. */
	h = add_ok(f->st, queued("twilio", 100, "h"));

	assert_int_equal(store_outbox_next_due(f->st, "twilio", &when), 1);
	assert_int_equal(when, 100);
	assert_int_equal(store_outbox_claim(f->st, "twilio", 3000, 0, &msgs,
	    &n), 0);
	assert_int_equal(n, 0);
	assert_null(msgs);

	/* Due, of that provider, oldest first (queue order on ties), max. */
	assert_int_equal(store_outbox_claim(f->st, "twilio", 3000, 3, &msgs,
	    &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(msgs[0].id, h);
	assert_int_equal(msgs[1].id, a);
	assert_int_equal(msgs[2].id, b);
	assert_string_equal(msgs[1].state, "sending");
	assert_int_equal(msgs[1].attempts, 1);
	assert_int_equal(msgs[1].updated_ms, 3000);
	assert_string_equal(msgs[1].body, "a");
	assert_string_equal(msgs[1].from, "");
	assert_string_equal(msgs[2].to, "+919876500001");
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_outbox_claim(f->st, "twilio", 3000, 10, &msgs,
	    &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(msgs[0].id, g);
	assert_int_equal(msgs[1].id, e);
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_outbox_claim(f->st, "twilio", 3000, 10, &msgs,
	    &n), 0);
	assert_int_equal(n, 0);				/* c is not due */
	records_outbox_msgs_free(msgs, n);
	assert_string_equal(state_of(f->st, c), "queued");
	assert_string_equal(state_of(f->st, d), "queued");
	assert_int_equal(store_outbox_claim(f->st, "plivo", 3000, 10, &msgs,
	    &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(msgs[0].id, d);
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_outbox_next_due(f->st, "plivo", &when), 0);

	/* Accepted, then delivery reports; states never go back. */
	memset(&at, 0, sizeof(at));
	at.outbox_id = a;
	at.time_ms = 3010;
	at.attempt = 1;
	at.http_status = 201;
	at.latency_ms = 10;
	assert_int_equal(store_outbox_attempt_add(f->st, &at), 0);
	assert_int_equal(store_outbox_finish(f->st, a, "sent", 3010, 0, "SMa",
	    NULL, NULL, NULL), 0);
	assert_int_equal(store_outbox_get(f->st, a, &m), 1);
	assert_string_equal(m.state, "sent");
	assert_string_equal(m.provider_id, "SMa");
	assert_int_equal(m.attempts, 1);
	assert_int_equal(m.updated_ms, 3010);
	assert_int_equal(m.next_attempt_ms, 1000);
	records_outbox_msg_clear(&m);
	assert_null(m.state);
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMa",
	    "delivered", 4000, NULL, NULL), 1);
	assert_string_equal(state_of(f->st, a), "delivered");
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMa", "sent",
	    4100, NULL, NULL), 2);
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMa",
	    "delivered", 4200, NULL, NULL), 2);
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMa",
	    "undelivered", 4300, "30003", "unreachable"), 2);
	assert_int_equal(store_outbox_get(f->st, a, &m), 1);
	assert_string_equal(m.state, "delivered");
	assert_int_equal(m.updated_ms, 4000);
	assert_null(m.error_code);
	records_outbox_msg_clear(&m);
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMnone",
	    "delivered", 4400, NULL, NULL), 0);
	assert_int_equal(store_outbox_report(f->st, "plivo", "SMa",
	    "delivered", 4400, NULL, NULL), 0);
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMa",
	    "bogus", 4400, NULL, NULL), -1);
	assert_string_not_equal(store_errmsg(f->st), "");
	/* A report that the message failed is stored with its reason. */
	assert_int_equal(store_outbox_finish(f->st, e, "sent", 3020, 0, "SMe",
	    NULL, NULL, NULL), 0);
	assert_int_equal(store_outbox_report(f->st, "twilio", "SMe",
	    "undelivered", 4500, "30003", "handset unreachable"), 1);
	assert_int_equal(store_outbox_get(f->st, e, &m), 1);
	assert_string_equal(m.state, "undelivered");
	assert_string_equal(m.error_code, "30003");
	assert_string_equal(m.reason, "handset unreachable");
	records_outbox_msg_clear(&m);

	/* finish applies to "sending" only: a delivered message stays. */
	assert_int_equal(store_outbox_finish(f->st, a, "failed", 5000, 0, NULL,
	    "x", "late", NULL), 0);
	assert_string_equal(state_of(f->st, a), "delivered");
	assert_int_equal(store_outbox_finish(f->st, 99999, "sent", 5000, 0,
	    "SMz", NULL, NULL, NULL), 0);
	assert_int_equal(store_outbox_finish(f->st, b, "sending", 5000, 0,
	    NULL, NULL, NULL, NULL), -1);
	assert_int_equal(store_outbox_finish(f->st, b, "bogus", 5000, 0,
	    NULL, NULL, NULL, NULL), -1);
	assert_string_equal(state_of(f->st, b), "sending");

	/* A retry: not claimable before its time, which next_due tells. */
	assert_int_equal(store_outbox_finish(f->st, b, "queued", 3030, 9000,
	    NULL, "20429", "Too Many Requests", "throttled"), 0);
	assert_int_equal(store_outbox_get(f->st, b, &m), 1);
	assert_string_equal(m.state, "queued");
	assert_int_equal(m.next_attempt_ms, 9000);
	assert_string_equal(m.error_code, "20429");
	assert_string_equal(m.error, "Too Many Requests");
	assert_string_equal(m.reason, "throttled");
	assert_null(m.provider_id);
	records_outbox_msg_clear(&m);
	assert_int_equal(store_outbox_claim(f->st, "twilio", 5000, 10, &msgs,
	    &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(msgs[0].id, c);
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_outbox_claim(f->st, "twilio", 8999, 10, &msgs,
	    &n), 0);
	assert_int_equal(n, 0);
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_outbox_next_due(f->st, "twilio", &when), 1);
	assert_int_equal(when, 9000);
	assert_int_equal(store_outbox_claim(f->st, "twilio", 9000, 10, &msgs,
	    &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(msgs[0].id, b);
	assert_int_equal(msgs[0].attempts, 2);
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_outbox_next_due(f->st, "twilio", &when), 0);

	/* Giving up; the error is kept, the old one cleared. */
	assert_int_equal(store_outbox_finish(f->st, b, "failed", 9010, 0,
	    NULL, "21211", "Invalid 'To' Phone Number", NULL), 0);
	assert_int_equal(store_outbox_get(f->st, b, &m), 1);
	assert_string_equal(m.state, "failed");
	assert_string_equal(m.error_code, "21211");
	assert_null(m.reason);
	records_outbox_msg_clear(&m);

	/* An attempt on no message is refused (foreign key). */
	at.outbox_id = 99999;
	assert_int_equal(store_outbox_attempt_add(f->st, &at), -1);
	assert_int_equal(store_outbox_get(f->st, 99999, &m), 0);
	assert_null(m.state);
	records_outbox_msg_clear(&m);
	records_outbox_msg_clear(NULL);
	records_outbox_msgs_free(NULL, 0);
}

static void
test_outbox_requeue(void **state)
{
	/* PostgreSQL's daemons requeue only expired leases instead
	 * (test_outbox_requeue_expired_lease). */
	SQLITE_ONLY();
	struct fixture *f = *state;
	struct outbox_msg *msgs = NULL, m;
	int64_t a, b, c, n64 = -1;
	size_t n = 0;
	int64_t restart = 7000;

	a = add_ok(f->st, queued("twilio", 1000, "a"));
	b = add_ok(f->st, queued("twilio", 1001, "b"));
	c = add_ok(f->st, queued("twilio", 1002, "c"));

	/* Inside an outer transaction that rolls back, nothing is claimed. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_outbox_claim(f->st, "twilio", 2000, 2, &msgs,
	    &n), 0);
	assert_int_equal(n, 2);
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_rollback(f->st), 0);
	assert_string_equal(state_of(f->st, a), "queued");

	assert_int_equal(store_outbox_claim(f->st, "twilio", 2000, 2, &msgs,
	    &n), 0);
	assert_int_equal(n, 2);
	records_outbox_msgs_free(msgs, n);
	/* A crash, a restart: the "sending" two go back to the queue. */
	reopen(f);
	assert_int_equal(store_outbox_requeue_sending(f->st, restart, &n64), 0);
	assert_int_equal(n64, 2);
	assert_int_equal(store_outbox_get(f->st, b, &m), 1);
	assert_string_equal(m.state, "queued");
	assert_int_equal(m.next_attempt_ms, restart);
	assert_int_equal(m.updated_ms, restart);
	assert_int_equal(m.attempts, 1);	/* it may have gone out */
	records_outbox_msg_clear(&m);
	assert_string_equal(state_of(f->st, c), "queued");
	assert_int_equal(store_outbox_requeue_sending(f->st, restart + 100, &n64), 0);
	assert_int_equal(n64, 0);
	/* c was never claimed, so it is due first; then a and b. */
	assert_int_equal(store_outbox_claim(f->st, "twilio", restart, 10,
	    &msgs, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(msgs[0].id, c);
	assert_int_equal(msgs[0].attempts, 1);
	assert_int_equal(msgs[1].id, a);
	assert_int_equal(msgs[1].attempts, 2);
	assert_int_equal(msgs[2].id, b);
	records_outbox_msgs_free(msgs, n);
}

/* How many events of message id say detail. */
static int
events_saying(const char *path, int64_t id, const char *detail)
{
	char *sql = xasprintf("SELECT count(*) FROM outbox_events"
	    " WHERE outbox_id = %lld AND detail = '%s'", (long long)id,
	    detail);
	int n = (int)sql_int(path, sql, 0);

	free(sql);
	return n;
}

/*
 * The shared send rate: 10 messages a second is one every 100 ms,
 * whichever of two daemons (two stores on one database) asks, and time
 * left unused is not saved up beyond the burst.
 */
static void
test_rate_shared_between_daemons(void **state)
{
	struct fixture *f = *state;
	struct store *other = open_ok(f->path);
	size_t got = 99;
	int64_t wait = -1, t = 5000000;

	assert_int_equal(store_rate_shared(f->st), temp_db_pg());
	assert_int_equal(store_rate_take(f->st, "exotel", t, 10, 1, 5, &got,
	    &wait), 0);
	assert_int_equal(got, 1);
	assert_int_equal(store_rate_take(other, "exotel", t, 10, 1, 5, &got,
	    &wait), 0);
	assert_int_equal(got, 0);
	assert_int_equal(wait, 100000);
	/* Another provider has a rate of its own. */
	assert_int_equal(store_rate_take(other, "twilio", t, 10, 1, 5, &got,
	    &wait), 0);
	assert_int_equal(got, 1);
	assert_int_equal(store_rate_take(other, "exotel", t + 99999, 10, 1, 5,
	    &got, &wait), 0);
	assert_int_equal(got, 0);
	assert_int_equal(wait, 1);
	assert_int_equal(store_rate_take(other, "exotel", t + 100000, 10, 1,
	    5, &got, &wait), 0);
	assert_int_equal(got, 1);
	/* A quiet minute does not buy a burst of 600. */
	t += 60 * 1000000;
	assert_int_equal(store_rate_take(f->st, "exotel", t, 10, 1, 600,
	    &got, &wait), 0);
	assert_int_equal(got, 1);
	t += 10 * 1000000;
	assert_int_equal(store_rate_take(f->st, "exotel", t, 10, 3, 600,
	    &got, &wait), 0);
	assert_int_equal(got, 3);
	/* Two of three unused (the claim found one message): given back,
	 * the other daemon can have them. */
	assert_int_equal(store_rate_return(f->st, "exotel", 10, 2), 0);
	assert_int_equal(store_rate_take(other, "exotel", t, 10, 3, 5, &got,
	    &wait), 0);
	assert_int_equal(got, 2);
	assert_int_equal(store_rate_take(other, "exotel", t, 10, 3, 5, &got,
	    &wait), 0);
	assert_int_equal(got, 0);
	assert_int_equal(wait, 100000);
	store_close(other);
}

/* A second daemon's batch: lock the senders, then read her contact. */
struct lock_try {
	struct store	*st;
	const char	*phones[2];
	size_t		 n;
	int		 rc, found;
	struct contact	 seen;
	atomic_int	 done;
};

static void *
lock_then_read(void *arg)
{
	struct lock_try *t = arg;

	t->rc = store_begin(t->st);
	if (t->rc == 0)
		t->rc = store_senders_lock(t->st, t->phones, t->n);
	if (t->rc == 0)
		t->found = store_contact_get(t->st, t->phones[0], &t->seen);
	atomic_store(&t->done, 1);
	store_commit(t->st);
	return NULL;
}

/* Has t finished within ms? */
static int
finishes_within(struct lock_try *t, int ms)
{
	for (; ms > 0 && !atomic_load(&t->done); ms -= 10)
		poll(NULL, 0, 10);
	return atomic_load(&t->done);
}

/*
 * Two messages of one woman at two daemons: the second's batch waits
 * for the first's commit, then reads her contact as the first left it.
 * Another woman's batch does not wait; the order the phones are given
 * in does not matter (the lock's order is the store's own).
 */
static void
test_sender_lock_waits_for_commit(void **state)
{
	struct fixture *f = *state;
	struct lock_try t;
	struct contact c;
	pthread_t th;
	const char *mine[2] = { "+919876500001", "+919876500002" };

	assert_int_equal(store_shared(f->st), temp_db_pg());
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_senders_lock(f->st, mine, 2), 0);
	if (!temp_db_pg()) {
		/* One writer at a time already: nothing to take. */
		assert_int_equal(store_commit(f->st), 0);
		skip();
	}
	memset(&c, 0, sizeof(c));
	c.phone = (char *)mine[0];
	c.pending_keyword = (char *)"loan";
	c.pending_until_ms = 99000;
	assert_int_equal(store_contact_put(f->st, &c), 0);

	memset(&t, 0, sizeof(t));
	t.st = open_ok(f->path);
	t.phones[0] = mine[0];
	t.phones[1] = "+919876500003";
	t.n = 2;
	assert_int_equal(pthread_create(&th, NULL, lock_then_read, &t), 0);
	assert_false(finishes_within(&t, 300));
	assert_int_equal(store_commit(f->st), 0);
	assert_true(finishes_within(&t, 5000));
	pthread_join(th, NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.found, 1);
	assert_string_equal(t.seen.pending_keyword, "loan");
	records_contact_clear(&t.seen);

	/* Someone else's message goes straight through. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_senders_lock(f->st, mine, 2), 0);
	atomic_store(&t.done, 0);
	t.phones[0] = "+919876500004";
	t.phones[1] = "+919876500003";
	assert_int_equal(pthread_create(&th, NULL, lock_then_read, &t), 0);
	assert_true(finishes_within(&t, 5000));
	pthread_join(th, NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.found, 0);
	assert_int_equal(store_commit(f->st), 0);

	/* Both of mine, given the other way round: waits all the same. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_senders_lock(f->st, mine, 2), 0);
	atomic_store(&t.done, 0);
	t.phones[0] = mine[1];
	t.phones[1] = mine[0];
	assert_int_equal(pthread_create(&th, NULL, lock_then_read, &t), 0);
	assert_false(finishes_within(&t, 300));
	assert_int_equal(store_rollback(f->st), 0);
	assert_true(finishes_within(&t, 5000));
	pthread_join(th, NULL);
	assert_int_equal(t.rc, 0);
	records_contact_clear(&t.seen);
	store_close(t.st);
}

/* A sender's abuse counters, kept for every daemon: none, then as put,
 * then replaced. */
static void
test_sender_limits_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store_sender_limits l, got;
	struct store *other = open_ok(f->path);

	assert_int_equal(store_sender_limits_get(f->st, "+919876500001",
	    &got), 0);
	assert_int_equal(got.tat_ms, 0);
	memset(&l, 0, sizeof(l));
	l.tat_ms = 1767225600000LL + 540000;
	l.repeat_since_ms = 1767225600000LL;
	l.last_reply_ms = 1767225600123LL;
	l.muted_until_ms = 1767226200000LL;
	l.muted_why = 2;
	l.last_text = -6917529027641081856LL;	/* a hash's top bit */
	l.repeats = 3;
	l.fast = 1;
	l.logged = 4;
	l.day = 20454;
	l.replies_today = 7;
	assert_int_equal(store_sender_limits_put(f->st, "+919876500001", &l,
	    5), 0);
	assert_int_equal(store_sender_limits_get(other, "+919876500001",
	    &got), 1);
	assert_memory_equal(&l, &got, sizeof(l));
	l.replies_today = 8;
	assert_int_equal(store_sender_limits_put(other, "+919876500001", &l,
	    6), 0);
	assert_int_equal(store_sender_limits_get(f->st, "+919876500001",
	    &got), 1);
	assert_int_equal(got.replies_today, 8);
	assert_int_equal(store_sender_limits_get(f->st, "+919876500002",
	    &got), 0);
	store_close(other);
}

/*
 * A webhook batch's writes go through store_pipeline(): on PostgreSQL
 * they are sent without waiting.  A read later in the transaction sees
 * them and the commit keeps them; a write that fails fails the
 * transaction whole (its COMMIT, and on PostgreSQL already the next
 * statement that waits), taking the writes before it along.
 */
static void
test_pipeline_batch(void **state)
{
	struct fixture *f = *state;
	struct store *other = open_ok(f->path);
	struct interaction in = inbound(2000, "SMp1", "loan");
	struct interaction out = outbound(2001, 0, "Bhadohi loan help");
	struct contact c, got, bad;
	char **texts = NULL;
	size_t n = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	c.phone = "+919876511111";
	c.language = "hi";
	c.district = "bhadohi";
	c.first_seen_ms = c.last_seen_ms = 2000;
	assert_int_equal(store_begin(f->st), 0);
	store_pipeline(f->st);
	assert_int_equal(store_contact_put(f->st, &c), 0);
	assert_int_equal(store_interest_add(f->st, c.phone, "loan", 2000), 0);
	assert_int_equal(store_contact_get(f->st, c.phone, &got), 1);
	assert_string_equal(got.district, "bhadohi");
	records_contact_clear(&got);
	assert_int_equal(store_interaction_insert(f->st, &in), 1);
	out.reply_to = in.id;
	assert_int_equal(store_interaction_log(f->st, &out), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_interest_has(other, c.phone, "loan"), 1);
	assert_int_equal(store_replies_for(other, in.id, &texts, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(texts[0], "Bhadohi loan help");
	store_strings_free(texts, n);

	/* Only a reply is logged without its id. */
	assert_int_equal(store_interaction_log(f->st, &in), -1);

	memset(&bad, 0, sizeof(bad));
	bad.phone = NULL;	/* the key: refused by both databases */
	assert_int_equal(store_begin(f->st), 0);
	store_pipeline(f->st);
	assert_int_equal(store_interest_add(f->st, "+919876522222", "training",
	    2100), 0);
	rc = store_contact_put(f->st, &bad);
	if (rc == 0) {
		/* Sent, not answered: the next wait reports it. */
		assert_int_equal(temp_db_pg(), 1);
		assert_int_equal(store_interest_has(f->st, c.phone, "loan"), -1);
		assert_int_equal(store_commit(f->st), -1);
	} else
		assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(store_interest_has(other, "+919876522222",
	    "training"), 0);
	/* Again, with the COMMIT the first statement to wait. */
	assert_int_equal(store_begin(f->st), 0);
	store_pipeline(f->st);
	assert_int_equal(store_interest_add(f->st, "+919876522222", "skills",
	    2150), 0);
	if (store_contact_put(f->st, &bad) == 0)
		assert_int_equal(store_commit(f->st), -1);
	else
		assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(store_interest_has(other, "+919876522222", "skills"),
	    0);
	/* The connection is usable again, outside any transaction. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_interest_add(f->st, "+919876522222", "market",
	    2200), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_interest_has(other, "+919876522222", "market"),
	    1);
	store_close(other);
}

/*
 * The shared counters are pruned: a sender quiet for two days goes,
 * unless a mute still holds her; a recent one stays; so do the budget's
 * hours but those two days gone.
 */
static void
test_shared_prune(void **state)
{
	struct fixture *f = *state;
	struct store_sender_limits l, got;
	struct store_budget b;
	int64_t now = 1767225600000LL, n = -1;

	memset(&l, 0, sizeof(l));
	l.replies_today = 2;
	assert_int_equal(store_sender_limits_put(f->st, "+919876540001", &l,
	    now - STORE_SHARED_KEEP_MS - 1), 0);
	assert_int_equal(store_sender_limits_put(f->st, "+919876540002", &l,
	    now - 3600 * 1000), 0);
	l.muted_until_ms = now + 600 * 1000;
	assert_int_equal(store_sender_limits_put(f->st, "+919876540003", &l,
	    now - STORE_SHARED_KEEP_MS - 1), 0);
	assert_int_equal(store_budget_take(f->st, now - STORE_SHARED_KEEP_MS -
	    3600 * 1000, 5, 1, &b), 0);
	assert_int_equal(store_budget_take(f->st, now, 5, 1, &b), 0);
	assert_int_equal(store_shared_prune(f->st, now, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_sender_limits_get(f->st, "+919876540001", &got),
	    0);
	assert_int_equal(store_sender_limits_get(f->st, "+919876540002", &got),
	    1);
	assert_int_equal(store_sender_limits_get(f->st, "+919876540003", &got),
	    1);
	/* The current hour's budget is still counted. */
	assert_int_equal(store_budget_take(f->st, now, 5, 9, &b), 0);
	assert_int_equal(b.used, 5);
	assert_int_equal(b.granted, 4);
	assert_int_equal(store_shared_prune(f->st, now, &n), 0);
	assert_int_equal(n, 0);
}

/*
 * The hourly budget, for two daemons together: what one took the other
 * cannot, what was given back it can, and the next clock hour starts
 * afresh.
 */
static void
test_budget_shared_between_daemons(void **state)
{
	struct fixture *f = *state;
	struct store *other = open_ok(f->path);
	struct store_budget b;
	int64_t t = 1767225600000LL + 1000;	/* an hour's start, + 1 s */

	assert_int_equal(store_budget_take(f->st, t, 5, 3, &b), 0);
	assert_int_equal(b.granted, 3);
	assert_int_equal(b.used, 3);
	assert_int_equal(b.hour, t / 3600000);
	assert_int_equal(store_budget_take(other, t + 1, 5, 4, &b), 0);
	assert_int_equal(b.granted, 2);
	assert_int_equal(b.used, 5);
	assert_int_equal(store_budget_take(other, t + 2, 5, 1, &b), 0);
	assert_int_equal(b.granted, 0);
	assert_int_equal(b.used, 5);
	assert_int_equal(b.wait_ms, 3600000 - 1002);
	/* Two of the first three not sent: the other may have them. */
	assert_int_equal(store_budget_return(f->st, b.hour, 2), 0);
	assert_int_equal(store_budget_take(other, t + 3, 5, 9, &b), 0);
	assert_int_equal(b.granted, 2);
	/* A new hour. */
	assert_int_equal(store_budget_take(f->st, t + 3600000, 5, 9, &b), 0);
	assert_int_equal(b.granted, 5);
	assert_int_equal(b.hour, t / 3600000 + 1);
	/* PostgreSQL's own clock: some hour, with a wait within it. */
	if (temp_db_pg()) {
		assert_int_equal(store_budget_take(f->st, 0, 5, 1, &b), 0);
		assert_true(b.wait_ms >= 1 && b.wait_ms <= 3600000);
		assert_true(b.hour > t / 3600000);
	}
	assert_int_equal(store_budget_take(f->st, t, 0, 1, &b), -1);
	store_close(other);
}

/*
 * A daemon that died mid-send left its claims "sending": they go back
 * to the queue once their lease has run out, and not a moment before
 * (a live daemon may still be sending them).
 */
static void
test_outbox_requeue_expired_lease(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg *msgs = NULL;
	int64_t a, n64 = -1, lease = 60000;
	size_t n = 0;

	a = add_ok(f->st, queued("twilio", 1000, "Mela kal hai"));
	assert_int_equal(store_outbox_claim(f->st, "twilio", 2000, 5, &msgs,
	    &n), 0);
	assert_int_equal(n, 1);
	records_outbox_msgs_free(msgs, n);
	assert_int_equal(store_outbox_requeue_expired(f->st, 2000 + lease - 1,
	    lease, &n64), 0);
	assert_int_equal(n64, 0);
	assert_string_equal(state_of(f->st, a), "sending");
	assert_int_equal(store_outbox_requeue_expired(f->st, 2000 + lease,
	    lease, &n64), 0);
	assert_int_equal(n64, 1);
	assert_string_equal(state_of(f->st, a), "queued");
	assert_int_equal(events_saying(f->path, a,
	    "requeued: lease expired"), 1);
}

/*
 * A broadcast being created by a live daemon is left alone by another's
 * sweep, and by the creator's own; once its creator is gone (its
 * connection closed, as when the daemon is killed) the sweep cancels it.
 * On SQLite (one daemon, the sweep at its start) any is cancelled.
 */
static void
test_abandon_spares_live_creation(void **state)
{
	struct fixture *f = *state;
	struct store *creator = open_ok(f->path);
	int64_t bid, h, nb = -1, stopped = -1;
	int i;

	bid = creating_broadcast(creator);
	h = member_ok(creator, bid, 1000, "Kal kaleen mela, Bhadohi");
	if (temp_db_pg()) {
		assert_int_equal(store_broadcasts_abandon_creating(f->st, 6000,
		    &nb, &stopped), 0);
		assert_int_equal(nb, 0);
		assert_int_equal(store_broadcasts_abandon_creating(creator,
		    6000, &nb, &stopped), 0);
		assert_int_equal(nb, 0);
		assert_string_equal(state_of(f->st, h), "queued");
	}
	store_close(creator);
	/* The server lets go of the creator's lock when its backend has
	 * exited, a moment after the client closed (longer under load). */
	for (i = 0; i < 1000; i++) {
		assert_int_equal(store_broadcasts_abandon_creating(f->st, 7000,
		    &nb, &stopped), 0);
		if (nb != 0 || !temp_db_pg())
			break;
		usleep(10 * 1000);
	}
	assert_int_equal(nb, 1);
	assert_int_equal(stopped, 1);
	assert_string_equal(state_of(f->st, h), "failed");
	/* A creation that finished leaves nothing for a sweep. */
	bid = creating_broadcast(f->st);
	assert_int_equal(store_broadcast_finish(f->st, bid, "queued", 0, 0, 0),
	    1);
	assert_int_equal(store_broadcasts_abandon_creating(f->st, 8000, &nb,
	    &stopped), 0);
	assert_int_equal(nb, 0);
}

struct ob_seen {
	int	 n;
	int	 stop_after;
	int64_t	 ids[8];
	int64_t	 counts[8];		/* by state_index() */
};

static int
ob_list_cb(void *arg, const struct outbox_msg *m)
{
	struct ob_seen *s = arg;

	if (s->stop_after > 0 && s->n == s->stop_after)
		return -1;
	if (s->n < 8)
		s->ids[s->n] = m->id;
	s->n++;
	return 0;
}

static int
state_index(const char *state)
{
	static const char *const names[] = { "queued", "sending", "sent",
	    "delivered", "undelivered", "failed", "expired" };
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(names); i++)
		if (strcmp(state, names[i]) == 0)
			return (int)i;
	fail_msg("unexpected state %s", state);
	return -1;
}

static void
ob_count_cb(void *arg, const char *state, int64_t n)
{
	struct ob_seen *s = arg;

	s->counts[state_index(state)] += n;
	s->n++;
}

static void
test_outbox_list_counts(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg *msgs = NULL, m, x;
	struct ob_seen seen;
	int64_t id[4];
	size_t n = 0, i;

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_outbox_counts(f->st, ob_count_cb, &seen), 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(store_outbox_list(f->st, NULL, 0, ob_list_cb, &seen),
	    0);
	assert_int_equal(seen.n, 0);

	for (i = 0; i < 4; i++)
		id[i] = add_ok(f->st, queued("twilio", 1000 + (int64_t)i, "hi"));
	x = queued("exotel", 0, "नमस्ते, आपका स्वागत है");
	x.from = (char *)"SAMPRK";
	x.encoding = (char *)"UCS-2";
	x.segments = 2;
	x.reply_to = 42;
	x.broadcast_id = 7;
	assert_int_equal(store_outbox_add(f->st, &x), 0);
	assert_true(x.created_ms > 0);			/* 0 means now */
	assert_int_equal(x.next_attempt_ms, x.created_ms);
	assert_int_equal(store_outbox_get(f->st, x.id, &m), 1);
	assert_string_equal(m.provider, "exotel");
	assert_string_equal(m.from, "SAMPRK");
	assert_string_equal(m.body, "नमस्ते, आपका स्वागत है");
	assert_string_equal(m.encoding, "UCS-2");
	assert_int_equal(m.segments, 2);
	assert_int_equal(m.reply_to, 42);
	assert_int_equal(m.broadcast_id, 7);
	assert_int_equal(m.attempts, 0);
	assert_int_equal(m.created_ms, x.created_ms);
	assert_int_equal(m.updated_ms, x.created_ms);
	assert_null(m.provider_id);
	records_outbox_msg_clear(&m);

	assert_int_equal(store_outbox_claim(f->st, "twilio", 5000, 2, &msgs,
	    &n), 0);
	assert_int_equal(store_outbox_finish(f->st, msgs[0].id, "sent", 5001,
	    0, "SM0", NULL, NULL, NULL), 0);
	records_outbox_msgs_free(msgs, n);

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_outbox_counts(f->st, ob_count_cb, &seen), 0);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.counts[0], 3);		/* queued */
	assert_int_equal(seen.counts[1], 1);		/* sending */
	assert_int_equal(seen.counts[2], 1);		/* sent */

	/* Newest first, filtered, limited, stoppable. */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_outbox_list(f->st, NULL, 0, ob_list_cb, &seen),
	    0);
	assert_int_equal(seen.n, 5);
	assert_int_equal(seen.ids[0], x.id);
	assert_int_equal(seen.ids[4], id[0]);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_outbox_list(f->st, "queued", 2, ob_list_cb,
	    &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.ids[0], x.id);
	assert_int_equal(seen.ids[1], id[3]);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_outbox_list(f->st, "sent", 0, ob_list_cb,
	    &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.ids[0], id[0]);
	memset(&seen, 0, sizeof(seen));
	seen.stop_after = 1;
	assert_int_equal(store_outbox_list(f->st, NULL, 0, ob_list_cb, &seen),
	    -1);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_outbox_list(f->st, NULL, 0, ob_list_cb, &seen),
	    0);
	assert_int_equal(seen.n, 5);

	/* A message without a body is refused and nothing is queued. */
	x = queued("twilio", 1000, NULL);
	assert_int_equal(store_outbox_add(f->st, &x), -1);
	assert_int_equal(x.id, 0);
	assert_string_not_equal(store_errmsg(f->st), "");
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_outbox_list(f->st, NULL, 0, ob_list_cb, &seen),
	    0);
	assert_int_equal(seen.n, 5);
}

/* ---- the checkpointer ---- */

/* n inbound rows of about a kilobyte each, in one transaction. */
static void
write_rows(struct store *st, int first, int n)
{
	char id[32], text[1024];
	struct interaction r;
	int i;

	memset(text, 'k', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(store_begin(st), 0);
	for (i = first; i < first + n; i++) {
		snprintf(id, sizeof(id), "CK%d", i);
		r = inbound(1000 + i, id, text);
		assert_int_equal(store_interaction_insert(st, &r), 1);
	}
	assert_int_equal(store_commit(st), 0);
}

static off_t
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* Frames in the log (the checkpoint's second column). */
static int64_t
wal_frames(const char *path)
{
	return sql_int(path, "PRAGMA wal_checkpoint(PASSIVE)", 1);
}

/* The rows logged, after checking the whole file is sound. */
static int64_t
count_rows(struct fixture *f)
{
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM"
	    " pragma_integrity_check WHERE integrity_check <> 'ok'", 0), 0);
	return sql_int(f->path, "SELECT count(*) FROM interactions", 0);
}

static void
test_checkpointer_copies_beside_the_writer(void **state)
{
	SQLITE_ONLY();
	struct fixture *f = *state;
	struct pollfd pfd;
	char err[256] = "";
	off_t before;

	assert_int_equal(store_checkpointer_fd(f->st), -1);
	{
		/* Nothing to copy back for a database in memory. */
		struct store *mem = open_ok(":memory:");

		assert_int_equal(store_checkpointer_start(mem, 50, err,
		    sizeof(err)), -1);
		assert_non_null(strstr(err, "not a file"));
		assert_int_equal(store_checkpointer_fd(mem), -1);
		store_close(mem);
	}
	assert_int_equal(store_checkpointer_start(f->st, 50, err,
	    sizeof(err)), 0);
	assert_int_equal(store_checkpointer_start(f->st, 50, err,
	    sizeof(err)), -1);
	pfd.fd = store_checkpointer_fd(f->st);
	pfd.events = POLLIN;
	assert_true(pfd.fd >= 0);

	write_rows(f->st, 0, 10);		/* under the threshold */
	assert_int_equal(poll(&pfd, 1, 200), 0);
	before = file_size(f->path);
	write_rows(f->st, 10, 200);		/* far over it */
	/* The thread copied the log into the database: the file grew
	 * without the writer checkpointing. */
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_true(file_size(f->path) > before + 100 * 1024);
	store_checkpointer_finish(f->st);
	/* All of the log was copied, so the next commit starts it again
	 * from its beginning. */
	write_rows(f->st, 210, 1);
	assert_true(wal_frames(f->path) < 10);

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(count_rows(f), 211);
	f->st = open_ok(f->path);
}

static void
test_checkpointer_backstop(void **state)
{
	SQLITE_ONLY();
	struct fixture *f = *state;
	struct pollfd pfd;
	char err[256] = "", *wal = xasprintf("%s-wal", f->path);
	int i;

	assert_int_equal(store_checkpointer_start(f->st, 20, err,
	    sizeof(err)), 0);
	pfd.fd = store_checkpointer_fd(f->st);
	pfd.events = POLLIN;
	/* Nobody calls finish: after its first round (waited for, so that
	 * it cannot overlap the commits below) the thread is not asked
	 * again, and the commits themselves keep the log in bounds, about
	 * eight times the threshold.  Without any checkpoint it would hold
	 * every page written, several hundred. */
	write_rows(f->st, 0, 40);
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	for (i = 0; i < 140; i++)
		write_rows(f->st, 40 + i * 4, 4);
	/* The log file is as long as the log ever was. */
	assert_true(file_size(wal) < 32 + (8 * 20 + 20) * (4096 + 24));
	assert_true(wal_frames(f->path) < 8 * 20 + 20);
	free(wal);
	store_checkpointer_stop(f->st);
	assert_int_equal(store_checkpointer_fd(f->st), -1);
	store_checkpointer_stop(f->st);		/* again: a no-op */
	write_rows(f->st, 1000, 1);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(count_rows(f), 601);
	f->st = open_ok(f->path);
}

static int
count_funnel(void *arg, const struct store_funnel *fu)
{
	(void)fu;
	(*(int *)arg)++;
	return 0;
}

/*
 * A meeting's answers that cannot be read make the funnels fail: a busy
 * or broken database is no "nobody answered".  The rsvps table is
 * swapped for a view that fails as it is read (malformed JSON), as a
 * read error would.
 */
static void
test_report_funnels_rsvp_error(void **state)
{
	SQLITE_ONLY();
	struct fixture *f = *state;
	struct store_meeting m;
	struct store_broadcast b;
	struct store_filter flt;
	sqlite3 *db;
	int n = 0;

	memset(&m, 0, sizeof(m));
	m.title = (char *)"Silai mela, Gyanpur";
	m.place = (char *)"Gyanpur block office";
	m.time_ms = 1795750200000LL;
	assert_int_equal(store_meeting_add(f->st, &m, 1000), 0);
	memset(&b, 0, sizeof(b));
	b.audience = (char *)"district:bhadohi";
	b.template_key = (char *)"meeting";
	b.category = (char *)"service";
	b.provider = (char *)"twilio";
	b.created_ms = 1000;
	b.send_at_ms = 1000;
	b.meeting_id = m.id;
	assert_int_equal(store_broadcast_add(f->st, &b), 0);
	memset(&flt, 0, sizeof(flt));
	assert_int_equal(store_report_funnels(f->st, &flt, count_funnel, &n),
	    1);
	assert_int_equal(n, 1);

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE rsvps;"
	    " CREATE VIEW rsvps AS SELECT id AS meeting_id,"
	    " json_extract('{broken', '$.a') AS answer FROM meetings",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	n = 0;
	assert_int_equal(store_report_funnels(f->st, &flt, count_funnel, &n),
	    -1);
	assert_int_equal(n, 0);
	assert_non_null(strstr(store_errmsg(f->st), "JSON"));
}

/*
 * A provider retry that lands on another daemon: the message is stored
 * once (the unique index, not memory), the second daemon is told whose
 * row it is, and finds the replies the first one recorded, even when
 * other messages took the ids in between.
 */
static void
test_inbound_retry_on_another_instance(void **state)
{
	struct fixture *f = *state;
	struct store *other = open_ok(f->path);
	struct interaction first = inbound(1000, "SMretry1", "loan bhadohi");
	struct interaction retry = inbound(4000, "SMretry1", "loan bhadohi");
	struct interaction between = inbound(1500, "SMother", "silai");
	struct interaction r1, r2;
	char **texts = NULL, msg_id[32];
	size_t n = 0;
	int i;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_interaction_insert(f->st, &first), 1);
	/* SQLite has one writer at a time; on PostgreSQL a busy second
	 * daemon takes more ids meanwhile than the reply window holds. */
	for (i = 0; temp_db_pg() && i <= STORE_REPLY_WINDOW; i++) {
		snprintf(msg_id, sizeof(msg_id), "SMother%d", i);
		between.provider_msg_id = msg_id;
		assert_int_equal(store_interaction_insert(other, &between), 1);
	}
	r1 = outbound(1001, first.id, "Bhadohi: DIC Gyanpur, 05414-250123");
	r2 = outbound(1002, first.id, "Aur jaankari ke liye MORE bhejein");
	assert_int_equal(store_interaction_insert(f->st, &r1), 1);
	assert_int_equal(store_interaction_insert(f->st, &r2), 1);
	assert_int_equal(store_commit(f->st), 0);

	assert_int_equal(store_interaction_insert(other, &retry), 0);
	assert_int_equal(retry.id, first.id);
	assert_int_equal(store_replies_for(other, retry.id, &texts, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(texts[0], "Bhadohi: DIC Gyanpur, 05414-250123");
	assert_string_equal(texts[1], "Aur jaankari ke liye MORE bhejein");
	store_strings_free(texts, n);
	store_close(other);
}

/*
 * Another process (an import, another daemon) that changes the directory
 * changes the number store_data_version() gives, so that a daemon knows
 * to reload it; its own reads change nothing, and neither does another
 * connection's commit that leaves the directory alone (a broadcast
 * created by a background job commits a slice every few milliseconds).
 */
static void
test_data_version_sees_other_writer(void **state)
{
	struct fixture *f = *state;
	struct store *other = open_ok(f->path);
	int64_t before = 0, same = 0, after = 0;
	struct interaction in = inbound(3000, "SMdv1", "loan");

	assert_int_equal(store_data_version(f->st, &before), 0);
	assert_int_equal(store_data_version(f->st, &same), 0);
	assert_true(same == before);
	assert_int_equal(store_begin(other), 0);
	assert_int_equal(store_interaction_insert(other, &in), 1);
	assert_int_equal(store_interest_add(other, "+919876533333", "loan",
	    3000), 0);
	assert_int_equal(store_commit(other), 0);
	assert_int_equal(store_data_version(f->st, &same), 0);
	assert_true(same == before);
	assert_int_equal(store_stakeholders_replace(other, directory,
	    SP_ARRAY_LEN(directory), "import of stakeholders.csv"), 0);
	store_close(other);
	assert_int_equal(store_data_version(f->st, &after), 0);
	assert_true(after != before);
}

/*
 * Two daemons on one PostgreSQL database claim from one outbox: while
 * one holds its claim uncommitted, the other passes over those rows
 * (SKIP LOCKED) and takes the next ones, never the same message.
 */
static void
test_two_claimers_never_share(void **state)
{
	struct fixture *f = *state;
	struct store *other;
	int64_t a[8], b[8];
	size_t na, nb, i, j;

	if (!temp_db_pg())
		skip();	/* one SQLite writer at a time: nothing to share */
	for (i = 0; i < 8; i++)
		add_ok(f->st, queued("twilio", 1000 + (int64_t)i,
		    "Silai mela kal Gyanpur mein, 10 baje"));
	other = open_ok(f->path);
	assert_int_equal(store_begin(f->st), 0);
	na = claim_ids(f->st, 5000, a, 4);
	nb = claim_ids(other, 5000, b, 8);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(na, 4);
	assert_int_equal(nb, 4);
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			assert_true(a[i] != b[j]);
	store_close(other);
}

/* What only a file can do is refused on a server's store, saying what
 * to use instead: nothing claims a success it did not have. */
static void
test_server_store_refuses_file_work(void **state)
{
	struct fixture *f = *state;
	struct buf out;
	char err[256] = "";
	int64_t pages = 0;

	if (!temp_db_pg())
		skip();
	assert_int_equal(store_backup(f->st, "/tmp/never-written.db", &pages),
	    -1);
	assert_non_null(strstr(store_errmsg(f->st), "pg_dump"));
	assert_int_equal(access("/tmp/never-written.db", F_OK), -1);
	assert_int_equal(store_file_check(f->path, NULL, err, sizeof(err)),
	    -1);
	assert_int_equal(store_restore("/tmp/backup.db", f->path, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "pg_restore"));
	buf_init(&out, 0);
	assert_int_equal(store_plan_scans(f->st, &out), -1);
	buf_free(&out);
	assert_int_equal(store_checkpointer_start(f->st, 0, err, sizeof(err)),
	    0);
	assert_int_equal(store_checkpointer_fd(f->st), -1);
}

/* PostgreSQL: end the store's connection from the server's side, as a
 * restart or a failover does, and wait until it is gone. */
static void
drop_store_connection(struct fixture *f)
{
	/* Client backends only: an autovacuum worker may visit too. */
	char *kill = xasprintf("SELECT count(pg_terminate_backend(pid))"
	    " FROM pg_stat_activity WHERE datname = '%s'"
	    " AND backend_type = 'client backend'"
	    " AND pid <> pg_backend_pid()", f->pg.name);
	char *left = xasprintf("SELECT count(*) FROM pg_stat_activity"
	    " WHERE datname = '%s' AND backend_type = 'client backend'"
	    " AND pid <> pg_backend_pid()", f->pg.name);
	int i;

	assert_int_equal(pg_query(f->path, kill), 1);
	/* On a loaded machine (two suites at once) a backend was seen
	 * still there after 5 s: wait up to 30, asking again each second. */
	for (i = 1; i <= 3000 && pg_query(f->path, left) > 0; i++) {
		usleep(10 * 1000);
		if (i % 100 == 0)
			pg_query(f->path, kill);
	}
	assert_int_equal(pg_query(f->path, left), 0);
	free(kill);
	free(left);
}

static void
meta_is(struct store *st, const char *key, const char *want)
{
	char *v = NULL;

	if (want == NULL) {
		assert_int_equal(store_meta_get(st, key, &v), 0);
		return;
	}
	assert_int_equal(store_meta_get(st, key, &v), 1);
	assert_string_equal(v, want);
	free(v);
}

/*
 * PostgreSQL: a connection that breaks is made again at the next use
 * outside a transaction, its statements prepared again; a transaction it
 * broke fails whole, none of it run on the new connection, until the
 * caller ends it.
 */
static void
test_reconnect_after_connection_lost(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg m = queued("twilio", 1000, "after");
	char *v = NULL;

	if (!temp_db_pg())
		skip();
	assert_int_equal(store_meta_set(f->st, "color", "blue"), 0);

	/* Alone: the statement that meets the break fails, the next one
	 * connects again and runs (meta_get prepared anew). */
	drop_store_connection(f);
	assert_int_equal(store_meta_get(f->st, "color", &v), -1);
	assert_false(store_in_transaction(f->st));
	meta_is(f->st, "color", "blue");

	/* In a transaction: the rest of it fails without connecting, the
	 * commit too; what it wrote before the break is not kept. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_meta_set(f->st, "color", "green"), 0);
	drop_store_connection(f);
	assert_int_equal(store_meta_set(f->st, "shape", "round"), -1);
	assert_true(store_in_transaction(f->st));
	assert_int_equal(store_meta_set(f->st, "size", "big"), -1);
	assert_true(store_in_transaction(f->st));
	assert_int_equal(store_commit(f->st), -1);
	assert_false(store_in_transaction(f->st));
	meta_is(f->st, "color", "blue");
	meta_is(f->st, "shape", NULL);
	meta_is(f->st, "size", NULL);

	/* Ended by a roll-back instead, which succeeds. */
	assert_int_equal(store_begin(f->st), 0);
	drop_store_connection(f);
	assert_int_equal(store_meta_set(f->st, "size", "big"), -1);
	assert_int_equal(store_rollback(f->st), 0);
	meta_is(f->st, "size", NULL);

	/* A transaction begun by a savepoint: a release that would commit
	 * fails, and the undo that follows it ends the transaction. */
	assert_int_equal(store_savepoint_begin(f->st), 0);
	assert_int_equal(store_meta_set(f->st, "shape", "square"), 0);
	drop_store_connection(f);
	assert_int_equal(store_meta_set(f->st, "size", "small"), -1);
	assert_int_equal(store_savepoint_end(f->st, 1), -1);
	assert_true(store_in_transaction(f->st));
	assert_int_equal(store_savepoint_end(f->st, 0), 0);
	assert_false(store_in_transaction(f->st));
	meta_is(f->st, "shape", NULL);
	meta_is(f->st, "size", NULL);

	/* A store call that is a transaction by itself (a row and its
	 * event): failed whole, then made whole on the new connection. */
	drop_store_connection(f);
	assert_int_equal(store_outbox_add(f->st, &m), -1);
	m.id = 0;
	assert_int_equal(store_outbox_add(f->st, &m), 0);
	assert_int_equal(pg_query(f->path, "SELECT count(*) FROM outbox"), 1);
	assert_int_equal(pg_query(f->path, "SELECT count(*) FROM"
	    " outbox_events"), 1);
	assert_int_equal(store_check_writable(f->st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_for_log),
		cmocka_unit_test_setup_teardown(test_open_creates_schema,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_inbound_dedupe,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stakeholders,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pseudonym_key_with_database,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pseudonym_key_added_to_old_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_open,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_writable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_creating_not_claimed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_notice_wrong_tries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_finish_in_transaction,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_v7,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_v1,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_lifecycle,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_rate_shared_between_daemons, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_abandon_spares_live_creation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_requeue,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_list_counts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_checkpointer_copies_beside_the_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_funnels_rsvp_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpointer_backstop,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_data_version_sees_other_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_claimers_never_share,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_server_store_refuses_file_work, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_outbox_requeue_expired_lease, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_inbound_retry_on_another_instance, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reconnect_after_connection_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sender_lock_waits_for_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipeline_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_shared_prune, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sender_limits_round_trip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_budget_shared_between_daemons, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
