/*
 * Every reply the router can produce is a registered DLT template: each
 * text matches exactly one template of its language, as `sampark
 * templates` prints them, under the scrubber's rule (fixed text
 * byte-exact, each {#var#} 1 to 30 characters).
 *
 * The matcher here is written apart from reply_templates.c (which
 * matches with a table over positions): it merges each run of adjacent
 * variables into one span of m to 30m characters and backtracks over
 * the fixed text between spans.  The replies come from the router over
 * the shipped configuration and sample directory (config/), in Hindi and
 * English, with the directory's longest names and a few longer ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "csv.h"
#include "district.h"
#include "fake_ops.h"
#include "handler_fixture.h"
#include "prompts.h"
#include "records.h"
#include "reply_templates.h"
#include "router.h"
#include "util.h"

#define TOKEN		"{#var#}"
#define PER_VAR		30

/* ---- the independent matcher ---- */

/* Characters (UTF-8 code points) in s[0..len). */
static size_t
chars_in(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static int
scrub_at(const char *tpl, const char *msg)
{
	size_t vars = 0, tl = strlen(TOKEN), fixed;
	const char *end, *next;

	if (strncmp(tpl, TOKEN, tl) != 0) {
		/* Fixed text up to the next variable must be there as is. */
		next = strstr(tpl, TOKEN);
		fixed = next != NULL ? (size_t)(next - tpl) : strlen(tpl);
		if (strncmp(tpl, msg, fixed) != 0)
			return 0;
		if (next == NULL)
			return msg[fixed] == '\0';
		return scrub_at(next, msg + fixed);
	}
	while (strncmp(tpl, TOKEN, tl) == 0) {
		vars++;
		tpl += tl;
	}
	/* A span of `vars` variables: every end that gives it vars to
	 * vars * PER_VAR characters, on a character boundary. */
	for (end = msg; *end != '\0'; ) {
		end++;
		while (((unsigned char)*end & 0xc0) == 0x80)
			end++;
		if (chars_in(msg, (size_t)(end - msg)) > vars * PER_VAR)
			break;
		if (chars_in(msg, (size_t)(end - msg)) >= vars &&
		    scrub_at(tpl, end))
			return 1;
	}
	return 0;
}

/* The templates of lang that text matches; *which the last one. */
static size_t
matching(const struct reply_templates *t, const char *lang, const char *text,
    const struct reply_template **which)
{
	const struct reply_template *r;
	size_t i, n = 0;

	for (i = 0; i < reply_templates_count(t); i++) {
		r = reply_templates_at(t, i);
		if (strcmp(r->lang, lang) == 0 && scrub_at(r->registered, text)) {
			n++;
			*which = r;
		}
	}
	return n;
}

/* ---- the world ---- */

struct world {
	struct handler_fixture	*f;
	struct reply_templates	*t;
	/* Keys of the templates some reply matched, "lang key" each. */
	char			**seen;
	size_t			 nseen;
	size_t			 replies;
	unsigned		 phone;
};

/* The sample directory, as `import` would load it. */
static void
load_directory(struct fake_ops *w, const char *path)
{
	struct csv_reader *r;
	char err[256], **fld;
	size_t n, line;
	int rc;

	r = csv_open(path, err, sizeof(err));
	assert_non_null(r);
	while ((rc = csv_next(r, &fld, &n, &line, err, sizeof(err))) == 1) {
		if (line == 1)
			continue;	/* the header */
		assert_true(n >= 4);
		fake_ops_stakeholder_add(w, fld[0], fld[1], fld[2], fld[3]);
	}
	assert_int_equal(rc, 0);
	csv_close(r);
}

static int
setup(void **state)
{
	static const char *const more_rows[] = {
		"Jeevika tailoring centre, Benipur",
		"Mithila painting training, Madhubani road",
		"KVK Jale (makhana processing)",
		"DDU-GKY centre Laheriasarai",
		"Beautician course, Bahadurpur block",
		"Mobile repair course, Singhwara",
		"RSETI Darbhanga - dairy batch",
	};
	struct world *w = xcalloc(1, sizeof(*w));
	struct buf err;
	size_t i;

	buf_init(&err, 0);
	w->f = handler_fixture_new("config", "prompts", &err);
	if (w->f != NULL)
		w->t = reply_templates_new(w->f->prompts, w->f->dt, &err);
	if (w->t == NULL) {
		fprintf(stderr, "%s", buf_cstr(&err));
		buf_free(&err);
		return -1;
	}
	buf_free(&err);
	load_directory(w->f->world, "config/stakeholders.csv");
	/* Longer than one variable: split over two by the template. */
	fake_ops_stakeholder_add(w->f->world, "Carpet Export Promotion Council",
	    "market", "varanasi", "+910000010404");
	fake_ops_stakeholder_add(w->f->world,
	    "Mahila Udyam Nidhi, Punjab National Bank, Varanasi",
	    "loan", "varanasi", "+910000010405");
	/* A long list, for pages of three behind MORE. */
	for (i = 0; i < SP_ARRAY_LEN(more_rows); i++)
		fake_ops_stakeholder_add(w->f->world, more_rows[i], "training",
		    "darbhanga", "+9100000106" "1" "0");
	/* 61 characters: more than two variables hold; left out. */
	fake_ops_stakeholder_add(w->f->world,
	    "Uttar Pradesh Khadi and Village Industries Board, Varanasi RO",
	    "loan", "varanasi", "+910000010406");
	fake_ops_attach_bcast(w->f->world, &w->f->ctx);
	w->f->ctx.templates = w->t;
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;
	size_t i;

	for (i = 0; i < w->nseen; i++)
		free(w->seen[i]);
	free(w->seen);
	reply_templates_free(w->t);
	handler_fixture_free(w->f);
	free(w);
	return 0;
}

static void
note_seen(struct world *w, const struct reply_template *r)
{
	char *k = xasprintf("%s %s", r->lang, r->key);
	size_t i;

	for (i = 0; i < w->nseen; i++)
		if (strcmp(w->seen[i], k) == 0) {
			free(k);
			return;
		}
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof(*w->seen));
	w->seen[w->nseen++] = k;
}

