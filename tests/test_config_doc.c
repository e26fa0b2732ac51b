/*
 * test_config_doc: docs/configuration.md must list every directive the
 * daemon knows (the table in gateway/lib/config.c and every provider's
 * settings table, as runtime_config_defaults() joins them), with its type
 * and default as the code has them, and nothing the code does not know.  The rows sit between the
 * markers "<!-- directives:begin -->" and "<!-- directives:end -->"; the
 * Meaning column is free text.  `build/sampark help config` prints every
 * row as it should be, ready to paste.
 *
 * Run from the repository root (as `make unit` does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "runtime.h"
#include "util.h"

#define DOC_PATH	"docs/configuration.md"
#define BEGIN_MARK	"<!-- directives:begin -->"
#define END_MARK	"<!-- directives:end -->"

static void
default_cell(const struct config_directive *d, struct buf *out)
{
	if (d->defval != NULL && *d->defval != '\0')
		buf_printf(out, "`%s`", d->defval);
	else
		buf_puts(out, "(empty)");
}

/* The row `sampark help config` prints for d. */
static void
expected_row(const struct config_directive *d, struct buf *out)
{
	buf_printf(out, "| `%s` | ", d->name);
	config_type_text(d, out);
	buf_puts(out, " | ");
	default_cell(d, out);
	buf_printf(out, " | %s |", d->help);
}

struct doc_row {
	char	*name;
	char	*type;
	char	*defval;
	int	 line;
};

/* Cells of a "| a | b | c | ..." line; '\|' does not split.  Caller frees. */
static size_t
split_cells(const char *line, char **cells, size_t max)
{
	const char *p = line, *start;
	size_t n = 0;

	if (*p != '|')
		return 0;
	p++;
	while (*p != '\0' && n < max) {
		start = p;
		while (*p != '\0' && !(*p == '|' && p[-1] != '\\'))
			p++;
		if (*p == '\0')
			break;
		while (*start == ' ')
			start++;
		cells[n] = xstrndup(start, (size_t)(p - start));
		while (strlen(cells[n]) > 0 &&
		    cells[n][strlen(cells[n]) - 1] == ' ')
			cells[n][strlen(cells[n]) - 1] = '\0';
		n++;
		p++;
	}
	return n;
}

/*
 * Read the directive rows of doc (between the markers) into rows.
 * Returns how many; -1 if the markers are missing.
 */
static int
read_rows(const char *doc, struct doc_row **rows)
{
	const char *begin = strstr(doc, BEGIN_MARK), *end, *p, *nl;
	char *line, *cells[4];
	int n = 0, lineno;
	size_t nc, i;

	*rows = NULL;
	if (begin == NULL || (end = strstr(begin, END_MARK)) == NULL)
		return -1;
	lineno = 1;
	for (p = doc; p < begin; p++)
		if (*p == '\n')
			lineno++;
	for (p = begin; p < end; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL || nl > end)
			break;
		lineno++;
		line = xstrndup(p, (size_t)(nl - p));
		nc = split_cells(line, cells, 4);
		if (nc == 4 && cells[0][0] == '`' &&
		    cells[0][strlen(cells[0]) - 1] == '`') {
			*rows = xreallocarray(*rows, (size_t)n + 1,
			    sizeof(**rows));
			(*rows)[n].name = xstrndup(cells[0] + 1,
			    strlen(cells[0]) - 2);
			(*rows)[n].type = xstrdup(cells[1]);
			(*rows)[n].defval = xstrdup(cells[2]);
			(*rows)[n].line = lineno;
			n++;
		}
		for (i = 0; i < nc; i++)
			free(cells[i]);
		free(line);
	}
	return n;
}

static void
free_rows(struct doc_row *rows, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].type);
		free(rows[i].defval);
	}
	free(rows);
}

/*
 * Compare doc with the directive table; every difference is one line in
 * problems, saying what to change.  Returns the number of differences.
 */
