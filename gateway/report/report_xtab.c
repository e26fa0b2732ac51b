/*
 * report_xtab: inbound queries counted by two dimensions at once (see
 * report.h), for the dashboard's chart and table.
 *
 * Rows and columns are found by a linear scan (the last one used first):
 * days, weeks, districts and keywords number in the tens or hundreds.  The
 * cells are one dense matrix, rows x allocated columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "suppress.h"
#include "util.h"

struct axis {
	enum report_by	 by;
	char		**keys;
	int64_t		*totals;
	size_t		 n;
	size_t		 last;
	size_t		*order;		/* render order, set at render */
};

struct report_xtab {
	struct report_options	 o;
	char			*district;
	struct axis		 rows, cols;
	int64_t			*cells;		/* rows.n x capcols */
	size_t			 capcols;
	int64_t			 total;
};

struct report_xtab *
report_xtab_new(enum report_by rows, enum report_by cols,
    const struct report_options *opts)
{
	struct report_xtab *x = xcalloc(1, sizeof(*x));

	x->o = *opts;
	x->o.channel = NULL;
	if (opts->district != NULL)
		x->o.district = x->district = xstrdup(opts->district);
	x->rows.by = rows;
	x->cols.by = cols;
	return x;
}

static void
axis_clear(struct axis *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->keys[i]);
	free(a->keys);
	free(a->totals);
	free(a->order);
}

void
report_xtab_free(struct report_xtab *x)
{
	if (x == NULL)
		return;
	axis_clear(&x->rows);
	axis_clear(&x->cols);
	free(x->cells);
	free(x->district);
	free(x);
}

/* Index of key on the axis, or -1. */
static long
axis_find(struct axis *a, const char *key)
{
	size_t i;

	if (a->n > 0 && strcmp(a->keys[a->last], key) == 0)
		return (long)a->last;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->keys[i], key) == 0) {
			a->last = i;
			return (long)i;
		}
	return -1;
}

static size_t
axis_add(struct axis *a, const char *key)
{
	a->keys = xreallocarray(a->keys, a->n + 1, sizeof(*a->keys));
	a->totals = xreallocarray(a->totals, a->n + 1, sizeof(*a->totals));
	a->keys[a->n] = xstrdup(key);
	a->totals[a->n] = 0;
	a->last = a->n;
	return a->n++;
}

static size_t
row_index(struct report_xtab *x, const char *key)
{
	long i = axis_find(&x->rows, key);
	size_t r;

	if (i >= 0)
		return (size_t)i;
	if (x->rows.n >= REPORT_XTAB_MAX &&
	    (i = axis_find(&x->rows, "(other)")) >= 0)
		return (size_t)i;
	r = axis_add(&x->rows, x->rows.n >= REPORT_XTAB_MAX ? "(other)" : key);
	x->cells = xreallocarray(x->cells, x->rows.n * (x->capcols ?
	    x->capcols : 1), sizeof(*x->cells));
	if (x->capcols > 0)
		memset(&x->cells[r * x->capcols], 0, x->capcols *
		    sizeof(*x->cells));
	return r;
}

static size_t
col_index(struct report_xtab *x, const char *key)
{
	long i = axis_find(&x->cols, key);
	size_t c, r, cap;
	int64_t *cells;

	if (i >= 0)
		return (size_t)i;
	if (x->cols.n >= REPORT_XTAB_MAX &&
	    (i = axis_find(&x->cols, "(other)")) >= 0)
		return (size_t)i;
	c = axis_add(&x->cols, x->cols.n >= REPORT_XTAB_MAX ? "(other)" : key);
	if (x->cols.n > x->capcols) {
		/* Re-lay the matrix with room for more columns. */
		cap = x->capcols ? x->capcols * 2 : 16;
		cells = xcalloc(x->rows.n ? x->rows.n : 1, cap * sizeof(*cells));
		for (r = 0; r < x->rows.n; r++)
			memcpy(&cells[r * cap], &x->cells[r * x->capcols],
			    x->capcols * sizeof(*cells));
		free(x->cells);
		x->cells = cells;
		x->capcols = cap;
	}
	return c;
}

int
report_xtab_add_row(void *arg, const struct interaction *row)
{
	struct report_xtab *x = arg;
	char t1[16], t2[16];
	size_t r, c;

	if (row->direction == NULL || strcmp(row->direction, "in") != 0)
		return 0;
	/* Column first: it may re-lay the matrix for the existing rows. */
	c = col_index(x, report_row_key(x->cols.by, x->o.utc_offset_min, row,
	    t2));
	r = row_index(x, report_row_key(x->rows.by, x->o.utc_offset_min, row,
	    t1));
	x->cells[r * x->capcols + c]++;
	x->rows.totals[r]++;
	x->cols.totals[c]++;
	x->total++;
	return 0;
}

int64_t
report_xtab_get(const struct report_xtab *x, const char *row, const char *col)
{
	size_t r, c;

	for (r = 0; r < x->rows.n; r++)
		if (strcmp(x->rows.keys[r], row) == 0)
			break;
	for (c = 0; c < x->cols.n; c++)
		if (strcmp(x->cols.keys[c], col) == 0)
			break;
	if (r == x->rows.n || c == x->cols.n)
		return -1;
	return x->cells[r * x->capcols + c];
}

static int
suppressing(const struct report_xtab *x)
{
	if (x->o.no_suppress || x->o.suppress_below <= 1)
		return 0;
	return x->rows.by == REPORT_BY_DISTRICT || x->rows.by ==
	    REPORT_BY_WEEK || x->cols.by == REPORT_BY_DISTRICT ||
	    x->cols.by == REPORT_BY_WEEK || x->o.district != NULL;
}

