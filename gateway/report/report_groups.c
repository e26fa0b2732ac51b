/*
 * report_groups: the report's first section, the figures per group and
 * their total (aggregated by report.c from the rows store_export()
 * streams), with small-cell suppression.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "suppress.h"
#include "util.h"

/* The fields of struct report_counts in column order. */
#define NCOUNTS		REPORT_NCOUNTS
static const char *const count_names[NCOUNTS] = { "inbound", "contacts",
    "matched", "unmatched", "replies", "segments", "latency_p50_ms",
    "latency_p95_ms", "opt_ins", "opt_outs" };
#define IS_LATENCY(i)	((i) == 6 || (i) == 7)

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
 * What another view decided for cell i of row g (g == ngroups: TOTAL):
 * 1 hidden, 0 shown, -1 this table decides.  The region's total is in
 * every view without a district, unsuppressed, so it is shown here too;
 * a district's figures are the canon's (report_int.h).
 */
static int
fixed_cell(const struct report *r, size_t g, size_t i)
{
	const char *key;

	if (IS_LATENCY(i))
		return -1;
	if (g == r->ngroups)
		return r->o.district == NULL ? 0 :
		    report_canon_fix_count(r->canon, r->o.district, i);
	key = r->groups[g].key;
	if (r->o.by == REPORT_BY_DISTRICT)
		return report_canon_fix_count(r->canon, key, i);
	if (i != 0)
		return -1;
	return report_canon_fix(r->canon, r->o.district, 1, &r->o.by, &key);
}

/*
 * Which count cells of the groups table (rows 0..ngroups-1, then TOTAL
 * as row ngroups) are hidden.  Small counts of a group, and of the total
 * when the report is one district's, are hidden; then every column keeps
 * at least two hidden cells or none, so that the total minus the shown
 * groups never gives a hidden one, and inbound, matched and unmatched of
 * a row are hidden together (inbound = matched + unmatched).  Figures
 * that other views publish too are fixed as those decided (fixed_cell).
 * NULL when the report does not suppress.
 */
struct suppress *
report_groups_plan(const struct report *r)
{
	size_t rows = r->ngroups + 1, g, i, line[3];
	size_t *column;
	struct suppress *plan;
	int64_t v[NCOUNTS];
	int fix;

	if (!report_suppressing(r))
		return NULL;
	plan = suppress_new(rows * NCOUNTS);
	column = xcalloc(rows, sizeof(*column));
	for (g = 0; g < rows; g++) {
		int is_total = g == r->ngroups;

		count_values(is_total ? &r->total.c : &r->groups[g].c, v);
		for (i = 0; i < NCOUNTS; i++) {
			suppress_cell(plan, g * NCOUNTS + i, v[i],
			    !IS_LATENCY(i) && (!is_total ||
			    total_suppressed(r)), is_total);
			if ((fix = fixed_cell(r, g, i)) != -1)
				suppress_fix(plan, g * NCOUNTS + i, fix);
		}
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
    const struct suppress *plan, size_t row, char cells[NCOUNTS][REPORT_CELL],
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
			snprintf(cells[i], REPORT_CELL, "<%d",
			    r->o.suppress_below);
		else
			snprintf(cells[i], REPORT_CELL, "%lld",
			    (long long)v[i]);
	}
}

static void
header_line(const struct report *r, const char *v[NCOUNTS + 1])
{
	size_t i;

	v[0] = report_by_name(r->o.by);
	for (i = 0; i < NCOUNTS; i++)
		v[i + 1] = count_names[i];
}

/* Row g of the table (g == ngroups: TOTAL) as a line of cells. */
static void
group_line(const struct report *r, const struct suppress *plan, size_t g,
    char cells[NCOUNTS][REPORT_CELL], const char *v[NCOUNTS + 1])
{
	int supp[NCOUNTS];
	size_t i;

	count_cells(r, g < r->ngroups ? &r->groups[g].c : &r->total.c, plan,
	    g, cells, supp);
	v[0] = g < r->ngroups ? r->groups[g].key : "TOTAL";
	for (i = 0; i < NCOUNTS; i++)
		v[i + 1] = cells[i];
}

static void
groups_table(struct report *r, struct buf *out)
{
	struct report_table t = { NCOUNTS + 1, NULL, 0, "lrrrrrrrrrr" };
	char cells[NCOUNTS][REPORT_CELL];
	const char *v[NCOUNTS + 1];
	struct suppress *plan = report_groups_plan(r);
	size_t g;

	header_line(r, v);
	report_render_row(&t, v);
	for (g = 0; g <= r->ngroups; g++) {
		group_line(r, plan, g, cells, v);
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "");
	suppress_free(plan);
	if (report_suppressing(r))
		buf_printf(out, "(counts from 1 to %d are shown as <%d, and so "
		    "are as many others as it takes that none can be worked "
		    "out from the totals; --no-suppress shows them)\n",
		    r->o.suppress_below - 1, r->o.suppress_below);
}

/* The groups without their total: a spreadsheet adds it up. */
static void
groups_csv(struct report *r, struct buf *out)
{
	char cells[NCOUNTS][REPORT_CELL];
	const char *v[NCOUNTS + 1];
	struct suppress *plan = report_groups_plan(r);
	size_t g;

	header_line(r, v);
	report_render_csv_line(out, v, NCOUNTS + 1);
	for (g = 0; g < r->ngroups; g++) {
		group_line(r, plan, g, cells, v);
		report_render_csv_line(out, v, NCOUNTS + 1);
	}
	suppress_free(plan);
}

static void
json_counts(struct buf *b, const struct report *r, const char *key,
    const struct report_counts *c, const struct suppress *plan, size_t row)
{
	char cells[NCOUNTS][REPORT_CELL];
	int supp[NCOUNTS];
	size_t i;

	count_cells(r, c, plan, row, cells, supp);
	buf_puts(b, "{\"key\":");
	buf_json_string(b, key);
	for (i = 0; i < NCOUNTS; i++) {
		buf_printf(b, ",\"%s\":", count_names[i]);
		if (supp[i])
			buf_json_string(b, cells[i]);
		else if (cells[i][0] == '\0')
			buf_puts(b, "null");
		else
			buf_puts(b, cells[i]);
	}
	buf_putc(b, '}');
}

static void
groups_json(struct report *r, struct buf *out)
{
	struct suppress *plan = report_groups_plan(r);
	size_t i;

	buf_puts(out, ",\"groups\":[");
	for (i = 0; i < r->ngroups; i++) {
		if (i > 0)
			buf_putc(out, ',');
		json_counts(out, r, r->groups[i].key, &r->groups[i].c, plan,
		    i);
	}
	buf_puts(out, "],\"total\":");
	json_counts(out, r, "TOTAL", &r->total.c, plan, r->ngroups);
	suppress_free(plan);
}

static int
groups_row(struct report *r, const struct interaction *row)
{
	if (r->o.district != NULL && (row->district == NULL ||
	    strcmp(row->district, r->o.district) != 0))
		return 0;
	return report_add_row(r, row);
}

const struct report_section report_groups = {
	.name = "groups",
	.row = groups_row,
	.render_table = groups_table,
	.render_csv = groups_csv,
	.render_json = groups_json,
	.free = NULL,
};
