/*
 * router: normalise, match, resolve the district and the language, call
 * the handler, keep the contact.  See router.h for the contract.
 */
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "keywords.h"
#include "language_guess.h"
#include "log.h"
#include "prompts.h"
#include "reply_templates.h"
#include "router.h"
#include "text.h"
#include "understand.h"
#include "util.h"

/* What an opted-out contact gets for anything but START: no reply. */
static int
opted_out_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	(void)ctx;
	(void)req;
	(void)reply;
	return 0;
}

static const struct handler router_opted_out = {
	.name = "opted-out",
	.run = opted_out_run,
};

/* A limited sender's message: stored by the caller, carried out never. */
static const struct handler router_limited = {
	.name = "limited",
	.run = opted_out_run,
};

void
router_result_clear(struct router_result *res)
{
	free(res->keyword);
	free(res->handler);
	free(res->language);
	free(res->district);
	free(res->unserved);
	free(res->category);
	free(res->stakeholders);
	handler_reply_clear(&res->reply);
	memset(res, 0, sizeof(*res));
}

/*
 * Her language, or else what she wrote in.  A plain English sentence is
 * kept as her language: the next text may be "Mirzapur" alone, the
 * answer to a question asked in English.  LANG changes it.
 */
static const char *
reply_language(const struct sp_ctx *ctx, struct contact *c,
    const char *text, const char *norm)
{
	const char *guess;

	if (c->language != NULL && prompts_has_language(ctx->prompts,
	    c->language))
		return c->language;
	if (text_has_devanagari(text))
		return "hi";
	if ((guess = language_guess(norm)) != NULL &&
	    prompts_has_language(ctx->prompts, guess)) {
		/* guess, not c->language: a handler (LANG) may free that. */
		if (c->language == NULL)
			c->language = xstrdup(guess);
		return guess;
	}
	return ctx->default_language;
}

static void
clear_pending(struct contact *c)
{
	free(c->pending_keyword);
	c->pending_keyword = NULL;
	c->pending_until_ms = 0;
}

static void
set_district(struct contact *c, const struct district *d)
{
	free(c->district);
	c->district = xstrdup(d->key);
}

static int
load_contact(const struct sp_ctx *ctx, const char *phone, struct contact *c)
{
	int64_t now = ctx->now_ms;
	int rc = ctx->ops->contact_get(ctx->ops_arg, phone, c);

	if (rc == -1)
		return -1;
	if (rc == 0) {
		memset(c, 0, sizeof(*c));
		c->phone = xstrdup(phone);
		c->role = xstrdup("entrepreneur");
	}
	/* Imported or grouped contacts exist before she first writes. */
	if (c->first_seen_ms == 0)
		c->first_seen_ms = now;
	c->last_seen_ms = now;
	return 0;
}

/*
 * text after its first n space-separated words, as sent.  Normalisation
 * keeps word boundaries except where punctuation splits a word, so this
 * is where the arguments of a command start in what she wrote.
 */
static const char *
raw_after(const char *text, size_t n)
{
	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	while (n-- > 0) {
		while (*text != '\0' && *text != ' ' && *text != '\t' &&
		    *text != '\n' && *text != '\r')
			text++;
		while (*text == ' ' || *text == '\t' || *text == '\n' ||
		    *text == '\r')
			text++;
	}
	return text;
}

