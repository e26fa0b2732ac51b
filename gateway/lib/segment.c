/*
 * segment: SMS segment counting, as Twilio's sms-segments-calculator counts.
 *
 * The text is cut into grapheme clusters.  If every code point is in the
 * GSM 03.38 basic or extension table the message is GSM-7 and a cluster
 * costs 1 or 2 septets (an extension character is ESC + code, kept
 * together); otherwise it is UCS-2 and a cluster costs its UTF-16 units.
 * A message that fits one SMS (160 septets / 70 units) is one segment;
 * otherwise clusters are packed greedily into parts of 153 / 67, a cluster
 * never straddling two parts.
 *
 * Deliberately no utf8proc here (only handlers/text includes it): the
 * calculator uses an old grapheme splitter, and the small rule below
 * reproduces what it does for the scripts we send:
 *   - a cluster is a base code point followed by any "extending" code
 *     points (ext_ranges[]: combining marks of Latin, Indic and other
 *     scripts, ZWNJ/ZWJ, variation selectors, tags);
 *   - an emoji modifier (U+1F3FB..U+1F3FF) extends an emoji base;
 *   - a ZWJ joins the next code point when that is an emoji;
 *   - two regional indicators make one flag.
 * A virama does not join the next consonant (legacy clusters, as the
 * calculator): "स्ते" is "स्" + "ते".
 *
 * Divergences, on purpose: a cluster bigger than a whole part (only seen
 * in hostile input, e.g. a letter with hundreds of combining marks) is
 * split between code points instead of overfilling a part, and the
 * calculator's quirk of over-filling part 2 when two huge clusters meet
 * there is not reproduced.
 */
#include <limits.h>
#include <stdint.h>

#include "segment.h"
#include "util.h"

#define GSM_SINGLE	160
#define GSM_PART	153
#define UCS_SINGLE	70
#define UCS_PART	67

struct cp_range {
	uint32_t lo, hi;
};

/* GSM 03.38 basic table, non-ASCII part (ASCII is handled in gsm_cost()). */
static const uint32_t gsm_basic_high[] = {
	0x00A1, 0x00A3, 0x00A4, 0x00A5, 0x00A7, 0x00BF, 0x00C4, 0x00C5,
	0x00C6, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00D8, 0x00DC, 0x00DF,
	0x00E0, 0x00E4, 0x00E5, 0x00E6, 0x00E8, 0x00E9, 0x00EC, 0x00F1,
	0x00F2, 0x00F6, 0x00F8, 0x00F9, 0x00FC, 0x0393, 0x0394, 0x0398,
	0x039B, 0x039E, 0x03A0, 0x03A3, 0x03A6, 0x03A8, 0x03A9,
};

