/*
 * report_render: the three renderings of a report (see report.h).
 *
 * The table is for a terminal: columns padded by display width, so a
 * Hindi keyword or text lines up with the Latin ones, and every cell made
 * safe for the terminal (sp_term_dup), since texts come from anyone.  CSV
 * (RFC 4180, CRLF, cells by csv_put_cell) is one section per call, so that
 * it stays one rectangular table a spreadsheet can open.  JSON carries
 * everything; a suppressed count is the string "<N" where a number would
 * be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "report.h"
#include "report_int.h"
#include "suppress.h"
#include "util.h"

/* The fields of struct report_counts in column order. */
#define NCOUNTS		10
#define CELL		24
static const char *const count_names[NCOUNTS] = { "inbound", "contacts",
    "matched", "unmatched", "replies", "segments", "latency_p50_ms",
    "latency_p95_ms", "opt_ins", "opt_outs" };
#define IS_LATENCY(i)	((i) == 6 || (i) == 7)

static const char *const funnel_names[] = { "broadcast", "first_queued",
    "messages", "pending", "sent", "delivered", "failed", "rsvp_yes",
    "rsvp_no" };
#define NFUNNEL		SP_ARRAY_LEN(funnel_names)

static void
count_values(const struct report_counts *c, int64_t v[NCOUNTS])
{
	v[0] = c->inbound; v[1] = c->contacts; v[2] = c->matched;
	v[3] = c->unmatched; v[4] = c->replies; v[5] = c->segments;
	v[6] = c->latency_p50_ms; v[7] = c->latency_p95_ms;
	v[8] = c->opt_ins; v[9] = c->opt_outs;
}

/* The total is region-wide unless the report is one district's. */
static int
total_suppressed(const struct report *r)
{
	return report_suppressing(r) && r->o.district != NULL;
}

/*
 * Which count cells of the groups table (rows 0..ngroups-1, then TOTAL
 * as row ngroups) are hidden.  Small counts of a group, and of the total
 * when the report is one district's, are hidden; then every column keeps
 * at least two hidden cells or none, so that the total minus the shown
 * groups never gives a hidden one, and inbound, matched and unmatched of
 * a row are hidden together (inbound = matched + unmatched).  NULL when
 * the report does not suppress.
 */
static struct suppress *
groups_plan(const struct report *r)
{
	size_t rows = r->ngroups + 1, g, i, line[3];
	size_t *column;
	struct suppress *plan;
	int64_t v[NCOUNTS];

	if (!report_suppressing(r))
		return NULL;
	plan = suppress_new(rows * NCOUNTS);
	column = xcalloc(rows, sizeof(*column));
	for (g = 0; g < rows; g++) {
		int is_total = g == r->ngroups;

		count_values(is_total ? &r->total.c : &r->groups[g].c, v);
		for (i = 0; i < NCOUNTS; i++)
			suppress_cell(plan, g * NCOUNTS + i, v[i],
			    !IS_LATENCY(i) && (!is_total ||
			    total_suppressed(r)), is_total);
		/* matched + unmatched = inbound, hidden together. */
		line[0] = g * NCOUNTS + 2;
		line[1] = g * NCOUNTS + 3;
		line[2] = g * NCOUNTS + 0;
		suppress_line(plan, line, 3);
		suppress_tie(plan, line, 3);
	}
	for (i = 0; i < NCOUNTS; i++) {
		if (IS_LATENCY(i))
			continue;
		for (g = 0; g < rows; g++)
			column[g] = g * NCOUNTS + i;
		suppress_line(plan, column, rows);
	}
	free(column);
	suppress_run(plan, r->o.suppress_below);
	return plan;
}

/*
 * The cells of row `row` of the groups table: counts as numbers or "<N"
 * where the plan hides them, latencies as numbers or "" when there is
 * none.  suppressed[i] tells which cells were hidden.
 */
