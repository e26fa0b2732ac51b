/*
 * store_backup: copies of the whole database (see store.h), made with the
 * SQLite online backup API.
 *
 * A backup holds one read transaction on the source for its whole run, so
 * it copies one snapshot: in WAL mode that blocks no writer (the daemon
 * goes on committing webhooks) and the copy is never restarted by their
 * commits, which a backup that let go of its snapshot between steps would
 * be, forever, under a steady load.  Pages are copied in steps so that the
 * copy does not hold the destination's lock or the CPU in one long burst.
 *
 * A restore is the reverse, but only into a database nobody has open: the
 * target is locked with locking_mode=EXCLUSIVE, which fails while any other
 * connection (an idle daemon included) still has the WAL index open.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

#define BACKUP_STEP_PAGES	256
#define BACKUP_BUSY_SLEEP_MS	10
#define BACKUP_BUSY_TRIES	500

/* The first problem integrity_check reports is enough to refuse a file. */
#define CHECK_FIRST_ROWS	3

/*
 * Copy every page of src's "main" into dst's "main" in steps of
 * step_pages (-1: all at once).  *pages = pages copied.  0 or -1 with err.
 */
static int
copy_pages(sqlite3 *dst, sqlite3 *src, int step_pages, int64_t *pages,
    char *err, size_t errlen)
{
	sqlite3_backup *b;
	int rc, busy = 0;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		util_err(err, errlen, "starting backup: %s", sqlite3_errmsg(dst));
		return -1;
	}
	for (;;) {
		rc = sqlite3_backup_step(b, step_pages);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			/* Only the destination can be busy; give it a moment. */
			if (++busy > BACKUP_BUSY_TRIES)
				break;
			sqlite3_sleep(BACKUP_BUSY_SLEEP_MS);
			continue;
		}
		if (rc != SQLITE_OK)
			break;
	}
	if (pages != NULL)
		*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		util_err(err, errlen, "copying pages: %s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/*
 * PRAGMA integrity_check on db: 0 when it says "ok", else -1 with the
 * first problems in err.
 */
static int
integrity_ok(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	struct buf problems;
	int rc, rows = 0, ok = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK) {
		util_err(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	buf_init(&problems, 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(s, 0);

		if (rows == 0 && row != NULL && strcmp(row, "ok") == 0)
			ok = 1;
		else if (rows < CHECK_FIRST_ROWS)
			buf_printf(&problems, "%s%s", rows > 0 ? "; " : "",
			    row != NULL ? row : "?");
		rows++;
	}
	if (rc != SQLITE_DONE)
		util_err(err, errlen, "%s", sqlite3_errmsg(db));
	else if (!ok)
		util_err(err, errlen, "integrity check failed: %s",
		    buf_cstr(&problems));
	sqlite3_finalize(s);
	buf_free(&problems);
	return rc == SQLITE_DONE && ok ? 0 : -1;
}

/*
 * A backup is one self-contained file: out of WAL mode, so that it can be
 * copied, checked or opened read-only without a -wal beside it.
 */
static int
finish_file(sqlite3 *db, char *err, size_t errlen)
{
	if (sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		util_err(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static sqlite3 *
open_file(const char *path, int flags, char *err, size_t errlen)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		util_err(err, errlen, "%s: %s", path, db != NULL ?
		    sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 1);
	return db;
}

/* Copy src (read inside the caller's snapshot) to a fresh file at path. */
static int
write_copy(sqlite3 *src, const char *path, int step_pages, int64_t *pages,
    char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.partial", path);
	char e[400];
	sqlite3 *dst;
	int rc = -1;

	/* A leftover from a failed run would be copied over, not replaced. */
	if (unlink(tmp) == -1 && errno != ENOENT) {
		util_err(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if ((dst = open_file(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    err, errlen)) == NULL) {
		free(tmp);
		return -1;
	}
	if (copy_pages(dst, src, step_pages, pages, e, sizeof(e)) == -1 ||
	    finish_file(dst, e, sizeof(e)) == -1 ||
	    integrity_ok(dst, e, sizeof(e)) == -1)
		util_err(err, errlen, "%s: %s", path, e);
	else
		rc = 0;
	if (sqlite3_close(dst) != SQLITE_OK && rc == 0) {
		util_err(err, errlen, "%s: closing failed", path);
		rc = -1;
	}
	/* Only a complete, checked copy takes the name. */
	if (rc == 0 && rename(tmp, path) == -1) {
		util_err(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
store_backup(struct store *st, const char *path, int64_t *pages)
{
	char err[512];
	int64_t n = 0;
	int rc;

	if (STORE_IS_PG(st))
		return store_sq_fail_msg(st, "backup", "backup of a PostgreSQL"
		    " store: use pg_dump (or the server's own backups)");
	if (!sqlite3_get_autocommit(st->db.sq))
		return store_sq_fail_msg(st, "backup", "a transaction is open");
	/* The snapshot: a read transaction held until the copy is done. */
	if (sqlite3_exec(st->db.sq, "BEGIN DEFERRED;"
	    " SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		rc = store_sq_fail(st, "backup");
		sqlite3_exec(st->db.sq, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	rc = write_copy(st->db.sq, path, BACKUP_STEP_PAGES, &n, err,
	    sizeof(err));
	sqlite3_exec(st->db.sq, "COMMIT", NULL, NULL, NULL);
	if (rc == -1)
		return store_sq_fail_msg(st, "backup", err);
	if (pages != NULL)
		*pages = n;
	log_info("store", "op=backup pages=%lld", (long long)n);
	return 0;
}

int
store_file_check(const char *path, int *version, char *err, size_t errlen)
{
	char e[400];
	sqlite3 *db;
	int v = 0, rc = -1;

	if (store_db_is_pg_url(path)) {
		util_err(err, errlen, "checking a PostgreSQL store: a backup of"
		    " one is made and checked with pg_dump and pg_restore");
		return -1;
	}
	if (access(path, R_OK) == -1) {
		util_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((db = open_file(path, SQLITE_OPEN_READONLY, err, errlen)) == NULL)
		return -1;
	if (integrity_ok(db, e, sizeof(e)) == -1)
		util_err(err, errlen, "%s: %s", path, e);
	else if (store_sq_user_version(db, &v) == -1)
		util_err(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
	else if (v < 1)
		util_err(err, errlen, "%s: not a Sampark database (schema "
		    "version %d)", path, v);
	else if (v > store_schema_version())
		util_err(err, errlen, "%s: database schema version %d is newer "
		    "than this sampark (%d); upgrade sampark", path, v,
		    store_schema_version());
	else
		rc = 0;
	if (version != NULL)
		*version = v;
	sqlite3_close(db);
	return rc;
}

/* 1 if a and b name the same existing file, else 0. */
static int
same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return realpath(a, ra) != NULL && realpath(b, rb) != NULL &&
	    strcmp(ra, rb) == 0;
}

int
store_restore(const char *from, const char *db, char *err, size_t errlen)
{
	char e[400], *bak = NULL;
	sqlite3 *src = NULL, *dst = NULL;
	int64_t pages = 0;
	int version, rc = -1;

	if (store_db_is_pg_url(db) || store_db_is_pg_url(from)) {
		util_err(err, errlen, "restore of a PostgreSQL store: use"
		    " pg_restore (or the server's own recovery)");
		return -1;
	}
	if (same_file(from, db)) {
		util_err(err, errlen, "%s is the database itself", from);
		return -1;
	}
	if (store_file_check(from, &version, err, errlen) == -1)
		return -1;
	if ((dst = open_file(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    err, errlen)) == NULL)
		return -1;
	/*
	 * No waiting: a lock we cannot have at once means a daemon (or a
	 * command) has the database open.  In exclusive locking mode the lock
	 * is kept after COMMIT, until we close.
	 */
	sqlite3_busy_timeout(dst, 0);
	if (sqlite3_exec(dst, "PRAGMA locking_mode = EXCLUSIVE;"
	    " BEGIN EXCLUSIVE; COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_errcode(dst) & 0xff;

		if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
			util_err(err, errlen, "%s is in use: stop the daemon "
			    "(systemctl stop sampark) and try again", db);
		else
			util_err(err, errlen, "%s: %s", db, sqlite3_errmsg(dst));
		goto out;
	}
	if (store_sq_user_version(dst, &version) == -1) {
		util_err(err, errlen, "%s: %s", db, sqlite3_errmsg(dst));
		goto out;
	}
	/* Keep what is there (if anything) beside it, as one plain file. */
	bak = xasprintf("%s.bak", db);
	if (version > 0 &&
	    write_copy(dst, bak, -1, &pages, err, errlen) == -1)
		goto out;
	/*
	 * Out of WAL first: a backup into a WAL database fails when the page
	 * sizes differ, and the daemon turns WAL back on when it opens.
	 */
	if (finish_file(dst, e, sizeof(e)) == -1) {
		util_err(err, errlen, "%s: %s", db, e);
		goto out;
	}
	if ((src = open_file(from, SQLITE_OPEN_READONLY, err, errlen)) == NULL)
		goto out;
	if (copy_pages(dst, src, -1, &pages, e, sizeof(e)) == -1) {
		util_err(err, errlen, "%s: %s", db, e);
		goto out;
	}
	rc = 0;
	log_info("store", "op=restore pages=%lld", (long long)pages);
out:
	sqlite3_close(src);
	if (sqlite3_close(dst) != SQLITE_OK && rc == 0) {
		util_err(err, errlen, "%s: closing failed", db);
		rc = -1;
	}
	free(bak);
	return rc;
}
