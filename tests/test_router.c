/*
 * test_router: routing with the shipped keywords, districts and prompts
 * over a fake world (no database): aliases and typos, district override,
 * the pending district question, language choice, paging behind MORE,
 * what the router asks of its ops, and how it answers when one fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_ops.h"
#include "handler.h"
#include "handler_fixture.h"
#include "prompts.h"
#include "router.h"
#include "segment.h"
#include "util.h"

static void
add(struct fake_ops *world, size_t i, const char *name, const char *cat,
    const char *district)
{
	char phone[32];

	snprintf(phone, sizeof(phone), "+9100000%05zu", i);
	fake_ops_stakeholder_add(world, name, cat, district, phone);
}

static int
setup(void **state)
{
	struct handler_fixture *f;
	struct buf errors;
	size_t i, n = 0;

	buf_init(&errors, 0);
	f = handler_fixture_new("config", "prompts", &errors);
	if (errors.len)
		fprintf(stderr, "%s", buf_cstr(&errors));
	buf_free(&errors);
	assert_non_null(f);

	add(f->world, n++, "LDM Bhadohi", "loan", "bhadohi");
	add(f->world, n++, "DIC Bhadohi PMEGP", "loan", "bhadohi");
	add(f->world, n++, "Mudra helpline", "loan", "*");
	add(f->world, n++, "RSETI Mirzapur", "training", "mirzapur");
	for (i = 0; i < 8; i++)
		add(f->world, n++, "Market desk Samastipur", "market",
		    "samastipur");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct handler_fixture *f = *state;
	int rc = 0;

	/* Every row the router was handed has been given back. */
	if (f->world->calls.rows_held != 0) {
		fprintf(stderr, "stakeholders: %d answers not freed\n",
		    f->world->calls.rows_held);
		rc = -1;
	}
	handler_fixture_free(f);
	return rc;
}

/* Route and return the single reply (caller frees). */
static char *
route(struct handler_fixture *f, const char *phone, const char *text,
    struct router_result *res)
{
	char *reply;

	assert_int_equal(router_route(&f->ctx, phone, text, res), 0);
	assert_int_equal(res->reply.n, 1);
	reply = xstrdup(res->reply.texts[0]);
	return reply;
}

static void
test_aliases_reach_loan(void **state)
{
	struct handler_fixture *f = *state;
	const char *texts[] = { "loan bhadohi", "LOAN", "rin", "ऋण", "लोन",
	    "karza", "1", "laon", "lone", "Loan!", "१" };
	struct router_result res;
	char *first = NULL, *r;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(texts); i++) {
		r = route(f, "+919876500001", texts[i], &res);
		assert_string_equal(res.keyword, "loan");
		assert_string_equal(res.handler, "info");
		assert_string_equal(res.district, "bhadohi");
		assert_true(res.matched);
		assert_non_null(strstr(r, "LDM Bhadohi"));
		assert_non_null(strstr(r, "Mudra helpline"));
		if (first == NULL)
			first = xstrdup(r);
		else
			assert_string_equal(r, first);
		free(r);
		router_result_clear(&res);
	}
	free(first);
}

static void
test_typos_for_other_keywords(void **state)
{
	struct handler_fixture *f = *state;
	const char *texts[][2] = { { "traning mirzapur", "training" },
	    { "markat samastipur", "market" }, { "2 mirzapur", "training" } };
	struct router_result res;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(texts); i++) {
		free(route(f, "+919876500002", texts[i][0], &res));
		assert_string_equal(res.keyword, texts[i][1]);
		router_result_clear(&res);
	}
}

static void
test_pending_district_question(void **state)
{
	struct handler_fixture *f = *state;
	struct router_result res;
	char *r;

	r = route(f, "+919876500003", "loan", &res);
	assert_null(strstr(r, "+9100000"));		/* a question */
	assert_null(res.district);
	free(r);
	router_result_clear(&res);

	r = route(f, "+919876500003", "संत रविदास नगर", &res);
	assert_string_equal(res.keyword, "loan");
	assert_string_equal(res.district, "bhadohi");
	assert_non_null(strstr(r, "LDM Bhadohi"));
	free(r);
	router_result_clear(&res);

	/* The question expires. */
	r = route(f, "+919876500004", "loan", &res);
	free(r);
	router_result_clear(&res);
	f->ctx.now_ms += 31 * 60000;
	r = route(f, "+919876500004", "mirzapur", &res);
	assert_string_not_equal(res.keyword ? res.keyword : "", "loan");
	assert_null(strstr(r, "+9100000"));
	free(r);
	router_result_clear(&res);
}