static void
count_cells(const struct report *r, const struct report_counts *c,
    const struct suppress *plan, size_t row, char cells[NCOUNTS][CELL],
    int suppressed[NCOUNTS])
{
	int64_t v[NCOUNTS];
	size_t i;

	count_values(c, v);
	for (i = 0; i < NCOUNTS; i++) {
		suppressed[i] = suppress_hidden(plan, row * NCOUNTS + i);
		if (IS_LATENCY(i) && v[i] < 0)
			cells[i][0] = '\0';
		else if (suppressed[i])
			snprintf(cells[i], CELL, "<%d", r->o.suppress_below);
		else
			snprintf(cells[i], CELL, "%lld", (long long)v[i]);
	}
}

static void
funnel_cells(const struct store_funnel *f, char cells[NFUNNEL][CELL])
{
	char when[32];

	sp_iso8601(f->created_ms, when);
	snprintf(cells[0], CELL, "%lld", (long long)f->broadcast_id);
	snprintf(cells[1], CELL, "%.16s", when);	/* to the minute */
	snprintf(cells[2], CELL, "%lld", (long long)f->messages);
	snprintf(cells[3], CELL, "%lld", (long long)f->pending);
	snprintf(cells[4], CELL, "%lld", (long long)f->sent);
	snprintf(cells[5], CELL, "%lld", (long long)f->delivered);
	snprintf(cells[6], CELL, "%lld", (long long)f->failed);
	snprintf(cells[7], CELL, "%lld", (long long)f->rsvp_yes);
	snprintf(cells[8], CELL, "%lld", (long long)f->rsvp_no);
	if (!f->has_rsvp)
		snprintf(cells[7], CELL, "-"), snprintf(cells[8], CELL, "-");
}

/* ---- aligned table ---- */

struct table {
	size_t		 ncols;
	char		**cells;	/* row-major */
	size_t		 nrows;
	const char	*align;		/* 'l' or 'r' per column */
};

static void
table_row(struct table *t, const char *const *v)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof(char *));
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = sp_term_dup(v[i]);
	t->nrows++;
}

static void
pad(struct buf *out, size_t n)
{
	while (n-- > 0)
		buf_putc(out, ' ');
}

/* Write the rows out, aligned, and empty the table. */
static void
table_emit(struct table *t, struct buf *out, const char *indent)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w)), i, j, cw;
	const char *c;

	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++) {
			cw = report_display_width(t->cells[i * t->ncols + j]);
			if (cw > w[j])
				w[j] = cw;
		}
	for (i = 0; i < t->nrows; i++) {
		buf_puts(out, indent);
		for (j = 0; j < t->ncols; j++) {
			c = t->cells[i * t->ncols + j];
			cw = report_display_width(c);
			if (j > 0)
				buf_puts(out, "  ");
			if (t->align[j] == 'r')
				pad(out, w[j] - cw);
			buf_puts(out, c);
			if (t->align[j] != 'r' && j + 1 < t->ncols)
				pad(out, w[j] - cw);
		}
		buf_putc(out, '\n');
	}
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(w);
	t->cells = NULL;
	t->nrows = 0;
}

static void
table_counts_row(struct table *t, const char *key, const char
    cells[NCOUNTS][CELL])
{
	const char *v[NCOUNTS + 1];
	size_t j;

	v[0] = key;
	for (j = 0; j < NCOUNTS; j++)
		v[j + 1] = cells[j];
	table_row(t, v);
}

