/*
 * test_handlers_contacts: JOIN, NAME, LANG, STOP and START through the
 * router with the shipped keywords, districts and prompts over a
 * temporary store; the opt-out rule (after STOP nothing but START gets an
 * answer) and interests learned from queries.
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

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct stakeholder row = { (char *)"LDM Bhadohi", (char *)"loan",
	    (char *)"bhadohi", (char *)"+910000000001", (char *)"hi|en",
	    (char *)"", (char *)"" };
	struct buf errors;

	strcpy(f->dir, "/tmp/sampark-hcontacts-XXXXXX");
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
	assert_int_equal(store_stakeholders_replace(f->store, &row, 1, "t"), 0);

	f->env.store = f->store;
	f->ctx.ops = &handler_env_ops;
	f->ctx.ops_arg = &f->env;
	f->ctx.keywords = f->kw;
	f->ctx.understand = f->und;
	f->ctx.districts = f->dt;
	f->ctx.prompts = f->prompts;
	f->ctx.default_language = "en";
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

/* Route text; the one reply (caller frees), or NULL if there was none. */
static char *
say(struct fixture *f, const char *phone, const char *text,
    const char *want_handler)
{
	struct router_result res;
	char *reply = NULL;

	f->ctx.now_ms += 1000;
	assert_int_equal(router_route(&f->ctx, phone, text, &res), 0);
	if (want_handler != NULL && strcmp(res.handler, want_handler) != 0)
		fail_msg("\"%s\": handler %s, want %s", text, res.handler,
		    want_handler);
	assert_true(res.reply.n <= 1);
	if (res.reply.n == 1)
		reply = xstrdup(res.reply.texts[0]);
	router_result_clear(&res);
	return reply;
}

static void
contact(struct fixture *f, const char *phone, struct contact *c)
{
	assert_int_equal(store_contact_get(f->store, phone, c), 1);
}

/* When phone opted out; 0: never, or no such contact. */
static int64_t
opted_out_ms(struct fixture *f, const char *phone)
{
	struct contact c;
	int64_t v;

	if (store_contact_get(f->store, phone, &c) != 1)
		return 0;
	v = c.opted_out_ms;
	records_contact_clear(&c);
	return v;
}

static unsigned
segments(const char *s)
{
	struct seg_info si;

	assert_int_equal(seg_count(s, strlen(s), &si), 0);
	return si.segments;
}

static void
test_join(void **state)
{
	struct fixture *f = *state;
	struct contact c;
	char *r;

	r = say(f, "+919800000001", "JOIN Bhadohi Sunita  Devi", "join");
	assert_non_null(strstr(r, "Sunita Devi"));
	assert_non_null(strstr(r, "Bhadohi"));
	assert_true(segments(r) <= 2);
	free(r);
	contact(f, "+919800000001", &c);
	assert_string_equal(c.district, "bhadohi");
	assert_string_equal(c.name, "Sunita Devi");
	assert_string_equal(c.language, "en");	/* pinned at registration */
	records_contact_clear(&c);

	/* A district of several words, then the name. */
	r = say(f, "+919800000002", "join sant ravidas nagar Asha", "join");
	assert_non_null(strstr(r, "Asha"));
	free(r);
	contact(f, "+919800000002", &c);
	assert_string_equal(c.district, "bhadohi");
	assert_string_equal(c.name, "Asha");
	records_contact_clear(&c);

	/* Hindi: a Hindi welcome; no name: the anonymous one. */
	r = say(f, "+919800000003", "जुड़ें मिर्ज़ापुर", "join");
	assert_non_null(strstr(r, "स्वागत"));
	assert_non_null(strstr(r, "मिर्ज़ापुर"));
	assert_true(segments(r) <= 2);
	free(r);
	contact(f, "+919800000003", &c);
	assert_string_equal(c.district, "mirzapur");
	assert_null(c.name);
	assert_string_equal(c.language, "hi");
	records_contact_clear(&c);

	/* No district, or one we do not know: asked again, nothing kept. */
	r = say(f, "+919800000004", "join", "join");
	assert_non_null(strstr(r, "JOIN"));
	free(r);
	r = say(f, "+919800000004", "register atlantis Rita", "join");
	assert_non_null(strstr(r, "do not know"));
	free(r);
	contact(f, "+919800000004", &c);
	assert_null(c.district);
	assert_null(c.name);
	records_contact_clear(&c);
}

