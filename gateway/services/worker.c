/*
 * worker: one thread per bulk job; a pipe brings the finished job back
 * to the loop.  See worker.h for the contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "util.h"
#include "worker.h"

struct job {
	struct worker	*w;
	pthread_t	 thread;
	void		(*work)(void *);
	void		(*done)(void *);
	void		*arg;
};

struct worker {
	struct event	*ev;
	int		 fds[2];	/* finished jobs, as pointers */
	size_t		 busy;
};

static void *
job_main(void *p)
{
	struct job *j = p;
	ssize_t n;

	j->work(j->arg);
	/* A pointer is far below PIPE_BUF: the write is whole. */
	do
		n = write(j->w->fds[1], &j, sizeof(j));
	while (n == -1 && errno == EINTR);
	return NULL;
}

static void
finish(struct worker *w, struct job *j)
{
	pthread_join(j->thread, NULL);
	w->busy--;
	j->done(j->arg);
	free(j);
}

static void
on_finished(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct job *j;

	(void)what;
	while (read(fd, &j, sizeof(j)) == (ssize_t)sizeof(j))
		finish(w, j);
}

struct worker *
worker_new(struct event_base *base, char *err, size_t errlen)
{
	struct worker *w = xcalloc(1, sizeof(*w));

	if (pipe2(w->fds, O_CLOEXEC) == -1) {
		util_err(err, errlen, "pipe: %s", strerror(errno));
		free(w);
		return NULL;
	}
	/* The loop end only: a job's thread must never block on it. */
	if (fcntl(w->fds[0], F_SETFL, O_NONBLOCK) == -1 ||
	    (w->ev = event_new(base, w->fds[0], EV_READ | EV_PERSIST,
	    on_finished, w)) == NULL || event_add(w->ev, NULL) == -1) {
		util_err(err, errlen, "cannot watch the worker's pipe");
		worker_free(w);
		return NULL;
	}
	return w;
}

void
worker_free(struct worker *w)
{
	struct job *j;
	int flags;

	if (w == NULL)
		return;
	if (w->busy > 0) {
		flags = fcntl(w->fds[0], F_GETFL);
		fcntl(w->fds[0], F_SETFL, flags & ~O_NONBLOCK);
		while (w->busy > 0 &&
		    read(w->fds[0], &j, sizeof(j)) == (ssize_t)sizeof(j))
			finish(w, j);
	}
	if (w->ev != NULL)
		event_free(w->ev);
	close(w->fds[0]);
	close(w->fds[1]);
	free(w);
}

int
worker_run(struct worker *w, void (*work)(void *), void (*done)(void *),
    void *arg, char *err, size_t errlen)
{
	struct job *j = xcalloc(1, sizeof(*j));
	int rc;

	j->w = w;
	j->work = work;
	j->done = done;
	j->arg = arg;
	if ((rc = pthread_create(&j->thread, NULL, job_main, j)) != 0) {
		util_err(err, errlen, "cannot start a worker thread: %s",
		    strerror(rc));
		free(j);
		return -1;
	}
	w->busy++;
	return 0;
}

size_t
worker_busy(const struct worker *w)
{
	return w->busy;
}