void
report_render_table(struct report *r, struct buf *out)
{
	struct table t = { 0, NULL, 0, NULL };
	struct suppress *plan;
	char cells[NCOUNTS][CELL], fc[NFUNNEL][CELL], a[CELL], b[CELL];
	const char *v[NFUNNEL];
	int supp[NCOUNTS];
	size_t i, j;

	report_finish(r);
	t.ncols = NCOUNTS + 1;
	t.align = "lrrrrrrrrrr";
	v[0] = report_by_name(r->o.by);
	{
		const char *h[NCOUNTS + 1];

		h[0] = v[0];
		for (j = 0; j < NCOUNTS; j++)
			h[j + 1] = count_names[j];
		table_row(&t, h);
	}
	plan = groups_plan(r);
	for (i = 0; i < r->ngroups; i++) {
		count_cells(r, &r->groups[i].c, plan, i, cells, supp);
		table_counts_row(&t, r->groups[i].key, cells);
	}
	count_cells(r, &r->total.c, plan, r->ngroups, cells, supp);
	table_counts_row(&t, "TOTAL", cells);
	table_emit(&t, out, "");
	suppress_free(plan);
	if (report_suppressing(r))
		buf_printf(out, "(counts from 1 to %d are shown as <%d, and so "
		    "are as many others as it takes that none can be worked "
		    "out from the totals; --no-suppress shows them)\n",
		    r->o.suppress_below - 1, r->o.suppress_below);

	buf_puts(out, "\nTop unmatched texts (candidates for keywords.conf):\n");
	if (r->nunmatched == 0)
		buf_puts(out, "  (none)\n");
	t.ncols = 3;
	t.align = "rrl";
	for (i = 0; i < r->nunmatched; i++) {
		if (i == 0) {
			const char *h[] = { "count", "contacts", "text" };
			table_row(&t, h);
		}
		report_format_count(r, r->unmatched[i].n, a, sizeof(a));
		report_format_count(r, r->unmatched[i].contacts, b, sizeof(b));
		v[0] = a; v[1] = b; v[2] = r->unmatched[i].text;
		table_row(&t, v);
	}
	table_emit(&t, out, "  ");

	if (r->words_done) {
		buf_puts(out, "\nTop words in messages not understood "
		    "(candidates for lexicon.conf):\n");
		if (r->nwords == 0)
			buf_puts(out, "  (none)\n");
		t.ncols = 2;
		t.align = "rl";
		for (i = 0; i < r->nwords; i++) {
			if (i == 0) {
				const char *h[] = { "messages", "word" };
				table_row(&t, h);
			}
			report_format_count(r, r->words[i].n, a, sizeof(a));
			v[0] = a; v[1] = r->words[i].word;
			table_row(&t, v);
		}
		table_emit(&t, out, "  ");
	}

	buf_puts(out, "\nBroadcast funnels:\n");
	if (!r->funnels_available || r->nfunnels == 0)
		buf_puts(out, "  (no broadcasts in this period)\n");
	t.ncols = NFUNNEL;
	t.align = "rlrrrrrrr";
	for (i = 0; i < r->nfunnels; i++) {
		if (i == 0)
			table_row(&t, funnel_names);
		funnel_cells(&r->funnels[i], fc);
		for (j = 0; j < NFUNNEL; j++)
			v[j] = fc[j];
		table_row(&t, v);
	}
	table_emit(&t, out, "  ");

	buf_puts(out, "\nIVR drop-off (calls by the menu node they ended at):"
	    "\n");
	if (!r->ivr_available)
		buf_puts(out, "  (no call log in this database)\n");
	else if (r->nivr == 0)
		buf_puts(out, "  (no calls in this period)\n");
	t.ncols = 2;
	t.align = "lr";
	for (i = 0; i < r->nivr; i++) {
		if (i == 0) {
			const char *h[] = { "node", "calls" };
			table_row(&t, h);
		}
		snprintf(a, sizeof(a), "%lld", (long long)r->ivr[i].n);
		v[0] = r->ivr[i].name; v[1] = a;
		table_row(&t, v);
	}
	table_emit(&t, out, "  ");

	buf_puts(out, "\nOutbox now:");
	for (i = 0; i < r->noutbox; i++)
		buf_printf(out, " %s=%lld", r->outbox[i].name,
		    (long long)r->outbox[i].n);
	buf_printf(out, "%s\nContacts who opted out in this period: %lld\n",
	    r->noutbox == 0 ? " (empty)" : "", (long long)r->opted_out);
}

/* ---- CSV ---- */

static void
csv_line(struct buf *b, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		csv_put_cell(b, v[i]);
	}
	buf_puts(b, "\r\n");
}

