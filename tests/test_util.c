/*
 * test_util: bounded buffers, escaping, time formatting, phone masking.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

static void
test_buf_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345"), 0);
	assert_int_equal(buf_puts(&b, "6789"), -1);	/* would pass 8 */
	assert_string_equal(buf_cstr(&b), "12345");
	assert_int_equal(buf_puts(&b, "678"), 0);
	assert_int_equal(buf_putc(&b, 'x'), -1);
	assert_int_equal(b.len, 8);
	buf_free(&b);
	buf_init(&b, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_printf(&b, "%0300d", 7), 0);
	assert_int_equal(b.len, 300);
	buf_free(&b);
}

static void
test_escaping(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	buf_xml_escape(&b, "a<b>&\"'ऋ");
	assert_string_equal(buf_cstr(&b), "a&lt;b&gt;&amp;&quot;&apos;ऋ");
	buf_reset(&b);
	buf_json_escape(&b, "q\"\\\n\t\x01ऋ");
	assert_string_equal(buf_cstr(&b), "q\\\"\\\\\\n\\t\\u0001ऋ");
	buf_free(&b);
}

static void
test_json_escape_terminal_controls(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	/* ESC, DEL and a C1 CSI are written as \u escapes; é, U+00A0 and
	 * Devanagari (other two- and three-byte sequences) are kept. */
	buf_json_escape(&b, "\x1b[2J\x7f\xc2\x9b" "31m\xc3\xa9\xc2\xa0ऋ");
	assert_string_equal(buf_cstr(&b),
	    "\\u001b[2J\\u007f\\u009b31m\xc3\xa9\xc2\xa0ऋ");
	buf_free(&b);
}

static void
test_json_string(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_json_string(&b, NULL), 0);
	assert_int_equal(buf_json_string(&b, "a\"b\n"), 0);
	assert_int_equal(buf_json_string(&b, ""), 0);
	assert_string_equal(buf_cstr(&b), "null\"a\\\"b\\n\"\"\"");
	buf_free(&b);
	/* A full buffer says so. */
	buf_init(&b, 4);
	assert_int_equal(buf_json_string(&b, "abcd"), -1);
	buf_free(&b);
}

static void
expect_term(const char *in, const char *want)
{
	struct buf b;
	char *dup;

	buf_init(&b, 0);
	assert_int_equal(buf_term_escape(&b, in), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
	dup = buf_term_dup(in);
	assert_string_equal(dup, want);
	free(dup);
}

static void
test_term_escape(void **state)
{
	char *dup;

	(void)state;
	expect_term("", "");
	expect_term("loan bhadohi", "loan bhadohi");
	expect_term("लोन संत रविदास नगर", "लोन संत रविदास नगर");
	expect_term("caf\xc3\xa9\xc2\xa0x", "caf\xc3\xa9\xc2\xa0x");
	/* Clear screen, recolour, retitle the window. */
	expect_term("\x1b[2J\x1b[31mred\x1b]0;owned\x07",
	    "\\x1b[2J\\x1b[31mred\\x1b]0;owned\\x07");
	/* Overwrite the line, back over it, delete. */
	expect_term("ok\rFAKE\b\x7f", "ok\\rFAKE\\x08\\x7f");
	expect_term("a\tb\nc", "a\\tb\\nc");
	/* C1 CSI (U+009B) and the last C1 (U+009F). */
	expect_term("\xc2\x9b" "31m\xc2\x9f", "\\u009b31m\\u009f");
	/* Bytes that are not UTF-8: a lone C1 byte, a cut sequence,
	 * an overlong form. */
	expect_term("\x9b" "31m", "\\x9b31m");
	expect_term("\xe0\xa4", "\\xe0\\xa4");
	expect_term("\xc0\x9b", "\\xc0\\x9b");
	dup = buf_term_dup(NULL);
	assert_string_equal(dup, "");
	free(dup);
}

static void
test_iso8601(void **state)
{
	char out[32];
	int64_t t;

	(void)state;
	util_iso8601(1764167509123LL, out);
	assert_string_equal(out, "2025-11-26T14:31:49.123Z");
	assert_int_equal(util_parse_iso8601(out, &t), 0);
	assert_int_equal(t, 1764167509123LL);
	assert_int_equal(util_parse_iso8601("2025-11-26", &t), 0);
	assert_int_equal(t, 1764115200000LL);
	assert_int_equal(util_parse_iso8601("2025-11-26T20:01+05:30", &t), 0);
	assert_int_equal(t, 1764167460000LL);
	assert_int_equal(util_parse_iso8601("26/11/2025", &t), -1);
	assert_int_equal(util_parse_iso8601("2025-13-01", &t), -1);
	assert_int_equal(util_parse_iso8601("2025-11-26Tjunk", &t), -1);
}

static void
test_log_phone(void **state)
{
	char out[32];

	(void)state;
	log_set_level(LOG_LEVEL_INFO);
	assert_string_equal(log_phone("+919812345678", out, sizeof(out)),
	    "*********5678");
	assert_string_equal(log_phone("123", out, sizeof(out)), "123");
	/* Debug logging masks them too (the docs promise it). */
	log_set_level(LOG_LEVEL_DEBUG);
	assert_string_equal(log_phone("+919812345678", out, sizeof(out)),
	    "*********5678");
	log_set_level(LOG_LEVEL_INFO);
	assert_string_equal(log_quote("a\"b\nc", 100, out, sizeof(out)),
	    "\"a\\\"b\\x0ac\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_json_escape_terminal_controls),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_term_escape),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_log_phone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
