/*
 * test_audience: the expression parser (good expressions and their
 * canonical form, errors naming the position), matching with a fake
 * membership callback, and evaluation over a temporary store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audience.h"
#include "plan_check.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

static void
test_parse_good(void **state)
{
	static const char *const cases[][2] = {
		{ "all", "all" },
		{ "district:bhadohi", "district:bhadohi" },
		{ "District:Bhadohi + Interest:LOAN",
		    "district:bhadohi+interest:loan" },
		{ "group:weavers-shg,district:mirzapur+interest:market",
		    "group:weavers-shg,district:mirzapur+interest:market" },
		{ " language:hi , language:en ", "language:hi,language:en" },
		{ "group:a.b_c-9", "group:a.b_c-9" },
		{ "RSVP:12:Yes", "rsvp:12:yes" },
		{ "rsvp:7:none+district:bhadohi,rsvp:7:no",
		    "rsvp:7:none+district:bhadohi,rsvp:7:no" },
	};
	struct audience *a, *b;
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		a = audience_parse(cases[i][0], err, sizeof(err));
		if (a == NULL)
			fail_msg("%s: %s", cases[i][0], err);
		assert_string_equal(audience_text(a), cases[i][1]);
		/* The canonical form parses to itself. */
		b = audience_parse(audience_text(a), err, sizeof(err));
		assert_non_null(b);
		assert_string_equal(audience_text(b), cases[i][1]);
		audience_free(b);
		audience_free(a);
	}
	a = audience_parse("district:bhadohi+interest:loan,group:x", err,
	    sizeof(err));
	assert_non_null(a);
	assert_int_equal(a->nconjs, 2);
	assert_int_equal(a->conjs[0].nterms, 2);
	assert_int_equal(a->conjs[0].terms[1].kind, AUD_INTEREST);
	assert_string_equal(a->conjs[0].terms[1].name, "loan");
	assert_int_equal(a->conjs[1].terms[0].kind, AUD_GROUP);
	assert_true(a->needs_groups);
	assert_true(a->needs_interests);
	audience_free(a);
	audience_free(NULL);
}

static void
test_parse_errors_name_the_position(void **state)
{
	static const char *const cases[][2] = {
		{ "", "position 1:" },
		{ "district", "position 9: expected ':'" },
		{ "district:", "position 10: expected a name" },
		{ "distrct:bhadohi", "position 1: unknown term" },
		{ "district:bhadohi+", "position 18: expected a term" },
		{ "district:bhadohi,,group:x", "position 18: expected a term" },
		{ "language:fr", "position 10: language must be hi or en" },
		{ "group: ", "position 8: expected a name" },
		{ "group:\xff\xfe", "position 7: the name is not valid UTF-8" },
		{ "group:a\x01b", "position 8: expected '+', ','" },
		{ "all:x", "position 4: expected '+', ','" },
		{ "rsvp:x:yes", "position 6: expected a broadcast id" },
		{ "rsvp:0:yes", "position 6: expected a broadcast id" },
		{ "rsvp:12", "position 8: expected ':' and yes" },
		{ "rsvp:12:maybe", "position 9: rsvp answer must be" },
		{ "rsvp:12:", "position 9: rsvp answer must be" },
		{ "rsvp:999999999999999:yes", "position 6: broadcast id too" },
	};
	char err[128], longname[260];
	struct audience *a;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		err[0] = '\0';
		a = audience_parse(cases[i][0], err, sizeof(err));
		if (a != NULL)
			fail_msg("\"%s\" parsed", cases[i][0]);
		if (strncmp(err, cases[i][1], strlen(cases[i][1])) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s...\"",
			    cases[i][0], err, cases[i][1]);
	}
	memset(longname, 'a', sizeof(longname));
	memcpy(longname, "group:", 6);
	longname[6 + 193] = '\0';
	assert_null(audience_parse(longname, err, sizeof(err)));
	assert_non_null(strstr(err, "longer than 192"));
	longname[6 + 192] = '\0';
	a = audience_parse(longname, err, sizeof(err));
	assert_non_null(a);
	audience_free(a);
	assert_null(audience_parse(NULL, err, sizeof(err)));
}

/* Names as coordinators write them: a group's display name, a Hindi
 * district; resolve.c makes keys of them. */