/* Code points that extend the cluster before them. */
static const struct cp_range ext_ranges[] = {
	{ 0x0300, 0x036F },	/* combining diacritical marks */
	{ 0x0483, 0x0489 },	/* Cyrillic */
	{ 0x0591, 0x05BD }, { 0x05BF, 0x05BF }, { 0x05C1, 0x05C2 },
	{ 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 },	/* Hebrew points */
	{ 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0670, 0x0670 },
	{ 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 }, { 0x06E7, 0x06E8 },
	{ 0x06EA, 0x06ED }, { 0x08D4, 0x08E1 }, { 0x08E3, 0x08FF },	/* Arabic, Urdu */
	/* Devanagari: candrabindu..visarga, matras, nukta, virama, stress */
	{ 0x0900, 0x0903 }, { 0x093A, 0x093C }, { 0x093E, 0x094F },
	{ 0x0951, 0x0957 }, { 0x0962, 0x0963 },
	/* Bengali */
	{ 0x0981, 0x0983 }, { 0x09BC, 0x09BC }, { 0x09BE, 0x09C4 },
	{ 0x09C7, 0x09C8 }, { 0x09CB, 0x09CD }, { 0x09D7, 0x09D7 },
	{ 0x09E2, 0x09E3 },
	/* Gurmukhi */
	{ 0x0A01, 0x0A03 }, { 0x0A3C, 0x0A3C }, { 0x0A3E, 0x0A42 },
	{ 0x0A47, 0x0A48 }, { 0x0A4B, 0x0A4D }, { 0x0A51, 0x0A51 },
	{ 0x0A70, 0x0A71 }, { 0x0A75, 0x0A75 },
	/* Gujarati */
	{ 0x0A81, 0x0A83 }, { 0x0ABC, 0x0ABC }, { 0x0ABE, 0x0AC5 },
	{ 0x0AC7, 0x0AC9 }, { 0x0ACB, 0x0ACD }, { 0x0AE2, 0x0AE3 },
	{ 0x0AFA, 0x0AFF },
	/* Oriya */
	{ 0x0B01, 0x0B03 }, { 0x0B3C, 0x0B3C }, { 0x0B3E, 0x0B44 },
	{ 0x0B47, 0x0B48 }, { 0x0B4B, 0x0B4D }, { 0x0B56, 0x0B57 },
	{ 0x0B62, 0x0B63 },
	/* Tamil */
	{ 0x0B82, 0x0B82 }, { 0x0BBE, 0x0BC2 }, { 0x0BC6, 0x0BC8 },
	{ 0x0BCA, 0x0BCD }, { 0x0BD7, 0x0BD7 },
	/* Telugu */
	{ 0x0C00, 0x0C03 }, { 0x0C3E, 0x0C44 }, { 0x0C46, 0x0C48 },
	{ 0x0C4A, 0x0C4D }, { 0x0C55, 0x0C56 }, { 0x0C62, 0x0C63 },
	/* Kannada */
	{ 0x0C81, 0x0C83 }, { 0x0CBC, 0x0CBC }, { 0x0CBE, 0x0CC4 },
	{ 0x0CC6, 0x0CC8 }, { 0x0CCA, 0x0CCD }, { 0x0CD5, 0x0CD6 },
	{ 0x0CE2, 0x0CE3 },
	/* Malayalam */
	{ 0x0D00, 0x0D03 }, { 0x0D3B, 0x0D3C }, { 0x0D3E, 0x0D44 },
	{ 0x0D46, 0x0D48 }, { 0x0D4A, 0x0D4D }, { 0x0D57, 0x0D57 },
	{ 0x0D62, 0x0D63 },
	/* Thai */
	{ 0x0E31, 0x0E31 }, { 0x0E33, 0x0E3A }, { 0x0E47, 0x0E4E },
	{ 0x1AB0, 0x1ABE },	/* combining diacritical marks extended */
	{ 0x1CD0, 0x1CD2 }, { 0x1CD4, 0x1CE8 }, { 0x1CED, 0x1CED },
	{ 0x1CF2, 0x1CF4 }, { 0x1CF7, 0x1CF9 },	/* Vedic extensions */
	{ 0x1DC0, 0x1DF9 }, { 0x1DFB, 0x1DFF },	/* diacritics supplement */
	{ 0x200C, 0x200D },	/* ZWNJ, ZWJ */
	{ 0x20D0, 0x20F0 },	/* combining marks for symbols (keycap) */
	{ 0xA8E0, 0xA8F1 },	/* Devanagari extended */
	{ 0xFE00, 0xFE0F },	/* variation selectors */
	{ 0xFE20, 0xFE2F },	/* combining half marks */
	{ 0xE0020, 0xE007F },	/* tags (subdivision flags) */
	{ 0xE0100, 0xE01EF },	/* variation selectors supplement */
};

/* Rough emoji ranges: bases for modifiers and targets of a ZWJ. */
static const struct cp_range emoji_ranges[] = {
	{ 0x2600, 0x27BF },	/* misc symbols, dingbats (❤) */
	{ 0x2B00, 0x2BFF },
	{ 0x1F000, 0x1F1E5 },
	{ 0x1F200, 0x1F3FA },
	{ 0x1F400, 0x1FAFF },
};

