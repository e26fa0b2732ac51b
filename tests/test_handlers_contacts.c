/*
 * test_handlers_contacts: JOIN, NAME, LANG, STOP and START through the
 * router with the shipped keywords, districts and prompts over a fake
 * world (no database); the opt-out rule (after STOP nothing but START
 * gets an answer) and interests learned from queries.
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
#include "router.h"
#include "segment.h"
#include "util.h"

static int
setup(void **state)
{
	struct handler_fixture *f;
	struct buf errors;

	buf_init(&errors, 0);
	f = handler_fixture_new("config", "prompts", &errors);
	if (errors.len)
		fprintf(stderr, "%s", buf_cstr(&errors));
	buf_free(&errors);
	assert_non_null(f);
	fake_ops_stakeholder_add(f->world, "LDM Bhadohi", "loan", "bhadohi",
	    "+910000000001");
	f->ctx.default_language = "en";
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	handler_fixture_free(*state);
	return 0;
}

/* Route text; the one reply (caller frees), or NULL if there was none. */
static char *
say(struct handler_fixture *f, const char *phone, const char *text,
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

/* Her contact as the router saved it. */
static const struct contact *
contact(struct handler_fixture *f, const char *phone)
{
	const struct contact *c = fake_ops_contact_find(f->world, phone);

	if (c == NULL)
		fail_msg("%s: no contact", phone);
	return c;
}

/* When phone opted out; 0: never, or no such contact. */
static int64_t
opted_out_ms(struct handler_fixture *f, const char *phone)
{
	const struct contact *c = fake_ops_contact_find(f->world, phone);

	return c != NULL ? c->opted_out_ms : 0;
}

static unsigned
segments(const char *s)
{
	struct segment_info si;

	assert_int_equal(segment_count(s, strlen(s), &si), 0);
	return si.segments;
}

static void
test_join(void **state)
{
	struct handler_fixture *f = *state;
	const struct contact *c;
	char *r;

	r = say(f, "+919800000001", "JOIN Bhadohi Sunita  Devi", "join");
	assert_non_null(strstr(r, "Sunita Devi"));
	assert_non_null(strstr(r, "Bhadohi"));
	assert_true(segments(r) <= 2);
	free(r);
	c = contact(f, "+919800000001");
	assert_string_equal(c->district, "bhadohi");
	assert_string_equal(c->name, "Sunita Devi");
	assert_string_equal(c->language, "en");	/* pinned at registration */

	/* A district of several words, then the name. */
	r = say(f, "+919800000002", "join sant ravidas nagar Asha", "join");
	assert_non_null(strstr(r, "Asha"));
	free(r);
	c = contact(f, "+919800000002");
	assert_string_equal(c->district, "bhadohi");
	assert_string_equal(c->name, "Asha");

	/* Hindi: a Hindi welcome; no name: the anonymous one. */
	r = say(f, "+919800000003", "जुड़ें मिर्ज़ापुर", "join");
	assert_non_null(strstr(r, "स्वागत"));
	assert_non_null(strstr(r, "मिर्ज़ापुर"));
	assert_true(segments(r) <= 2);
	free(r);
	c = contact(f, "+919800000003");
	assert_string_equal(c->district, "mirzapur");
	assert_null(c->name);
	assert_string_equal(c->language, "hi");

	/* No district, or one we do not know: asked again, nothing kept. */
	r = say(f, "+919800000004", "join", "join");
	assert_non_null(strstr(r, "JOIN"));
	free(r);
	r = say(f, "+919800000004", "register atlantis Rita", "join");
	assert_non_null(strstr(r, "do not know"));
	free(r);
	c = contact(f, "+919800000004");
	assert_null(c->district);
	assert_null(c->name);
}

static void
test_name(void **state)
{
	struct handler_fixture *f = *state;
	const struct contact *c;
	char *r;

	r = say(f, "+919800000010", "NAME  Rekha   Kumari ", "name");
	assert_non_null(strstr(r, "Rekha Kumari"));
	free(r);
	c = contact(f, "+919800000010");
	assert_string_equal(c->name, "Rekha Kumari");
	r = say(f, "+919800000010", "naam", "name");
	assert_non_null(strstr(r, "NAME"));
	free(r);
	c = contact(f, "+919800000010");
	assert_string_equal(c->name, "Rekha Kumari");
	/* An initial alone could not be said back by its template: she is
	 * shown how, and her name stays. */
	r = say(f, "+919800000010", "NAME S", "name");
	assert_non_null(strstr(r, "NAME"));
	free(r);
	c = contact(f, "+919800000010");
	assert_string_equal(c->name, "Rekha Kumari");
	/* Long names are cut on a character, not a byte. */
	r = say(f, "+919800000010", "नाम सुनीता देवी सुनीता देवी सुनीता देवी "
	    "सुनीता देवी सुनीता देवी", "name");
	free(r);
	c = contact(f, "+919800000010");
	assert_true(strlen(c->name) <= 40 * 3);
	assert_true(strncmp(c->name, "सुनीता देवी", strlen("सुनीता देवी")) ==
	    0);
}

static void
test_lang(void **state)
{
	struct handler_fixture *f = *state;
	static const char *const cases[][2] = {
		{ "LANG HI", "hi" }, { "lang en", "en" },
		{ "भाषा हिंदी", "hi" }, { "bhasha english", "en" },
		{ "bhasha hindi", "hi" }, { "भाषा english", "en" },
		{ "language hindi", "hi" }, { "English", "en" },
		{ "हिंदी", "hi" },
	};
	const struct contact *c;
	size_t i;
	char *r;

	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		r = say(f, "+919800000020", cases[i][0], "lang");
		c = contact(f, "+919800000020");
		if (strcmp(c->language, cases[i][1]) != 0)
			fail_msg("\"%s\": language %s", cases[i][0],
			    c->language);
		/* Confirmed in the new language. */
		assert_int_equal(strstr(r, "English") != NULL,
		    strcmp(cases[i][1], "en") == 0);
		free(r);
	}
	r = say(f, "+919800000020", "lang fr", "lang");
	assert_non_null(strstr(r, "LANG"));
	free(r);
	c = contact(f, "+919800000020");
	assert_string_equal(c->language, "hi");
}

