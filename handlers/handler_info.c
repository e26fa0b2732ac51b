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
#include "prompts.h"
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
	struct buf b;

	free(c->pending_keyword);
	c->pending_keyword = xstrdup(req->keyword);
	c->pending_until_ms = ctx->now_ms + ctx->pending_ms;
	req->outcome = HANDLER_OUTCOME_ASKED_DISTRICT;
	buf_init(&b, 0);
	if (prompts_format(ctx->prompts, req->lang, "ask.district", &b,
	    NULL) == -1) {
		buf_free(&b);
		return -1;
	}
	handler_reply_add(reply, buf_steal(&b));
	return 0;
}

/* The stakeholders of category for every district ("*"), into b. */
static int
anywhere(const struct sp_ctx *ctx, struct handler_request *req,
    const char *category, struct buf *b, int *header)
{
	struct stakeholder *rows;
	size_t n, i;
	int rc = 0;

	if (ctx->ops->stakeholders_find(ctx->ops_arg, category, "*", &rows,
	    &n) == -1)
		return -1;
	if (n > 0 && !*header) {
		buf_putc(b, ' ');
		rc = prompts_format(ctx->prompts, req->lang,
		    "district.unknown.anywhere", b, NULL);
		*header = 1;
	}
	for (i = 0; rc == 0 && i < n; i++) {
		buf_putc(b, '\n');
		rc = prompts_format(ctx->prompts, req->lang, "info.entry", b,
		    "name", rows[i].name, "phone", rows[i].phone, NULL);
		handler_refer(req, &rows[i]);
	}
	ctx->ops->stakeholders_free(ctx->ops_arg, rows, n);
	return rc;
}

/*
 * She named a district Sampark does not serve: asking which district
 * again would go round in circles.  Say so, give what works everywhere
 * for what she asked (or for everything), then the districts served.
 */
static int
answer_unserved(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	const struct keyword *k;
	struct buf b, served;
	size_t i;
	int rc, header = 0;

	buf_init(&b, 0);
	rc = prompts_format(ctx->prompts, req->lang, "district.unknown", &b,
	    "district", understand_unserved_name(req->unserved, req->lang), NULL);
	if (rc == 0 && req->category != NULL)
		rc = anywhere(ctx, req, req->category, &b, &header);
	for (i = 0; rc == 0 && req->category == NULL &&
	    i < keywords_count(ctx->keywords); i++) {
		k = keywords_at(ctx->keywords, i);
		if (k->handler != NULL && strcmp(k->handler, "info") == 0 &&
		    k->category != NULL)
			rc = anywhere(ctx, req, k->category, &b, &header);
	}
	buf_init(&served, 0);
	for (i = 0; i < district_count(ctx->districts); i++)
		buf_printf(&served, "%s%s", i > 0 ? ", " : "",
		    district_name(district_at(ctx->districts, i), req->lang));
	if (rc == 0) {
		buf_putc(&b, '\n');
		rc = prompts_format(ctx->prompts, req->lang,
		    "district.unknown.served", &b, "districts",
		    buf_cstr(&served), NULL);
	}
	/* Told where help reaches her from anywhere, she was answered;
	 * told only that her district is not served, she was not. */
	req->outcome = req->referred.len > 0 ? HANDLER_OUTCOME_ANSWERED :
	    HANDLER_OUTCOME_NO_STAKEHOLDER;
	if (rc == 0)
		handler_page(ctx, req, buf_cstr(&b), reply);
	buf_free(&b);
	buf_free(&served);
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
	size_t n, i;
	struct buf b;
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
	buf_init(&b, 0);
	if (n == 0) {
		req->outcome = HANDLER_OUTCOME_NO_STAKEHOLDER;
		rc = prompts_format(ctx->prompts, req->lang, "info.none", &b,
		    "category", cname, "district", dname, NULL);
		if (rc == 0)
			handler_reply_add(reply, buf_steal(&b));
		goto out;
	}
	rc = prompts_format(ctx->prompts, req->lang, "info.header", &b,
	    "category", cname, "district", dname, NULL);
	req->outcome = HANDLER_OUTCOME_ANSWERED;
	/* Every entry of the answer counts as given, those behind MORE
	 * too: the answer is hers, whether she pages through it or not. */
	for (i = 0; rc == 0 && i < n; i++) {
		buf_putc(&b, '\n');
		rc = prompts_format(ctx->prompts, req->lang, "info.entry", &b,
		    "name", rows[i].name, "phone", rows[i].phone, NULL);
		handler_refer(req, &rows[i]);
	}
	if (rc == 0)
		handler_page(ctx, req, buf_cstr(&b), reply);
out:
	buf_free(&b);
	ctx->ops->stakeholders_free(ctx->ops_arg, rows, n);
	return rc;
}

const struct handler handler_info = {
	.name = "info",
	.run = info_run,
};
