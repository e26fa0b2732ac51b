/*
 * handler: the handler table, reply ownership, and paging of long answers
 * behind "MORE" so that every reply fits the segment budget.
 */
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "prompts.h"
#include "segment.h"
#include "util.h"

const struct handler *const handler_table[] = {
	&handler_info,
	&handler_help,
	&handler_more,
	&handler_join,
	&handler_name,
	&handler_lang,
	&handler_stop,
	&handler_start,
	&handler_notice,
	&handler_rsvp,
	NULL,
};

const struct handler *
handler_find(const char *name)
{
	size_t i;

	for (i = 0; handler_table[i] != NULL; i++)
		if (strcmp(handler_table[i]->name, name) == 0)
			return handler_table[i];
	return NULL;
}

void
sp_reply_add(struct sp_reply *r, char *text)
{
	if (r->n == SP_REPLY_MAX) {
		/* A handler bug, not input: keep what we have. */
		free(text);
		return;
	}
	r->counted[r->n] = 0;
	r->texts[r->n++] = text;
}

void
sp_reply_add_counted(struct sp_reply *r, char *text,
    const struct seg_info *si)
{
	size_t i = r->n;

	sp_reply_add(r, text);
	if (r->n == i + 1) {
		r->seg[i] = *si;
		r->counted[i] = 1;
	}
}

void
sp_reply_clear(struct sp_reply *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->texts[i]);
	memset(r, 0, sizeof(*r));
}

static int
fits(const struct sp_ctx *ctx, const char *s, size_t len,
    struct seg_info *si)
{
	return seg_count(s, len, si) == 0 && si->segments <= ctx->segment_budget;
}

/* Page text[0..cut) followed by the MORE note. */
static char *
page_with_note(const char *text, size_t cut, const char *note)
{
	return xasprintf("%.*s\n%s", (int)cut, text, note);
}

void
handler_page(const struct sp_ctx *ctx, struct handler_request *req,
    const char *text, struct sp_reply *reply)
{
	struct store_contact *c = req->contact;
	const char *note, *rest;
	size_t len = strlen(text), fit, cut = 0, end;
	struct seg_info si;
	char *page = NULL;

	free(c->more_text);
	c->more_text = NULL;
	c->more_until_ms = 0;
	/* One pass finds how much of the text fits at all. */
	fit = seg_fit_info(text, len, ctx->segment_budget, &si);
	if (fit == len) {
		sp_reply_add_counted(reply, xstrdup(text), &si);
		return;
	}
	note = prompts_get(ctx->prompts, req->lang, "info.more");
	if (note == NULL)
		note = "MORE";

	/*
	 * The most whole lines that fit together with the note: a page ends
	 * at a line break no later than what fits without the note, and the
	 * note is short, so the first line break back from there that fits
	 * is nearly always the first one tried.
	 */
	for (end = fit; end > 0; end--) {
		if (text[end] != '\n')
			continue;
		page = page_with_note(text, end, note);
		if (fits(ctx, page, strlen(page), &si)) {
			cut = end;
			break;
		}
		free(page);
		page = NULL;
	}
	if (cut == 0) {
		/* Not even one line fits: cut inside it, on a character. */
		cut = fit;
		for (;;) {
			page = page_with_note(text, cut, note);
			if (cut == 0 || fits(ctx, page, strlen(page), &si))
				break;
			free(page);
			do
				cut--;
			while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80);
		}
		if (cut == 0) {
			free(page);
			sp_reply_add(reply, xstrndup(text, fit));
			return;
		}
	}
	sp_reply_add_counted(reply, page, &si);
	rest = text + cut;
	while (*rest == '\n' || *rest == ' ')
		rest++;
	if (*rest != '\0') {
		c->more_text = xstrdup(rest);
		c->more_until_ms = ctx->now_ms + ctx->more_ms;
	}
}