static void
test_unmatched_gets_help(void **state)
{
	struct handler_fixture *f = *state;
	struct router_result res;
	char *menu, *r;

	menu = route(f, "+919876500005", "help", &res);
	assert_string_equal(res.handler, "help");
	router_result_clear(&res);
	r = route(f, "+919876500005", "ye kya hai", &res);
	assert_false(res.matched);
	assert_null(res.keyword);
	assert_string_equal(res.handler, "help");
	assert_non_null(strstr(r, menu));
	assert_string_not_equal(r, menu);
	free(r);
	free(menu);
	router_result_clear(&res);
}

static void
test_language(void **state)
{
	struct handler_fixture *f = *state;
	struct router_result res;

	free(route(f, "+919876500006", "loan bhadohi", &res));
	assert_string_equal(res.language, "hi");
	router_result_clear(&res);
	f->ctx.default_language = "en";
	free(route(f, "+919876500007", "loan bhadohi", &res));
	assert_string_equal(res.language, "en");
	router_result_clear(&res);
	free(route(f, "+919876500008", "लोन भदोही", &res));
	assert_string_equal(res.language, "hi");
	router_result_clear(&res);
	f->ctx.default_language = "hi";

	/* A plain English sentence is answered in English, and so is the
	 * one word that answers the question it was asked. */
	free(route(f, "+919876500030", "I need a loan for my shop", &res));
	assert_string_equal(res.language, "en");
	router_result_clear(&res);
	free(route(f, "+919876500030", "Mirzapur", &res));
	assert_string_equal(res.language, "en");
	router_result_clear(&res);
	/* Hinglish is Hindi, English words or not. */
	free(route(f, "+919876500031", "mujhe loan chahiye for my shop",
	    &res));
	assert_string_equal(res.language, "hi");
	router_result_clear(&res);
	/* Her own choice stands. */
	free(route(f, "+919876500032", "lang hi", &res));
	router_result_clear(&res);
	free(route(f, "+919876500032", "I need a loan in Bhadohi", &res));
	assert_string_equal(res.language, "hi");
	router_result_clear(&res);
	/* LANG in an English sentence: the guess must not be what LANG
	 * frees (ASan). */
	free(route(f, "+919876500033", "lang hi", &res));
	router_result_clear(&res);
	assert_int_equal(router_route(&f->ctx, "+919876500034",
	    "please set my lang en", &res), 0);
	router_result_clear(&res);
}

static unsigned
segments(const char *s)
{
	struct segment_info si;

	assert_int_equal(segment_count(s, strlen(s), &si), 0);
	return si.segments;
}

static void
test_paging_behind_more(void **state)
{
	struct handler_fixture *f = *state;
	struct router_result res;
	size_t seen = 0, pages = 0;
	char *r, *p;

	/* English: in Hindi (UCS-2) one entry alone is over one SMS, and
	 * a page always holds at least one. */
	f->ctx.segment_budget = 1;
	f->ctx.default_language = "en";
	r = route(f, "+919876500009", "market samastipur", &res);
	router_result_clear(&res);
	for (;;) {
		assert_true(segments(r) <= 1);
		for (p = r; (p = strstr(p, "+9100000")) != NULL; p++)
			seen++;
		pages++;
		free(r);
		r = route(f, "+919876500009", "more", &res);
		router_result_clear(&res);
		if (strstr(r, "+9100000") == NULL)
			break;		/* "nothing more" */
		assert_true(pages < 20);
	}
	free(r);
	assert_true(pages > 1);
	assert_int_equal(seen, 8);
	f->ctx.segment_budget = 2;
	f->ctx.default_language = "hi";
}

/* handler_page's first page and MORE text for text, with or without memo. */
static void
page_of(struct handler_fixture *f, struct handler_page_memo *memo, const char *text,
    const char *lang, char **page, char **more)
{
	struct contact c;
	struct handler_request req;
	struct handler_reply reply;
	struct sp_ctx ctx = f->ctx;

	memset(&c, 0, sizeof(c));
	memset(&req, 0, sizeof(req));
	memset(&reply, 0, sizeof(reply));
	req.lang = lang;
	req.contact = &c;
	ctx.page_memo = memo;
	handler_page(&ctx, &req, text, &reply);
	assert_int_equal(reply.n, 1);
	*page = xstrdup(reply.texts[0]);
	*more = c.more_text != NULL ? xstrdup(c.more_text) : xstrdup("");
	handler_reply_clear(&reply);
	records_contact_clear(&c);
}

