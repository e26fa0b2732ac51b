/*
 * report: the per-group aggregation behind report.h, and the slots the
 * sections (report_sections.c) keep their figures in.
 *
 * One pass over the rows: each row finds its group (the last one used is
 * tried first: rows come in time order, so days and weeks arrive in runs)
 * and adds to it and to the total.  Unique contacts are counted with a set
 * of 64-bit hashes of the numbers (never the numbers themselves), reply
 * latencies are kept per group for the percentiles.  Memory grows with the
 * number of groups, contacts and replies, not with anything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "crypto.h"
#include "redact.h"
#include "report.h"
#include "report_int.h"
#include "store.h"
#include "util.h"

static const char *const by_names[] = {
	[REPORT_BY_KEYWORD] = "keyword",
	[REPORT_BY_DISTRICT] = "district",
	[REPORT_BY_DAY] = "day",
	[REPORT_BY_WEEK] = "week",
	[REPORT_BY_CHANNEL] = "channel",
	[REPORT_BY_LANGUAGE] = "language",
};

int
report_by_parse(const char *s, enum report_by *by)
{
	size_t i;

	for (i = 0; s != NULL && i < SP_ARRAY_LEN(by_names); i++)
		if (strcmp(s, by_names[i]) == 0) {
			*by = (enum report_by)i;
			return 0;
		}
	return -1;
}

const char *
report_by_name(enum report_by by)
{
	return (size_t)by < SP_ARRAY_LEN(by_names) ? by_names[by] : "?";
}

/* ---- the contact set ---- */

static uint64_t
hash64(const char *s)
{
	uint64_t h = util_fnv1a(0, s);

	return h != 0 ? h : 1;
}

static void idset_add(struct idset *, uint64_t);

static void
idset_grow(struct idset *set)
{
	struct idset bigger;
	size_t i;

	bigger.cap = set->cap ? set->cap * 2 : 16;
	bigger.n = 0;
	bigger.slots = xcalloc(bigger.cap, sizeof(uint64_t));
	for (i = 0; i < set->cap; i++)
		if (set->slots[i] != 0)
			idset_add(&bigger, set->slots[i]);
	free(set->slots);
	*set = bigger;
}

/* Add h (non-zero); set->n counts distinct values. */
static void
idset_add(struct idset *set, uint64_t h)
{
	size_t i;

	if ((set->n + 1) * 4 > set->cap * 3)
		idset_grow(set);
	for (i = h & (set->cap - 1); set->slots[i] != 0;
	    i = (i + 1) & (set->cap - 1))
		if (set->slots[i] == h)
			return;
	set->slots[i] = h;
	set->n++;
}

/* ---- time keys ---- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void
civil(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
local_days(int64_t ms, int utc_offset_min)
{
	int64_t t = ms + (int64_t)utc_offset_min * 60000;

	return t >= 0 ? t / 86400000 : (t - 86399999) / 86400000;
}

void
report_day_key(int64_t ms, int utc_offset_min, char out[16])
{
	int y, m, d;

	civil(local_days(ms, utc_offset_min), &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* A civil date to days since 1970-01-01 (the inverse of civil()). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
report_week_key(int64_t ms, int utc_offset_min, char out[16])
{
	int64_t days = local_days(ms, utc_offset_min), thu;
	int wd, y, m, d;

	/* ISO 8601: a week belongs to the year of its Thursday. */
	wd = (int)(((days + 3) % 7 + 7) % 7);	/* 0 = Monday */
	thu = days - wd + 3;
	civil(thu, &y, &m, &d);
	snprintf(out, 16, "%04d-W%02d", y,
	    (int)((thu - days_from_civil(y, 1, 1)) / 7 + 1));
}

int
report_parse_date(const char *s, int utc_offset_min, int end, int64_t *ms)
{
	if (s == NULL || util_parse_iso8601(s, ms) == -1)
		return -1;
	if (strlen(s) == 10) {
		*ms -= (int64_t)utc_offset_min * 60000;
		if (end)
			*ms += 86400000LL;
	}
	return 0;
}

/* ---- aggregation ---- */

struct report *
report_new(const struct report_options *opts)
{
	struct report *r = xcalloc(1, sizeof(*r));

	r->o = *opts;
	if (opts->district != NULL)
		r->o.district = r->district = xstrdup(opts->district);
	if (opts->channel != NULL)
		r->o.channel = r->channel = xstrdup(opts->channel);
	r->total.key = xstrdup("TOTAL");
	r->total.c.latency_p50_ms = r->total.c.latency_p95_ms = -1;
	return r;
}