static void
test_stop_and_start(void **state)
{
	struct handler_fixture *f = *state;
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
	struct handler_fixture *f = *state;
	char *names;

	free(say(f, "+919800000300", "loan bhadohi", "info"));
	free(say(f, "+919800000300", "training", "info"));	/* asks */
	free(say(f, "+919800000300", "help", "help"));
	names = fake_ops_interests(f->world, "+919800000300");
	assert_string_equal(names, "loan,training");
	free(names);
	/* Nothing is learned from someone who opted out. */
	free(say(f, "+919800000301", "stop", "stop"));
	assert_null(say(f, "+919800000301", "market bhadohi", "opted-out"));
	assert_int_equal(fake_ops_interest_has(f->world, "+919800000301",
	    "market"), 0);
}

/* How often the broadcast features were reached. */
static unsigned
bcast_calls(const struct handler_fixture *f)
{
	const struct fake_ops_calls *k = &f->world->calls;

	return k->notice_prepare + k->notice_confirm + k->rsvp;
}

/*
 * A sender over an abuse limit: nothing she asks is carried out (no
 * contact change, no interest, no NOTICE, YES or START), except STOP.
 */
static void
test_limited_sender(void **state)
{
	struct handler_fixture *f = *state;
	static const char *const texts[] = { "join bhadohi Sunita",
	    "name Sunita", "lang hi", "loan bhadohi", "bhadohi",
	    "NOTICE bhadohi meeting on friday", "YES 123456", "yes", "start" };
	const char *coord = "+919800000400";
	struct fake_ops_bcast *script = &f->world->bcast;
	const struct contact *c;
	struct contact set;
	unsigned before;
	size_t i;

	/* Every broadcast feature would answer, were it reached. */
	fake_ops_attach_bcast(f->world, &f->ctx);
	script->prepare_rc = 0;
	strcpy(script->preview.code, "123456");
	script->confirm_rc = 1;
	script->confirm_recipients = 1;
	script->rsvp_rc = 1;
	script->rsvp_title = "Meeting";
	script->rsvp_meeting_ms = 1700000000000LL;
	memset(&set, 0, sizeof(set));
	set.phone = (char *)coord;
	set.role = (char *)"coordinator";
	fake_ops_contact_set(f->world, &set);
	/* Not limited, the fakes are reached. */
	before = bcast_calls(f);
	free(say(f, coord, "YES 123456", "rsvp"));
	assert_int_equal(bcast_calls(f), before + 1);
	assert_string_equal(f->world->calls.code, "123456");

	f->ctx.limited = 1;
	before = bcast_calls(f);
	for (i = 0; i < SP_ARRAY_LEN(texts); i++)
		free(say(f, coord, texts[i], "limited"));
	assert_int_equal(bcast_calls(f), before);
	c = contact(f, coord);
	assert_null(c->name);
	assert_null(c->district);
	assert_null(c->language);
	assert_string_equal(c->role, "coordinator");
	assert_int_equal(fake_ops_interest_has(f->world, coord, "loan"), 0);
	/* A stranger over the limit is not even made a contact. */
	free(say(f, "+919800000401", "join bhadohi Rekha", "limited"));
	assert_null(fake_ops_contact_find(f->world, "+919800000401"));

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