static void
test_name(void **state)
{
	struct fixture *f = *state;
	struct contact c;
	char *r;

	r = say(f, "+919800000010", "NAME  Rekha   Kumari ", "name");
	assert_non_null(strstr(r, "Rekha Kumari"));
	free(r);
	contact(f, "+919800000010", &c);
	assert_string_equal(c.name, "Rekha Kumari");
	records_contact_clear(&c);
	r = say(f, "+919800000010", "naam", "name");
	assert_non_null(strstr(r, "NAME"));
	free(r);
	contact(f, "+919800000010", &c);
	assert_string_equal(c.name, "Rekha Kumari");
	records_contact_clear(&c);
	/* Long names are cut on a character, not a byte. */
	r = say(f, "+919800000010", "नाम सुनीता देवी सुनीता देवी सुनीता देवी "
	    "सुनीता देवी सुनीता देवी", "name");
	free(r);
	contact(f, "+919800000010", &c);
	assert_true(strlen(c.name) <= 40 * 3);
	assert_true(strncmp(c.name, "सुनीता देवी", strlen("सुनीता देवी")) ==
	    0);
	records_contact_clear(&c);
}

static void
test_lang(void **state)
{
	struct fixture *f = *state;
	static const char *const cases[][2] = {
		{ "LANG HI", "hi" }, { "lang en", "en" },
		{ "भाषा हिंदी", "hi" }, { "bhasha english", "en" },
		{ "bhasha hindi", "hi" }, { "भाषा english", "en" },
		{ "language hindi", "hi" }, { "English", "en" },
		{ "हिंदी", "hi" },
	};
	struct contact c;
	size_t i;
	char *r;

	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		r = say(f, "+919800000020", cases[i][0], "lang");
		contact(f, "+919800000020", &c);
		if (strcmp(c.language, cases[i][1]) != 0)
			fail_msg("\"%s\": language %s", cases[i][0],
			    c.language);
		records_contact_clear(&c);
		/* Confirmed in the new language. */
		assert_int_equal(strstr(r, "English") != NULL,
		    strcmp(cases[i][1], "en") == 0);
		free(r);
	}
	r = say(f, "+919800000020", "lang fr", "lang");
	assert_non_null(strstr(r, "LANG"));
	free(r);
	contact(f, "+919800000020", &c);
	assert_string_equal(c.language, "hi");
	records_contact_clear(&c);
}

static void
test_stop_and_start(void **state)
{
	struct fixture *f = *state;
	static const char *const stops[] = { "STOP", "stopall", "Unsubscribe",
	    "cancel", "END", "quit", "बंद", "रोकें", "band" };
	static const char *const starts[] = { "START", "शुरू", "chalu" };
	char phone[32], *r;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(stops); i++) {
		snprintf(phone, sizeof(phone), "+9198000001%02zu", i);
		r = say(f, phone, stops[i], "stop");
		assert_non_null(r);		/* exactly one confirmation */
		free(r);
		assert_true(opted_out_ms(f, phone) > 0);
		/* Then nothing at all: keywords, nonsense, STOP again. */
		assert_null(say(f, phone, "loan bhadohi", "opted-out"));
		assert_null(say(f, phone, "help", "opted-out"));
		assert_null(say(f, phone, "what is this", "opted-out"));
		assert_null(say(f, phone, stops[i], "opted-out"));
		assert_null(say(f, phone, "join bhadohi", "opted-out"));
		r = say(f, phone, starts[i % SP_ARRAY_LEN(starts)], "start");
		assert_non_null(r);
		free(r);
		assert_int_equal(opted_out_ms(f, phone), 0);
		r = say(f, phone, "help", "help");
		assert_non_null(r);
		free(r);
	}
	/* The STOP confirmation fits one message in either language. */
	r = say(f, "+919800000200", "stop", "stop");
	assert_int_equal(segments(r), 1);
	free(r);
	r = say(f, "+919800000201", "रोकें", "stop");
	assert_true(segments(r) <= 2);
	free(r);
	/* Only an exact word opts out, never a typo of one; every word
	 * counts now, so "bank loan" is a loan request. */
	free(say(f, "+919800000203", "bank loan", "info"));
	free(say(f, "+919800000203", "stpo", "help"));
	assert_int_equal(opted_out_ms(f, "+919800000203"), 0);
	/* Words near the new ones still reach their own keywords. */
	free(say(f, "+919800000202", "hi", "help"));
	free(say(f, "+919800000202", "loan bhadohi", "info"));
}