static void
group_clear(struct group *g)
{
	free(g->key);
	free(g->contacts.slots);
	free(g->lat);
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ngroups; i++)
		group_clear(&r->groups[i]);
	free(r->groups);
	group_clear(&r->total);
	for (i = 0; i < r->nslots; i++) {
		if (r->slots[i].section->free != NULL)
			r->slots[i].section->free(r->slots[i].data);
		else
			free(r->slots[i].data);
	}
	free(r->slots);
	free(r->district);
	free(r->channel);
	report_canon_free(r->canon);
	free(r);
}

void *
report_section_data(struct report *r, const struct report_section *s,
    size_t size)
{
	size_t i;

	for (i = 0; i < r->nslots; i++)
		if (r->slots[i].section == s)
			return r->slots[i].data;
	r->slots = xreallocarray(r->slots, r->nslots + 1, sizeof(*r->slots));
	r->slots[r->nslots].section = s;
	r->slots[r->nslots].data = xcalloc(1, size);
	return r->slots[r->nslots++].data;
}

const char *
report_row_key(enum report_by by, int utc_offset_min,
    const struct interaction *row, char tmp[16])
{
	switch (by) {
	case REPORT_BY_KEYWORD:
		return row->keyword != NULL ? row->keyword : "(unmatched)";
	case REPORT_BY_DISTRICT:
		return row->district != NULL ? row->district : "(unknown)";
	case REPORT_BY_DAY:
		report_day_key(row->time_ms, utc_offset_min, tmp);
		return tmp;
	case REPORT_BY_WEEK:
		report_week_key(row->time_ms, utc_offset_min, tmp);
		return tmp;
	case REPORT_BY_CHANNEL:
		return row->channel != NULL ? row->channel : "(unknown)";
	case REPORT_BY_LANGUAGE:
		return row->language != NULL ? row->language : "(unknown)";
	}
	return "?";
}

static struct group *
group_for(struct report *r, const char *key)
{
	struct group *g;
	size_t i;

	if (r->ngroups > 0 && strcmp(r->groups[r->last].key, key) == 0)
		return &r->groups[r->last];
	for (i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].key, key) == 0) {
			r->last = i;
			return &r->groups[i];
		}
	r->groups = xreallocarray(r->groups, r->ngroups + 1,
	    sizeof(*r->groups));
	g = &r->groups[r->ngroups];
	memset(g, 0, sizeof(*g));
	g->key = xstrdup(key);
	g->c.latency_p50_ms = g->c.latency_p95_ms = -1;
	r->last = r->ngroups++;
	return g;
}

void
report_add_group(struct report *r, const char *key)
{
	(void)group_for(r, key);
}

static int
keyword_is(const char *kw, const char *const *names)
{
	for (; kw != NULL && *names != NULL; names++)
		if (strcasecmp(kw, *names) == 0)
			return 1;
	return 0;
}

static void
count_row(struct group *g, const struct interaction *row)
{
	static const char *const ins[] = { "join", "start", NULL };
	static const char *const outs[] = { "stop", NULL };

	if (row->direction != NULL && strcmp(row->direction, "in") == 0) {
		g->c.inbound++;
		if (row->phone != NULL)
			idset_add(&g->contacts, hash64(row->phone));
		g->c.contacts = (int64_t)g->contacts.n;
		if (row->status != NULL && strcmp(row->status, "unmatched") == 0)
			g->c.unmatched++;
		else
			g->c.matched++;
		g->c.opt_ins += keyword_is(row->keyword, ins);
		g->c.opt_outs += keyword_is(row->keyword, outs);
		return;
	}
	/* Out rows answering an inbound row are replies; others (e.g. a
	 * broadcast) are counted in the funnels. */
	if (row->reply_to == 0)
		return;
	g->c.replies++;
	g->c.segments += row->segments;
	if (row->latency_ms >= 0) {
		if (g->nlat == g->caplat) {
			g->caplat = g->caplat ? g->caplat * 2 : 16;
			g->lat = xreallocarray(g->lat, g->caplat,
			    sizeof(*g->lat));
		}
		g->lat[g->nlat++] = row->latency_ms;
	}
}

