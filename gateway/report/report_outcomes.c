/*
 * report_outcomes: what the inbound messages came to (handler.h's
 * outcomes), and the headline a coalition asks for first: what went
 * unanswered (not understood, no stakeholder, limited), by district, by
 * category and by week, with the words that come up most in it.
 *
 * Every figure is rounded (report_render_rounded) unless the report
 * shows every count: those of a district count the same messages as the
 * district's figures in every other view, under other suppression
 * decisions; and even the whole region's are tied to districts by the
 * directory (no stakeholder for training is Muzaffarpur's training when
 * only Muzaffarpur has no training office), so an exact count would be
 * one more equation to subtract hidden figures with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "records.h"
#include "report.h"
#include "report_int.h"
#include "store.h"
#include "util.h"

/* In the order the table shows them; rows from before outcomes were
 * kept count as "(unknown)". */
static const char *const outcome_names[] = {
	HANDLER_OUTCOME_ANSWERED, HANDLER_OUTCOME_NO_STAKEHOLDER,
	HANDLER_OUTCOME_ASKED_DISTRICT, HANDLER_OUTCOME_ASKED_CATEGORY,
	HANDLER_OUTCOME_NOT_UNDERSTOOD, HANDLER_OUTCOME_LIMITED,
	HANDLER_OUTCOME_OPTED_OUT, HANDLER_OUTCOME_CONTROL,
	HANDLER_OUTCOME_RSVP, HANDLER_OUTCOME_NOTICE, HANDLER_OUTCOME_ERROR,
	"(unknown)",
};
#define NOUTCOMES	SP_ARRAY_LEN(outcome_names)

/* The breakdowns of the unanswered, in the order they are shown. */
enum { BD_DISTRICT, BD_CATEGORY, BD_WEEK, NBD };
static const char *const bd_names[NBD] = { "district", "category", "week" };

struct outcomes {
	int64_t			 n[NOUTCOMES];
	int64_t			 inbound, unanswered;
	struct report_tally	 bd[NBD];
	struct report_tally	 words;
	int			 words_done;
	size_t			 top;		/* words kept */
	int			 sorted;
};

extern const struct report_section report_outcomes;

static struct outcomes *
outcomes_of(struct report *r)
{
	return report_section_data(r, &report_outcomes,
	    sizeof(struct outcomes));
}

static void
outcomes_free(void *arg)
{
	struct outcomes *o = arg;
	size_t i;

	for (i = 0; i < NBD; i++)
		report_tally_clear(&o->bd[i]);
	report_tally_clear(&o->words);
	free(o);
}

struct collect_arg {
	struct report		*r;
	struct outcomes		*o;
};

static void
on_word(void *arg, const char *word, size_t len)
{
	struct outcomes *o = arg;
	char *w = xstrndup(word, len);

	report_tally_add(&o->words, w, 1);
	free(w);
}

void
report_outcomes_add_row(struct report *r, const struct interaction *row)
{
	struct outcomes *o = outcomes_of(r);
	char tmp[16];
	size_t i;

	if (row->direction == NULL || strcmp(row->direction, "in") != 0)
		return;
	o->inbound++;
	for (i = 0; i < NOUTCOMES - 1; i++)
		if (row->outcome != NULL &&
		    strcmp(row->outcome, outcome_names[i]) == 0)
			break;
	o->n[i]++;
	if (!handler_outcome_unanswered(row->outcome))
		return;
	o->unanswered++;
	report_tally_add(&o->bd[BD_DISTRICT], report_row_key(
	    REPORT_BY_DISTRICT, r->o.utc_offset_min, row, tmp), 1);
	report_tally_add(&o->bd[BD_CATEGORY], row->category != NULL ?
	    row->category : "(none)", 1);
	report_tally_add(&o->bd[BD_WEEK], report_row_key(REPORT_BY_WEEK,
	    r->o.utc_offset_min, row, tmp), 1);
	if (r->o.understand != NULL && row->text != NULL) {
		o->words_done = 1;
		report_text_words(r->o.understand, row->text, on_word, o);
	}
}

