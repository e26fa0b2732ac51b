/*
 * Tests for the store: schema and migration guard, inbound dedupe,
 * transactions, contacts, the stakeholder directory, meta, export filters
 * and the writability check.  Each test gets a fresh database in a
 * temporary directory that is removed afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "util.h"

struct fixture {
	char		 dir[64];
	char		*path;
	struct store	*st;
};

static struct store *
open_ok(const char *path)
{
	struct store_options opt = { 0, 0 };
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

	store_close(f->st);
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

static struct store_interaction
inbound(int64_t t, const char *msg_id, const char *text)
{
	struct store_interaction r;

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

static struct store_interaction
outbound(int64_t t, int64_t reply_to, const char *text)
{
	struct store_interaction r = inbound(t, NULL, text);

	r.direction = "out";
	r.reply_to = reply_to;
	r.encoding = "GSM-7";
	r.segments = 1;
	r.latency_ms = 12;
	r.status = "replied";
	return r;
}

static void
test_open_creates_schema(void **state)
{
	struct fixture *f = *state;
	char *v = NULL;
	int64_t n = -1;

	assert_int_equal(store_schema_version(), 1);
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
	char err[256] = "";
	struct store *st;
	FILE *fp;

	store_close(f->st);
	f->st = NULL;
	assert_non_null(fp = fopen(f->path, "r+b"));
	assert_int_equal(fseek(fp, 60, SEEK_SET), 0);
	assert_int_equal(fwrite(v, 1, sizeof(v), fp), sizeof(v));
	assert_int_equal(fclose(fp), 0);
	st = store_open(f->path, NULL, err, sizeof(err));
	assert_null(st);
	assert_non_null(strstr(err, "database schema version 999 is newer "
	    "than this sampark (1); upgrade sampark"));
	/* Refused, not damaged: still refused the second time. */
	assert_null(store_open(f->path, NULL, err, sizeof(err)));
}

static void
test_inbound_dedupe(void **state)
{
	struct fixture *f = *state;
	struct store_interaction a = inbound(1000, "SM1", "INFO");
	struct store_interaction b = inbound(2000, "SM1", "INFO again");
	struct store_interaction c = inbound(3000, "SM2", "HELP");
	struct store_interaction d = inbound(4000, NULL, "no id");
	struct store_interaction e = inbound(5000, NULL, "no id");
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
	struct store_interaction in = inbound(1000, "SM9", "INFO loan");
	struct store_interaction o1, o2, other;
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
	struct store_interaction a = inbound(1000, "T1", "x");
	struct store_interaction b = inbound(1000, "T2", "y");
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
	struct store_contact c, got;

	assert_int_equal(store_contact_get(f->st, "+911111111111", &got), 0);
	assert_null(got.phone);
	store_contact_clear(&got);

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
	store_contact_clear(&got);
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
	store_contact_clear(&got);

	/* Fields set back to NULL are cleared in the database. */
	c.pending_keyword = NULL;
	c.more_text = NULL;
	assert_int_equal(store_contact_put(f->st, &c), 0);
	assert_int_equal(store_contact_get(f->st, c.phone, &got), 1);
	assert_null(got.pending_keyword);
	assert_null(got.more_text);
	assert_string_equal(got.name, "सीता देवी");
	store_contact_clear(&got);
	store_contact_clear(NULL);
}

static const struct store_stakeholder directory[] = {
	{ "Bank of Baroda", "loan", "bhadohi", "+915414000000", "hi|en",
	    "Mudra loans", "मुद्रा ऋण" },
	{ "NABARD", "loan", "*", NULL, NULL, "Rural credit", NULL },
	{ "RSETI Mirzapur", "training", "mirzapur", NULL, "hi", NULL, NULL },
	{ "SIDBI", "loan", "mirzapur", NULL, NULL, NULL, NULL },
	{ "Carpet Export Council", "market", "bhadohi", NULL, NULL, NULL,
	    NULL },
};

static void
test_stakeholders(void **state)
{
	struct fixture *f = *state;
	struct store_stakeholder *rows = NULL, bad[2];
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
	store_stakeholders_free(rows, n);

	assert_int_equal(store_stakeholders_find(f->st, "loan", "mirzapur",
	    &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "NABARD");
	assert_string_equal(rows[1].name, "SIDBI");
	store_stakeholders_free(rows, n);

	assert_int_equal(store_stakeholders_find(f->st, "training",
	    "samastipur", &rows, &n), 0);
	assert_int_equal(n, 0);
	store_stakeholders_free(rows, n);

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
	store_stakeholders_free(NULL, 0);
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

struct collect {
	int	 n;
	int	 stop_after;
	int64_t	 times[16];
	char	 texts[16][32];
};

static int
collect_cb(void *arg, const struct store_interaction *row)
{
	struct collect *c = arg;

	if (c->stop_after > 0 && c->n == c->stop_after)
		return -1;
	if (c->n < 16) {
		c->times[c->n] = row->time_ms;
		sp_strlcpy(c->texts[c->n], row->text != NULL ? row->text : "",
		    sizeof(c->texts[c->n]));
	}
	c->n++;
	return 0;
}

static void
test_export(void **state)
{
	struct fixture *f = *state;
	struct store_interaction r;
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
	struct store_options opt = { 1, 50 };
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
		cmocka_unit_test_setup_teardown(test_export, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_writable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_file,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
