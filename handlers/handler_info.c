/*
 * handler_info: the stakeholders of a category (loan, training, market...)
 * in the caller's district, one per line, paged behind MORE.  Without a
 * district it asks for one and leaves the question pending on the contact,
 * so that a reply of just the district name completes the request.  A
 * district Sampark does not serve is said so, with the stakeholders that
 * serve everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "handler.h"
#include "keywords.h"
#include "log.h"
#include "prompts.h"
#include "reply_templates.h"
#include "understand.h"
#include "util.h"

static const char *
category_name(const struct sp_ctx *ctx, const char *lang, const char *category,
    char *key, size_t keylen)
{
	const char *name;

	snprintf(key, keylen, "category.%s", category);
	name = prompts_get(ctx->prompts, lang, key);
	return name != NULL ? name : category;
}

static int
ask_district(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;

	free(c->pending_keyword);
	c->pending_keyword = xstrdup(req->keyword);
	c->pending_until_ms = ctx->now_ms + ctx->pending_ms;
	req->outcome = HANDLER_OUTCOME_ASKED_DISTRICT;
	return handler_reply_prompt(reply, ctx->prompts, req->lang,
	    "ask.district", NULL);
}

/* The stakeholders of category for every district ("*"), added to *all. */
static int
anywhere(const struct sp_ctx *ctx, const char *category,
    struct stakeholder **all, size_t *nall)
{
	struct stakeholder *rows;
	size_t n, i;

	if (ctx->ops->stakeholders_find(ctx->ops_arg, category, "*", &rows,
	    &n) == -1)
		return -1;
	*all = xreallocarray(*all, *nall + n + 1, sizeof(**all));
	for (i = 0; i < n; i++) {
		memset(&(*all)[*nall], 0, sizeof(**all));
		(*all)[*nall].id = rows[i].id;
		(*all)[*nall].name = xstrdup(rows[i].name);
		(*all)[*nall].phone = xstrdup(rows[i].phone);
		(*nall)++;
	}
	ctx->ops->stakeholders_free(ctx->ops_arg, rows, n);
	return 0;
}

/*
 * "Not here yet; served are ...": one text of two prompts, so its
 * template ("district.unknown") is the pair.
 */
static int
say_unserved(const struct sp_ctx *ctx, struct handler_request *req,
    const char *served, struct handler_reply *reply)
{
	const char *named = understand_unserved_name(req->unserved, req->lang);
	char err[160];
	struct buf b;

	/* The districts served are fixed text of the template. */
	if (reply_templates_field_check("district", named, err,
	    sizeof(err)) == -1) {
		log_warn("reply_not_sent", "reply district.unknown (%s) would "
		    "not match its DLT template, not sent: %s", req->lang, err);
		return 0;
	}
	buf_init(&b, 0);
	if (prompts_format(ctx->prompts, req->lang, "district.unknown", &b,
	    "district", named, NULL) == -1 || buf_putc(&b, ' ') == -1 ||
	    prompts_format(ctx->prompts, req->lang, "district.unknown.served",
	    &b, "districts", served, NULL) == -1) {
		buf_free(&b);
		return -1;
	}
	handler_reply_add_keyed(reply, buf_steal(&b), "district.unknown");
	return 0;
}

/*
 * She named a district Sampark does not serve: asking which district
 * again would go round in circles.  Say so and which districts are
 * served; then, in a text of its own, what works everywhere for what she
 * asked (or for everything).  Two texts, because each must be a
 * registered template and the list has pages of its own.
 */
static int
answer_unserved(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	const struct keyword *k;
	struct stakeholder *all = NULL;
	size_t i, nall = 0;
	struct buf served;
	int rc = 0;

	if (req->category != NULL)
		rc = anywhere(ctx, req->category, &all, &nall);
	for (i = 0; rc == 0 && req->category == NULL &&
	    i < keywords_count(ctx->keywords); i++) {
		k = keywords_at(ctx->keywords, i);
		if (k->handler != NULL && strcmp(k->handler, "info") == 0 &&
		    k->category != NULL)
			rc = anywhere(ctx, k->category, &all, &nall);
	}
	buf_init(&served, 0);
	for (i = 0; i < district_count(ctx->districts); i++)
		buf_printf(&served, "%s%s", i > 0 ? ", " : "",
		    district_name(district_at(ctx->districts, i), req->lang));
	if (rc == 0)
		rc = say_unserved(ctx, req, buf_cstr(&served), reply);
	if (rc == 0 && nall > 0)
		rc = handler_list(ctx, req, "anywhere.list",
		    "district.unknown.anywhere", NULL, NULL, all, nall, reply);
	/* Told where help reaches her from anywhere, she was answered;
	 * told only that her district is not served, she was not. */
	req->outcome = req->referred.len > 0 ? HANDLER_OUTCOME_ANSWERED :
	    HANDLER_OUTCOME_NO_STAKEHOLDER;
	buf_free(&served);
	records_stakeholders_free(all, nall);
	return rc;
}

static int
info_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	const char *category = req->category ? req->category : req->keyword;
	const char *dname, *cname;
	struct stakeholder *rows;
	char key[64];
	size_t n, before = reply->n;
	int rc = 0;

	if (req->unserved != NULL)
		return answer_unserved(ctx, req, reply);
	if (req->district == NULL)
		return ask_district(ctx, req, reply);
	if (ctx->ops->stakeholders_find(ctx->ops_arg, category,
	    req->district->key, &rows, &n) == -1)
		return -1;
	dname = district_name(req->district, req->lang);
	cname = category_name(ctx, req->lang, category, key, sizeof(key));
	if (n > 0)
		rc = handler_list(ctx, req, "info.list", "info.header", cname,
		    dname, rows, n, reply);
	/* None, or none that an SMS can carry (logged by handler_list). */
	req->outcome = req->referred.len > 0 ? HANDLER_OUTCOME_ANSWERED :
	    HANDLER_OUTCOME_NO_STAKEHOLDER;
	if (rc == 0 && reply->n == before)
		rc = handler_reply_prompt(reply, ctx->prompts, req->lang,
		    "info.none", "category", cname, "district", dname, NULL);
	ctx->ops->stakeholders_free(ctx->ops_arg, rows, n);
	return rc;
}

const struct handler handler_info = {
	.name = "info",
	.run = info_run,
};
