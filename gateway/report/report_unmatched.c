/*
 * report_unmatched: the messages not understood, the candidates for new
 * keywords: the most frequent texts (normalised by the store) and, when
 * the report has the lexicon, the words that come up most in them, what
 * it knows as filler, districts and digits left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "text.h"
#include "understand.h"
#include "util.h"

struct unmatched_text {
	char	*text;
	int64_t	 n, contacts;
};

/* A word of the messages not understood, and how many had it. */
struct unmatched_word {
	char	*word;
	int64_t	 n;
};

struct unmatched {
	struct unmatched_text	*texts;
	size_t			 ntexts;
	struct unmatched_word	*words;		/* merged by words_finish */
	size_t			 nwords, capwords;
	int			 words_done;	/* the words were counted */
};

extern const struct report_section report_unmatched;

static struct unmatched *
unmatched_of(struct report *r)
{
	return report_section_data(r, &report_unmatched,
	    sizeof(struct unmatched));
}

static void
unmatched_free(void *arg)
{
	struct unmatched *u = arg;
	size_t i;

	for (i = 0; i < u->ntexts; i++)
		free(u->texts[i].text);
	free(u->texts);
	for (i = 0; i < u->nwords; i++)
		free(u->words[i].word);
	free(u->words);
	free(u);
}

void
report_unmatched_add(struct report *r, const char *text, int64_t n,
    int64_t contacts)
{
	struct unmatched *u = unmatched_of(r);

	u->texts = xreallocarray(u->texts, u->ntexts + 1, sizeof(*u->texts));
	u->texts[u->ntexts].text = report_clean_text(text);
	u->texts[u->ntexts].n = n;
	u->texts[u->ntexts].contacts = contacts;
	u->ntexts++;
}

/* ---- the words ---- */

static void
word_add(struct unmatched *u, const char *word, size_t len, int64_t n)
{
	if (u->nwords == u->capwords) {
		u->capwords = u->capwords ? u->capwords * 2 : 64;
		u->words = xreallocarray(u->words, u->capwords,
		    sizeof(*u->words));
	}
	u->words[u->nwords].word = xstrndup(word, len);
	u->words[u->nwords].n = n;
	u->nwords++;
}

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(((const struct unmatched_word *)a)->word,
	    ((const struct unmatched_word *)b)->word);
}

static int
cmp_word_n(const void *a, const void *b)
{
	const struct unmatched_word *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->word, y->word);
}

/* Merge repeated words and keep the top most frequent (0: all). */
static void
words_finish(struct unmatched *u, size_t top)
{
	size_t i, o = 0;

	u->words_done = 1;
	if (u->nwords == 0)
		return;
	qsort(u->words, u->nwords, sizeof(*u->words), cmp_word);
	for (i = 1; i < u->nwords; i++) {
		if (strcmp(u->words[i].word, u->words[o].word) == 0) {
			u->words[o].n += u->words[i].n;
			free(u->words[i].word);
		} else
			u->words[++o] = u->words[i];
	}
	u->nwords = o + 1;
	qsort(u->words, u->nwords, sizeof(*u->words), cmp_word_n);
	while (top > 0 && u->nwords > top)
		free(u->words[--u->nwords].word);
}

/*
 * The words of one text: what the lexicon knows as filler, districts and
 * digits is dropped, the rest is what a coordinator might add.  Each
 * word once per text.
 */
void
report_text_words(const struct understand_table *und, const char *text,
    void (*cb)(void *arg, const char *word, size_t len), void *arg)
{
	struct understand_result *res;
	char *norm;
	size_t i, j, k;

	if ((norm = text_normalize(text, strlen(text))) == NULL)
		return;
	res = xmalloc(sizeof(*res));
	understand_message(und, text, norm, res);
	for (i = 0; i < res->ntok; i++) {
		const struct understand_token *t = &res->tok[i];

		if (t->nwords != 1 || t->how == UNDERSTAND_FILLER ||
		    t->how == UNDERSTAND_DISTRICT || t->how == UNDERSTAND_NUMBER)
			continue;
		for (j = 0; j < i; j++) {
			k = res->tok[j].word;
			if (res->tok[j].nwords == 1 &&
			    res->nlen[k] == res->nlen[t->word] &&
			    memcmp(norm + res->nstart[k], norm +
			    res->nstart[t->word], res->nlen[k]) == 0)
				break;
		}
		if (j == i)
			cb(arg, norm + res->nstart[t->word],
			    res->nlen[t->word]);
	}
	free(res);
	free(norm);
}

/* The words of the messages not understood, each counted once per
 * message. */
struct words_arg {
	struct unmatched	*u;
	const struct understand_table	*und;
	int64_t			 n;
};

static void
on_word(void *arg, const char *word, size_t len)
{
	struct words_arg *w = arg;

	word_add(w->u, word, len, w->n);
}

