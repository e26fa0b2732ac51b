/*
 * when: common forms of a date and time, read as IST (when.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "when.h"

#define IST_MS		(330LL * 60 * 1000)
#define DAY_MS		(86400LL * 1000)
#define MAX_TOKENS	12
#define FORMS		"e.g. 12 Dec 11am, 12/12 11:00, 12-12-2026 11:00 " \
			"or 2026-12-12 11:00 (IST)"

static const char *const months[12] = { "jan", "feb", "mar", "apr", "may",
    "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
static const char *const month_names[12] = { "january", "february",
    "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december" };
static const char *const weekdays[7] = { "Thu", "Fri", "Sat", "Sun", "Mon",
    "Tue", "Wed" };	/* 1970-01-01 was a Thursday */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int64_t y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int
month_of(const char *w)
{
	size_t n = strlen(w);
	int i;

	if (n > 0 && w[n - 1] == '.')
		n--;
	for (i = 0; i < 12; i++)
		if ((n == 3 && strncmp(w, months[i], 3) == 0) ||
		    (n == 4 && strncmp(w, "sept", 4) == 0 && i == 8) ||
		    (n == strlen(month_names[i]) &&
		    strncmp(w, month_names[i], n) == 0))
			return i + 1;
	return 0;
}

/* Digits only, 1 to maxlen of them: the number, else -1. */
static int
number(const char *s, size_t len, size_t maxlen)
{
	int v = 0;
	size_t i;

	if (len == 0 || len > maxlen)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

struct reading {
	int64_t	 year;		/* 0: not written */
	int	 month, day;	/* 0: not yet */
	int	 hour, minute;	/* -1: not yet */
	int	 day_offset;	/* today / tomorrow: 0 / 1, -1 not used */
	int	 want_meridiem;	/* a bare 1..12: am/pm must follow */
	int	 bare_zero;	/* a bare 0: midnight or a slip? */
	int	 can_meridiem;	/* a time that am/pm may still follow */
};

/* "am", "pm", "a.m.", "p.m.": 1 am, 2 pm, 0 neither. */
static int
meridiem(const char *w)
{
	if (strcmp(w, "am") == 0 || strcmp(w, "a.m.") == 0 ||
	    strcmp(w, "a.m") == 0)
		return 1;
	if (strcmp(w, "pm") == 0 || strcmp(w, "p.m.") == 0 ||
	    strcmp(w, "p.m") == 0)
		return 2;
	return 0;
}

static int
apply_meridiem(struct reading *r, int which)
{
	if (r->hour < 1 || r->hour > 12)
		return -1;
	r->hour %= 12;
	if (which == 2)
		r->hour += 12;
	r->want_meridiem = 0;
	r->bare_zero = 0;
	r->can_meridiem = 0;
	return 0;
}

/* "11", "11:30", "11am", "4:30pm", "11.30" (only once the date is read). */
static int
time_token(struct reading *r, const char *w)
{
	size_t n = strlen(w), digits = strspn(w, "0123456789");
	const char *rest;
	int h, mi = 0, mer;

	if (digits == 0 || digits > 2)
		return 0;
	h = number(w, digits, 2);
	rest = w + digits;
	if ((*rest == ':' || (*rest == '.' && r->month != 0)) &&
	    strspn(rest + 1, "0123456789") == 2) {
		mi = number(rest + 1, 2, 2);
		rest += 3;
	} else if (*rest == ':' || *rest == '.') {
		return 0;
	}
	mer = *rest ? meridiem(rest) : 0;
	if (*rest && !mer)
		return 0;
	if (r->hour != -1 || h > 23 || mi > 59)
		return -1;
	r->hour = h;
	r->minute = mi;
	if (mer)
		return apply_meridiem(r, mer) == 0 ? 1 : -1;
	/*
	 * "11" alone is an hour only if am/pm follows: morning or evening
	 * cannot be guessed.  "15" alone can only be 15:00, as a 24-hour
	 * clock reads.  "0" alone is more likely a slip than a meeting at
	 * midnight: refused, saying how midnight is written.
	 */
	if (rest == w + digits && (size_t)(rest - w) == n) {
		r->want_meridiem = h >= 1 && h <= 12;
		r->bare_zero = h == 0;
	}
	r->can_meridiem = h >= 1 && h <= 12;
	return 1;
}

/* "12-12-2026", "12/12", "2026-12-12", "12.12.26": 1 read, 0 not a date,
 * -1 a bad date. */
static int
date_token(struct reading *r, const char *w)
{
	int part[3], np = 0, v;
	size_t len[3], n;
	const char *p = w;
	char sep = 0;

	while (np < 3) {
		n = strspn(p, "0123456789");
		if (n == 0 || (v = number(p, n, 4)) < 0)
			return 0;
		part[np] = v;
		len[np++] = n;
		p += n;
		if (*p == '\0')
			break;
		if ((*p != '/' && *p != '-' && *p != '.') ||
		    (sep != 0 && *p != sep))
			return 0;
		sep = *p++;
	}
	if (*p != '\0' || np < 2 || r->month != 0)
		return 0;
	if (len[0] == 4) {
		if (np != 3)
			return -1;
		r->year = part[0];
		r->month = part[1];
		r->day = part[2];
	} else {
		if (len[0] > 2 || len[1] > 2)
			return 0;
		r->day = part[0];
		r->month = part[1];
		if (np == 3)
			r->year = len[2] == 2 ? 2000 + part[2] :
			    len[2] == 4 ? part[2] : -1;
	}
	return r->month >= 1 && r->month <= 12 && r->year >= 0 ? 1 : -1;
}

static int
iso_zoned(const char *s)
{
	size_t n = strlen(s);

	return n > 10 && (s[n - 1] == 'Z' || strchr(s + 10, '+') != NULL ||
	    strchr(s + 10, '-') != NULL);
}

int
when_parse(const char *text, int64_t now_ms, int64_t *ms, char *err,
    size_t errlen)
{
	struct reading r = { 0, 0, 0, -1, 0, -1, 0, 0, 0 };
	char *copy, *tok[MAX_TOKENS], *p, *save = NULL;
	int64_t today, y, days, t;
	size_t ntok = 0, i, n;
	int m, d, rc, v;

	if (text == NULL || *text == '\0') {
		util_err(err, errlen, "no date and time given: " FORMS);
		return -1;
	}
	/* ISO 8601 with its T: as the API has always taken it. */
	n = strlen(text);
	if (n >= 16 && number(text, 4, 4) >= 0 && text[4] == '-' &&
	    text[10] == 'T') {
		if (util_parse_iso8601(text, ms) == -1) {
			util_err(err, errlen, "\"%s\" is no time: " FORMS,
			    text);
			return -1;
		}
		if (!iso_zoned(text))
			*ms -= IST_MS;
		return 0;
	}
	copy = xstrdup(text);
	for (p = copy; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (p = strtok_r(copy, " ,\t", &save); p != NULL;
	    p = strtok_r(NULL, " ,\t", &save)) {
		if (ntok == MAX_TOKENS)
			goto bad;
		tok[ntok++] = p;
	}
	for (i = 0; i < ntok; i++) {
		const char *w = tok[i];

		if (strcmp(w, "at") == 0 || strcmp(w, "on") == 0 ||
		    strcmp(w, "ist") == 0 || strcmp(w, "ko") == 0 ||
		    strcmp(w, "hrs") == 0)
			continue;
		if (strcmp(w, "today") == 0 || strcmp(w, "aaj") == 0) {
			r.day_offset = 0;
			continue;
		}
		if (strcmp(w, "tomorrow") == 0 || strcmp(w, "kal") == 0) {
			r.day_offset = 1;
			continue;
		}
		if ((v = meridiem(w)) != 0) {
			if (!r.can_meridiem || apply_meridiem(&r, v) == -1)
				goto bad;
			continue;
		}
		if ((m = month_of(w)) != 0) {
			if (r.month != 0)
				goto bad;
			r.month = m;
			continue;
		}
		if ((rc = date_token(&r, w)) == -1)
			goto bad;
		if (rc == 1)
			continue;
		n = strlen(w);
		/* A day next to a month name ("12 Dec", "Dec 12"), a year. */
		if ((v = number(w, n, 2)) >= 1 && v <= 31 && r.day == 0 &&
		    ((i + 1 < ntok && month_of(tok[i + 1]) != 0) ||
		    (i > 0 && month_of(tok[i - 1]) != 0))) {
			r.day = v;
			continue;
		}
		if (n == 4 && (v = number(w, 4, 4)) >= 2000 && r.year == 0 &&
		    r.month != 0) {
			r.year = v;
			continue;
		}
		if ((rc = time_token(&r, w)) == 1)
			continue;
		goto bad;
	}
	if (r.bare_zero) {
		util_err(err, errlen, "\"%s\": 0 alone is no clear time: "
		    "for midnight write 00:00, otherwise the hour with am or "
		    "pm (e.g. 10am) or as on a 24-hour clock (e.g. 16:00)",
		    text);
		free(copy);
		return -1;
	}
	if (r.want_meridiem) {
		util_err(err, errlen, "\"%s\": is %d in the morning or the "
		    "evening? write %dam or %dpm (or %02d:00 / %02d:00)", text,
		    r.hour, r.hour, r.hour, r.hour % 12, r.hour % 12 + 12);
		free(copy);
		return -1;
	}
	if (r.hour == -1) {
		util_err(err, errlen, "\"%s\": no time of day: " FORMS, text);
		free(copy);
		return -1;
	}
	today = (now_ms + IST_MS) / DAY_MS;
	if (r.day_offset >= 0) {
		if (r.month != 0 || r.day != 0)
			goto bad;
		civil_from_days(today + r.day_offset, &y, &m, &d);
		r.year = y;
		r.month = m;
		r.day = d;
	}
	if (r.month == 0 || r.day == 0) {
		util_err(err, errlen, "\"%s\": no date: " FORMS, text);
		free(copy);
		return -1;
	}
	if (r.year == 0) {
		/* The next such day: this year's, or next year's if gone. */
		civil_from_days(today, &y, &m, &d);
		if (r.month < m || (r.month == m && r.day < d))
			y++;
		r.year = y;
	}
	if (r.year < 1970 || r.year > 9999 || r.day < 1 ||
	    r.day > days_in_month(r.year, r.month)) {
		util_err(err, errlen, "\"%s\": there is no such day", text);
		free(copy);
		return -1;
	}
	days = days_from_civil(r.year, r.month, r.day);
	t = days * DAY_MS + ((int64_t)r.hour * 60 + r.minute) * 60000 - IST_MS;
	*ms = t;
	free(copy);
	return 0;
bad:
	util_err(err, errlen, "\"%s\" is not a date and time I can read: "
	    FORMS, text);
	free(copy);
	return -1;
}

void
when_describe(int64_t ms, char out[WHEN_DESCRIBE_MAX])
{
	int64_t local = ms + IST_MS, days, y, mins;
	int m, d;

	days = local >= 0 ? local / DAY_MS : -((-local + DAY_MS - 1) / DAY_MS);
	mins = (local - days * DAY_MS) / 60000;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, WHEN_DESCRIBE_MAX, "%s %d %c%s %lld, %02d:%02d IST",
	    weekdays[((days % 7) + 7) % 7], d, months[m - 1][0] - 32,
	    months[m - 1] + 1, (long long)y, (int)(mins / 60),
	    (int)(mins % 60));
}