int
report_add_row(void *arg, const struct interaction *row)
{
	struct report *r = arg;
	char tmp[16];

	count_row(group_for(r, report_row_key(r->o.by, r->o.utc_offset_min,
	    row, tmp)), row);
	count_row(&r->total, row);
	r->finished = 0;
	return 0;
}

char *
report_clean_text(const char *s)
{
	char *t = redact_contacts(s), *p;

	/* One line, and no phone numbers or addresses (redact.h): the
	 * same masking as the export's. */
	for (p = t; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return t;
}

void
report_named_add(struct report_named **v, size_t *n, const char *name,
    int64_t count)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].name = report_clean_text(name);
	(*v)[*n].n = count;
	(*n)++;
}

void
report_named_free(struct report_named *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% at or below it. */
static int64_t
percentile(const int64_t *v, size_t n, int p)
{
	size_t rank = (n * (size_t)p + 99) / 100;

	return n == 0 ? -1 : v[rank > 0 ? rank - 1 : 0];
}

static void
group_finish(struct group *g)
{
	if (g->nlat > 0)
		qsort(g->lat, g->nlat, sizeof(*g->lat), cmp_int64);
	g->c.latency_p50_ms = percentile(g->lat, g->nlat, 50);
	g->c.latency_p95_ms = percentile(g->lat, g->nlat, 95);
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key,
	    ((const struct group *)b)->key);
}

/* Most queries first; ties by name, so the order is stable. */
static int
cmp_volume(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->c.inbound != y->c.inbound)
		return x->c.inbound > y->c.inbound ? -1 : 1;
	return strcmp(x->key, y->key);
}

void
report_finish(struct report *r)
{
	size_t i;

	if (r->finished)
		return;
	for (i = 0; i < r->ngroups; i++)
		group_finish(&r->groups[i]);
	group_finish(&r->total);
	if (r->ngroups > 0)
		qsort(r->groups, r->ngroups, sizeof(*r->groups),
		    r->o.by == REPORT_BY_DAY || r->o.by == REPORT_BY_WEEK ?
		    cmp_key : cmp_volume);
	r->last = 0;
	r->finished = 1;
}

size_t
report_ngroups(const struct report *r)
{
	return r->ngroups;
}

const char *
report_group_key(const struct report *r, size_t i)
{
	return i < r->ngroups ? r->groups[i].key : NULL;
}

const struct report_counts *
report_group(const struct report *r, size_t i)
{
	return i < r->ngroups ? &r->groups[i].c : NULL;
}

const struct report_counts *
report_total(const struct report *r)
{
	return &r->total.c;
}

int
report_suppressing(const struct report *r)
{
	if (r->o.no_suppress || r->o.suppress_below <= 1)
		return 0;
	/* A week's figures over all districts are the sum of its days',
	 * which every report by day shows: only districts are hidden. */
	return r->o.by == REPORT_BY_DISTRICT || r->o.district != NULL;
}

void
report_format_count(const struct report *r, int64_t n, char *out,
    size_t outlen)
{
	if (report_suppressing(r) && n > 0 && n < r->o.suppress_below)
		snprintf(out, outlen, "<%d", r->o.suppress_below);
	else
		snprintf(out, outlen, "%lld", (long long)n);
}

/* ---- display width ---- */

size_t
report_display_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t w = 0;
	int cw;

	while (*p != '\0') {
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {		/* invalid byte: one replacement column */
			w++;
			p++;
			continue;
		}
		p += n;
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_MN:
		case UTF8PROC_CATEGORY_ME:
		case UTF8PROC_CATEGORY_MC:
		case UTF8PROC_CATEGORY_CF:
			continue;	/* combining marks sit on their base */
		default:
			break;
		}
		cw = utf8proc_charwidth(cp);
		w += cw > 0 ? (size_t)cw : 1;
	}
	return w;
}

/* ---- pseudonyms ---- */

void
report_pseudonym(const char *key, const char *phone,
    char out[REPORT_PSEUDONYM_LEN + 1])
{
	char hex[CRYPTO_SHA256_HEX_LEN + 1];

	crypto_hmac_sha256_hex(key, strlen(key), phone, strlen(phone), hex);
	snprintf(out, REPORT_PSEUDONYM_LEN + 1, "c_%.16s", hex);
}

int
report_breakdown_suppressing(const struct report *r)
{
	return !r->o.no_suppress && r->o.suppress_below > 1;
}
