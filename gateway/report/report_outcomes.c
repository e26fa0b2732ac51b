/*
 * report_outcomes: what the inbound messages came to (handler.h's
 * outcomes), and the headline a coalition asks for first: what went
 * unanswered (not understood, no stakeholder, limited), by district, by
 * category and by week, with the words that come up most in it.
 *
 * The section's tables share one suppression plan: the outcomes add up
 * to the messages, the three unanswered outcomes to the unanswered total,
 * and so do its districts, its categories and its weeks; a cell hidden in
 * one cannot be worked out from another.  They are always suppressed
 * (they break down by district and week) unless the report shows every
 * count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"
#include "records.h"
#include "report.h"
#include "report_int.h"
#include "store.h"
#include "suppress.h"
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
	struct suppress		*plan;		/* made once, when shown */
	int			 planned;
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
	suppress_free(o->plan);
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

static int
on_row(void *arg, const struct interaction *row)
{
	report_outcomes_add_row(arg, row);
	return 0;
}

static int
outcomes_collect(struct report *r, const struct report_source *src)
{
	struct outcomes *o = outcomes_of(r);

	if (store_export(src->store, &src->filter, on_row, r) == -1)
		return -1;
	report_tally_sort(&o->words, 1, src->top);
	return 0;
}

/*
 * Cells: the outcomes, then the messages (their total), the unanswered
 * total, then each breakdown's keys in order.
 */
#define CELL_INBOUND		NOUTCOMES
#define CELL_UNANSWERED		(NOUTCOMES + 1)
#define CELL_BD0		(NOUTCOMES + 2)

static size_t
bd_first_cell(const struct outcomes *o, size_t bd)
{
	size_t c = CELL_BD0, i;

	for (i = 0; i < bd; i++)
		c += o->bd[i].n;
	return c;
}

static const struct suppress *
outcomes_plan(struct report *r)
{
	struct outcomes *o = outcomes_of(r);
	size_t ncells, i, b, *line, c0;
	size_t un[4];

	if (o->planned)
		return o->plan;
	o->planned = 1;
	/* Districts and weeks in order, categories most first. */
	for (b = 0; b < NBD; b++)
		report_tally_sort(&o->bd[b], b == BD_CATEGORY, 0);
	if (o->words.n > 1 && o->words.v[0].n < o->words.v[1].n)
		report_tally_sort(&o->words, 1, 0);
	ncells = bd_first_cell(o, NBD);
	if (!report_breakdown_suppressing(r))
		return NULL;
	o->plan = suppress_new(ncells);
	line = xcalloc(ncells, sizeof(*line));
	for (i = 0; i < NOUTCOMES; i++) {
		suppress_cell(o->plan, i, o->n[i], 1, 0);
		line[i] = i;
	}
	/* The whole region's messages are no small cell, unless the rows
	 * are one district's. */
	suppress_cell(o->plan, CELL_INBOUND, o->inbound, r->o.district != NULL,
	    1);
	line[NOUTCOMES] = CELL_INBOUND;
	suppress_line(o->plan, line, NOUTCOMES + 1);
	suppress_cell(o->plan, CELL_UNANSWERED, o->unanswered, 1, 1);
	un[0] = 1;	/* no_stakeholder */
	un[1] = 4;	/* not_understood */
	un[2] = 5;	/* limited */
	un[3] = CELL_UNANSWERED;
	suppress_line(o->plan, un, 4);
	for (b = 0; b < NBD; b++) {
		c0 = bd_first_cell(o, b);
		for (i = 0; i < o->bd[b].n; i++) {
			suppress_cell(o->plan, c0 + i, o->bd[b].v[i].n, 1, 0);
			line[i] = c0 + i;
		}
		line[o->bd[b].n] = CELL_UNANSWERED;
		suppress_line(o->plan, line, o->bd[b].n + 1);
	}
	free(line);
	suppress_run(o->plan, r->o.suppress_below);
	return o->plan;
}

/* A word's count: hidden when small, like any count of messages. */
static void
word_cell(const struct report *r, int64_t n, char out[REPORT_CELL])
{
	if (report_breakdown_suppressing(r) && n > 0 &&
	    n < r->o.suppress_below)
		snprintf(out, REPORT_CELL, "<%d", r->o.suppress_below);
	else
		snprintf(out, REPORT_CELL, "%lld", (long long)n);
}

