/*
 * handler_choose: she named two categories in one message ("loan aur
 * training").  Asks which, numbering each by its menu digit from
 * keywords.conf, so that her one-digit answer is an ordinary menu choice
 * and needs nothing kept pending; a district she named is already kept
 * on her contact by the router.
 */
#include <stdio.h>
#include <string.h>

#include "handler.h"
#include "keywords.h"
#include "prompts.h"
#include "util.h"

/* The menu digit of kw, or NULL. */
static const char *
digit_of(const struct sp_ctx *ctx, const struct keyword *kw)
{
	struct kw_alias a;
	size_t i;

	for (i = 0; keywords_alias_at(ctx->keywords, i, &a); i++)
		if (a.kw == kw && strcmp(a.lang, "digit") == 0)
			return a.alias;
	return NULL;
}

static int
choose_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct buf opts;
	char key[64];
	const char *name, *digit, *cat;
	size_t i;
	int rc;

	buf_init(&opts, 0);
	for (i = 0; i < 2 && req->choice[i] != NULL; i++) {
		cat = req->choice[i]->category ? req->choice[i]->category :
		    req->choice[i]->name;
		snprintf(key, sizeof(key), "category.%s", cat);
		if ((name = prompts_get(ctx->prompts, req->lang, key)) == NULL)
			name = cat;
		digit = digit_of(ctx, req->choice[i]);
		if (i > 0)
			buf_puts(&opts, ", ");
		buf_printf(&opts, "%s %s", digit ? digit : req->choice[i]->name,
		    name);
	}
	rc = handler_reply_prompt(reply, ctx->prompts, req->lang, "choose.ask",
	    "options", buf_cstr(&opts), NULL);
	buf_free(&opts);
	return rc;
}

const struct handler handler_choose = {
	.name = "choose",
	.run = choose_run,
};
