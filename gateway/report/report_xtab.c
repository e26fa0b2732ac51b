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
#include "store.h"
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
	struct report_canon	*canon;		/* NULL: decides alone */
	int			 canon_owned;
	struct suppress		*plan;		/* decided once */
	int			 planned;
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
	suppress_free(x->plan);
	if (x->canon_owned)
		report_canon_free(x->canon);
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

/* Where the cell (row key, column key) is: 0, or -1 if there is none. */
static int
locate(const struct report_xtab *x, const char *row, const char *col,
    size_t *r, size_t *c)
{
	for (*r = 0; *r < x->rows.n; (*r)++)
		if (strcmp(x->rows.keys[*r], row) == 0)
			break;
	for (*c = 0; *c < x->cols.n; (*c)++)
		if (strcmp(x->cols.keys[*c], col) == 0)
			break;
	return *r == x->rows.n || *c == x->cols.n ? -1 : 0;
}

int64_t
report_xtab_get(const struct report_xtab *x, const char *row, const char *col)
{
	size_t r, c;

	if (locate(x, row, col, &r, &c) == -1)
		return -1;
	return x->cells[r * x->capcols + c];
}

static int
suppressing(const struct report_xtab *x)
{
	if (x->o.no_suppress || x->o.suppress_below <= 1)
		return 0;
	/* Weeks alone, as in the report, are the sum of public days. */
	return x->rows.by == REPORT_BY_DISTRICT ||
	    x->cols.by == REPORT_BY_DISTRICT || x->o.district != NULL;
}

void
report_xtab_set_canon(struct report_xtab *x, struct report_canon *c,
    int owned)
{
	if (x->canon_owned)
		report_canon_free(x->canon);
	x->canon = c;
	x->canon_owned = owned;
}

/*
 * The plan's index of cell (r, c), of a row total (c == NONE), a column
 * total (r == NONE) or the grand total (both).  The grid is laid out the
 * same way whichever dimension is asked for as rows (the one first in
 * enum report_by is the plan's first axis), so that a crosstab and its
 * transpose hide the same cells: two different answers to one question
 * would give each other away.
 */
#define NONE	((size_t)-1)
static size_t
plan_index(const struct report_xtab *x, size_t r, size_t c)
{
	size_t R = x->rows.n, C = x->cols.n;
	int flip = x->cols.by < x->rows.by;
	size_t a = flip ? c : r, b = flip ? r : c, A = flip ? C : R,
	    B = flip ? R : C;

	if (a != NONE && b != NONE)
		return a * B + b;
	if (b == NONE && a != NONE)
		return A * B + a;
	if (a == NONE && b != NONE)
		return A * B + A + b;
	return A * B + A + B;
}

/* What the canon decided for a cell (NULL keys: a total); -1: nothing. */
static int
fixed(const struct report_xtab *x, const char *rk, const char *ck)
{
	enum report_by dims[2] = { REPORT_BY_KEYWORD, REPORT_BY_KEYWORD };
	const char *keys[2] = { NULL, NULL };
	size_t n = 0;

	if (rk != NULL) {
		dims[n] = x->rows.by;
		keys[n++] = rk;
	}
	if (ck != NULL) {
		dims[n] = x->cols.by;
		keys[n++] = ck;
	}
	return report_canon_fix(x->canon, x->o.district, n, dims, keys);
}

static void
plan_cell(struct suppress *plan, const struct report_xtab *x, size_t r,
    size_t c, int64_t value, int primary, int total)
{
	size_t i = plan_index(x, r, c);
	int fix = fixed(x, r != NONE ? x->rows.keys[r] : NULL,
	    c != NONE ? x->cols.keys[c] : NULL);

	/* A cell alone in its row (or column) is its row's (column's)
	 * total under another name, so it is decided as that is. */
	if (fix == -1 && r != NONE && c != NONE && x->cols.n == 1)
		fix = fixed(x, x->rows.keys[r], NULL);
	if (fix == -1 && r != NONE && c != NONE && x->rows.n == 1)
		fix = fixed(x, NULL, x->cols.keys[c]);

	suppress_cell(plan, i, value, primary, total);
	if (fix != -1)
		suppress_fix(plan, i, fix);
}

/*
 * One line of the grid into plan (line has room for it): column k with its
 * total (col set) or row k with its total; k NONE is the line of the
 * column totals (col unset) or of the row totals (col set), ending in the
 * grand total.
 */
