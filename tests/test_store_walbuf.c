/*
 * Tests for store_walbuf.c: a commit's log frames go to the file in one
 * write where SQLite alone makes two per page; what is committed is in
 * the file before the commit returns (another connection reads it, and so
 * does the next process after one that ended without closing); a
 * transaction bigger than one write, with pages spilled and rewritten
 * before its commit, comes out whole; and a write the system refuses
 * fails the commit, leaving what was committed before intact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_walbuf.h"
#include "temp_db.h"
#include "util.h"

static int
setup(void **state)
{
	struct temp_db *t = xcalloc(1, sizeof(*t));

	temp_db_make(t, "walbuf");
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	temp_db_remove(*state);
	free(*state);
	return 0;
}

static sqlite3 *
open_db(const char *path, const char *vfs)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, vfs) != SQLITE_OK)
		fail_msg("open %s: %s", path, db != NULL ? sqlite3_errmsg(db) :
		    "no memory");
	return db;
}

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg != NULL ? msg : "?");
}

static int64_t
count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The child ended with status 0, and the database it leaves holds rows
 * rows and passes SQLite's integrity check. */
static void
expect_child_left(pid_t pid, const char *path, int64_t rows)
{
	sqlite3 *db;
	int status = 0;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	db = open_db(path, NULL);
	assert_int_equal(count(db, "SELECT count(*) FROM log"), rows);
	assert_int_equal(count(db, "SELECT count(*) FROM pragma_integrity_check"
	    " WHERE integrity_check = 'ok'"), 1);
	sqlite3_close(db);
}

/* Like the daemon's log: a table with a time index and a unique index,
 * rows a webhook batch would write. */
static void
make_schema(sqlite3 *db)
{
	exec_ok(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
	    " CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY,"
	    "  time_ms INTEGER, msg_id TEXT, phone TEXT, body TEXT);"
	    " CREATE INDEX IF NOT EXISTS log_time ON log(time_ms);"
	    " CREATE UNIQUE INDEX IF NOT EXISTS log_msg ON log(msg_id);"
	    " CREATE INDEX IF NOT EXISTS log_phone ON log(phone)");
}

static void
insert_rows(sqlite3 *db, int from, int n, int body_len)
{
	sqlite3_stmt *st = NULL;
	char *body = xcalloc(1, (size_t)body_len + 1);

	memset(body, 'a', (size_t)body_len);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO log (time_ms,"
	    " msg_id, phone, body) VALUES (?1, ?2, ?3, ?4)", -1, &st, NULL),
	    SQLITE_OK);
	for (int i = from; i < from + n; i++) {
		char id[32], phone[32];

		snprintf(id, sizeof(id), "SM%08x", (unsigned)i * 2654435761u);
		/* Senders scattered over the phone index, as real ones are. */
		snprintf(phone, sizeof(phone), "+9198%08u",
		    (unsigned)i * 40503u % 100000000u);
		sqlite3_bind_int64(st, 1, 1700000000000 + i);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, phone, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	free(body);
}

/*
 * Under everything, a VFS that counts the writes made to log files: it is
 * the default VFS's own, with its log files' write method wrapped, and is
 * made the default (in main) before the walbuf VFS is first asked for, so
 * that walbuf stacks on it like on the real one.  Test state only.
 */
static sqlite3_vfs counting_vfs;
static sqlite3_io_methods counting_methods;
static const sqlite3_io_methods *real_methods;
static sqlite3_vfs *real_vfs;
static long wal_writes;

static int
counting_write(sqlite3_file *f, const void *data, int n, sqlite3_int64 at)
{
	wal_writes++;
	return real_methods->xWrite(f, data, n, at);
}

static int
counting_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
    int flags, int *out)
{
	int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);

	(void)vfs;
	if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) != 0) {
		if (real_methods == NULL) {
			real_methods = f->pMethods;
			counting_methods = *real_methods;
			counting_methods.xWrite = counting_write;
		}
		f->pMethods = &counting_methods;
	}
	return rc;
}

