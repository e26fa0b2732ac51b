/*
 * test_speak: phone numbers spelled as digit words in groups, in English
 * and Hindi, as the directory and the prompts write them; what is no phone
 * number is left for the voice to say as a quantity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "speak.h"
#include "util.h"

static void
check(const char *lang, const char *in, const char *want)
{
	char *got = speak_numbers_dup(in, lang);

	assert_string_equal(got, want);
	free(got);
}

static void
test_english(void **state)
{
	(void)state;
	/* The directory's E.164 numbers: India said apart, then 5 + 5. */
	check("en", "LDM (lead bank), Bhadohi: +919811234567",
	    "LDM (lead bank), Bhadohi: plus nine one, nine eight one one two, "
	    "three four five six seven");
	/* As a volunteer types a mobile number. */
	check("en", "Call 9811234567 on weekdays",
	    "Call nine eight one one two, three four five six seven on "
	    "weekdays");
	check("en", "Call 98112 34567 today",
	    "Call nine eight one one two, three four five six seven today");
	check("en", "+91 98112 34567",
	    "plus nine one, nine eight one one two, three four five six seven");
	/* A landline with its STD code: her groups, the long one split. */
	check("en", "DIC office 0542-2401234.",
	    "DIC office zero five four two, two four zero, one two three four.");
	/* The trunk 0 before a mobile number. */
	check("en", "09811234567",
	    "zero, nine eight one one two, three four five six seven");
	/* A toll-free number keeps its groups. */
	check("en", "Helpline 1800-180-6763",
	    "Helpline one eight zero zero, one eight zero, six seven six three");
	/* Glued to a word: a space, so the voice does not run them together. */
	check("en", "Phone:9811234567/Mon-Fri",
	    "Phone:nine eight one one two, three four five six seven/Mon-Fri");
	check("en", "Mobile9811234567", "Mobile nine eight one one two, "
	    "three four five six seven");
	/* Two numbers in one line, each grouped alone. */
	check("en", "9811234567, 9822345678",
	    "nine eight one one two, three four five six seven, nine eight two "
	    "two three, four five six seven eight");
	/* Two numbers run together: each spelled, nothing left as digits. */
	check("en", "+9198+919-1234567", "plus nine one nine eight plus "
	    "nine one nine, one two three, four five six seven");
	/* Six, seven, eight digits: a local landline, even groups. */
	check("en", "240123", "two four zero, one two three");
	check("en", "2401234", "two four zero, one two three four");
}

static void
test_hindi(void **state)
{
	(void)state;
	check("hi", "बैंक लोन के लिए फ़ोन करें 9811234567",
	    "बैंक लोन के लिए फ़ोन करें नौ आठ एक एक दो, तीन चार पाँच छह सात");
	check("hi", "+919811234567",
	    "प्लस नौ एक, नौ आठ एक एक दो, तीन चार पाँच छह सात");
	/* Devanagari digits, as a Hindi keyboard writes them. */
	check("hi", "फ़ोन: ९८११२३४५६७।",
	    "फ़ोन: नौ आठ एक एक दो, तीन चार पाँच छह सात।");
	check("hi", "०५४२-२४०१२३४", "शून्य पाँच चार दो, दो चार शून्य, "
	    "एक दो तीन चार");
	/* Glued to a Hindi word. */
	check("hi", "नंबर9811234567पर", "नंबर नौ आठ एक एक दो, "
	    "तीन चार पाँच छह सात पर");
	/* Any language but Hindi gets English words. */
	check("bho", "9811234567",
	    "nine eight one one two, three four five six seven");
	check(NULL, "9811234567",
	    "nine eight one one two, three four five six seven");
}

static void
test_left_alone(void **state)
{
	static const char *const same[] = {
		"Press 1 for loans, 2 for training, 9 to hear it again.",
		"Your code lasts 15 minutes.",
		"Group loans for women 30k-1 lakh; no collateral",
		"Loan up to 50000 rupees, or 50,000 with a guarantor",
		"PMEGP and ODOP loan forms; visit Mon-Fri 10am-5pm",
		"महिला समूह लोन 30 हजार से 1 लाख",
		"1 2 3",
		"+5",
		"",
		/* Too long for a phone number: an id, left as written,
		 * none of its parts spelled alone. */
		"123456789012345678901234",
		"+9198-123456198-12345677",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(same); i++) {
		check("en", same[i], same[i]);
		check("hi", same[i], same[i]);
	}
}

static void
test_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(speak_numbers("Call 9811234567", "en", &b), -1);
	buf_free(&b);
	buf_init(&b, 0);
	assert_int_equal(speak_numbers(NULL, "en", &b), 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_hindi),
		cmocka_unit_test(test_left_alone),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
