/*
 * handler_join: "JOIN <district> [name]" registers her: the district (one
 * or more words, e.g. "sant ravidas nagar"), then an optional name as she
 * wrote it.  Registration also pins the language she is answered in, so
 * that broadcasts reach her in it.  The welcome names both.
 */
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "handler.h"
#include "prompts.h"
#include "util.h"

/* The longest district name we try, in words. */
#define JOIN_DISTRICT_WORDS	5

/*
 * The district named by the first words of args (normalised); *words is
 * how many words it took.  NULL if none does.
 */
static const struct district *
leading_district(const struct sp_ctx *ctx, const char *args, size_t *words)
{
	const struct district *d;
	const char *ends[JOIN_DISTRICT_WORDS];
	const char *p;
	size_t n = 0, k;
	char *prefix;
	int found;

	for (p = args; *p != '\0' && n < JOIN_DISTRICT_WORDS; ) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		while (*p != '\0' && *p != ' ')
			p++;
		ends[n++] = p;
	}
	for (k = n; k > 0; k--) {
		prefix = xstrndup(args, (size_t)(ends[k - 1] - args));
		found = district_match(ctx->districts, prefix, &d);
		free(prefix);
		if (found) {
			*words = k;
			return d;
		}
	}
	return NULL;
}

/* raw after its first n space-separated words. */
static const char *
skip_words(const char *raw, size_t n)
{
	while (n-- > 0) {
		while (*raw == ' ' || *raw == '\t')
			raw++;
		while (*raw != '\0' && *raw != ' ' && *raw != '\t')
			raw++;
	}
	return raw;
}

static int
join_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;
	const struct district *d;
	const char *key;
	size_t words = 0;
	char *name;

	d = leading_district(ctx, req->args, &words);
	if (d == NULL)
		return handler_reply_prompt(reply, ctx->prompts, req->lang,
		    *req->args == '\0' ? "join.usage" : "join.unknown", NULL);
	free(c->district);
	c->district = xstrdup(d->key);
	req->district = d;
	if (c->language == NULL)
		c->language = xstrdup(req->lang);
	name = handler_name_clean(skip_words(req->raw_args ? req->raw_args :
	    "", words));
	if (name != NULL) {
		free(c->name);
		c->name = name;
	}
	if (c->name != NULL)
		key = "join.welcome";
	else
		key = "join.welcome.anon";
	return handler_reply_prompt(reply, ctx->prompts, req->lang, key,
	    "name", c->name ? c->name : "", "district",
	    district_name(d, req->lang), NULL);
}

const struct handler handler_join = {
	.name = "join",
	.run = join_run,
};