static int
was_seen(const struct world *w, const char *lang, const char *key)
{
	char *k = xasprintf("%s %s", lang, key);
	size_t i;
	int found = 0;

	for (i = 0; i < w->nseen && !found; i++)
		found = strcmp(w->seen[i], k) == 0;
	free(k);
	return found;
}

/*
 * Route text from phone; every text of the reply must match exactly one
 * template of the reply's language.  Returns the number of texts; *last
 * (if not NULL) the last text, caller frees.
 */
static size_t
say(struct world *w, const char *phone, const char *text, char **last)
{
	const struct reply_template *r = NULL;
	struct router_result res;
	size_t i, n;

	assert_int_equal(router_route(&w->f->ctx, phone, text, &res), 0);
	for (i = 0; i < res.reply.n; i++) {
		n = matching(w->t, res.language, res.reply.texts[i], &r);
		if (n != 1)
			fail_msg("\"%s\" -> reply (%s) matches %zu templates, "
			    "not 1:\n%s", text, res.language, n,
			    res.reply.texts[i]);
		/* The key the handler named is the one it matches. */
		assert_string_equal(res.reply.keys[i], r->key);
		note_seen(w, r);
		w->replies++;
	}
	n = res.reply.n;
	if (last != NULL)
		*last = n > 0 ? xstrdup(res.reply.texts[n - 1]) : NULL;
	router_result_clear(&res);
	return n;
}

static const char *
new_phone(struct world *w, char *buf, size_t len)
{
	snprintf(buf, len, "+9198765%05u", w->phone++);
	return buf;
}

/* MORE until nothing is left; the number of pages. */
static size_t
page_through(struct world *w, const char *phone, const char *more_word,
    const char *first)
{
	char *last = NULL;
	size_t pages = 1;
	const char *none_en = prompts_get(w->f->prompts, "en", "more.none");
	const char *none_hi = prompts_get(w->f->prompts, "hi", "more.none");

	assert_int_equal(say(w, phone, first, NULL) >= 1, 1);
	for (;;) {
		free(last);
		assert_int_equal(say(w, phone, more_word, &last), 1);
		if (strcmp(last, none_en) == 0 || strcmp(last, none_hi) == 0)
			break;
		pages++;
		assert_true(pages < 30);
	}
	free(last);
	return pages;
}

/* ---- the replies ---- */

