/*
 * handler_help: the menu.  Also the answer to anything not understood, so
 * that nobody who texts Sampark is left without a next step.
 */
#include "handler.h"
#include "prompts.h"
#include "util.h"

static int
help_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct buf b;

	if (req->unmatched)
		req->outcome = HANDLER_OUTCOME_NOT_UNDERSTOOD;
	else if (req->outcome == NULL)
		req->outcome = HANDLER_OUTCOME_ANSWERED;
	buf_init(&b, 0);
	if (req->unmatched) {
		if (prompts_format(ctx->prompts, req->lang, "help.unknown", &b,
		    NULL) == 0)
			buf_putc(&b, ' ');
	}
	if (prompts_format(ctx->prompts, req->lang, "help.menu", &b,
	    NULL) == -1) {
		buf_free(&b);
		return -1;
	}
	/* Whole, never paged: a cut menu would match no DLT template. */
	handler_reply_add_keyed(reply, buf_steal(&b),
	    req->unmatched ? "help.unknown" : "help.menu");
	return 0;
}

const struct handler handler_help = {
	.name = "help",
	.run = help_run,
};
