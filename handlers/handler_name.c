/*
 * handler_name: "NAME <name>" keeps the name she gives, as she wrote it
 * (raw_args: case kept), tidied and cut to a length an SMS greeting can
 * carry.  Also exports the tidying for JOIN.
 */
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "prompts.h"
#include "reply_templates.h"
#include "util.h"

#define NAME_MAX_CHARS	40

char *
handler_name_clean(const char *raw)
{
	struct buf b;
	size_t chars = 0;
	const unsigned char *p;
	int space = 0;

	buf_init(&b, 0);
	for (p = (const unsigned char *)(raw ? raw : ""); *p != '\0'; p++) {
		/* Whitespace and ASCII control bytes collapse to one space;
		 * digits and SMS punctuation at the edges are noise. */
		if (*p <= ' ') {
			space = b.len > 0;
			continue;
		}
		if ((*p & 0xc0) != 0x80) {
			if (chars == NAME_MAX_CHARS)
				break;
			if (space) {
				buf_putc(&b, ' ');
				chars++;
				space = 0;
				if (chars == NAME_MAX_CHARS)
					break;
			}
			chars++;
		}
		buf_putc(&b, (char)*p);
	}
	/* Cut at a character boundary already; drop a trailing space. */
	while (b.len > 0 && b.data[b.len - 1] == ' ') {
		b.data[--b.len] = '\0';
		chars--;
	}
	/* An initial alone is too short for the name's DLT variables (each
	 * holds one character at least): the reply that says it back would
	 * not be sent, and she would hear nothing. */
	if (chars < reply_templates_field_vars("name")) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static int
say(const struct sp_ctx *ctx, const char *lang, const char *key,
    const char *name, struct handler_reply *reply)
{
	return handler_reply_prompt(reply, ctx->prompts, lang, key, "name",
	    name ? name : "", NULL);
}

static int
name_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;
	char *name = handler_name_clean(req->raw_args);

	if (name == NULL)
		return say(ctx, req->lang, "name.usage", NULL, reply);
	free(c->name);
	c->name = name;
	return say(ctx, req->lang, "name.saved", c->name, reply);
}

const struct handler handler_name = {
	.name = "name",
	.run = name_run,
};
