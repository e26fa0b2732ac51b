/*
 * store_walbuf: a commit's write-ahead log frames reach the file in one
 * write instead of two per page.
 *
 * Why: SQLite writes each log frame as two calls, its 24-byte header and
 * then the page, so a webhook batch that dirties twenty pages costs forty
 * pwrite() calls on the event loop, each splitting a page-cache page
 * (a frame is 4,120 bytes, not page aligned).  perf put those calls at 8%
 * of the daemon's time under inbound load.
 *
 * How: a VFS in front of the default one, which only changes the log
 * file.  Writes that continue one another are gathered in a buffer and
 * written as one; the buffer is written out
 *   - within the write that completes a commit frame (a header whose
 *     "database size after commit" field is set), that is before SQLite
 *     publishes the commit in the shared index, so no other connection
 *     can see a frame that is not in the file yet;
 *   - before any other call on the file (read, sync, truncate, size,
 *     close, file control) and before a write elsewhere in the file.
 * A failed write of the buffer fails the call that made it, which is the
 * commit's own write or the call SQLite is making, so an error surfaces
 * where it would have without the buffer.  The database file and
 * everything else go to the default VFS untouched.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_walbuf.h"

#define WALBUF_VFS_NAME		"sampark-walbuf"
#define WAL_FRAME_HEADER	24
/* One write of at most this: the unix VFS writes a length modulo 128 KiB
 * at a time (seekAndWrite) and takes a remainder of 0 for a full disk, as
 * a first version gathering up to 1 MiB found when creating a database. */
#define WALBUF_MAX		(120 * 1024)

struct walbuf_file {
	sqlite3_file	 base;
	unsigned char	*buf;
	size_t		 len;
	size_t		 cap;
	sqlite3_int64	 at;		/* file offset of buf[0] */
	int		 commit_next;	/* the next write completes a commit */
	sqlite3_file	*real;		/* the default VFS's file, after us */
};

static sqlite3_vfs *
default_vfs(sqlite3_vfs *vfs)
{
	return vfs->pAppData;
}

static int
flush(struct walbuf_file *f)
{
	int rc;

	if (f->len == 0)
		return SQLITE_OK;
	rc = f->real->pMethods->xWrite(f->real, f->buf, (int)f->len, f->at);
	/* Written or not, the frames are SQLite's to redo: a failed commit
	 * is rolled back and its frames never published. */
	f->len = 0;
	f->commit_next = 0;
	return rc;
}

static int
wb_close(sqlite3_file *file)
{
	struct walbuf_file *f = (struct walbuf_file *)file;
	int rc = flush(f), rc2;

	rc2 = f->real->pMethods->xClose(f->real);
	sqlite3_free(f->buf);
	f->buf = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

static int
wb_read(sqlite3_file *file, void *out, int n, sqlite3_int64 at)
{
	struct walbuf_file *f = (struct walbuf_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n,
	    at);
}

static int
reserve(struct walbuf_file *f, size_t more)
{
	size_t cap = f->cap != 0 ? f->cap : 64 * 1024;
	unsigned char *b;

	if (f->len + more <= f->cap)
		return 0;
	while (cap < f->len + more)
		cap *= 2;
	if ((b = sqlite3_realloc64(f->buf, cap)) == NULL)
		return -1;
	f->buf = b;
	f->cap = cap;
	return 0;
}

static int
wb_write(sqlite3_file *file, const void *data, int n, sqlite3_int64 at)
{
	struct walbuf_file *f = (struct walbuf_file *)file;
	const unsigned char *p = data;
	int rc, completes = f->commit_next;
	/* A frame header: page number, then the database's size in pages
	 * after the commit, zero unless this frame ends a transaction. */
	int commit_header = n == WAL_FRAME_HEADER &&
	    (p[4] | p[5] | p[6] | p[7]) != 0;

	if (f->len != 0 && (at != f->at + (sqlite3_int64)f->len ||
	    f->len + (size_t)n > WALBUF_MAX) && (rc = flush(f)) != SQLITE_OK)
		return rc;
	if ((size_t)n > WALBUF_MAX || reserve(f, (size_t)n) == -1) {
		/* Too big to gather, or no memory to: write it through, after
		 * what came before it. */
		if ((rc = flush(f)) != SQLITE_OK ||
		    (rc = f->real->pMethods->xWrite(f->real, data, n, at)) !=
		    SQLITE_OK)
			return rc;
		f->commit_next = commit_header;
		return SQLITE_OK;
	}
	if (f->len == 0)
		f->at = at;
	memcpy(f->buf + f->len, data, (size_t)n);
	f->len += (size_t)n;
	f->commit_next = commit_header;
	return completes ? flush(f) : SQLITE_OK;
}

static int
wb_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct walbuf_file *f = (struct walbuf_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real,
	    size);
}

