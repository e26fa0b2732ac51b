/*
 * test_prompts: catalogue loading from a temporary directory, English
 * fallback, placeholders, Hindi text and every kind of load error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prompts.h"
#include "util.h"

struct fixture {
	char		 dir[64];
	struct buf	 errors;
	struct buf	 out;
	char		*files[8];
	size_t		 nfiles;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/test_prompts.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	buf_init(&f->errors, 0);
	buf_init(&f->out, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < f->nfiles; i++) {
		if (unlink(f->files[i]) == -1)
			rmdir(f->files[i]);
		free(f->files[i]);
	}
	rmdir(f->dir);
	buf_free(&f->errors);
	buf_free(&f->out);
	free(f);
	return 0;
}

/* Write name in the fixture's dir; returns the path (owned by f). */
static const char *
write_file(struct fixture *f, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", f->dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	assert_true(f->nfiles < SP_ARRAY_LEN(f->files));
	f->files[f->nfiles++] = path;
	return path;
}

static const char en_txt[] =
    "# English\n"
    "\n"
    "help.menu = Text LOAN for loans.\\nText HELP for this menu.\n"
    "info.header = {category} in {district}:\n"
    "info.none=No {category} for {district}, {name}.\n"
    "only.en = English only\n"
    "  spaced.key   =   padded value   \n"
    "path = C:\\\\dir\n"
    "braces = {a} {unknown} {b and {a}} {open\n"
    "empty =\n"
    "with.equals = a=b\n"
    "crlf = windows line\r\n";

static const char hi_txt[] =
    "# हिंदी\n"
    "help.menu = लोन के लिए LOAN भेजें।\\nसूची: मदद\n"
    "info.header = {district} में {category}:\n";

static void
test_load_and_get(void **state)
{
	struct fixture *f = *state;
	struct prompts *p;

	write_file(f, "en.txt", en_txt);
	write_file(f, "hi.txt", hi_txt);
	write_file(f, "README", "not a catalogue = x\n");
	p = prompts_load(f->dir, &f->errors);
	assert_string_equal(buf_cstr(&f->errors), "");
	assert_non_null(p);
	assert_true(prompts_has_language(p, "en"));
	assert_true(prompts_has_language(p, "hi"));
	assert_false(prompts_has_language(p, "README"));
	assert_false(prompts_has_language(p, "ta"));
	assert_false(prompts_has_language(p, NULL));

	assert_string_equal(prompts_get(p, "en", "help.menu"),
	    "Text LOAN for loans.\nText HELP for this menu.");
	assert_string_equal(prompts_get(p, "en", "spaced.key"),
	    "padded value");
	assert_string_equal(prompts_get(p, "en", "path"), "C:\\dir");
	assert_string_equal(prompts_get(p, "en", "empty"), "");
	assert_string_equal(prompts_get(p, "en", "with.equals"), "a=b");
	assert_string_equal(prompts_get(p, "en", "crlf"), "windows line");
	/* Hindi text, with its escape, comes back byte for byte. */
	assert_string_equal(prompts_get(p, "hi", "help.menu"),
	    "लोन के लिए LOAN भेजें।\nसूची: मदद");

	/* Fallback: hi lacks only.en; an unknown language gets English. */
	assert_string_equal(prompts_get(p, "hi", "only.en"), "English only");
	assert_string_equal(prompts_get(p, "ta", "help.menu"),
	    prompts_get(p, "en", "help.menu"));
	assert_string_equal(prompts_get(p, NULL, "only.en"), "English only");

	/* Missing everywhere. */
	assert_null(prompts_get(p, "hi", "no.such.key"));
	assert_null(prompts_get(p, "en", "no.such.key"));
	assert_null(prompts_get(p, "en", "Help.Menu"));
	assert_int_equal(prompts_format(p, "hi", "no.such.key", &f->out,
	    "a", "b", NULL), -1);
	assert_string_equal(buf_cstr(&f->out), "");
	prompts_free(p);
	prompts_free(NULL);
}

