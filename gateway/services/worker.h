/*
 * worker: bulk work off the event loop.  Creating a broadcast to 100,000
 * women takes a second or more of SQLite writes; done on the loop, every
 * webhook of that second would wait.  A job's work runs on a thread of
 * its own (with its own store connection, which the job opens), and its
 * done callback runs on the loop once the work is over, where it may
 * answer an HTTP request or kick the sender.
 *
 * The work may use only what the job owns or what stays unchanged while
 * it runs (the caller keeps the runtime it was given alive until done).
 */
#ifndef SP_WORKER_H
#define SP_WORKER_H

#include <stddef.h>

struct event_base;
struct worker;

struct worker *worker_new(struct event_base *, char *err, size_t errlen);
/* Waits for the jobs still running and calls their done callbacks. */
void	 worker_free(struct worker *);

/* Run work(arg) off the loop, then done(arg) on it.  0, or -1 with err
 * (then neither is called). */
int	 worker_run(struct worker *, void (*work)(void *), void (*done)(void *),
	    void *arg, char *err, size_t errlen);
/* Jobs started and not yet done. */
size_t	 worker_busy(const struct worker *);

#endif
