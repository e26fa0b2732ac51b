/*
 * schedule: time windows for broadcast messages, in IST.  See schedule.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "schedule.h"
#include "util.h"

#define MIN_MS	60000LL

static int
parse_hhmm(const char *s, int *min)
{
	int h, m, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h < 0 ||
	    h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
		return -1;
	*min = h * 60 + m;
	return 0;
}

int
schedule_parse_window(const char *s, int *start, int *end, char *err,
    size_t errlen)
{
	char a[8], b[8];

	if (strlen(s) != 11 || s[5] != '-') {
		util_err(err, errlen, "\"%s\": expected HH:MM-HH:MM (IST)", s);
		return -1;
	}
	snprintf(a, sizeof(a), "%.5s", s);
	snprintf(b, sizeof(b), "%.5s", s + 6);
	if (parse_hhmm(a, start) == -1 || parse_hhmm(b, end) == -1) {
		util_err(err, errlen, "\"%s\": expected HH:MM-HH:MM (IST), "
		    "hours 00-24", s);
		return -1;
	}
	return 0;
}

int
schedule_rules_init(struct schedule_rules *r, const char *quiet, long daily_cap,
    char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->promo_start = 10 * 60;
	r->promo_end = 21 * 60;
	r->daily_cap = daily_cap > 0 ? (int)daily_cap : 0;
	if (quiet == NULL || *quiet == '\0')
		return 0;
	return schedule_parse_window(quiet, &r->quiet_start, &r->quiet_end, err,
	    errlen);
}

/* Minutes after IST midnight. */
static int
ist_minute(int64_t t)
{
	int64_t ms = (t + SCHEDULE_IST_OFFSET_MS) % SCHEDULE_DAY_MS;

	if (ms < 0)
		ms += SCHEDULE_DAY_MS;
	return (int)(ms / MIN_MS);
}

/* Is minute m inside [start, end), a window that may wrap midnight? */
static int
in_window(int m, int start, int end)
{
	if (start == end)
		return 0;
	if (start < end)
		return m >= start && m < end;
	return m >= start || m < end;
}

int
schedule_allowed(const struct schedule_rules *r, int promotional, int64_t t)
{
	int m = ist_minute(t);

	if (in_window(m, r->quiet_start, r->quiet_end))
		return 0;
	if (promotional && !in_window(m, r->promo_start, r->promo_end))
		return 0;
	return 1;
}

/* The start of the minute m (IST) at or after t. */
static int64_t
next_minute_of_day(int64_t t, int m)
{
	int64_t day = schedule_ist_day(t);
	int64_t at = day * SCHEDULE_DAY_MS - SCHEDULE_IST_OFFSET_MS + m * MIN_MS;

	return at >= t ? at : at + SCHEDULE_DAY_MS;
}

int64_t
schedule_next_allowed(const struct schedule_rules *r, int promotional, int64_t t)
{
	int i;

	/* Each step moves to the end of a window that forbids t; two
	 * windows can only send us round a few times. */
	for (i = 0; i < 4 && !schedule_allowed(r, promotional, t); i++) {
		int m = ist_minute(t);

		if (in_window(m, r->quiet_start, r->quiet_end))
			t = next_minute_of_day(t, r->quiet_end);
		else
			t = next_minute_of_day(t, r->promo_start);
	}
	return t;
}

int64_t
schedule_ist_day(int64_t t)
{
	int64_t s = t + SCHEDULE_IST_OFFSET_MS;

	return s >= 0 ? s / SCHEDULE_DAY_MS : -((-s + SCHEDULE_DAY_MS - 1) /
	    SCHEDULE_DAY_MS);
}

int64_t
schedule_next_day(int64_t t)
{
	return (schedule_ist_day(t) + 1) * SCHEDULE_DAY_MS - SCHEDULE_IST_OFFSET_MS;
}

static void
ist_tm(int64_t t, struct tm *tm)
{
	time_t s = (time_t)((t + SCHEDULE_IST_OFFSET_MS) / 1000);

	gmtime_r(&s, tm);
}

void
schedule_ist_date(int64_t t, char *out, size_t outlen)
{
	struct tm tm;

	ist_tm(t, &tm);
	strftime(out, outlen, "%d %b", &tm);
}

void
schedule_ist_time(int64_t t, char *out, size_t outlen)
{
	struct tm tm;

	ist_tm(t, &tm);
	strftime(out, outlen, "%H:%M", &tm);
}
