/*
 * report_funnels: each broadcast of the period by name (title, template,
 * audience, when and by whom), its state as `broadcast list` shows it,
 * its messages by their real state (a cancelled message is no failure),
 * its reminders under it, and its meeting's RSVP answers on the
 * broadcast that announced it, not repeated on the reminders
 * (store_funnel).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "util.h"

static const char *const funnel_names[] = { "broadcast", "title",
    "template", "audience", "created", "created_by", "state", "messages",
    "pending", "sent", "delivered", "undelivered", "failed", "expired",
    "cancelled", "rsvp_yes", "rsvp_no" };
#define NFUNNEL		SP_ARRAY_LEN(funnel_names)
#define FIRST_COUNT	7	/* funnel_names[7..]: numbers */

/* A funnel with its strings owned. */
struct funnel {
	struct store_funnel	 f;
	char			*kind, *title, *template_key, *audience,
				*created_by, *state;
};

struct funnels {
	struct funnel		*v;
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
	struct funnels *fs = arg;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		free(fs->v[i].kind);
		free(fs->v[i].title);
		free(fs->v[i].template_key);
		free(fs->v[i].audience);
		free(fs->v[i].created_by);
		free(fs->v[i].state);
	}
	free(fs->v);
	free(fs);
}

/* Texts from coordinators, made fit for a report. */
static char *
dup_clean(const char *s)
{
	return s != NULL ? report_clean_text(s) : NULL;
}

