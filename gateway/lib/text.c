/*
 * text: UTF-8 validation and the one normal form keyword matching uses.
 *
 * utf8proc does the Unicode work (NFKC and case folding); the Devanagari
 * folds and the punctuation pass are ours, done in one walk over its
 * output.  Invisible format characters (category Cf: zero-width joiner and
 * non-joiner, soft hyphen, BOM) are dropped as well, because phone
 * keyboards insert them in Devanagari words and users cannot see them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"
#include "util.h"

/* Code points a word on the stack can hold before we go to the heap. */
#define TEXT_SMALL	64

int
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, need, k;
	uint32_t cp, min;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		unsigned char c = p[i];

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else
			return 0;	/* continuation byte, C0/C1, F5..FF */
		if (len - i <= need)
			return 0;	/* truncated */
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/*
 * Decode one code point at s[*i] and advance.  Callers pass valid UTF-8,
 * but a stray byte still advances by one so that nothing can loop or read
 * past the end.
 */
static uint32_t
next_cp(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	size_t need, k;
	uint32_t cp;

	if (c < 0xc0 || c > 0xf4) {
		(*i)++;
		return c;
	}
	if (c < 0xe0) {
		need = 1;
		cp = c & 0x1f;
	} else if (c < 0xf0) {
		need = 2;
		cp = c & 0x0f;
	} else {
		need = 3;
		cp = c & 0x07;
	}
	if (len - *i <= need) {
		(*i)++;
		return c;
	}
	for (k = 1; k <= need; k++) {
		if ((s[*i + k] & 0xc0) != 0x80) {
			(*i)++;
			return c;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3f);
	}
	*i += need + 1;
	return cp;
}

/* Base letter of a precomposed nukta letter, or 0. */
static int32_t
nukta_base(int32_t cp)
{
	static const int32_t qa_to_yya[8] = {
		0x0915, 0x0916, 0x0917, 0x091c, 0x0921, 0x0922, 0x092b, 0x092f
	};

	if (cp >= 0x0958 && cp <= 0x095f)
		return qa_to_yya[cp - 0x0958];
	switch (cp) {
	case 0x0929:		/* NNNA = NA + nukta */
		return 0x0928;
	case 0x0931:		/* RRA = RA + nukta */
		return 0x0930;
	case 0x0934:		/* LLLA = LLA + nukta */
		return 0x0933;
	}
	return 0;
}

static int
is_separator(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO:
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return 1;
	default:
		return 0;
	}
}

/*
 * Plain ASCII, most of what is texted: NFKC and case folding change only
 * the case of its letters, and every ASCII character other than a letter
 * or a digit is punctuation, a symbol, a space or a control, so a
 * separator.  The same result as the walk below, without utf8proc.
 */
static char *
normalize_ascii(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;
	int pending_space = 0;
	unsigned char ch;

	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		else if (!(ch >= 'a' && ch <= 'z') && !(ch >= '0' && ch <= '9')) {
			pending_space = 1;
			continue;
		}
		if (pending_space && n > 0)
			out[n++] = ' ';
		pending_space = 0;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	return out;
}

static int
all_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			return 0;	/* NUL: text_utf8_valid refuses it */
	return 1;
}

char *
text_normalize(const char *s, size_t len)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t mlen, i, n;
	utf8proc_int32_t cp, base;
	utf8proc_uint8_t enc[4];
	struct buf out;
	int pending_space = 0;

	if (s != NULL && all_ascii(s, len))
		return normalize_ascii(s, len);
	if (!text_utf8_valid(s, len))
		return NULL;
	if (len == 0)
		return xstrdup("");
	mlen = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &mapped, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
	    UTF8PROC_CASEFOLD);
	if (mlen < 0) {
		free(mapped);
		return NULL;
	}

	buf_init(&out, 0);
	for (i = 0; i < mlen; i += n) {
		n = utf8proc_iterate(mapped + i, mlen - i, &cp);
		if (n <= 0)
			break;	/* not on utf8proc's own output */
		if (cp >= 0x0966 && cp <= 0x096f)
			cp = '0' + (cp - 0x0966);
		else if (cp == 0x093c)
			continue;
		else if ((base = nukta_base(cp)) != 0)
			cp = base;
		else if (cp == 0x0901)
			cp = 0x0902;
		else if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CF)
			continue;
		else if (is_separator(cp)) {
			pending_space = 1;
			continue;
		}
		if (pending_space && out.len > 0)
			buf_putc(&out, ' ');
		pending_space = 0;
		buf_append(&out, enc, (size_t)utf8proc_encode_char(cp, enc));
	}
	free(mapped);
	if (out.len == 0)
		return xstrdup("");
	return buf_steal(&out);
}

