/*
 * Tests for store_backup.c: an online backup holds what was committed when
 * it started (and not what another connection has not committed), is one
 * self-contained file that passes the file check; a restore is refused
 * while the database is open elsewhere, refuses damaged, foreign and newer
 * files, keeps the replaced database as .bak, and an older backup (the
 * schema-1 fixture) is migrated forward when the store opens it.
 *
 * Run from the repository root (the v1 fixture is tests/data/store/v1.db).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "store.h"
#include "util.h"

struct fixture {
	char	 dir[64];
	char	*db;		/* the live database */
	char	*copy;		/* a backup */
};

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

static char *
path_in(const struct fixture *f, const char *name)
{
	return xasprintf("%s/%s", f->dir, name);
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	snprintf(f->dir, sizeof(f->dir), "%s/test_backup.XXXXXX",
	    tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	f->db = path_in(f, "sampark.db");
	f->copy = path_in(f, "copy.db");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	struct dirent *e;
	DIR *d;
	char *p;

	/* Everything in it is ours: databases, their WAL files, copies. */
	if ((d = opendir(f->dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			p = path_in(f, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f->db);
	free(f->copy);
	free(f);
	return 0;
}

static void
add_inbound(struct store *st, const char *msg_id)
{
	struct interaction r;

	memset(&r, 0, sizeof(r));
	r.time_ms = 1000;
	r.channel = "sms";
	r.direction = "in";
	r.provider = "console";
	r.provider_msg_id = msg_id;
	r.phone = "+919876543210";
	r.text = "loan bhadohi";
	r.latency_ms = -1;
	r.status = "received";
	assert_int_equal(store_interaction_insert(st, &r), 1);
}

static int
has_inbound(const char *path, const char *msg_id)
{
	struct store *st = open_ok(path);
	int64_t id = 0;
	int rc = store_inbound_find(st, "console", msg_id, &id);

	store_close(st);
	return rc;
}

static void
write_file(const char *path, const void *data, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void
copy_file(const char *from, const char *to)
{
	char data[1 << 16];
	size_t n;
	FILE *in = fopen(from, "rb");

	assert_non_null(in);
	n = fread(data, 1, sizeof(data), in);
	assert_true(n > 0 && n < sizeof(data));
	fclose(in);
	write_file(to, data, n);
}

/* What was committed is in the copy; another connection's open
 * transaction neither blocks the backup nor shows in it. */
static void
test_backup_snapshot(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db), *writer = open_ok(f->db);
	int64_t pages = 0;
	int version = -1;
	char err[256] = "", *wal;

	add_inbound(st, "m1");
	add_inbound(st, "m2");
	assert_int_equal(store_begin(writer), 0);
	add_inbound(writer, "uncommitted");
	assert_int_equal(store_backup(st, f->copy, &pages), 0);
	assert_true(pages > 0);
	assert_int_equal(store_commit(writer), 0);
	store_close(writer);
	store_close(st);

	assert_int_equal(store_file_check(f->copy, &version, err,
	    sizeof(err)), 0);
	assert_int_equal(version, store_schema_version());
	/* One file: no WAL beside it, and none needed. */
	wal = xasprintf("%s-wal", f->copy);
	assert_int_equal(access(wal, F_OK), -1);
	assert_int_equal(has_inbound(f->copy, "m1"), 1);
	assert_int_equal(has_inbound(f->copy, "m2"), 1);
	assert_int_equal(has_inbound(f->copy, "uncommitted"), 0);
	assert_int_equal(has_inbound(f->db, "uncommitted"), 1);
	free(wal);
}

/* A second backup replaces the first; no .partial is left behind. */
static void
test_backup_replaces(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db);
	char *partial = xasprintf("%s.partial", f->copy);

	add_inbound(st, "m1");
	assert_int_equal(store_backup(st, f->copy, NULL), 0);
	add_inbound(st, "m2");
	assert_int_equal(store_backup(st, f->copy, NULL), 0);
	store_close(st);
	assert_int_equal(has_inbound(f->copy, "m2"), 1);
	assert_int_equal(access(partial, F_OK), -1);
	free(partial);
}

/* Inside a transaction a backup would copy our own uncommitted rows. */
static void
test_backup_refused_in_transaction(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_backup(st, f->copy, NULL), -1);
	assert_non_null(strstr(store_errmsg(st), "transaction"));
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(access(f->copy, F_OK), -1);
	store_close(st);
}

static void
test_file_check_refuses(void **state)
{
	struct fixture *f = *state;
	unsigned char v[4] = { 0, 0, 999 >> 8, 999 & 0xff };
	char err[256] = "", *junk = path_in(f, "junk.db");
	struct store *st;
	FILE *fp;

	write_file(junk, "this is not a database, just some text\n", 39);
	assert_int_equal(store_file_check(junk, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "junk.db"));
	assert_int_equal(store_file_check("/nonexistent/x.db", NULL, err,
	    sizeof(err)), -1);

	/* A SQLite file that Sampark did not make. */
	unlink(junk);
	st = open_ok(f->db);
	store_close(st);
	assert_int_equal(store_file_check(f->db, NULL, err, sizeof(err)), 0);
	/* The header's user_version (offset 60): from a newer sampark. */
	assert_non_null(fp = fopen(f->db, "r+b"));
	assert_int_equal(fseek(fp, 60, SEEK_SET), 0);
	assert_int_equal(fwrite(v, 1, 4, fp), 4);
	fclose(fp);
	assert_int_equal(store_file_check(f->db, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer than this sampark"));
	/* Version 0: any SQLite file. */
	memset(v, 0, sizeof(v));
	assert_non_null(fp = fopen(f->db, "r+b"));
	assert_int_equal(fseek(fp, 60, SEEK_SET), 0);
	assert_int_equal(fwrite(v, 1, 4, fp), 4);
	fclose(fp);
	assert_int_equal(store_file_check(f->db, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a Sampark database"));
	free(junk);
}

static void
test_restore(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db);
	char err[256] = "", *bak = xasprintf("%s.bak", f->db);

	add_inbound(st, "old");
	assert_int_equal(store_backup(st, f->copy, NULL), 0);
	add_inbound(st, "after-backup");

	/* Open (as a running daemon has it): refused, nothing changed. */
	assert_int_equal(store_restore(f->copy, f->db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "in use"));
	assert_int_equal(access(bak, F_OK), -1);
	/* The database itself is not a backup of itself. */
	assert_int_equal(store_restore(f->db, f->db, err, sizeof(err)), -1);
	store_close(st);
	assert_int_equal(has_inbound(f->db, "after-backup"), 1);

	assert_int_equal(store_restore(f->copy, f->db, err, sizeof(err)), 0);
	assert_int_equal(has_inbound(f->db, "old"), 1);
	assert_int_equal(has_inbound(f->db, "after-backup"), 0);
	/* What it replaced is kept. */
	assert_int_equal(has_inbound(bak, "after-backup"), 1);
	/* And the restored database takes writes again. */
	st = open_ok(f->db);
	add_inbound(st, "new");
	store_close(st);
	free(bak);
}

static void
test_restore_refuses_damaged(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db);
	char err[256] = "";

	add_inbound(st, "keep");
	store_close(st);
	write_file(f->copy, "SQLite format 3\0garbage garbage garbage", 40);
	assert_int_equal(store_restore(f->copy, f->db, err, sizeof(err)), -1);
	assert_int_equal(has_inbound(f->db, "keep"), 1);
	assert_int_equal(store_restore("/nonexistent.db", f->db, err,
	    sizeof(err)), -1);
	assert_int_equal(has_inbound(f->db, "keep"), 1);
}

/* A backup made by an older sampark: restored, then migrated on open. */
static void
test_restore_old_schema(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db);
	char err[256] = "";
	int64_t id = 0;
	int version = 0;

	if (access("tests/data/store/v1.db", R_OK) != 0)
		fail_msg("tests/data/store/v1.db: run from the repo root");
	add_inbound(st, "current");
	store_close(st);
	copy_file("tests/data/store/v1.db", f->copy);
	assert_int_equal(store_file_check(f->copy, &version, err,
	    sizeof(err)), 0);
	assert_int_equal(version, 1);
	if (store_restore(f->copy, f->db, err, sizeof(err)) != 0)
		fail_msg("restore: %s", err);
	assert_int_equal(store_file_check(f->db, &version, err,
	    sizeof(err)), 0);
	assert_int_equal(version, 1);
	st = open_ok(f->db);
	assert_int_equal(store_inbound_find(st, "twilio", "SMv1", &id), 1);
	store_close(st);
	assert_int_equal(store_file_check(f->db, &version, err,
	    sizeof(err)), 0);
	assert_int_equal(version, store_schema_version());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_snapshot, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_backup_replaces, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_backup_refused_in_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_check_refuses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_refuses_damaged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_old_schema, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
