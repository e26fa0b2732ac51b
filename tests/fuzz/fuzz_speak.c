/*
 * fuzz_speak: phone numbers spelled for a TTS voice, on any bytes, in
 * both languages.  What is UTF-8 stays UTF-8, and spelling twice changes
 * nothing more than spelling once (no digits of a spelled number are
 * left to spell again).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "speak.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_speak: %s\n", what);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "hi", "en" };
	char *in, *once, *twice;
	size_t i;

	if (size > 4096)
		return 0;
	in = malloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	for (i = 0; i < 2; i++) {
		once = speak_numbers_dup(in, langs[i]);
		if (text_utf8_valid(in, strlen(in)))
			check(text_utf8_valid(once, strlen(once)),
			    "UTF-8 in, not UTF-8 out");
		twice = speak_numbers_dup(once, langs[i]);
		check(strcmp(once, twice) == 0, "spelling twice changed it");
		free(twice);
		free(once);
	}
	free(in);
	return 0;
}