/*
 * The grid as a suppression plan: cells r * cols + c, then the row totals,
 * the column totals and the grand total; each row and each column is a
 * line with its total, and so are the row totals and the column totals
 * with the grand total.  The grand total is a small count to hide only
 * when the grid is one district's (as in report.h).  NULL when the grid
 * does not suppress.
 */
static struct suppress *
grid_plan(const struct report_xtab *x)
{
	size_t R = x->rows.n, C = x->cols.n, i, j;
	size_t rt = R * C, ct = rt + R, gt = ct + C;
	size_t *line = xcalloc((R > C ? R : C) + 1, sizeof(*line));
	struct suppress *plan;

	if (!suppressing(x)) {
		free(line);
		return NULL;
	}
	plan = suppress_new(gt + 1);
	for (i = 0; i < R; i++)
		for (j = 0; j < C; j++)
			suppress_cell(plan, i * C + j,
			    x->cells[i * x->capcols + j], 1, 0);
	for (i = 0; i < R; i++)
		suppress_cell(plan, rt + i, x->rows.totals[i], 1, 1);
	for (j = 0; j < C; j++)
		suppress_cell(plan, ct + j, x->cols.totals[j], 1, 1);
	suppress_cell(plan, gt, x->total, x->o.district != NULL, 1);
	for (i = 0; i < R; i++) {
		for (j = 0; j < C; j++)
			line[j] = i * C + j;
		line[C] = rt + i;
		suppress_line(plan, line, C + 1);
	}
	for (j = 0; j < C; j++) {
		for (i = 0; i < R; i++)
			line[i] = i * C + j;
		line[R] = ct + j;
		suppress_line(plan, line, R + 1);
	}
	for (i = 0; i < R; i++)
		line[i] = rt + i;
	line[R] = gt;
	suppress_line(plan, line, R + 1);
	for (j = 0; j < C; j++)
		line[j] = ct + j;
	line[C] = gt;
	suppress_line(plan, line, C + 1);
	free(line);
	suppress_run(plan, x->o.suppress_below);
	return plan;
}

static void
put_count(const struct report_xtab *x, const struct suppress *plan,
    size_t cell, struct buf *out, int64_t n)
{
	if (suppress_hidden(plan, cell))
		buf_printf(out, "\"<%d\"", x->o.suppress_below);
	else
		buf_printf(out, "%lld", (long long)n);
}

/* An axis entry while sorting: qsort has no context argument. */
struct ord {
	const char	*key;
	int64_t		 total;
	size_t		 idx;
};

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct ord *)a)->key,
	    ((const struct ord *)b)->key);
}

/* Most queries first, ties by name. */
static int
cmp_total(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Time in order, anything else by volume. */
static void
axis_sort(struct axis *a)
{
	struct ord *v = xcalloc(a->n ? a->n : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < a->n; i++) {
		v[i].key = a->keys[i];
		v[i].total = a->totals[i];
		v[i].idx = i;
	}
	if (a->n > 0)
		qsort(v, a->n, sizeof(*v), a->by == REPORT_BY_DAY ||
		    a->by == REPORT_BY_WEEK ? cmp_key : cmp_total);
	free(a->order);
	a->order = xcalloc(a->n ? a->n : 1, sizeof(*a->order));
	for (i = 0; i < a->n; i++)
		a->order[i] = v[i].idx;
	free(v);
}

static void
put_keys(struct buf *out, const struct axis *a)
{
	size_t i;

	buf_putc(out, '[');
	for (i = 0; i < a->n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		buf_json_string(out, a->keys[a->order[i]]);
	}
	buf_putc(out, ']');
}

void
report_xtab_render_json(struct report_xtab *x, struct buf *out)
{
	size_t R = x->rows.n, C = x->cols.n, i, j, r, c;
	struct suppress *plan = grid_plan(x);

	axis_sort(&x->rows);
	axis_sort(&x->cols);
	buf_printf(out, "{\"rows_by\":\"%s\",\"cols_by\":\"%s\",\"rows\":",
	    report_by_name(x->rows.by), report_by_name(x->cols.by));
	put_keys(out, &x->rows);
	buf_puts(out, ",\"cols\":");
	put_keys(out, &x->cols);
	buf_puts(out, ",\"cells\":[");
	for (i = 0; i < x->rows.n; i++) {
		buf_puts(out, i > 0 ? ",[" : "[");
		for (j = 0; j < x->cols.n; j++) {
			if (j > 0)
				buf_putc(out, ',');
			r = x->rows.order[i];
			c = x->cols.order[j];
			put_count(x, plan, r * C + c, out,
			    x->cells[r * x->capcols + c]);
		}
		buf_putc(out, ']');
	}
	buf_puts(out, "],\"row_totals\":[");
	for (i = 0; i < x->rows.n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		put_count(x, plan, R * C + x->rows.order[i], out,
		    x->rows.totals[x->rows.order[i]]);
	}
	buf_puts(out, "],\"col_totals\":[");
	for (j = 0; j < x->cols.n; j++) {
		if (j > 0)
			buf_putc(out, ',');
		put_count(x, plan, R * C + R + x->cols.order[j], out,
		    x->cols.totals[x->cols.order[j]]);
	}
	buf_puts(out, "],\"total\":");
	put_count(x, plan, R * C + R + C, out, x->total);
	suppress_free(plan);
	buf_printf(out, ",\"suppress_below\":%d,\"suppressed\":%s}\n",
	    x->o.suppress_below, suppressing(x) ? "true" : "false");
}
