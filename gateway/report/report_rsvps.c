/*
 * report_rsvps: the answers to each meeting over time: per meeting and
 * day (in the report's zone), how many said yes and no that day, so a
 * coalition sees whether the notice and its reminder moved anyone.
 *
 * Suppression: each meeting's days add up to its yes and its no, one
 * line each; small counts are hidden with a partner unless the report
 * shows every count.  Those totals count as published (the funnels show
 * them), so the partner is always another day: a meeting answered on
 * one day only shows in its funnel what its one day would hide.
 * Running totals are not shown: two of them would give a hidden day
 * away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "store.h"
#include "suppress.h"
#include "util.h"

struct rsvp_day {
	int64_t	 meeting;
	char	*title;
	char	 day[16];
	int64_t	 yes, no;
};

struct rsvps {
	struct rsvp_day	*v;
	size_t		 n;
	struct suppress	*plan;
	int		 planned;
};

extern const struct report_section report_rsvps;

static struct rsvps *
rsvps_of(struct report *r)
{
	return report_section_data(r, &report_rsvps, sizeof(struct rsvps));
}

static void
rsvps_free(void *arg)
{
	struct rsvps *rs = arg;
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->v[i].title);
	free(rs->v);
	suppress_free(rs->plan);
	free(rs);
}

void
report_rsvps_add(struct report *r, int64_t meeting, const char *title,
    const char *day, int64_t yes, int64_t no)
{
	struct rsvps *rs = rsvps_of(r);
	struct rsvp_day *d;

	rs->v = xreallocarray(rs->v, rs->n + 1, sizeof(*rs->v));
	d = &rs->v[rs->n++];
	d->meeting = meeting;
	d->title = report_clean_text(title != NULL ? title : "");
	snprintf(d->day, sizeof(d->day), "%s", day != NULL ? day : "");
	d->yes = yes;
	d->no = no;
}

static int
on_day(void *arg, int64_t meeting, const char *title, const char *day,
    int64_t yes, int64_t no)
{
	report_rsvps_add(arg, meeting, title, day, yes, no);
	return 0;
}

static int
rsvps_collect(struct report *r, const struct report_source *src)
{
	return store_report_rsvps(src->store, &src->filter,
	    r->o.utc_offset_min, on_day, r);
}

/*
 * Cells: 2 per day (yes, no), then 2 per meeting (its totals), in the
 * order of the days (by meeting, then day, as the store gives them).
 */
static const struct suppress *
rsvps_plan(struct report *r)
{
	struct rsvps *rs = rsvps_of(r);
	size_t i, j, m, a, k, nm = 0, *line, base;
	int64_t total;

	if (rs->planned)
		return rs->plan;
	rs->planned = 1;
	if (!report_breakdown_suppressing(r) || rs->n == 0)
		return NULL;
	for (i = 0; i < rs->n; i++)
		nm += i == 0 || rs->v[i].meeting != rs->v[i - 1].meeting;
	base = 2 * rs->n;
	rs->plan = suppress_new(base + 2 * nm);
	line = xcalloc(rs->n + 1, sizeof(*line));
	for (i = 0, m = 0; i < rs->n; i = j, m++) {
		for (j = i; j < rs->n && rs->v[j].meeting == rs->v[i].meeting;
		    j++) {
			suppress_cell(rs->plan, 2 * j, rs->v[j].yes, 1, 0);
			suppress_cell(rs->plan, 2 * j + 1, rs->v[j].no, 1, 0);
		}
		for (a = 0; a < 2; a++) {
			total = 0;
			for (k = 0; k < j - i; k++) {
				line[k] = 2 * (i + k) + a;
				total += a ? rs->v[i + k].no : rs->v[i + k].yes;
			}
			suppress_cell(rs->plan, base + 2 * m + a, total, 1, 1);
			/*
			 * The funnels print each meeting's yes and no as
			 * they are: a total hidden here would hide nothing,
			 * so the days must be protected by one another.
			 */
			suppress_fix(rs->plan, base + 2 * m + a, 0);
			line[k] = base + 2 * m + a;
			suppress_line(rs->plan, line, k + 1);
		}
	}
	free(line);
	suppress_run(rs->plan, r->o.suppress_below);
	return rs->plan;
}

/* Day i as the cells of a line: meeting, title, day, yes, no (id, y and
 * n hold what v points to). */
static void
day_cells(const struct report *r, const struct rsvps *rs,
    const struct suppress *plan, size_t i, char id[REPORT_CELL],
    char y[REPORT_CELL], char n[REPORT_CELL], const char *v[5])
{
	snprintf(id, REPORT_CELL, "%lld", (long long)rs->v[i].meeting);
	report_render_cell(r, plan, 2 * i, rs->v[i].yes, y);
	report_render_cell(r, plan, 2 * i + 1, rs->v[i].no, n);
	v[0] = id; v[1] = rs->v[i].title; v[2] = rs->v[i].day;
	v[3] = y; v[4] = n;
}

static void
rsvps_table(struct report *r, struct buf *out)
{
	static const char *const head[] = { "meeting", "title", "day", "yes",
	    "no" };
	struct rsvps *rs = rsvps_of(r);
	const struct suppress *plan = rsvps_plan(r);
	struct report_table t = { 5, NULL, 0, "rllrr" };
	char id[REPORT_CELL], y[REPORT_CELL], n[REPORT_CELL];
	const char *v[5];
	size_t i;

	buf_puts(out, "\nRSVP answers per meeting, by the day they came:\n");
	if (rs->n == 0) {
		buf_puts(out, "  (none in this period)\n");
		return;
	}
	report_render_row(&t, head);
	for (i = 0; i < rs->n; i++) {
		day_cells(r, rs, plan, i, id, y, n, v);
		report_render_row(&t, v);
	}
	report_render_rows(&t, out, "  ");
}

static void
rsvps_csv(struct report *r, struct buf *out)
{
	static const char *const head[] = { "meeting", "title", "day", "yes",
	    "no" };
	struct rsvps *rs = rsvps_of(r);
	const struct suppress *plan = rsvps_plan(r);
	char id[REPORT_CELL], y[REPORT_CELL], n[REPORT_CELL];
	const char *v[5];
	size_t i;

	report_render_csv_line(out, head, 5);
	for (i = 0; i < rs->n; i++) {
		day_cells(r, rs, plan, i, id, y, n, v);
		report_render_csv_line(out, v, 5);
	}
}

static void
rsvps_json(struct report *r, struct buf *out)
{
	struct rsvps *rs = rsvps_of(r);
	const struct suppress *plan = rsvps_plan(r);
	size_t i;

	buf_puts(out, ",\"rsvps\":[");
	for (i = 0; i < rs->n; i++) {
		buf_printf(out, "%s{\"meeting\":%lld,\"title\":",
		    i > 0 ? "," : "", (long long)rs->v[i].meeting);
		buf_json_string(out, rs->v[i].title);
		buf_puts(out, ",\"day\":");
		buf_json_string(out, rs->v[i].day);
		buf_puts(out, ",\"yes\":");
		report_render_json_cell(out, r, plan, 2 * i, rs->v[i].yes);
		buf_puts(out, ",\"no\":");
		report_render_json_cell(out, r, plan, 2 * i + 1, rs->v[i].no);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

const struct report_section report_rsvps = {
	.name = "rsvps",
	.collect = rsvps_collect,
	.render_table = rsvps_table,
	.render_csv = rsvps_csv,
	.render_json = rsvps_json,
	.free = rsvps_free,
};
