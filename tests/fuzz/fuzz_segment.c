/*
 * fuzz_segment: segment counting and fitting on any bytes.  segment_fit must
 * return a prefix that ends between UTF-8 sequences and costs no more
 * than asked (the first byte picks the number of segments).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "segment.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_segment: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct segment_info all, part;
	const char *s;
	unsigned max;
	size_t len, fit;

	if (size == 0)
		return 0;
	max = data[0] % 8;
	s = (const char *)data + 1;
	len = size - 1;
	if (segment_count(s, len, &all) == -1) {
		check(!text_utf8_valid(s, len), "valid text refused");
		return 0;
	}
	check(all.encoding == SEGMENT_GSM7 || all.encoding == SEGMENT_UCS2,
	    "encoding");
	check((all.segments == 0) == (len == 0), "segments of empty text");
	check(all.units >= all.segments, "fewer units than segments");
	(void)segment_encoding_name(all.encoding);

	fit = segment_fit(s, len, max);
	check(fit <= len, "fit past the end");
	/* segment_count takes NUL bytes, text_utf8_valid does not: look at
	 * the cut itself. */
	check(fit == len || ((unsigned char)s[fit] & 0xc0) != 0x80,
	    "fit cut a UTF-8 sequence");
	check(segment_count(s, fit, &part) == 0, "prefix does not count");
	if (max > 0)
		check(part.segments <= max, "prefix costs more than asked");
	if (all.segments <= max)
		check(fit == len, "a text that fits was cut");
	return 0;
}
