/*
 * test_handlers: every handler of handler_table called on its own, with
 * a request built by hand, the shipped prompts and a fake world (no
 * database, no router): the reply it gives (the prompt it picks and what
 * it fills in), what it changes on her contact, and what it asks of the
 * context's ops and broadcast features.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "fake_ops.h"
#include "handler.h"
#include "handler_fixture.h"
#include "keywords.h"
#include "prompts.h"
#include "router.h"
#include "segment.h"
#include "text.h"
#include "util.h"

#define NOW_MS	1700000000000LL

/* One call of a handler: her contact, the request and the reply. */
struct call {
	struct contact		 c;
	struct handler_request	 req;
	struct handler_reply		 reply;
};

static int
setup(void **state)
{
	struct handler_fixture *f;
	struct buf errors;
	size_t i;
	char phone[32];

	buf_init(&errors, 0);
	f = handler_fixture_new("config", "prompts", &errors);
	if (errors.len)
		fprintf(stderr, "%s", buf_cstr(&errors));
	buf_free(&errors);
	assert_non_null(f);
	fake_ops_stakeholder_add(f->world, "LDM Bhadohi", "loan", "bhadohi",
	    "+910000000001");
	fake_ops_stakeholder_add(f->world, "RSETI Mirzapur", "training",
	    "mirzapur", "+910000000002");
	fake_ops_stakeholder_add(f->world, "Mudra helpline", "loan", "*",
	    "+910000000003");
	for (i = 0; i < 12; i++) {
		snprintf(phone, sizeof(phone), "+9100000100%02zu", i);
		fake_ops_stakeholder_add(f->world, "Market desk Samastipur",
		    "market", "samastipur", phone);
	}
	f->ctx.now_ms = NOW_MS;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct handler_fixture *f = *state;
	const struct fake_ops_calls *k = &f->world->calls;
	int rc = 0;

	/* Handlers change the contact they are handed; reading and saving
	 * it is the router's business.  And every answer is given back. */
	if (k->contact_get != 0 || k->contact_put != 0 ||
	    k->interest_add != 0 || k->rows_held != 0) {
		fprintf(stderr, "ops: %u get, %u put, %u interest, %d held\n",
		    k->contact_get, k->contact_put, k->interest_add,
		    k->rows_held);
		rc = -1;
	}
	handler_fixture_free(f);
	return rc;
}

/* A request from phone, in lang, with no words after the keyword. */
static void
call_init(struct call *k, const char *phone, const char *lang)
{
	memset(k, 0, sizeof(*k));
	k->c.phone = xstrdup(phone);
	k->c.role = xstrdup("entrepreneur");
	k->req.contact = &k->c;
	k->req.lang = lang;
	k->req.args = "";
	k->req.raw_args = "";
}

static void
call_clear(struct call *k)
{
	handler_reply_clear(&k->reply);
	handler_request_clear(&k->req);
	records_contact_clear(&k->c);
}

static void
set_str(char **field, const char *v)
{
	free(*field);
	*field = v != NULL ? xstrdup(v) : NULL;
}

/* Run h; its return value.  The reply is kept in k. */
static int
run(struct handler_fixture *f, const struct handler *h, struct call *k)
{
	handler_reply_clear(&k->reply);
	handler_request_clear(&k->req);
	return h->run(&f->ctx, &k->req, &k->reply);
}

/* The one reply of k (fails the test if there is not exactly one). */
static const char *
reply_of(const struct call *k)
{
	assert_int_equal(k->reply.n, 1);
	return k->reply.texts[0];
}

/*
 * The reply is prompt key in lang with these placeholders filled (a
 * NULL-terminated name, value list).
 */
#define assert_reply(f, k, lang, key, ...) do {				\
	struct buf want_;						\
									\
	buf_init(&want_, 0);						\
	assert_int_equal(prompts_format((f)->prompts, (lang), (key),	\
	    &want_, __VA_ARGS__), 0);					\
	assert_string_equal(reply_of(k), buf_cstr(&want_));		\
	buf_free(&want_);						\
} while (0)

/* The text of prompt key in lang, as is (caller frees). */
static char *
prompt(struct handler_fixture *f, const char *lang, const char *key)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(prompts_format(f->prompts, lang, key, &b, NULL), 0);
	return buf_steal(&b);
}

/* The menu as the answer to something not understood, in lang. */
static char *
unknown_menu(struct handler_fixture *f, const char *lang)
{
	char *sorry = prompt(f, lang, "help.unknown");
	char *menu = prompt(f, lang, "help.menu");
	char *s = xasprintf("%s %s", sorry, menu);

	free(sorry);
	free(menu);
	return s;
}

static unsigned
segments(const char *s)
{
	struct segment_info si;

	assert_int_equal(segment_count(s, strlen(s), &si), 0);
	return si.segments;
}

