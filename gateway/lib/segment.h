/*
 * segment: how many SMS a text costs, counted exactly as Twilio's segment
 * calculator counts (3GPP TS 23.038 GSM-7 / UCS-2).
 *
 * GSM-7 when every character is in the GSM 03.38 basic or extension table
 * (extension characters cost 2 septets): 160 septets in one SMS, else
 * 153 per part, and an escape pair is never split across parts.  Anything
 * else is UCS-2: 70 UTF-16 units in one SMS, else 67 per part, and neither
 * a surrogate pair nor an extended grapheme cluster is split across parts.
 * Parts are filled greedily.
 */
#ifndef SP_SEGMENT_H
#define SP_SEGMENT_H

#include <stddef.h>

enum segment_encoding {
	SEGMENT_GSM7,
	SEGMENT_UCS2,
};

struct segment_info {
	enum segment_encoding encoding;
	unsigned	segments;	/* 0 for the empty text */
	unsigned	units;		/* septets (GSM-7) or UTF-16 units */
};

/* Count a valid UTF-8 text.  0, or -1 if it is not valid UTF-8. */
int	 segment_count(const char *utf8, size_t len, struct segment_info *out);

/* "GSM-7" or "UCS-2". */
const char *segment_encoding_name(enum segment_encoding);

/*
 * Length in bytes of the longest prefix of utf8 that fits in max_segments,
 * never cutting inside a UTF-8 sequence or a grapheme cluster.  Returns len
 * when the whole text fits.
 */
size_t	 segment_fit(const char *utf8, size_t len, unsigned max_segments);
/* The same, also counting the prefix it returns into *info (may be NULL). */
size_t	 segment_fit_info(const char *utf8, size_t len, unsigned max_segments,
	    struct segment_info *info);

#endif
