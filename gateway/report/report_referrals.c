/*
 * report_referrals: which stakeholders the replies gave out, so that the
 * coalition can show each member organisation how many women were sent
 * to it: per stakeholder, and per stakeholder, week, district and
 * category.  A referral is one inbound message whose reply listed the
 * stakeholder (the log's stakeholders field, kept when the exchange was
 * logged); one message can refer to several.
 *
 * Every figure here is tied to a district (a row names one; most
 * stakeholders serve one), and counts the same messages as that
 * district's figures in every other view, under other suppression
 * decisions: so each is rounded (report_render_rounded) rather than
 * shown exactly, unless the report shows every count.  And every
 * stakeholder that could have been given out is listed, in every week of
 * the period and every district it serves (its own, or for one of every
 * district, each of the period), those never given out too: a missing
 * row would say its count is 0 exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "report.h"
#include "report_int.h"
#include "store.h"
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
	/* Who could have been given out: the directory's stakeholders, and
	 * those the period's replies gave (district "*": any). */
	struct referral	*known;
	size_t		 nknown;
	/* The period's districts (all, or the report's) and weeks. */
	struct report_tally districts, weeks;
	int		 sorted;
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
	referral_clear(f->known, f->nknown);
	report_tally_clear(&f->districts);
	report_tally_clear(&f->weeks);
	free(f);
}

/* Stakeholder, then week, district and category: the order the rows
 * are kept and shown in. */
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

/*
 * Where key is in v[0..n), kept in cmp_referral order, or where it would
 * go: 1 found, 0 not.  A period's rows are many and each referral of each
 * message looks its row up, so a search, not a scan.
 */
static int
locate(const struct referral *v, size_t n, const struct referral *key,
    size_t *at)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = cmp_referral(key, &v[mid])) == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*at = lo;
	return 0;
}

/* Add add to the count of the row with these keys, made if new. */
static void
tally(struct referral **v, size_t *n, size_t *last, int64_t id,
    const char *name, const char *category, const char *district,
    const char *week, int64_t add)
{
	struct referral key, *x;
	size_t at;

	memset(&key, 0, sizeof(key));
	key.id = id;
	key.name = (char *)name;
	key.category = (char *)category;
	key.district = (char *)district;
	snprintf(key.week, sizeof(key.week), "%s", week);
	if (!(*last < *n && cmp_referral(&key, &(*v)[*last]) == 0) &&
	    !locate(*v, *n, &key, last)) {
		at = *last;
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		memmove(&(*v)[at + 1], &(*v)[at], (*n - at) * sizeof(**v));
		(*n)++;
		x = &(*v)[at];
		*x = key;
		x->name = xstrdup(name);
		x->category = xstrdup(category);
		x->district = xstrdup(district);
	}
	(*v)[*last].n += add;
}

/* Each "id:name" of a log's stakeholders field to cb, the name cleaned
 * (names come from a directory anyone may have typed). */
static void
each_given(const char *list, void (*cb)(void *arg, int64_t id,
    const char *name), void *arg)
{
	const char *p, *colon, *end;
	char *raw, *name;

	for (p = list; *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "|");
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL)
			continue;
		raw = xstrndup(colon + 1, (size_t)(end - colon - 1));
		name = report_clean_text(raw);
		free(raw);
		cb(arg, strtoll(p, NULL, 10), name);
		free(name);
	}
}

struct given_arg {
	struct referrals	*f;
	const char		*category, *district, *week;
	size_t			 plast;
};

static void
count_given(void *arg, int64_t id, const char *name)
{
	struct given_arg *g = arg;

	tally(&g->f->rows, &g->f->nrows, &g->f->last, id, name, g->category,
	    g->district, g->week, 1);
	tally(&g->f->per, &g->f->nper, &g->plast, id, name, "", "", "", 1);
}

void
report_referrals_add_row(struct report *r, const struct interaction *row)
{
	struct given_arg g;
	char week[16], tmp[16];

	if (row->stakeholders == NULL || row->direction == NULL ||
	    strcmp(row->direction, "in") != 0)
		return;
	report_week_key(row->time_ms, r->o.utc_offset_min, week);
	g.f = referrals_of(r);
	g.district = report_row_key(REPORT_BY_DISTRICT, r->o.utc_offset_min,
	    row, tmp);
	g.category = row->category != NULL ? row->category : "(none)";
	g.week = week;
	g.plast = 0;
	each_given(row->stakeholders, count_given, &g);
	g.f->sorted = 0;
}

/* A stakeholder the period's replies gave, unless already known: of
 * every district, for all the report can tell. */
static void
know_given(void *arg, int64_t id, const char *name)
{
	struct given_arg *g = arg;
	struct referral key;
	size_t at;

	/* The first of its (id, name), whatever its district: "" sorts
	 * first. */
	memset(&key, 0, sizeof(key));
	key.id = id;
	key.name = (char *)name;
	key.category = key.district = (char *)"";
	(void)locate(g->f->known, g->f->nknown, &key, &at);
	if (at < g->f->nknown && g->f->known[at].id == id &&
	    strcmp(g->f->known[at].name, name) == 0)
		return;
	tally(&g->f->known, &g->f->nknown, &g->plast, id, name, g->category,
	    "*", "", 0);
}

/* Every row of the period, of every district: its district and week
 * listed, its stakeholders known, and counted when it is of the report's
 * district (or there is none). */