/*
 * Every row of the period, of every district: counted when it is of the
 * report's district (or there is none), and its keys listed either way,
 * so that each breakdown lists every district (of a district's report,
 * that one), category and week of the period, those without unanswered
 * messages too: one missing would say its count is 0 exactly.
 */
static int
outcomes_row(struct report *r, const struct interaction *row)
{
	struct outcomes *o = outcomes_of(r);
	char tmp[16];

	if (row->direction == NULL || strcmp(row->direction, "in") != 0)
		return 0;
	if (r->o.district == NULL)
		report_tally_add(&o->bd[BD_DISTRICT], report_row_key(
		    REPORT_BY_DISTRICT, r->o.utc_offset_min, row, tmp), 0);
	report_tally_add(&o->bd[BD_CATEGORY], row->category != NULL ?
	    row->category : "(none)", 0);
	report_tally_add(&o->bd[BD_WEEK], report_row_key(REPORT_BY_WEEK,
	    r->o.utc_offset_min, row, tmp), 0);
	if (r->o.district == NULL || (row->district != NULL &&
	    strcmp(row->district, r->o.district) == 0))
		report_outcomes_add_row(r, row);
	return 0;
}

static int
outcomes_collect(struct report *r, const struct report_source *src)
{
	struct outcomes *o = outcomes_of(r);

	o->top = src->top;
	if (r->o.district != NULL)
		report_tally_add(&o->bd[BD_DISTRICT], r->o.district, 0);
	return 0;
}

static void
outcomes_sort(struct report *r)
{
	struct outcomes *o = outcomes_of(r);
	size_t b;

	if (o->sorted)
		return;
	o->sorted = 1;
	/* Each in order of its keys: an order by count would rank counts
	 * the figures only give roughly. */
	for (b = 0; b < NBD; b++)
		report_tally_sort(&o->bd[b], 0, 0);
	report_tally_sort(&o->words, 1, o->top);
}

/* A figure of the section: rounded when of a district (tied, or the
 * rows are one district's), else as it is. */
static void
count_cell(const struct report *r, int tied, int64_t v,
    char out[REPORT_CELL])
{
	if (tied || r->o.district != NULL)
		report_render_rounded(r, v, out);
	else
		snprintf(out, REPORT_CELL, "%lld", (long long)v);
}

static void
json_count(struct buf *out, const struct report *r, int tied, int64_t v)
{
	if (tied || r->o.district != NULL)
		report_render_json_rounded(out, r, v);
	else
		buf_printf(out, "%lld", (long long)v);
}

/* A word's count: rounded like the rest, for a word every unanswered
 * message of a district has ("training", where there is no training
 * office) counts them exactly as its unanswered figure does. */
static void
word_cell(const struct report *r, int64_t n, char out[REPORT_CELL])
{
	report_render_rounded(r, n, out);
}

static void
outcomes_table(struct report *r, struct buf *out)
{
	struct outcomes *o = outcomes_of(r);
	struct report_table t = { 2, NULL, 0, "lr" };
	char a[REPORT_CELL], b[REPORT_CELL];
	const char *v[2];
	size_t i, k;

	outcomes_sort(r);
	buf_puts(out, "\nOutcomes (what each message came to):\n");
	if (report_breakdown_suppressing(r))
		buf_puts(out, r->o.district != NULL ? "  (rounded: <5 below 5, "
		    "else ~N, the nearest multiple of 5)\n" : "  (by district "
		    "and the words rounded: <5 below 5, else ~N, the nearest "
		    "multiple of 5)\n");
	v[0] = "outcome"; v[1] = "messages";
	report_render_row(&t, v);
	for (i = 0; i < NOUTCOMES; i++) {
		if (i == NOUTCOMES - 1 && o->n[i] == 0)
			continue;
		count_cell(r, 0, o->n[i], a);
		v[0] = outcome_names[i]; v[1] = a;
		report_render_row(&t, v);
	}
	count_cell(r, 0, o->inbound, a);
	v[0] = "TOTAL"; v[1] = a;
	report_render_row(&t, v);
	report_render_rows(&t, out, "  ");

	count_cell(r, 0, o->unanswered, a);
	count_cell(r, 0, o->inbound, b);
	buf_printf(out, "\nUnanswered (not understood, no stakeholder, "
	    "limited): %s of %s messages\n", a, b);
	for (k = 0; k < NBD; k++) {
		buf_printf(out, "  by %s:\n", bd_names[k]);
		if (o->bd[k].n == 0)
			buf_puts(out, "    (none)\n");
		for (i = 0; i < o->bd[k].n; i++) {
			count_cell(r, k == BD_DISTRICT, o->bd[k].v[i].n, a);
			v[0] = o->bd[k].v[i].name; v[1] = a;
			report_render_row(&t, v);
		}
		report_render_rows(&t, out, "    ");
	}
	if (!o->words_done)
		return;
	buf_puts(out, "  top words in unanswered messages:\n");
	for (i = 0; i < o->words.n; i++) {
		word_cell(r, o->words.v[i].n, a);
		v[0] = o->words.v[i].name; v[1] = a;
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "    ");
}

