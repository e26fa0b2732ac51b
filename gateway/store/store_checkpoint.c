/*
 * store_checkpoint: copying the write-ahead log back into the database
 * beside the event loop rather than on it.
 *
 * Why a thread: SQLite's own automatic checkpoint runs inside the commit
 * that crossed the threshold, and its two fdatasync() calls (the log, then
 * the database) block the loop for milliseconds every thousand pages.
 * Here a thread with a connection of its own does the copying and the
 * syncing.  It shares no memory with the loop: it reads wake-ups from one
 * pipe and answers on another; SQLite's locks keep the two connections
 * apart, and a PASSIVE checkpoint never takes the writer's lock, so the
 * loop's commits never wait for it.
 *
 * Why the loop finishes the round: the log can only be started again from
 * its beginning once every frame in it has been copied, and the loop keeps
 * appending while the thread copies.  So when the thread is done, the loop
 * copies the few frames written meanwhile itself (a short sync of a few
 * pages), and its next transaction rewinds the log.  Without that the log
 * would grow for as long as the load lasts.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

/* Past this many times the threshold the thread is not keeping up (or is
 * gone): the loop checkpoints itself, as SQLite would have. */
#define CKPT_BACKSTOP	8

struct store_ckpt {
	pthread_t	 thread;
	sqlite3		*db;		/* the thread's own connection */
	int		 wake[2];	/* loop -> thread; closed: stop */
	int		 done[2];	/* thread -> loop: a round ended */
	int		 frames;	/* threshold, in log pages */
	int		 asked;		/* a round is wanted or running */
};

static void *
ckpt_thread(void *arg)
{
	struct store_ckpt *c = arg;
	char b[64];
	ssize_t n;
	int nlog, ncopied;

	for (;;) {
		n = read(c->wake[0], b, sizeof(b));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* PASSIVE: copies what no reader still needs, waits for
		 * nobody, never blocks the writer. */
		if (sqlite3_wal_checkpoint_v2(c->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &nlog, &ncopied) == SQLITE_OK &&
		    ncopied > 0) {
			sqlite3_file *f = NULL;

			/* The database's pages copied here are synced here,
			 * so that the loop's sync at the end of the round
			 * has only its own few to write. */
			if (sqlite3_file_control(c->db, "main",
			    SQLITE_FCNTL_FILE_POINTER, &f) == SQLITE_OK &&
			    f != NULL && f->pMethods != NULL)
				f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
		}
		while (write(c->done[1], "d", 1) < 0 && errno == EINTR)
			;
	}
	return NULL;
}

/* Called by SQLite after each commit of the loop's connection. */
static int
on_wal_commit(void *arg, sqlite3 *db, const char *name, int nframes)
{
	struct store *st = arg;
	struct store_ckpt *c = st->ckpt;
	int nlog, ncopied;

	if (nframes < c->frames)
		return SQLITE_OK;
	if (!c->asked) {
		c->asked = 1;
		if (write(c->wake[1], "w", 1) == 1)
			return SQLITE_OK;
		c->asked = 0;
	}
	if (nframes >= CKPT_BACKSTOP * c->frames)
		sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, &nlog, &ncopied);
	return SQLITE_OK;
}

static int
set_flags(int fd, int flags)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 || fcntl(fd, F_SETFL, fl | flags) == -1 ? -1 : 0;
}

int
store_checkpointer_start(struct store *st, int frames, char *err,
    size_t errlen)
{
	const char *path;
	struct store_ckpt *c;
	const char *sync = st->synchronous_full ?
	    "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
	sigset_t all, old;
	int rc;

	/* The server checkpoints its own log: nothing to start. */
	if (STORE_IS_PG(st))
		return 0;
	path = sqlite3_db_filename(st->db.sq, "main");
	if (st->ckpt != NULL) {
		util_err(err, errlen, "checkpointer already running");
		return -1;
	}
	if (path == NULL || *path == '\0') {
		util_err(err, errlen, "checkpointer: the database is not a file");
		return -1;
	}
	c = xcalloc(1, sizeof(*c));
	c->wake[0] = c->wake[1] = c->done[0] = c->done[1] = -1;
	c->frames = frames > 0 ? frames : 1000;
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(c->db, sync, NULL, NULL, NULL) != SQLITE_OK) {
		util_err(err, errlen, "checkpointer: %s: %s", path,
		    c->db != NULL ? sqlite3_errmsg(c->db) : "cannot open");
		goto fail;
	}
	if (pipe2(c->wake, O_CLOEXEC) == -1 ||
	    pipe2(c->done, O_CLOEXEC) == -1 ||
	    set_flags(c->wake[1], O_NONBLOCK) == -1 ||
	    set_flags(c->done[0], O_NONBLOCK) == -1) {
		util_err(err, errlen, "checkpointer: pipe: %s", strerror(errno));
		goto fail;
	}
	/* Signals stay with the loop: the thread starts with all blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&c->thread, NULL, ckpt_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		util_err(err, errlen, "checkpointer: thread: %s", strerror(rc));
		goto fail;
	}
	st->ckpt = c;
	sqlite3_wal_hook(st->db.sq, on_wal_commit, st);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (c->wake[i] != -1)
			close(c->wake[i]);
		if (c->done[i] != -1)
			close(c->done[i]);
	}
	sqlite3_close(c->db);
	free(c);
	return -1;
}

int
store_checkpointer_fd(const struct store *st)
{
	return st->ckpt != NULL ? st->ckpt->done[0] : -1;
}

void
store_checkpointer_finish(struct store *st)
{
	struct store_ckpt *c = st->ckpt;
	char b[64];
	int nlog = 0, ncopied = 0;

	if (c == NULL)
		return;
	while (read(c->done[0], b, sizeof(b)) > 0)
		;
	c->asked = 0;
	if (sqlite3_get_autocommit(st->db.sq) &&
	    sqlite3_wal_checkpoint_v2(st->db.sq, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &nlog, &ncopied) == SQLITE_OK)
		log_debug("checkpoint", "frames=%d copied=%d", nlog, ncopied);
}

void
store_checkpointer_stop(struct store *st)
{
	struct store_ckpt *c = st->ckpt;

	if (c == NULL)
		return;
	sqlite3_wal_hook(st->db.sq, NULL, NULL);
	sqlite3_wal_autocheckpoint(st->db.sq, 1000);
	close(c->wake[1]);
	pthread_join(c->thread, NULL);
	close(c->wake[0]);
	close(c->done[0]);
	close(c->done[1]);
	sqlite3_close(c->db);
	free(c);
	st->ckpt = NULL;
}
