/*
 * fuzz_escape: the escapers that put untrusted text into XML answers
 * (TwiML, Plivo XML), JSON bodies and log lines.  Each output must be
 * well-formed for its format and decode back to the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_common.h"
#include "log.h"
#include "text.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_escape: %s\n", what);
		abort();
	}
}

/* 1 if c may appear in XML 1.0 character data (for single bytes). */
static int
xml_byte_ok(unsigned char c)
{
	return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
}

/* Undo buf_xml_escape, checking that every '&' starts an entity. */
static char *
xml_unescape(const char *s)
{
	static const char *const ent[][2] = { { "&amp;", "&" },
	    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
	    { "&apos;", "'" } };
	char *out = xmalloc(strlen(s) + 1), *o = out;
	size_t i;

	while (*s != '\0') {
		check(strchr("<>\"'", *s) == NULL, "XML special left raw");
		if (*s != '&') {
			*o++ = *s++;
			continue;
		}
		for (i = 0; i < SP_ARRAY_LEN(ent); i++)
			if (strncmp(s, ent[i][0], strlen(ent[i][0])) == 0)
				break;
		check(i < SP_ARRAY_LEN(ent), "'&' that starts no entity");
		*o++ = ent[i][1][0];
		s += strlen(ent[i][0]);
	}
	*o = '\0';
	return out;
}

static void
xml(const char *s)
{
	struct buf b;
	char *back, *expect, *e;
	const char *p;

	buf_init(&b, 0);
	check(buf_xml_escape(&b, s) == 0, "xml escape failed");
	for (p = buf_cstr(&b); *p != '\0'; p++)
		check(xml_byte_ok((unsigned char)*p),
		    "control character in XML output");
	back = xml_unescape(buf_cstr(&b));
	/* What survives: everything XML can carry. */
	expect = xstrdup(s);
	for (p = s, e = expect; *p != '\0'; p++)
		if (xml_byte_ok((unsigned char)*p))
			*e++ = *p;
	*e = '\0';
	check(strcmp(back, expect) == 0, "xml round trip");
	free(back);
	free(expect);
	buf_free(&b);

	/* A capped buffer fails cleanly. */
	buf_init(&b, 16);
	(void)buf_xml_escape(&b, s);
	check(b.len <= 16, "xml escape passed the cap");
	buf_free(&b);
}

static void
json(const char *s)
{
	json_error_t jerr;
	json_t *v;
	struct buf b;

	buf_init(&b, 0);
	buf_putc(&b, '"');
	check(buf_json_escape(&b, s) == 0, "json escape failed");
	buf_putc(&b, '"');
	if (text_utf8_valid(s, strlen(s))) {
		v = json_loadb(b.data, b.len, JSON_DECODE_ANY, &jerr);
		check(v != NULL && json_is_string(v), "escaped JSON does not "
		    "parse");
		check(strcmp(json_string_value(v), s) == 0, "json round trip");
		json_decref(v);
	}
	buf_free(&b);
}

static void
logs(const char *s, size_t outlen, size_t maxlen)
{
	char *out = xmalloc(outlen + 1), *p;
	size_t n;

	out[outlen] = 'Z';	/* canary just past the caller's size */
	log_quote(s, maxlen, out, outlen);
	check(out[outlen] == 'Z', "log_quote wrote past outlen");
	if (outlen >= 3) {
		n = strlen(out);
		check(n >= 2 && out[0] == '"' && out[n - 1] == '"',
		    "log_quote not quoted");
		for (p = out; *p != '\0'; p++)
			check((unsigned char)*p >= 0x20 && *p != 0x7f,
			    "control byte in a log value");
	}
	log_phone(s, out, outlen);
	check(out[outlen] == 'Z', "log_phone wrote past outlen");
	if (outlen > 0)
		check(memchr(out, '\0', outlen) != NULL, "log_phone unterminated");
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	log_set_level(LOG_LEVEL_ERROR);
	if (size == 0)
		return 0;
	s = fuzz_strndup(data + 1, size - 1);
	xml(s);
	json(s);
	logs(s, data[0] % 40, (size_t)(data[0] >> 2));
	free(s);
	return 0;
}
