/*
 * test_doc_tables: every Markdown table of the documentation renders as a
 * table (GitHub's rule: a header line, right below it the delimiter line
 * of dashes, then rows with as many cells as the header; a delimiter line
 * anywhere else turns the rows above it into text), and the DLT header
 * the docs show is the one the shipped templates are registered under.
 *
 * The checker is small on purpose and knows nothing of the docs' content;
 * it is tried on broken tables first so that it is known to fail.
 *
 * Run from the repository root (as `make unit` does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "templates.h"
#include "util.h"

static const char *const docs[] = {
	"README.md",
	"docs/api.md",
	"docs/architecture.md",
	"docs/configuration.md",
	"docs/coordinators.md",
	"docs/operations.md",
	"docs/providers.md",
};

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	return buf_steal(&b);
}

/* Cells of a table line: its '|' not escaped by '\', less the outer
 * ones. */
static int
cells(const char *line, size_t len)
{
	size_t i, start = 0;
	int n = 1;

	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	if (len > 0 && line[0] == '|')
		start = 1;
	if (len > start && line[len - 1] == '|' && line[len - 2] != '\\')
		len--;
	for (i = start; i < len; i++)
		if (line[i] == '|' && line[i - 1] != '\\')
			n++;
	return n;
}

/* "|---|:--:|" */
static int
is_delimiter(const char *line, size_t len)
{
	size_t i;
	int dash = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == '-')
			dash = 1;
		else if (strchr("|: \r", line[i]) == NULL)
			return 0;
	}
	return dash;
}

/*
 * Check every table of text (fenced code left out).  Problems go to
 * out as "NAME:LINE: what"; returns how many.
 */
static int
check_tables(const char *name, const char *text, struct buf *out)
{
	const char *p = text, *eol;
	size_t len, lineno = 0, row = 0;
	int fenced = 0, head = 0, n, problems = 0;

	for (; *p != '\0'; p = *eol ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		len = (size_t)(eol - p);
		lineno++;
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len >= 3 && (strncmp(p, "```", 3) == 0 ||
		    strncmp(p, "~~~", 3) == 0)) {
			fenced = !fenced;
			row = 0;
			continue;
		}
		if (fenced || len == 0 || *p != '|') {
			row = 0;
			continue;
		}
		n = cells(p, len);
		if (row == 0) {
			head = n;
			if (is_delimiter(p, len)) {
				buf_printf(out, "%s:%zu: a delimiter line with "
				    "no header above it\n", name, lineno);
				problems++;
			}
		} else if (row == 1) {
			if (!is_delimiter(p, len)) {
				buf_printf(out, "%s:%zu: the line below a "
				    "table's header must be its delimiter "
				    "(|---|---|)\n", name, lineno);
				problems++;
			} else if (n != head) {
				buf_printf(out, "%s:%zu: delimiter has %d "
				    "cells, the header %d\n", name, lineno, n,
				    head);
				problems++;
			}
		} else if (is_delimiter(p, len)) {
			buf_printf(out, "%s:%zu: a second delimiter line: the "
			    "rows above it are not under the header\n", name,
			    lineno);
			problems++;
		} else if (n != head) {
			buf_printf(out, "%s:%zu: row has %d cells, the header "
			    "%d (a '|' inside a cell is written \\|)\n", name,
			    lineno, n, head);
			problems++;
		}
		row++;
	}
	return problems;
}

static void
test_checker_fails_on_broken_tables(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(check_tables("ok.md",
	    "text\n\n| a | b |\n|---|:-:|\n| 1 | `x\\|y` |\n\n"
	    "```\n| not | a table\n```\n"
	    "- a list:\n\n  ```sh\n  sampark help\n  ```\n\n"
	    "| c |\n|---|\n", &out), 0);
	assert_string_equal(buf_cstr(&out), "");

	/* The rows between header and delimiter: the configuration.md bug. */
	assert_int_equal(check_tables("late.md",
	    "| Key | Type |\n| `ivr` | path |\n|-----|------|\n| `db` | path |\n",
	    &out), 2);
	assert_non_null(strstr(buf_cstr(&out), "late.md:2: the line below"));
	assert_non_null(strstr(buf_cstr(&out), "late.md:3: a second "
	    "delimiter"));

	buf_reset(&out);
	assert_int_equal(check_tables("cells.md",
	    "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| x | a|b |\n", &out), 2);
	assert_non_null(strstr(buf_cstr(&out), "cells.md:3: row has 3 cells"));
	assert_non_null(strstr(buf_cstr(&out), "cells.md:4: row has 3 cells"));

	buf_reset(&out);
	assert_int_equal(check_tables("lone.md", "|---|---|\n| a | b |\n",
	    &out), 2);
	buf_free(&out);
}

static void
test_docs_tables_render(void **state)
{
	struct buf out;
	size_t i;
	char *text;
	int n = 0;

	(void)state;
	buf_init(&out, 0);
	for (i = 0; i < SP_ARRAY_LEN(docs); i++) {
		text = slurp(docs[i]);
		n += check_tables(docs[i], text, &out);
		free(text);
	}
	if (n > 0) {
		fputs(buf_cstr(&out), stderr);
		fail_msg("%d broken table lines in the docs", n);
	}
	buf_free(&out);
}

/*
 * The sender id (DLT header) a volunteer copies from the docs must be the
 * one the templates carry: every six-capital word on a line of the docs
 * that speaks of a header is one of the templates' headers.
 */
static void
test_docs_header_is_the_templates(void **state)
{
	struct templates_table *tab;
	struct buf errors, bad, headers;
	const char *line, *eol, *w;
	size_t i, j, len;
	char *text, *lower, *p, word[16];
	int seen = 0;

	(void)state;
	buf_init(&errors, 0);
	buf_init(&bad, 0);
	buf_init(&headers, 0);
	tab = templates_load("config/templates.conf", &errors);
	assert_non_null(tab);
	for (j = 0; j < templates_count(tab); j++)
		buf_printf(&headers, " %s ", templates_at(tab, j)->header);
	for (i = 0; i < SP_ARRAY_LEN(docs); i++) {
		text = slurp(docs[i]);
		for (line = text; *line != '\0'; line = *eol ? eol + 1 : eol) {
			if ((eol = strchr(line, '\n')) == NULL)
				eol = line + strlen(line);
			lower = xstrndup(line, (size_t)(eol - line));
			for (p = lower; *p != '\0'; p++)
				*p = (char)tolower((unsigned char)*p);
			if (strstr(lower, "header") == NULL) {
				free(lower);
				continue;
			}
			free(lower);
			for (w = line; w < eol; w += len ? len : 1) {
				for (len = 0; w + len < eol &&
				    isupper((unsigned char)w[len]); len++)
					;
				if (len != 6 || (w > line &&
				    isalnum((unsigned char)w[-1])) ||
				    isalnum((unsigned char)w[len]))
					continue;
				snprintf(word, sizeof(word), " %.6s ", w);
				seen++;
				if (strstr(buf_cstr(&headers), word) == NULL)
					buf_printf(&bad, "%s: %.6s is not the "
					    "templates' header (%s)\n", docs[i],
					    w, buf_cstr(&headers));
			}
		}
		free(text);
	}
	if (bad.len > 0) {
		fputs(buf_cstr(&bad), stderr);
		fail_msg("the docs show another header");
	}
	assert_true(seen > 0);	/* the docs do show one */
	templates_free(tab);
	buf_free(&headers);
	buf_free(&bad);
	buf_free(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_fails_on_broken_tables),
		cmocka_unit_test(test_docs_tables_render),
		cmocka_unit_test(test_docs_header_is_the_templates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