int
report_render_csv(struct report *r, const char *section, struct buf *out)
{
	struct suppress *plan;
	char cells[NCOUNTS][CELL], fc[NFUNNEL][CELL], a[CELL], b[CELL];
	const char *v[NCOUNTS + 1];
	int supp[NCOUNTS];
	size_t i, j;

	report_finish(r);
	if (section == NULL || strcmp(section, "groups") == 0) {
		v[0] = report_by_name(r->o.by);
		for (j = 0; j < NCOUNTS; j++)
			v[j + 1] = count_names[j];
		csv_line(out, v, NCOUNTS + 1);
		plan = groups_plan(r);
		for (i = 0; i < r->ngroups; i++) {
			count_cells(r, &r->groups[i].c, plan, i, cells, supp);
			v[0] = r->groups[i].key;
			for (j = 0; j < NCOUNTS; j++)
				v[j + 1] = cells[j];
			csv_line(out, v, NCOUNTS + 1);
		}
		suppress_free(plan);
	} else if (strcmp(section, "unmatched") == 0 && r->words_done) {
		/* The words to add to the lexicon, not whole texts. */
		v[0] = "word"; v[1] = "messages";
		csv_line(out, v, 2);
		for (i = 0; i < r->nwords; i++) {
			report_format_count(r, r->words[i].n, a, sizeof(a));
			v[0] = r->words[i].word; v[1] = a;
			csv_line(out, v, 2);
		}
	} else if (strcmp(section, "unmatched") == 0) {
		v[0] = "text"; v[1] = "count"; v[2] = "contacts";
		csv_line(out, v, 3);
		for (i = 0; i < r->nunmatched; i++) {
			report_format_count(r, r->unmatched[i].n, a, sizeof(a));
			report_format_count(r, r->unmatched[i].contacts, b,
			    sizeof(b));
			v[0] = r->unmatched[i].text; v[1] = a; v[2] = b;
			csv_line(out, v, 3);
		}
	} else if (strcmp(section, "funnels") == 0) {
		csv_line(out, funnel_names, NFUNNEL);
		for (i = 0; i < r->nfunnels; i++) {
			funnel_cells(&r->funnels[i], fc);
			for (j = 0; j < NFUNNEL; j++)
				v[j] = strcmp(fc[j], "-") == 0 ? "" : fc[j];
			csv_line(out, v, NFUNNEL);
		}
	} else if (strcmp(section, "ivr") == 0) {
		v[0] = "node"; v[1] = "calls";
		csv_line(out, v, 2);
		for (i = 0; i < r->nivr; i++) {
			snprintf(a, sizeof(a), "%lld", (long long)r->ivr[i].n);
			v[0] = r->ivr[i].name; v[1] = a;
			csv_line(out, v, 2);
		}
	} else
		return -1;
	return 0;
}

/* ---- JSON ---- */

static void
json_str(struct buf *b, const char *s)
{
	if (s == NULL) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	buf_json_escape(b, s);
	buf_putc(b, '"');
}

/* A number, or the suppressed string "<N". */
static void
json_count(struct buf *b, const struct report *r, int64_t n, int suppress)
{
	char c[CELL];

	if (suppress) {
		report_format_count(r, n, c, sizeof(c));
		if (c[0] == '<') {
			json_str(b, c);
			return;
		}
	}
	buf_printf(b, "%lld", (long long)n);
}

static void
json_counts(struct buf *b, const struct report *r, const char *key,
    const struct report_counts *c, const struct suppress *plan, size_t row)
{
	char cells[NCOUNTS][CELL];
	int supp[NCOUNTS];
	size_t i;

	count_cells(r, c, plan, row, cells, supp);
	buf_puts(b, "{\"key\":");
	json_str(b, key);
	for (i = 0; i < NCOUNTS; i++) {
		buf_printf(b, ",\"%s\":", count_names[i]);
		if (supp[i])
			json_str(b, cells[i]);
		else if (cells[i][0] == '\0')
			buf_puts(b, "null");
		else
			buf_puts(b, cells[i]);
	}
	buf_putc(b, '}');
}

static void
json_time(struct buf *b, int64_t ms)
{
	char t[32];

	if (ms == 0) {
		buf_puts(b, "null");
		return;
	}
	sp_iso8601(ms, t);
	json_str(b, t);
}