static void
outcomes_table(struct report *r, struct buf *out)
{
	struct outcomes *o = outcomes_of(r);
	const struct suppress *plan = outcomes_plan(r);
	struct report_table t = { 2, NULL, 0, "lr" };
	char a[REPORT_CELL], b[REPORT_CELL];
	const char *v[2];
	size_t i, k, c0;

	buf_puts(out, "\nOutcomes (what each message came to):\n");
	v[0] = "outcome"; v[1] = "messages";
	report_render_row(&t, v);
	for (i = 0; i < NOUTCOMES; i++) {
		if (i == NOUTCOMES - 1 && o->n[i] == 0)
			continue;
		report_render_cell(r, plan, i, o->n[i], a);
		v[0] = outcome_names[i]; v[1] = a;
		report_render_row(&t, v);
	}
	report_render_cell(r, plan, CELL_INBOUND, o->inbound, a);
	v[0] = "TOTAL"; v[1] = a;
	report_render_row(&t, v);
	report_render_rows(&t, out, "  ");

	report_render_cell(r, plan, CELL_UNANSWERED, o->unanswered, a);
	report_render_cell(r, plan, CELL_INBOUND, o->inbound, b);
	buf_printf(out, "\nUnanswered (not understood, no stakeholder, "
	    "limited): %s of %s messages\n", a, b);
	for (k = 0; k < NBD; k++) {
		c0 = bd_first_cell(o, k);
		buf_printf(out, "  by %s:\n", bd_names[k]);
		if (o->bd[k].n == 0)
			buf_puts(out, "    (none)\n");
		for (i = 0; i < o->bd[k].n; i++) {
			report_render_cell(r, plan, c0 + i, o->bd[k].v[i].n, a);
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
	const struct suppress *plan = outcomes_plan(r);
	char a[REPORT_CELL], what[32];
	const char *v[3];
	size_t i, k, c0;

	v[0] = "table"; v[1] = "key"; v[2] = "messages";
	report_render_csv_line(out, v, 3);
	for (i = 0; i < NOUTCOMES; i++) {
		report_render_cell(r, plan, i, o->n[i], a);
		v[0] = "outcome"; v[1] = outcome_names[i]; v[2] = a;
		report_render_csv_line(out, v, 3);
	}
	report_render_cell(r, plan, CELL_UNANSWERED, o->unanswered, a);
	v[0] = "unanswered"; v[1] = "TOTAL"; v[2] = a;
	report_render_csv_line(out, v, 3);
	for (k = 0; k < NBD; k++) {
		c0 = bd_first_cell(o, k);
		snprintf(what, sizeof(what), "unanswered_by_%s", bd_names[k]);
		for (i = 0; i < o->bd[k].n; i++) {
			report_render_cell(r, plan, c0 + i, o->bd[k].v[i].n, a);
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
	const struct suppress *plan = outcomes_plan(r);
	char a[REPORT_CELL];
	size_t i, k, c0;

	buf_puts(out, ",\"outcomes\":{");
	for (i = 0; i < NOUTCOMES; i++) {
		buf_printf(out, "%s\"%s\":", i > 0 ? "," : "",
		    outcome_names[i]);
		report_render_json_cell(out, r, plan, i, o->n[i]);
	}
	buf_puts(out, "},\"unanswered\":{\"total\":");
	report_render_json_cell(out, r, plan, CELL_UNANSWERED, o->unanswered);
	for (k = 0; k < NBD; k++) {
		c0 = bd_first_cell(o, k);
		buf_printf(out, ",\"by_%s\":[", bd_names[k]);
		for (i = 0; i < o->bd[k].n; i++) {
			buf_puts(out, i > 0 ? ",{\"key\":" : "{\"key\":");
			buf_json_string(out, o->bd[k].v[i].name);
			buf_puts(out, ",\"messages\":");
			report_render_json_cell(out, r, plan, c0 + i,
			    o->bd[k].v[i].n);
			buf_putc(out, '}');
		}
		buf_putc(out, ']');
	}
	buf_puts(out, ",\"top_words\":[");
	for (i = 0; i < o->words.n; i++) {
		word_cell(r, o->words.v[i].n, a);
		buf_puts(out, i > 0 ? ",{\"word\":" : "{\"word\":");
		buf_json_string(out, o->words.v[i].name);
		buf_puts(out, ",\"messages\":");
		if (a[0] == '<')
			buf_json_string(out, a);
		else
			buf_puts(out, a);
		buf_putc(out, '}');
	}
	buf_puts(out, "]}");
}

const struct report_section report_outcomes = {
	.name = "outcomes",
	.collect = outcomes_collect,
	.render_table = outcomes_table,
	.render_csv = outcomes_csv,
	.render_json = outcomes_json,
	.free = outcomes_free,
};
