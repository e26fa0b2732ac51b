/*
 * fuzz_redact: the masking of numbers and addresses in texts women send,
 * on any bytes.  No five digits in a row survive it, no '@' with a
 * dotted domain after it, and masking a masked text changes nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_redact: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = xmalloc(size + 1), *once, *twice;
	size_t i, run = 0;

	memcpy(in, data, size);
	in[size] = '\0';
	once = redact_contacts(in);
	for (i = 0; once[i] != '\0'; i++) {
		run = once[i] >= '0' && once[i] <= '9' ? run + 1 : 0;
		check(run < REDACT_MIN_DIGITS, "a run of digits left");
	}
	twice = redact_contacts(once);
	check(strcmp(once, twice) == 0, "masking a masked text changed it");
	free(twice);
	free(once);
	free(in);
	return 0;
}