static int
counting_vfs_install(void)
{
	if ((real_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return -1;
	counting_vfs = *real_vfs;
	counting_vfs.zName = "test-counting";
	counting_vfs.pNext = NULL;
	counting_vfs.xOpen = counting_open;
	return sqlite3_vfs_register(&counting_vfs, 1) == SQLITE_OK ? 0 : -1;
}

/* The log writes of one commit of 20 rows, on a log already holding
 * 2,000 (so the rows' index entries land on many pages). */
static long
commit_writes(const char *path, const char *vfs)
{
	sqlite3 *db = open_db(path, vfs);
	long before, n;

	make_schema(db);
	/* The log's first commit also writes (and syncs) its header. */
	exec_ok(db, "BEGIN");
	insert_rows(db, (int)count(db, "SELECT count(*) FROM log"), 1, 60);
	exec_ok(db, "COMMIT");
	exec_ok(db, "BEGIN");
	insert_rows(db, (int)count(db, "SELECT count(*) FROM log"), 20, 60);
	before = wal_writes;
	exec_ok(db, "COMMIT");
	n = wal_writes - before;
	sqlite3_close(db);
	return n;
}

/* 2,000 rows committed through SQLite alone, the log emptied after. */
static void
seed_rows(const char *path)
{
	sqlite3 *db = open_db(path, NULL);

	make_schema(db);
	exec_ok(db, "BEGIN");
	insert_rows(db, 0, 2000, 60);
	exec_ok(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(db);
}

static void
test_commit_is_one_write(void **state)
{
	struct temp_db *t = *state;
	char *plain = xasprintf("%s/plain.db", t->dir);
	long mine, sqlite_alone;

	assert_non_null(store_walbuf_vfs());
	/* Both databases start with the same rows. */
	seed_rows(t->path);
	seed_rows(plain);

	sqlite_alone = commit_writes(plain, NULL);
	mine = commit_writes(t->path, store_walbuf_vfs());
	/* SQLite alone: a header and a page per dirty page, many pages. */
	assert_true(sqlite_alone >= 8);
	assert_int_equal(sqlite_alone % 2, 0);
	assert_int_equal(mine, 1);
	(void)unlink(plain);
	free(plain);
}

static void
test_commit_visible_to_another_connection(void **state)
{
	struct temp_db *t = *state;
	sqlite3 *writer = open_db(t->path, store_walbuf_vfs());
	sqlite3 *reader;

	make_schema(writer);
	reader = open_db(t->path, NULL);
	assert_int_equal(count(reader, "SELECT count(*) FROM log"), 0);
	for (int round = 0; round < 20; round++) {
		exec_ok(writer, "BEGIN");
		insert_rows(writer, round * 7, 7, 40);
		exec_ok(writer, "COMMIT");
		/* The reader reads the log file itself, with its own handle. */
		assert_int_equal(count(reader, "SELECT count(*) FROM log"),
		    (round + 1) * 7);
		assert_int_equal(count(reader, "SELECT count(*) FROM log"
		    " WHERE phone LIKE '+9198%'"), (round + 1) * 7);
	}
	sqlite3_close(reader);
	sqlite3_close(writer);
}

static void
test_commit_survives_sudden_exit(void **state)
{
	struct temp_db *t = *state;
	sqlite3 *db;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		db = open_db(t->path, store_walbuf_vfs());
		make_schema(db);
		exec_ok(db, "BEGIN");
		insert_rows(db, 0, 300, 80);
		exec_ok(db, "COMMIT");
		exec_ok(db, "BEGIN");
		insert_rows(db, 300, 5, 80);
		/* Gone like a killed daemon: no commit, no close. */
		_exit(0);
	}
	expect_child_left(pid, t->path, 300);
}

static void
test_big_transaction_whole(void **state)
{
	struct temp_db *t = *state;
	sqlite3 *db = open_db(t->path, store_walbuf_vfs());
	sqlite3 *reader;

	make_schema(db);
	/* A small cache: pages spill into the log before the commit, and
	 * the updates below rewrite frames already written. */
	exec_ok(db, "PRAGMA cache_size = 20");
	exec_ok(db, "BEGIN");
	insert_rows(db, 0, 6000, 400);
	exec_ok(db, "UPDATE log SET body = upper(body) WHERE id % 3 = 0");
	insert_rows(db, 6000, 50, 400);
	exec_ok(db, "COMMIT");
	reader = open_db(t->path, NULL);
	assert_int_equal(count(reader, "SELECT count(*) FROM log"), 6050);
	assert_int_equal(count(reader, "SELECT count(*) FROM log"
	    " WHERE body GLOB 'A*'"), 2000);
	assert_int_equal(count(reader, "SELECT count(*) FROM"
	    " pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
	sqlite3_close(reader);
	sqlite3_close(db);
}

/* In a child whose files may not grow past a limit: the first commit fits,
 * the second does not and must fail.  Exit status: 0 as expected, 1 the
 * first commit failed, 2 the second did not fail. */
static int
commit_past_limit(const char *path)
{
	struct rlimit lim;
	struct stat sb;
	char *wal = xasprintf("%s-wal", path);
	sqlite3 *db = open_db(path, store_walbuf_vfs());
	int rc;

	make_schema(db);
	exec_ok(db, "PRAGMA wal_autocheckpoint = 0");
	exec_ok(db, "BEGIN");
	insert_rows(db, 0, 100, 50);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return 1;
	if (stat(wal, &sb) != 0)
		return 1;
	signal(SIGXFSZ, SIG_IGN);
	lim.rlim_cur = lim.rlim_max = (rlim_t)sb.st_size + 64 * 1024;
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		return 1;
	exec_ok(db, "BEGIN");
	insert_rows(db, 100, 2000, 200);
	rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	free(wal);
	return rc == SQLITE_OK ? 2 : 0;
}

static void
test_refused_write_fails_commit(void **state)
{
	struct temp_db *t = *state;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(commit_past_limit(t->path));
	expect_child_left(pid, t->path, 100);
}

int
main(void)
{
	if (counting_vfs_install() == -1) {
		fprintf(stderr, "test_store_walbuf: cannot wrap the default VFS\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_is_one_write,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_commit_visible_to_another_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_commit_survives_sudden_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_transaction_whole,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_write_fails_commit,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
