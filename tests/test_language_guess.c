/*
 * test_language_guess: English is said only of plain English.  Measured
 * on the evaluation corpus, written by people before this guess existed:
 * no Hinglish text of it may be taken for English, and most of its
 * English ones must be.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "language_guess.h"
#include "text.h"
#include "util.h"

static const char *
guess(const char *text)
{
	static char last[8];
	char *norm = text_normalize(text, strlen(text));
	const char *g;

	assert_non_null(norm);
	g = language_guess(norm);
	snprintf(last, sizeof(last), "%s", g ? g : "-");
	free(norm);
	return last;
}

static void
test_cases(void **state)
{
	(void)state;
	assert_string_equal(guess("I need a loan"), "en");
	assert_string_equal(guess("I WANT LOAN"), "en");
	assert_string_equal(guess("Where can I sell makhana?"), "en");
	assert_string_equal(guess("don't send me messages"), "en");
	/* One English word is not a sentence. */
	assert_string_equal(guess("loan please"), "-");
	assert_string_equal(guess("training for women mirzapur"), "-");
	/* A repeated word counts once. */
	assert_string_equal(guess("i i i loan"), "-");
	/* Hinglish, whatever English it borrows. */
	assert_string_equal(guess("mujhe loan chahiye"), "-");
	assert_string_equal(guess("I want loan, mera gaon Bhadohi hai"), "-");
	assert_string_equal(guess("bhadohi me training ke liye"), "-");
	assert_string_equal(guess(""), "-");
	assert_string_equal(guess("   "), "-");
	/* A word longer than any listed is passed over, not cut. */
	assert_string_equal(guess("i want "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "en");
}

static int
has_devanagari(const char *s)
{
	/* U+0900..U+097F: E0 A4 80 .. E0 A5 BF */
	for (; *s != '\0'; s++)
		if ((unsigned char)s[0] == 0xe0 && ((unsigned char)s[1] ==
		    0xa4 || (unsigned char)s[1] == 0xa5))
			return 1;
	return 0;
}

static void
test_corpus(void **state)
{
	FILE *fp = fopen("tests/eval/corpus.tsv", "r");
	char *line = NULL, *f[4], *p, *last;
	size_t cap = 0, en_total = 0, en_said = 0, other_latin = 0;
	size_t i;

	(void)state;
	assert_non_null(fp);
	while (getline(&line, &cap, fp) != -1) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (i = 0, p = line; i < 4 && p != NULL; i++) {
			f[i] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
		}
		if (i < 4)
			continue;
		/* The last text of a conversation is the one asked about. */
		for (last = f[2]; (p = strstr(last, " || ")) != NULL;)
			last = p + 4;
		if (has_devanagari(last))
			continue;
		if (strcmp(f[0], "english") == 0) {
			en_total++;
			en_said += strcmp(guess(last), "en") == 0;
		} else if (strcmp(f[0], "hinglish") == 0 ||
		    strcmp(f[0], "typo") == 0 || strcmp(f[0], "scheme") == 0 ||
		    strcmp(f[0], "conversation") == 0) {
			other_latin++;
			if (strcmp(guess(last), "en") == 0)
				fail_msg("Hinglish taken for English: %s", last);
		}
	}
	free(line);
	fclose(fp);
	fprintf(stderr, "english: %zu of %zu said English; %zu Hinglish "
	    "texts, none\n", en_said, en_total, other_latin);
	assert_true(en_total >= 30 && other_latin >= 100);
	assert_true(en_said * 10 >= en_total * 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
