/*
 * handler_stop: STOP and its usual words opt her out.  The one
 * confirmation is the last thing she is sent: from now on the router
 * answers nothing but START, and the sender refuses to send her anything
 * queued before this moment (sender.c).  Her name, district and groups
 * are kept, so START restores everything.
 */
#include <stdlib.h>

#include "handler.h"
#include "prompts.h"
#include "util.h"

static int
stop_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;
	struct buf b;

	c->opted_out_ms = ctx->now_ms > 0 ? ctx->now_ms : 1;
	/* Nothing is waiting for her any more. */
	free(c->pending_keyword);
	c->pending_keyword = NULL;
	c->pending_until_ms = 0;
	free(c->more_text);
	c->more_text = NULL;
	c->more_until_ms = 0;
	buf_init(&b, 0);
	if (prompts_format(ctx->prompts, req->lang, "stop.confirm", &b,
	    NULL) == -1) {
		buf_free(&b);
		return -1;
	}
	handler_reply_add_keyed(reply, buf_steal(&b), "stop.confirm");
	return 0;
}

const struct handler handler_stop = {
	.name = "stop",
	.run = stop_run,
};
