/*
 * report_referrals: which stakeholders the replies gave out, so that the
 * coalition can show each member organisation how many women were sent
 * to it: per stakeholder, and per stakeholder, week, district and
 * category.  A referral is one inbound message whose reply listed the
 * stakeholder (the log's stakeholders field, kept when the exchange was
 * logged); one message can refer to several.
 *
 * Suppression: a stakeholder's rows add up to its total, one line each;
 * small counts are hidden with a partner in their line unless the report
 * shows every count (the rows break down by district and week).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "report.h"
#include "report_int.h"
#include "store.h"
#include "suppress.h"
#include "util.h"

struct referral {
	int64_t	 id;
	char	*name, *category, *district;
	char	 week[16];
	int64_t	 n;
};

struct referrals {
	struct referral	*rows;		/* by stakeholder, week, district... */
	size_t		 nrows, last;
	struct referral	*per;		/* per stakeholder (week "") */
	size_t		 nper;
	int		 sorted;
	struct suppress	*plan;
	int		 planned;
};

extern const struct report_section report_referrals;

static struct referrals *
referrals_of(struct report *r)
{
	return report_section_data(r, &report_referrals,
	    sizeof(struct referrals));
}

static void
referral_clear(struct referral *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].category);
		free(v[i].district);
	}
	free(v);
}

static void
referrals_free(void *arg)
{
	struct referrals *f = arg;

	referral_clear(f->rows, f->nrows);
	referral_clear(f->per, f->nper);
	suppress_free(f->plan);
	free(f);
}

static int
same(const struct referral *a, int64_t id, const char *name,
    const char *category, const char *district, const char *week)
{
	return a->id == id && strcmp(a->name, name) == 0 &&
	    strcmp(a->category, category) == 0 &&
	    strcmp(a->district, district) == 0 && strcmp(a->week, week) == 0;
}

static void
tally(struct referral **v, size_t *n, size_t *last, int64_t id,
    const char *name, const char *category, const char *district,
    const char *week)
{
	struct referral *x;
	size_t i;

	if (*last < *n && same(&(*v)[*last], id, name, category, district,
	    week)) {
		(*v)[*last].n++;
		return;
	}
	for (i = 0; i < *n; i++)
		if (same(&(*v)[i], id, name, category, district, week)) {
			(*v)[i].n++;
			*last = i;
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	x = &(*v)[(*n)++];
	x->id = id;
	x->name = xstrdup(name);
	x->category = xstrdup(category);
	x->district = xstrdup(district);
	snprintf(x->week, sizeof(x->week), "%s", week);
	x->n = 1;
	*last = *n - 1;
}

void
report_referrals_add_row(struct report *r, const struct interaction *row)
{
	struct referrals *f = referrals_of(r);
	const char *p, *colon, *end, *district, *category;
	char week[16], tmp[16], *name;
	size_t plast = 0;
	int64_t id;

	if (row->stakeholders == NULL || row->direction == NULL ||
	    strcmp(row->direction, "in") != 0)
		return;
	report_week_key(row->time_ms, r->o.utc_offset_min, week);
	district = report_row_key(REPORT_BY_DISTRICT, r->o.utc_offset_min,
	    row, tmp);
	category = row->category != NULL ? row->category : "(none)";
	for (p = row->stakeholders; *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "|");
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL)
			continue;
		id = strtoll(p, NULL, 10);
		name = xstrndup(colon + 1, (size_t)(end - colon - 1));
		/* Names come from a directory anyone may have typed. */
		{
			char *clean = report_clean_text(name);

			free(name);
			name = clean;
		}
		tally(&f->rows, &f->nrows, &f->last, id, name, category,
		    district, week);
		tally(&f->per, &f->nper, &plast, id, name, "", "", "");
		free(name);
	}
	f->sorted = 0;
}

static int
on_row(void *arg, const struct interaction *row)
{
	report_referrals_add_row(arg, row);
	return 0;
}

static int
referrals_collect(struct report *r, const struct report_source *src)
{
	return store_export(src->store, &src->filter, on_row, r);
}

static int
cmp_referral(const void *a, const void *b)
{
	const struct referral *x = a, *y = b;
	int c;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0 ||
	    (c = strcmp(x->week, y->week)) != 0 ||
	    (c = strcmp(x->district, y->district)) != 0)
		return c;
	return strcmp(x->category, y->category);
}