static int
on_words(void *arg, const char *text, int64_t n, int64_t contacts)
{
	struct words_arg *w = arg;

	(void)contacts;
	w->n = n;
	report_text_words(w->und, text, on_word, w);
	return 0;
}

/* ---- collect and render ---- */

static int
on_text(void *arg, const char *text, int64_t n, int64_t contacts)
{
	report_unmatched_add(arg, text, n, contacts);
	return 0;
}

static int
unmatched_collect(struct report *r, const struct report_source *src)
{
	struct words_arg wa;

	if (store_report_unmatched(src->store, &src->filter, src->top,
	    on_text, r) == -1)
		return -1;
	if (r->o.understand == NULL)
		return 0;
	wa.u = unmatched_of(r);
	wa.und = r->o.understand;
	if (store_report_unmatched(src->store, &src->filter, 0, on_words,
	    &wa) == -1)
		return -1;
	words_finish(wa.u, src->top);
	return 0;
}

static void
unmatched_table(struct report *r, struct buf *out)
{
	static const char *const text_head[] = { "count", "contacts", "text" };
	static const char *const word_head[] = { "messages", "word" };
	const struct unmatched *u = unmatched_of(r);
	struct report_table t = { 3, NULL, 0, "rrl" };
	char a[REPORT_CELL], b[REPORT_CELL];
	const char *v[3];
	size_t i;

	buf_puts(out, "\nTop unmatched texts (candidates for keywords.conf):\n");
	if (u->ntexts == 0)
		buf_puts(out, "  (none)\n");
	for (i = 0; i < u->ntexts; i++) {
		if (i == 0)
			report_render_row(&t, text_head);
		report_format_count(r, u->texts[i].n, a, sizeof(a));
		report_format_count(r, u->texts[i].contacts, b, sizeof(b));
		v[0] = a; v[1] = b; v[2] = u->texts[i].text;
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
	if (!u->words_done)
		return;
	buf_puts(out, "\nTop words in messages not understood "
	    "(candidates for lexicon.conf):\n");
	if (u->nwords == 0)
		buf_puts(out, "  (none)\n");
	t.ncols = 2;
	t.align = "rl";
	for (i = 0; i < u->nwords; i++) {
		if (i == 0)
			report_render_row(&t, word_head);
		report_format_count(r, u->words[i].n, a, sizeof(a));
		v[0] = a; v[1] = u->words[i].word;
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
}

/* With the words counted, the words to add to the lexicon, not whole
 * texts. */
static void
unmatched_csv(struct report *r, struct buf *out)
{
	const struct unmatched *u = unmatched_of(r);
	char a[REPORT_CELL], b[REPORT_CELL];
	const char *v[3];
	size_t i;

	if (u->words_done) {
		v[0] = "word"; v[1] = "messages";
		report_render_csv_line(out, v, 2);
		for (i = 0; i < u->nwords; i++) {
			report_format_count(r, u->words[i].n, a, sizeof(a));
			v[0] = u->words[i].word; v[1] = a;
			report_render_csv_line(out, v, 2);
		}
		return;
	}
	v[0] = "text"; v[1] = "count"; v[2] = "contacts";
	report_render_csv_line(out, v, 3);
	for (i = 0; i < u->ntexts; i++) {
		report_format_count(r, u->texts[i].n, a, sizeof(a));
		report_format_count(r, u->texts[i].contacts, b, sizeof(b));
		v[0] = u->texts[i].text; v[1] = a; v[2] = b;
		report_render_csv_line(out, v, 3);
	}
}

static void
unmatched_json(struct report *r, struct buf *out)
{
	const struct unmatched *u = unmatched_of(r);
	int supp = report_suppressing(r);
	size_t i;

	buf_puts(out, ",\"top_unmatched\":[");
	for (i = 0; i < u->ntexts; i++) {
		buf_puts(out, i > 0 ? ",{\"text\":" : "{\"text\":");
		buf_json_string(out, u->texts[i].text);
		buf_puts(out, ",\"count\":");
		report_render_json_count(out, r, u->texts[i].n, supp);
		buf_puts(out, ",\"contacts\":");
		report_render_json_count(out, r, u->texts[i].contacts, supp);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
	if (!u->words_done)
		return;
	buf_puts(out, ",\"top_unmatched_words\":[");
	for (i = 0; i < u->nwords; i++) {
		buf_puts(out, i > 0 ? ",{\"word\":" : "{\"word\":");
		buf_json_string(out, u->words[i].word);
		buf_puts(out, ",\"messages\":");
		report_render_json_count(out, r, u->words[i].n, supp);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

const struct report_section report_unmatched = {
	.name = "unmatched",
	.collect = unmatched_collect,
	.render_table = unmatched_table,
	.render_csv = unmatched_csv,
	.render_json = unmatched_json,
	.free = unmatched_free,
};
