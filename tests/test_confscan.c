/*
 * test_confscan: the line reading under the configuration files (line
 * ends, a byte-order mark, comments, trimming, the three line shapes,
 * quoted values, UTF-8) and the problem list with its file:line places.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confscan.h"
#include "util.h"

/* What the reader's functions were handed, one line each. */
struct record {
	struct confscan_errors	 err;
	struct buf		 seen;
};

static void
on_section(void *arg, struct confscan_line *ln)
{
	struct record *r = arg;

	if (ln->name == NULL)
		buf_printf(&r->seen, "%zu S(bad)\n", r->err.line);
	else
		buf_printf(&r->seen, "%zu S[%s]{%s}\n", r->err.line, ln->name,
		    ln->value);
}

static void
on_key(void *arg, struct confscan_line *ln)
{
	struct record *r = arg;

	buf_printf(&r->seen, "%zu K[%s]=[%s]\n", r->err.line, ln->name,
	    ln->value);
}

static void
on_other(void *arg, struct confscan_line *ln)
{
	struct record *r = arg;

	assert_null(ln->name);
	buf_printf(&r->seen, "%zu O[%s]\n", r->err.line, ln->text);
}

static const struct confscan_syntax plain = {
	.comment = "#",
	.flags = CONFSCAN_UTF8,
	.section = on_section,
	.key = on_key,
};

static const struct confscan_syntax ini = {
	.comment = "#;",
	.flags = CONFSCAN_UTF8 | CONFSCAN_SECTION_TAIL,
	.section = on_section,
	.key = on_key,
	.other = on_other,
};

/* No sections, any bytes. */
static const struct confscan_syntax flat = {
	.comment = "#",
	.key = on_key,
	.other = on_other,
};

/* Each key holds one value. */
static const struct confscan_syntax unique = {
	.comment = "#",
	.flags = CONFSCAN_UTF8 | CONFSCAN_UNIQUE_KEYS,
	.section = on_section,
	.key = on_key,
};

struct fixture {
	char		 path[64];
	struct record	 r;
	struct buf	 errors;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	int fd;

	strcpy(f->path, "/tmp/test_confscan_XXXXXX");
	if ((fd = mkstemp(f->path)) == -1)
		return -1;
	close(fd);
	buf_init(&f->r.seen, 0);
	buf_init(&f->errors, 0);
	f->r.err.out = &f->errors;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	buf_free(&f->r.seen);
	buf_free(&f->errors);
	free(f);
	return 0;
}

static void
write_bytes(const char *path, const char *s, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, len, fp), len);
	fclose(fp);
}

/* Scan s (a C string) with syntax sx; 0 or -1 as confscan_file. */
static int
scan(struct fixture *f, const struct confscan_syntax *sx, const char *s)
{
	write_bytes(f->path, s, strlen(s));
	return confscan_file(f->path, sx, &f->r, &f->r.err);
}

/* The problems expected, each "%1$s" standing for the file. */
static void
expect_errors(struct fixture *f, const char *fmt)
{
	char *want = xasprintf(fmt, f->path);

	assert_string_equal(buf_cstr(&f->errors), want);
	free(want);
}

static void
test_shapes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(scan(f, &plain,
	    "# a comment\n"				/* 1 */
	    "\n"					/* 2 */
	    "   \t\n"				/* 3 */
	    "  # indented comment\n"			/* 4 */
	    "[loan]\n"					/* 5 */
	    "  handler\t=  info  \n"			/* 6 */
	    "en = a, b = c\n"				/* 7: first '=' */
	    "empty =\n"					/* 8 */
	    "= no key\n"				/* 9 */
	    "[ spaced name ]\n"				/* 10 */
	    "[]\n"					/* 11 */
	    "just words\n"				/* 12 */
	    "; not a comment here\n"			/* 13 */
	    "x = y # stays\n"),				/* 14 */
	    0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "5 S[loan]{}\n"
	    "6 K[handler]=[info]\n"
	    "7 K[en]=[a, b = c]\n"
	    "8 K[empty]=[]\n"
	    "9 K[]=[no key]\n"
	    "10 S[spaced name]{}\n"
	    "11 S[]{}\n"
	    "14 K[x]=[y # stays]\n");
	/* Without an "other" function such a line is the problem. */
	expect_errors(f,
	    "%1$s:12: expected key = value\n"
	    "%1$s:13: expected key = value\n");
	assert_int_equal(f->r.err.n, 2);
	assert_string_equal(f->r.err.file, f->path);
	assert_int_equal(f->r.err.line, 14);
}

