/*
 * fuzz_text: UTF-8 validation and the normalisation every keyword match
 * goes through, on any bytes.  The input is split at its first 0xff byte
 * (never valid UTF-8) into two texts for text_within_one_edit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_text: %s\n", what);
		abort();
	}
}

/* Normalise and check the promised shape; caller frees. */
static char *
normalize(const char *s, size_t len)
{
	char *n = text_normalize(s, len);
	size_t nlen;

	check((n != NULL) == (text_utf8_valid(s, len) == 1),
	    "normalize and utf8_valid disagree");
	if (n == NULL)
		return NULL;
	nlen = strlen(n);
	check(text_utf8_valid(n, nlen), "normal form is not UTF-8");
	check(nlen == 0 || (n[0] != ' ' && n[nlen - 1] != ' '),
	    "leading or trailing space");
	check(strstr(n, "  ") == NULL, "run of spaces");
	check(strpbrk(n, "\t\r\n") == NULL, "white space other than ' '");
	check(text_within_one_edit(n, n) == 1, "not within one edit of itself");
	(void)text_codepoints(n);
	(void)text_has_devanagari(n);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cut = memchr(data, 0xff, size);
	size_t alen = cut != NULL ? (size_t)(cut - data) : size;
	char *a, *b;

	a = normalize((const char *)data, size);
	free(a);
	if (cut == NULL)
		return 0;
	a = normalize((const char *)data, alen);
	b = normalize((const char *)cut + 1, size - alen - 1);
	if (a != NULL && b != NULL)
		check(text_within_one_edit(a, b) == text_within_one_edit(b, a),
		    "within_one_edit is not symmetric");
	free(a);
	free(b);
	return 0;
}
