/*
 * test_alias: exact and typo-tolerant lookup, conflicts, ambiguity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alias.h"

static struct alias_table *
sample(void)
{
	struct alias_table *t = alias_table_new();
	char err[128];

	assert_int_equal(alias_table_add(t, "loan", "loan", err, sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "credit", "loan", err, sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "कर्ज", "loan", err, sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "training", "training", err,
	    sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "market", "market", err,
	    sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "1", "loan", err, sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "rin", "loan", err, sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "sant ravidas nagar", "bhadohi",
	    err, sizeof(err)), 0);
	return t;
}

static void
test_exact(void **state)
{
	struct alias_table *t = sample();
	const char *id = NULL;
	int fuzzy = -1;

	(void)state;
	assert_int_equal(alias_table_count(t), 8);
	assert_int_equal(alias_table_lookup(t, "loan", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(fuzzy, 0);
	assert_int_equal(alias_table_lookup(t, "कर्ज", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(fuzzy, 0);
	assert_int_equal(alias_table_lookup(t, "1", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(alias_table_lookup(t, "sant ravidas nagar", &id,
	    &fuzzy), 1);
	assert_string_equal(id, "bhadohi");
	assert_int_equal(fuzzy, 0);
	assert_int_equal(alias_table_lookup(t, "weather", &id, &fuzzy), 0);
	assert_int_equal(alias_table_lookup(t, "", &id, &fuzzy), 0);
	alias_table_free(t);
}

static void
test_fuzzy(void **state)
{
	struct alias_table *t = sample();
	const char *id = NULL;
	int fuzzy = -1;

	(void)state;
	assert_int_equal(alias_table_lookup(t, "laon", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(fuzzy, 1);
	assert_int_equal(alias_table_lookup(t, "loann", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(alias_table_lookup(t, "traning", &id, &fuzzy), 1);
	assert_string_equal(id, "training");
	assert_int_equal(fuzzy, 1);
	assert_int_equal(alias_table_lookup(t, "markat", &id, &fuzzy), 1);
	assert_string_equal(id, "market");
	assert_int_equal(alias_table_lookup(t, "कर्जा", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(alias_table_lookup(t, "sant ravidas nagr", &id,
	    &fuzzy), 1);
	assert_string_equal(id, "bhadohi");
	assert_int_equal(fuzzy, 1);
	/* Two edits away. */
	assert_int_equal(alias_table_lookup(t, "lnoa", &id, &fuzzy), 0);
	assert_int_equal(alias_table_lookup(t, "marker2", &id, &fuzzy), 0);
	alias_table_free(t);
}

static void
test_fuzzy_needs_four(void **state)
{
	struct alias_table *t = sample();
	const char *id = NULL;
	int fuzzy;

	(void)state;
	/* "करज" has 3 code points, so it is not a typo of "कर्ज". */
	assert_int_equal(alias_table_lookup(t, "करज", &id, &fuzzy), 0);
	/* "rin" has 3 code points: no typo tolerance either way. */
	assert_int_equal(alias_table_lookup(t, "rim", &id, &fuzzy), 0);
	assert_int_equal(alias_table_lookup(t, "rinn", &id, &fuzzy), 0);
	/* A 3-code-point query is never fuzzy, even against "loan". */
	assert_int_equal(alias_table_lookup(t, "lon", &id, &fuzzy), 0);
	assert_int_equal(alias_table_lookup(t, "2", &id, &fuzzy), 0);
	alias_table_free(t);
}

static void
test_ambiguous(void **state)
{
	struct alias_table *t = alias_table_new();
	const char *id = NULL;
	int fuzzy;
	char err[128];

	(void)state;
	assert_int_equal(alias_table_add(t, "loan", "loan", err, sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "lean", "diet", err, sizeof(err)), 0);
	assert_int_equal(alias_table_add(t, "loans", "loan", err, sizeof(err)), 0);
	/* Exact still wins even though "lean" is one edit from "loan". */
	assert_int_equal(alias_table_lookup(t, "lean", &id, &fuzzy), 1);
	assert_string_equal(id, "diet");
	assert_int_equal(fuzzy, 0);
	/* "loen" is one edit from "loan" only. */
	assert_int_equal(alias_table_lookup(t, "loen", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	/* "lxan" is one edit from "loan" (loan) and "lean" (diet). */
	assert_int_equal(alias_table_lookup(t, "lxan", &id, &fuzzy), 0);
	assert_int_equal(alias_table_lookup(t, "laan", &id, &fuzzy), 0);
	/* Two candidates, same id: still a match. */
	assert_int_equal(alias_table_lookup(t, "loanz", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(fuzzy, 1);
	alias_table_free(t);
}

static void
test_conflict(void **state)
{
	struct alias_table *t = sample();
	const char *id;
	int fuzzy;
	char err[128];

	(void)state;
	err[0] = '\0';
	assert_int_equal(alias_table_add(t, "credit", "market", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "credit"));
	assert_non_null(strstr(err, "loan"));
	/* Same alias, same id: no-op. */
	assert_int_equal(alias_table_add(t, "credit", "loan", err,
	    sizeof(err)), 0);
	assert_int_equal(alias_table_count(t), 8);
	assert_int_equal(alias_table_lookup(t, "credit", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(alias_table_add(t, "", "loan", err, sizeof(err)), -1);
	alias_table_free(t);
}

static void
test_many(void **state)
{
	struct alias_table *t = alias_table_new();
	const char *id;
	char a[32], want[32];
	int i, fuzzy;

	(void)state;
	/* Enough to force several rehashes. */
	for (i = 0; i < 1000; i++) {
		snprintf(a, sizeof(a), "word%d", i);
		snprintf(want, sizeof(want), "id%d", i % 7);
		assert_int_equal(alias_table_add(t, a, want, NULL, 0), 0);
	}
	assert_int_equal(alias_table_count(t), 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(a, sizeof(a), "word%d", i);
		snprintf(want, sizeof(want), "id%d", i % 7);
		assert_int_equal(alias_table_lookup(t, a, &id, &fuzzy), 1);
		assert_string_equal(id, want);
		assert_int_equal(fuzzy, 0);
	}
	alias_table_free(t);
	alias_table_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_fuzzy),
		cmocka_unit_test(test_fuzzy_needs_four),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