static void
test_names_as_written(void **state)
{
	struct audience *a;
	char err[128];

	(void)state;
	a = audience_parse("group: Silai Group + district:मिर्ज़ापुर , "
	    "district:Sant Ravidas Nagar", err, sizeof(err));
	assert_non_null(a);
	assert_int_equal(a->nconjs, 2);
	assert_int_equal(a->conjs[0].nterms, 2);
	assert_string_equal(a->conjs[0].terms[0].name, "silai group");
	assert_string_equal(a->conjs[0].terms[1].name, "मिर्ज़ापुर");
	assert_string_equal(a->conjs[1].terms[0].name, "sant ravidas nagar");
	audience_free(a);
}

static void
test_rsvp_split(void **state)
{
	const char *answer = NULL;
	long long id = 0;

	(void)state;
	assert_int_equal(audience_rsvp_split("12:yes", &id, &answer), 0);
	assert_int_equal(id, 12);
	assert_string_equal(answer, "yes");
	assert_int_equal(audience_rsvp_split("3:none", &id, &answer), 0);
	assert_string_equal(answer, "none");
	assert_int_equal(audience_rsvp_split("3:maybe", &id, &answer), -1);
	assert_int_equal(audience_rsvp_split("x:yes", &id, &answer), -1);
	assert_int_equal(audience_rsvp_split("0:yes", &id, &answer), -1);
	assert_int_equal(audience_rsvp_split("3yes", &id, &answer), -1);
	assert_int_equal(audience_rsvp_split(NULL, &id, &answer), -1);
}

static void
test_limits(void **state)
{
	struct buf b;
	char err[128];
	struct audience *a;
	int i;

	(void)state;
	buf_init(&b, 0);
	for (i = 0; i < AUDIENCE_MAX_TERMS + 1; i++)
		buf_printf(&b, "%sall", i ? "+" : "");
	assert_null(audience_parse(buf_cstr(&b), err, sizeof(err)));
	assert_non_null(strstr(err, "too many"));
	buf_reset(&b);
	for (i = 0; i < AUDIENCE_MAX_CONJ + 1; i++)
		buf_printf(&b, "%sall", i ? "," : "");
	assert_null(audience_parse(buf_cstr(&b), err, sizeof(err)));
	buf_reset(&b);
	for (i = 0; i < AUDIENCE_MAX_CONJ; i++)
		buf_printf(&b, "%sall", i ? "," : "");
	a = audience_parse(buf_cstr(&b), err, sizeof(err));
	assert_non_null(a);
	audience_free(a);
	buf_free(&b);
}

static void
test_name_normalize(void **state)
{
	char err[128], *n;

	(void)state;
	n = audience_name_normalize("Weavers-SHG", err, sizeof(err));
	assert_string_equal(n, "weavers-shg");
	free(n);
	assert_null(audience_name_normalize("", err, sizeof(err)));
	assert_null(audience_name_normalize(NULL, err, sizeof(err)));
	assert_null(audience_name_normalize("a b", err, sizeof(err)));
	assert_null(audience_name_normalize("a+b", err, sizeof(err)));
	assert_null(audience_name_normalize("समूह", err, sizeof(err)));
}

/* Fake membership: "name@phone" pairs in a NULL-terminated list. */
static int
fake_member(void *arg, enum audience_kind kind, const struct contact *c,
    const char *name)
{
	const char *const *pairs = arg;
	char want[128];
	size_t i;

	if (strcmp(name, "broken") == 0)
		return -1;
	snprintf(want, sizeof(want), "%s:%s@%s",
	    kind == AUD_GROUP ? "g" : "i", name, c->phone);
	for (i = 0; pairs[i] != NULL; i++)
		if (strcmp(pairs[i], want) == 0)
			return 1;
	return 0;
}

static int
matches(const char *expr, const struct contact *c,
    const char *const *pairs)
{
	char err[128];
	struct audience *a = audience_parse(expr, err, sizeof(err));
	int r;

	if (a == NULL)
		fail_msg("%s: %s", expr, err);
	r = audience_match(a, c, fake_member, (void *)pairs);
	audience_free(a);
	return r;
}

