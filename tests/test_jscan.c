/*
 * test_jscan: reading one member of a JSON object without a tree.  Each
 * case is checked twice: against the answer written here, and against
 * jansson (what jscan stands in for) read the way the providers read it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jscan_ref.h"
#include "util.h"

struct jcase {
	const char	*json;
	const char	*name;
	int		 rc;
	const char	*out;
};

static const struct jcase cases[] = {
	/* Twilio's answers */
	{ "{\"sid\":\"SM0123\",\"status\":\"queued\"}", "sid", 1, "SM0123" },
	{ "{\"code\": 21211, \"message\": \"The 'To' number is not valid.\","
	    " \"more_info\": \"https://www.twilio.com/docs/errors/21211\","
	    " \"status\": 400}", "code", 1, "21211" },
	{ "{\"code\": 21211, \"message\": \"The 'To' number is not valid.\"}",
	    "message", 1, "The 'To' number is not valid." },
	{ " {\n\t\"a\" : [1, 2.5e3, {\"sid\": \"nested\"}, true, false, null],"
	    " \"sid\" : \"top\" } \r\n", "sid", 1, "top" },
	/* absent, or not text */
	{ "{}", "sid", 0, "" },
	{ "{\"sid\": null}", "sid", 0, "" },
	{ "{\"sid\": 1.5}", "sid", 0, "" },
	{ "{\"sid\": [\"SM1\"]}", "sid", 0, "" },
	{ "{\"sid\": {\"x\": 1}}", "sid", 0, "" },
	{ "{\"Sid\": \"SM1\"}", "sid", 0, "" },
	{ "{\"sid2\": \"SM1\", \"si\": \"x\"}", "sid", 0, "" },
	/* escapes and UTF-8 */
	{ "{\"m\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}", "m", 1,
	    "a\"b\\c/d\b\f\n\r\t" },
	{ "{\"m\": \"\\u0928\\u092e\\u0938\\u094d\\u0924\\u0947\"}", "m", 1,
	    "नमस्ते" },
	{ "{\"m\": \"नमस्ते\"}", "m", 1, "नमस्ते" },
	{ "{\"m\": \"\\ud83d\\ude00\"}", "m", 1, "\xf0\x9f\x98\x80" },
	{ "{\"\\u0073id\": \"escaped key\"}", "sid", 1, "escaped key" },
	/* integers: range, sign */
	{ "{\"n\": -0}", "n", 1, "0" },
	{ "{\"n\": 9223372036854775807}", "n", 1, "9223372036854775807" },
	{ "{\"n\": -9223372036854775808}", "n", 1, "-9223372036854775808" },
	{ "{\"n\": 9223372036854775808}", "n", -1, "" },
	{ "{\"n\": -9223372036854775809}", "n", -1, "" },
	{ "{\"x\": 99999999999999999999, \"n\": 1}", "n", -1, "" },
	{ "{\"x\": 1e999, \"n\": 1}", "n", -1, "" },
	{ "{\"x\": 1e-999, \"n\": 1}", "n", 1, "1" },
	/* not JSON, or not an object */
	{ "", "sid", -1, "" },
	{ "   ", "sid", -1, "" },
	{ "[\"sid\"]", "sid", -1, "" },
	{ "\"sid\"", "sid", -1, "" },
	{ "<html><body>Bad Gateway</body></html>", "sid", -1, "" },
	{ "{\"sid\": \"SM1\"} x", "sid", -1, "" },
	{ "{\"sid\": \"SM1\",}", "sid", -1, "" },
	{ "{\"sid\": \"SM1\"", "sid", -1, "" },
	{ "{\"sid\" \"SM1\"}", "sid", -1, "" },
	{ "{sid: \"SM1\"}", "sid", -1, "" },
	{ "{\"sid\": 'SM1'}", "sid", -1, "" },
	{ "{\"sid\": \"SM1\", \"sid\": \"SM2\"}", "sid", -1, "" },
	{ "{\"n\": 01}", "n", -1, "" },
	{ "{\"n\": 1.}", "n", -1, "" },
	{ "{\"n\": .5}", "n", -1, "" },
	{ "{\"n\": +1}", "n", -1, "" },
	{ "{\"n\": 1e}", "n", -1, "" },
	{ "{\"n\": -}", "n", -1, "" },
	{ "{\"b\": tru}", "b", -1, "" },
	{ "{\"m\": \"\\x\"}", "m", -1, "" },
	{ "{\"m\": \"\\u12\"}", "m", -1, "" },
	{ "{\"m\": \"\\u0000\"}", "m", -1, "" },
	{ "{\"m\": \"\\ud800\"}", "m", -1, "" },
	{ "{\"m\": \"\\ud800\\u0041\"}", "m", -1, "" },
	{ "{\"m\": \"\\udc00\"}", "m", -1, "" },
	{ "{\"m\": \"a\tb\"}", "m", -1, "" },
	{ "{\"m\": \"\xc0\xaf\"}", "m", -1, "" },		/* overlong */
	{ "{\"m\": \"\xed\xa0\x80\"}", "m", -1, "" },	/* surrogate */
	{ "{\"m\": \"\xf4\x90\x80\x80\"}", "m", -1, "" },	/* > U+10FFFF */
	{ "{\"m\": \"\xe0\xa4\"}", "m", -1, "" },		/* cut short */
	{ "{\"m\": \"\x80\"}", "m", -1, "" },
	{ "{\"a\": [1 2]}", "a", -1, "" },
	{ "{\"a\": {\"b\" 1}}", "a", -1, "" },
};