static const struct district *
district(struct handler_fixture *f, const char *key)
{
	const struct district *d = district_find(f->dt, key);

	assert_non_null(d);
	return d;
}

/* ---- the table ---- */

static void
test_table(void **state)
{
	static const char *const names[] = { "info", "help", "more", "choose",
	    "join", "name", "lang", "stop", "start", "notice", "rsvp" };
	struct handler_fixture *f = *state;
	const struct keyword *kw;
	size_t i, n;

	for (i = 0; i < SP_ARRAY_LEN(names); i++) {
		assert_non_null(handler_find(names[i]));
		assert_string_equal(handler_find(names[i])->name, names[i]);
	}
	for (n = 0; handler_table[n] != NULL; n++)
		assert_non_null(handler_table[n]->run);
	assert_int_equal(n, SP_ARRAY_LEN(names));
	assert_null(handler_find("nope"));
	/* Every keyword of the shipped config has its handler. */
	for (i = 0; (kw = keywords_at(f->kw, i)) != NULL; i++)
		if (handler_find(kw->handler) == NULL)
			fail_msg("keyword %s: no handler %s", kw->name,
			    kw->handler);
}

/* ---- info ---- */

static void
test_info_lists_stakeholders(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;
	struct buf want;

	call_init(&k, "+919800000001", "en");
	k.req.keyword = "loan";
	k.req.category = "loan";
	k.req.district = district(f, "bhadohi");
	assert_int_equal(run(f, &handler_info, &k), 0);
	assert_int_equal(f->world->calls.stakeholders_find, 1);
	assert_string_equal(f->world->calls.category, "loan");
	assert_string_equal(f->world->calls.district, "bhadohi");
	/* Her district's and everyone's, in directory order. */
	buf_init(&want, 0);
	assert_int_equal(prompts_format(f->prompts, "en", "info.header", &want,
	    "n", "2", "category", "Loans", "district", "Bhadohi", NULL), 0);
	buf_puts(&want, "\n");
	assert_int_equal(prompts_format(f->prompts, "en", "info.entry", &want,
	    "name", "LDM Bhadohi", "phone", "+910000000001", NULL), 0);
	buf_puts(&want, "\n");
	assert_int_equal(prompts_format(f->prompts, "en", "info.entry", &want,
	    "name", "Mudra helpline", "phone", "+910000000003", NULL), 0);
	/* The last page ends with its own note, not with a variable. */
	buf_puts(&want, "\n");
	buf_puts(&want, prompts_get(f->prompts, "en", "info.end"));
	assert_string_equal(reply_of(&k), buf_cstr(&want));
	buf_free(&want);
	assert_null(k.c.more_text);
	assert_null(k.c.pending_keyword);

	/* In Hindi, the district's and the category's Hindi names. */
	k.req.lang = "hi";
	assert_int_equal(run(f, &handler_info, &k), 0);
	assert_non_null(strstr(reply_of(&k), "भदोही"));
	assert_non_null(strstr(reply_of(&k),
	    prompts_get(f->prompts, "hi", "category.loan")));
	assert_non_null(strstr(reply_of(&k), "LDM Bhadohi +910000000001"));

	/* A keyword without a category is its own category. */
	k.req.category = NULL;
	k.req.keyword = "training";
	k.req.district = district(f, "mirzapur");
	assert_int_equal(run(f, &handler_info, &k), 0);
	assert_string_equal(f->world->calls.category, "training");
	assert_string_equal(f->world->calls.district, "mirzapur");
	assert_non_null(strstr(reply_of(&k), "RSETI Mirzapur"));
	call_clear(&k);
}

static void
test_info_asks_district(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;

	call_init(&k, "+919800000002", "en");
	k.req.keyword = "loan";
	k.req.category = "loan";
	assert_int_equal(run(f, &handler_info, &k), 0);
	assert_reply(f, &k, "en", "ask.district", NULL);
	/* The question waits on her contact for her answer. */
	assert_string_equal(k.c.pending_keyword, "loan");
	assert_int_equal(k.c.pending_until_ms, NOW_MS + f->ctx.pending_ms);
	assert_int_equal(f->world->calls.stakeholders_find, 0);
	call_clear(&k);
}

static void
test_info_none_and_failure(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;

	call_init(&k, "+919800000003", "en");
	k.req.keyword = "training";
	k.req.category = "training";
	k.req.district = district(f, "bhadohi");
	assert_int_equal(run(f, &handler_info, &k), 0);
	assert_reply(f, &k, "en", "info.none", "category", "Training",
	    "district", "Bhadohi", NULL);
	assert_int_equal(f->world->calls.stakeholders_free, 1);

	/* The directory failing is the router's internal error. */
	f->world->fail = FAKE_OPS_FAIL_FIND;
	assert_int_equal(run(f, &handler_info, &k), -1);
	f->world->fail = 0;
	call_clear(&k);
}

