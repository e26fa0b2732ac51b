/*
 * jscan: see jscan.h.  A recursive-descent check of RFC 8259's grammar
 * that keeps only the member asked for: nothing is allocated unless a
 * real number is too long for the stack buffer its overflow check uses.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"

struct scan {
	const unsigned char	*p, *end;
	int			 depth;
};

/* Where a string's decoded bytes go: the first cap - 1 of them to out. */
struct sink {
	char	*out;
	size_t	 cap;
	size_t	 len;		/* bytes in out */
	size_t	 total;		/* bytes decoded, kept or not */
};

static int	value(struct scan *);

static void
put(struct sink *k, const void *b, size_t n)
{
	size_t room;

	if (k == NULL)
		return;
	k->total += n;
	room = k->cap - 1 - k->len;
	if (n > room)
		n = room;
	memcpy(k->out + k->len, b, n);
	k->len += n;
	k->out[k->len] = '\0';
}

static void
ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Length of the valid UTF-8 sequence at p (not ASCII), or 0. */
static size_t
utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef) {
		n = 3;
		if (*p == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (*p == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		n = 4;
		if (*p == 0xf0)
			lo = 0x90;		/* overlong */
		else if (*p == 0xf4)
			hi = 0x8f;		/* past U+10FFFF */
	} else
		return 0;
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* Four hex digits at s->p, or -1. */
static long
hex4(struct scan *s)
{
	long v = 0;
	int i;

	if (s->end - s->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		unsigned char c = *s->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* \u escapes (the "\u" read): one code point, pairs joined; -1 if bad. */
static long
escaped_code_point(struct scan *s)
{
	long cp = hex4(s), lo;

	if (cp >= 0xdc00 && cp <= 0xdfff)
		return -1;			/* a low half alone */
	if (cp < 0xd800 || cp > 0xdbff)
		return cp == 0 ? -1 : cp;	/* \u0000: jansson's refusal */
	if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
		return -1;
	s->p += 2;
	if ((lo = hex4(s)) < 0xdc00 || lo > 0xdfff)
		return -1;
	return 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
}

static void
put_code_point(struct sink *k, long cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	put(k, b, n);
}

/* The string at s->p (its opening quote), decoded into k (may be NULL). */
static int
string(struct scan *s, struct sink *k)
{
	static const char plain[] = "\"\\/bfnrt", meant[] = "\"\\/\b\f\n\r\t";
	const char *e;
	long cp;

	s->p++;
	while (s->p < s->end) {
		const unsigned char *run = s->p;
		size_t n;

		/* Plain ASCII goes in runs. */
		while (s->p < s->end && *s->p >= 0x20 && *s->p < 0x80 &&
		    *s->p != '"' && *s->p != '\\')
			s->p++;
		put(k, run, (size_t)(s->p - run));
		if (s->p == s->end)
			break;
		if (*s->p == '"') {
			s->p++;
			return 0;
		}
		if (*s->p < 0x20)
			return -1;		/* a raw control character */
		if (*s->p == '\\') {
			if (++s->p == s->end)
				return -1;
			if (*s->p == 'u') {
				s->p++;
				if ((cp = escaped_code_point(s)) == -1)
					return -1;
				put_code_point(k, cp);
			} else if (*s->p != '\0' &&
			    (e = strchr(plain, *s->p)) != NULL) {
				put(k, &meant[e - plain], 1);
				s->p++;
			} else
				return -1;
			continue;
		}
		if ((n = utf8_seq(s->p, s->end)) == 0)
			return -1;
		put(k, s->p, n);
		s->p += n;
	}
	return -1;				/* no closing quote */
}

/* A real number's text [b, e): 0, or -1 if it overflows a double. */
static int
real_fits(const unsigned char *b, const unsigned char *e)
{
	char small[128], *text = small;
	size_t n = (size_t)(e - b);
	double v;
	int ok;

	if (n >= sizeof(small) && (text = malloc(n + 1)) == NULL)
		return -1;
	memcpy(text, b, n);
	text[n] = '\0';
	errno = 0;
	v = strtod(text, NULL);
	/* As jansson: overflow is an error, underflow is not. */
	ok = !(errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL));
	if (text != small)
		free(text);
	return ok ? 0 : -1;
}

/*
 * The number at s->p.  *is_int: no fraction or exponent, and then *v is
 * its value; an integer beyond long long is an error, as in jansson.
 */
static int
number(struct scan *s, int *is_int, long long *v)
{
	const unsigned char *b = s->p;
	unsigned long long mag = 0, limit = 9223372036854775807ULL;
	int neg = 0, range = 1;

	*is_int = 1;
	if (s->p < s->end && *s->p == '-') {
		neg = 1;
		limit++;
		s->p++;
	}
	if (s->p == s->end)
		return -1;
	if (*s->p == '0') {
		s->p++;
	} else if (*s->p >= '1' && *s->p <= '9') {
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
			unsigned d = *s->p++ - '0';

			if (mag > (limit - d) / 10)
				range = 0;
			else
				mag = mag * 10 + d;
		}
	} else
		return -1;
	if (s->p < s->end && *s->p == '.') {
		*is_int = 0;
		if (++s->p == s->end || *s->p < '0' || *s->p > '9')
			return -1;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		*is_int = 0;
		if (++s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (s->p == s->end || *s->p < '0' || *s->p > '9')
			return -1;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	if (!*is_int)
		return real_fits(b, s->p);
	if (!range)
		return -1;
	/* mag fits: for a negative number, limit was 2^63. */
	*v = neg ? (mag == 9223372036854775808ULL ? (-9223372036854775807LL
	    - 1) : -(long long)mag) : (long long)mag;
	return 0;
}

static int
literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return -1;
	s->p += n;
	return 0;
}

/* An array or object at s->p; the top level is jscan_member's. */
static int
container(struct scan *s)
{
	unsigned char close = *s->p == '{' ? '}' : ']';

	if (++s->depth > JSCAN_MAX_DEPTH)
		return -1;
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			if (s->p == s->end || *s->p != '"' ||
			    string(s, NULL) == -1)
				return -1;
			ws(s);
			if (s->p == s->end || *s->p++ != ':')
				return -1;
			ws(s);
		}
		if (value(s) == -1)
			return -1;
		ws(s);
		if (s->p == s->end)
			return -1;
		if (*s->p == ',') {
			s->p++;
			ws(s);
			continue;
		}
		if (*s->p++ != close)
			return -1;
		s->depth--;
		return 0;
	}
}

static int
value(struct scan *s)
{
	long long v;
	int is_int;

	if (s->p == s->end)
		return -1;
	switch (*s->p) {
	case '{':
	case '[':
		return container(s);
	case '"':
		return string(s, NULL);
	case 't':
		return literal(s, "true");
	case 'f':
		return literal(s, "false");
	case 'n':
		return literal(s, "null");
	default:
		return number(s, &is_int, &v);
	}
}

int
jscan_member(const char *json, size_t len, const char *name, char *out,
    size_t outlen)
{
	struct scan s;
	size_t namelen = strlen(name);
	char keybuf[64];
	int found = 0, text = 0;

	out[0] = '\0';
	if (namelen + 2 > sizeof(keybuf))
		return -1;		/* no caller asks for such a name */
	s.p = (const unsigned char *)json;
	s.end = s.p + len;
	s.depth = 1;
	ws(&s);
	if (s.p == s.end || *s.p++ != '{')
		return -1;
	ws(&s);
	if (s.p < s.end && *s.p == '}') {
		s.p++;
		goto end;
	}
	for (;;) {
		struct sink key = { keybuf, namelen + 2, 0, 0 };

		if (s.p == s.end || *s.p != '"' || string(&s, &key) == -1)
			goto bad;
		ws(&s);
		if (s.p == s.end || *s.p++ != ':')
			goto bad;
		ws(&s);
		if (key.total == namelen && memcmp(keybuf, name, namelen) == 0) {
			struct sink k = { out, outlen, 0, 0 };
			long long v;
			int is_int;

			if (found++)
				goto bad;	/* twice: jansson refuses it */
			if (s.p < s.end && *s.p == '"') {
				if (string(&s, &k) == -1)
					goto bad;
				text = 1;
			} else if (s.p < s.end && (*s.p == '-' ||
			    (*s.p >= '0' && *s.p <= '9'))) {
				if (number(&s, &is_int, &v) == -1)
					goto bad;
				if (is_int) {
					snprintf(out, outlen, "%lld", v);
					text = 1;
				}
			} else if (value(&s) == -1)
				goto bad;
		} else if (value(&s) == -1)
			goto bad;
		ws(&s);
		if (s.p == s.end)
			goto bad;
		if (*s.p == ',') {
			s.p++;
			ws(&s);
			continue;
		}
		if (*s.p++ != '}')
			goto bad;
		break;
	}
end:
	ws(&s);
	if (s.p != s.end)
		goto bad;		/* text after the object */
	return text;
bad:
	out[0] = '\0';
	return -1;
}