static void
test_sections(void **state)
{
	struct fixture *f = *state;

	/* "[name]" must be the whole line unless the tail is wanted. */
	assert_int_equal(scan(f, &plain,
	    "[a\n"
	    "[a] x\n"
	    "[a]b]\n"
	    "[a] # c\n"
	    "[\n"
	    "[ok]\n"), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 S(bad)\n"
	    "2 S(bad)\n"
	    "3 S(bad)\n"
	    "4 S(bad)\n"
	    "5 S(bad)\n"
	    "6 S[ok]{}\n");
	/* The reader words a bad header: nothing reported here. */
	expect_errors(f, "");

	buf_reset(&f->r.seen);
	assert_int_equal(scan(f, &ini,
	    "[a\n"
	    "[ a ]  x y \n"
	    "[a] ; c\n"
	    "[a]]\n"), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 S(bad)\n"
	    "2 S[a]{x y}\n"
	    "3 S[a]{; c}\n"
	    "4 S[a]{]}\n");

	/* A file without sections reads "[...]" as any other line. */
	buf_reset(&f->r.seen);
	assert_int_equal(scan(f, &flat, "[a] = b\n[c]\n"), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 K[[a]]=[b]\n"
	    "2 O[[c]]\n");
	expect_errors(f, "");
}

static void
test_line_ends(void **state)
{
	struct fixture *f = *state;

	/* CRLF, a byte-order mark, no newline at the end. */
	assert_int_equal(scan(f, &ini,
	    "\xef\xbb\xbf" "a = 1\r\n"
	    "[s]\r\n"
	    "\r\n"
	    "b = \"q\" \r\n"
	    "c = 3"), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 K[a]=[1]\n"
	    "2 S[s]{}\n"
	    "4 K[b]=[\"q\"]\n"
	    "5 K[c]=[3]\n");
	expect_errors(f, "");

	/* A mark anywhere but at the very start is text. */
	buf_reset(&f->r.seen);
	assert_int_equal(scan(f, &flat, "a = 1\n\xef\xbb\xbf" "b = 2\n"), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 K[a]=[1]\n"
	    "2 K[\xef\xbb\xbf" "b]=[2]\n");

	/* An old Mac file (CR only) is one line. */
	buf_reset(&f->r.seen);
	assert_int_equal(scan(f, &flat, "a = 1\rb = 2\r"), 0);
	assert_string_equal(buf_cstr(&f->r.seen), "1 K[a]=[1\rb = 2]\n");
}

static void
test_overlong_line(void **state)
{
	struct fixture *f = *state;
	size_t n = 256 * 1024, len;
	char *s = xmalloc(n + 64), *want;

	/* Far past any buffer: read whole, and the count goes on right. */
	len = (size_t)sprintf(s, "k = ");
	memset(s + len, 'v', n);
	len += n;
	len += (size_t)sprintf(s + len, "\nafter = 2\n");
	write_bytes(f->path, s, len);
	assert_int_equal(confscan_file(f->path, &plain, &f->r, &f->r.err), 0);
	want = xmalloc(n + 64);
	len = (size_t)sprintf(want, "1 K[k]=[");
	memset(want + len, 'v', n);
	len += n;
	sprintf(want + len, "]\n2 K[after]=[2]\n");
	assert_string_equal(buf_cstr(&f->r.seen), want);
	expect_errors(f, "");
	free(want);
	free(s);
}