size_t
text_codepoints(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Decode s into code points: into small[] when it fits, else into a heap
 * array returned in *heap for the caller to free.  A string never has more
 * code points than bytes, which bounds the array even for bad input.
 */
static uint32_t *
decode(const char *s, uint32_t *small, uint32_t **heap, size_t *n)
{
	size_t len = strlen(s), i = 0;
	uint32_t *cps = small;

	*heap = NULL;
	if (len > TEXT_SMALL)
		cps = *heap = xreallocarray(NULL, len, sizeof(*cps));
	*n = 0;
	while (i < len)
		cps[(*n)++] = next_cp((const unsigned char *)s, len, &i);
	return cps;
}

/*
 * Optimal string alignment distance <= 1 with a and b of lengths la >= lb,
 * la - lb <= 1: skip the common prefix, then the rest must line up after
 * one change, one swap of neighbours, or one drop from the longer.
 */
static int
osa_le1(const uint32_t *a, size_t la, const uint32_t *b, size_t lb)
{
	size_t i = 0;

	while (i < lb && a[i] == b[i])
		i++;
	if (i == lb)
		return 1;	/* equal, or a has one extra at the end */
	if (la > lb)		/* drop a[i] */
		return memcmp(a + i + 1, b + i, (lb - i) * sizeof(*a)) == 0;
	/* same length: change a[i] */
	if (memcmp(a + i + 1, b + i + 1, (la - i - 1) * sizeof(*a)) == 0)
		return 1;
	/* same length: swap a[i] and a[i + 1] */
	if (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i])
		return memcmp(a + i + 2, b + i + 2,
		    (la - i - 2) * sizeof(*a)) == 0;
	return 0;
}

int
text_within_one_edit(const char *a, const char *b)
{
	uint32_t sa[TEXT_SMALL], sb[TEXT_SMALL], *ha, *hb, *ca, *cb;
	size_t na, nb;
	int r;

	if (a == NULL || b == NULL)
		return 0;
	na = text_codepoints(a);
	nb = text_codepoints(b);
	if (na > nb + 1 || nb > na + 1)
		return 0;
	ca = decode(a, sa, &ha, &na);
	cb = decode(b, sb, &hb, &nb);
	if (na >= nb && na - nb <= 1)
		r = osa_le1(ca, na, cb, nb);
	else if (nb > na && nb - na <= 1)
		r = osa_le1(cb, nb, ca, na);
	else
		r = 0;	/* only if the input was not valid UTF-8 */
	free(ha);
	free(hb);
	return r;
}

int
text_has_devanagari(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0;
	uint32_t cp;

	if (s == NULL)
		return 0;
	len = strlen(s);
	while (i < len) {
		cp = next_cp(p, len, &i);
		if (cp >= 0x0900 && cp <= 0x097f)
			return 1;
	}
	return 0;
}

size_t
text_utf8_whole(const char *s, size_t n)
{
	size_t lead = n;
	unsigned char c;
	size_t need;

	/* Back to the lead byte of the last sequence, if it is one. */
	while (lead > 0 && n - lead < 4 &&
	    ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0 || ((unsigned char)s[lead - 1] & 0x80) == 0)
		return n;
	c = (unsigned char)s[lead - 1];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	return n - (lead - 1) < need ? lead - 1 : n;
}