/* How many "id:name" entries a referred field holds. */
static size_t
entries(const char *referred)
{
	size_t n = *referred != '\0';

	for (; *referred != '\0'; referred++)
		n += *referred == '|';
	return n;
}

static void
test_info_pages(void **state)
{
	struct handler_fixture *f = *state;
	const char *note = prompts_get(f->prompts, "en", "info.more");
	struct call k;
	const char *r;
	size_t referred, pages;
	int seen_last = 0;

	call_init(&k, "+919800000004", "en");
	k.req.keyword = "market";
	k.req.category = "market";
	k.req.district = district(f, "samastipur");
	f->ctx.segment_budget = 1;
	assert_int_equal(run(f, &handler_info, &k), 0);
	r = reply_of(&k);
	assert_int_equal(segments(r), 1);
	/* The page ends with the note, the rest waits behind MORE. */
	assert_true(strlen(r) > strlen(note));
	assert_string_equal(r + strlen(r) - strlen(note), note);
	assert_non_null(k.c.more_text);
	assert_null(strstr(r, "+910000010011"));
	assert_int_equal(k.c.more_until_ms, NOW_MS + f->ctx.more_ms);
	/* What waits is kept as the entries' ids, not their text, and she
	 * is referred only to what she was sent... */
	assert_null(strstr(k.c.more_text, "+9100000100"));
	referred = entries(buf_cstr(&k.req.referred));
	assert_in_range(referred, 1, 11);
	/* ...the rest counted as MORE gives it, each entry once, the last
	 * one included. */
	k.req.keyword = "more";
	for (pages = 0; k.c.more_text != NULL && pages < 12; pages++) {
		assert_int_equal(run(f, &handler_more, &k), 0);
		seen_last |= strstr(reply_of(&k), "+910000010011") != NULL;
		referred += entries(buf_cstr(&k.req.referred));
	}
	assert_null(k.c.more_text);
	assert_true(seen_last);
	assert_int_equal(referred, 12);
	call_clear(&k);
}

/*
 * Entries past the first page are checked against the DLT template only
 * when MORE gets to them: one that cannot be carried is still left out
 * then, and a MORE that finds nothing else left says so.
 */
static void
test_more_checks_the_rest(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;

	fake_ops_stakeholder_add(f->world, "Haat samiti Lalganj", "market",
	    "mirzapur", "+910000020001");
	fake_ops_stakeholder_add(f->world, "Haat samiti Halia", "market",
	    "mirzapur", "+910000020002");
	fake_ops_stakeholder_add(f->world, "Haat samiti Chunar", "market",
	    "mirzapur", "+910000020003");
	fake_ops_stakeholder_add(f->world, "Mirzapur District Women Artisans "
	    "Producer Company Limited, Kachhwa Road", "market", "mirzapur",
	    "+910000020099");
	call_init(&k, "+919800000005", "en");
	k.req.keyword = "market";
	k.req.category = "market";
	k.req.district = district(f, "mirzapur");
	assert_int_equal(run(f, &handler_info, &k), 0);
	assert_non_null(strstr(reply_of(&k), "+910000020003"));
	assert_non_null(k.c.more_text);
	k.req.keyword = "more";
	assert_int_equal(run(f, &handler_more, &k), 0);
	assert_reply(f, &k, "en", "more.none", NULL);
	assert_null(k.c.more_text);
	assert_int_equal(k.req.referred.len, 0);
	assert_int_equal(f->world->calls.rows_held, 0);
	call_clear(&k);
}

/* ---- help ---- */

static void
test_help(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;
	char *want;

	call_init(&k, "+919800000010", "en");
	k.req.keyword = "help";
	assert_int_equal(run(f, &handler_help, &k), 0);
	assert_reply(f, &k, "en", "help.menu", NULL);

	/* Not understood: said so, then the menu. */
	k.req.unmatched = 1;
	assert_int_equal(run(f, &handler_help, &k), 0);
	want = unknown_menu(f, "en");
	assert_string_equal(reply_of(&k), want);
	free(want);

	/*
	 * The Hindi menu, whole even over the budget: a menu cut behind
	 * MORE would match no registered DLT template.
	 */
	k.req.unmatched = 0;
	k.req.lang = "hi";
	assert_int_equal(run(f, &handler_help, &k), 0);
	assert_reply(f, &k, "hi", "help.menu", NULL);
	assert_true(segments(reply_of(&k)) > 1);
	f->ctx.segment_budget = 1;
	assert_int_equal(run(f, &handler_help, &k), 0);
	assert_reply(f, &k, "hi", "help.menu", NULL);
	assert_null(k.c.more_text);
	call_clear(&k);
}

/* ---- more ---- */