void
report_render_json(struct report *r, struct buf *out)
{
	struct suppress *plan;
	int supp = report_suppressing(r);
	size_t i;

	report_finish(r);
	buf_printf(out, "{\"by\":\"%s\",\"since\":", report_by_name(r->o.by));
	json_time(out, r->o.since_ms);
	buf_puts(out, ",\"until\":");
	json_time(out, r->o.until_ms);
	buf_puts(out, ",\"district\":");
	json_str(out, r->o.district);
	buf_puts(out, ",\"channel\":");
	json_str(out, r->o.channel);
	buf_printf(out, ",\"utc_offset_minutes\":%d,\"suppress_below\":%d,"
	    "\"suppressed\":%s,\"groups\":[", r->o.utc_offset_min,
	    r->o.suppress_below, supp ? "true" : "false");
	plan = groups_plan(r);
	for (i = 0; i < r->ngroups; i++) {
		if (i > 0)
			buf_putc(out, ',');
		json_counts(out, r, r->groups[i].key, &r->groups[i].c, plan,
		    i);
	}
	buf_puts(out, "],\"total\":");
	json_counts(out, r, "TOTAL", &r->total.c, plan, r->ngroups);
	suppress_free(plan);
	buf_puts(out, ",\"top_unmatched\":[");
	for (i = 0; i < r->nunmatched; i++) {
		buf_puts(out, i > 0 ? ",{\"text\":" : "{\"text\":");
		json_str(out, r->unmatched[i].text);
		buf_puts(out, ",\"count\":");
		json_count(out, r, r->unmatched[i].n, supp);
		buf_puts(out, ",\"contacts\":");
		json_count(out, r, r->unmatched[i].contacts, supp);
		buf_putc(out, '}');
	}
	if (r->words_done) {
		buf_puts(out, "],\"top_unmatched_words\":[");
		for (i = 0; i < r->nwords; i++) {
			buf_puts(out, i > 0 ? ",{\"word\":" : "{\"word\":");
			json_str(out, r->words[i].word);
			buf_puts(out, ",\"messages\":");
			json_count(out, r, r->words[i].n, supp);
			buf_putc(out, '}');
		}
	}
	buf_puts(out, "],\"funnels\":");
	if (!r->funnels_available)
		buf_puts(out, "[]");
	else {
		buf_putc(out, '[');
		for (i = 0; i < r->nfunnels; i++) {
			const struct store_funnel *f = &r->funnels[i];

			buf_printf(out, "%s{\"broadcast\":%lld,\"first_queued\":",
			    i > 0 ? "," : "", (long long)f->broadcast_id);
			json_time(out, f->created_ms);
			buf_printf(out, ",\"messages\":%lld,\"pending\":%lld,"
			    "\"sent\":%lld,\"delivered\":%lld,\"failed\":%lld",
			    (long long)f->messages, (long long)f->pending,
			    (long long)f->sent, (long long)f->delivered,
			    (long long)f->failed);
			if (f->has_rsvp)
				buf_printf(out, ",\"rsvp_yes\":%lld,"
				    "\"rsvp_no\":%lld}", (long long)f->rsvp_yes,
				    (long long)f->rsvp_no);
			else
				buf_puts(out, ",\"rsvp_yes\":null,"
				    "\"rsvp_no\":null}");
		}
		buf_putc(out, ']');
	}
	buf_puts(out, ",\"ivr\":");
	if (!r->ivr_available)
		buf_puts(out, "null");
	else {
		buf_putc(out, '[');
		for (i = 0; i < r->nivr; i++) {
			buf_puts(out, i > 0 ? ",{\"node\":" : "{\"node\":");
			json_str(out, r->ivr[i].name);
			buf_printf(out, ",\"calls\":%lld}",
			    (long long)r->ivr[i].n);
		}
		buf_putc(out, ']');
	}
	buf_puts(out, ",\"outbox\":{");
	for (i = 0; i < r->noutbox; i++) {
		if (i > 0)
			buf_putc(out, ',');
		json_str(out, r->outbox[i].name);
		buf_printf(out, ":%lld", (long long)r->outbox[i].n);
	}
	buf_printf(out, "},\"opted_out_contacts\":%lld}\n",
	    (long long)r->opted_out);
}
