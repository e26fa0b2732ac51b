/*
 * fuzz_keyword_match: an SMS text through normalisation and the keyword
 * and district matching the router does, against the shipped
 * config/keywords.conf and config/districts.csv (SAMPARK_FUZZ_CONFIG
 * names another directory).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "fuzz_common.h"
#include "keywords.h"
#include "log.h"
#include "text.h"
#include "util.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Loaded once: read-only afterwards. */
static struct keywords_table *kw;
static struct district_table *dt;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_load_vocabulary("fuzz_keyword_match", &kw, &dt);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct keyword *k;
	const struct district *d;
	char *norm, *first, *space;
	int fuzzy;

	if ((norm = text_normalize((const char *)data, size)) == NULL)
		return 0;
	space = strchr(norm, ' ');
	first = xstrndup(norm, space ? (size_t)(space - norm) : strlen(norm));
	if (keywords_match(kw, first, &k, &fuzzy) == 1 && keywords_find(kw, k->name) != k)
		abort();
	if (keywords_match(kw, norm, &k, &fuzzy) == 1 && k->handler == NULL)
		abort();
	if (district_match(dt, norm, &d) == 1 &&
	    district_find(dt, d->key) != d)
		abort();
	if (space != NULL)
		(void)district_match(dt, space + 1, &d);
	free(first);
	free(norm);
	return 0;
}