static void
test_every_info_reply(void **state)
{
	struct world *w = *state;
	static const char *const cats[] = { "loan", "training", "market" };
	static const char *const langs[] = { "hi", "en" };
	char phone[32], *msg;
	size_t l, c, d;
	unsigned budget;

	for (budget = 1; budget <= 3; budget++) {
		w->f->ctx.segment_budget = budget;
		for (l = 0; l < SP_ARRAY_LEN(langs); l++) {
			w->f->ctx.default_language = langs[l];
			for (c = 0; c < SP_ARRAY_LEN(cats); c++)
				for (d = 0; d < district_count(w->f->dt); d++) {
					msg = xasprintf("%s %s", cats[c],
					    district_at(w->f->dt, d)->key);
					page_through(w, new_phone(w, phone,
					    sizeof(phone)), "more", msg);
					free(msg);
				}
			/* In Devanagari, and MORE in Hindi. */
			page_through(w, new_phone(w, phone, sizeof(phone)),
			    "आगे", "लोन भदोही");
			/* Asked which district, then answered. */
			new_phone(w, phone, sizeof(phone));
			assert_int_equal(say(w, phone, "loan", NULL), 1);
			assert_int_equal(say(w, phone, "mirzapur", NULL), 1);
			/* A district not served, with and without a category. */
			page_through(w, new_phone(w, phone, sizeof(phone)),
			    "more", "loan agra");
			page_through(w, new_phone(w, phone, sizeof(phone)),
			    "more", "agra");
			page_through(w, new_phone(w, phone, sizeof(phone)),
			    "more", "प्रशिक्षण आगरा");
		}
	}
	w->f->ctx.segment_budget = 2;
	w->f->ctx.default_language = "hi";
}

static void
test_every_other_reply(void **state)
{
	struct world *w = *state;
	static const char *const langs[] = { "hi", "en" };
	static const char *const msgs[] = {
		"help", "0", "kya hai ye", "hello didi", "more", "1",
		"stop", "हाँ", "start", "join", "join xyzpur", "join bhadohi",
		"join mirzapur Sunita Devi",
		"join samastipur Rajkumari Devi Kushwaha Pandey Yadav Sharma",
		"name", "name Kamla", "naam सुनीता देवी",
		"lang", "lang fr", "lang en", "lang hi", "hindi", "english",
		"start", "stop", "start",
	};
	static const char *const choose[] = {
		"loan aur training", "loan ya market bhadohi",
		"लोन और बाज़ार मिर्ज़ापुर",
	};
	struct fake_ops *fo = w->f->world;
	struct contact coord;
	char phone[32];
	size_t l, i, nstk;

	for (l = 0; l < SP_ARRAY_LEN(langs); l++) {
		w->f->ctx.default_language = langs[l];
		new_phone(w, phone, sizeof(phone));
		for (i = 0; i < SP_ARRAY_LEN(msgs); i++)
			say(w, phone, msgs[i], NULL);
		for (i = 0; i < SP_ARRAY_LEN(choose); i++)
			assert_int_equal(say(w, new_phone(w, phone,
			    sizeof(phone)), choose[i], NULL), 1);
		/* A category with nobody listed in her district. */
		nstk = fo->nstakeholders;
		fo->nstakeholders = 0;
		assert_int_equal(say(w, new_phone(w, phone, sizeof(phone)),
		    "market darbhanga", NULL), 1);
		fo->nstakeholders = nstk;

		/* A coordinator's NOTICE and its confirmation. */
		memset(&coord, 0, sizeof(coord));
		coord.phone = (char *)new_phone(w, phone, sizeof(phone));
		coord.role = (char *)"coordinator";
		coord.language = (char *)langs[l];
		coord.district = (char *)"bhadohi";
		fake_ops_contact_set(fo, &coord);
		assert_int_equal(say(w, phone, "notice", NULL), 1);
		assert_int_equal(say(w, phone, "notice xyzpur meeting", NULL), 1);
		fo->bcast.prepare_rc = 0;
		fo->bcast.preview.recipients = 1284;
		fo->bcast.preview.segments = 2;
		fo->bcast.preview.total_segments = 2568;
		snprintf(fo->bcast.preview.code, sizeof(fo->bcast.preview.code),
		    "%s", "482913");
		assert_int_equal(say(w, phone, "notice bhadohi Baithak shukravar "
		    "11 baje block office Gyanpur mein", NULL), 1);
		fo->bcast.prepare_rc = 1;
		fo->bcast.preview.max_chars = 280;
		assert_int_equal(say(w, phone, "notice mirzapur bahut lamba "
		    "sandesh", NULL), 1);
		fo->bcast.prepare_rc = 2;
		assert_int_equal(say(w, phone, "notice darbhanga kal baithak",
		    NULL), 1);
		fo->bcast.prepare_rc = -1;
		assert_int_equal(say(w, phone, "notice bhadohi kal", NULL), 1);
		for (i = 0; i <= 3; i++) {
			fo->bcast.confirm_rc = (int)i;
			fo->bcast.confirm_recipients = 1284;
			assert_int_equal(say(w, phone, "yes 482913", NULL), 1);
		}
		/* Her NOTICE STATUS, before any notice and after one. */
		fo->bcast.status_rc = 0;
		assert_int_equal(say(w, phone, "notice status", NULL), 1);
		fo->bcast.status_rc = 1;
		snprintf(fo->bcast.status.district,
		    sizeof(fo->bcast.status.district), "%s", "bhadohi");
		fo->bcast.status.sent_ms = 1702360800000LL;
		fo->bcast.status.recipients = 1284;
		fo->bcast.status.yes = 311;
		fo->bcast.status.no = 42;
		fo->bcast.status.no_answer = 931;
		assert_int_equal(say(w, phone, "notice status", NULL), 1);
		fo->bcast.status_rc = 0;
		/* YES / NO to a meeting, with the longest title a template
		 * holds. */
		new_phone(w, phone, sizeof(phone));
		fo->bcast.rsvp_rc = 1;
		fo->bcast.rsvp_meeting_ms = 1702360800000LL;
		fo->bcast.rsvp_title = "Mahila udyami baithak, Gyanpur block office";
		assert_int_equal(say(w, phone, "yes", NULL), 1);
		assert_int_equal(say(w, phone, "no", NULL), 1);
		fo->bcast.rsvp_title = "बैठक";
		assert_int_equal(say(w, phone, "हाँ", NULL), 1);
		/* YES / NO to a coordinator's NOTICE (no meeting time). */
		fo->bcast.rsvp_rc = 2;
		assert_int_equal(say(w, phone, "yes", NULL), 1);
		assert_int_equal(say(w, phone, "no", NULL), 1);
		fo->bcast.rsvp_rc = 0;
		assert_int_equal(say(w, phone, "yes", NULL), 1);
		/* The directory failing: the internal error. */
		fo->fail = FAKE_OPS_FAIL_FIND;
		assert_int_equal(say(w, phone, "loan bhadohi", NULL), 1);
		fo->fail = 0;
	}
	w->f->ctx.default_language = "hi";
}

