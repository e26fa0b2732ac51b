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

/* A list keeps the spellings the table took, in order, and no others. */
static void
test_list(void **state)
{
	struct alias_list *l = alias_list_new();
	const struct alias_spelling *sp;
	const char *id;
	char err[128];
	int fuzzy;

	(void)state;
	assert_int_equal(alias_list_add(l, "loan", "loan", "en", 3, 7, err,
	    sizeof(err)), 0);
	assert_int_equal(alias_list_add(l, "rin", "loan", NULL, 3, 8, err,
	    sizeof(err)), 0);
	assert_int_equal(alias_list_add(l, "rin", "market", "hi", 5, 9, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "rin"));
	assert_int_equal(alias_list_count(l), 2);
	sp = alias_list_at(l, 0);
	assert_non_null(sp);
	assert_string_equal(sp->alias, "loan");
	assert_string_equal(sp->id, "loan");
	assert_string_equal(sp->tag, "en");
	assert_int_equal(sp->ref, 3);
	assert_int_equal(sp->line, 7);
	sp = alias_list_at(l, 1);
	assert_non_null(sp);
	assert_string_equal(sp->alias, "rin");
	assert_null(sp->tag);
	assert_int_equal(sp->line, 8);
	assert_null(alias_list_at(l, 2));
	assert_int_equal(alias_list_lookup(l, "rin", &id, &fuzzy), 1);
	assert_string_equal(id, "loan");
	assert_int_equal(alias_list_lookup(l, "market", &id, &fuzzy), 0);
	alias_list_free(l);
	alias_list_free(NULL);
	assert_int_equal(alias_list_count(NULL), 0);
	assert_int_equal(alias_list_lookup(NULL, "loan", &id, &fuzzy), 0);
}

static void
test_valid_id(void **state)
{
	(void)state;
	assert_true(alias_valid_id("loan"));
	assert_true(alias_valid_id("sant_ravidas-nagar2"));
	assert_false(alias_valid_id(""));
	assert_false(alias_valid_id("2loan"));
	assert_false(alias_valid_id("Loan"));
	assert_false(alias_valid_id("lo an"));
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
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_valid_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