/* Cells: the rows, then the per-stakeholder totals. */
static const struct suppress *
referrals_plan(struct report *r)
{
	struct referrals *f = referrals_of(r);
	size_t i, j, k, *line;

	if (!f->sorted) {
		if (f->nrows > 1)
			qsort(f->rows, f->nrows, sizeof(*f->rows),
			    cmp_referral);
		if (f->nper > 1)
			qsort(f->per, f->nper, sizeof(*f->per), cmp_referral);
		f->sorted = 1;
	}
	if (f->planned)
		return f->plan;
	f->planned = 1;
	if (!report_breakdown_suppressing(r))
		return NULL;
	f->plan = suppress_new(f->nrows + f->nper);
	line = xcalloc(f->nrows + 1, sizeof(*line));
	for (i = 0; i < f->nrows; i++)
		suppress_cell(f->plan, i, f->rows[i].n, 1, 0);
	for (j = 0, i = 0; j < f->nper; j++) {
		suppress_cell(f->plan, f->nrows + j, f->per[j].n, 1, 1);
		/* Both lists are in the same stakeholder order. */
		for (k = 0; i < f->nrows && f->rows[i].id == f->per[j].id &&
		    strcmp(f->rows[i].name, f->per[j].name) == 0; i++)
			line[k++] = i;
		line[k++] = f->nrows + j;
		suppress_line(f->plan, line, k);
	}
	free(line);
	suppress_run(f->plan, r->o.suppress_below);
	return f->plan;
}

/* Row i of the breakdown as the cells of a line: id, stakeholder, week,
 * district, category, referrals (id and n hold what v points to). */
static void
row_cells(const struct report *r, const struct referrals *f,
    const struct suppress *plan, size_t i, char id[REPORT_CELL],
    char n[REPORT_CELL], const char *v[6])
{
	snprintf(id, REPORT_CELL, "%lld", (long long)f->rows[i].id);
	report_render_cell(r, plan, i, f->rows[i].n, n);
	v[0] = id; v[1] = f->rows[i].name; v[2] = f->rows[i].week;
	v[3] = f->rows[i].district; v[4] = f->rows[i].category;
	v[5] = n;
}

static void
referrals_table(struct report *r, struct buf *out)
{
	static const char *const head1[] = { "id", "stakeholder",
	    "referrals" };
	static const char *const head2[] = { "id", "stakeholder", "week",
	    "district", "category", "referrals" };
	struct referrals *f = referrals_of(r);
	const struct suppress *plan = referrals_plan(r);
	struct report_table t = { 3, NULL, 0, "rlr" };
	char id[REPORT_CELL], n[REPORT_CELL];
	const char *v[6];
	size_t i;

	buf_puts(out, "\nReferrals (messages whose reply gave the "
	    "stakeholder):\n");
	if (f->nper == 0) {
		buf_puts(out, "  (none)\n");
		return;
	}
	report_render_row(&t, head1);
	for (i = 0; i < f->nper; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)f->per[i].id);
		report_render_cell(r, plan, f->nrows + i, f->per[i].n, n);
		v[0] = id; v[1] = f->per[i].name; v[2] = n;
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
	buf_puts(out, "  by week, district and category:\n");
	t.ncols = 6;
	t.align = "rlllll";
	report_render_row(&t, head2);
	for (i = 0; i < f->nrows; i++) {
		row_cells(r, f, plan, i, id, n, v);
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "    ");
}

static void
referrals_csv(struct report *r, struct buf *out)
{
	static const char *const head[] = { "stakeholder_id", "stakeholder",
	    "week", "district", "category", "referrals" };
	struct referrals *f = referrals_of(r);
	const struct suppress *plan = referrals_plan(r);
	char id[REPORT_CELL], n[REPORT_CELL];
	const char *v[6];
	size_t i;

	report_render_csv_line(out, head, 6);
	for (i = 0; i < f->nrows; i++) {
		row_cells(r, f, plan, i, id, n, v);
		report_render_csv_line(out, v, 6);
	}
}

static void
referrals_json(struct report *r, struct buf *out)
{
	struct referrals *f = referrals_of(r);
	const struct suppress *plan = referrals_plan(r);
	size_t i;

	buf_puts(out, ",\"referrals\":{\"stakeholders\":[");
	for (i = 0; i < f->nper; i++) {
		buf_printf(out, "%s{\"id\":%lld,\"name\":", i > 0 ? "," : "",
		    (long long)f->per[i].id);
		buf_json_string(out, f->per[i].name);
		buf_puts(out, ",\"referrals\":");
		report_render_json_cell(out, r, plan, f->nrows + i,
		    f->per[i].n);
		buf_putc(out, '}');
	}
	buf_puts(out, "],\"rows\":[");
	for (i = 0; i < f->nrows; i++) {
		buf_printf(out, "%s{\"id\":%lld,\"name\":", i > 0 ? "," : "",
		    (long long)f->rows[i].id);
		buf_json_string(out, f->rows[i].name);
		buf_puts(out, ",\"week\":");
		buf_json_string(out, f->rows[i].week);
		buf_puts(out, ",\"district\":");
		buf_json_string(out, f->rows[i].district);
		buf_puts(out, ",\"category\":");
		buf_json_string(out, f->rows[i].category);
		buf_puts(out, ",\"referrals\":");
		report_render_json_cell(out, r, plan, i, f->rows[i].n);
		buf_putc(out, '}');
	}
	buf_puts(out, "]}");
}

const struct report_section report_referrals = {
	.name = "referrals",
	.collect = referrals_collect,
	.render_table = referrals_table,
	.render_csv = referrals_csv,
	.render_json = referrals_json,
	.free = referrals_free,
};