static void
test_format(void **state)
{
	struct fixture *f = *state;
	struct prompts *p;

	write_file(f, "en.txt", en_txt);
	write_file(f, "hi.txt", hi_txt);
	p = prompts_load(f->dir, &f->errors);
	assert_non_null(p);

	assert_int_equal(prompts_format(p, "en", "info.header", &f->out,
	    "district", "Bhadohi", "category", "Loans", NULL), 0);
	assert_string_equal(buf_cstr(&f->out), "Loans in Bhadohi:");

	buf_reset(&f->out);
	assert_int_equal(prompts_format(p, "hi", "info.header", &f->out,
	    "category", "लोन", "district", "भदोही", NULL), 0);
	assert_string_equal(buf_cstr(&f->out), "भदोही में लोन:");

	/* Appends; a placeholder may repeat; a value is not re-expanded. */
	buf_reset(&f->out);
	buf_puts(&f->out, ">");
	assert_int_equal(prompts_format(p, "hi", "info.none", &f->out,
	    "category", "{name}", "district", "Mirzapur", "name", "Asha",
	    NULL), 0);
	assert_string_equal(buf_cstr(&f->out),
	    ">No {name} for Mirzapur, Asha.");

	/* Unknown and malformed placeholders are left as they are. */
	buf_reset(&f->out);
	assert_int_equal(prompts_format(p, "en", "braces", &f->out,
	    "a", "A", "b", "B", NULL), 0);
	assert_string_equal(buf_cstr(&f->out),
	    "A {unknown} {b and A} {open");

	/* No pairs at all: the text as is. */
	buf_reset(&f->out);
	assert_int_equal(prompts_format(p, "en", "info.header", &f->out,
	    NULL), 0);
	assert_string_equal(buf_cstr(&f->out), "{category} in {district}:");

	/* A full buffer is a failure, not a silent cut. */
	{
		struct buf small;

		buf_init(&small, 8);
		assert_int_equal(prompts_format(p, "en", "help.menu", &small,
		    NULL), -1);
		buf_free(&small);
	}
	prompts_free(p);
}

static void
test_errors(void **state)
{
	struct fixture *f = *state;
	const char *en, *hi;
	char *want;

	en = write_file(f, "en.txt",
	    "ok.key = fine\n"			/* 1 */
	    "no equals sign here\n"		/* 2 */
	    "Bad.Key = upper case\n"		/* 3 */
	    "ok.key = again\n"			/* 4 duplicate */
	    "esc = tab\\there\n"		/* 5 unknown escape */
	    "# comment = not a key\n"		/* 6 */
	    "bad.utf8 = \xe0\xa4\n"		/* 7 truncated sequence */
	    " = no key\n"			/* 8 */
	    "tail = ends with \\\n"		/* 9 */
	    "last = ok\n");			/* 10 */
	hi = write_file(f, "hi.txt",
	    "help.menu = मदद\n"
	    "overlong = \xc0\xaf\n"
	    "help.menu = फिर से\n");
	write_file(f, "bad name.txt", "x = y\n");
	assert_null(prompts_load(f->dir, &f->errors));
	want = xasprintf(
	    "%1$s/bad name.txt: bad language name (want [A-Za-z0-9_-]+.txt)\n"
	    "%2$s:2: missing '='\n"
	    "%2$s:3: bad key 'Bad.Key' (want [a-z0-9_.]+)\n"
	    "%2$s:4: duplicate key 'ok.key' (first on line 1)\n"
	    "%2$s:5: unknown escape '\\t'\n"
	    "%2$s:7: invalid UTF-8\n"
	    "%2$s:8: bad key '' (want [a-z0-9_.]+)\n"
	    "%2$s:9: '\\' at end of line\n"
	    "%3$s:2: invalid UTF-8\n"
	    "%3$s:3: duplicate key 'help.menu' (first on line 1)\n",
	    f->dir, en, hi);
	assert_string_equal(buf_cstr(&f->errors), want);
	free(want);
}

/* A catalogue saved with a UTF-8 byte-order mark reads its first key. */
static void
test_bom(void **state)
{
	struct fixture *f = *state;
	struct prompts *p;

	write_file(f, "en.txt", "\xef\xbb\xbf" "first = one\r\nsecond = two");
	p = prompts_load(f->dir, &f->errors);
	if (p == NULL)
		fail_msg("%s", buf_cstr(&f->errors));
	assert_string_equal(prompts_get(p, "en", "first"), "one");
	assert_string_equal(prompts_get(p, "en", "second"), "two");
	prompts_free(p);
}

static void
test_dir_errors(void **state)
{
	struct fixture *f = *state;
	char *sub, *want;

	/* Not a directory. */
	assert_null(prompts_load("/nonexistent/prompts", &f->errors));
	assert_string_equal(buf_cstr(&f->errors),
	    "/nonexistent/prompts: cannot open: No such file or directory\n");

	/* No catalogue files (a directory named x.txt does not count). */
	buf_reset(&f->errors);
	sub = xasprintf("%s/sub.txt", f->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	f->files[f->nfiles++] = sub;
	assert_null(prompts_load(f->dir, &f->errors));
	want = xasprintf("%s: no message files (*.txt)\n", f->dir);
	assert_string_equal(buf_cstr(&f->errors), want);
	free(want);

	/* errors may be NULL. */
	assert_null(prompts_load(f->dir, NULL));
	write_file(f, "en.txt", "a = b\n");
	write_file(f, "pt-BR.txt", "a = c\n");
	{
		struct prompts *p = prompts_load(f->dir, NULL);

		assert_non_null(p);
		assert_false(prompts_has_language(p, "sub"));
		assert_string_equal(prompts_get(p, "pt-BR", "a"), "c");
		prompts_free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_and_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dir_errors, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
