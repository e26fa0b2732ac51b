/*
 * api_job: a route's store work run off the event loop (struct admin_job,
 * admin.h) on a connection of its own, answered as JSON.  The console's
 * routes that read or write a whole audience, a whole contacts table or
 * a whole import use it, so that webhooks are answered meanwhile.
 */
#ifndef SP_API_JOB_H
#define SP_API_JOB_H

#include <jansson.h>

#include "admin.h"

struct store;

/*
 * The work: with st (the job's own connection, or the daemon's when
 * admin_dispatch runs jobs at once) and arg, return the answer's body and
 * set *status.  NULL means the store failed: 503.  Runs on a worker
 * thread: it may use only arg and st.
 */
typedef json_t *api_job_work(struct store *st, void *arg, int *status);

/*
 * Leave the work in res->job.  free_arg (may be NULL) frees arg when the
 * job is done; kick_sender: the work queued messages, so the sender is
 * woken when it is over.
 */
void	 api_job_start(struct admin_ctx *, struct admin_response *,
	    api_job_work *work, void *arg, void (*free_arg)(void *),
	    int kick_sender);


#endif
