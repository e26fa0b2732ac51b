/*
 * fuzz_reply_match: the scrubber's rule every reply passes before it is
 * sent (reply_templates_match), on any template and text.  Besides not
 * crashing: a template without {#var#} matches only itself, and a
 * (valid UTF-8) template matches the text made by filling each {#var#}
 * with one character.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "reply_templates.h"
#include "text.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define VAR	"{#var#}"

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_reply_match: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char *tpl, *text;
	const char *s, *v;
	struct buf filled;

	if (nul == NULL || size > 4096)
		return 0;
	tpl = xstrndup((const char *)data, (size_t)(nul - data));
	text = xstrndup((const char *)nul + 1, size - (size_t)(nul - data) - 1);
	(void)reply_templates_match(tpl, text);
	if (strstr(tpl, VAR) == NULL)
		check((reply_templates_match(tpl, text) == 0) ==
		    (strcmp(tpl, text) == 0), "a fixed template is itself");
	if (!text_utf8_valid(tpl, strlen(tpl))) {
		free(tpl);
		free(text);
		return 0;
	}
	buf_init(&filled, 0);
	for (s = tpl; (v = strstr(s, VAR)) != NULL; s = v + strlen(VAR)) {
		buf_append(&filled, s, (size_t)(v - s));
		buf_putc(&filled, 'x');
	}
	buf_puts(&filled, s);
	check(reply_templates_match(tpl, buf_cstr(&filled)) == 0,
	    "one character per variable matches");
	buf_free(&filled);
	free(tpl);
	free(text);
	return 0;
}
