/*
 * report_render: the three renderings of a report (see report.h), each a
 * walk over the sections (report_sections.c), and the helpers the
 * sections write with.
 *
 * The table is for a terminal: columns padded by display width, so a
 * Hindi keyword or text lines up with the Latin ones, and every cell made
 * safe for the terminal (buf_term_dup), since texts come from anyone.  CSV
 * (RFC 4180, CRLF, cells by csv_put_cell) is one section per call, so that
 * it stays one rectangular table a spreadsheet can open.  JSON carries
 * everything; a suppressed count is the string "<N" where a number would
 * be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "report.h"
#include "report_int.h"
#include "suppress.h"
#include "util.h"

/* ---- aligned table ---- */

void
report_render_row(struct report_table *t, const char *const *v)
{
	size_t i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof(char *));
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = buf_term_dup(v[i]);
	t->nrows++;
}

static void
pad(struct buf *out, size_t n)
{
	while (n-- > 0)
		buf_putc(out, ' ');
}

void
report_render_rows(struct report_table *t, struct buf *out,
    const char *indent)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w)), i, j, cw;
	const char *c;

	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++) {
			cw = report_display_width(t->cells[i * t->ncols + j]);
			if (cw > w[j])
				w[j] = cw;
		}
	for (i = 0; i < t->nrows; i++) {
		buf_puts(out, indent);
		for (j = 0; j < t->ncols; j++) {
			c = t->cells[i * t->ncols + j];
			cw = report_display_width(c);
			if (j > 0)
				buf_puts(out, "  ");
			if (t->align[j] == 'r')
				pad(out, w[j] - cw);
			buf_puts(out, c);
			if (t->align[j] != 'r' && j + 1 < t->ncols)
				pad(out, w[j] - cw);
		}
		buf_putc(out, '\n');
	}
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(w);
	t->cells = NULL;
	t->nrows = 0;
}

void
report_render_table(struct report *r, struct buf *out)
{
	size_t i;

	report_finish(r);
	for (i = 0; report_sections[i] != NULL; i++)
		report_sections[i]->render_table(r, out);
}

int
report_render_table_section(struct report *r, const char *name,
    struct buf *out)
{
	size_t i;

	report_finish(r);
	for (i = 0; report_sections[i] != NULL; i++)
		if (strcmp(report_sections[i]->name, name) == 0) {
			report_sections[i]->render_table(r, out);
			return 0;
		}
	return -1;
}

/* ---- counts a section's plan decided ---- */

void
report_render_cell(const struct report *r, const struct suppress *plan,
    size_t i, int64_t v, char out[REPORT_CELL])
{
	if (suppress_hidden(plan, i))
		snprintf(out, REPORT_CELL, "<%d", r->o.suppress_below);
	else
		snprintf(out, REPORT_CELL, "%lld", (long long)v);
}

void
report_render_json_cell(struct buf *out, const struct report *r,
    const struct suppress *plan, size_t i, int64_t v)
{
	char c[REPORT_CELL];

	report_render_cell(r, plan, i, v, c);
	if (suppress_hidden(plan, i))
		buf_json_string(out, c);
	else
		buf_puts(out, c);
}

void
report_render_rounded(const struct report *r, int64_t v,
    char out[REPORT_CELL])
{
	int64_t n = r->o.suppress_below;

	if (!report_breakdown_suppressing(r))
		snprintf(out, REPORT_CELL, "%lld", (long long)v);
	else if (v < n)
		snprintf(out, REPORT_CELL, "<%lld", (long long)n);
	else
		snprintf(out, REPORT_CELL, "~%lld",
		    (long long)((v + n / 2) / n * n));
}

void
report_render_json_rounded(struct buf *out, const struct report *r,
    int64_t v)
{
	char c[REPORT_CELL];

	report_render_rounded(r, v, c);
	if (c[0] == '<' || c[0] == '~')
		buf_json_string(out, c);
	else
		buf_puts(out, c);
}

/* ---- CSV ---- */

void
report_render_csv_line(struct buf *b, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		csv_put_cell(b, v[i]);
	}
	buf_puts(b, "\r\n");
}

int
report_render_csv(struct report *r, const char *name, struct buf *out)
{
	const struct report_section *s;
	size_t i;

	report_finish(r);
	if (name == NULL)
		name = "groups";
	for (i = 0; (s = report_sections[i]) != NULL; i++)
		if (s->render_csv != NULL && strcmp(s->name, name) == 0) {
			s->render_csv(r, out);
			return 0;
		}
	return -1;
}

void
report_render_csv_names(struct buf *out)
{
	size_t i, n = 0, k = 0;

	for (i = 0; report_sections[i] != NULL; i++)
		n += report_sections[i]->render_csv != NULL;
	for (i = 0; report_sections[i] != NULL; i++) {
		if (report_sections[i]->render_csv == NULL)
			continue;
		if (k > 0)
			buf_puts(out, k + 1 == n ? " or " : ", ");
		buf_puts(out, report_sections[i]->name);
		k++;
	}
}

/* ---- JSON ---- */

void
report_render_json_count(struct buf *b, const struct report *r, int64_t n,
    int suppress)
{
	char c[REPORT_CELL];

	if (suppress) {
		report_format_count(r, n, c, sizeof(c));
		if (c[0] == '<') {
			buf_json_string(b, c);
			return;
		}
	}
	buf_printf(b, "%lld", (long long)n);
}

void
report_render_json_time(struct buf *b, int64_t ms)
{
	char t[32];

	if (ms == 0) {
		buf_puts(b, "null");
		return;
	}
	util_iso8601(ms, t);
	buf_json_string(b, t);
}

void
report_render_json(struct report *r, struct buf *out)
{
	size_t i;

	report_finish(r);
	buf_printf(out, "{\"by\":\"%s\",\"since\":", report_by_name(r->o.by));
	report_render_json_time(out, r->o.since_ms);
	buf_puts(out, ",\"until\":");
	report_render_json_time(out, r->o.until_ms);
	buf_puts(out, ",\"district\":");
	buf_json_string(out, r->o.district);
	buf_puts(out, ",\"channel\":");
	buf_json_string(out, r->o.channel);
	buf_printf(out, ",\"utc_offset_minutes\":%d,\"suppress_below\":%d,"
	    "\"suppressed\":%s", r->o.utc_offset_min, r->o.suppress_below,
	    report_suppressing(r) ? "true" : "false");
	for (i = 0; report_sections[i] != NULL; i++)
		report_sections[i]->render_json(r, out);
	buf_puts(out, "}\n");
}