static int
referrals_row(struct report *r, const struct interaction *row)
{
	struct referrals *f = referrals_of(r);
	char tmp[16];

	if (row->direction == NULL || strcmp(row->direction, "in") != 0)
		return 0;
	if (r->o.district == NULL)
		report_tally_add(&f->districts, report_row_key(
		    REPORT_BY_DISTRICT, r->o.utc_offset_min, row, tmp), 0);
	report_tally_add(&f->weeks, report_row_key(REPORT_BY_WEEK,
	    r->o.utc_offset_min, row, tmp), 0);
	if (row->stakeholders != NULL) {
		struct given_arg g = { f, row->category != NULL ?
		    row->category : "(none)", "*", "", 0 };

		each_given(row->stakeholders, know_given, &g);
	}
	if (r->o.district == NULL || (row->district != NULL &&
	    strcmp(row->district, r->o.district) == 0))
		report_referrals_add_row(r, row);
	return 0;
}

static int
referrals_collect(struct report *r, const struct report_source *src)
{
	struct referrals *f = referrals_of(r);
	struct stakeholder *dir = NULL;
	int64_t *ids = NULL;
	size_t n = 0, i, last = 0;
	char *name;

	if (store_stakeholders_list(src->store, NULL, NULL, &dir, &ids,
	    &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		name = report_clean_text(dir[i].name);
		tally(&f->known, &f->nknown, &last, ids[i], name,
		    dir[i].category, dir[i].district, "", 0);
		free(name);
	}
	records_stakeholders_free(dir, n);
	free(ids);
	if (r->o.district != NULL)
		report_tally_add(&f->districts, r->o.district, 0);
	return 0;
}

/* The rows of 0 for whoever could have been given out in the period. */
static void
add_known(const struct report *r, struct referrals *f)
{
	const struct referral *k;
	size_t i, w, d, plast = 0;
	int listed;

	for (i = 0; i < f->nknown; i++) {
		k = &f->known[i];
		listed = 0;
		for (d = 0; d < f->districts.n; d++) {
			if (strcmp(k->district, "*") != 0 &&
			    strcmp(k->district, f->districts.v[d].name) != 0)
				continue;
			listed = 1;
			for (w = 0; w < f->weeks.n; w++)
				tally(&f->rows, &f->nrows, &f->last, k->id,
				    k->name, k->category,
				    f->districts.v[d].name,
				    f->weeks.v[w].name, 0);
		}
		/* Of the whole region, the directory's every entry; of a
		 * district, those that serve it. */
		if (listed || r->o.district == NULL)
			tally(&f->per, &f->nper, &plast, k->id, k->name, "",
			    "", "", 0);
	}
}


static void
referrals_sort(struct report *r)
{
	struct referrals *f = referrals_of(r);

	/* The lists are kept in order (tally): only the rows of 0 are
	 * left to add. */
	if (f->sorted)
		return;
	add_known(r, f);
	f->sorted = 1;
}

/* Row i of the breakdown as the cells of a line: id, stakeholder, week,
 * district, category, referrals (id and n hold what v points to). */
static void
row_cells(const struct report *r, const struct referrals *f, size_t i,
    char id[REPORT_CELL], char n[REPORT_CELL], const char *v[6])
{
	snprintf(id, REPORT_CELL, "%lld", (long long)f->rows[i].id);
	report_render_rounded(r, f->rows[i].n, n);
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
	struct report_table t = { 3, NULL, 0, "rlr" };
	char id[REPORT_CELL], n[REPORT_CELL];
	const char *v[6];
	size_t i;

	referrals_sort(r);
	buf_puts(out, "\nReferrals (messages whose reply gave the "
	    "stakeholder):\n");
	if (report_breakdown_suppressing(r) && f->nper > 0)
		buf_puts(out, "  (rounded: <5 below 5, else ~N, the nearest "
		    "multiple of 5)\n");
	if (f->nper == 0) {
		buf_puts(out, "  (none)\n");
		return;
	}
	report_render_row(&t, head1);
	for (i = 0; i < f->nper; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)f->per[i].id);
		report_render_rounded(r, f->per[i].n, n);
		v[0] = id; v[1] = f->per[i].name; v[2] = n;
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
	buf_puts(out, "  by week, district and category:\n");
	t.ncols = 6;
	t.align = "rlllll";
	report_render_row(&t, head2);
	for (i = 0; i < f->nrows; i++) {
		row_cells(r, f, i, id, n, v);
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
	char id[REPORT_CELL], n[REPORT_CELL];
	const char *v[6];
	size_t i;

	referrals_sort(r);
	report_render_csv_line(out, head, 6);
	for (i = 0; i < f->nrows; i++) {
		row_cells(r, f, i, id, n, v);
		report_render_csv_line(out, v, 6);
	}
}

static void
referrals_json(struct report *r, struct buf *out)
{
	struct referrals *f = referrals_of(r);
	size_t i;

	referrals_sort(r);
	buf_puts(out, ",\"referrals\":{\"stakeholders\":[");
	for (i = 0; i < f->nper; i++) {
		buf_printf(out, "%s{\"id\":%lld,\"name\":", i > 0 ? "," : "",
		    (long long)f->per[i].id);
		buf_json_string(out, f->per[i].name);
		buf_puts(out, ",\"referrals\":");
		report_render_json_rounded(out, r, f->per[i].n);
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
		report_render_json_rounded(out, r, f->rows[i].n);
		buf_putc(out, '}');
	}
	buf_puts(out, "]}");
}

const struct report_section report_referrals = {
	.name = "referrals",
	.collect = referrals_collect,
	.row = referrals_row,
	.render_table = referrals_table,
	.render_csv = referrals_csv,
	.render_json = referrals_json,
	.free = referrals_free,
};
