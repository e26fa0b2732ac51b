/*
 * fuzz_keywords: keywords.conf parsing.  Whatever loads must find each of
 * its keywords by name and match each name to a keyword.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "keywords.h"
#include "log.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct keyword *k, *m;
	struct keywords_table *kw;
	struct buf errors;
	const char *path;
	size_t i;
	int fuzzy;

	log_set_level(LOG_LEVEL_ERROR);
	if ((path = fuzz_write_file("keywords.conf", data, size)) == NULL)
		return 0;
	buf_init(&errors, 64 * 1024);
	if ((kw = keywords_load(path, &errors)) != NULL) {
		for (i = 0; i < keywords_count(kw); i++) {
			k = keywords_at(kw, i);
			if (k == NULL || k->name == NULL || k->handler == NULL ||
			    keywords_find(kw, k->name) != k)
				abort();
			(void)keywords_match(kw, k->name, &m, &fuzzy);
		}
		(void)keywords_match(kw, "loan", &m, &fuzzy);
		(void)keywords_match(kw, "लोन", &m, &fuzzy);
	}
	keywords_free(kw);
	buf_free(&errors);
	return 0;
}