static int
check_doc(const char *doc, struct buf *problems)
{
	struct config *cf = runtime_config_defaults();
	const struct config_directive *d;
	struct doc_row *rows;
	struct buf want;
	size_t nd, i;
	int nr, j, found, nprob = 0;

	d = config_directives(cf, &nd);
	if ((nr = read_rows(doc, &rows)) < 0) {
		buf_printf(problems, "%s: the markers %s and %s are missing\n",
		    DOC_PATH, BEGIN_MARK, END_MARK);
		config_free(cf);
		return 1;
	}
	buf_init(&want, 0);
	for (i = 0; i < nd; i++) {
		found = 0;
		for (j = 0; j < nr; j++) {
			if (strcmp(rows[j].name, d[i].name) != 0)
				continue;
			found++;
			buf_reset(&want);
			config_type_text(&d[i], &want);
			if (strcmp(rows[j].type, buf_cstr(&want)) != 0) {
				buf_printf(problems, "%s:%d: directive \"%s\": "
				    "type is \"%s\" in the code, \"%s\" in the "
				    "doc\n", DOC_PATH, rows[j].line, d[i].name,
				    buf_cstr(&want), rows[j].type);
				nprob++;
			}
			buf_reset(&want);
			default_cell(&d[i], &want);
			if (strcmp(rows[j].defval, buf_cstr(&want)) != 0) {
				buf_printf(problems, "%s:%d: directive \"%s\": "
				    "default is %s in the code, %s in the doc\n",
				    DOC_PATH, rows[j].line, d[i].name,
				    buf_cstr(&want), rows[j].defval);
				nprob++;
			}
		}
		if (found == 0) {
			buf_reset(&want);
			expected_row(&d[i], &want);
			buf_printf(problems, "%s: directive \"%s\" is missing "
			    "from the doc; add this row to its table "
			    "(`build/sampark help config` prints them all):\n"
			    "    %s\n", DOC_PATH, d[i].name, buf_cstr(&want));
			nprob++;
		} else if (found > 1) {
			buf_printf(problems, "%s: directive \"%s\" is listed "
			    "%d times\n", DOC_PATH, d[i].name, found);
			nprob++;
		}
	}
	for (j = 0; j < nr; j++) {
		for (i = 0; i < nd; i++)
			if (strcmp(rows[j].name, d[i].name) == 0)
				break;
		if (i == nd) {
			buf_printf(problems, "%s:%d: \"%s\" is not a directive "
			    "(gateway/lib/config.c or a provider's settings): "
			    "remove the row or fix its name\n", DOC_PATH,
			    rows[j].line, rows[j].name);
			nprob++;
		}
	}
	buf_free(&want);
	free_rows(rows, nr);
	config_free(cf);
	return nprob;
}

static char *
read_file(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	buf_putc(&b, '\0');
	return buf_steal(&b);
}

/* A doc made of every expected row, leaving out directive skip (or -1). */
static char *
make_doc(long skip)
{
	struct config *cf = runtime_config_defaults();
	const struct config_directive *d;
	struct buf b;
	size_t n, i;

	d = config_directives(cf, &n);
	buf_init(&b, 0);
	buf_puts(&b, "# x\n\n" BEGIN_MARK "\n| Key | Type | Default | "
	    "Meaning |\n|---|---|---|---|\n");
	for (i = 0; i < n; i++) {
		if ((long)i == skip)
			continue;
		expected_row(&d[i], &b);
		buf_putc(&b, '\n');
	}
	buf_puts(&b, END_MARK "\n");
	config_free(cf);
	return buf_steal(&b);
}

/* The real document. */
static void
test_doc_matches_table(void **state)
{
	struct buf problems;
	char *doc;
	int n;

	(void)state;
	if ((doc = read_file(DOC_PATH)) == NULL)
		fail_msg("%s: cannot read (run from the repository root)",
		    DOC_PATH);
	buf_init(&problems, 0);
	n = check_doc(doc, &problems);
	if (n != 0)
		print_error("%s", buf_cstr(&problems));
	assert_int_equal(n, 0);
	buf_free(&problems);
	free(doc);
}

/*
 * The checker itself: a complete doc passes, a missing row is named, a
 * top-level one as well as a provider's (the last rows are the last
 * provider's section).
 */
static void
test_checker_finds_missing(void **state)
{
	struct config *cf = runtime_config_defaults();
	const struct config_directive *d;
	struct buf problems;
	char *doc;
	size_t n;

	(void)state;
	d = config_directives(cf, &n);
	assert_true(n > 2);
	assert_non_null(strchr(d[n - 1].name, '.'));
	buf_init(&problems, 0);
	doc = make_doc(-1);
	assert_int_equal(check_doc(doc, &problems), 0);
	free(doc);

	doc = make_doc(1);
	assert_int_equal(check_doc(doc, &problems), 1);
	assert_non_null(strstr(buf_cstr(&problems), d[1].name));
	assert_non_null(strstr(buf_cstr(&problems), "is missing"));
	free(doc);

	buf_reset(&problems);
	doc = make_doc((long)n - 1);
	assert_int_equal(check_doc(doc, &problems), 1);
	assert_non_null(strstr(buf_cstr(&problems), d[n - 1].name));
	free(doc);
	buf_free(&problems);
	config_free(cf);
}

/* A wrong default and an unknown key are both reported with their line. */
static void
test_checker_finds_wrong_rows(void **state)
{
	struct buf problems;
	char *doc, *p, *full;

	(void)state;
	buf_init(&problems, 0);
	full = make_doc(-1);
	p = strstr(full, "`127.0.0.1:8080`");
	assert_non_null(p);
	p[1] = '9';	/* listen's default becomes 927.0.0.1:8080 */
	doc = xasprintf("%.*s| `no_such_key` | string | (empty) | x |\n%s",
	    (int)(strstr(full, END_MARK) - full), full,
	    strstr(full, END_MARK));
	assert_int_equal(check_doc(doc, &problems), 2);
	assert_non_null(strstr(buf_cstr(&problems), "\"listen\": default"));
	assert_non_null(strstr(buf_cstr(&problems), "\"no_such_key\" is not"));
	free(doc);
	free(full);
	buf_free(&problems);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_finds_missing),
		cmocka_unit_test(test_checker_finds_wrong_rows),
		cmocka_unit_test(test_doc_matches_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
