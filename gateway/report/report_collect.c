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
	size_t i;

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
	report_finish(r);
	return r;
}
