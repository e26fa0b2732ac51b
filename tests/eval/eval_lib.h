/*
 * eval_lib: run the labelled corpus (tests/eval/corpus.tsv, format in
 * tests/eval/README.md) through the real router with the shipped config,
 * a temporary store, the sample directory (config/stakeholders.csv) and a
 * fake meeting, and compare each decision with its label.  Used by `make
 * eval` (tests/eval/eval.c) and by the corpus regression unit test
 * (tests/test_eval.c).
 */
#ifndef SP_EVAL_LIB_H
#define SP_EVAL_LIB_H

#include <stddef.h>

struct buf;

struct eval_case {
	char	*group;
	char	*context;
	char	*messages;
	char	*expect;
	size_t	 line;
	char	*got;		/* after eval_run */
	int	 ok;
	int	 optout_missed;
	int	 wrong_send;	/* stakeholders of a category not asked for */
};

struct eval_set {
	struct eval_case *c;
	size_t		 n;
};

/* Load a corpus (or a known-failures file of the same format); 0 / -1. */
int	 eval_load(const char *path, struct eval_set *, struct buf *err);
void	 eval_set_free(struct eval_set *);

/*
 * Route every case (config_dir holds keywords.conf, districts.csv,
 * lexicon.conf, stakeholders.csv; prompts_dir the prompts).  0, or -1 if
 * the config does not load (err says why).
 */
int	 eval_run(struct eval_set *, const char *config_dir,
	    const char *prompts_dir, struct buf *err);

/* Per-group accuracy, totals and every confusion, as text. */
void	 eval_report(const struct eval_set *, struct buf *out);

#endif
