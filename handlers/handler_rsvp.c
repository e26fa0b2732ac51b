/*
 * handler_rsvp: YES / NO (हाँ / नहीं, haan / nahi; the keyword's category
 * says which).  Three meanings, in this order:
 *   - "YES <digits>" (at least 4) from a coordinator confirms her
 *     pending NOTICE; a wrong one counts against it, and a few wrong
 *     ones cancel it (broadcast.h);
 *   - otherwise it is her answer to the meeting or coordinator's NOTICE
 *     she was last told of and that is still open: recorded (the latest
 *     answer counts) and acknowledged;
 *   - with no such meeting, the help menu.
 * Menu digits are never an answer: they stay the menu.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handler.h"
#include "prompts.h"
#include "util.h"

#define IST_OFFSET_S	19800	/* +05:30 */

/* Codes have 6 digits; shorter or longer ones are wrong tries, not
 * RSVPs, so that guessing at any length is counted. */
static int
is_code(const char *args)
{
	size_t n = strlen(args);

	return n >= 4 && n <= 10 && strspn(args, "0123456789") == n;
}

static int
say(const struct sp_ctx *ctx, struct handler_request *req, const char *key,
    struct handler_reply *reply, const char *title, const char *date,
    const char *tm, const char *count)
{
	return handler_reply_prompt(reply, ctx->prompts, req->lang, key,
	    "title", title, "date", date, "time", tm, "count", count, NULL);
}

static int
confirm(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	char count[24];
	int64_t n = 0;
	int rc;

	rc = ctx->broadcast->notice_confirm(ctx->broadcast_arg, req->contact->phone,
	    req->args, &n);
	if (rc == -1)
		return say(ctx, req, "notice.error", reply, "", "", "", "");
	snprintf(count, sizeof(count), "%lld", (long long)n);
	return say(ctx, req, rc == 1 ? "notice.sent" : rc == 2 ?
	    "notice.cancelled" : rc == 3 ? "notice.nobody" :
	    "notice.bad_code", reply, "", "", "", count);
}

static int
rsvp_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	const struct contact *c = req->contact;
	int yes = req->category == NULL || strcmp(req->category, "no") != 0;
	char *title = NULL, date[32], tm[16];
	int64_t when = 0;
	time_t s;
	struct tm t;
	int rc;

	if (ctx->broadcast == NULL) {
		req->outcome = HANDLER_OUTCOME_NOT_UNDERSTOOD;
		return handler_help.run(ctx, req, reply);
	}
	if (yes && is_code(req->args) && c->role != NULL &&
	    strcmp(c->role, "coordinator") == 0) {
		req->outcome = HANDLER_OUTCOME_NOTICE;
		return confirm(ctx, req, reply);
	}
	rc = ctx->broadcast->rsvp(ctx->broadcast_arg, c->phone, yes, &title, &when);
	if (rc == 0) {
		/* A yes or no to no meeting: nothing she said could be
		 * acted on, the menu is all she gets. */
		req->outcome = HANDLER_OUTCOME_NOT_UNDERSTOOD;
		return handler_help.run(ctx, req, reply);
	}
	if (rc == -1)
		return -1;
	if (rc == 2) {
		free(title);
		return say(ctx, req, yes ? "notice.answer_yes" :
		    "notice.answer_no", reply, "", "", "", "");
	}
	s = (time_t)(when / 1000 + IST_OFFSET_S);
	gmtime_r(&s, &t);
	strftime(date, sizeof(date), "%d %b", &t);
	strftime(tm, sizeof(tm), "%H:%M", &t);
	rc = say(ctx, req, yes ? "rsvp.yes" : "rsvp.no", reply, title, date,
	    tm, "");
	free(title);
	return rc;
}

const struct handler handler_rsvp = {
	.name = "rsvp",
	.run = rsvp_run,
};