static void
test_more(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;
	char *first;

	/* Nothing kept: said so. */
	call_init(&k, "+919800000020", "en");
	k.req.keyword = "more";
	assert_int_equal(run(f, &handler_more, &k), 0);
	assert_reply(f, &k, "en", "more.none", NULL);

	/* A fresh rest that fits is sent whole under its header, and
	 * nothing is left. */
	set_str(&k.c.more_text, "FPO Halia +910000010209");
	k.c.more_until_ms = NOW_MS + 1;
	assert_int_equal(run(f, &handler_more, &k), 0);
	assert_string_equal(reply_of(&k), "More (1):\nFPO Halia +910000010209\n"
	    "Reply HELP for the menu.");
	assert_null(k.c.more_text);
	assert_int_equal(k.c.more_until_ms, 0);

	/* A stale one is not. */
	set_str(&k.c.more_text, "FPO Halia +910000010209");
	k.c.more_until_ms = NOW_MS;
	assert_int_equal(run(f, &handler_more, &k), 0);
	assert_reply(f, &k, "en", "more.none", NULL);

	/* A long rest is paged again, its own rest kept for longer. */
	f->ctx.segment_budget = 1;
	k.req.keyword = "market";
	k.req.category = "market";
	k.req.district = district(f, "samastipur");
	assert_int_equal(run(f, &handler_info, &k), 0);
	first = xstrdup(reply_of(&k));
	f->ctx.now_ms += 60000;
	k.req.keyword = "more";
	assert_int_equal(run(f, &handler_more, &k), 0);
	assert_string_not_equal(reply_of(&k), first);
	assert_int_equal(segments(reply_of(&k)), 1);
	assert_non_null(strstr(reply_of(&k), "+9100000100"));
	if (k.c.more_text != NULL)
		assert_int_equal(k.c.more_until_ms, f->ctx.now_ms +
		    f->ctx.more_ms);
	free(first);
	call_clear(&k);
}

/* ---- choose ---- */

static void
test_choose(void **state)
{
	struct handler_fixture *f = *state;
	struct router_result res;
	struct call k;
	char *options;

	call_init(&k, "+919800000030", "en");
	k.req.keyword = "choose";
	k.req.choice[0] = keywords_find(f->kw, "loan");
	k.req.choice[1] = keywords_find(f->kw, "training");
	assert_non_null(k.req.choice[0]);
	assert_non_null(k.req.choice[1]);
	/* Each by its menu digit, so that her answer is a menu choice. */
	assert_int_equal(run(f, &handler_choose, &k), 0);
	assert_reply(f, &k, "en", "choose.ask", "options",
	    "1 Loans, 2 Training", NULL);
	k.req.choice[1] = keywords_find(f->kw, "market");
	k.req.lang = "hi";
	assert_int_equal(run(f, &handler_choose, &k), 0);
	options = xasprintf("1 %s, 3 %s", prompts_get(f->prompts, "hi",
	    "category.loan"), prompts_get(f->prompts, "hi", "category.market"));
	assert_reply(f, &k, "hi", "choose.ask", "options", options, NULL);
	free(options);
	assert_null(k.c.pending_keyword);
	call_clear(&k);

	/* Through the router: both named, neither sent, her district kept. */
	f->ctx.default_language = "en";
	assert_int_equal(router_route(&f->ctx, "+919800000031",
	    "I need both loan and training in Bhadohi", &res), 0);
	assert_string_equal(res.handler, "choose");
	assert_int_equal(res.reply.n, 1);
	assert_non_null(strstr(res.reply.texts[0], "1 Loans, 2 Training"));
	assert_int_equal(f->world->calls.stakeholders_find, 0);
	assert_int_equal(f->world->calls.interest_add, 0);
	assert_string_equal(fake_ops_contact_find(f->world,
	    "+919800000031")->district, "bhadohi");
	router_result_clear(&res);
	/* The router's reads and saves are not the handler's. */
	memset(&f->world->calls, 0, sizeof(f->world->calls));
}

/* ---- join ---- */

