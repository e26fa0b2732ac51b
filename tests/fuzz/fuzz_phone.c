/*
 * fuzz_phone: phone_to_e164 on any string, with the default country picked
 * by the first byte.  What it accepts must be E.164, and normalising that
 * again must give it back unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "phone.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_phone: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ccs[] = { "91", "1", "44", "977", "880", "" };
	char out[PHONE_E164_MAX + 1], again[PHONE_E164_MAX + 1], small[9];
	char err[128];
	const char *cc;
	char *s;

	if (size == 0)
		return 0;
	cc = ccs[data[0] % (sizeof(ccs) / sizeof(ccs[0]))];
	s = fuzz_strndup(data + 1, size - 1);
	if (phone_to_e164(s, cc, out, sizeof(out), err, sizeof(err)) == 0) {
		check(phone_is_e164(out), "accepted number is not E.164");
		check(phone_to_e164(out, cc, again, sizeof(again), NULL,
		    0) == 0 && strcmp(out, again) == 0,
		    "E.164 does not normalise to itself");
	} else
		check(memchr(err, '\0', sizeof(err)) != NULL, "err");
	if (phone_to_e164(s, cc, small, sizeof(small), NULL, 0) == 0)
		check(memchr(small, '\0', sizeof(small)) != NULL &&
		    phone_is_e164(small), "short buffer");
	(void)phone_is_e164(s);
	free(s);
	return 0;
}