void
report_funnels_add(struct report *r, const struct store_funnel *f)
{
	struct funnels *fs = funnels_of(r);
	struct funnel *x;

	fs->v = xreallocarray(fs->v, fs->n + 1, sizeof(*fs->v));
	x = &fs->v[fs->n++];
	x->f = *f;
	x->f.kind = x->kind = dup_clean(f->kind);
	x->f.title = x->title = dup_clean(f->title);
	x->f.template_key = x->template_key = dup_clean(f->template_key);
	x->f.audience = x->audience = dup_clean(f->audience);
	x->f.created_by = x->created_by = dup_clean(f->created_by);
	x->f.state = x->state = dup_clean(f->state);
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

/* The funnel of broadcast id among fs, or NULL. */
static const struct funnel *
funnel_find(const struct funnels *fs, int64_t id)
{
	size_t i;

	for (i = 0; id != 0 && i < fs->n; i++)
		if (fs->v[i].f.broadcast_id == id)
			return &fs->v[i];
	return NULL;
}

/* A reminder whose broadcast is in the list is shown under it. */
static int
is_nested(const struct funnels *fs, const struct funnel *x)
{
	return x->f.parent_id != 0 && funnel_find(fs, x->f.parent_id) != NULL;
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * The state `broadcast list` and `show` print (broadcast_state() in
 * outreach/, which the report may not include: the rule is repeated here
 * over the funnel's counts).  The stored state while "creating" or once
 * "cancelled"; else "queued" while a message is left to send, "sent"
 * while some wait for the provider's delivery report (accepted, neither
 * delivered nor undelivered yet), "done" when every one has its last
 * state.
 */
static const char *
funnel_state(const struct funnel *x)
{
	const struct store_funnel *f = &x->f;

	if (x->state == NULL)
		return "queued";
	if (strcmp(x->state, "queued") != 0)
		return x->state;
	if (f->pending > 0)
		return "queued";
	return f->sent - f->delivered - f->undelivered > 0 ? "sent" : "done";
}

static void
funnel_cells(const struct funnel *x, int nested,
    char cells[NFUNNEL][REPORT_CELL], const char *v[NFUNNEL], char *title,
    size_t titlelen)
{
	const struct store_funnel *f = &x->f;
	const int64_t n[] = { f->messages, f->pending, f->sent, f->delivered,
	    f->undelivered, f->failed, f->expired, f->cancelled, f->rsvp_yes,
	    f->rsvp_no };
	char when[32];
	size_t i;

	util_iso8601(f->created_ms, when);
	snprintf(cells[0], REPORT_CELL, "%lld", (long long)f->broadcast_id);
	snprintf(cells[4], REPORT_CELL, "%.16s", when);	/* to the minute */
	snprintf(title, titlelen, "%s%s", nested ? "  reminder: " : "",
	    str(x->title));
	v[0] = cells[0];
	v[1] = title;
	v[2] = str(x->template_key);
	v[3] = str(x->audience);
	v[4] = cells[4];
	v[5] = str(x->created_by);
	v[6] = funnel_state(x);
	for (i = 0; i < SP_ARRAY_LEN(n); i++) {
		snprintf(cells[FIRST_COUNT + i], REPORT_CELL, "%lld",
		    (long long)n[i]);
		v[FIRST_COUNT + i] = cells[FIRST_COUNT + i];
	}
	if (!f->has_rsvp)
		v[NFUNNEL - 2] = v[NFUNNEL - 1] = "-";
}

/* The funnels in the order shown: each broadcast, then its reminders. */
static size_t
shown_order(const struct funnels *fs, size_t *order)
{
	size_t i, j, k = 0;

	for (i = 0; i < fs->n; i++) {
		if (is_nested(fs, &fs->v[i]))
			continue;
		order[k++] = i;
		for (j = 0; j < fs->n; j++)
			if (fs->v[j].f.parent_id == fs->v[i].f.broadcast_id &&
			    j != i)
				order[k++] = j;
	}
	return k;
}

static void
funnels_table(struct report *r, struct buf *out)
{
	const struct funnels *fs = funnels_of(r);
	struct report_table t = { NFUNNEL, NULL, 0, "rllllllrrrrrrrrrr" };
	char fc[NFUNNEL][REPORT_CELL], title[256];
	const char *v[NFUNNEL];
	size_t i, k, *order;

	buf_puts(out, "\nBroadcast funnels (reminders under their "
	    "broadcast; cancelled is not failed):\n");
	if (!fs->available || fs->n == 0) {
		buf_puts(out, "  (no broadcasts in this period)\n");
		return;
	}
	order = xcalloc(fs->n, sizeof(*order));
	k = shown_order(fs, order);
	report_render_row(&t, funnel_names);
	for (i = 0; i < k; i++) {
		const struct funnel *x = &fs->v[order[i]];

		funnel_cells(x, is_nested(fs, x), fc, v, title,
		    sizeof(title));
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
	free(order);
}

/* No answers kept: empty cells, not "-".  A reminder's row names its
 * broadcast in "parent". */
static void
funnels_csv(struct report *r, struct buf *out)
{
	const struct funnels *fs = funnels_of(r);
	char fc[NFUNNEL][REPORT_CELL], title[256], parent[24];
	const char *v[NFUNNEL + 1], *head[NFUNNEL + 1];
	size_t i, j, k, *order;

	head[0] = funnel_names[0];
	head[1] = "parent";
	for (j = 1; j < NFUNNEL; j++)
		head[j + 1] = funnel_names[j];
	report_render_csv_line(out, head, NFUNNEL + 1);
	order = xcalloc(fs->n + 1, sizeof(*order));
	k = shown_order(fs, order);
	for (i = 0; i < k; i++) {
		const struct funnel *x = &fs->v[order[i]];

		funnel_cells(x, 0, fc, v + 1, title, sizeof(title));
		v[0] = v[1];
		snprintf(parent, sizeof(parent), "%lld",
		    (long long)x->f.parent_id);
		v[1] = x->f.parent_id != 0 ? parent : "";
		for (j = 1; j <= NFUNNEL; j++)
			if (strcmp(v[j], "-") == 0)
				v[j] = "";
		report_render_csv_line(out, v, NFUNNEL + 1);
	}
	free(order);
}

static void
funnel_json(struct buf *out, const struct funnels *fs,
    const struct funnel *x, int with_reminders)
{
	const struct store_funnel *f = &x->f;
	size_t j, k = 0;

	buf_printf(out, "{\"broadcast\":%lld,\"kind\":",
	    (long long)f->broadcast_id);
	buf_json_string(out, str(x->kind));
	buf_puts(out, ",\"title\":");
	buf_json_string(out, str(x->title));
	buf_puts(out, ",\"template\":");
	buf_json_string(out, str(x->template_key));
	buf_puts(out, ",\"audience\":");
	buf_json_string(out, str(x->audience));
	buf_puts(out, ",\"created\":");
	report_render_json_time(out, f->created_ms);
	buf_puts(out, ",\"created_by\":");
	if (x->created_by != NULL)
		buf_json_string(out, x->created_by);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"state\":");
	buf_json_string(out, funnel_state(x));
	if (f->parent_id != 0)
		buf_printf(out, ",\"parent\":%lld", (long long)f->parent_id);
	else
		buf_puts(out, ",\"parent\":null");
	if (f->meeting_id != 0) {
		buf_printf(out, ",\"meeting\":{\"id\":%lld,\"time\":",
		    (long long)f->meeting_id);
		report_render_json_time(out, f->meeting_ms);
		buf_putc(out, '}');
	} else
		buf_puts(out, ",\"meeting\":null");
	buf_puts(out, ",\"first_queued\":");
	report_render_json_time(out, f->first_queued_ms);
	buf_printf(out, ",\"messages\":%lld,\"pending\":%lld,"
	    "\"sent\":%lld,\"delivered\":%lld,\"undelivered\":%lld,"
	    "\"failed\":%lld,\"expired\":%lld,\"cancelled\":%lld",
	    (long long)f->messages, (long long)f->pending,
	    (long long)f->sent, (long long)f->delivered,
	    (long long)f->undelivered, (long long)f->failed,
	    (long long)f->expired, (long long)f->cancelled);
	if (f->has_rsvp)
		buf_printf(out, ",\"rsvp_yes\":%lld,\"rsvp_no\":%lld",
		    (long long)f->rsvp_yes, (long long)f->rsvp_no);
	else
		buf_puts(out, ",\"rsvp_yes\":null,\"rsvp_no\":null");
	buf_puts(out, ",\"reminders\":[");
	for (j = 0; with_reminders && j < fs->n; j++)
		if (fs->v[j].f.parent_id == f->broadcast_id &&
		    &fs->v[j] != x) {
			if (k++ > 0)
				buf_putc(out, ',');
			funnel_json(out, fs, &fs->v[j], 0);
		}
	buf_puts(out, "]}");
}

static void
funnels_json(struct report *r, struct buf *out)
{
	const struct funnels *fs = funnels_of(r);
	size_t i, k = 0;

	buf_puts(out, ",\"funnels\":[");
	for (i = 0; fs->available && i < fs->n; i++) {
		if (is_nested(fs, &fs->v[i]))
			continue;
		if (k++ > 0)
			buf_putc(out, ',');
		funnel_json(out, fs, &fs->v[i], 1);
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