static void
test_join(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;

	call_init(&k, "+919800000040", "en");
	k.req.keyword = "join";
	assert_int_equal(run(f, &handler_join, &k), 0);
	assert_reply(f, &k, "en", "join.usage", NULL);
	k.req.args = "atlantis rita";
	k.req.raw_args = "Atlantis Rita";
	assert_int_equal(run(f, &handler_join, &k), 0);
	assert_reply(f, &k, "en", "join.unknown", NULL);
	assert_null(k.c.district);
	assert_null(k.c.name);
	assert_null(k.c.language);
	assert_null(k.req.district);

	/* Her language and name, once known, stay unless she names one. */
	set_str(&k.c.language, "hi");
	set_str(&k.c.name, "Asha");
	k.req.args = "bhadohi";
	k.req.raw_args = "Bhadohi";
	assert_int_equal(run(f, &handler_join, &k), 0);
	assert_reply(f, &k, "en", "join.welcome", "name", "Asha", "district",
	    "Bhadohi", NULL);
	assert_string_equal(k.c.district, "bhadohi");
	assert_string_equal(k.c.language, "hi");
	assert_string_equal(k.c.name, "Asha");
	assert_ptr_equal(k.req.district, district(f, "bhadohi"));

	/* A new district and a new name, as she wrote it. */
	k.req.args = "mirzapur rekha kumari";
	k.req.raw_args = "Mirzapur  Rekha\tKumari";
	assert_int_equal(run(f, &handler_join, &k), 0);
	assert_string_equal(k.c.district, "mirzapur");
	assert_string_equal(k.c.name, "Rekha Kumari");
	assert_reply(f, &k, "en", "join.welcome", "name", "Rekha Kumari",
	    "district", "Mirzapur", NULL);
	call_clear(&k);

	/* No name yet: the anonymous welcome, her language pinned. */
	call_init(&k, "+919800000041", "hi");
	k.req.args = "bhadohi";
	k.req.raw_args = NULL;
	assert_int_equal(run(f, &handler_join, &k), 0);
	assert_reply(f, &k, "hi", "join.welcome.anon", "name", "", "district",
	    "भदोही", NULL);
	assert_string_equal(k.c.language, "hi");
	assert_null(k.c.name);
	call_clear(&k);
}

/* ---- name ---- */

