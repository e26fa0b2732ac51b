/* Tests for gateway/report/: aggregation, percentiles, suppression, time
 * keys, display width, the sections' renderings and the pseudonym key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "report.h"
#include "store.h"
#include "util.h"

/* 2026-11-26T10:00:00Z, a Thursday. */
#define T0	1795687200000LL
#define DAY	86400000LL

static int64_t next_id = 1;

static int64_t
add_in(struct report *r, int64_t t, const char *phone, const char *kw,
    const char *district, const char *status)
{
	struct interaction row;

	memset(&row, 0, sizeof(row));
	row.id = next_id++;
	row.time_ms = t;
	row.channel = "sms";
	row.direction = "in";
	row.phone = phone;
	row.keyword = kw;
	row.district = district;
	row.language = "hi";
	row.latency_ms = -1;
	row.status = status != NULL ? status : (kw ? "matched" : "unmatched");
	assert_int_equal(report_add_row(r, &row), 0);
	return row.id;
}

static void
add_out(struct report *r, int64_t t, int64_t reply_to, const char *kw,
    const char *district, int segments, int64_t latency)
{
	struct interaction row;

	memset(&row, 0, sizeof(row));
	row.time_ms = t;
	row.channel = "sms";
	row.direction = "out";
	row.phone = "+919800000000";
	row.keyword = kw;
	row.district = district;
	row.language = "hi";
	row.segments = segments;
	row.latency_ms = latency;
	row.reply_to = reply_to;
	row.status = "replied";
	assert_int_equal(report_add_row(r, &row), 0);
}

static struct report *
make(enum report_by by, int suppress_below, int no_suppress,
    const char *district)
{
	struct report_options o;

	memset(&o, 0, sizeof(o));
	o.by = by;
	o.suppress_below = suppress_below;
	o.no_suppress = no_suppress;
	o.district = district;
	o.utc_offset_min = 330;
	return report_new(&o);
}

/* 6 loan queries from 4 women in Bhadohi, 2 unmatched, 1 join, 1 stop. */
static void
seed(struct report *r)
{
	static const char *const phones[] = { "+919800000001",
	    "+919800000002", "+919800000003", "+919800000001",
	    "+919800000004", "+919800000002" };
	size_t i;
	int64_t id;

	for (i = 0; i < 6; i++) {
		id = add_in(r, T0 + (int64_t)i * 1000, phones[i], "loan",
		    "bhadohi", NULL);
		/* Latencies 10, 20, ..., 60 ms; one reply of 2 segments. */
		add_out(r, T0 + (int64_t)i * 1000 + 5, id, "loan", "bhadohi",
		    i == 0 ? 2 : 1, (int64_t)(i + 1) * 10);
	}
	add_in(r, T0 + DAY, "+919800000005", NULL, "mirzapur", NULL);
	add_in(r, T0 + DAY, "+919800000005", NULL, "mirzapur", NULL);
	add_in(r, T0 + DAY, "+919800000006", "join", "samastipur", NULL);
	add_in(r, T0 + DAY, "+919800000006", "STOP", "samastipur", NULL);
}

static const struct report_counts *
group_named(const struct report *r, const char *key)
{
	size_t i;

	for (i = 0; i < report_ngroups(r); i++)
		if (strcmp(report_group_key(r, i), key) == 0)
			return report_group(r, i);
	fail_msg("no group %s", key);
	return NULL;
}

static void
test_by_keyword(void **state)
{
	struct report *r = make(REPORT_BY_KEYWORD, 5, 0, NULL);
	const struct report_counts *c;

	(void)state;
	seed(r);
	report_finish(r);
	assert_int_equal(report_ngroups(r), 4);
	/* Most queries first. */
	assert_string_equal(report_group_key(r, 0), "loan");
	c = group_named(r, "loan");
	assert_int_equal(c->inbound, 6);
	assert_int_equal(c->contacts, 4);
	assert_int_equal(c->matched, 6);
	assert_int_equal(c->unmatched, 0);
	assert_int_equal(c->replies, 6);
	assert_int_equal(c->segments, 7);
	/* Nearest rank: p50 of 10..60 is 30, p95 is 60. */
	assert_int_equal(c->latency_p50_ms, 30);
	assert_int_equal(c->latency_p95_ms, 60);
	c = group_named(r, "(unmatched)");
	assert_int_equal(c->inbound, 2);
	assert_int_equal(c->contacts, 1);
	assert_int_equal(c->unmatched, 2);
	assert_int_equal(c->replies, 0);
	assert_int_equal(c->latency_p50_ms, -1);
	assert_int_equal(group_named(r, "join")->opt_ins, 1);
	assert_int_equal(group_named(r, "STOP")->opt_outs, 1);
	c = report_total(r);
	assert_int_equal(c->inbound, 10);
	assert_int_equal(c->contacts, 6);
	assert_int_equal(c->matched, 8);
	assert_int_equal(c->unmatched, 2);
	assert_int_equal(c->opt_ins, 1);
	assert_int_equal(c->opt_outs, 1);
	/* By keyword, over all districts: nothing is suppressed. */
	assert_int_equal(report_suppressing(r), 0);
	report_free(r);
	report_free(NULL);
}

