/*
 * api_job: store work off the loop, answered as JSON.  See api_job.h.
 */
#include <stdlib.h>
#include <string.h>

#include "api_job.h"
#include "provider.h"
#include "sender.h"
#include "store.h"
#include "util.h"

struct api_job {
	struct admin_job	 job;
	api_job_work		*work;
	void			*arg;
	void			(*free_arg)(void *);
	int			 kick_sender;
	char			*db_path;	/* NULL: use store below */
	struct store		*store;		/* when run on the loop */
	json_t			*result;
	int			 status;
	char			 err[256];
};

static void
job_work(struct admin_job *job)
{
	struct api_job *aj = (struct api_job *)job;
	struct store_options so;
	struct store *st = aj->store, *own = NULL;

	if (aj->db_path != NULL) {
		/* Waits for the daemon's commits, never the other way. */
		memset(&so, 0, sizeof(so));
		so.busy_timeout_ms = 10000;
		if ((own = store_open(aj->db_path, &so, aj->err,
		    sizeof(aj->err))) == NULL)
			return;
		st = own;
	}
	aj->status = 200;
	aj->result = aj->work(st, aj->arg, &aj->status);
	store_close(own);
}

static void
job_finish(struct admin_job *job, struct admin_ctx *ctx,
    struct admin_response *res)
{
	struct api_job *aj = (struct api_job *)job;

	if (aj->result == NULL) {
		admin_error(res, 503, "store unavailable");
		return;
	}
	if (aj->kick_sender && ctx->sender != NULL)
		sender_kick(ctx->sender);
	admin_json_reply(res, aj->status, aj->result);
	aj->result = NULL;
}

static void
job_free(struct admin_job *job)
{
	struct api_job *aj = (struct api_job *)job;

	if (aj->free_arg != NULL)
		aj->free_arg(aj->arg);
	json_decref(aj->result);
	free(aj->db_path);
	free(aj);
}

void
api_job_start(struct admin_ctx *ctx, struct admin_response *res,
    api_job_work *work, void *arg, void (*free_arg)(void *),
    int kick_sender)
{
	struct api_job *aj = xcalloc(1, sizeof(*aj));

	aj->job.work = job_work;
	aj->job.finish = job_finish;
	aj->job.free = job_free;
	aj->work = work;
	aj->arg = arg;
	aj->free_arg = free_arg;
	aj->kick_sender = kick_sender;
	aj->store = ctx->store;
	if (ctx->can_defer && ctx->db_path != NULL)
		aj->db_path = xstrdup(ctx->db_path);
	res->job = &aj->job;
}
