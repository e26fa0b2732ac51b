/*
 * report_ivr: IVR drop-off, the calls of the period by the menu node they
 * ended at, where the database keeps a call log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "util.h"

struct ivr {
	struct report_named	*nodes;
	size_t			 n;
	int			 available;	/* the database has a log */
};

extern const struct report_section report_ivr;

static struct ivr *
ivr_of(struct report *r)
{
	return report_section_data(r, &report_ivr, sizeof(struct ivr));
}

static void
ivr_free(void *arg)
{
	struct ivr *iv = arg;

	report_named_free(iv->nodes, iv->n);
	free(iv);
}

void
report_ivr_add(struct report *r, const char *node, int64_t calls)
{
	struct ivr *iv = ivr_of(r);

	report_named_add(&iv->nodes, &iv->n, node, calls);
	iv->available = 1;
}

static int
on_node(void *arg, const char *node, int64_t calls)
{
	report_ivr_add(arg, node, calls);
	return 0;
}

static int
ivr_collect(struct report *r, const struct report_source *src)
{
	int rc = store_report_ivr(src->store, &src->filter, on_node, r);

	if (rc == -1)
		return -1;
	ivr_of(r)->available = rc == 1;
	return 0;
}

static void
ivr_table(struct report *r, struct buf *out)
{
	static const char *const head[] = { "node", "calls" };
	const struct ivr *iv = ivr_of(r);
	struct report_table t = { 2, NULL, 0, "lr" };
	char a[REPORT_CELL];
	const char *v[2];
	size_t i;

	buf_puts(out, "\nIVR drop-off (calls by the menu node they ended at):"
	    "\n");
	if (!iv->available)
		buf_puts(out, "  (no call log in this database)\n");
	else if (iv->n == 0)
		buf_puts(out, "  (no calls in this period)\n");
	for (i = 0; i < iv->n; i++) {
		if (i == 0)
			report_render_row(&t, head);
		snprintf(a, sizeof(a), "%lld", (long long)iv->nodes[i].n);
		v[0] = iv->nodes[i].name; v[1] = a;
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
}

static void
ivr_csv(struct report *r, struct buf *out)
{
	const struct ivr *iv = ivr_of(r);
	char a[REPORT_CELL];
	const char *v[2] = { "node", "calls" };
	size_t i;

	report_render_csv_line(out, v, 2);
	for (i = 0; i < iv->n; i++) {
		snprintf(a, sizeof(a), "%lld", (long long)iv->nodes[i].n);
		v[0] = iv->nodes[i].name; v[1] = a;
		report_render_csv_line(out, v, 2);
	}
}

/* null, not [], when the database keeps no call log at all. */
static void
ivr_json(struct report *r, struct buf *out)
{
	const struct ivr *iv = ivr_of(r);
	size_t i;

	buf_puts(out, ",\"ivr\":");
	if (!iv->available) {
		buf_puts(out, "null");
		return;
	}
	buf_putc(out, '[');
	for (i = 0; i < iv->n; i++) {
		buf_puts(out, i > 0 ? ",{\"node\":" : "{\"node\":");
		buf_json_string(out, iv->nodes[i].name);
		buf_printf(out, ",\"calls\":%lld}", (long long)iv->nodes[i].n);
	}
	buf_putc(out, ']');
}

const struct report_section report_ivr = {
	.name = "ivr",
	.collect = ivr_collect,
	.render_table = ivr_table,
	.render_csv = ivr_csv,
	.render_json = ivr_json,
	.free = ivr_free,
};
