/*
 * when: a date and time as a coordinator types it, read as IST, and said
 * back in words so she sees how it was read.
 *
 *   2026-12-12T11:00      ISO 8601 (IST unless it has Z or an offset)
 *   2026-12-12 11:00      the same with a space
 *   12-12-2026 11:00      day first, as India writes it: 12/12/2026,
 *   12/12 11:00           12.12.26; without a year, the next 12 December
 *   12 Dec 11am           day and month name (Dec, December, dec.),
 *   Dec 12, 11:30 am      either order, with or without a year
 *   tomorrow 4pm          today / tomorrow (aaj / kal too)
 *
 * A time is HH:MM (24-hour), or an hour with am / pm ("11am", "4:30 pm",
 * "11 a.m."); a bare hour from 13 to 23 is that hour on a 24-hour clock
 * ("15" is 15:00), a bare 1 to 12 is refused rather than guessed (morning
 * or evening?), and a bare 0 is refused with how midnight is written
 * (00:00).  Pure: now_ms is given, no clock is read.
 */
#ifndef SP_WHEN_H
#define SP_WHEN_H

#include <stddef.h>
#include <stdint.h>

#define WHEN_DESCRIBE_MAX	48

/*
 * Read text: 0 and *ms (UTC epoch ms), or -1 with what was wrong and the
 * forms that are understood in err.  now_ms picks the year when none is
 * written (the first such date from today on) and the day of "tomorrow".
 */
int	 when_parse(const char *text, int64_t now_ms, int64_t *ms, char *err,
	    size_t errlen);

/* ms in IST, in words: "Sat 12 Dec 2026, 11:00 IST". */
void	 when_describe(int64_t ms, char out[WHEN_DESCRIBE_MAX]);

#endif