static void
test_name_clean(void **state)
{
	char in[64], want[64], *s, *p;
	size_t chars;

	(void)state;
	assert_null(handler_name_clean(NULL));
	assert_null(handler_name_clean(""));
	assert_null(handler_name_clean(" \t\r\n "));
	assert_null(handler_name_clean(" S "));
	s = handler_name_clean("Sa");
	assert_string_equal(s, "Sa");
	free(s);
	s = handler_name_clean("  Rekha \t Kumari \n");
	assert_string_equal(s, "Rekha Kumari");
	free(s);
	/* Control bytes are spaces, not part of a name. */
	s = handler_name_clean("\x01Rekha\x02\x1b" "Devi\x7f");
	assert_string_equal(s, "Rekha Devi\x7f");
	free(s);
	/* At most 40 characters, and never a space at the end. */
	memset(in, 'a', 50);
	in[50] = '\0';
	s = handler_name_clean(in);
	memset(want, 'a', 40);
	want[40] = '\0';
	assert_string_equal(s, want);
	free(s);
	memcpy(in + 39, " bcd", 5);
	s = handler_name_clean(in);
	want[39] = '\0';
	assert_string_equal(s, want);
	free(s);
	/* Cut on a character: valid UTF-8, 40 code points. */
	s = handler_name_clean("सुनीतादेवीसुनीतादेवी"
	    "सुनीतादेवीसुनीतादेवीसुनीतादेवी");
	assert_true(text_utf8_valid(s, strlen(s)));
	for (chars = 0, p = s; *p != '\0'; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	assert_int_equal(chars, 40);
	free(s);
}

static void
test_name(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;

	call_init(&k, "+919800000050", "en");
	k.req.keyword = "name";
	set_str(&k.c.name, "Asha");
	assert_int_equal(run(f, &handler_name, &k), 0);
	assert_reply(f, &k, "en", "name.usage", "name", "", NULL);
	assert_string_equal(k.c.name, "Asha");
	k.req.args = "sunita devi";
	k.req.raw_args = "  Sunita   Devi ";
	assert_int_equal(run(f, &handler_name, &k), 0);
	assert_reply(f, &k, "en", "name.saved", "name", "Sunita Devi", NULL);
	assert_string_equal(k.c.name, "Sunita Devi");
	call_clear(&k);
}

/* ---- lang ---- */

static void
test_lang(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;

	/* HINDI / ENGLISH carry the language as their category. */
	call_init(&k, "+919800000060", "hi");
	k.req.keyword = "english";
	k.req.category = "en";
	assert_int_equal(run(f, &handler_lang, &k), 0);
	assert_string_equal(k.c.language, "en");
	assert_string_equal(k.req.lang, "en");
	assert_reply(f, &k, "en", "lang.set", NULL);

	/* LANG <word>: the word, normalised, names it. */
	k.req.keyword = "lang";
	k.req.category = NULL;
	k.req.args = "हिंदी";
	assert_int_equal(run(f, &handler_lang, &k), 0);
	assert_string_equal(k.c.language, "hi");
	assert_reply(f, &k, "hi", "lang.set", NULL);

	/* A language we have no prompts for, or no language: usage, in the
	 * language she is answered in now; nothing changes. */
	k.req.lang = "en";
	k.req.args = "french";
	assert_int_equal(run(f, &handler_lang, &k), 0);
	assert_reply(f, &k, "en", "lang.usage", NULL);
	assert_string_equal(k.c.language, "hi");
	k.req.category = "fr";
	assert_int_equal(run(f, &handler_lang, &k), 0);
	assert_reply(f, &k, "en", "lang.usage", NULL);
	assert_string_equal(k.c.language, "hi");
	call_clear(&k);
}

/* ---- stop, start ---- */

static void
test_stop_start(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;

	call_init(&k, "+919800000070", "en");
	k.req.keyword = "stop";
	set_str(&k.c.name, "Asha");
	set_str(&k.c.district, "bhadohi");
	set_str(&k.c.pending_keyword, "loan");
	k.c.pending_until_ms = NOW_MS + 1000;
	set_str(&k.c.more_text, "FPO Halia +910000010209");
	k.c.more_until_ms = NOW_MS + 1000;
	assert_int_equal(run(f, &handler_stop, &k), 0);
	assert_reply(f, &k, "en", "stop.confirm", NULL);
	assert_int_equal(k.c.opted_out_ms, NOW_MS);
	/* Nothing waits for her any more; who she is stays. */
	assert_null(k.c.pending_keyword);
	assert_int_equal(k.c.pending_until_ms, 0);
	assert_null(k.c.more_text);
	assert_int_equal(k.c.more_until_ms, 0);
	assert_string_equal(k.c.name, "Asha");
	assert_string_equal(k.c.district, "bhadohi");

	/* Even without a clock, she is marked as opted out. */
	f->ctx.now_ms = 0;
	k.c.opted_out_ms = 0;
	assert_int_equal(run(f, &handler_stop, &k), 0);
	assert_true(k.c.opted_out_ms != 0);
	f->ctx.now_ms = NOW_MS;

	k.req.keyword = "start";
	k.req.lang = "hi";
	assert_int_equal(run(f, &handler_start, &k), 0);
	assert_reply(f, &k, "hi", "start.confirm", NULL);
	assert_int_equal(k.c.opted_out_ms, 0);
	assert_string_equal(k.c.name, "Asha");
	assert_string_equal(k.c.district, "bhadohi");
	call_clear(&k);
}

/* ---- notice ---- */

static void
coordinator(struct call *k, const char *phone, const char *lang)
{
	call_init(k, phone, lang);
	set_str(&k->c.role, "coordinator");
	k->req.keyword = "notice";
}

static void
test_notice_only_coordinators(void **state)
{
	struct handler_fixture *f = *state;
	struct call k;
	char *want = unknown_menu(f, "en");

	/* Without broadcasts, even a coordinator gets the menu. */
	coordinator(&k, "+919800000080", "en");
	k.req.args = "bhadohi meeting";
	k.req.raw_args = "Bhadohi meeting";
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_string_equal(reply_of(&k), want);
	assert_true(k.req.unmatched);
	call_clear(&k);

	/* From anyone else NOTICE is a word we do not know. */
	fake_ops_attach_bcast(f->world, &f->ctx);
	call_init(&k, "+919800000081", "en");
	k.req.keyword = "notice";
	k.req.args = "bhadohi meeting";
	k.req.raw_args = "Bhadohi meeting";
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_string_equal(reply_of(&k), want);
	assert_true(k.req.unmatched);
	assert_int_equal(f->world->calls.notice_prepare, 0);
	call_clear(&k);
	free(want);
}

static void
test_notice_usage(void **state)
{
	struct handler_fixture *f = *state;
	static const char *const cases[][3] = {
		{ "", "", "notice.usage" },
		{ "bhadohi", "Bhadohi", "notice.usage" },
		{ "atlantis meeting on friday", "Atlantis meeting on Friday",
		    "notice.district" },
	};
	struct call k;
	size_t i;

	fake_ops_attach_bcast(f->world, &f->ctx);
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		coordinator(&k, "+919800000082", "en");
		k.req.args = cases[i][0];
		k.req.raw_args = cases[i][1];
		assert_int_equal(run(f, &handler_notice, &k), 0);
		assert_reply(f, &k, "en", cases[i][2], NULL);
		assert_false(k.req.unmatched);
		call_clear(&k);
	}
	assert_int_equal(f->world->calls.notice_prepare, 0);
}