static void
test_utf8(void **state)
{
	struct fixture *f = *state;
	static const char text[] =
	    "ok = ऋण\n"				/* 1 */
	    "bad = \xc0\xaf\n"				/* 2 overlong */
	    "# caf\xe9 in Latin-1\n"			/* 3 */
	    "cut = \xe0\xa4\n"				/* 4 truncated */
	    "nul = a\0b\n"				/* 5 */
	    "last = x\n";				/* 6 */

	write_bytes(f->path, text, sizeof(text) - 1);
	assert_int_equal(confscan_file(f->path, &plain, &f->r, &f->r.err), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 K[ok]=[ऋण]\n"
	    "6 K[last]=[x]\n");
	/* Every bad line, even a comment, each at its own place. */
	expect_errors(f,
	    "%1$s:2: invalid UTF-8\n"
	    "%1$s:3: invalid UTF-8\n"
	    "%1$s:4: invalid UTF-8\n"
	    "%1$s:5: invalid UTF-8\n");

	/* Without the check the bytes go through (a NUL ends the line). */
	buf_reset(&f->r.seen);
	buf_reset(&f->errors);
	f->r.err.n = 0;
	assert_int_equal(confscan_file(f->path, &flat, &f->r, &f->r.err), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 K[ok]=[ऋण]\n"
	    "2 K[bad]=[\xc0\xaf]\n"
	    "4 K[cut]=[\xe0\xa4]\n"
	    "5 K[nul]=[a]\n"
	    "6 K[last]=[x]\n");
	assert_int_equal(f->r.err.n, 0);
}

static void
test_value(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: refused with err */
		const char	*err;
	} cases[] = {
		{ "plain", "plain", NULL },
		{ "a # comment", "a", NULL },
		{ "a\t; comment", "a", NULL },
		{ "a#b", "a#b", NULL },			/* no white space */
		{ "http://x/a#frag  # c", "http://x/a#frag", NULL },
		{ "\"  spaced # kept ; too \"", "  spaced # kept ; too ",
		    NULL },
		{ "\"q\"   # c", "q", NULL },
		{ "\"q\";c", "q", NULL },
		{ "\"\"", "", NULL },
		{ "\"q", NULL, "unterminated quote" },
		{ "\"q\" x", NULL, "unexpected text after quoted value" },
		{ "", "", NULL },
	};
	char buf[128], err[128], *v;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		err[0] = '\0';
		v = confscan_value(&ini, buf, err, sizeof(err));
		if (cases[i].out == NULL) {
			assert_null(v);
			assert_string_equal(err, cases[i].err);
		} else {
			assert_non_null(v);
			assert_string_equal(v, cases[i].out);
		}
	}
	assert_true(confscan_comment(&ini, ""));
	assert_true(confscan_comment(&ini, "; x"));
	assert_false(confscan_comment(&plain, "; x"));
	assert_false(confscan_comment(&ini, "x # y"));
}

static void
test_trim(void **state)
{
	char s[] = " \t a b \t\r\n";

	(void)state;
	assert_string_equal(confscan_trim(s), "a b");
	assert_string_equal(confscan_trim(s + sizeof(s) - 1), "");
}

static void
test_errors(void **state)
{
	struct fixture *f = *state;
	struct confscan_errors e;
	char long_name[2000];

	/* The reader's own problems, at the line read or at another. */
	memset(&e, 0, sizeof(e));
	e.out = &f->errors;
	e.file = "x.conf";
	e.line = 7;
	confscan_error(&e, "bad %s", "thing");
	confscan_error_at(&e, 3, "section [%s] lacks a key", "s");
	confscan_error_at(&e, 0, "line 0 is said as it is");
	confscan_error_file(&e, "cannot open: %s", strerror(ENOENT));
	e.file = "y.conf";
	confscan_error(&e, "another file");
	assert_int_equal(e.n, 5);
	assert_string_equal(buf_cstr(&f->errors),
	    "x.conf:7: bad thing\n"
	    "x.conf:3: section [s] lacks a key\n"
	    "x.conf:0: line 0 is said as it is\n"
	    "x.conf: cannot open: No such file or directory\n"
	    "y.conf:7: another file\n");

	/* One problem is one line, however long what it quotes. */
	buf_reset(&f->errors);
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	confscan_error(&e, "bad name \"%s\"", long_name);
	assert_int_equal(f->errors.len, strlen("y.conf:7: ") + 511 + 1);
	assert_int_equal(strchr(buf_cstr(&f->errors), '\n') -
	    buf_cstr(&f->errors), (long)f->errors.len - 1);

	/* No buffer: only counted, so loading still fails. */
	e.out = NULL;
	confscan_error(&e, "counted");
	assert_int_equal(e.n, 7);
}