#define CP_ZWJ		0x200D
#define CP_RI_LO	0x1F1E6
#define CP_RI_HI	0x1F1FF
#define CP_MOD_LO	0x1F3FB
#define CP_MOD_HI	0x1F3FF

struct counter {
	size_t	 total;		/* units so far */
	size_t	 parts;		/* greedy parts at the multi-part size */
	size_t	 fill;		/* units in the last part */
	unsigned single, part;
};

static int
in_ranges(const struct cp_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/*
 * The Devanagari rows of ext_ranges as a bitmap (bit i: U+0900 + i), so
 * that Hindi text, the bulk of what we count, needs no search.
 */
static const uint64_t deva_marks[2] = {
	/* U+0900..U+093F: 0900-0903, 093A-093C, 093E-093F */
	0x000000000000000FULL | (0x7ULL << 0x3A) | (0x3ULL << 0x3E),
	/* U+0940..U+097F: 0940-094F, 0951-0957, 0962-0963 */
	0x000000000000FFFFULL | (0x7FULL << 0x11) | (0x3ULL << 0x22),
};

static int
devanagari_extends(uint32_t cp)
{
	uint32_t i = cp - 0x0900;

	return (deva_marks[i / 64] >> (i % 64)) & 1;
}

/* Septets for cp in GSM-7, or 0 if it has none. */
static unsigned
gsm_cost(uint32_t cp)
{
	size_t i;

	switch (cp) {
	case '\f': case '^': case '{': case '}': case '\\':
	case '[': case '~': case ']': case '|': case 0x20AC:
		return 2;
	case '\n': case '\r':
		return 1;
	case '`':
		return 0;
	}
	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	/* The table is sorted; most text past it (Devanagari) stops here. */
	if (cp < gsm_basic_high[0] ||
	    cp > gsm_basic_high[SP_ARRAY_LEN(gsm_basic_high) - 1])
		return 0;
	for (i = 0; i < SP_ARRAY_LEN(gsm_basic_high); i++)
		if (gsm_basic_high[i] == cp)
			return 1;
	return 0;
}

static unsigned
utf16_cost(uint32_t cp)
{
	return cp >= 0x10000 ? 2 : 1;
}

/*
 * Decode one code point from s[0..len).  Returns its byte length, or 0 on
 * malformed UTF-8 (overlong forms, surrogates and > U+10FFFF included).
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	c = s[0];
	/* Devanagari (U+0900..U+097F), most of the non-ASCII we count. */
	if (c == 0xE0 && len >= 3 && (s[1] == 0xA4 || s[1] == 0xA5) &&
	    (s[2] & 0xC0) == 0x80) {
		*cp = 0x0900 | ((uint32_t)(s[1] & 1) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/*
 * Length in bytes of the grapheme cluster starting at s (at least one code
 * point), or 0 on malformed UTF-8.  *units gets its UTF-16 units and
 * *septets its GSM-7 cost (0 when it is not GSM-7).
 */
static size_t
next_cluster(const unsigned char *s, size_t len, size_t *units,
    size_t *septets)
{
	uint32_t cp, prev, base;
	size_t n, off, ncp = 1;

	/* Fast path: ASCII not followed by anything that could join it. */
	if (s[0] < 0x80 && (len == 1 || s[1] < 0x80)) {
		*units = 1;
		*septets = gsm_cost(s[0]);
		return 1;
	}
	if ((n = utf8_decode(s, len, &cp)) == 0)
		return 0;
	off = n;
	*units = utf16_cost(cp);
	*septets = gsm_cost(cp);
	base = prev = cp;
	while (off < len) {
		int join = 0;

		/* ASCII never extends a cluster. */
		if (s[off] < 0x80)
			break;
		/* A bad sequence ends the cluster; the next call reports it. */
		if ((n = utf8_decode(s + off, len - off, &cp)) == 0)
			break;
		if (cp >= 0x0900 && cp <= 0x097F)
			join = devanagari_extends(cp);	/* most of our text */
		else if (in_ranges(ext_ranges, SP_ARRAY_LEN(ext_ranges), cp))
			join = 1;
		else if (cp >= CP_MOD_LO && cp <= CP_MOD_HI)
			join = in_ranges(emoji_ranges,
			    SP_ARRAY_LEN(emoji_ranges), base);
		else if (prev == CP_ZWJ)
			join = in_ranges(emoji_ranges,
			    SP_ARRAY_LEN(emoji_ranges), cp);
		else if (cp >= CP_RI_LO && cp <= CP_RI_HI &&
		    prev >= CP_RI_LO && prev <= CP_RI_HI && ncp == 1)
			join = 1;	/* second half of a flag */
		if (!join)
			break;
		if (prev == CP_ZWJ)
			base = cp;
		/* Any extending code point is outside GSM-7. */
		*units += utf16_cost(cp);
		*septets = 0;
		prev = cp;
		off += n;
		ncp++;
	}
	return off;
}

static void
counter_init(struct counter *c, unsigned single, unsigned part)
{
	c->total = c->parts = c->fill = 0;
	c->single = single;
	c->part = part;
}

static void
counter_add(struct counter *c, size_t cost)
{
	c->total += cost;
	if (c->parts == 0 || c->fill + cost > c->part) {
		c->parts++;
		c->fill = cost;
	} else
		c->fill += cost;
}

/*
 * Add a cluster.  One bigger than a whole part is added code point by code
 * point (GSM-7 clusters are single code points, so this is UCS-2 only),
 * keeping surrogate pairs whole.
 */
static void
counter_add_cluster(struct counter *c, const unsigned char *s, size_t len,
    size_t cost)
{
	uint32_t cp;
	size_t n, off;

	if (cost <= c->part) {
		counter_add(c, cost);
		return;
	}
	for (off = 0; off < len; off += n) {
		if ((n = utf8_decode(s + off, len - off, &cp)) == 0)
			break;
		counter_add(c, utf16_cost(cp));
	}
}

/*
 * Add k clusters of one unit each: what counter_add(c, 1) k times does,
 * in constant time.
 */
static void
counter_add_ones(struct counter *c, size_t k)
{
	size_t room, rest, full;

	if (k == 0)
		return;
	c->total += k;
	if (c->parts == 0) {
		c->parts = 1;
		c->fill = 0;
	}
	room = c->part - c->fill;
	if (k <= room) {
		c->fill += k;
		return;
	}
	rest = k - room;
	full = (rest - 1) / c->part;
	c->parts += full + 1;
	c->fill = rest - full * c->part;
}

/*
 * ASCII bytes that are one-septet GSM-7 characters: LF, CR and the
 * printable ones but for the extension table's ^{}\[~]| and the
 * backtick, which GSM-7 lacks.  Bit i of word i / 64.
 */
static const uint64_t plain_ascii[2] = {
	0xFFFFFFFF00002400ULL, 0x07FFFFFE87FFFFFFULL
};

/*
 * Bytes at the start of s that are plain one-septet ASCII clusters: each
 * costs exactly 1 in both encodings.  The last ASCII byte before a
 * non-ASCII one is left out, as a combining mark may extend it.
 */
static size_t
plain_ascii_run(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char ch = s[i];

		if (ch >= 0x80) {
			if (i > 0)
				i--;
			break;
		}
		if (!((plain_ascii[ch >> 6] >> (ch & 63)) & 1))
			break;
	}
	return i;
}

static size_t
counter_segments(const struct counter *c)
{
	if (c->total == 0)
		return 0;
	if (c->total <= c->single)
		return 1;
	return c->parts;
}

static unsigned
clamp_uint(size_t v)
{
	return v > UINT_MAX ? UINT_MAX : (unsigned)v;
}

/*
 * A text counted so far: in both encodings side by side, so that a prefix
 * still all GSM-7 is judged as GSM-7 even when the rest is not.
 */
struct tally {
	struct counter	gsm, ucs;
	int		is_gsm;
};

static void
tally_init(struct tally *t)
{
	counter_init(&t->gsm, GSM_SINGLE, GSM_PART);
	counter_init(&t->ucs, UCS_SINGLE, UCS_PART);
	t->is_gsm = 1;
}

/* n plain ASCII clusters (plain_ascii_run): one unit in both encodings. */
static void
tally_add_ones(struct tally *t, size_t n)
{
	if (t->is_gsm)
		counter_add_ones(&t->gsm, n);
	counter_add_ones(&t->ucs, n);
}

/* The cluster at s; its length in bytes, or 0 on malformed UTF-8. */
static size_t
tally_add_cluster(struct tally *t, const unsigned char *s, size_t len)
{
	size_t n, units, septets;

	if ((n = next_cluster(s, len, &units, &septets)) == 0)
		return 0;
	if (septets == 0)
		t->is_gsm = 0;
	if (t->is_gsm)
		counter_add(&t->gsm, septets);
	counter_add_cluster(&t->ucs, s, n, units);
	return n;
}

static size_t
tally_segments(const struct tally *t)
{
	return counter_segments(t->is_gsm ? &t->gsm : &t->ucs);
}

static void
tally_info(const struct tally *t, struct segment_info *out)
{
	const struct counter *c = t->is_gsm ? &t->gsm : &t->ucs;

	out->encoding = t->is_gsm ? SEGMENT_GSM7 : SEGMENT_UCS2;
	out->segments = clamp_uint(counter_segments(c));
	out->units = clamp_uint(c->total);
}

/*
 * How many of n plain ASCII clusters can join t without going over
 * max_segments.  Segments only grow as clusters are added, so when not
 * all of them fit a binary search finds how many do.
 */
static size_t
ones_that_fit(const struct tally *t, size_t n, unsigned max_segments)
{
	struct tally trial;
	size_t lo = 0, hi = n, mid;	/* lo fit, hi does not */

	trial = *t;
	tally_add_ones(&trial, n);
	if (tally_segments(&trial) <= max_segments)
		return n;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		trial = *t;
		tally_add_ones(&trial, mid);
		if (tally_segments(&trial) <= max_segments)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int
segment_count(const char *utf8, size_t len, struct segment_info *out)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct tally t;
	size_t off, n;

	tally_init(&t);
	for (off = 0; off < len; off += n) {
		/* Replies are mostly long runs of plain ASCII: count those
		 * in one step instead of a cluster at a time. */
		if ((n = plain_ascii_run(s + off, len - off)) > 1)
			tally_add_ones(&t, n);
		else if ((n = tally_add_cluster(&t, s + off, len - off)) == 0)
			return -1;
	}
	tally_info(&t, out);
	return 0;
}

const char *
segment_encoding_name(enum segment_encoding e)
{
	return e == SEGMENT_GSM7 ? "GSM-7" : "UCS-2";
}

/*
 * The prefix grows a cluster (or a plain ASCII run) at a time while its
 * count stays within max_segments; invalid UTF-8 ends it.
 */
size_t
segment_fit(const char *utf8, size_t len, unsigned max_segments)
{
	return segment_fit_info(utf8, len, max_segments, NULL);
}

size_t
segment_fit_info(const char *utf8, size_t len, unsigned max_segments,
    struct segment_info *info)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct tally t;
	size_t off, n, run, best = 0;

	tally_init(&t);
	if (info != NULL)
		tally_info(&t, info);
	for (off = 0; off < len; off += n) {
		if ((run = plain_ascii_run(s + off, len - off)) > 1) {
			if ((n = ones_that_fit(&t, run, max_segments)) == 0)
				break;
			tally_add_ones(&t, n);
		} else if ((n = tally_add_cluster(&t, s + off,
		    len - off)) == 0 || tally_segments(&t) > max_segments)
			break;
		best = off + n;
		if (info != NULL)
			tally_info(&t, info);
		if (n < run)
			break;		/* the run was cut where it stopped fitting */
	}
	return best;
}