static void
plan_line(struct suppress *plan, const struct report_xtab *x, size_t *line,
    int col, size_t k)
{
	size_t n = col ? x->rows.n : x->cols.n, m;

	for (m = 0; m < n; m++)
		line[m] = col ? plan_index(x, m, k) : plan_index(x, k, m);
	line[n] = col ? plan_index(x, NONE, k) : plan_index(x, k, NONE);
	suppress_line(plan, line, n + 1);
}

/* The count in the grid at keyword k, other key o, and its plan cell. */
static int64_t
kw_cell(const struct report_xtab *x, int kw_rows, size_t k, size_t o,
    size_t *i)
{
	size_t r = kw_rows ? k : o, c = kw_rows ? o : k;

	*i = plan_index(x, r, c);
	return x->cells[r * x->capcols + c];
}

/* How many cells matched_lines adds after the grid's. */
static size_t
matched_ncells(const struct report_xtab *x)
{
	int kw_rows = x->rows.by == REPORT_BY_KEYWORD;
	const struct axis *o = kw_rows ? &x->cols : &x->rows;

	if (!kw_rows && x->cols.by != REPORT_BY_KEYWORD)
		return 0;
	if (o->by == REPORT_BY_DISTRICT)
		return o->n + 1;
	return x->o.district != NULL ? 1 : 0;
}

/*
 * A district's matched queries are its queries with a keyword: the cells
 * of every keyword but "(unmatched)" add up to the matched column of
 * `--by district`, which level 1 of the canon decided.  Without these
 * lines a plan could show all of a district's keywords but hide its
 * matched, and the keywords' sum would give it away.  Cells from base on:
 * with a district axis, one per district and then the region's (public);
 * in one district's grid, that district's.
 */
static void
matched_lines(struct suppress *plan, const struct report_xtab *x,
    size_t *line, size_t base)
{
	int kw_rows = x->rows.by == REPORT_BY_KEYWORD;
	const struct axis *kw = kw_rows ? &x->rows : &x->cols;
	const struct axis *o = kw_rows ? &x->cols : &x->rows;
	size_t k, d, n, i;
	int64_t v, all = 0;
	int fix;

	if (matched_ncells(x) == 0)
		return;
	if (o->by != REPORT_BY_DISTRICT) {
		for (k = n = 0, v = 0; k < kw->n; k++) {
			if (strcmp(kw->keys[k], "(unmatched)") == 0)
				continue;
			line[n++] = kw_rows ? plan_index(x, k, NONE) :
			    plan_index(x, NONE, k);
			v += kw->totals[k];
		}
		suppress_cell(plan, base, v, 1, 1);
		fix = report_canon_fix_count(x->canon, x->o.district, 2);
		if (fix != -1)
			suppress_fix(plan, base, fix);
		line[n++] = base;
		suppress_line(plan, line, n);
		return;
	}
	for (d = 0; d < o->n; d++) {
		for (k = n = 0, v = 0; k < kw->n; k++) {
			if (strcmp(kw->keys[k], "(unmatched)") == 0)
				continue;
			v += kw_cell(x, kw_rows, k, d, &i);
			line[n++] = i;
		}
		suppress_cell(plan, base + d, v, 1, 1);
		fix = report_canon_fix_count(x->canon, o->keys[d], 2);
		if (fix != -1)
			suppress_fix(plan, base + d, fix);
		line[n++] = base + d;
		suppress_line(plan, line, n);
		all += v;
	}
	for (d = 0; d < o->n; d++)
		line[d] = base + d;
	line[o->n] = base + o->n;
	suppress_cell(plan, base + o->n, all, x->o.district != NULL, 1);
	if (x->o.district == NULL)
		suppress_fix(plan, base + o->n, 0);
	suppress_line(plan, line, o->n + 1);
}

/*
 * The grid as a suppression plan (plan_index): each row and each column
 * is a line with its total, and so are the row totals and the column
 * totals with the grand total.  The grand total is a small count to hide
 * only when the grid is one district's (as in report.h); figures other
 * views publish are fixed as the canon decided.  NULL when the grid does
 * not suppress.
 */