/*
 * What cannot be registered is not sent: a meeting title over two
 * variables, and a stakeholder name over two, whose list goes without it.
 */
static void
test_overflow_not_sent(void **state)
{
	struct world *w = *state;
	struct fake_ops *fo = w->f->world;
	char phone[32], *last = NULL;

	w->f->ctx.default_language = "en";
	new_phone(w, phone, sizeof(phone));
	fo->bcast.rsvp_rc = 1;
	fo->bcast.rsvp_meeting_ms = 1702360800000LL;
	fo->bcast.rsvp_title = "Annual general meeting of the Bhadohi carpet "
	    "weavers' federation";
	assert_int_equal(say(w, phone, "yes", NULL), 0);
	fo->bcast.rsvp_rc = 0;
	page_through(w, phone, "more", "loan varanasi");
	assert_int_equal(say(w, phone, "loan varanasi", &last), 1);
	assert_null(strstr(last, "Khadi and Village"));
	assert_non_null(strstr(last, "Mahila Udyam Nidhi"));
	free(last);
	w->f->ctx.default_language = "hi";
}

/*
 * Names of 60 characters, the most two variables hold: one to a page in
 * English at one SMS, with more behind it.
 */
static void
test_longest_names(void **state)
{
	static const char *const names[] = {
		"Pradhan Mantri Formalisation of Micro Food Enterprises desk",
		"Mukhyamantri Mahila Udyami Yojana helpdesk, Collectorate Rd",
		"Bihar Rural Livelihoods Promotion Society block unit, Baheri",
	};
	struct world *w = *state;
	struct fake_ops *fo = w->f->world;
	struct stakeholder *keep = fo->stakeholders;
	size_t nkeep = fo->nstakeholders, i;
	char phone[32];

	fo->stakeholders = NULL;
	fo->nstakeholders = 0;
	for (i = 0; i < SP_ARRAY_LEN(names); i++) {
		assert_true(strlen(names[i]) <= 60);
		fake_ops_stakeholder_add(fo, names[i], "loan", "darbhanga",
		    "+910000010610");
	}
	w->f->ctx.segment_budget = 1;
	w->f->ctx.default_language = "en";
	assert_int_equal(page_through(w, new_phone(w, phone, sizeof(phone)),
	    "more", "loan darbhanga"), 3);
	w->f->ctx.default_language = "hi";
	page_through(w, new_phone(w, phone, sizeof(phone)), "more",
	    "loan darbhanga");
	w->f->ctx.segment_budget = 2;
	records_stakeholders_free(fo->stakeholders, fo->nstakeholders);
	fo->stakeholders = keep;
	fo->nstakeholders = nkeep;
}

