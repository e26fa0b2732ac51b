/*
 * report_outbox: the outbox now, messages by state (not limited to the
 * period: what is still waiting matters whatever the dates asked).
 */
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "util.h"

struct outbox {
	struct report_named	*states;
	size_t			 n;
};

extern const struct report_section report_outbox;

static struct outbox *
outbox_of(struct report *r)
{
	return report_section_data(r, &report_outbox, sizeof(struct outbox));
}

static void
outbox_free(void *arg)
{
	struct outbox *o = arg;

	report_named_free(o->states, o->n);
	free(o);
}

void
report_outbox_add(struct report *r, const char *state, int64_t n)
{
	struct outbox *o = outbox_of(r);

	report_named_add(&o->states, &o->n, state, n);
}

static void
on_state(void *arg, const char *state, int64_t n)
{
	report_outbox_add(arg, state, n);
}

static int
outbox_collect(struct report *r, const struct report_source *src)
{
	return store_outbox_counts(src->store, on_state, r);
}

/* One line: " queued=3 sent=5", or " (empty)". */
static void
outbox_table(struct report *r, struct buf *out)
{
	const struct outbox *o = outbox_of(r);
	size_t i;

	buf_puts(out, "\nOutbox now:");
	for (i = 0; i < o->n; i++)
		buf_printf(out, " %s=%lld", o->states[i].name,
		    (long long)o->states[i].n);
	buf_puts(out, o->n == 0 ? " (empty)\n" : "\n");
}

static void
outbox_json(struct report *r, struct buf *out)
{
	const struct outbox *o = outbox_of(r);
	size_t i;

	buf_puts(out, ",\"outbox\":{");
	for (i = 0; i < o->n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		buf_json_string(out, o->states[i].name);
		buf_printf(out, ":%lld", (long long)o->states[i].n);
	}
	buf_putc(out, '}');
}

const struct report_section report_outbox = {
	.name = "outbox",
	.collect = outbox_collect,
	.render_table = outbox_table,
	.render_csv = NULL,
	.render_json = outbox_json,
	.free = outbox_free,
};