static void
test_match(void **state)
{
	static const char *const pairs[] = { "g:shg@+911", "i:loan@+911",
	    "i:market@+912", NULL };
	struct contact c1, c2;

	(void)state;
	memset(&c1, 0, sizeof(c1));
	memset(&c2, 0, sizeof(c2));
	c1.phone = (char *)"+911";
	c1.district = (char *)"bhadohi";
	c1.language = (char *)"en";
	c2.phone = (char *)"+912";
	c2.district = (char *)"mirzapur";	/* language unknown: "hi" */

	assert_int_equal(matches("all", &c1, pairs), 1);
	assert_int_equal(matches("district:bhadohi", &c1, pairs), 1);
	assert_int_equal(matches("district:bhadohi", &c2, pairs), 0);
	assert_int_equal(matches("district:bhadohi+interest:loan", &c1,
	    pairs), 1);
	assert_int_equal(matches("district:bhadohi+interest:market", &c1,
	    pairs), 0);
	assert_int_equal(matches("group:shg,district:mirzapur+interest:market",
	    &c1, pairs), 1);
	assert_int_equal(matches("group:shg,district:mirzapur+interest:market",
	    &c2, pairs), 1);
	assert_int_equal(matches("group:shg,district:mirzapur+interest:loan",
	    &c2, pairs), 0);
	assert_int_equal(matches("language:en", &c1, pairs), 1);
	assert_int_equal(matches("language:hi", &c2, pairs), 1);
	assert_int_equal(matches("language:en", &c2, pairs), 0);
	/* A failing lookup is an error, unless a cheap term ruled it out. */
	assert_int_equal(matches("group:broken", &c1, pairs), -1);
	assert_int_equal(matches("district:mirzapur+group:broken", &c1,
	    pairs), 0);
	{
		char err[64];
		struct audience *a = audience_parse("language:en", err,
		    sizeof(err));

		assert_int_equal(audience_set_default_language(a, "en"), 0);
		assert_int_equal(audience_set_default_language(a, "fr"), -1);
		assert_int_equal(audience_match(a, &c2, fake_member,
		    (void *)pairs), 1);
		audience_free(a);
	}
}

/* ---- over a store ---- */

struct fixture {
	struct temp_db	 db;
	struct store	*store;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	static const char *const shg[] = { "weavers-shg" };
	static const char *const both[] = { "weavers-shg", "sellers" };
	const struct store_contact_import rows[] = {
		{ "+919800000001", "A", "bhadohi", "hi", NULL, shg, 1, NULL },
		{ "+919800000002", "B", "bhadohi", "en", NULL, NULL, 0, NULL },
		{ "+919800000003", "C", "mirzapur", NULL, NULL, both, 2, NULL },
		{ "+919800000004", "D", "mirzapur", "hi", NULL, NULL, 0, NULL },
		{ "+919800000005", "E", "samastipur", "hi", "coordinator",
		    NULL, 0, NULL },
	};

	temp_db_make(&f->db, "audience");
	f->store = store_open(f->db.path, NULL, NULL, 0);
	assert_non_null(f->store);
	assert_int_equal(store_contacts_import(f->store, rows,
	    SP_ARRAY_LEN(rows), 1000), 0);
	assert_int_equal(store_interest_add(f->store, "+919800000002", "loan",
	    2000), 0);
	assert_int_equal(store_interest_add(f->store, "+919800000004",
	    "market", 2000), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	plan_check_no_growing_scans(f->store);
	store_close(f->store);
	temp_db_remove(&f->db);
	free(f);
	return 0;
}

static int
collect(void *arg, const struct contact *c)
{
	struct buf *b = arg;

	/* The last digit of each phone, in the order visited. */
	buf_putc(b, c->phone[strlen(c->phone) - 1]);
	return 0;
}

static char *
who(struct store *st, const char *expr, int include_opted_out)
{
	struct audience *a;
	struct buf b;
	char err[128];
	int64_t n;

	a = audience_parse(expr, err, sizeof(err));
	assert_non_null(a);
	buf_init(&b, 0);
	buf_puts(&b, "");
	assert_int_equal(store_audience_each(st, a, include_opted_out,
	    collect, &b), 0);
	assert_int_equal(store_audience_count(st, a, include_opted_out, &n),
	    0);
	assert_int_equal((size_t)n, b.len);
	audience_free(a);
	return buf_steal(&b);
}

#define ASSERT_WHO(f, expr, want) do {					\
	char *got_ = who((f)->store, (expr), 0);			\
	assert_string_equal(got_, (want));				\
	free(got_);							\
} while (0)

static void
test_store_evaluation(void **state)
{
	struct fixture *f = *state;
	struct contact c;
	char *got;

	ASSERT_WHO(f, "all", "12345");
	ASSERT_WHO(f, "district:bhadohi", "12");
	ASSERT_WHO(f, "district:bhadohi+interest:loan", "2");
	ASSERT_WHO(f, "group:weavers-shg", "13");
	ASSERT_WHO(f, "group:sellers+district:mirzapur", "3");
	ASSERT_WHO(f, "group:weavers-shg,district:mirzapur+interest:market",
	    "134");
	ASSERT_WHO(f, "language:hi", "1345");	/* 3: unknown counts as hi */
	ASSERT_WHO(f, "language:en", "2");
	ASSERT_WHO(f, "group:nobody", "");
	ASSERT_WHO(f, "district:varanasi", "");

	/* Opted-out contacts are left out unless asked for. */
	assert_int_equal(store_contact_get(f->store, "+919800000001", &c), 1);
	c.opted_out_ms = 5000;
	assert_int_equal(store_contact_put(f->store, &c), 0);
	records_contact_clear(&c);
	ASSERT_WHO(f, "group:weavers-shg", "3");
	got = who(f->store, "group:weavers-shg", 1);
	assert_string_equal(got, "13");
	free(got);
}