static void
test_suppression(void **state)
{
	struct report *r = make(REPORT_BY_DISTRICT, 5, 0, NULL);
	char out[16];
	struct buf b;

	(void)state;
	seed(r);
	report_finish(r);
	assert_int_equal(report_suppressing(r), 1);
	report_format_count(r, 4, out, sizeof(out));
	assert_string_equal(out, "<5");
	report_format_count(r, 5, out, sizeof(out));
	assert_string_equal(out, "5");
	report_format_count(r, 0, out, sizeof(out));
	assert_string_equal(out, "0");
	buf_init(&b, 0);
	report_render_csv(r, "groups", &b);
	/* bhadohi: 6 queries shown, 4 contacts hidden; matched 6 and
	 * unmatched 0 both shown (neither is from 1 to 4).  Its opt-ins and
	 * opt-outs (0) are hidden as well: samastipur's 1 is the only small
	 * one of those columns, and the total (1) minus the others would
	 * give it away. */
	assert_non_null(strstr(buf_cstr(&b),
	    "bhadohi,6,<5,6,0,6,7,30,60,<5,<5\r\n"));
	/* mirzapur: 2 unmatched -> hidden, and matched (0) hidden with it. */
	assert_non_null(strstr(buf_cstr(&b),
	    "mirzapur,<5,<5,<5,<5,0,0,,,0,0\r\n"));
	assert_non_null(strstr(buf_cstr(&b),
	    "samastipur,<5,<5,<5,<5,0,0,,,<5,<5\r\n"));
	buf_free(&b);
	report_free(r);

	/* --no-suppress shows everything. */
	r = make(REPORT_BY_DISTRICT, 5, 1, NULL);
	seed(r);
	buf_init(&b, 0);
	report_render_csv(r, NULL, &b);
	assert_non_null(strstr(buf_cstr(&b),
	    "mirzapur,2,1,0,2,0,0,,,0,0\r\n"));
	buf_free(&b);
	report_free(r);

	/* Weeks over all districts are the sum of their days, which the
	 * report by day shows: not suppressed.  One district's weeks are,
	 * with a configured threshold of 3. */
	r = make(REPORT_BY_WEEK, 3, 0, NULL);
	seed(r);
	assert_int_equal(report_suppressing(r), 0);
	report_format_count(r, 2, out, sizeof(out));
	assert_string_equal(out, "2");
	report_free(r);
	r = make(REPORT_BY_WEEK, 3, 0, "mirzapur");
	seed(r);
	report_format_count(r, 2, out, sizeof(out));
	assert_string_equal(out, "<3");
	report_free(r);

	/* By keyword within one district: district-level, so suppressed,
	 * and its total as well. */
	r = make(REPORT_BY_KEYWORD, 5, 0, "mirzapur");
	add_in(r, T0, "+919800000005", NULL, "mirzapur", NULL);
	add_in(r, T0, "+919800000005", "loan", "mirzapur", NULL);
	buf_init(&b, 0);
	report_render_json(r, &b);
	{
		json_error_t e;
		json_t *j = json_loads(buf_cstr(&b), 0, &e);

		assert_non_null(j);
		assert_true(json_is_true(json_object_get(j, "suppressed")));
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(j, "total"), "inbound")), "<5");
		json_decref(j);
	}
	buf_free(&b);
	report_free(r);
}

static void
test_time_keys(void **state)
{
	char k[16];

	(void)state;
	report_day_key(T0, 0, k);
	assert_string_equal(k, "2026-11-26");
	/* 20:00 UTC is 01:30 the next day in India. */
	report_day_key(T0 + 10 * 3600000LL, 330, k);
	assert_string_equal(k, "2026-11-27");
	report_day_key(0, 0, k);
	assert_string_equal(k, "1970-01-01");
	report_week_key(T0, 330, k);
	assert_string_equal(k, "2026-W48");
	/* 2027-01-01 is a Friday: ISO week 53 of 2026. */
	report_week_key(1798761600000LL, 0, k);
	assert_string_equal(k, "2026-W53");
	/* 2025-12-29, a Monday: week 1 of 2026. */
	report_week_key(1766966400000LL, 0, k);
	assert_string_equal(k, "2026-W01");
}

