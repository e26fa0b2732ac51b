/*
 * test_eval: the labelled corpus (tests/eval/corpus.tsv) as a regression
 * test.  Every case must come out right, except those listed in
 * tests/eval/known_failures.tsv (same format, reviewed by hand); a listed
 * case that starts passing fails the test too, so the list only shrinks.
 * No opt-out may ever be missed, listed or not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "eval/eval_lib.h"
#include "util.h"

static int
listed(const struct eval_set *known, const struct eval_case *k)
{
	size_t i;

	for (i = 0; i < known->n; i++)
		if (strcmp(known->c[i].messages, k->messages) == 0 &&
		    strcmp(known->c[i].context, k->context) == 0 &&
		    strcmp(known->c[i].expect, k->expect) == 0)
			return 1;
	return 0;
}

static void
test_corpus(void **state)
{
	struct eval_set set, known;
	struct buf err, bad;
	size_t i, j, missed = 0;

	(void)state;
	buf_init(&err, 0);
	buf_init(&bad, 0);
	assert_int_equal(eval_load("tests/eval/corpus.tsv", &set, &err), 0);
	assert_true(set.n >= 400);
	if (eval_load("tests/eval/known_failures.tsv", &known, &err) == -1) {
		/* No list: nothing may fail. */
		buf_reset(&err);
	}
	if (eval_run(&set, "config", "prompts", &err) == -1)
		fail_msg("%s", buf_cstr(&err));
	for (i = 0; i < set.n; i++) {
		const struct eval_case *k = &set.c[i];
		int known_bad = listed(&known, k);

		missed += k->optout_missed;
		if (!k->ok && !known_bad)
			buf_printf(&bad, "corpus.tsv:%zu: %s: expected %s, "
			    "got %s\n", k->line, k->messages, k->expect,
			    k->got);
		else if (k->ok && known_bad)
			buf_printf(&bad, "corpus.tsv:%zu: %s now passes: take "
			    "it off known_failures.tsv\n", k->line,
			    k->messages);
	}
	/* A listed case that is no longer in the corpus is stale too. */
	for (j = 0; j < known.n; j++) {
		for (i = 0; i < set.n; i++)
			if (strcmp(known.c[j].messages, set.c[i].messages) == 0)
				break;
		if (i == set.n)
			buf_printf(&bad, "known_failures.tsv:%zu: not in the "
			    "corpus\n", known.c[j].line);
	}
	if (missed > 0)
		buf_printf(&bad, "%zu opt-out(s) missed\n", missed);
	if (bad.len > 0)
		fail_msg("\n%s", buf_cstr(&bad));
	eval_set_free(&set);
	eval_set_free(&known);
	buf_free(&err);
	buf_free(&bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
