/*
 * test_util: bounded buffers, escaping, time formatting, phone masking.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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
test_iso8601(void **state)
{
	char out[32];
	int64_t t;

	(void)state;
	sp_iso8601(1764167509123LL, out);
	assert_string_equal(out, "2025-11-26T14:31:49.123Z");
	assert_int_equal(sp_parse_iso8601(out, &t), 0);
	assert_int_equal(t, 1764167509123LL);
	assert_int_equal(sp_parse_iso8601("2025-11-26", &t), 0);
	assert_int_equal(t, 1764115200000LL);
	assert_int_equal(sp_parse_iso8601("2025-11-26T20:01+05:30", &t), 0);
	assert_int_equal(t, 1764167460000LL);
	assert_int_equal(sp_parse_iso8601("26/11/2025", &t), -1);
	assert_int_equal(sp_parse_iso8601("2025-13-01", &t), -1);
	assert_int_equal(sp_parse_iso8601("2025-11-26Tjunk", &t), -1);
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
	log_set_level(LOG_LEVEL_DEBUG);
	assert_string_equal(log_phone("+919812345678", out, sizeof(out)),
	    "+919812345678");
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
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_log_phone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
