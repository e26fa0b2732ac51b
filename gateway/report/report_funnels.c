/*
 * report_funnels: each broadcast of the period from queued to delivered,
 * and its RSVP answers where the database keeps them (store_funnel).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "util.h"

static const char *const funnel_names[] = { "broadcast", "first_queued",
    "messages", "pending", "sent", "delivered", "failed", "rsvp_yes",
    "rsvp_no" };
#define NFUNNEL		SP_ARRAY_LEN(funnel_names)

struct funnels {
	struct store_funnel	*v;
	size_t			 n;
	int			 available;	/* the database has them */
};

extern const struct report_section report_funnels;

static struct funnels *
funnels_of(struct report *r)
{
	return report_section_data(r, &report_funnels, sizeof(struct funnels));
}

static void
funnels_free(void *arg)
{
	struct funnels *f = arg;

	free(f->v);
	free(f);
}

void
report_funnels_add(struct report *r, const struct store_funnel *f)
{
	struct funnels *fs = funnels_of(r);

	fs->v = xreallocarray(fs->v, fs->n + 1, sizeof(*fs->v));
	fs->v[fs->n++] = *f;
	fs->available = 1;
}

static int
on_funnel(void *arg, const struct store_funnel *f)
{
	report_funnels_add(arg, f);
	return 0;
}

static int
funnels_collect(struct report *r, const struct report_source *src)
{
	int rc = store_report_funnels(src->store, &src->filter, on_funnel, r);

	if (rc == -1)
		return -1;
	funnels_of(r)->available = rc == 1;
	return 0;
}

static void
funnel_cells(const struct store_funnel *f, char cells[NFUNNEL][REPORT_CELL])
{
	char when[32];

	util_iso8601(f->created_ms, when);
	snprintf(cells[0], REPORT_CELL, "%lld", (long long)f->broadcast_id);
	snprintf(cells[1], REPORT_CELL, "%.16s", when);	/* to the minute */
	snprintf(cells[2], REPORT_CELL, "%lld", (long long)f->messages);
	snprintf(cells[3], REPORT_CELL, "%lld", (long long)f->pending);
	snprintf(cells[4], REPORT_CELL, "%lld", (long long)f->sent);
	snprintf(cells[5], REPORT_CELL, "%lld", (long long)f->delivered);
	snprintf(cells[6], REPORT_CELL, "%lld", (long long)f->failed);
	snprintf(cells[7], REPORT_CELL, "%lld", (long long)f->rsvp_yes);
	snprintf(cells[8], REPORT_CELL, "%lld", (long long)f->rsvp_no);
	if (!f->has_rsvp)
		snprintf(cells[7], REPORT_CELL, "-"),
		    snprintf(cells[8], REPORT_CELL, "-");
}

static void
funnels_table(struct report *r, struct buf *out)
{
	const struct funnels *fs = funnels_of(r);
	struct report_table t = { NFUNNEL, NULL, 0, "rlrrrrrrr" };
	char fc[NFUNNEL][REPORT_CELL];
	const char *v[NFUNNEL];
	size_t i, j;

	buf_puts(out, "\nBroadcast funnels:\n");
	if (!fs->available || fs->n == 0)
		buf_puts(out, "  (no broadcasts in this period)\n");
	for (i = 0; i < fs->n; i++) {
		if (i == 0)
			report_render_row(&t, funnel_names);
		funnel_cells(&fs->v[i], fc);
		for (j = 0; j < NFUNNEL; j++)
			v[j] = fc[j];
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
}

/* No answers kept: empty cells, not "-". */
static void
funnels_csv(struct report *r, struct buf *out)
{
	const struct funnels *fs = funnels_of(r);
	char fc[NFUNNEL][REPORT_CELL];
	const char *v[NFUNNEL];
	size_t i, j;

	report_render_csv_line(out, funnel_names, NFUNNEL);
	for (i = 0; i < fs->n; i++) {
		funnel_cells(&fs->v[i], fc);
		for (j = 0; j < NFUNNEL; j++)
			v[j] = strcmp(fc[j], "-") == 0 ? "" : fc[j];
		report_render_csv_line(out, v, NFUNNEL);
	}
}

static void
funnels_json(struct report *r, struct buf *out)
{
	const struct funnels *fs = funnels_of(r);
	size_t i;

	buf_puts(out, ",\"funnels\":[");
	for (i = 0; fs->available && i < fs->n; i++) {
		const struct store_funnel *f = &fs->v[i];

		buf_printf(out, "%s{\"broadcast\":%lld,\"first_queued\":",
		    i > 0 ? "," : "", (long long)f->broadcast_id);
		report_render_json_time(out, f->created_ms);
		buf_printf(out, ",\"messages\":%lld,\"pending\":%lld,"
		    "\"sent\":%lld,\"delivered\":%lld,\"failed\":%lld",
		    (long long)f->messages, (long long)f->pending,
		    (long long)f->sent, (long long)f->delivered,
		    (long long)f->failed);
		if (f->has_rsvp)
			buf_printf(out, ",\"rsvp_yes\":%lld,\"rsvp_no\":%lld}",
			    (long long)f->rsvp_yes, (long long)f->rsvp_no);
		else
			buf_puts(out, ",\"rsvp_yes\":null,\"rsvp_no\":null}");
	}
	buf_putc(out, ']');
}

const struct report_section report_funnels = {
	.name = "funnels",
	.collect = funnels_collect,
	.render_table = funnels_table,
	.render_csv = funnels_csv,
	.render_json = funnels_json,
	.free = funnels_free,
};
