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

struct report *
report_collect(struct store *st, const struct report_options *opts,
    size_t top)
{
	struct report *r = report_new(opts);
	struct report_source src;
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
		if (report_sections[i]->collect(r, &src) == -1) {
			report_free(r);
			return NULL;
		}
	/* A district's figures, here and in every other view, as decided
	 * once over all districts (report_int.h); and every group of the
	 * period listed, so that a missing one gives no hidden 0 away. */
	if (report_suppressing(r) && (opts->district != NULL ||
	    opts->by == REPORT_BY_DISTRICT)) {
		if ((r->canon = report_canon_collect(st, opts)) == NULL) {
			report_free(r);
			return NULL;
		}
		if (opts->by != REPORT_BY_DISTRICT ||
		    opts->district == NULL) {
			keys = report_canon_keys(r->canon, opts->by, &n);
			for (i = 0; i < n; i++)
				report_add_group(r, keys[i]);
		}
	}
	report_finish(r);
	return r;
}