static void
test_by_day_sorted(void **state)
{
	struct report *r = make(REPORT_BY_DAY, 5, 0, NULL);

	(void)state;
	add_in(r, T0 + 2 * DAY, "+919800000001", "loan", NULL, NULL);
	add_in(r, T0, "+919800000001", "loan", NULL, NULL);
	add_in(r, T0 + DAY, "+919800000001", "loan", NULL, NULL);
	add_in(r, T0 + DAY, "+919800000002", "loan", NULL, NULL);
	report_finish(r);
	assert_int_equal(report_ngroups(r), 3);
	assert_string_equal(report_group_key(r, 0), "2026-11-26");
	assert_string_equal(report_group_key(r, 2), "2026-11-28");
	assert_int_equal(report_group(r, 1)->inbound, 2);
	assert_int_equal(report_group(r, 1)->contacts, 2);
	report_free(r);
}

static void
test_display_width(void **state)
{
	(void)state;
	assert_int_equal(report_display_width("loan"), 4);
	assert_int_equal(report_display_width(""), 0);
	/* ऋण: two letters; लोन: ल ो न, the vowel sign takes no column. */
	assert_int_equal(report_display_width("ऋण"), 2);
	assert_int_equal(report_display_width("लोन"), 2);
	/* प ् र श ि क ् ष ण: six letters, three marks. */
	assert_int_equal(report_display_width("प्रशिक्षण"), 6);
	assert_int_equal(report_display_width("\xff" "a"), 2);
}

/* Broadcast 7, the Silai mela meeting notice (meeting 3, answers
 * counted); its counts are the caller's. */
static void
silai_mela(struct store_funnel *f)
{
	memset(f, 0, sizeof(*f));
	f->broadcast_id = 7;
	f->created_ms = T0;
	f->kind = "broadcast";
	f->title = "Silai mela";
	f->template_key = "meeting";
	f->audience = "district:bhadohi";
	f->created_by = "api";
	f->state = "queued";
	f->meeting_id = 3;
	f->has_rsvp = 1;
}

/* Every line of the table's first block ends at the same column. */
static void
test_table_aligned(void **state)
{
	struct report *r = make(REPORT_BY_KEYWORD, 5, 0, NULL);
	struct buf b;
	const char *p, *nl;
	size_t width = 0, lines = 0;
	char line[512];

	(void)state;
	seed(r);
	add_in(r, T0, "+919800000007", "ऋण", "bhadohi", NULL);
	add_in(r, T0, "+919800000007", "प्रशिक्षण", "bhadohi", NULL);
	report_unmatched_add(r, "mera number 9876543210 hai", 3, 1);
	buf_init(&b, 0);
	report_render_table(r, &b);
	for (p = buf_cstr(&b); (nl = strchr(p, '\n')) != NULL && nl > p;
	    p = nl + 1) {
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (width == 0)
			width = report_display_width(line);
		assert_int_equal(report_display_width(line), width);
		lines++;
	}
	assert_int_equal(lines, 1 + 6 + 1);	/* header, groups, total */
	assert_non_null(strstr(buf_cstr(&b), "TOTAL"));
	/* Digits that could be a phone number never reach the output. */
	assert_non_null(strstr(buf_cstr(&b), "mera number ##########"));
	assert_null(strstr(buf_cstr(&b), "9876543210"));
	assert_non_null(strstr(buf_cstr(&b), "(no broadcasts"));
	assert_non_null(strstr(buf_cstr(&b), "(no call log"));
	buf_free(&b);
	report_free(r);
}

