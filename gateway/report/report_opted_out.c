/*
 * report_opted_out: how many contacts opted out in the period (of the
 * report's district, if it names one).
 */
#include <stdint.h>
#include <stdlib.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "util.h"

extern const struct report_section report_opted_out;

static int64_t *
opted_out_of(struct report *r)
{
	return report_section_data(r, &report_opted_out, sizeof(int64_t));
}

static int
opted_out_collect(struct report *r, const struct report_source *src)
{
	return store_report_opted_out(src->store, &src->filter,
	    opted_out_of(r));
}

static void
opted_out_table(struct report *r, struct buf *out)
{
	buf_printf(out, "Contacts who opted out in this period: %lld\n",
	    (long long)*opted_out_of(r));
}

static void
opted_out_json(struct report *r, struct buf *out)
{
	buf_printf(out, ",\"opted_out_contacts\":%lld",
	    (long long)*opted_out_of(r));
}

const struct report_section report_opted_out = {
	.name = "opted_out",
	.collect = opted_out_collect,
	.render_table = opted_out_table,
	.render_csv = NULL,
	.render_json = opted_out_json,
	.free = NULL,
};