static void
test_notice_preview(void **state)
{
	struct handler_fixture *f = *state;
	struct fake_ops_bcast *script = &f->world->bcast;
	struct call k;

	fake_ops_attach_bcast(f->world, &f->ctx);
	script->prepare_rc = 0;
	script->preview.recipients = 42;
	script->preview.segments = 2;
	script->preview.total_segments = 84;
	strcpy(script->preview.code, "493021");
	coordinator(&k, "+919800000083", "en");
	k.req.args = "bhadohi meeting on friday 11am";
	k.req.raw_args = "Bhadohi  Meeting on Friday 11am, block office";
	assert_int_equal(run(f, &handler_notice, &k), 0);
	/* Her words as she wrote them, after the district. */
	assert_int_equal(f->world->calls.notice_prepare, 1);
	assert_string_equal(f->world->calls.phone, "+919800000083");
	assert_string_equal(f->world->calls.district, "bhadohi");
	assert_string_equal(f->world->calls.text,
	    "Meeting on Friday 11am, block office");
	assert_reply(f, &k, "en", "notice.preview", "district", "Bhadohi",
	    "count", "42", "segments", "2", "total", "84", "code", "493021",
	    NULL);
	/* In Hindi, the district's Hindi name. */
	k.req.lang = "hi";
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_reply(f, &k, "hi", "notice.preview", "district", "भदोही",
	    "count", "42", "segments", "2", "total", "84", "code", "493021",
	    NULL);
	k.req.lang = "en";

	/* Too long: how much fits. */
	script->prepare_rc = 1;
	script->preview.max_chars = 306;
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_reply(f, &k, "en", "notice.too_long", "max", "306", NULL);

	/* Nobody reachable there: told so, not to try again later. */
	script->prepare_rc = 2;
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_reply(f, &k, "en", "notice.nobody", NULL);
	assert_null(strstr(reply_of(&k), "try again"));

	/* A failure is told to her, not the router's internal error. */
	script->prepare_rc = -1;
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_reply(f, &k, "en", "notice.error", NULL);
	assert_int_equal(f->world->calls.notice_prepare, 5);
	call_clear(&k);
}

static void
test_notice_status(void **state)
{
	struct handler_fixture *f = *state;
	struct fake_ops_bcast *script = &f->world->bcast;
	static const char *const words[] = { "status", "sthiti", "स्थिति",
	    "ginti" };
	struct call k;
	size_t i;
	char *menu;

	fake_ops_attach_bcast(f->world, &f->ctx);
	script->status_rc = 1;
	util_strlcpy(script->status.district, "bhadohi",
	    sizeof(script->status.district));
	/* 2023-11-14 22:13:20 UTC is 15 Nov in India. */
	script->status.sent_ms = 1700000000000LL;
	script->status.recipients = 120;
	script->status.yes = 31;
	script->status.no = 7;
	script->status.no_answer = 82;
	coordinator(&k, "+919800000084", "en");
	k.req.args = "status";
	k.req.raw_args = "STATUS";
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_reply(f, &k, "en", "notice.status", "district", "Bhadohi",
	    "date", "15 Nov", "count", "120", "yes", "31", "no", "7", "none",
	    "82", NULL);
	assert_string_equal(f->world->calls.phone, "+919800000084");
	/* The Hindi forms, answered in Hindi with the district's Hindi name. */
	k.req.lang = "hi";
	for (i = 0; i < SP_ARRAY_LEN(words); i++) {
		k.req.args = words[i];
		k.req.raw_args = words[i];
		assert_int_equal(run(f, &handler_notice, &k), 0);
		assert_reply(f, &k, "hi", "notice.status", "district", "भदोही",
		    "date", "15 Nov", "count", "120", "yes", "31", "no", "7",
		    "none", "82", NULL);
	}
	assert_int_equal(f->world->calls.notice_status,
	    1 + SP_ARRAY_LEN(words));
	/* Never taken for a notice to send. */
	assert_int_equal(f->world->calls.notice_prepare, 0);

	/* No notice sent yet; a failure. */
	k.req.lang = "en";
	script->status_rc = 0;
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_reply(f, &k, "en", "notice.status_none", NULL);
	script->status_rc = -1;
	assert_int_equal(run(f, &handler_notice, &k), 0);
	assert_reply(f, &k, "en", "notice.error", NULL);
	call_clear(&k);

	/* From a woman who is no coordinator: the menu, nothing counted. */
	call_init(&k, "+919800000085", "en");
	k.req.keyword = "notice";
	k.req.args = "status";
	k.req.raw_args = "status";
	assert_int_equal(run(f, &handler_notice, &k), 0);
	menu = unknown_menu(f, "en");
	assert_string_equal(reply_of(&k), menu);
	free(menu);
	assert_true(k.req.unmatched);
	assert_int_equal(f->world->calls.notice_status,
	    3 + SP_ARRAY_LEN(words));
	call_clear(&k);
}

/* ---- rsvp ---- */