static void
test_json_and_sections(void **state)
{
	struct report *r = make(REPORT_BY_KEYWORD, 5, 0, NULL);
	struct store_funnel f;
	json_error_t e;
	json_t *j, *g;
	struct buf b;

	(void)state;
	seed(r);
	silai_mela(&f);
	f.messages = 10;
	f.sent = 8;
	f.delivered = 6;
	f.failed = 2;
	f.rsvp_yes = 4;
	report_funnels_add(r, &f);
	/* Its reminder, cancelled: under it, and no failure. */
	memset(&f, 0, sizeof(f));
	f.broadcast_id = 8;
	f.parent_id = 7;
	f.kind = "reminder";
	f.title = "Silai mela";
	f.state = "cancelled";
	f.messages = 5;
	f.cancelled = 5;
	report_funnels_add(r, &f);
	report_ivr_add(r, "menu", 4);
	report_outbox_add(r, "queued", 3);
	report_unmatched_add(r, "a,\"b\"", 2, 2);
	buf_init(&b, 0);
	report_render_json(r, &b);
	j = json_loads(buf_cstr(&b), 0, &e);
	assert_non_null(j);
	g = json_array_get(json_object_get(j, "groups"), 0);
	assert_string_equal(json_string_value(json_object_get(g, "key")),
	    "loan");
	assert_int_equal(json_integer_value(json_object_get(g, "inbound")), 6);
	assert_true(json_is_null(json_object_get(json_array_get(
	    json_object_get(j, "groups"), 1), "latency_p50_ms")));
	assert_int_equal(json_array_size(json_object_get(j, "funnels")), 1);
	g = json_array_get(json_object_get(j, "funnels"), 0);
	assert_int_equal(json_integer_value(json_object_get(g, "delivered")),
	    6);
	assert_string_equal(json_string_value(json_object_get(g, "title")),
	    "Silai mela");
	assert_int_equal(json_integer_value(json_object_get(g, "rsvp_yes")),
	    4);
	g = json_array_get(json_object_get(g, "reminders"), 0);
	assert_int_equal(json_integer_value(json_object_get(g, "broadcast")),
	    8);
	assert_int_equal(json_integer_value(json_object_get(g, "cancelled")),
	    5);
	assert_int_equal(json_integer_value(json_object_get(g, "failed")), 0);
	assert_true(json_is_null(json_object_get(g, "rsvp_yes")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(j, "ivr"), 0), "calls")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
	    "outbox"), "queued")), 3);
	json_decref(j);
	buf_reset(&b);
	assert_int_equal(report_render_csv(r, "unmatched", &b), 0);
	assert_string_equal(buf_cstr(&b), "text,count,contacts\r\n"
	    "\"a,\"\"b\"\"\",2,2\r\n");
	buf_reset(&b);
	assert_int_equal(report_render_csv(r, "funnels", &b), 0);
	/* Nothing left to send, 2 wait for their delivery report: "sent",
	 * as `broadcast list` says, though the row still says "queued". */
	assert_non_null(strstr(buf_cstr(&b), "7,,Silai mela,meeting,"
	    "district:bhadohi,2026-11-26T10:00,api,sent,10,0,8,6,0,2,0,0,4,0"
	    "\r\n8,7,Silai mela,,,1970-01-01T00:00,,cancelled,5,0,0,0,0,0,0,"
	    "5,,\r\n"));
	assert_int_equal(report_render_csv(r, "nonsense", &b), -1);
	buf_free(&b);
	report_free(r);
}

/*
 * A meeting's answers per day add up to its yes and no, which the funnels
 * print as they are: a hidden day must not be worked out from them.
 * Silai mela: 2 said yes on the first day, nobody on the second, so the
 * funnel's yes (2) minus the second day's 0 would give the first away
 * unless the 0 is hidden too.
 */
static void
test_rsvps_hidden_day_not_recoverable(void **state)
{
	struct report *r = make(REPORT_BY_DISTRICT, 5, 0, NULL);
	struct store_funnel f;
	struct buf b;

	(void)state;
	silai_mela(&f);
	f.messages = 40;
	f.sent = 40;
	f.delivered = 40;
	f.rsvp_yes = 2;
	f.rsvp_no = 11;
	report_funnels_add(r, &f);
	report_rsvps_add(r, 3, "Silai mela", "2026-11-26", 2, 6);
	report_rsvps_add(r, 3, "Silai mela", "2026-11-27", 0, 5);
	buf_init(&b, 0);
	assert_int_equal(report_render_csv(r, "funnels", &b), 0);
	assert_non_null(strstr(buf_cstr(&b), ",2,11\r\n"));
	buf_reset(&b);
	assert_int_equal(report_render_csv(r, "rsvps", &b), 0);
	assert_string_equal(buf_cstr(&b), "meeting,title,day,yes,no\r\n"
	    "3,Silai mela,2026-11-26,<5,6\r\n"
	    "3,Silai mela,2026-11-27,<5,5\r\n");
	buf_free(&b);
	report_free(r);
}

/*
 * A funnel's state is the one `broadcast list` and `show` print, worked
 * out from its messages: the stored "queued" stays until a cancel.
 */
