/*
 * test_schedule: broadcast time windows in IST, with the clock given by
 * the test (every time below is a fixed instant, never "now").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "schedule.h"
#include "util.h"

/* An instant from ISO 8601 (tests write them in UTC with Z). */
static int64_t
at(const char *iso)
{
	int64_t ms = 0;

	assert_int_equal(util_parse_iso8601(iso, &ms), 0);
	return ms;
}

static void
rules(struct schedule_rules *r, const char *quiet)
{
	char err[128];

	assert_int_equal(schedule_rules_init(r, quiet, 3, err, sizeof(err)), 0);
}

static void
test_parse_window(void **state)
{
	char err[128];
	int s, e;

	(void)state;
	assert_int_equal(schedule_parse_window("21:00-08:00", &s, &e, err,
	    sizeof(err)), 0);
	assert_int_equal(s, 21 * 60);
	assert_int_equal(e, 8 * 60);
	assert_int_equal(schedule_parse_window("00:00-24:00", &s, &e, err,
	    sizeof(err)), 0);
	assert_int_equal(e, 1440);
	assert_int_equal(schedule_parse_window("21-08", &s, &e, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "HH:MM-HH:MM"));
	assert_int_equal(schedule_parse_window("25:00-08:00", &s, &e, err,
	    sizeof(err)), -1);
	assert_int_equal(schedule_parse_window("21:60-08:00", &s, &e, err,
	    sizeof(err)), -1);
	assert_int_equal(schedule_parse_window("21:00 08:00", &s, &e, err,
	    sizeof(err)), -1);
}

static void
test_quiet_hours_default(void **state)
{
	struct schedule_rules r;

	(void)state;
	rules(&r, "21:00-08:00");
	/* 15:29Z is 20:59 IST: still allowed; 15:30Z is 21:00: quiet. */
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-26T15:29:59Z")), 1);
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-26T15:30:00Z")), 0);
	/* 02:29Z is 07:59 IST (quiet), 02:30Z is 08:00 (open). */
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-27T02:29:00Z")), 0);
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-27T02:30:00Z")), 1);
	/* Deferred from 23:00 IST to 08:00 IST the next morning. */
	assert_true(schedule_next_allowed(&r, 0, at("2026-11-26T17:30:00Z")) ==
	    at("2026-11-27T02:30:00Z"));
	/* Just after midnight IST: the same morning. */
	assert_true(schedule_next_allowed(&r, 0, at("2026-11-26T18:45:00Z")) ==
	    at("2026-11-27T02:30:00Z"));
	/* Allowed now stays now. */
	assert_true(schedule_next_allowed(&r, 0, at("2026-11-26T06:00:00Z")) ==
	    at("2026-11-26T06:00:00Z"));
}

static void
test_promotional_window(void **state)
{
	struct schedule_rules r;

	(void)state;
	rules(&r, "21:00-08:00");
	/* 09:30 IST: past the quiet hours, but not yet 10:00 for promo. */
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-26T04:00:00Z")), 1);
	assert_int_equal(schedule_allowed(&r, 1, at("2026-11-26T04:00:00Z")), 0);
	assert_true(schedule_next_allowed(&r, 1, at("2026-11-26T04:00:00Z")) ==
	    at("2026-11-26T04:30:00Z"));
	/* 20:59 IST fine, 21:00 not. */
	assert_int_equal(schedule_allowed(&r, 1, at("2026-11-26T15:29:00Z")), 1);
	assert_int_equal(schedule_allowed(&r, 1, at("2026-11-26T15:30:00Z")), 0);
	/* A promotional message at 22:00 IST waits for 10:00, not 08:00. */
	assert_true(schedule_next_allowed(&r, 1, at("2026-11-26T16:30:00Z")) ==
	    at("2026-11-27T04:30:00Z"));
	/* Without quiet hours the promo window still holds. */
	rules(&r, "");
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-26T20:00:00Z")), 1);
	assert_int_equal(schedule_allowed(&r, 1, at("2026-11-26T20:00:00Z")), 0);
	assert_true(schedule_next_allowed(&r, 1, at("2026-11-26T20:00:00Z")) ==
	    at("2026-11-27T04:30:00Z"));
}

static void
test_custom_windows(void **state)
{
	struct schedule_rules r;

	(void)state;
	/* A window that does not wrap midnight: 13:00-14:00 IST. */
	rules(&r, "13:00-14:00");
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-26T07:29:00Z")), 1);
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-26T07:30:00Z")), 0);
	assert_true(schedule_next_allowed(&r, 0, at("2026-11-26T08:00:00Z")) ==
	    at("2026-11-26T08:30:00Z"));
	/* Quiet hours that cover the promo window's opening. */
	rules(&r, "20:00-11:00");
	assert_true(schedule_next_allowed(&r, 1, at("2026-11-26T15:00:00Z")) ==
	    at("2026-11-27T05:30:00Z"));
	/* The same start and end: no quiet hours at all. */
	rules(&r, "08:00-08:00");
	assert_int_equal(schedule_allowed(&r, 0, at("2026-11-26T02:30:00Z")), 1);
}

static void
test_days(void **state)
{
	int64_t a = at("2026-11-26T18:29:59Z"), b = at("2026-11-26T18:30:00Z");
	char s[32];

	(void)state;
	/* The IST day turns at 18:30 UTC. */
	assert_true(schedule_ist_day(b) == schedule_ist_day(a) + 1);
	assert_true(schedule_next_day(a) == b);
	assert_true(schedule_next_day(b) == b + SCHEDULE_DAY_MS);
	schedule_ist_date(a, s, sizeof(s));
	assert_string_equal(s, "26 Nov");
	schedule_ist_time(a, s, sizeof(s));
	assert_string_equal(s, "23:59");
	schedule_ist_date(b, s, sizeof(s));
	assert_string_equal(s, "27 Nov");
	schedule_ist_time(b, s, sizeof(s));
	assert_string_equal(s, "00:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_window),
		cmocka_unit_test(test_quiet_hours_default),
		cmocka_unit_test(test_promotional_window),
		cmocka_unit_test(test_custom_windows),
		cmocka_unit_test(test_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