static void
test_cases(void **state)
{
	char out[64], ref[64];
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		const struct jcase *c = &cases[i];
		size_t len = strlen(c->json);
		int rc = jscan_member(c->json, len, c->name, out, sizeof(out));

		if (rc != c->rc || strcmp(out, c->out) != 0)
			fail_msg("case %zu %s: got %d \"%s\", want %d \"%s\"",
			    i, c->json, rc, out, c->rc, c->out);
		if (jscan_ref_member(c->json, len, c->name, ref, sizeof(ref),
		    NULL) != rc ||
		    strcmp(ref, out) != 0)
			fail_msg("case %zu %s: jansson reads it otherwise "
			    "(\"%s\")", i, c->json, ref);
	}
}

/* A NUL inside the text is not JSON, wherever it is. */
static void
test_embedded_nul(void **state)
{
	static const char json[] = "{\"sid\": \"SM\0\", \"x\": 1}";
	static const char after[] = "{\"sid\": \"SM1\"}\0";
	char out[16] = "junk";

	(void)state;
	assert_int_equal(jscan_member(json, sizeof(json) - 1, "sid", out,
	    sizeof(out)), -1);
	assert_string_equal(out, "");
	assert_int_equal(jscan_member(after, sizeof(after) - 1, "sid", out,
	    sizeof(out)), -1);
	/* The length given is what is read: no NUL needed at the end. */
	assert_int_equal(jscan_member(after, sizeof(after) - 2, "sid", out,
	    sizeof(out)), 1);
	assert_string_equal(out, "SM1");
}

/* A long value is cut to the room given; the rest is still checked. */
static void
test_cut(void **state)
{
	const char *json = "{\"sid\": \"SM0123456789abcdef\", \"x\": [1]}";
	char out[8];

	(void)state;
	assert_int_equal(jscan_member(json, strlen(json), "sid", out,
	    sizeof(out)), 1);
	assert_string_equal(out, "SM01234");
	json = "{\"sid\": \"SM0123456789abcdef\", \"x\": [1}";
	assert_int_equal(jscan_member(json, strlen(json), "sid", out,
	    sizeof(out)), -1);
	assert_string_equal(out, "");
}

/* Nesting up to JSCAN_MAX_DEPTH is read; one more is refused. */
static void
test_depth(void **state)
{
	struct buf b;
	int i;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "{\"sid\": \"SM1\", \"deep\": ");
	for (i = 1; i < JSCAN_MAX_DEPTH; i++)
		buf_putc(&b, '[');
	for (i = 1; i < JSCAN_MAX_DEPTH; i++)
		buf_putc(&b, ']');
	buf_putc(&b, '}');
	{
		char out[16];

		assert_int_equal(jscan_member(buf_cstr(&b), b.len, "sid", out,
		    sizeof(out)), 1);
		buf_reset(&b);
		buf_puts(&b, "{\"sid\": \"SM1\", \"deep\": ");
		for (i = 0; i < JSCAN_MAX_DEPTH; i++)
			buf_putc(&b, '[');
		for (i = 0; i < JSCAN_MAX_DEPTH; i++)
			buf_putc(&b, ']');
		buf_putc(&b, '}');
		assert_int_equal(jscan_member(buf_cstr(&b), b.len, "sid", out,
		    sizeof(out)), -1);
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