/* The same page and MORE text with the memo as without it. */
static void
check_memo_agrees(struct handler_fixture *f, struct handler_page_memo *memo,
    const char *text, const char *lang)
{
	char *p1, *m1, *p2, *m2;

	page_of(f, memo, text, lang, &p2, &m2);
	page_of(f, NULL, text, lang, &p1, &m1);
	assert_string_equal(p1, p2);
	assert_string_equal(m1, m2);
	free(p1);
	free(m1);
	free(p2);
	free(m2);
}

/*
 * The memo answers as counting would: for long and short, English and
 * Hindi texts, at each budget, and for two texts of one length that
 * differ only where they break.
 */
static void
test_page_memo_answers_as_counting(void **state)
{
	struct handler_fixture *f = *state;
	struct handler_page_memo *memo = handler_page_memo_new();
	const char *hindi = "\xe0\xa4\xb2\xe0\xa5\x8b\xe0\xa4\xa8 "
	    "\xe0\xa4\xae\xe0\xa5\x87\xe0\xa4\xb2\xe0\xa4\xbe\n";
	char *texts[6], *p1, *m1, *p2, *m2;
	uint64_t hits, misses;
	struct buf b;
	size_t i, k;
	unsigned budget;
	int round;

	buf_init(&b, 0);
	for (i = 0; i < 30; i++)
		buf_printf(&b, "Stakeholder %zu: +91000000%04zu\n", i, i);
	texts[0] = buf_steal(&b);
	texts[1] = xstrdup("short answer");
	buf_init(&b, 0);
	for (i = 0; i < 40; i++)
		buf_puts(&b, hindi);
	texts[2] = buf_steal(&b);
	/* One length, the line breaks elsewhere. */
	texts[3] = xstrdup(texts[0]);
	texts[3][40] = texts[3][40] == '\n' ? 'x' : '\n';
	texts[4] = xstrdup(texts[0]);
	memset(texts[4], 'y', 300);
	texts[5] = xstrdup(texts[0]);
	texts[5][5] = 'Z';

	for (round = 0; round < 2; round++) {
		for (budget = 1; budget <= 3; budget++) {
			f->ctx.segment_budget = budget;
			for (k = 0; k < SP_ARRAY_LEN(texts); k++) {
				check_memo_agrees(f, memo, texts[k], "en");
				check_memo_agrees(f, memo, texts[k], "hi");
			}
		}
	}
	handler_page_memo_stats(memo, &hits, &misses);
	assert_int_equal(hits + misses, 2 * 3 * 2 * SP_ARRAY_LEN(texts));
	assert_true(hits > 0);
	/* The same text again is found, not counted. */
	f->ctx.segment_budget = 2;
	page_of(f, memo, texts[2], "hi", &p1, &m1);
	page_of(f, memo, texts[2], "hi", &p2, &m2);
	assert_string_equal(p1, p2);
	assert_string_equal(m1, m2);
	free(p1); free(m1); free(p2); free(m2);
	{
		uint64_t before = hits;

		handler_page_memo_stats(memo, &hits, &misses);
		assert_true(hits >= before + 1);
	}
	for (k = 0; k < SP_ARRAY_LEN(texts); k++)
		free(texts[k]);
	handler_page_memo_free(memo);
	handler_page_memo_free(NULL);
}

/* Paging behind MORE, the memo kept across the messages. */
static void
test_paging_with_memo(void **state)
{
	struct handler_fixture *f = *state;
	uint64_t hits, misses;

	f->ctx.page_memo = handler_page_memo_new();
	test_paging_behind_more(state);
	test_paging_behind_more(state);
	handler_page_memo_stats(f->ctx.page_memo, &hits, &misses);
	assert_true(hits > 0);
	handler_page_memo_free(f->ctx.page_memo);
	f->ctx.page_memo = NULL;
}

/*
 * What the router asks of its ops: her contact, read once and saved once
 * per message, with when she was first and last seen; an interest for a
 * category she asks about, and the stakeholders of that category in her
 * district.
 */
