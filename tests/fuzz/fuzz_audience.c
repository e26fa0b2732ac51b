/*
 * fuzz_audience: broadcast audience expressions.  Whatever parses must
 * have a canonical text that parses again to the same text, and must
 * match a contact without reading past anything; group: and interest:
 * membership is answered from the name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "fuzz_common.h"
#include "store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_audience: %s\n", what);
		abort();
	}
}

static int
member(void *arg, enum audience_kind kind, const struct contact *c,
    const char *name)
{
	(void)c;
	long long id;
	const char *answer;

	check(kind == AUD_GROUP || kind == AUD_INTEREST || kind == AUD_RSVP,
	    "member kind");
	check(name != NULL && *name != '\0', "member name");
	/* An rsvp: term's name is always one the store can split. */
	check(kind != AUD_RSVP || audience_rsvp_split(name, &id, &answer) == 0,
	    "rsvp name");
	(*(int *)arg)++;
	if (strcmp(name, "fail") == 0)
		return -1;
	return strlen(name) % 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct contact c;
	struct audience *a, *b;
	char err[256], *expr, *name;
	int calls = 0, rc;

	expr = fuzz_strndup(data, size);
	if ((name = audience_name_normalize(expr, err, sizeof(err))) != NULL) {
		check(strlen(name) <= AUDIENCE_NAME_MAX, "name too long");
		free(name);
	}
	if ((a = audience_parse(expr, err, sizeof(err))) == NULL) {
		check(memchr(err, '\0', sizeof(err)) != NULL, "err");
		free(expr);
		return 0;
	}
	check(a->nconjs >= 1 && a->nconjs <= AUDIENCE_MAX_CONJ, "nconjs");
	b = audience_parse(audience_text(a), err, sizeof(err));
	check(b != NULL, "canonical text does not parse");
	check(strcmp(audience_text(a), audience_text(b)) == 0,
	    "canonical text is not stable");
	audience_free(b);

	memset(&c, 0, sizeof(c));
	c.phone = "+919812345678";
	c.district = size > 0 && data[0] % 2 ? "bhadohi" : NULL;
	c.language = size > 1 && data[1] % 3 == 0 ? "en" :
	    size > 1 && data[1] % 3 == 1 ? "hi" : NULL;
	c.role = "entrepreneur";
	rc = audience_match(a, &c, member, &calls);
	check(rc >= -1 && rc <= 1, "match result");
	(void)audience_set_default_language(a, "en");
	(void)audience_set_default_language(a, "xx");
	rc = audience_match(a, &c, member, &calls);
	check(rc >= -1 && rc <= 1, "match result");
	audience_free(a);
	free(expr);
	return 0;
}