static size_t
count_of(const char *text, const char *what)
{
	size_t n = 0;

	while ((text = strstr(text, what)) != NULL) {
		n++;
		text += strlen(what);
	}
	return n;
}

/* Entries (numbers) in the registered texts of res; each must match. */
static size_t
entries_texted(struct world *w, const struct router_result *res,
    size_t *nmore)
{
	const struct reply_template *r = NULL;
	size_t i, n = 0;

	*nmore = 0;
	for (i = 0; i < res->reply.n; i++) {
		assert_int_equal(matching(w->t, res->language,
		    res->reply.texts[i], &r), 1);
		assert_string_equal(res->reply.keys[i], r->key);
		if (strstr(r->key, ".more") != NULL)
			(*nmore)++;
		n += count_of(res->reply.texts[i], "+91");
	}
	return n;
}

/*
 * A caller's "send it by SMS" (voice.c): two pages at once, each its own
 * list template, only the last promising MORE; MORE gives the rest, and
 * no entry is lost against the list as it is spoken.  Asking for more
 * pages than a reply holds gets what it holds.
 */
static void
test_pages_at_once(void **state)
{
	struct world *w = *state;
	struct router_result res;
	size_t texted, heard, nmore;
	char phone[32];

	/* Heard, as voice.c asks: no text template to match. */
	w->f->ctx.spoken = 1;
	w->f->ctx.templates = NULL;
	assert_int_equal(router_route(&w->f->ctx, new_phone(w, phone,
	    sizeof(phone)), "training darbhanga", &res), 0);
	assert_int_equal(res.reply.n, 1);
	heard = count_of(res.reply.texts[0], "+91");
	router_result_clear(&res);
	assert_true(heard > REPLY_TEMPLATES_PAGE_MAX * 2);
	w->f->ctx.spoken = 0;
	w->f->ctx.templates = w->t;

	w->f->ctx.pages_at_once = 2;
	assert_int_equal(router_route(&w->f->ctx, new_phone(w, phone,
	    sizeof(phone)), "training darbhanga", &res), 0);
	w->f->ctx.pages_at_once = 0;
	assert_int_equal(res.reply.n, 2);
	texted = entries_texted(w, &res, &nmore);
	assert_int_equal(nmore, 1);
	assert_non_null(strstr(res.reply.keys[1], ".more"));
	router_result_clear(&res);
	for (;;) {
		assert_int_equal(router_route(&w->f->ctx, phone, "more",
		    &res), 0);
		if (count_of(res.reply.texts[0], "+91") == 0) {
			router_result_clear(&res);
			break;
		}
		texted += entries_texted(w, &res, &nmore);
		router_result_clear(&res);
	}
	assert_int_equal(texted, heard);

	w->f->ctx.pages_at_once = 100;
	assert_int_equal(router_route(&w->f->ctx, new_phone(w, phone,
	    sizeof(phone)), "training darbhanga", &res), 0);
	w->f->ctx.pages_at_once = 0;
	assert_int_equal(res.reply.n, SP_REPLY_MAX);
	(void)entries_texted(w, &res, &nmore);
	router_result_clear(&res);
}

/* Every shape was produced: no template is there for nothing. */
static void
test_every_template_reached(void **state)
{
	struct world *w = *state;
	const struct reply_template *r;
	size_t i, missing = 0;

	test_every_info_reply(state);
	test_every_other_reply(state);
	test_longest_names(state);
	for (i = 0; i < reply_templates_count(w->t); i++) {
		r = reply_templates_at(w->t, i);
		if (was_seen(w, r->lang, r->key))
			continue;
		/* The sample directory has too few stakeholders serving all
		 * of India for every page of that list; its pages are those
		 * of info.list under another first line. */
		if (strncmp(r->key, "anywhere.list.", 14) == 0 &&
		    strcmp(r->key, "anywhere.list.1") != 0)
			continue;
		fprintf(stderr, "never produced: %s (%s)\n", r->key, r->lang);
		missing++;
	}
	assert_int_equal(missing, 0);
	assert_true(w->replies > 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_info_reply, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_every_other_reply, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overflow_not_sent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_longest_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pages_at_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_every_template_reached,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