static void
test_funnel_state_as_cli(void **state)
{
	static const struct {
		const char	*stored;
		int64_t		 pending, sent, delivered, undelivered;
		const char	*shown;
	} cases[] = {
		{ "queued", 3, 5, 2, 0, "queued" },
		{ "queued", 0, 8, 5, 1, "sent" },
		{ "queued", 0, 8, 7, 1, "done" },
		{ "queued", 0, 0, 0, 0, "done" },	/* all failed */
		{ "cancelled", 0, 2, 2, 0, "cancelled" },
		{ "creating", 4, 0, 0, 0, "creating" },
	};
	struct report *r = make(REPORT_BY_DISTRICT, 5, 0, NULL);
	struct store_funnel f;
	json_error_t e;
	json_t *j, *a;
	struct buf b;
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		memset(&f, 0, sizeof(f));
		f.broadcast_id = (int64_t)i + 1;
		f.created_ms = T0;
		f.kind = "broadcast";
		f.title = "Mudra loan shivir";
		f.template_key = "scheme_deadline";
		f.audience = "district:mirzapur";
		f.created_by = "cli";
		f.state = cases[i].stored;
		f.pending = cases[i].pending;
		f.sent = cases[i].sent;
		f.delivered = cases[i].delivered;
		f.undelivered = cases[i].undelivered;
		f.failed = i == 3 ? 6 : 0;
		f.messages = f.pending + f.sent + f.failed;
		report_funnels_add(r, &f);
	}
	buf_init(&b, 0);
	assert_int_equal(report_render_csv(r, "funnels", &b), 0);
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		snprintf(line, sizeof(line), "\n%zu,,Mudra loan shivir,"
		    "scheme_deadline,district:mirzapur,2026-11-26T10:00,cli,"
		    "%s,", i + 1, cases[i].shown);
		if (strstr(buf_cstr(&b), line) == NULL)
			fail_msg("no \"%s\" in\n%s", line + 1, buf_cstr(&b));
	}
	buf_reset(&b);
	report_render_json(r, &b);
	j = json_loads(buf_cstr(&b), 0, &e);
	assert_non_null(j);
	a = json_object_get(j, "funnels");
	assert_int_equal(json_array_size(a), SP_ARRAY_LEN(cases));
	for (i = 0; i < SP_ARRAY_LEN(cases); i++)
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(a, i), "state")), cases[i].shown);
	json_decref(j);
	buf_free(&b);
	report_free(r);
}

static void
test_pseudonym_key(void **state)
{
	char a[REPORT_PSEUDONYM_LEN + 1], b[REPORT_PSEUDONYM_LEN + 1],
	    c[REPORT_PSEUDONYM_LEN + 1], d[REPORT_PSEUDONYM_LEN + 1];

	(void)state;
	report_pseudonym("key-one", "+919876500001", a);
	report_pseudonym("key-one", "+919876500001", b);
	report_pseudonym("key-two", "+919876500001", c);
	report_pseudonym("key-one", "+919876500002", d);
	assert_int_equal(strlen(a), REPORT_PSEUDONYM_LEN);
	assert_memory_equal(a, "c_", 2);
	assert_string_equal(a, b);		/* same key: same id */
	assert_string_not_equal(a, c);		/* another key: another id */
	assert_string_not_equal(a, d);		/* another woman */
	assert_null(strstr(a, "9876500001"));
	/* HMAC-SHA256("key-one", "+919876500001"), first 16 hex digits,
	 * computed independently with Python's hmac module. */
	assert_string_equal(a, "c_c17d0a1b1e531589");
}

static void
test_by_parse(void **state)
{
	enum report_by by;

	(void)state;
	assert_int_equal(report_by_parse("week", &by), 0);
	assert_int_equal(by, REPORT_BY_WEEK);
	assert_string_equal(report_by_name(by), "week");
	assert_int_equal(report_by_parse("village", &by), -1);
	assert_int_equal(report_by_parse(NULL, &by), -1);
}

