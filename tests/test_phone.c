/*
 * test_phone: every way a provider or a person writes an Indian mobile
 * number, other default countries, and what must be refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "phone.h"
#include "util.h"

static void
expect(const char *in, const char *cc, const char *want)
{
	char out[PHONE_E164_MAX + 1], err[128] = "";

	if (phone_to_e164(in, cc, out, sizeof(out), err, sizeof(err)) != 0)
		fail_msg("\"%s\" (cc %s) rejected: %s", in, cc, err);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" (cc %s) gave %s, want %s", in, cc, out, want);
	assert_int_equal(phone_is_e164(out), 1);
}

static void
reject(const char *in, const char *cc)
{
	char out[PHONE_E164_MAX + 1], err[128] = "";

	if (phone_to_e164(in, cc, out, sizeof(out), err, sizeof(err)) != -1)
		fail_msg("\"%s\" (cc %s) accepted as %s", in ? in : "(null)",
		    cc ? cc : "(null)", out);
	assert_true(err[0] != '\0');
	assert_string_equal(out, "");
}

static void
test_india_forms(void **state)
{
	static const char *forms[] = {
		"+919812345678", "919812345678", "09812345678", "9812345678",
		"+91 98123-45678", "0091 98123 45678", "+91 (98123) 45678",
		"098123.45678", " 98123 45678 ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(forms); i++)
		expect(forms[i], "91", "+919812345678");
	/* Any 10-digit national number, landlines included. */
	expect("05414250123", "91", "+915414250123");
	expect("9198123456", "91", "+919198123456");
	/* Foreign numbers pass through. */
	expect("+14155550100", "91", "+14155550100");
	expect("0014155550100", "91", "+14155550100");
}

static void
test_rejects(void **state)
{
	static const char *bad[] = {
		"", "abc", "12345", "+0123", "+1234567890123456", "98123abc45",
		"+91 98123 4567x", "+", "++919812345678", "91+9812345678",
		"   ", "981234567", "98123456789", "+9198123456", "+91981234567890",
		"0000", "9812345678901234567890123456789",
	};
	char out[PHONE_E164_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(bad); i++)
		reject(bad[i], "91");
	reject(NULL, "91");
	/* Without a default country only international forms work. */
	reject("9812345678", NULL);
	reject("9812345678", "");
	expect("+919812345678", NULL, "+919812345678");
	/* Output too small. */
	assert_int_equal(phone_to_e164("+919812345678", "91", out, 8, NULL,
	    0), -1);
}

static void
test_other_country(void **state)
{
	(void)state;
	expect("+14155550100", "1", "+14155550100");
	expect("0014155550100", "1", "+14155550100");
	expect("14155550100", "1", "+14155550100");
	expect("+44 20 7946 0958", "44", "+442079460958");
	expect("442079460958", "44", "+442079460958");
	/* No national plan for these: bare national numbers are refused. */
	reject("4155550100", "1");
	reject("2079460958", "44");
	reject("020 7946 0958", "44");
}

static void
test_is_e164(void **state)
{
	(void)state;
	assert_int_equal(phone_is_e164("+919812345678"), 1);
	assert_int_equal(phone_is_e164("+12345678"), 1);
	assert_int_equal(phone_is_e164("+123456789012345"), 1);
	assert_int_equal(phone_is_e164("+1234567"), 0);
	assert_int_equal(phone_is_e164("+1234567890123456"), 0);
	assert_int_equal(phone_is_e164("919812345678"), 0);
	assert_int_equal(phone_is_e164("+0919812345678"), 0);
	assert_int_equal(phone_is_e164("+91 9812345678"), 0);
	assert_int_equal(phone_is_e164("+"), 0);
	assert_int_equal(phone_is_e164(""), 0);
	assert_int_equal(phone_is_e164(NULL), 0);
}

static void
test_mask(void **state)
{
	char out[32], tiny[8];

	(void)state;
	assert_string_equal(phone_mask("+919812345678", out, sizeof(out)),
	    "+********5678");
	assert_string_equal(phone_mask("09812345678", out, sizeof(out)),
	    "*******5678");
	assert_string_equal(phone_mask("1234", out, sizeof(out)), "1234");
	assert_string_equal(phone_mask("", out, sizeof(out)), "");
	/* Too long for out: cut, and still masked. */
	assert_string_equal(phone_mask("+919812345678", tiny, sizeof(tiny)),
	    "+******");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_india_forms),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_other_country),
		cmocka_unit_test(test_is_e164),
		cmocka_unit_test(test_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
