/*
 * handler_start: START (and its Hindi words) opts her back in; the only
 * keyword the router passes on from an opted-out contact.
 */
#include "handler.h"
#include "prompts.h"
#include "util.h"

static int
start_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct buf b;

	req->contact->opted_out_ms = 0;
	buf_init(&b, 0);
	if (prompts_format(ctx->prompts, req->lang, "start.confirm", &b,
	    NULL) == -1) {
		buf_free(&b);
		return -1;
	}
	handler_reply_add_keyed(reply, buf_steal(&b), "start.confirm");
	return 0;
}

const struct handler handler_start = {
	.name = "start",
	.run = start_run,
};
