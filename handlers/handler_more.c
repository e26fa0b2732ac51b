/*
 * handler_more: the next page of the last long answer, while it is fresh.
 */
#include <stdlib.h>

#include "handler.h"
#include "prompts.h"
#include "util.h"

static int
more_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;
	struct buf b;
	char *rest;

	if (c->more_text != NULL && c->more_until_ms > ctx->now_ms) {
		/* handler_page replaces more_text, so hand it our own copy. */
		rest = c->more_text;
		c->more_text = NULL;
		handler_page(ctx, req, rest, reply);
		free(rest);
		return 0;
	}
	buf_init(&b, 0);
	if (prompts_format(ctx->prompts, req->lang, "more.none", &b,
	    NULL) == -1) {
		buf_free(&b);
		return -1;
	}
	handler_reply_add(reply, buf_steal(&b));
	return 0;
}

const struct handler handler_more = {
	.name = "more",
	.run = more_run,
};