static void
test_interests_learned(void **state)
{
	struct fixture *f = *state;
	char **names;
	size_t n;

	free(say(f, "+919800000300", "loan bhadohi", "info"));
	free(say(f, "+919800000300", "training", "info"));	/* asks */
	free(say(f, "+919800000300", "help", "help"));
	assert_int_equal(store_interests_get(f->store, "+919800000300", &names,
	    &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "loan");
	assert_string_equal(names[1], "training");
	store_strings_free(names, n);
	/* Nothing is learned from someone who opted out. */
	free(say(f, "+919800000301", "stop", "stop"));
	assert_null(say(f, "+919800000301", "market bhadohi", "opted-out"));
	assert_int_equal(store_interest_has(f->store, "+919800000301",
	    "market"), 0);
}

/* Broadcast features that only count how often they are reached. */
static int bcast_calls;

static int
fake_prepare(void *arg, const char *phone, const char *district,
    const char *text, struct sp_notice_preview *pv)
{
	(void)arg; (void)phone; (void)district; (void)text;
	memset(pv, 0, sizeof(*pv));
	strcpy(pv->code, "123456");
	bcast_calls++;
	return 0;
}

static int
fake_confirm(void *arg, const char *phone, const char *code, int64_t *n)
{
	(void)arg; (void)phone; (void)code;
	*n = 1;
	bcast_calls++;
	return 1;
}

static int
fake_rsvp(void *arg, const char *phone, int yes, char **title, int64_t *ms)
{
	(void)arg; (void)phone; (void)yes;
	*title = xstrdup("Meeting");
	*ms = 1700000000000LL;
	bcast_calls++;
	return 1;
}

static const struct sp_bcast_ops fake_bcast = {
	.notice_prepare = fake_prepare,
	.notice_confirm = fake_confirm,
	.rsvp = fake_rsvp,
};

/*
 * A sender over an abuse limit: nothing she asks is carried out (no
 * contact change, no interest, no NOTICE, YES or START), except STOP.
 */
static void
test_limited_sender(void **state)
{
	struct fixture *f = *state;
	static const char *const texts[] = { "join bhadohi Sunita",
	    "name Sunita", "lang hi", "loan bhadohi", "bhadohi",
	    "NOTICE bhadohi meeting on friday", "YES 123456", "yes", "start" };
	const char *coord = "+919800000400";
	struct contact c;
	size_t i;

	f->ctx.bcast = &fake_bcast;
	memset(&c, 0, sizeof(c));
	c.phone = (char *)coord;
	c.role = (char *)"coordinator";
	assert_int_equal(store_contact_put(f->store, &c), 0);
	/* Not limited, the fakes are reached. */
	bcast_calls = 0;
	free(say(f, coord, "YES 123456", "rsvp"));
	assert_int_equal(bcast_calls, 1);

	f->ctx.limited = 1;
	bcast_calls = 0;
	for (i = 0; i < SP_ARRAY_LEN(texts); i++)
		free(say(f, coord, texts[i], "limited"));
	assert_int_equal(bcast_calls, 0);
	contact(f, coord, &c);
	assert_null(c.name);
	assert_null(c.district);
	assert_null(c.language);
	assert_string_equal(c.role, "coordinator");
	records_contact_clear(&c);
	assert_int_equal(store_interest_has(f->store, coord, "loan"), 0);
	/* A stranger over the limit is not even made a contact. */
	free(say(f, "+919800000401", "join bhadohi Rekha", "limited"));
	assert_int_equal(store_contact_get(f->store, "+919800000401", &c), 0);

	/* STOP is always honoured; START is not, while limited. */
	free(say(f, coord, "stop", "stop"));
	assert_true(opted_out_ms(f, coord) > 0);
	free(say(f, coord, "start", "limited"));
	assert_true(opted_out_ms(f, coord) > 0);
	f->ctx.limited = 0;
	free(say(f, coord, "start", "start"));
	assert_int_equal(opted_out_ms(f, coord), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_join, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lang, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_and_start, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_interests_learned, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_limited_sender, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