static void
test_problems_with_reader(void **state)
{
	struct fixture *f = *state;

	/* The scanner's problems and the reader's interleave by line. */
	assert_int_equal(scan(f, &ini,
	    "a = 1\n"
	    "bad \xff\n"
	    "words only\n"
	    "[s]\n"), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 K[a]=[1]\n"
	    "3 O[words only]\n"
	    "4 S[s]{}\n");
	expect_errors(f, "%1$s:2: invalid UTF-8\n");
	assert_int_equal(f->r.err.n, 1);
}

static void
test_cannot_read(void **state)
{
	struct fixture *f = *state;

	/* Nothing reported: each loader says it in its own words. */
	errno = 0;
	assert_int_equal(confscan_file("/nonexistent/x.conf", &plain, &f->r,
	    &f->r.err), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(f->r.err.file, "/nonexistent/x.conf");
	expect_errors(f, "");
	assert_int_equal(f->r.err.n, 0);

	/* A directory opens but cannot be read: that is a problem. */
	assert_int_equal(confscan_file("/tmp", &plain, &f->r, &f->r.err), 0);
	assert_string_equal(buf_cstr(&f->errors),
	    "/tmp: read error: Is a directory\n");
	assert_int_equal(f->r.err.n, 1);
	assert_string_equal(buf_cstr(&f->r.seen), "");
}

/* The same key twice in one section is a problem and goes no further;
 * in another section, or without the flag, it is the reader's business. */
static void
test_unique_keys(void **state)
{
	struct fixture *f = *state;
	const char *text =
	    "start = main\n"
	    "start = menu\n"			/* 2: twice before a section */
	    "[main]\n"
	    "timeout = 6\n"
	    "retries = 2\n"
	    "timeout = 8\n"			/* 6: twice in [main] */
	    "[district]\n"
	    "timeout = 6\n"			/* its own section: fine */
	    "[main]\n"
	    "timeout = 5\n";			/* a new [main]: the reader's */

	assert_int_equal(scan(f, &unique, text), 0);
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 K[start]=[main]\n"
	    "3 S[main]{}\n"
	    "4 K[timeout]=[6]\n"
	    "5 K[retries]=[2]\n"
	    "7 S[district]{}\n"
	    "8 K[timeout]=[6]\n"
	    "9 S[main]{}\n"
	    "10 K[timeout]=[5]\n");
	expect_errors(f,
	    "%1$s:2: key start given twice (first on line 1)\n"
	    "%1$s:6: key timeout given twice in [main] (first on line 4)\n");
	assert_int_equal(f->r.err.n, 2);

	/* Without the flag, lists may go on several lines (lexicon.conf). */
	buf_reset(&f->r.seen);
	buf_reset(&f->errors);
	f->r.err.n = 0;
	assert_int_equal(scan(f, &plain, "[loan]\nsynonym = rin\n"
	    "synonym = karz\n"), 0);
	expect_errors(f, "");
	assert_string_equal(buf_cstr(&f->r.seen),
	    "1 S[loan]{}\n"
	    "2 K[synonym]=[rin]\n"
	    "3 K[synonym]=[karz]\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sections, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_line_ends, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overlong_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_utf8, setup, teardown),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_trim),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_problems_with_reader,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cannot_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unique_keys, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
