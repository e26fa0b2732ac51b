/*
 * report_canon: the district figures decided once for every view (see
 * report_int.h): the `--by district` table, then district x D for each
 * other dimension, from the same rows.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "suppress.h"
#include "util.h"

/* The dimensions other than district, each a level-2 table. */
static const enum report_by other_dims[] = { REPORT_BY_KEYWORD,
    REPORT_BY_DAY, REPORT_BY_WEEK, REPORT_BY_CHANNEL, REPORT_BY_LANGUAGE };
#define NOTHER	(sizeof(other_dims) / sizeof(other_dims[0]))

struct report_canon {
	struct report		*l1;		/* by district */
	struct suppress		*p1;
	struct report_xtab	*l2[NOTHER];	/* district x other_dims[i] */
	int			 solving_l2;	/* level 2 is being decided */
	int			 finished;
};

struct report_canon *
report_canon_new(const struct report_options *opts)
{
	struct report_canon *c = xcalloc(1, sizeof(*c));
	struct report_options o = *opts;
	size_t i;

	o.district = NULL;
	o.by = REPORT_BY_DISTRICT;
	o.understand = NULL;
	c->l1 = report_new(&o);
	for (i = 0; i < NOTHER; i++) {
		c->l2[i] = report_xtab_new(REPORT_BY_DISTRICT, other_dims[i],
		    &o);
		report_xtab_set_canon(c->l2[i], c, 0);
	}
	return c;
}

void
report_canon_free(struct report_canon *c)
{
	size_t i;

	if (c == NULL)
		return;
	suppress_free(c->p1);
	report_free(c->l1);
	for (i = 0; i < NOTHER; i++)
		report_xtab_free(c->l2[i]);
	free(c);
}

int
report_canon_add_row(void *arg, const struct interaction *row)
{
	struct report_canon *c = arg;
	size_t i;

	report_add_row(c->l1, row);
	for (i = 0; i < NOTHER; i++)
		report_xtab_add_row(c->l2[i], row);
	return 0;
}

void
report_canon_finish(struct report_canon *c)
{
	size_t i;

	if (c->finished)
		return;
	report_finish(c->l1);
	c->p1 = report_groups_plan(c->l1);
	/* Level 2 takes its district margins from level 1, and leaves its
	 * own cells to its own solution. */
	c->solving_l2 = 1;
	for (i = 0; i < NOTHER; i++)
		(void)report_xtab_plan(c->l2[i]);
	c->solving_l2 = 0;
	c->finished = 1;
}

struct report_canon *
report_canon_collect(struct store *st, const struct report_options *opts)
{
	struct report_canon *c = report_canon_new(opts);
	struct store_filter f;

	memset(&f, 0, sizeof(f));
	f.since_ms = opts->since_ms;
	f.until_ms = opts->until_ms;
	f.channel = opts->channel;
	if (store_export(st, &f, report_canon_add_row, c) == -1) {
		report_canon_free(c);
		return NULL;
	}
	report_canon_finish(c);
	return c;
}

const char *const *
report_canon_keys(const struct report_canon *c, enum report_by by, size_t *n)
{
	size_t i;

	/* Every level-2 table has every district as a row. */
	if (by == REPORT_BY_DISTRICT)
		return report_xtab_keys(c->l2[0], 0, n);
	for (i = 0; i < NOTHER; i++)
		if (other_dims[i] == by)
			return report_xtab_keys(c->l2[i], 1, n);
	*n = 0;
	return NULL;
}

int
report_canon_fix_count(const struct report_canon *c, const char *district,
    size_t col)
{
	size_t g, n;

	if (c == NULL || c->p1 == NULL || col >= REPORT_NCOUNTS)
		return -1;
	n = report_ngroups(c->l1);
	for (g = 0; g < n; g++)
		if (strcmp(report_group_key(c->l1, g), district) == 0)
			return suppress_hidden(c->p1, g * REPORT_NCOUNTS + col);
	return 0;	/* no rows: a 0, shown everywhere */
}

int
report_canon_fix(const struct report_canon *c, const char *district,
    size_t n, const enum report_by *dims, const char *const *keys)
{
	const char *d = district, *okey = NULL;
	enum report_by odim = REPORT_BY_KEYWORD;
	size_t k, nother = 0, i;
	int h;

	if (c == NULL)
		return -1;
	for (k = 0; k < n; k++) {
		if (dims[k] == REPORT_BY_DISTRICT) {
			if (d != NULL && strcmp(d, keys[k]) != 0)
				return 0;	/* two districts: none */
			d = keys[k];
		} else {
			odim = dims[k];
			okey = keys[k];
			nother++;
		}
	}
	/* Without a district, public; a district alone, level 1. */
	if (d == NULL)
		return 0;
	if (nother == 0)
		return report_canon_fix_count(c, d, 0);
	/* A district's messages with no keyword are its unmatched ones,
	 * a column of level 1: the same figure, decided there. */
	if (nother == 1 && odim == REPORT_BY_KEYWORD &&
	    strcmp(okey, "(unmatched)") == 0)
		return report_canon_fix_count(c, d, 3);
	if (nother > 1 || c->solving_l2)
		return -1;
	for (i = 0; i < NOTHER; i++)
		if (other_dims[i] == odim) {
			h = report_xtab_hidden(c->l2[i], d, okey);
			return h == -1 ? 0 : h;
		}
	return -1;
}