static int
wb_sync(sqlite3_file *file, int flags)
{
	struct walbuf_file *f = (struct walbuf_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int
wb_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct walbuf_file *f = (struct walbuf_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real,
	    size);
}

static int
wb_lock(sqlite3_file *file, int level)
{
	struct walbuf_file *f = (struct walbuf_file *)file;

	return f->real->pMethods->xLock(f->real, level);
}

static int
wb_unlock(sqlite3_file *file, int level)
{
	struct walbuf_file *f = (struct walbuf_file *)file;

	return f->real->pMethods->xUnlock(f->real, level);
}

static int
wb_check_reserved(sqlite3_file *file, int *out)
{
	struct walbuf_file *f = (struct walbuf_file *)file;

	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int
wb_file_control(sqlite3_file *file, int op, void *arg)
{
	struct walbuf_file *f = (struct walbuf_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real,
	    op, arg);
}

static int
wb_sector_size(sqlite3_file *file)
{
	struct walbuf_file *f = (struct walbuf_file *)file;

	return f->real->pMethods->xSectorSize(f->real);
}

static int
wb_device_characteristics(sqlite3_file *file)
{
	struct walbuf_file *f = (struct walbuf_file *)file;

	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* The log file maps no shared memory and no pages (that is the database
 * file's), so version 1 of the methods is the whole of it. */
static const sqlite3_io_methods walbuf_methods = {
	.iVersion = 1,
	.xClose = wb_close,
	.xRead = wb_read,
	.xWrite = wb_write,
	.xTruncate = wb_truncate,
	.xSync = wb_sync,
	.xFileSize = wb_file_size,
	.xLock = wb_lock,
	.xUnlock = wb_unlock,
	.xCheckReservedLock = wb_check_reserved,
	.xFileControl = wb_file_control,
	.xSectorSize = wb_sector_size,
	.xDeviceCharacteristics = wb_device_characteristics,
};

static int
wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
    int *out_flags)
{
	sqlite3_vfs *under = default_vfs(vfs);
	struct walbuf_file *f = (struct walbuf_file *)file;
	int rc;

	/* Anything but a log is the default VFS's file, in our space. */
	if ((flags & SQLITE_OPEN_WAL) == 0)
		return under->xOpen(under, name, file, flags, out_flags);
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	rc = under->xOpen(under, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		f->base.pMethods = NULL;
		return rc;
	}
	f->base.pMethods = &walbuf_methods;
	return SQLITE_OK;
}

static int
wb_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xDelete(under, name, sync_dir);
}

static int
wb_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xAccess(under, name, flags, out);
}

static int
wb_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xFullPathname(under, name, n, out);
}

static void *
wb_dl_open(sqlite3_vfs *vfs, const char *name)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xDlOpen(under, name);
}

static void
wb_dl_error(sqlite3_vfs *vfs, int n, char *out)
{
	sqlite3_vfs *under = default_vfs(vfs);

	under->xDlError(under, n, out);
}

static void (*wb_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xDlSym(under, h, sym);
}

static void
wb_dl_close(sqlite3_vfs *vfs, void *h)
{
	sqlite3_vfs *under = default_vfs(vfs);

	under->xDlClose(under, h);
}

static int
wb_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xRandomness(under, n, out);
}

static int
wb_sleep(sqlite3_vfs *vfs, int us)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xSleep(under, us);
}

static int
wb_current_time(sqlite3_vfs *vfs, double *out)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xCurrentTime(under, out);
}

static int
wb_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xGetLastError != NULL ?
	    under->xGetLastError(under, n, out) : 0;
}

static int
wb_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	sqlite3_vfs *under = default_vfs(vfs);

	return under->xCurrentTimeInt64(under, out);
}

/*
 * SQLite keeps its VFSes in one list for the whole process and links the
 * registered structure into it, so this one lives as long as the process
 * and is filled in once.
 */
static sqlite3_vfs walbuf_vfs;
static pthread_once_t walbuf_once = PTHREAD_ONCE_INIT;
static int walbuf_ok;

static void
walbuf_register(void)
{
	sqlite3_vfs *under = sqlite3_vfs_find(NULL);
	int size;

	/* The default VFS's own file lives right after our header. */
	if (under == NULL || under->iVersion < 2 ||
	    under->xCurrentTimeInt64 == NULL)
		return;
	size = (int)sizeof(struct walbuf_file) + under->szOsFile;
	walbuf_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = size > under->szOsFile ? size : under->szOsFile,
		.mxPathname = under->mxPathname,
		.zName = WALBUF_VFS_NAME,
		.pAppData = under,
		.xOpen = wb_open,
		.xDelete = wb_delete,
		.xAccess = wb_access,
		.xFullPathname = wb_full_pathname,
		.xDlOpen = wb_dl_open,
		.xDlError = wb_dl_error,
		.xDlSym = wb_dl_sym,
		.xDlClose = wb_dl_close,
		.xRandomness = wb_randomness,
		.xSleep = wb_sleep,
		.xCurrentTime = wb_current_time,
		.xGetLastError = wb_last_error,
		.xCurrentTimeInt64 = wb_current_time_int64,
	};
	walbuf_ok = sqlite3_vfs_register(&walbuf_vfs, 0) == SQLITE_OK;
}

const char *
store_walbuf_vfs(void)
{
	pthread_once(&walbuf_once, walbuf_register);
	return walbuf_ok ? WALBUF_VFS_NAME : NULL;
}