static void
test_ops_asked(void **state)
{
	struct handler_fixture *f = *state;
	struct fake_ops *w = f->world;
	const struct contact *c;
	struct router_result res;
	int64_t first = f->ctx.now_ms;
	char *s;

	free(route(f, "+919876500010", "loan bhadohi", &res));
	router_result_clear(&res);
	assert_int_equal(w->calls.contact_get, 1);
	assert_int_equal(w->calls.contact_put, 1);
	assert_int_equal(w->calls.interest_add, 1);
	assert_int_equal(w->calls.stakeholders_find, 1);
	assert_string_equal(w->calls.category, "loan");
	assert_string_equal(w->calls.district, "bhadohi");
	c = fake_ops_contact_find(w, "+919876500010");
	assert_non_null(c);
	assert_string_equal(c->district, "bhadohi");
	assert_string_equal(c->role, "entrepreneur");
	assert_null(c->language);	/* only LANG and JOIN pin one */
	assert_int_equal(c->first_seen_ms, first);
	assert_int_equal(c->last_seen_ms, first);

	/* The menu asks for no stakeholders and is no interest. */
	f->ctx.now_ms += 5000;
	free(route(f, "+919876500010", "help", &res));
	router_result_clear(&res);
	assert_int_equal(w->calls.contact_put, 2);
	assert_int_equal(w->calls.interest_add, 1);
	assert_int_equal(w->calls.stakeholders_find, 1);
	c = fake_ops_contact_find(w, "+919876500010");
	assert_int_equal(c->first_seen_ms, first);
	assert_int_equal(c->last_seen_ms, first + 5000);

	/* Her district is remembered: "2" is training in Bhadohi. */
	free(route(f, "+919876500010", "2", &res));
	assert_string_equal(res.district, "bhadohi");
	router_result_clear(&res);
	assert_string_equal(w->calls.category, "training");
	assert_string_equal(w->calls.district, "bhadohi");
	s = fake_ops_interests(w, "+919876500010");
	assert_string_equal(s, "loan,training");
	free(s);

	/* An imported contact is first seen when she first writes, and
	 * keeps what the import gave her. */
	{
		struct contact pre;

		memset(&pre, 0, sizeof(pre));
		pre.phone = (char *)"+919876500011";
		pre.name = (char *)"Asha";
		pre.district = (char *)"mirzapur";
		fake_ops_contact_set(w, &pre);
	}
	free(route(f, "+919876500011", "training", &res));
	assert_string_equal(res.district, "mirzapur");
	router_result_clear(&res);
	c = fake_ops_contact_find(w, "+919876500011");
	assert_string_equal(c->name, "Asha");
	assert_int_equal(c->first_seen_ms, f->ctx.now_ms);
	assert_int_equal(c->last_seen_ms, f->ctx.now_ms);
}

/* The internal-error answer in lang. */
static char *
internal_error(struct handler_fixture *f, const char *lang)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(prompts_format(f->prompts, lang, "error.internal", &b,
	    NULL), 0);
	return buf_steal(&b);
}

/*
 * An op that fails: reading or saving her contact, or noting her
 * interest, fails the whole message (the caller rolls back and answers
 * 503); the directory failing is answered with the internal-error text,
 * and her contact is still saved.
 */
static void
test_op_failures(void **state)
{
	struct handler_fixture *f = *state;
	struct fake_ops *w = f->world;
	static const unsigned whole[] = { FAKE_OPS_FAIL_GET,
	    FAKE_OPS_FAIL_PUT, FAKE_OPS_FAIL_INTEREST };
	struct router_result res;
	unsigned freed;
	char *want;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(whole); i++) {
		w->fail = whole[i];
		assert_int_equal(router_route(&f->ctx, "+919876500020",
		    "loan bhadohi", &res), -1);
		/* Nothing to clear, nothing half kept. */
		assert_null(res.handler);
		assert_int_equal(res.reply.n, 0);
		assert_null(fake_ops_contact_find(w, "+919876500020"));
	}
	/* A failed read is not followed by a save. */
	w->fail = FAKE_OPS_FAIL_GET;
	w->calls.contact_put = 0;
	assert_int_equal(router_route(&f->ctx, "+919876500020", "help", &res),
	    -1);
	assert_int_equal(w->calls.contact_put, 0);

	w->fail = FAKE_OPS_FAIL_FIND;
	freed = w->calls.stakeholders_free;
	assert_int_equal(router_route(&f->ctx, "+919876500020", "loan bhadohi",
	    &res), 0);
	assert_string_equal(res.handler, "info");
	assert_int_equal(res.reply.n, 1);
	want = internal_error(f, res.language);
	assert_string_equal(res.reply.texts[0], want);
	free(want);
	router_result_clear(&res);
	assert_non_null(fake_ops_contact_find(w, "+919876500020"));
	/* Nothing was found, so nothing is given back. */
	assert_int_equal(w->calls.stakeholders_free, freed);
	assert_int_equal(w->calls.rows_held, 0);
	w->fail = 0;
}