static struct suppress *
grid_plan(const struct report_xtab *x)
{
	size_t R = x->rows.n, C = x->cols.n, i, j, k;
	size_t *line = xcalloc((R > C ? R : C) + 2, sizeof(*line));
	struct suppress *plan;
	int first;

	if (!suppressing(x)) {
		free(line);
		return NULL;
	}
	plan = suppress_new(R * C + R + C + 1 + matched_ncells(x));
	for (i = 0; i < R; i++)
		for (j = 0; j < C; j++)
			plan_cell(plan, x, i, j, x->cells[i * x->capcols + j],
			    1, 0);
	for (i = 0; i < R; i++)
		plan_cell(plan, x, i, NONE, x->rows.totals[i], 1, 1);
	for (j = 0; j < C; j++)
		plan_cell(plan, x, NONE, j, x->cols.totals[j], 1, 1);
	plan_cell(plan, x, NONE, NONE, x->total, x->o.district != NULL, 1);
	/* Lines in the plan's own order, so a transpose finds the same:
	 * those of the axis whose dimension comes first, the other's, then
	 * the first's totals and the other's. */
	first = x->cols.by < x->rows.by;
	for (k = 0; k < (first ? C : R); k++)
		plan_line(plan, x, line, first, k);
	for (k = 0; k < (first ? R : C); k++)
		plan_line(plan, x, line, !first, k);
	plan_line(plan, x, line, !first, NONE);
	plan_line(plan, x, line, first, NONE);
	matched_lines(plan, x, line, R * C + R + C + 1);
	free(line);
	suppress_run(plan, x->o.suppress_below);
	return plan;
}

const struct suppress *
report_xtab_plan(struct report_xtab *x)
{
	if (!x->planned) {
		x->plan = grid_plan(x);
		x->planned = 1;
	}
	return x->plan;
}

int
report_xtab_hidden(struct report_xtab *x, const char *row, const char *col)
{
	const struct suppress *plan = report_xtab_plan(x);
	size_t r, c;

	if (locate(x, row, col, &r, &c) == -1)
		return -1;
	return suppress_hidden(plan, plan_index(x, r, c));
}

const char *const *
report_xtab_keys(const struct report_xtab *x, int cols, size_t *n)
{
	*n = cols ? x->cols.n : x->rows.n;
	return (const char *const *)(cols ? x->cols.keys : x->rows.keys);
}

/*
 * Every key of the period on one axis, those without rows here as 0s:
 * a key missing from a district's crosstab would say it has none there,
 * which the suppression may have hidden.  One district's crosstab lists
 * only that district on a district axis.
 */
static void
add_keys(struct report_xtab *x, const struct report_canon *c,
    enum report_by by, int cols)
{
	const char *const *keys;
	size_t n, i;

	if (by == REPORT_BY_DISTRICT && x->o.district != NULL)
		return;
	keys = report_canon_keys(c, by, &n);
	for (i = 0; i < n; i++) {
		if (cols)
			(void)col_index(x, keys[i]);
		else
			(void)row_index(x, keys[i]);
	}
}

struct report_xtab *
report_xtab_collect(struct store *st, enum report_by rows,
    enum report_by cols, const struct report_options *opts)
{
	struct report_xtab *x = report_xtab_new(rows, cols, opts);
	struct report_canon *c = NULL;
	struct store_filter f;

	memset(&f, 0, sizeof(f));
	f.since_ms = opts->since_ms;
	f.until_ms = opts->until_ms;
	f.channel = opts->channel;
	f.district = opts->district;
	if (store_export(st, &f, report_xtab_add_row, x) == -1 ||
	    (suppressing(x) && (c = report_canon_collect(st, opts)) == NULL)) {
		report_xtab_free(x);
		return NULL;
	}
	report_xtab_set_canon(x, c, 1);
	if (c != NULL) {
		add_keys(x, c, x->cols.by, 1);
		add_keys(x, c, x->rows.by, 0);
	}
	return x;
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
	size_t i, j, r, c;
	const struct suppress *plan = report_xtab_plan(x);

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
			put_count(x, plan, plan_index(x, r, c), out,
			    x->cells[r * x->capcols + c]);
		}
		buf_putc(out, ']');
	}
	buf_puts(out, "],\"row_totals\":[");
	for (i = 0; i < x->rows.n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		put_count(x, plan, plan_index(x, x->rows.order[i], NONE), out,
		    x->rows.totals[x->rows.order[i]]);
	}
	buf_puts(out, "],\"col_totals\":[");
	for (j = 0; j < x->cols.n; j++) {
		if (j > 0)
			buf_putc(out, ',');
		put_count(x, plan, plan_index(x, NONE, x->cols.order[j]), out,
		    x->cols.totals[x->cols.order[j]]);
	}
	buf_puts(out, "],\"total\":");
	put_count(x, plan, plan_index(x, NONE, NONE), out, x->total);
	buf_printf(out, ",\"suppress_below\":%d,\"suppressed\":%s}\n",
	    x->o.suppress_below, suppressing(x) ? "true" : "false");
}
