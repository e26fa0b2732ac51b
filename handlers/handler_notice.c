/*
 * handler_notice: "NOTICE <district> <free text>" (सूचना, suchna) from a
 * coordinator's basic phone.  Sampark answers with a preview — how many
 * people, how many SMS — and a 6-digit code; nothing is sent until she
 * replies "YES <code>" within 15 minutes, and three wrong codes cancel it
 * (handler_rsvp.c, broadcast.h).  "NOTICE STATUS" (सूचना स्थिति) answers
 * with how many of those her latest notice reached said YES, NO or
 * nothing yet.  From anyone
 * whose role is not coordinator, NOTICE is a word we do not know: the
 * help menu, logged as unmatched, so the keyword gives nothing away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "district.h"
#include "handler.h"
#include "prompts.h"
#include "util.h"

/*
 * "NOTICE STATUS" asks for the answers to her latest notice; the Hindi
 * words are those a coordinator would type for "state" or "count".  No
 * district has one of these names.
 */
static const char *const status_words[] = {
	"status", "स्थिति", "sthiti", "stithi", "गिनती", "ginti", "jawab",
	"जवाब",
};

static int
is_status_word(const char *w)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(status_words); i++)
		if (strcmp(w, status_words[i]) == 0)
			return 1;
	return 0;
}

#define IST_OFFSET_S	19800	/* +05:30 */

static int
status_reply(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	const struct district *d = NULL;
	struct sp_notice_status st;
	char date[32], count[24], yes[24], no[24], none[24];
	const char *name;
	struct tm t;
	time_t s;
	int rc;

	memset(&st, 0, sizeof(st));
	rc = ctx->broadcast->notice_status(ctx->broadcast_arg,
	    req->contact->phone, &st);
	if (rc == -1)
		return handler_reply_prompt(reply, ctx->prompts, req->lang,
		    "notice.error", NULL);
	if (rc == 0)
		return handler_reply_prompt(reply, ctx->prompts, req->lang,
		    "notice.status_none", NULL);
	district_match(ctx->districts, st.district, &d);
	name = d != NULL ? district_name(d, req->lang) : st.district;
	s = (time_t)(st.sent_ms / 1000 + IST_OFFSET_S);
	gmtime_r(&s, &t);
	strftime(date, sizeof(date), "%d %b", &t);
	snprintf(count, sizeof(count), "%lld", (long long)st.recipients);
	snprintf(yes, sizeof(yes), "%lld", (long long)st.yes);
	snprintf(no, sizeof(no), "%lld", (long long)st.no);
	snprintf(none, sizeof(none), "%lld", (long long)st.no_answer);
	return handler_reply_prompt(reply, ctx->prompts, req->lang,
	    "notice.status", "district", name, "date", date, "count", count,
	    "yes", yes, "no", no, "none", none, NULL);
}

/* The text after the first space-separated word of s. */
static const char *
after_first_word(const char *s)
{
	s += strspn(s, " \t\r\n");
	s += strcspn(s, " \t\r\n");
	return s + strspn(s, " \t\r\n");
}

static int
reply_key(const struct sp_ctx *ctx, struct handler_request *req,
    const char *key, struct handler_reply *reply, const char *district,
    const struct sp_notice_preview *pv)
{
	char count[24], seg[16], total[24], max[16];

	snprintf(count, sizeof(count), "%lld", (long long)pv->recipients);
	snprintf(seg, sizeof(seg), "%u", pv->segments);
	snprintf(total, sizeof(total), "%lld", (long long)pv->total_segments);
	snprintf(max, sizeof(max), "%zu", pv->max_chars);
	return handler_reply_prompt(reply, ctx->prompts, req->lang, key,
	    "district", district, "count", count, "segments", seg, "total",
	    total, "code", pv->code, "max", max, NULL);
}

static int
notice_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	const struct contact *c = req->contact;
	const struct district *d = NULL;
	struct sp_notice_preview pv;
	const char *text, *key;
	char *word;
	int rc;

	if (ctx->broadcast == NULL || c->role == NULL ||
	    strcmp(c->role, "coordinator") != 0) {
		req->unmatched = 1;
		return handler_help.run(ctx, req, reply);
	}
	memset(&pv, 0, sizeof(pv));
	word = xstrndup(req->args, strcspn(req->args, " "));
	if (is_status_word(word) && ctx->broadcast->notice_status != NULL) {
		free(word);
		return status_reply(ctx, req, reply);
	}
	text = after_first_word(req->raw_args != NULL ? req->raw_args : "");
	if (*word != '\0')
		district_match(ctx->districts, word, &d);
	key = *word == '\0' || *text == '\0' ? "notice.usage" :
	    d == NULL ? "notice.district" : NULL;
	free(word);
	if (key != NULL)
		return reply_key(ctx, req, key, reply, "", &pv);
	rc = ctx->broadcast->notice_prepare(ctx->broadcast_arg, c->phone, d->key,
	    text, &pv);
	if (rc == 1)
		return reply_key(ctx, req, "notice.too_long", reply, "", &pv);
	if (rc == 2)
		return reply_key(ctx, req, "notice.nobody", reply, "", &pv);
	if (rc == -1)
		return reply_key(ctx, req, "notice.error", reply, "", &pv);
	return reply_key(ctx, req, "notice.preview", reply,
	    district_name(d, req->lang), &pv);
}

const struct handler handler_notice = {
	.name = "notice",
	.run = notice_run,
};
