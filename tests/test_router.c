/*
 * test_router: routing with the shipped keywords, districts and prompts
 * over a temporary store: aliases and typos, district override, the
 * pending district question, language choice, and paging behind MORE.
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

#include "district.h"
#include "handler.h"
#include "keywords.h"
#include "prompts.h"
#include "handler_env.h"
#include "router.h"
#include "segment.h"
#include "store.h"
#include "understand.h"
#include "util.h"

struct fixture {
	char			 dir[64];
	char			*dbpath;
	struct store		*store;
	struct kw_table		*kw;
	struct und_table	*und;
	struct district_table	*dt;
	struct prompts		*prompts;
	struct sp_ctx		 ctx;
	struct handler_env	 env;
};

static void
add(struct stakeholder *r, size_t i, const char *name,
    const char *cat, const char *district)
{
	r[i].name = (char *)name;
	r[i].category = (char *)cat;
	r[i].district = (char *)district;
	r[i].phone = xasprintf("+9100000%05zu", i);
	r[i].languages = (char *)"hi|en";
	r[i].description_en = (char *)"";
	r[i].description_hi = (char *)"";
}

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct stakeholder rows[16];
	struct buf errors;
	size_t i, n = 0;

	strcpy(f->dir, "/tmp/sampark-router-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->dbpath = xasprintf("%s/t.db", f->dir);
	f->store = store_open(f->dbpath, NULL, NULL, 0);
	assert_non_null(f->store);
	buf_init(&errors, 0);
	f->kw = kw_load("config/keywords.conf", &errors);
	f->dt = district_load("config/districts.csv", &errors);
	if (f->kw != NULL && f->dt != NULL)
		f->und = und_new(f->kw, f->dt, "config/lexicon.conf", &errors);
	f->prompts = prompts_load("prompts", &errors);
	if (errors.len)
		fprintf(stderr, "%s", buf_cstr(&errors));
	assert_non_null(f->kw);
	assert_non_null(f->dt);
	assert_non_null(f->prompts);
	buf_free(&errors);

	add(rows, n++, "LDM Bhadohi", "loan", "bhadohi");
	add(rows, n++, "DIC Bhadohi PMEGP", "loan", "bhadohi");
	add(rows, n++, "Mudra helpline", "loan", "*");
	add(rows, n++, "RSETI Mirzapur", "training", "mirzapur");
	for (i = 0; i < 8; i++)
		add(rows, n++, "Market desk Samastipur", "market", "samastipur");
	assert_int_equal(store_stakeholders_replace(f->store, rows, n, "t"), 0);
	for (i = 0; i < n; i++)
		free(rows[i].phone);

	f->env.store = f->store;
	f->ctx.ops = &handler_env_ops;
	f->ctx.ops_arg = &f->env;
	f->ctx.keywords = f->kw;
	f->ctx.understand = f->und;
	f->ctx.districts = f->dt;
	f->ctx.prompts = f->prompts;
	f->ctx.default_language = "hi";
	f->ctx.segment_budget = 2;
	f->ctx.now_ms = 1700000000000LL;
	f->ctx.pending_ms = 30 * 60000;
	f->ctx.more_ms = 60 * 60000;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *wal = xasprintf("%s-wal", f->dbpath), *shm = xasprintf("%s-shm",
	    f->dbpath);

	store_close(f->store);
	und_free(f->und);
	kw_free(f->kw);
	district_free(f->dt);
	prompts_free(f->prompts);
	unlink(f->dbpath);
	unlink(wal);
	unlink(shm);
	rmdir(f->dir);
	free(wal);
	free(shm);
	free(f->dbpath);
	free(f);
	return 0;
}

/* Route and return the single reply (caller frees). */
static char *
route(struct fixture *f, const char *phone, const char *text,
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
	struct fixture *f = *state;
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
	struct fixture *f = *state;
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
	struct fixture *f = *state;
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
	struct fixture *f = *state;
	struct router_result res;
	char *menu, *r;

	menu = route(f, "+919876500005", "help", &res);
	assert_string_equal(res.handler, "help");
	router_result_clear(&res);
	r = route(f, "+919876500005", "what is this", &res);
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
	struct fixture *f = *state;
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
}

static unsigned
segments(const char *s)
{
	struct seg_info si;

	assert_int_equal(seg_count(s, strlen(s), &si), 0);
	return si.segments;
}

static void
test_paging_behind_more(void **state)
{
	struct fixture *f = *state;
	struct router_result res;
	size_t seen = 0, pages = 0;
	char *r, *p;

	f->ctx.segment_budget = 1;
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
}

/* handler_page's first page and MORE text for text, with or without memo. */
static void
page_of(struct fixture *f, struct page_memo *memo, const char *text,
    const char *lang, char **page, char **more)
{
	struct contact c;
	struct handler_request req;
	struct sp_reply reply;
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
	sp_reply_clear(&reply);
	records_contact_clear(&c);
}

/* The same page and MORE text with the memo as without it. */
static void
check_memo_agrees(struct fixture *f, struct page_memo *memo,
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
	struct fixture *f = *state;
	struct page_memo *memo = page_memo_new();
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
	page_memo_stats(memo, &hits, &misses);
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

		page_memo_stats(memo, &hits, &misses);
		assert_true(hits >= before + 1);
	}
	for (k = 0; k < SP_ARRAY_LEN(texts); k++)
		free(texts[k]);
	page_memo_free(memo);
	page_memo_free(NULL);
}

/* Paging behind MORE, the memo kept across the messages. */
static void
test_paging_with_memo(void **state)
{
	struct fixture *f = *state;
	uint64_t hits, misses;

	f->ctx.page_memo = page_memo_new();
	test_paging_behind_more(state);
	test_paging_behind_more(state);
	page_memo_stats(f->ctx.page_memo, &hits, &misses);
	assert_true(hits > 0);
	page_memo_free(f->ctx.page_memo);
	f->ctx.page_memo = NULL;
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
