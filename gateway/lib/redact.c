/*
 * redact: phone numbers and e-mail addresses masked in free text (see
 * redact.h).  One pass, left to right, with the next address found ahead
 * (from its '@') so that a number stops where an address begins.
 */
#include <string.h>

#include "buf.h"
#include "redact.h"
#include "util.h"

/* Bytes of the digit p starts with, 0 if none.  Digits of the Indian
 * scripts are U+0966..U+0D6F in blocks of 0x80, each block's at 0x66;
 * full-width ones are U+FF10..U+FF19. */
static size_t
digit_len(const unsigned char *p)
{
	if (*p >= '0' && *p <= '9')
		return 1;
	if (p[0] == 0xe0 && p[1] >= 0xa5 && p[1] <= 0xb5 && (p[1] & 1) &&
	    p[2] >= 0xa6 && p[2] <= 0xaf)
		return 3;
	if (p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99)
		return 3;
	return 0;
}

static int
is_sep(unsigned char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

static int
is_local(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
	    c == '-';
}

/* The longest local part an address may have (RFC 5321). */
#define LOCAL_MAX	64

/*
 * The next e-mail address at or after from: its start and end in *a, *b;
 * 0 if there is none.  Found from its '@', so that a number before it
 * cannot hide where it starts; its local part goes back no further than
 * from.
 */
static int
next_email(const unsigned char *s, size_t from, size_t *a, size_t *b)
{
	size_t at, left, e, i, dot;

	for (at = from; s[at] != '\0'; at++) {
		if (s[at] != '@')
			continue;
		for (left = at; left > from && at - left < LOCAL_MAX &&
		    is_local(s[left - 1]); left--)
			;
		for (e = at + 1; is_alnum(s[e]) || s[e] == '.' || s[e] == '-';
		    e++)
			;
		/* "likho a@b.com." ends a sentence, not the domain. */
		while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
			e--;
		for (dot = 0, i = at + 2; i + 1 < e; i++)
			if (s[i] == '.')
				dot = i;
		if (left < at && dot != 0) {
			*a = left;
			*b = e;
			return 1;
		}
	}
	return 0;
}

/*
 * The number at s (s starts with a digit), ending before limit bytes: its
 * length in bytes up to its last digit, and how many digits it has.
 */
static size_t
number_len(const unsigned char *s, size_t limit, size_t *digits)
{
	size_t j = 0, end = 0, d, k;

	*digits = 0;
	while (j < limit) {
		if ((d = digit_len(s + j)) != 0) {
			j += d;
			end = j;
			(*digits)++;
			continue;
		}
		for (k = 0; k < 2 && j + k < limit && is_sep(s[j + k]); k++)
			;
		if (k == 0 || j + k >= limit || digit_len(s + j + k) == 0)
			break;
		j += k;
	}
	return end;
}

char *
redact_contacts(const char *in)
{
	const unsigned char *s = (const unsigned char *)(in != NULL ? in : "");
	size_t len = strlen((const char *)s), i = 0, n, digits, j, d;
	size_t ea = len, eb = len;
	struct buf out;

	buf_init(&out, 0);
	if (!next_email(s, 0, &ea, &eb))
		ea = eb = len;
	while (s[i] != '\0') {
		if (i == ea) {
			buf_puts(&out, "[email]");
			i = eb;
			if (!next_email(s, i, &ea, &eb))
				ea = eb = len;
			continue;
		}
		if (digit_len(s + i) != 0) {
			n = number_len(s + i, ea - i, &digits);
			for (j = 0; j < n; j += d ? d : 1) {
				d = digit_len(s + i + j);
				if (digits < REDACT_MIN_DIGITS || d == 0)
					buf_append(&out, s + i + j, d ? d : 1);
				else
					buf_putc(&out, '#');
			}
			i += n;
			continue;
		}
		buf_putc(&out, (char)s[i++]);
	}
	return buf_steal(&out);
}
