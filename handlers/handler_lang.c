/*
 * handler_lang: "LANG HI|EN" (also "भाषा हिंदी", "bhasha english", or just
 * "HINDI" / "ENGLISH", whose keyword carries the language as its
 * category) sets the language she is answered in, and confirms in it.
 */
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "prompts.h"
#include "text.h"
#include "util.h"

static const struct {
	const char	*word;		/* as typed; normalised before use */
	const char	*lang;
} words[] = {
	{ "hi", "hi" }, { "hin", "hi" }, { "hindi", "hi" },
	{ "हिंदी", "hi" }, { "हिन्दी", "hi" },
	{ "en", "en" }, { "eng", "en" }, { "english", "en" },
	{ "angrezi", "en" }, { "angreji", "en" }, { "inglish", "en" },
	{ "अंग्रेज़ी", "en" }, { "अंग्रेजी", "en" }, { "इंग्लिश", "en" },
};

/* The language args names ("hi", "en"), or NULL. */
static const char *
language_named(const char *args)
{
	const char *lang = NULL;
	size_t i;
	char *w;

	for (i = 0; lang == NULL && i < SP_ARRAY_LEN(words); i++) {
		w = text_normalize(words[i].word, strlen(words[i].word));
		if (w != NULL && strcmp(w, args) == 0)
			lang = words[i].lang;
		free(w);
	}
	return lang;
}

static int
lang_run(const struct sp_ctx *ctx, struct handler_request *req,
    struct handler_reply *reply)
{
	struct contact *c = req->contact;
	const char *lang = req->category;

	if (lang == NULL && req->args != NULL)
		lang = language_named(req->args);
	if (lang == NULL || !prompts_has_language(ctx->prompts, lang))
		return handler_reply_prompt(reply, ctx->prompts, req->lang,
		    "lang.usage", NULL);
	free(c->language);
	c->language = xstrdup(lang);
	req->lang = c->language;
	return handler_reply_prompt(reply, ctx->prompts, lang, "lang.set",
	    NULL);
}

const struct handler handler_lang = {
	.name = "lang",
	.run = lang_run,
};
