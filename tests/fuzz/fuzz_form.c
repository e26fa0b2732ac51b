/*
 * fuzz_form: form_parse on any bytes, and the round trip: whatever
 * parsed, encoded again with form_encode_pair, parses back to the same
 * fields.  form_urlencode into a capped buffer must leave nothing
 * half-written when the cap is hit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_form: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form f, g;
	struct buf b;
	char err[128];
	size_t i;

	if (form_parse((const char *)data, size, &f, err, sizeof(err)) == -1) {
		check(f.n == 0 && f.fields == NULL, "fields left on failure");
		check(memchr(err, '\0', sizeof(err)) != NULL, "err");
		form_free(&f);
		return 0;
	}
	buf_init(&b, 0);
	for (i = 0; i < f.n; i++) {
		check(strlen(f.fields[i].name) <= size &&
		    strlen(f.fields[i].value) <= size, "decoded longer");
		check(form_get(&f, f.fields[i].name) != NULL, "form_get");
		check(form_encode_pair(&b, f.fields[i].name,
		    f.fields[i].value) == 0, "encode");
	}
	check(form_parse(b.data != NULL ? b.data : "", b.len, &g, NULL,
	    0) == 0, "re-parse of our own encoding");
	/* Empty pieces are skipped, so an empty name and value vanish. */
	for (i = 0; i < f.n && i < g.n; i++)
		check(strcmp(f.fields[i].name, g.fields[i].name) == 0 &&
		    strcmp(f.fields[i].value, g.fields[i].value) == 0,
		    "round trip changed a field");
	check(f.n == g.n, "round trip changed the field count");
	form_free(&g);
	buf_free(&b);

	/* A cap somewhere inside the encoding. */
	if (f.n > 0) {
		buf_init(&b, 1 + size % 64);
		buf_puts(&b, "x");
		if (form_urlencode(&b, f.fields[0].value) == -1)
			check(b.len == 1 && strcmp(buf_cstr(&b), "x") == 0,
			    "half-written encoding");
		buf_free(&b);
	}
	form_free(&f);
	return 0;
}
