/*
 * fuzz_csv: the CSV reader on any bytes.  Every record it returns must be
 * valid UTF-8, and line numbers never go back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_csv: %s\n", what);
		abort();
	}
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
	return 0;
}
