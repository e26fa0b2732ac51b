/*
 * report_collect: fill a report from the store (see report.h), section by
 * section (report_sections.c).  Only the store's public contract is used,
 * so the aggregation stays testable without a database and the SQL stays
 * in store_report.c.
 */
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "store.h"

/* One row of the period to every section that reads rows, and to the
 * canon when there is one. */
static int
each_row(void *arg, const struct interaction *row)
{
	struct report *r = arg;
	size_t i;

	for (i = 0; report_sections[i] != NULL; i++)
		if (report_sections[i]->row != NULL &&
		    report_sections[i]->row(r, row) == -1)
			return -1;
	return r->canon != NULL ? report_canon_add_row(r->canon, row) : 0;
}

struct report *
report_collect(struct store *st, const struct report_options *opts,
    size_t top)
{
	struct report *r = report_new(opts);
	struct report_source src;
	struct store_filter every;
	const char *const *keys;
	size_t i, n;

	memset(&src, 0, sizeof(src));
	src.store = st;
	src.filter.since_ms = opts->since_ms;
	src.filter.until_ms = opts->until_ms;
	src.filter.channel = opts->channel;
	src.filter.district = opts->district;
	src.top = top;
	for (i = 0; report_sections[i] != NULL; i++)
		if (report_sections[i]->collect != NULL &&
		    report_sections[i]->collect(r, &src) == -1)
			goto fail;
	/* A district's figures, here and in every other view, as decided
	 * once over all districts (report_int.h). */
	if (report_suppressing(r) && (opts->district != NULL ||
	    opts->by == REPORT_BY_DISTRICT))
		r->canon = report_canon_new(opts);
	/* The period's rows, every district's, read once for all. */
	every = src.filter;
	every.district = NULL;
	if (store_export(st, &every, each_row, r) == -1)
		goto fail;
	if (r->canon != NULL) {
		report_canon_finish(r->canon);
		/* Every group of the period listed, so that a missing one
		 * gives no hidden 0 away. */
		if (opts->by != REPORT_BY_DISTRICT ||
		    opts->district == NULL) {
			keys = report_canon_keys(r->canon, opts->by, &n);
			for (i = 0; i < n; i++)
				report_add_group(r, keys[i]);
		}
	}
	report_finish(r);
	return r;
fail:
	report_free(r);
	return NULL;
}