/* A meeting broadcast sent to 1, 2 and 3; 1 says yes, 2 no, 3 nothing;
 * 4 answered another meeting, 5 got nothing. */
static void
test_store_rsvp(void **state)
{
	struct fixture *f = *state;
	struct store_meeting m = { 0, (char *)"Meeting", (char *)"Gyanpur",
	    999999999999LL };
	struct store_meeting other = { 0, (char *)"Other", (char *)"Chunar",
	    999999999999LL };
	struct store_broadcast b;
	struct outbox_msg o;
	const char *to[] = { "+919800000001", "+919800000002",
	    "+919800000003" };
	int64_t bid;
	char expr[64];
	size_t i;

	assert_int_equal(store_meeting_add(f->store, &m, 1000), 0);
	assert_int_equal(store_meeting_add(f->store, &other, 1000), 0);
	memset(&b, 0, sizeof(b));
	b.audience = (char *)"all";
	b.template_key = (char *)"meeting";
	b.category = (char *)"service";
	b.provider = (char *)"console";
	b.state = (char *)"queued";
	b.created_ms = b.send_at_ms = 1000;
	b.meeting_id = m.id;
	assert_int_equal(store_broadcast_add(f->store, &b), 0);
	bid = b.id;
	for (i = 0; i < SP_ARRAY_LEN(to); i++) {
		memset(&o, 0, sizeof(o));
		o.provider = (char *)"console";
		o.to = (char *)to[i];
		o.from = (char *)"";
		o.body = (char *)"meeting";
		o.created_ms = 1000;
		o.broadcast_id = bid;
		assert_int_equal(store_outbox_add(f->store, &o), 0);
	}
	assert_int_equal(store_rsvp_set(f->store, m.id, to[0], "yes", bid,
	    2000), 0);
	assert_int_equal(store_rsvp_set(f->store, m.id, to[1], "no", bid,
	    2000), 0);
	assert_int_equal(store_rsvp_set(f->store, other.id, "+919800000004",
	    "yes", 0, 2000), 0);
	snprintf(expr, sizeof(expr), "rsvp:%lld:yes", (long long)bid);
	ASSERT_WHO(f, expr, "1");
	snprintf(expr, sizeof(expr), "rsvp:%lld:no", (long long)bid);
	ASSERT_WHO(f, expr, "2");
	snprintf(expr, sizeof(expr), "rsvp:%lld:none", (long long)bid);
	ASSERT_WHO(f, expr, "3");
	snprintf(expr, sizeof(expr), "rsvp:%lld:yes,rsvp:%lld:none",
	    (long long)bid, (long long)bid);
	ASSERT_WHO(f, expr, "13");
	/* An answer changes her list. */
	assert_int_equal(store_rsvp_set(f->store, m.id, to[1], "yes", bid,
	    3000), 0);
	snprintf(expr, sizeof(expr), "rsvp:%lld:yes", (long long)bid);
	ASSERT_WHO(f, expr, "12");
	ASSERT_WHO(f, "rsvp:999:yes", "");
	ASSERT_WHO(f, "rsvp:999:none", "");
}

static int
stop_at_two(void *arg, const struct contact *c)
{
	(void)c;
	return ++*(int *)arg == 2 ? -1 : 0;
}

static void
test_callback_stops(void **state)
{
	struct fixture *f = *state;
	struct audience *a;
	char err[64];
	int calls = 0;

	a = audience_parse("all", err, sizeof(err));
	assert_int_equal(store_audience_each(f->store, a, 0, stop_at_two,
	    &calls), -1);
	assert_int_equal(calls, 2);
	audience_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_errors_name_the_position),
		cmocka_unit_test(test_names_as_written),
		cmocka_unit_test(test_rsvp_split),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_name_normalize),
		cmocka_unit_test(test_match),
		cmocka_unit_test_setup_teardown(test_store_evaluation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_rsvp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_callback_stops, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