static void
test_xtab(void **state)
{
	struct report_options o;
	struct report_xtab *x;
	struct interaction row;
	json_error_t e;
	json_t *j;
	struct buf b;
	char kw[16];
	int i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.suppress_below = 5;
	o.utc_offset_min = 330;
	x = report_xtab_new(REPORT_BY_DISTRICT, REPORT_BY_KEYWORD, &o);
	memset(&row, 0, sizeof(row));
	row.direction = "in";
	row.time_ms = T0;
	/* 20 keywords (more columns than the first allocation holds). */
	for (i = 0; i < 20; i++) {
		snprintf(kw, sizeof(kw), "kw%02d", i);
		row.keyword = kw;
		row.district = i % 2 ? "bhadohi" : "mirzapur";
		report_xtab_add_row(x, &row);
	}
	row.keyword = "loan";
	for (i = 0; i < 7; i++) {
		row.district = "bhadohi";
		report_xtab_add_row(x, &row);
	}
	row.direction = "out";
	report_xtab_add_row(x, &row);		/* not counted */
	assert_int_equal(report_xtab_get(x, "bhadohi", "loan"), 7);
	assert_int_equal(report_xtab_get(x, "mirzapur", "kw00"), 1);
	assert_int_equal(report_xtab_get(x, "bhadohi", "kw00"), 0);
	assert_int_equal(report_xtab_get(x, "patna", "loan"), -1);
	buf_init(&b, 0);
	report_xtab_render_json(x, &b);
	j = json_loads(buf_cstr(&b), 0, &e);
	assert_non_null(j);
	/* bhadohi (17) before mirzapur (10); loan (7) the first column. */
	assert_string_equal(json_string_value(json_array_get(json_object_get(j,
	    "rows"), 0)), "bhadohi");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j,
	    "cols"), 0)), "loan");
	assert_int_equal(json_integer_value(json_array_get(json_array_get(
	    json_object_get(j, "cells"), 0), 0)), 7);
	/* District-level: a cell of 1 is hidden, an empty one is not. */
	assert_string_equal(json_string_value(json_array_get(json_array_get(
	    json_object_get(j, "cells"), 1), 1)), "<5");
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 27);
	json_decref(j);
	buf_free(&b);
	report_xtab_free(x);
	report_xtab_free(NULL);
}

static void
store_in(struct store *st, const char *msgid, const char *text,
    const char *kw)
{
	struct interaction row;

	memset(&row, 0, sizeof(row));
	row.time_ms = T0;
	row.channel = "sms";
	row.direction = "in";
	row.provider = "console";
	row.provider_msg_id = msgid;
	row.phone = "+919800000001";
	row.text = text;
	row.keyword = kw;
	row.latency_ms = -1;
	row.status = kw != NULL ? "matched" : "unmatched";
	assert_int_equal(store_interaction_insert(st, &row), 1);
}

/* A position in s of key as a JSON member name, or -1. */
static long
member_at(const char *s, const char *key)
{
	char q[64];
	const char *p;

	snprintf(q, sizeof(q), "\"%s\":", key);
	p = strstr(s, q);
	return p != NULL ? (long)(p - s) : -1;
}

/* Every section collected from a store and rendered, in table order. */
static void
test_collect_every_section(void **state)
{
	static const char *const members[] = { "groups", "total",
	    "top_unmatched", "funnels", "ivr", "outbox",
	    "opted_out_contacts" };
	char dir[] = "/tmp/test_report.XXXXXX", *path, *p, err[256];
	struct report_options o;
	struct outbox_msg m;
	struct store *st;
	struct report *r;
	struct buf b;
	long at, last = -1;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/sampark.db", dir);
	st = store_open(path, NULL, err, sizeof(err));
	assert_non_null(st);
	store_in(st, "m1", "loan bhadohi", "loan");
	store_in(st, "m2", "loan", "loan");
	store_in(st, "m3", "sabun banana", NULL);
	memset(&m, 0, sizeof(m));
	m.provider = "console";
	m.to = "+919800000001";
	m.from = "";
	m.body = "hello";
	m.encoding = "GSM-7";
	m.segments = 1;
	m.created_ms = T0;
	assert_int_equal(store_outbox_add(st, &m), 0);

	memset(&o, 0, sizeof(o));
	o.suppress_below = 5;
	r = report_collect(st, &o, 10);
	assert_non_null(r);
	assert_int_equal(report_total(r)->inbound, 3);
	buf_init(&b, 0);
	report_render_json(r, &b);
	for (i = 0; i < SP_ARRAY_LEN(members); i++) {
		at = member_at(buf_cstr(&b), members[i]);
		assert_true(at > last);
		last = at;
	}
	assert_non_null(strstr(buf_cstr(&b), "{\"text\":\"sabun banana\""));
	assert_non_null(strstr(buf_cstr(&b), "\"outbox\":{\"queued\":1}"));
	assert_non_null(strstr(buf_cstr(&b), "\"opted_out_contacts\":0}\n"));
	buf_reset(&b);
	report_render_table(r, &b);
	assert_non_null(strstr(buf_cstr(&b), "\nOutbox now: queued=1\n"
	    "Contacts who opted out in this period: 0\n"));
	buf_reset(&b);
	report_render_csv_names(&b);
	assert_string_equal(buf_cstr(&b), "groups, outcomes, referrals, unmatched, funnels, rsvps or ivr");
	buf_free(&b);
	report_free(r);
	store_close(st);
	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
	free(path);
	assert_int_equal(rmdir(dir), 0);
}