/*
 * What each exchange came to, and whom it referred her to, as the log
 * keeps them: a reply of "no training in Bhadohi yet" is no answer, and
 * a greeting before the category is still a question for her district.
 */
static void
test_outcomes_and_referrals(void **state)
{
	struct handler_fixture *f = *state;
	static const struct {
		const char	*phone, *text;
		int		 limited;
		const char	*outcome, *category, *stakeholders;
	} cases[] = {
		{ "+919800000001", "loan bhadohi", 0, "answered", "loan",
		  "1:LDM Bhadohi|2:DIC Bhadohi PMEGP|3:Mudra helpline" },
		{ "+919800000002", "training bhadohi", 0, "no_stakeholder",
		  "training", NULL },
		{ "+919800000003", "namaste loan chahiye", 0, "asked_district",
		  "loan", NULL },
		/* Her answer to the question completes the request. */
		{ "+919800000003", "Bhadohi", 0, "answered", "loan",
		  "1:LDM Bhadohi|2:DIC Bhadohi PMEGP|3:Mudra helpline" },
		{ "+919800000004", "mirzapur se hu", 0, "asked_category", NULL,
		  NULL },
		{ "+919800000005", "kya hal hai didi asdfgh", 0,
		  "not_understood", NULL, NULL },
		{ "+919800000006", "madad", 0, "answered", NULL, NULL },
		{ "+919800000007", "loan aur training mirzapur", 0,
		  "asked_category", "loan", NULL },
		{ "+919800000008", "STOP", 0, "control", NULL, NULL },
		{ "+919800000008", "loan bhadohi", 0, "opted_out", "loan",
		  NULL },
		{ "+919800000008", "start", 0, "control", NULL, NULL },
		{ "+919800000009", "loan bhadohi", 1, "limited", "loan", NULL },
		{ "+919800000009", "haan", 0, "not_understood", NULL, NULL },
		/* A district not served: the helplines for everywhere are
		 * an answer, being told "not here" is not. */
		{ "+919800000010", "loan chahiye lucknow", 0, "answered",
		  "loan", "3:Mudra helpline" },
		{ "+919800000011", "training lucknow", 0, "no_stakeholder",
		  "training", NULL },
	};
	struct router_result res;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		f->ctx.limited = cases[i].limited;
		assert_int_equal(router_route(&f->ctx, cases[i].phone,
		    cases[i].text, &res), 0);
		if (strcmp(res.outcome, cases[i].outcome) != 0)
			fail_msg("%s: outcome %s, not %s", cases[i].text,
			    res.outcome, cases[i].outcome);
		if (cases[i].category == NULL && res.category != NULL)
			fail_msg("%s: category %s", cases[i].text,
			    res.category);
		else if (cases[i].category == NULL)
			assert_null(res.category);
		else
			assert_string_equal(res.category, cases[i].category);
		if (cases[i].stakeholders == NULL)
			assert_null(res.stakeholders);
		else
			assert_string_equal(res.stakeholders,
			    cases[i].stakeholders);
		router_result_clear(&res);
	}
	f->ctx.limited = 0;
	assert_true(handler_outcome_unanswered("no_stakeholder"));
	assert_true(handler_outcome_unanswered("not_understood"));
	assert_true(handler_outcome_unanswered("limited"));
	assert_false(handler_outcome_unanswered("asked_district"));
	assert_false(handler_outcome_unanswered(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_aliases_reach_loan, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_typos_for_other_keywords,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_district_question,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmatched_gets_help, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_language, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_memo_answers_as_counting,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging_with_memo, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_paging_behind_more, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ops_asked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outcomes_and_referrals,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_op_failures, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
