/*
 * test_group_key: group keys from display names (Latin, Devanagari,
 * mixed), what cannot be a key, and the alternatives when a key is taken.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "group_key.h"
#include "util.h"

static void
test_keys(void **state)
{
	static const char *const cases[][2] = {
		{ "Silai Group", "silai-group" },
		{ "  Silai   Group 2 ", "silai-group-2" },
		{ "weavers-shg", "weavers-shg" },
		{ "Bhadohi/Core (old)", "bhadohi-core-old" },
		{ "सिलाई समूह", "silai-samuh" },
		{ "महिला मंडल", "mahila-mandal" },
		{ "बुनकर", "bunakar" },
		{ "क्षेत्र", "kshetr" },
		{ "व", "va" },
		{ "ज़री", "zari" },
		{ "Mirzapur महिला 2024", "mirzapur-mahila-2024" },
		{ "समूह १", "samuh-1" },
		{ "Café Noir", "caf-noir" },
	};
	char err[128], *k;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		k = group_key_derive(cases[i][0], err, sizeof(err));
		if (k == NULL)
			fail_msg("\"%s\": %s", cases[i][0], err);
		if (strcmp(k, cases[i][1]) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i][0],
			    k, cases[i][1]);
		free(k);
	}
}

static void
test_not_a_key(void **state)
{
	char err[128], long_name[200], *k;

	(void)state;
	assert_null(group_key_derive("", err, sizeof(err)));
	assert_null(group_key_derive(NULL, err, sizeof(err)));
	assert_null(group_key_derive("  --  ", err, sizeof(err)));
	assert_non_null(strstr(err, "letter or digit"));
	assert_null(group_key_derive("\xff\xfe", err, sizeof(err)));
	/* Long names are cut to what an audience takes, and still parse. */
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	long_name[AUDIENCE_NAME_MAX - 1] = ' ';
	k = group_key_derive(long_name, err, sizeof(err));
	assert_non_null(k);
	assert_int_equal(strlen(k), AUDIENCE_NAME_MAX - 1);
	free(k);
}

static void
test_alternatives(void **state)
{
	char name[AUDIENCE_NAME_MAX + 1], *k;

	(void)state;
	k = group_key_alternative("silai-group", 2);
	assert_string_equal(k, "silai-group-2");
	free(k);
	memset(name, 'b', AUDIENCE_NAME_MAX);
	name[AUDIENCE_NAME_MAX] = '\0';
	k = group_key_alternative(name, 12);
	assert_int_equal(strlen(k), AUDIENCE_NAME_MAX);
	assert_string_equal(k + AUDIENCE_NAME_MAX - 3, "-12");
	free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_not_a_key),
		cmocka_unit_test(test_alternatives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
