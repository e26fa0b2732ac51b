/*
 * schedule: when a broadcast message may go, by India's rules and the
 * coalition's manners.  Pure functions of a time given by the caller (the
 * clock is injected, so tests use any time they like); no I/O.
 *
 * All windows are in IST (UTC+05:30, no daylight saving):
 *   - promotional messages only within 10:00-21:00 (TRAI / DLT, the
 *     conservative reading, providers.md section 5);
 *   - no broadcast message within the quiet hours (config quiet_hours,
 *     default 21:00-08:00; a window may wrap past midnight; "" or a window
 *     that starts where it ends means none);
 *   - at most daily_cap broadcast messages per contact per IST day (the
 *     caller counts; schedule_next_day() gives where the next day starts).
 */
#ifndef SP_SCHEDULE_H
#define SP_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#define SCHEDULE_IST_OFFSET_MS	(19800LL * 1000)	/* +05:30 */
#define SCHEDULE_DAY_MS		(86400LL * 1000)

struct schedule_rules {
	int	quiet_start;	/* minutes after IST midnight */
	int	quiet_end;	/* == quiet_start: no quiet hours */
	int	promo_start;	/* 10:00 */
	int	promo_end;	/* 21:00 */
	int	daily_cap;	/* broadcast messages per contact per day, 0: none */
};

/*
 * Rules from the config's words: quiet ("21:00-08:00" or ""), daily cap.
 * 0, or -1 with the reason in err.
 */
int	 schedule_rules_init(struct schedule_rules *, const char *quiet,
	    long daily_cap, char *err, size_t errlen);

/* "HH:MM-HH:MM" into minutes after midnight.  0 or -1 with err. */
int	 schedule_parse_window(const char *s, int *start, int *end, char *err,
	    size_t errlen);

/* 1 if a message (promotional or not) may go at t, else 0. */
int	 schedule_allowed(const struct schedule_rules *, int promotional, int64_t t);

/* The earliest time >= t at which it may go. */
int64_t	 schedule_next_allowed(const struct schedule_rules *, int promotional,
	    int64_t t);

/* The IST day t falls in (days since 1970-01-01 IST), and the start of
 * the next one. */
int64_t	 schedule_ist_day(int64_t t);
int64_t	 schedule_next_day(int64_t t);

/* t as IST calendar parts, for message texts ("25 Nov", "10:30"). */
void	 schedule_ist_date(int64_t t, char *out, size_t outlen);
void	 schedule_ist_time(int64_t t, char *out, size_t outlen);

#endif
