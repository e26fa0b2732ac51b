/*
 * fuzz_prompts: prompt catalogue parsing and formatting.  The input is
 * split at its first form feed (0x0c) into en.txt and hi.txt; whatever
 * loads is formatted for the keys the handlers use.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "log.h"
#include "prompts.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "help.menu", "help.unknown",
	    "info.header", "info.entry", "info.none", "info.more",
	    "ask.district", "district.unknown", "a" };
	const uint8_t *ff = memchr(data, '\f', size);
	size_t enlen = ff != NULL ? (size_t)(ff - data) : size, i;
	const char *langs[] = { "en", "hi", "bho" };
	struct prompts *p;
	struct buf errors, out;

	log_set_level(LOG_LEVEL_ERROR);
	if (fuzz_write_file("en.txt", data, enlen) == NULL ||
	    fuzz_write_file("hi.txt", ff != NULL ? ff + 1 : data,
	    ff != NULL ? size - enlen - 1 : 0) == NULL)
		return 0;
	buf_init(&errors, 64 * 1024);
	if ((p = prompts_load(fuzz_tmpdir(), &errors)) != NULL) {
		for (i = 0; i < SP_ARRAY_LEN(keys) * SP_ARRAY_LEN(langs); i++) {
			const char *lang = langs[i % SP_ARRAY_LEN(langs)];
			const char *key = keys[i / SP_ARRAY_LEN(langs)];

			(void)prompts_get(p, lang, key);
			buf_init(&out, 4096);
			(void)prompts_format(p, lang, key, &out, "district",
			    "भदोही", "n", "3", "name", "{name}", (char *)NULL);
			buf_free(&out);
		}
		(void)prompts_has_language(p, "hi");
	}
	prompts_free(p);
	buf_free(&errors);
	return 0;
}