static void
test_rsvp_confirms_notice(void **state)
{
	struct handler_fixture *f = *state;
	struct fake_ops_bcast *script = &f->world->bcast;
	static const struct {
		int		 rc;
		const char	*key;
	} cases[] = {
		{ 1, "notice.sent" }, { 0, "notice.bad_code" },
		{ 2, "notice.cancelled" }, { 3, "notice.nobody" },
		{ -1, "notice.error" },
	};
	struct call k;
	size_t i;

	fake_ops_attach_bcast(f->world, &f->ctx);
	script->confirm_recipients = 42;
	coordinator(&k, "+919800000090", "en");
	k.req.keyword = "yes";
	k.req.category = "yes";
	k.req.args = "493021";
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		script->confirm_rc = cases[i].rc;
		assert_int_equal(run(f, &handler_rsvp, &k), 0);
		assert_reply(f, &k, "en", cases[i].key, "count", "42", NULL);
	}
	assert_int_equal(f->world->calls.notice_confirm, SP_ARRAY_LEN(cases));
	assert_string_equal(f->world->calls.code, "493021");
	assert_string_equal(f->world->calls.phone, "+919800000090");
	assert_int_equal(f->world->calls.rsvp, 0);

	/* Any length a guess may take is a try, not an RSVP. */
	script->confirm_rc = 0;
	k.req.args = "1234";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	k.req.args = "1234567890";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_int_equal(f->world->calls.notice_confirm,
	    SP_ARRAY_LEN(cases) + 2);
	assert_int_equal(f->world->calls.rsvp, 0);

	/* Short digits, NO with a code, or a code from someone who is no
	 * coordinator: her meeting answer. */
	k.req.args = "123";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	k.req.args = "493021";
	k.req.category = "no";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	set_str(&k.c.role, "entrepreneur");
	k.req.category = "yes";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_int_equal(f->world->calls.notice_confirm,
	    SP_ARRAY_LEN(cases) + 2);
	assert_int_equal(f->world->calls.rsvp, 3);
	call_clear(&k);
}

static void
test_rsvp_meeting(void **state)
{
	struct handler_fixture *f = *state;
	struct fake_ops_bcast *script = &f->world->bcast;
	struct call k;
	char *menu;

	/* Without broadcasts: the menu. */
	call_init(&k, "+919800000091", "en");
	k.req.keyword = "yes";
	k.req.category = "yes";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_reply(f, &k, "en", "help.menu", NULL);

	fake_ops_attach_bcast(f->world, &f->ctx);
	script->rsvp_rc = 1;
	script->rsvp_title = "SHG meeting";
	/* 2023-11-14 22:13:20 UTC is 15 Nov, 03:43 in India. */
	script->rsvp_meeting_ms = 1700000000000LL;
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_int_equal(f->world->calls.yes, 1);
	assert_string_equal(f->world->calls.phone, "+919800000091");
	assert_reply(f, &k, "en", "rsvp.yes", "title", "SHG meeting", "date",
	    "15 Nov", "time", "03:43", NULL);
	k.req.keyword = "no";
	k.req.category = "no";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_int_equal(f->world->calls.yes, 0);
	assert_reply(f, &k, "en", "rsvp.no", "title", "SHG meeting", "date",
	    "15 Nov", "time", "03:43", NULL);

	/* No meeting to answer: the menu, as for any YES or NO. */
	script->rsvp_rc = 0;
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	menu = prompt(f, "en", "help.menu");
	assert_string_equal(reply_of(&k), menu);
	free(menu);
	/* Failing: the router's internal error. */
	script->rsvp_rc = -1;
	assert_int_equal(run(f, &handler_rsvp, &k), -1);
	assert_int_equal(f->world->calls.rsvp, 4);
	call_clear(&k);
}

static void
test_rsvp_notice(void **state)
{
	struct handler_fixture *f = *state;
	struct fake_ops_bcast *script = &f->world->bcast;
	struct call k;

	/* Her answer to a coordinator's notice, not to a meeting. */
	fake_ops_attach_bcast(f->world, &f->ctx);
	script->rsvp_rc = 2;
	script->rsvp_title = "bhadohi";
	script->rsvp_meeting_ms = 1700000000000LL;
	call_init(&k, "+919800000092", "hi");
	k.req.keyword = "yes";
	k.req.category = "yes";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_int_equal(f->world->calls.yes, 1);
	assert_reply(f, &k, "hi", "notice.answer_yes", NULL);
	k.req.keyword = "no";
	k.req.category = "no";
	k.req.lang = "en";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_int_equal(f->world->calls.yes, 0);
	assert_reply(f, &k, "en", "notice.answer_no", NULL);
	/* A "YES <code>" from her is no confirmation: she is no coordinator. */
	k.req.keyword = "yes";
	k.req.category = "yes";
	k.req.args = "493021";
	assert_int_equal(run(f, &handler_rsvp, &k), 0);
	assert_reply(f, &k, "en", "notice.answer_yes", NULL);
	assert_int_equal(f->world->calls.notice_confirm, 0);
	assert_int_equal(f->world->calls.rsvp, 3);
	call_clear(&k);
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_table),
		T(test_info_lists_stakeholders),
		T(test_info_asks_district),
		T(test_info_none_and_failure),
		T(test_info_pages),
		T(test_more_checks_the_rest),
		T(test_help),
		T(test_more),
		T(test_choose),
		T(test_join),
		T(test_name_clean),
		T(test_name),
		T(test_lang),
		T(test_stop_start),
		T(test_notice_only_coordinators),
		T(test_notice_usage),
		T(test_notice_preview),
		T(test_notice_status),
		T(test_rsvp_confirms_notice),
		T(test_rsvp_meeting),
		T(test_rsvp_notice),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
