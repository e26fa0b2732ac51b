/*
 * report_collect: fill a report from the store (see report.h).  Only the
 * store's public contract is used, so the aggregation stays testable
 * without a database and the SQL stays in store_report.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "store.h"
#include "text.h"
#include "understand.h"
#include "util.h"

static int
on_unmatched(void *arg, const char *text, int64_t n, int64_t contacts)
{
	report_add_unmatched(arg, text, n, contacts);
	return 0;
}

static int
on_funnel(void *arg, const struct store_funnel *f)
{
	report_add_funnel(arg, f);
	return 0;
}

static int
on_ivr(void *arg, const char *node, int64_t calls)
{
	report_add_ivr(arg, node, calls);
	return 0;
}

static void
on_outbox(void *arg, const char *state, int64_t n)
{
	report_add_outbox_state(arg, state, n);
}

/*
 * The words of one text not understood, each counted once per message:
 * what the lexicon knows as filler, districts and digits is dropped, the
 * rest is what a coordinator might add.
 */
struct words_arg {
	struct report		*r;
	const struct und_table	*und;
};

static int
on_unmatched_words(void *arg, const char *text, int64_t n, int64_t contacts)
{
	struct words_arg *w = arg;
	struct report *r = w->r;
	struct und_result *u;
	char *norm;
	size_t i, j, k;

	(void)contacts;
	if ((norm = text_normalize(text, strlen(text))) == NULL)
		return 0;
	u = xmalloc(sizeof(*u));
	und_understand(w->und, text, norm, u);
	for (i = 0; i < u->ntok; i++) {
		const struct und_token *t = &u->tok[i];

		if (t->nwords != 1 || t->how == UND_FILLER ||
		    t->how == UND_DISTRICT || t->how == UND_NUMBER)
			continue;
		for (j = 0; j < i; j++) {
			k = u->tok[j].word;
			if (u->tok[j].nwords == 1 &&
			    u->nlen[k] == u->nlen[t->word] &&
			    memcmp(norm + u->nstart[k], norm +
			    u->nstart[t->word], u->nlen[k]) == 0)
				break;
		}
		if (j == i)
			report_add_word(r, norm + u->nstart[t->word],
			    u->nlen[t->word], n);
	}
	free(u);
	free(norm);
	return 0;
}

struct report *
report_collect(struct store *st, const struct report_options *opts,
    size_t top_unmatched)
{
	struct store_filter f;
	struct report *r = report_new(opts);
	int64_t opted_out = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	f.since_ms = opts->since_ms;
	f.until_ms = opts->until_ms;
	f.channel = opts->channel;
	f.district = opts->district;
	if (store_export(st, &f, report_add_row, r) == -1 ||
	    store_report_unmatched(st, &f, top_unmatched, on_unmatched, r) ==
	    -1 ||
	    (rc = store_report_funnels(st, &f, on_funnel, r)) == -1)
		goto fail;
	report_set_funnels_available(r, rc == 1);
	if (opts->understand != NULL) {
		struct words_arg wa = { r, opts->understand };

		if (store_report_unmatched(st, &f, 0, on_unmatched_words,
		    &wa) == -1)
			goto fail;
		report_words_finish(r, top_unmatched);
	}
	if ((rc = store_report_ivr(st, &f, on_ivr, r)) == -1)
		goto fail;
	report_set_ivr_available(r, rc == 1);
	if (store_outbox_counts(st, on_outbox, r) == -1 ||
	    store_report_opted_out(st, &f, &opted_out) == -1)
		goto fail;
	report_set_opted_out(r, opted_out);
	report_finish(r);
	return r;
fail:
	report_free(r);
	return NULL;
}
