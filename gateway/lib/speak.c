/*
 * speak: phone numbers spelled for a TTS voice (see speak.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "speak.h"
#include "util.h"

/* Longer runs are no phone number (an id, a pasted mistake): left as they are. */
#define SPEAK_MAX_DIGITS	20

static const char *const words_en[10] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven",
	"eight", "nine",
};
static const char *const words_hi[10] = {
	"शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
};

/* The length of the digit at p (ASCII or Devanagari) and its value, or 0. */
static size_t
digit_at(const char *p, int *val)
{
	const unsigned char *u = (const unsigned char *)p;

	if (u[0] >= '0' && u[0] <= '9') {
		*val = u[0] - '0';
		return 1;
	}
	if (u[0] == 0xe0 && u[1] == 0xa5 && u[2] >= 0xa6 && u[2] <= 0xaf) {
		*val = u[2] - 0xa6;
		return 3;
	}
	return 0;
}

/* 1 if the byte before p (p > text) ends a digit. */
static int
digit_before(const char *text, const char *p)
{
	int v;

	return digit_at(p - 1, &v) != 0 ||
	    (p - text >= 3 && digit_at(p - 3, &v) == 3);
}

/* Letters and digits touch a word: those need a space between. */
static int
is_wordish(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* m digits in groups of at most SPEAK_GROUP_MAX, shortest first. */
static size_t
split_even(size_t m, size_t *sizes, size_t room)
{
	size_t k = (m + SPEAK_GROUP_MAX - 1) / SPEAK_GROUP_MAX, i, n = 0;

	if (m == 0)
		return 0;
	for (i = 0; i < k && n < room; i++)
		sizes[n++] = m / k + (i >= k - m % k ? 1 : 0);
	return n;
}

struct number {
	int	 plus;
	int	 d[SPEAK_MAX_DIGITS];
	size_t	 n;
	size_t	 written[SPEAK_MAX_DIGITS];	/* the writer's group sizes */
	size_t	 nwritten;
	int	 ok;		/* a number to spell */
};

/*
 * Read the run of digits at p (with its '+' and separators) into *num:
 * the bytes it spans, all of them even when it is no number to spell
 * (num->ok 0: too short or too long), so that no part of a run is ever
 * read as a number of its own.
 */
static size_t
read_number(const char *p, struct number *num)
{
	const char *s = p;
	size_t len, group = 0, digits = 0;
	int v;

	memset(num, 0, sizeof(*num));
	if (*s == '+' && digit_at(s + 1, &v) != 0) {
		num->plus = 1;
		s++;
	}
	for (;;) {
		while ((len = digit_at(s, &v)) != 0) {
			if (digits < SPEAK_MAX_DIGITS)
				num->d[digits] = v;
			digits++;
			group++;
			s += len;
		}
		if (num->nwritten < SPEAK_MAX_DIGITS)
			num->written[num->nwritten++] = group;
		group = 0;
		if ((*s == ' ' || *s == '-') && digit_at(s + 1, &v) != 0)
			s++;
		else
			break;
	}
	num->n = digits;
	num->ok = digits <= SPEAK_MAX_DIGITS && (digits >= SPEAK_MIN_DIGITS ||
	    (num->plus && digits >= 3));
	return (size_t)(s - p);
}

/* How num is said: the sizes of its groups, in order. */
static size_t
plan_groups(const struct number *num, size_t *sizes, size_t room)
{
	size_t n = 0, i, off = 0;

	if (num->nwritten > 1) {
		for (i = 0; i < num->nwritten && n < room; i++)
			n += split_even(num->written[i], sizes + n, room - n);
		return n;
	}
	if (num->plus && num->n >= 8 && num->d[0] == 9 && num->d[1] == 1)
		off = 2;		/* +91: India, said on its own */
	else if (!num->plus && num->n == 11 && num->d[0] == 0)
		off = 1;		/* 0 + ten digits: the trunk prefix */
	if (off > 0)
		sizes[n++] = off;
	return n + split_even(num->n - off, sizes + n, room - n);
}

static int
say_number(const struct number *num, const char *const *words,
    const char *plus, struct buf *out)
{
	size_t sizes[SPEAK_MAX_DIGITS], ng, g, i, k = 0;
	int rc = 0;

	ng = plan_groups(num, sizes, SP_ARRAY_LEN(sizes));
	if (num->plus)
		rc |= buf_puts(out, plus) | buf_putc(out, ' ');
	for (g = 0; g < ng; g++) {
		if (g > 0)
			rc |= buf_puts(out, ", ");
		for (i = 0; i < sizes[g] && k < num->n; i++, k++) {
			if (i > 0)
				rc |= buf_putc(out, ' ');
			rc |= buf_puts(out, words[num->d[k]]);
		}
	}
	return rc != 0 ? -1 : 0;
}

int
speak_numbers(const char *text, const char *lang, struct buf *out)
{
	int hindi = lang != NULL && strcmp(lang, "hi") == 0;
	const char *const *words = hindi ? words_hi : words_en;
	const char *plus = hindi ? "प्लस" : "plus";
	const char *p = text, *run = text, *after = NULL;
	struct number num;
	size_t len;
	int rc = 0, v;

	if (text == NULL)
		return 0;
	while (*p != '\0') {
		/*
		 * A number starts at a '+' or digit not inside another run;
		 * right after a spelled number is not inside it (its digits
		 * are words now, and a second pass must find the same).
		 */
		if ((*p != '+' && digit_at(p, &v) == 0) || (p > text &&
		    p != after && (digit_before(text, p) || p[-1] == '+'))) {
			p++;
			continue;
		}
		len = read_number(p, &num);
		if (!num.ok) {
			p += len > 0 ? len : 1;	/* left as written, all of it */
			continue;
		}
		rc |= buf_append(out, run, (size_t)(p - run));
		if (p > text && is_wordish((unsigned char)p[-1]))
			rc |= buf_putc(out, ' ');
		rc |= say_number(&num, words, plus, out);
		p += len;
		/* The danda (।, ॥) ends a Hindi sentence: punctuation. */
		if (is_wordish((unsigned char)*p) && strncmp(p, "।", 3) != 0 &&
		    strncmp(p, "॥", 3) != 0)
			rc |= buf_putc(out, ' ');
		run = after = p;
	}
	rc |= buf_puts(out, run);
	return rc != 0 ? -1 : 0;
}

char *
speak_numbers_dup(const char *text, const char *lang)
{
	struct buf b;

	buf_init(&b, 0);
	speak_numbers(text, lang, &b);
	return buf_steal(&b);
}