/* norm after its first n words. */
static const char *
norm_after(const char *norm, size_t n)
{
	const char *p = norm;

	while (n-- > 0 && *p != '\0') {
		while (*p != '\0' && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return p;
}

/* The district in effect: named in the message, else hers. */
static void
use_district(const struct sp_ctx *ctx, const struct understand_result *u,
    struct contact *c, struct handler_request *req)
{
	if (u->district != NULL) {
		set_district(c, u->district);
		req->district = u->district;
	} else if (c->district != NULL)
		req->district = district_find(ctx->districts, c->district);
}

/*
 * Decide what the text asks for (understand.h).  Fills req (keyword,
 * category, args, district, unmatched) and returns the handler.
 */
static const struct handler *
match(const struct sp_ctx *ctx, const char *text, const char *norm,
    struct contact *c, struct handler_request *req,
    const char **matched_kw, struct understand_result *u)
{
	const struct keyword *kw = NULL;
	int pending = c->pending_keyword != NULL &&
	    c->pending_until_ms > ctx->now_ms;

	understand_message(ctx->understand, text, norm, u);
	req->args = "";
	req->raw_args = "";
	switch (u->action) {
	case UNDERSTAND_ACT_COMMAND:
		kw = u->kw;
		req->args = norm_after(norm, u->args_word);
		req->raw_args = raw_after(text, u->args_word);
		/* The pending question is answered or dropped, except by a
		 * MORE that pages through something else. */
		clear_pending(c);
		break;
	case UNDERSTAND_ACT_INFO:
		kw = u->kw;
		clear_pending(c);
		use_district(ctx, u, c, req);
		break;
	case UNDERSTAND_ACT_CHOOSE:
		clear_pending(c);
		use_district(ctx, u, c, req);
		req->keyword = "choose";
		req->category = u->kw->category ? u->kw->category :
		    u->kw->name;
		req->args = u->kw2->category ? u->kw2->category :
		    u->kw2->name;
		req->choice[0] = u->kw;
		req->choice[1] = u->kw2;
		*matched_kw = "choose";
		return handler_find("choose");
	case UNDERSTAND_ACT_DISTRICT:
		set_district(c, u->district);
		req->district = u->district;
		if (pending)
			kw = keywords_find(ctx->keywords, c->pending_keyword);
		clear_pending(c);
		if (kw == NULL) {
			/* Just her district: remember it, show the menu. */
			req->outcome = HANDLER_OUTCOME_ASKED_CATEGORY;
			*matched_kw = "district";
			return handler_find("help");
		}
		break;
	case UNDERSTAND_ACT_UNSERVED:
		/* Told, not asked again: the category she asked for now or
		 * before, if any, for the helplines that serve everywhere;
		 * it stays pending, for a served district she may name
		 * next. */
		kw = u->kw;
		if (kw == NULL && pending)
			kw = keywords_find(ctx->keywords, c->pending_keyword);
		clear_pending(c);
		if (kw != NULL) {
			c->pending_keyword = xstrdup(kw->name);
			c->pending_until_ms = ctx->now_ms + ctx->pending_ms;
		}
		req->unserved = u->unserved;
		req->keyword = "unserved";
		req->category = kw != NULL ? kw->category : NULL;
		*matched_kw = "unserved";
		return handler_find("info");
	case UNDERSTAND_ACT_HELP:
		*matched_kw = "help";
		return handler_find("help");
	case UNDERSTAND_ACT_UNKNOWN:
		req->unmatched = 1;
		*matched_kw = NULL;
		return handler_find("help");
	}
	if (kw == NULL) {
		req->unmatched = 1;
		*matched_kw = NULL;
		return handler_find("help");
	}
	if (req->district == NULL && c->district != NULL)
		req->district = district_find(ctx->districts, c->district);
	req->keyword = kw->name;
	req->category = kw->category;
	*matched_kw = kw->name;
	return handler_find(kw->handler);
}

/* What the exchange came to, when the handler did not say. */
static const char *
default_outcome(const struct handler *h)
{
	static const struct {
		const char	*handler, *outcome;
	} map[] = {
		{ "opted-out", HANDLER_OUTCOME_OPTED_OUT },
		{ "limited", HANDLER_OUTCOME_LIMITED },
		{ "choose", HANDLER_OUTCOME_ASKED_CATEGORY },
		{ "join", HANDLER_OUTCOME_CONTROL },
		{ "name", HANDLER_OUTCOME_CONTROL },
		{ "lang", HANDLER_OUTCOME_CONTROL },
		{ "stop", HANDLER_OUTCOME_CONTROL },
		{ "start", HANDLER_OUTCOME_CONTROL },
		{ "notice", HANDLER_OUTCOME_NOTICE },
		{ "rsvp", HANDLER_OUTCOME_RSVP },
	};
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(map); i++)
		if (strcmp(map[i].handler, h->name) == 0)
			return map[i].outcome;
	return HANDLER_OUTCOME_ANSWERED;
}

/*
 * The last check before anything is sent: a text that does not match its
 * DLT template would be dropped by the operator's scrubber, unseen, so
 * it is not sent at all, and logged.
 */
static void
keep_registered(const struct sp_ctx *ctx, const char *lang,
    struct handler_reply *r)
{
	size_t i, j;
	const char *why;

	if (ctx->templates == NULL)
		return;
	for (i = j = 0; i < r->n; i++) {
		if (reply_templates_check(ctx->templates, lang, r->keys[i],
		    r->texts[i], &why) == NULL) {
			log_warn("reply_not_sent", "reply %s (%s) not sent: "
			    "%s", r->keys[i] ? r->keys[i] : "?", lang, why);
			free(r->texts[i]);
			free(r->keys[i]);
			continue;
		}
		r->texts[j] = r->texts[i];
		r->keys[j] = r->keys[i];
		r->seg[j] = r->seg[i];
		r->counted[j] = r->counted[i];
		j++;
	}
	r->n = j;
}

int
router_route(const struct sp_ctx *ctx, const char *phone, const char *text,
    struct router_result *res)
{
	struct contact contact;
	struct handler_request req;
	const struct handler *h;
	const char *kwname = NULL, *asked_category;
	struct understand_result u;
	char *norm;
	int rc = -1, keep = 1;

	memset(res, 0, sizeof(*res));
	memset(&req, 0, sizeof(req));
	if (load_contact(ctx, phone, &contact) == -1)
		return -1;
	norm = text_normalize(text, strlen(text));
	if (norm == NULL)
		norm = xstrdup("");
	req.contact = &contact;
	req.lang = reply_language(ctx, &contact, text, norm);
	h = match(ctx, text, norm, &contact, &req, &kwname, &u);
	/* Only a question for the directory has a category in the log's
	 * sense (yes and no are categories of the RSVP words). */
	asked_category = h != NULL && (strcmp(h->name, "info") == 0 ||
	    strcmp(h->name, "choose") == 0) ? req.category : NULL;
	if (req.keyword == NULL)
		req.keyword = kwname ? kwname : "help";

	if (ctx->limited && (h == NULL || strcmp(h->name, "stop") != 0)) {
		/* Over a limit: what match() read is logged, nothing is done
		 * and the contact is left as it was; STOP alone goes on. */
		h = &router_limited;
		req.outcome = NULL;
		keep = 0;
	} else if (contact.opted_out_ms != 0 && (h == NULL ||
	    strcmp(h->name, "start") != 0)) {
		/* She said STOP: nothing is sent until START, not even a
		 * "not understood".  The inbound is still logged. */
		h = &router_opted_out;
		req.outcome = NULL;
	} else if (kwname != NULL && req.category != NULL && h != NULL &&
	    strcmp(h->name, "info") == 0 &&
	    ctx->ops->interest_add(ctx->ops_arg, phone, req.category,
	    ctx->now_ms) == -1) {
		goto out;
	}
	if (h == NULL || h->run(ctx, &req, &res->reply) == -1) {
		struct buf b;

		handler_reply_clear(&res->reply);
		buf_init(&b, 0);
		if (prompts_format(ctx->prompts, req.lang, "error.internal",
		    &b, NULL) == -1)
			buf_puts(&b, "Sorry, something went wrong.");
		handler_reply_add_keyed(&res->reply, buf_steal(&b),
		    "error.internal");
		req.outcome = HANDLER_OUTCOME_ERROR;
		handler_request_clear(&req);
	}
	keep_registered(ctx, req.lang, &res->reply);
	/* Not understood stays so even when a handler answered with the
	 * menu: the router decided that before any handler ran. */
	if (req.unmatched && h != &router_limited && h != &router_opted_out)
		req.outcome = HANDLER_OUTCOME_NOT_UNDERSTOOD;
	res->outcome = req.outcome != NULL ? req.outcome :
	    default_outcome(h);
	res->category = asked_category != NULL ? xstrdup(asked_category) :
	    NULL;
	res->stakeholders = req.referred.len > 0 ? buf_steal(&req.referred) :
	    NULL;
	res->matched = !req.unmatched;
	res->keyword = kwname ? xstrdup(kwname) : NULL;
	res->handler = xstrdup(h ? h->name : "error");
	res->language = xstrdup(req.lang);
	res->district = contact.district ? xstrdup(contact.district) : NULL;
	res->unserved = req.unserved ? xstrdup(req.unserved->name_en) : NULL;
	if (!keep || ctx->ops->contact_put(ctx->ops_arg, &contact) == 0)
		rc = 0;
out:
	if (rc == -1)
		router_result_clear(res);
	records_contact_clear(&contact);
	handler_request_clear(&req);
	free(norm);
	return rc;
}
