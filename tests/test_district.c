/*
 * test_district: districts.csv loading, bad rows with their lines, and
 * matching every spelling (English, Hindi, multi-word, typos).
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

#include "district.h"
#include "text.h"
#include "util.h"

static void
write_tmp(char *path, const char *s)
{
	size_t len = strlen(s);
	int fd;

	strcpy(path, "/tmp/test_district_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, len), (ssize_t)len);
	close(fd);
}

static const char good_csv[] =
    "key,name_en,name_hi,state,aliases\r\n"
    "bhadohi,Bhadohi,भदोही,Uttar Pradesh,"
    "\"bhadoi|sant ravidas nagar|संत रविदास नगर|भदोई\"\r\n"
    "mirzapur,Mirzapur,मिर्ज़ापुर,Uttar Pradesh,mirjapur|मिर्जापुर\r\n"
    "samastipur,Samastipur,समस्तीपुर,Bihar,\r\n";

static struct district_table *
load_good(void)
{
	char path[64];
	struct buf errors;
	struct district_table *t;

	write_tmp(path, good_csv);
	buf_init(&errors, 0);
	t = district_load(path, &errors);
	unlink(path);
	assert_string_equal(buf_cstr(&errors), "");
	assert_non_null(t);
	buf_free(&errors);
	return t;
}

/* Normalise text and match it; the key, or NULL. */
static const char *
match(const struct district_table *t, const char *text)
{
	const struct district *d = NULL;
	char *norm = text_normalize(text, strlen(text));
	int r;

	assert_non_null(norm);
	r = district_match(t, norm, &d);
	free(norm);
	return r == 1 ? d->key : NULL;
}

static void
test_match(void **state)
{
	struct district_table *t = load_good();

	(void)state;
	assert_string_equal(match(t, "bhadohi"), "bhadohi");
	assert_string_equal(match(t, "Bhadohi."), "bhadohi");
	assert_string_equal(match(t, "भदोही"), "bhadohi");
	assert_string_equal(match(t, "भदोई"), "bhadohi");
	assert_string_equal(match(t, "sant ravidas nagar"), "bhadohi");
	assert_string_equal(match(t, "Sant  Ravidas-Nagar"), "bhadohi");
	assert_string_equal(match(t, "संत रविदास नगर"), "bhadohi");
	assert_string_equal(match(t, "bhadoi"), "bhadohi");
	/* Typos, one edit from an alias. */
	assert_string_equal(match(t, "bhadhoi"), "bhadohi");
	assert_string_equal(match(t, "bhdohi"), "bhadohi");
	assert_string_equal(match(t, "mirzpur"), "mirzapur");
	assert_string_equal(match(t, "मिर्जापुर"), "mirzapur");
	assert_string_equal(match(t, "मिर्ज़ापुर"), "mirzapur");
	assert_string_equal(match(t, "SAMASTIPUR"), "samastipur");
	assert_string_equal(match(t, "samastipr"), "samastipur");
	assert_null(match(t, "varanasi"));
	assert_null(match(t, "loan"));
	assert_null(match(t, ""));
	district_free(t);
	district_free(NULL);
}

static void
test_find_and_names(void **state)
{
	struct district_table *t = load_good();
	const struct district *d;

	(void)state;
	d = district_find(t, "mirzapur");
	assert_non_null(d);
	assert_string_equal(d->name_en, "Mirzapur");
	assert_string_equal(d->state, "Uttar Pradesh");
	assert_string_equal(district_name(d, "hi"), "मिर्ज़ापुर");
	assert_string_equal(district_name(d, "en"), "Mirzapur");
	assert_string_equal(district_name(d, NULL), "Mirzapur");
	assert_null(district_find(t, "Mirzapur"));	/* keys are exact */
	assert_null(district_find(t, "varanasi"));
	district_free(t);
}

static int
has_error(const char *errors, const char *path, int line, const char *what)
{
	char want[128];
	const char *p, *end, *w;

	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	for (p = errors; (p = strstr(p, want)) != NULL; p = end) {
		if ((end = strchr(p, '\n')) == NULL)
			return 0;
		w = strstr(p, what);
		if (w != NULL && w < end)
			return 1;
	}
	return 0;
}

static void
test_bad_rows(void **state)
{
	char path[64];
	struct buf errors;
	const char *e;
	size_t n = 0;

	(void)state;
	write_tmp(path,
	    "key,name_en,name_hi,state,aliases\n"
	    "bhadohi,Bhadohi,भदोही,Uttar Pradesh,bhadoi\n"
	    "Mirzapur,Mirzapur,मिर्जापुर,Uttar Pradesh,\n"	/* 3: bad key */
	    "samastipur,Samastipur,समस्तीपुर,Bihar\n"		/* 4: 4 fields */
	    "bhadohi,Bhadohi,भदोही,Uttar Pradesh,\n"		/* 5: twice */
	    "varanasi,Varanasi,वाराणसी,Uttar Pradesh,bhadoi\n"	/* 6: dup alias */
	    "x,\"unterminated,a,b,c\n"				/* 7: quote */
	    "y,Y,वाई,,\n"					/* 8: no state */
	    "z,Z,Zed,Somewhere,a||b\n"				/* 9: 2 errors */
	    "ok,Ok,ओके,Bihar,\n");
	buf_init(&errors, 0);
	assert_null(district_load(path, &errors));
	e = buf_cstr(&errors);
	assert_true(has_error(e, path, 3, "bad key"));
	assert_true(has_error(e, path, 4, "fields"));
	assert_true(has_error(e, path, 5, "twice"));
	assert_true(has_error(e, path, 6, "bhadoi"));
	assert_true(has_error(e, path, 7, "unterminated"));
	assert_true(has_error(e, path, 8, "state"));
	assert_true(has_error(e, path, 9, "Devanagari"));
	assert_true(has_error(e, path, 9, "empty alias"));
	for (; *e != '\0'; e++)
		n += *e == '\n';
	assert_int_equal(n, 8);
	unlink(path);
	buf_free(&errors);
}

static void
test_bad_header(void **state)
{
	char path[64];
	struct buf errors;

	(void)state;
	write_tmp(path,
	    "key,name,name_hi,state,aliases\n"
	    "bhadohi,Bhadohi,भदोही,Uttar Pradesh,\n");
	buf_init(&errors, 0);
	assert_null(district_load(path, &errors));
	assert_true(has_error(buf_cstr(&errors), path, 1, "header"));
	unlink(path);
	buf_reset(&errors);

	write_tmp(path, "");
	assert_null(district_load(path, &errors));
	assert_true(has_error(buf_cstr(&errors), path, 1, "empty"));
	unlink(path);
	buf_reset(&errors);

	assert_null(district_load("/nonexistent/districts.csv", &errors));
	assert_non_null(strstr(buf_cstr(&errors), "/nonexistent/districts.csv"));
	buf_free(&errors);
}

static void
test_repo_config(void **state)
{
	struct buf errors;
	struct district_table *t;

	(void)state;
	if (access("config/districts.csv", R_OK) != 0)
		skip();
	buf_init(&errors, 0);
	t = district_load("config/districts.csv", &errors);
	if (t == NULL)
		fail_msg("config/districts.csv:\n%s", buf_cstr(&errors));
	assert_string_equal(match(t, "sant ravidas nagar"), "bhadohi");
	assert_string_equal(match(t, "bhadoi"), "bhadohi");
	assert_string_equal(match(t, "mirzapur"), "mirzapur");
	assert_string_equal(match(t, "samastipur"), "samastipur");
	district_free(t);
	buf_free(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_find_and_names),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_repo_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
