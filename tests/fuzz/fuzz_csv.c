/*
 * fuzz_csv: the CSV reader on any bytes.  Every record it returns must be
 * valid UTF-8, and line numbers never go back.  And the cell writer: any
 * field written by csv_put_cell reads back as one field, the same text
 * (or, for one a spreadsheet would take for a formula, ' and the text).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "text.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_csv: %s\n", what);
		abort();
	}
}

/* Write s (valid UTF-8, no NUL) as a cell of a one-line file, read it
 * back. */
static void
round_trip(const char *s)
{
	struct csv_reader *r;
	struct buf b;
	char **fields, err[256];
	size_t n, line;
	int rc;

	/* Not first in the file, where the reader skips a byte-order mark. */
	buf_init(&b, 0);
	buf_puts(&b, "start,");
	csv_put_cell(&b, s);
	buf_puts(&b, ",end\r\n");
	r = csv_open_mem(buf_cstr(&b), b.len);
	rc = csv_next(r, &fields, &n, &line, err, sizeof(err));
	check(rc == 1, "a written cell does not read back");
	check(n == 3 && strcmp(fields[2], "end") == 0, "a cell became more");
	fields++;
	check(strcmp(fields[0], s) == 0 || (fields[0][0] == '\'' &&
	    strcmp(fields[0] + 1, s) == 0), "a cell changed");
	if (fields[0][0] == '\'' && s[0] != '\'')
		check(strchr("=+-@\t\r\n ", s[0]) != NULL ||
		    (unsigned char)s[0] == 0xef, "defused for no reason");
	else
		check(strchr("=+-@\t\r\n", s[0]) == NULL || s[0] == '\0' ||
		    strspn(s + 1, "0123456789") == strlen(s + 1),
		    "a formula left live");
	csv_close(r);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r = csv_open_mem((const char *)data, size);
	size_t n, line, last = 0, i, records = 0;
	char **fields, err[256];
	int rc;

	while ((rc = csv_next(r, &fields, &n, &line, err, sizeof(err))) != 0) {
		check(records++ <= size + 1, "more records than bytes");
		check(line >= last && line >= 1, "line number went back");
		last = line;
		if (rc == -1) {
			check(memchr(err, '\0', sizeof(err)) != NULL, "err");
			continue;
		}
		check(n >= 1, "record without fields");
		for (i = 0; i < n; i++)
			check(fields[i] != NULL && text_utf8_valid(fields[i],
			    strlen(fields[i])), "field is not UTF-8");
	}
	csv_close(r);
	/* A blank record is skipped by the reader, so only non-empty text. */
	if (size > 0 && memchr(data, '\0', size) == NULL &&
	    text_utf8_valid((const char *)data, size)) {
		char *s = xmalloc(size + 1);

		memcpy(s, data, size);
		s[size] = '\0';
		round_trip(s);
		free(s);
	}
	return 0;
}
