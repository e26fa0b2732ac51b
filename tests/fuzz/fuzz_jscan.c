/*
 * fuzz_jscan: jscan_member on any bytes, against jansson read the way the
 * providers read it (JSON_REJECT_DUPLICATES; a string as is, an integer
 * in decimal).  The two must agree on every input but where jscan.h says
 * they differ: a duplicate of some other member (jansson refuses the
 * text, jscan does not look), nesting past JSCAN_MAX_DEPTH, and NUL bytes
 * (jscan refuses them all; jansson passes over some).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../jscan_ref.h"
#include "jscan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The deepest nesting of a text jansson accepted. */
static int
depth_of(const char *s, size_t len)
{
	int depth = 0, max = 0, in_string = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
		} else if (s[i] == '"')
			in_string = 1;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > max)
				max = depth;
		} else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return max;
}

static void
compare(const char *json, size_t len, const char *name, size_t outlen)
{
	char out[32], ref[32], why[160];
	int rc, want;

	rc = jscan_member(json, len, name, out, outlen);
	if (rc != 1 && out[0] != '\0')
		abort();			/* out must be "" then */
	want = jscan_ref_member(json, len, name, ref, outlen, why);
	if (strstr(why, "duplicate object key") != NULL)
		return;				/* a documented difference */
	if (want != -1 && depth_of(json, len) > JSCAN_MAX_DEPTH)
		return;				/* the other one */
	if (memchr(json, '\0', len) != NULL) {
		if (rc != -1)
			abort();		/* jscan refuses them all */
		return;
	}
	if (rc != want || strcmp(out, ref) != 0) {
		fprintf(stderr, "fuzz_jscan: name \"%s\": jscan %d \"%s\", "
		    "jansson %d \"%s\" (%s)\n", name, rc, out, want, ref,
		    why[0] != '\0' ? why : "parsed");
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: ASan sees any read past the end. */
	char *json = malloc(size ? size : 1);

	if (json == NULL)
		return 0;
	memcpy(json, data, size);
	compare(json, size, "sid", 32);
	compare(json, size, "code", 5);		/* cut short */
	compare(json, size, "a", 32);
	free(json);
	return 0;
}