/* One rectangle: what is counted, its key, the count. */
static void
outcomes_csv(struct report *r, struct buf *out)
{
	struct outcomes *o = outcomes_of(r);
	char a[REPORT_CELL], what[32];
	const char *v[3];
	size_t i, k;

	outcomes_sort(r);
	v[0] = "table"; v[1] = "key"; v[2] = "messages";
	report_render_csv_line(out, v, 3);
	for (i = 0; i < NOUTCOMES; i++) {
		count_cell(r, 0, o->n[i], a);
		v[0] = "outcome"; v[1] = outcome_names[i]; v[2] = a;
		report_render_csv_line(out, v, 3);
	}
	count_cell(r, 0, o->unanswered, a);
	v[0] = "unanswered"; v[1] = "TOTAL"; v[2] = a;
	report_render_csv_line(out, v, 3);
	for (k = 0; k < NBD; k++) {
		snprintf(what, sizeof(what), "unanswered_by_%s", bd_names[k]);
		for (i = 0; i < o->bd[k].n; i++) {
			count_cell(r, k == BD_DISTRICT, o->bd[k].v[i].n, a);
			v[0] = what; v[1] = o->bd[k].v[i].name; v[2] = a;
			report_render_csv_line(out, v, 3);
		}
	}
	for (i = 0; i < o->words.n; i++) {
		word_cell(r, o->words.v[i].n, a);
		v[0] = "unanswered_word"; v[1] = o->words.v[i].name; v[2] = a;
		report_render_csv_line(out, v, 3);
	}
}

static void
outcomes_json(struct report *r, struct buf *out)
{
	struct outcomes *o = outcomes_of(r);
	size_t i, k;

	outcomes_sort(r);
	buf_puts(out, ",\"outcomes\":{");
	for (i = 0; i < NOUTCOMES; i++) {
		buf_printf(out, "%s\"%s\":", i > 0 ? "," : "",
		    outcome_names[i]);
		json_count(out, r, 0, o->n[i]);
	}
	buf_puts(out, "},\"unanswered\":{\"total\":");
	json_count(out, r, 0, o->unanswered);
	for (k = 0; k < NBD; k++) {
		buf_printf(out, ",\"by_%s\":[", bd_names[k]);
		for (i = 0; i < o->bd[k].n; i++) {
			buf_puts(out, i > 0 ? ",{\"key\":" : "{\"key\":");
			buf_json_string(out, o->bd[k].v[i].name);
			buf_puts(out, ",\"messages\":");
			json_count(out, r, k == BD_DISTRICT, o->bd[k].v[i].n);
			buf_putc(out, '}');
		}
		buf_putc(out, ']');
	}
	buf_puts(out, ",\"top_words\":[");
	for (i = 0; i < o->words.n; i++) {
		buf_puts(out, i > 0 ? ",{\"word\":" : "{\"word\":");
		buf_json_string(out, o->words.v[i].name);
		buf_puts(out, ",\"messages\":");
		report_render_json_rounded(out, r, o->words.v[i].n);
		buf_putc(out, '}');
	}
	buf_puts(out, "]}");
}

const struct report_section report_outcomes = {
	.name = "outcomes",
	.collect = outcomes_collect,
	.row = outcomes_row,
	.render_table = outcomes_table,
	.render_csv = outcomes_csv,
	.render_json = outcomes_json,
	.free = outcomes_free,
};
