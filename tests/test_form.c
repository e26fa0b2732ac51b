/*
 * test_form: urlencoded parsing (escapes, empty and repeated fields,
 * malformed input) and encoding round trips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "form.h"
#include "util.h"

static void
parse_ok(const char *s, struct form *f)
{
	char err[128] = "";

	if (form_parse(s, strlen(s), f, err, sizeof(err)) != 0)
		fail_msg("parse \"%s\": %s", s, err);
}

static void
test_decoding(void **state)
{
	struct form f;

	(void)state;
	parse_ok("Body=hello+world&From=%2B919812345678&x=%2b%2F%2f", &f);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.fields[0].name, "Body");
	assert_string_equal(f.fields[0].value, "hello world");
	assert_string_equal(form_get(&f, "From"), "+919812345678");
	assert_string_equal(form_get(&f, "x"), "+//");
	assert_null(form_get(&f, "body"));
	form_free(&f);

	/* "नमस्ते 1" as Twilio sends it. */
	parse_ok("Body=%E0%A4%A8%E0%A4%AE%E0%A4%B8%E0%A5%8D%E0%A4%A4%E0%A5%87+1",
	    &f);
	assert_string_equal(form_get(&f, "Body"), "नमस्ते 1");
	form_free(&f);

	/* Names are decoded too. */
	parse_ok("a+b%5B%5D=1", &f);
	assert_string_equal(f.fields[0].name, "a b[]");
	form_free(&f);
}

static void
test_empty_and_repeated(void **state)
{
	struct form f;

	(void)state;
	parse_ok("a=&b=", &f);
	assert_int_equal(f.n, 2);
	assert_string_equal(form_get(&f, "a"), "");
	assert_string_equal(form_get(&f, "b"), "");
	form_free(&f);

	parse_ok("flag&x=1", &f);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.fields[0].name, "flag");
	assert_string_equal(f.fields[0].value, "");
	form_free(&f);

	parse_ok("MediaUrl=b&Body=hi&MediaUrl=a&MediaUrl=a", &f);
	assert_int_equal(f.n, 4);
	assert_string_equal(f.fields[0].value, "b");
	assert_string_equal(f.fields[2].name, "MediaUrl");
	assert_string_equal(f.fields[2].value, "a");
	assert_string_equal(f.fields[3].value, "a");
	assert_string_equal(form_get(&f, "MediaUrl"), "b");
	form_free(&f);

	/* Empty pieces are skipped; a value may hold '='. */
	parse_ok("&a=1&&b=x=y&", &f);
	assert_int_equal(f.n, 2);
	assert_string_equal(form_get(&f, "b"), "x=y");
	form_free(&f);

	parse_ok("", &f);
	assert_int_equal(f.n, 0);
	assert_null(form_get(&f, "a"));
	form_free(&f);
	form_free(&f);		/* twice is harmless */
	form_free(NULL);

	/* Only len bytes are read. */
	assert_int_equal(form_parse("a=1&b=2", 3, &f, NULL, 0), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(form_get(&f, "a"), "1");
	form_free(&f);
}

static void
test_malformed(void **state)
{
	static const char *bad[] = {
		"a=%G1", "a=%4", "a=%", "a=1&b=%zz", "%4=1", "a=%00",
		"a%00=1", "a=x%0",
	};
	char err[128];
	struct form f;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		if (form_parse(bad[i], strlen(bad[i]), &f, err,
		    sizeof(err)) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(err[0] != '\0');
		assert_int_equal(f.n, 0);
		assert_null(f.fields);
		form_free(&f);
	}
	/* A raw NUL inside the length is rejected as well. */
	assert_int_equal(form_parse("a=1\0b", 5, &f, err, sizeof(err)), -1);
	form_free(&f);
}

static void
test_encode(void **state)
{
	static const char *values[] = {
		"hello world", "+919812345678", "a&b=c%d", "नमस्ते 1",
		"Un-reserved._~", "",
	};
	struct buf b;
	struct form f;
	size_t i;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(form_urlencode(&b, "a b+c/é~"), 0);
	assert_string_equal(buf_cstr(&b), "a%20b%2Bc%2F%C3%A9~");
	buf_reset(&b);

	assert_int_equal(form_encode_pair(&b, "To", "+919812345678"), 0);
	assert_int_equal(form_encode_pair(&b, "Body", "hi there"), 0);
	assert_string_equal(buf_cstr(&b), "To=%2B919812345678&Body=hi%20there");
	buf_reset(&b);

	for (i = 0; i < SP_ARRAY_LEN(values); i++)
		assert_int_equal(form_encode_pair(&b, "k", values[i]), 0);
	parse_ok(buf_cstr(&b), &f);
	assert_int_equal(f.n, SP_ARRAY_LEN(values));
	for (i = 0; i < SP_ARRAY_LEN(values); i++) {
		assert_string_equal(f.fields[i].name, "k");
		assert_string_equal(f.fields[i].value, values[i]);
	}
	form_free(&f);
	buf_free(&b);

	/* A capped buffer refuses the pair whole. */
	buf_init(&b, 8);
	assert_int_equal(form_encode_pair(&b, "a", "1"), 0);
	assert_int_equal(form_encode_pair(&b, "b", "too long"), -1);
	assert_string_equal(buf_cstr(&b), "a=1");
	buf_free(&b);
}

/* Every byte, alone and between runs, against the one-by-one rule. */
static void
test_encode_every_byte(void **state)
{
	char in[8], want[32];
	struct buf b;
	int c;

	(void)state;
	buf_init(&b, 0);
	for (c = 1; c < 256; c++) {
		int stays = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~';

		snprintf(in, sizeof(in), "ab%cc", c);
		if (stays)
			snprintf(want, sizeof(want), "ab%cc", c);
		else
			snprintf(want, sizeof(want), "ab%%%02Xc", c);
		buf_reset(&b);
		assert_int_equal(form_urlencode(&b, in), 0);
		assert_string_equal(buf_cstr(&b), want);
		buf_reset(&b);
		assert_int_equal(form_urlencode(&b, in + 2), 0);
		assert_string_equal(buf_cstr(&b), want + 2);
	}
	/* A cap met inside a run or an escape leaves the buffer as it was. */
	buf_free(&b);
	buf_init(&b, 6);
	assert_int_equal(form_urlencode(&b, "ab"), 0);
	assert_int_equal(form_urlencode(&b, "cdefg"), -1);
	assert_string_equal(buf_cstr(&b), "ab");
	assert_int_equal(form_urlencode(&b, "c d"), -1);
	assert_string_equal(buf_cstr(&b), "ab");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_empty_and_repeated),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
