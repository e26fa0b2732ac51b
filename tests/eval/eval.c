/*
 * eval: `make eval`.  Routes every case of the labelled corpus through
 * the real router and prints accuracy per group, the opt-outs missed, the
 * sends to the wrong category's stakeholders and every confusion.
 *
 *     eval [CORPUS [CONFIG_DIR [PROMPTS_DIR]]]
 *
 * Exit status 0 when the targets hold (95% right, no opt-out missed, no
 * wrong-category send), else 1.
 */
#include <stdio.h>

#include "eval_lib.h"
#include "util.h"

int
main(int argc, char **argv)
{
	const char *corpus = argc > 1 ? argv[1] : "tests/eval/corpus.tsv";
	const char *config = argc > 2 ? argv[2] : "config";
	const char *prompts = argc > 3 ? argv[3] : "prompts";
	struct eval_set set;
	struct buf err, out;
	size_t i, ok = 0, missed = 0, wrong = 0;
	int rc;

	buf_init(&err, 0);
	buf_init(&out, 0);
	if (eval_load(corpus, &set, &err) == -1 ||
	    eval_run(&set, config, prompts, &err) == -1) {
		fprintf(stderr, "%s", buf_cstr(&err));
		eval_set_free(&set);
		buf_free(&err);
		return 2;
	}
	eval_report(&set, &out);
	fputs(buf_cstr(&out), stdout);
	for (i = 0; i < set.n; i++) {
		ok += set.c[i].ok;
		missed += set.c[i].optout_missed;
		wrong += set.c[i].wrong_send;
	}
	rc = set.n > 0 && ok * 100 >= set.n * 95 && missed == 0 &&
	    wrong == 0 ? 0 : 1;
	eval_set_free(&set);
	buf_free(&err);
	buf_free(&out);
	return rc;
}
