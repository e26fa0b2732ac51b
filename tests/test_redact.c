/*
 * test_redact: numbers and addresses women type into their messages are
 * masked; ordinary words, short numbers and the text's shape are kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "redact.h"

static void
expect(const char *in, const char *want)
{
	char *got = redact_contacts(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_phone_forms(void **state)
{
	(void)state;
	expect("mera number 9876543210 pe call karo",
	    "mera number ########## pe call karo");
	expect("call me +91 98765 43210 shaam ko",
	    "call me +## ##### ##### shaam ko");
	expect("+91-98765-43210", "+##-#####-#####");
	expect("ph (0542) 250 1234", "ph (####) ### ####");
	expect("9 8 7 6 5 4 3 2 1 0 pe missed call do",
	    "# # # # # # # # # # pe missed call do");
	expect("98765  43210", "#####  #####");
	/* Devanagari digits, and digits of two scripts mixed. */
	expect("मेरा नंबर ९८७६५४३२१० है", "मेरा नंबर ########## है");
	expect("98७६५४३२१0", "##########");
	/* Full-width digits from a phone keyboard. */
	expect("\xef\xbc\x99\xef\xbc\x98\xef\xbc\x97\xef\xbc\x96\xef\xbc\x95",
	    "#####");
}

static void
test_kept(void **state)
{
	(void)state;
	/* Short numbers are ordinary words of a message. */
	expect("loan 2 lakh, 3 din se koi jawab nahi",
	    "loan 2 lakh, 3 din se koi jawab nahi");
	expect("ward 12 me 40 aurat", "ward 12 me 40 aurat");
	expect("१२ बजे मीटिंग", "१२ बजे मीटिंग");
	/* Separated by words, the digits are not one number. */
	expect("12 log aur 34 bachche", "12 log aur 34 bachche");
	expect("", "");
	expect("नमस्ते training varanasi", "नमस्ते training varanasi");
	/* A run of three separators breaks a number. */
	expect("123 - 456", "123 - 456");
}

static void
test_email(void **state)
{
	(void)state;
	expect("mail karo sunita.devi92@gmail.com pe",
	    "mail karo [email] pe");
	expect("likho RANI_k+sewa@yahoo.co.in.", "likho [email].");
	/* Not addresses: no domain dot, nothing before the @. */
	expect("@ sakhi", "@ sakhi");
	expect("milo @5 baje", "milo @5 baje");
	expect("rani@gaon", "rani@gaon");
}

static void
test_null_and_bytes(void **state)
{
	char *got = redact_contacts(NULL);

	(void)state;
	assert_string_equal(got, "");
	free(got);
	/* Broken UTF-8 is copied, not read past. */
	expect("\xe0\xa5", "\xe0\xa5");
	expect("12345\xe0", "#####\xe0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_forms),
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_null_and_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
