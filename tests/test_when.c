/*
 * test_when: meeting times as coordinators type them, read as IST, and
 * said back in words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "when.h"

/* Sat 5 Dec 2026, 18:00 IST (12:30 UTC): "now" for every case. */
#define NOW	1796473800000LL

static const char *
read_as(const char *text)
{
	static char out[WHEN_DESCRIBE_MAX];
	char err[256];
	int64_t ms;

	if (when_parse(text, NOW, &ms, err, sizeof(err)) == -1)
		return NULL;
	when_describe(ms, out);
	return out;
}

static void
test_now_is_what_the_test_thinks(void **state)
{
	char out[WHEN_DESCRIBE_MAX];

	(void)state;
	when_describe(NOW, out);
	assert_string_equal(out, "Sat 5 Dec 2026, 18:00 IST");
}

static void
test_common_forms(void **state)
{
	(void)state;
	assert_string_equal(read_as("12 Dec 11am"),
	    "Sat 12 Dec 2026, 11:00 IST");
	assert_string_equal(read_as("12 dec 11 am"),
	    "Sat 12 Dec 2026, 11:00 IST");
	assert_string_equal(read_as("12 December, 4:30 pm"),
	    "Sat 12 Dec 2026, 16:30 IST");
	assert_string_equal(read_as("Dec 12 11:30 a.m."),
	    "Sat 12 Dec 2026, 11:30 IST");
	assert_string_equal(read_as("12/12 11:00"),
	    "Sat 12 Dec 2026, 11:00 IST");
	assert_string_equal(read_as("12-12-2026 11:00"),
	    "Sat 12 Dec 2026, 11:00 IST");
	assert_string_equal(read_as("12.12.26 15:00"),
	    "Sat 12 Dec 2026, 15:00 IST");
	assert_string_equal(read_as("2026-12-12 11:00"),
	    "Sat 12 Dec 2026, 11:00 IST");
	assert_string_equal(read_as("2026-12-12T11:00"),
	    "Sat 12 Dec 2026, 11:00 IST");
	/* Zoned ISO 8601 keeps its zone. */
	assert_string_equal(read_as("2026-12-12T05:30:00Z"),
	    "Sat 12 Dec 2026, 11:00 IST");
	assert_string_equal(read_as("tomorrow 4pm"),
	    "Sun 6 Dec 2026, 16:00 IST");
	assert_string_equal(read_as("kal 11am"), "Sun 6 Dec 2026, 11:00 IST");
	assert_string_equal(read_as("12 dec 12pm"),
	    "Sat 12 Dec 2026, 12:00 IST");
	assert_string_equal(read_as("12 dec 12am"),
	    "Sat 12 Dec 2026, 00:00 IST");
	/* Past 12, a bare hour can only be a 24-hour clock's. */
	assert_string_equal(read_as("12 Dec 15"),
	    "Sat 12 Dec 2026, 15:00 IST");
	assert_string_equal(read_as("kal 17"), "Sun 6 Dec 2026, 17:00 IST");
	assert_string_equal(read_as("25/12 23"),
	    "Fri 25 Dec 2026, 23:00 IST");
	assert_string_equal(read_as("12 dec 00:00"),
	    "Sat 12 Dec 2026, 00:00 IST");
}

static void
test_day_first_and_next_year(void **state)
{
	(void)state;
	/* India writes the day first: 3 April, not 4 March. */
	assert_string_equal(read_as("03/04 10:00"),
	    "Sat 3 Apr 2027, 10:00 IST");
	/* A day already gone this year is next year's. */
	assert_string_equal(read_as("1 Dec 11am"), "Wed 1 Dec 2027, 11:00 IST");
	assert_string_equal(read_as("29 Feb 2028 10:00"),
	    "Tue 29 Feb 2028, 10:00 IST");
}

static void
test_refused(void **state)
{
	char err[256];
	int64_t ms;

	(void)state;
	/* A bare hour is not guessed. */
	assert_int_equal(when_parse("12 Dec 11", NOW, &ms, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "11am or 11pm"));
	assert_int_equal(when_parse("12 Dec 12", NOW, &ms, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "12am or 12pm"));
	/* am/pm is no question past 12: never "15am". */
	assert_int_equal(when_parse("12 Dec 15 pm", NOW, &ms, err,
	    sizeof(err)), -1);
	assert_null(strstr(err, "15am or"));
	/* A bare 0: how midnight is written, never "0am". */
	assert_int_equal(when_parse("12 Dec 0", NOW, &ms, err, sizeof(err)),
	    -1);
	assert_null(strstr(err, "0am or"));
	assert_non_null(strstr(err, "00:00"));
	assert_int_equal(when_parse("kal 00", NOW, &ms, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "for midnight write 00:00"));
	assert_int_equal(when_parse("12 Dec", NOW, &ms, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no time"));
	assert_int_equal(when_parse("11am", NOW, &ms, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no date"));
	assert_int_equal(when_parse("31 Nov 11am", NOW, &ms, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no such day"));
	assert_int_equal(when_parse("29 Feb 2027 10:00", NOW, &ms, err,
	    sizeof(err)), -1);
	assert_int_equal(when_parse("13/13 10:00", NOW, &ms, err, sizeof(err)),
	    -1);
	assert_int_equal(when_parse("12 Dec 25:00", NOW, &ms, err,
	    sizeof(err)), -1);
	assert_int_equal(when_parse("16:00 pm 12 Dec", NOW, &ms, err,
	    sizeof(err)), -1);
	assert_int_equal(when_parse("next saturday", NOW, &ms, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "12 Dec 11am"));
	assert_int_equal(when_parse("", NOW, &ms, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_now_is_what_the_test_thinks),
		cmocka_unit_test(test_common_forms),
		cmocka_unit_test(test_day_first_and_next_year),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
