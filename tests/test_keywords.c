/*
 * test_keywords: keywords.conf loading, every error with its line, and
 * matching normalised words (exact, Hindi, Hinglish, digits, typos).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keywords.h"
#include "text.h"
#include "util.h"

/* Write s to a fresh temp file; path must hold the mkstemp template. */
static void
write_tmp(char *path, const char *s)
{
	int fd;
	size_t len = strlen(s);

	strcpy(path, "/tmp/test_keywords_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, len), (ssize_t)len);
	close(fd);
}

static const char good_conf[] =
    "# Sampark keywords (test copy)\n"
    "\n"
    "[loan]\n"
    "handler  = info\n"
    "category = loan\n"
    "en       = loan, loans, credit\n"
    "hi       = ऋण, लोन, कर्ज़\n"
    "hinglish = rin, karz, karza\n"
    "digit    = 1\n"
    "\n"
    "[training]\n"
    "handler = info\n"
    "category = training\n"
    "en = training, course\n"
    "hi = प्रशिक्षण\n"
    "digit = 2\n"
    "\n"
    "[help]\n"
    "handler = help\n"
    "en = help, HELP!, menu\n"
    "hi = मदद\n";

/* Normalise then match, the way the router does. */
static const struct keyword *
match(const struct keywords_table *t, const char *text, int *fuzzy)
{
	const struct keyword *kw = NULL;
	char *norm = text_normalize(text, strlen(text));
	int r;

	assert_non_null(norm);
	r = keywords_match(t, norm, &kw, fuzzy);
	free(norm);
	return r == 1 ? kw : NULL;
}

static void
test_load_and_match(void **state)
{
	char path[64];
	struct buf errors;
	struct keywords_table *t;
	const struct keyword *kw;
	int fuzzy;

	(void)state;
	write_tmp(path, good_conf);
	buf_init(&errors, 0);
	t = keywords_load(path, &errors);
	unlink(path);
	assert_string_equal(buf_cstr(&errors), "");
	assert_non_null(t);

	assert_int_equal(keywords_count(t), 3);
	assert_string_equal(keywords_at(t, 0)->name, "loan");
	assert_string_equal(keywords_at(t, 0)->handler, "info");
	assert_string_equal(keywords_at(t, 0)->category, "loan");
	assert_string_equal(keywords_at(t, 2)->name, "help");
	assert_null(keywords_at(t, 2)->category);
	assert_null(keywords_at(t, 3));
	assert_ptr_equal(keywords_find(t, "training"), keywords_at(t, 1));
	assert_null(keywords_find(t, "nope"));

	kw = match(t, "LOAN", &fuzzy);
	assert_non_null(kw);
	assert_string_equal(kw->name, "loan");
	assert_int_equal(fuzzy, 0);
	assert_ptr_equal(match(t, "ＬＯＡＮ", &fuzzy), keywords_find(t, "loan"));
	assert_ptr_equal(match(t, "कर्ज", &fuzzy), keywords_find(t, "loan"));
	assert_ptr_equal(match(t, "क़र्ज़", &fuzzy), keywords_find(t, "loan"));
	assert_ptr_equal(match(t, "karz", &fuzzy), keywords_find(t, "loan"));
	assert_ptr_equal(match(t, "१", &fuzzy), keywords_find(t, "loan"));
	assert_ptr_equal(match(t, "2", &fuzzy), keywords_find(t, "training"));
	assert_ptr_equal(match(t, "help", &fuzzy), keywords_find(t, "help"));
	assert_int_equal(fuzzy, 0);

	kw = match(t, "traning", &fuzzy);
	assert_ptr_equal(kw, keywords_find(t, "training"));
	assert_int_equal(fuzzy, 1);
	assert_ptr_equal(match(t, "laon", &fuzzy), keywords_find(t, "loan"));
	assert_int_equal(fuzzy, 1);
	assert_null(match(t, "weather", &fuzzy));
	assert_null(match(t, "3", &fuzzy));

	keywords_free(t);
	keywords_free(NULL);
	buf_free(&errors);
}

/* Every expected "FILE:LINE: ..." line must be in errors. */
static void
expect_error(const char *errors, const char *path, int line, const char *what)
{
	char want[128];
	const char *p, *end, *w;

	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	p = strstr(errors, want);
	if (p == NULL)
		fail_msg("no error for line %d in:\n%s", line, errors);
	p += strlen(want);
	end = strchr(p, '\n');
	w = strstr(p, what);
	if (w == NULL || end == NULL || w > end)
		fail_msg("line %d: want \"%s\" in:\n%s", line, what, errors);
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

static void
test_two_bad_lines(void **state)
{
	char path[64];
	struct buf errors;

	(void)state;
	write_tmp(path,
	    "[loan]\n"
	    "handler = info\n"
	    "handlr = info\n"		/* 3: unknown key */
	    "en = loan\n"
	    "this line has no equals\n"	/* 5 */
	    "hi = ऋण\n");
	buf_init(&errors, 0);
	assert_null(keywords_load(path, &errors));
	expect_error(buf_cstr(&errors), path, 3, "unknown key");
	expect_error(buf_cstr(&errors), path, 5, "expected key = value");
	assert_int_equal(count_lines(buf_cstr(&errors)), 2);
	unlink(path);
	buf_free(&errors);
}

static void
test_every_error(void **state)
{
	char path[64];
	struct buf errors;
	const char *e;

	(void)state;
	write_tmp(path,
	    "en = orphan\n"			/* 1: outside a section */
	    "[loan]\n"
	    "handler = info\n"
	    "en = loan, , credit\n"		/* 4: empty alias */
	    "hi = ऋण,\n"			/* 5: empty alias */
	    "[market]\n"			/* 6: no handler */
	    "en = bazaar, credit\n"		/* 7: duplicate alias */
	    "hinglish = karz\xc0\xaf\n"	/* 8: invalid UTF-8 */
	    "[Bad Name]\n"			/* 9: bad section name */
	    "[loan]\n"				/* 10: defined twice */
	    "[help]\n"
	    "handler = help\n"
	    "handler = info\n"			/* 13: given twice */
	    "en = !!!\n"			/* 14: only punctuation */
	    "[oops\n"				/* 15: not [name] */
	    "[ok]\n"
	    "handler = help\n"
	    "Handler = help\n"		/* 18: unknown key */
	    "mr = ok\n");			/* any language tag is fine */
	buf_init(&errors, 0);
	assert_null(keywords_load(path, &errors));
	e = buf_cstr(&errors);
	expect_error(e, path, 1, "outside");
	expect_error(e, path, 4, "empty alias");
	expect_error(e, path, 5, "empty alias");
	expect_error(e, path, 6, "no handler");
	expect_error(e, path, 7, "credit");
	expect_error(e, path, 8, "invalid UTF-8");
	expect_error(e, path, 9, "bad keyword name");
	expect_error(e, path, 10, "defined twice");
	expect_error(e, path, 13, "given twice");
	expect_error(e, path, 14, "punctuation");
	expect_error(e, path, 15, "[name]");
	expect_error(e, path, 18, "unknown key");
	assert_int_equal(count_lines(e), 12);
	unlink(path);
	buf_free(&errors);
}

static void
test_missing_file(void **state)
{
	struct buf errors;

	(void)state;
	buf_init(&errors, 0);
	assert_null(keywords_load("/nonexistent/keywords.conf", &errors));
	assert_non_null(strstr(buf_cstr(&errors), "/nonexistent/keywords.conf"));
	buf_free(&errors);
	/* errors may be NULL */
	assert_null(keywords_load("/nonexistent/keywords.conf", NULL));
}

static void
test_repo_config(void **state)
{
	struct buf errors;
	struct keywords_table *t;

	(void)state;
	/* The real file, when the tests run from the repository root. */
	if (access("config/keywords.conf", R_OK) != 0)
		skip();
	buf_init(&errors, 0);
	t = keywords_load("config/keywords.conf", &errors);
	if (t == NULL)
		fail_msg("config/keywords.conf:\n%s", buf_cstr(&errors));
	assert_true(keywords_count(t) > 0);
	keywords_free(t);
	buf_free(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_and_match),
		cmocka_unit_test(test_two_bad_lines),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_repo_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
