/*
 * handler_more: the next page of the last list, while it is fresh.
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
	char *rest;
	int rc;

	if (c->more_text != NULL && c->more_until_ms > ctx->now_ms) {
		/* handler_list_more replaces more_text, so hand it our own copy. */
		rest = c->more_text;
		c->more_text = NULL;
		rc = handler_list_more(ctx, req, rest, reply);
		free(rest);
		return rc;
	}
	return handler_reply_prompt(reply, ctx->prompts, req->lang,
	    "more.none", NULL);
}

const struct handler handler_more = {
	.name = "more",
	.run = more_run,
};