static void
add_outcome(struct report *r, int n, int64_t t, const char *outcome,
    const char *district, const char *category, const char *text)
{
	struct interaction row;

	memset(&row, 0, sizeof(row));
	row.time_ms = t;
	row.channel = "sms";
	row.direction = "in";
	row.phone = "+919800000001";
	row.text = text;
	row.district = district;
	row.outcome = outcome;
	row.category = category;
	while (n-- > 0)
		report_outcomes_add_row(r, &row);
}

/* The JSON array after key in s, up to its ']' (a static copy). */
static const char *
out_array(const char *s, const char *key)
{
	static char out[2048];
	const char *p = strstr(s, key), *e;

	assert_non_null(p);
	e = strchr(p, ']');
	assert_non_null(e);
	snprintf(out, sizeof(out), "%.*s", (int)(e - p), p);
	return out;
}

static int
count_of(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

/*
 * What the messages came to: a "no training information here" answer is
 * unanswered, and the unanswered break down by district, category and
 * week.  Suppressed, the whole region's figures stay exact (they name no
 * district) and those by district are rounded to 5, small ones and 0
 * "<5", so none is an equation to subtract another view's figures with;
 * of one district's report, every figure is.
 */
static void
test_outcomes_unanswered(void **state)
{
	struct report *r;
	struct buf b;
	const char *a;
	int pass;

	(void)state;
	for (pass = 0; pass < 3; pass++) {
		r = make(REPORT_BY_KEYWORD, 5, pass == 1, pass == 2 ?
		    "bhadohi" : NULL);
		add_outcome(r, 12, T0, "answered", "bhadohi", "loan",
		    "loan bhadohi");
		add_outcome(r, 6, T0, "no_stakeholder", "bhadohi", "training",
		    "silai training chahiye bhadohi");
		add_outcome(r, 2, T0 + DAY, "not_understood", "mirzapur", NULL,
		    "kadhai ka kaam");
		add_outcome(r, 7, T0 + 7 * DAY, "no_stakeholder", "varanasi",
		    "market", "saree bechna hai varanasi");
		add_outcome(r, 1, T0, "limited", "bhadohi", "loan",
		    "loan loan loan");
		add_outcome(r, 3, T0, "asked_district", NULL, "loan",
		    "namaste loan");
		add_outcome(r, 1, T0, NULL, NULL, NULL, "purana sandesh");
		report_finish(r);
		buf_init(&b, 0);
		report_render_json(r, &b);
		a = buf_cstr(&b);
		if (pass == 1) {
			assert_non_null(strstr(a, "\"unanswered\":{\"total\":16,"));
			assert_non_null(strstr(a, "\"no_stakeholder\":13,"));
			assert_non_null(strstr(a, "\"(unknown)\":1}"));
			assert_non_null(strstr(out_array(a, "\"by_district\""),
			    "{\"key\":\"mirzapur\",\"messages\":2}"));
			assert_non_null(strstr(out_array(a, "\"by_week\""),
			    "{\"key\":\"2026-W49\",\"messages\":7}"));
			assert_non_null(strstr(out_array(a, "\"by_category\""),
			    "{\"key\":\"market\",\"messages\":7},"
			    "{\"key\":\"training\",\"messages\":6}"));
		} else if (pass == 0) {
			/* The region's figures as they are; by district,
			 * bhadohi's 7 is about 5, mirzapur's 2 fewer than 5. */
			assert_non_null(strstr(a, "\"unanswered\":{\"total\":16,"));
			assert_non_null(strstr(a, "\"limited\":1,"));
			assert_non_null(strstr(out_array(a, "\"by_district\""),
			    "[{\"key\":\"bhadohi\",\"messages\":\"~5\"},"
			    "{\"key\":\"mirzapur\",\"messages\":\"<5\"},"
			    "{\"key\":\"varanasi\",\"messages\":\"~5\"}"));
			assert_non_null(strstr(out_array(a, "\"by_category\""),
			    "{\"key\":\"market\",\"messages\":7},"
			    "{\"key\":\"training\",\"messages\":6}"));
		} else {
			/* One district's: about 15, fewer than 5 (none at
			 * all too), everywhere. */
			assert_non_null(strstr(a,
			    "\"unanswered\":{\"total\":\"~15\","));
			assert_non_null(strstr(out_array(a, "\"by_category\""),
			    "{\"key\":\"market\",\"messages\":\"~5\"},"
			    "{\"key\":\"training\",\"messages\":\"~5\"}"));
			assert_non_null(strstr(a, "\"limited\":\"<5\""));
			assert_non_null(strstr(a, "\"opted_out\":\"<5\""));
			assert_non_null(strstr(a, "\"no_stakeholder\":\"~15\""));
		}
		buf_reset(&b);
		report_render_table(r, &b);
		assert_non_null(strstr(buf_cstr(&b), pass < 2 ?
		    "Unanswered (not understood, no stakeholder, limited): "
		    "16 of 32 messages" : "Unanswered (not understood, no "
		    "stakeholder, limited): ~15 of ~30 messages"));
		buf_free(&b);
		report_free(r);
	}
}

static void
add_referral(struct report *r, int n, int64_t t, const char *district,
    const char *category, const char *stakeholders)
{
	struct interaction row;

	memset(&row, 0, sizeof(row));
	row.time_ms = t;
	row.channel = "sms";
	row.direction = "in";
	row.phone = "+919800000001";
	row.district = district;
	row.outcome = "answered";
	row.category = category;
	row.stakeholders = stakeholders;
	while (n-- > 0)
		report_referrals_add_row(r, &row);
}

/*
 * Referrals per stakeholder, and per stakeholder, week, district and
 * category; a helpline for every district is counted in each.
 * Suppressed, every count is rounded to 5 (a small week "<5"), so the
 * stakeholder's total minus its other weeks gives no week away.
 */
static void
test_referrals(void **state)
{
	struct report *r;
	struct buf b;
	const char *a;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		r = make(REPORT_BY_KEYWORD, 5, pass == 1, NULL);
		add_referral(r, 9, T0, "bhadohi", "loan",
		    "1:LDM (lead bank), Bhadohi|38:Mudra and Udyam help desk");
		add_referral(r, 6, T0 + 7 * DAY, "bhadohi", "loan",
		    "1:LDM (lead bank), Bhadohi|38:Mudra and Udyam help desk");
		add_referral(r, 2, T0 + 14 * DAY, "bhadohi", "loan",
		    "1:LDM (lead bank), Bhadohi|38:Mudra and Udyam help desk");
		add_referral(r, 8, T0, "mirzapur", "loan",
		    "38:Mudra and Udyam help desk");
		/* Replies carry none; a message without any refers none. */
		add_referral(r, 3, T0, "mirzapur", "training", NULL);
		report_finish(r);
		buf_init(&b, 0);
		report_render_json(r, &b);
		a = buf_cstr(&b);
		if (pass == 1) {
			assert_non_null(strstr(a, "\"referrals\":{\"stakeholders\":["
			    "{\"id\":1,\"name\":\"LDM (lead bank), Bhadohi\","
			    "\"referrals\":17},{\"id\":38,\"name\":\"Mudra and "
			    "Udyam help desk\",\"referrals\":25}]"));
			assert_non_null(strstr(a, "{\"id\":38,\"name\":\"Mudra "
			    "and Udyam help desk\",\"week\":\"2026-W48\","
			    "\"district\":\"mirzapur\",\"category\":\"loan\","
			    "\"referrals\":8}"));
		} else {
			/* The third week (2) of each is "<5"; 17 is about
			 * 15, 25 about 25, 9 and 8 about 10, 6 about 5. */
			assert_int_equal(count_of(out_array(a,
			    "\"rows\":["), "\"<5\""), 2);
			assert_non_null(strstr(a, "Bhadohi\","
			    "\"referrals\":\"~15\"}"));
			assert_non_null(strstr(a, "help desk\","
			    "\"referrals\":\"~25\"}"));
			assert_non_null(strstr(a, "\"district\":\"mirzapur\","
			    "\"category\":\"loan\",\"referrals\":\"~10\"}"));
			assert_int_equal(count_of(out_array(a,
			    "\"rows\":["), "\"~5\""), 2);
		}
		buf_reset(&b);
		assert_int_equal(report_render_table_section(r, "referrals",
		    &b), 0);
		assert_non_null(strstr(buf_cstr(&b), "Mudra and Udyam help "
		    "desk"));
		assert_null(strstr(buf_cstr(&b), "Outcomes"));
		buf_free(&b);
		report_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_keyword),
		cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_time_keys),
		cmocka_unit_test(test_by_day_sorted),
		cmocka_unit_test(test_display_width),
		cmocka_unit_test(test_table_aligned),
		cmocka_unit_test(test_json_and_sections),
		cmocka_unit_test(test_rsvps_hidden_day_not_recoverable),
		cmocka_unit_test(test_funnel_state_as_cli),
		cmocka_unit_test(test_pseudonym_key),
		cmocka_unit_test(test_by_parse),
		cmocka_unit_test(test_xtab),
		cmocka_unit_test(test_collect_every_section),
		cmocka_unit_test(test_outcomes_unanswered),
		cmocka_unit_test(test_referrals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
