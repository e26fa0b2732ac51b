/*
 * test_templates: the templates file, rendering, and the DLT checks an
 * operator's scrubber makes (fixed text byte-exact, variables of at most
 * 30 characters).  Run from the repository root (as `make unit` does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "templates.h"
#include "util.h"

#define DATA	"tests/data/templates/"

static struct templates_table *
load(const char *path, struct buf *errors)
{
	buf_init(errors, 0);
	return templates_load(path, errors);
}

static void
test_load_good(void **state)
{
	const struct template *t;
	struct templates_table *tab;
	struct buf errors;

	(void)state;
	tab = load(DATA "good.conf", &errors);
	assert_non_null(tab);
	assert_int_equal(errors.len, 0);
	assert_int_equal(templates_count(tab), 2);
	t = templates_find(tab, "meeting");
	assert_non_null(t);
	assert_int_equal(t->category, TEMPLATES_SERVICE);
	assert_string_equal(t->header, "SMPARK");
	assert_int_equal(t->ntexts, 2);
	assert_string_equal(t->texts[0].registered,
	    "Meeting {#var#} at {#var#} on {#var#}. Reply YES or NO.");
	assert_string_equal(t->texts[1].registered,
	    "बैठक {#var#}, {#var#} में {#var#} को।");
	assert_string_equal(t->texts[1].dlt_id, "0000000000000000102");
	assert_int_equal(t->texts[0].nvars, 3);
	assert_string_equal(t->texts[0].vars[1], "place");
	assert_true(templates_text_for(t, "hi") == &t->texts[1]);
	/* A language without a text falls back to the first. */
	assert_true(templates_text_for(t, "bho") == &t->texts[0]);
	assert_null(templates_find(tab, "nope"));
	assert_int_equal(templates_find(tab, "camp")->category, TEMPLATES_PROMOTIONAL);
	templates_free(tab);
	buf_free(&errors);
}

/* The shipped file must load, and name the templates the daemon uses. */
static void
test_load_shipped(void **state)
{
	struct templates_table *tab;
	struct buf errors;

	(void)state;
	tab = load("config/templates.conf", &errors);
	if (tab == NULL)
		fail_msg("%s", buf_cstr(&errors));
	assert_non_null(templates_find(tab, "meeting"));
	assert_non_null(templates_find(tab, "meeting_reminder"));
	assert_non_null(templates_find(tab, "notice"));
	assert_non_null(templates_find(tab, "scheme_deadline"));
	assert_non_null(templates_find(tab, "training_camp"));
	assert_non_null(templates_find(tab, "meeting_cancelled"));
	templates_free(tab);
	buf_free(&errors);
}

static void
test_load_errors(void **state)
{
	struct templates_table *tab;
	struct buf errors;
	const char *e;

	(void)state;
	tab = load(DATA "bad.conf", &errors);
	assert_null(tab);
	e = buf_cstr(&errors);
	/* Every problem, each with its file and line. */
	assert_non_null(strstr(e, DATA "bad.conf:4: en text: placeholder "
	    "{#var#}"));
	assert_non_null(strstr(e, DATA "bad.conf:8: category "
	    "\"informational\""));
	assert_non_null(strstr(e, DATA "bad.conf:10: en text: a template "
	    "cannot be only variables"));
	assert_non_null(strstr(e, DATA "bad.conf:11: en.dlt_id: a DLT "
	    "template id is 1 to 30 digits"));
	assert_non_null(strstr(e, DATA "bad.conf:17: unknown key "
	    "\"colour\""));
	assert_non_null(strstr(e, DATA "bad.conf:13: [nodlt]: hi has no "
	    "hi.dlt_id"));
	/* The second [nodlt] is checked on its own. */
	assert_non_null(strstr(e, DATA "bad.conf:19: [nodlt]: no header"));
	buf_free(&errors);
	tab = load(DATA "missing.conf", &errors);
	assert_null(tab);
	assert_non_null(strstr(buf_cstr(&errors), "missing.conf"));
	buf_free(&errors);
	/* A path that opens but cannot be read is no empty set. */
	tab = load(DATA, &errors);
	assert_null(tab);
	assert_string_equal(buf_cstr(&errors), DATA ": read error: Is a "
	    "directory\n");
	buf_free(&errors);
}

static const struct template *
meeting(struct templates_table **tab)
{
	struct buf errors;

	*tab = load(DATA "good.conf", &errors);
	assert_non_null(*tab);
	buf_free(&errors);
	return templates_find(*tab, "meeting");
}

static void
test_render_good(void **state)
{
	const struct templates_var vars[] = {
		{ "title", "Coalition meeting" },
		{ "place", "Block office, Gyanpur" },
		{ "date", "4 Dec" },
	};
	struct templates_table *tab;
	const struct template *t = meeting(&tab);
	char err[256], *s;

	(void)state;
	s = templates_render(t, &t->texts[0], vars, 3, err, sizeof(err));
	assert_non_null(s);
	assert_string_equal(s, "Meeting Coalition meeting at Block office, "
	    "Gyanpur on 4 Dec. Reply YES or NO.");
	free(s);
	s = templates_render(t, &t->texts[1], vars, 3, err, sizeof(err));
	assert_non_null(s);
	assert_string_equal(s, "बैठक Coalition meeting, Block office, "
	    "Gyanpur में 4 Dec को।");
	free(s);
	templates_free(tab);
}

static void
test_render_limits(void **state)
{
	/* 30 characters pass, 31 do not; Devanagari counts characters,
	 * not bytes (30 of them are 90 bytes). */
	struct templates_var vars[] = {
		{ "title", "123456789012345678901234567890" },
		{ "place", "भदोहीभदोहीभदोहीभदोहीभदोहीभदोही" },
		{ "date", "4 Dec" },
	};
	struct templates_table *tab;
	const struct template *t = meeting(&tab);
	char err[256], *s;

	(void)state;
	s = templates_render(t, &t->texts[0], vars, 3, err, sizeof(err));
	assert_non_null(s);
	free(s);
	vars[0].value = "1234567890123456789012345678901";
	assert_null(templates_render(t, &t->texts[0], vars, 3, err, sizeof(err)));
	assert_non_null(strstr(err, "variable title: 31 characters, at most "
	    "30"));
	vars[0].value = "two\nlines";
	assert_null(templates_render(t, &t->texts[0], vars, 3, err, sizeof(err)));
	assert_non_null(strstr(err, "variable title: no line breaks"));
	vars[0].value = "{#var#}";
	assert_null(templates_render(t, &t->texts[0], vars, 3, err, sizeof(err)));
	templates_free(tab);
}

static void
test_render_missing_extra(void **state)
{
	struct templates_var vars[] = {
		{ "title", "Meeting" },
		{ "place", "Gyanpur" },
		{ "date", "4 Dec" },
		{ "colour", "red" },
	};
	struct templates_table *tab;
	const struct template *t = meeting(&tab);
	char err[256];

	(void)state;
	assert_null(templates_render(t, &t->texts[0], vars, 2, err, sizeof(err)));
	assert_non_null(strstr(err, "needs variable date"));
	assert_null(templates_render(t, &t->texts[0], vars, 4, err, sizeof(err)));
	assert_non_null(strstr(err, "no variable \"colour\""));
	vars[3].name = "title";
	assert_null(templates_render(t, &t->texts[0], vars, 4, err, sizeof(err)));
	assert_non_null(strstr(err, "given twice"));
	templates_free(tab);
}

static void
test_render_numeric(void **state)
{
	struct templates_var vars[] = { { "days", "5" }, { "skill", "weaving" } };
	struct buf errors;
	struct templates_table *tab = load(DATA "good.conf", &errors);
	const struct template *t = templates_find(tab, "camp");
	char err[256], *s;

	(void)state;
	s = templates_render(t, &t->texts[0], vars, 2, err, sizeof(err));
	assert_string_equal(s, "Camp: 5 days of weaving. STOP to stop.");
	free(s);
	vars[0].value = "5 days";
	assert_null(templates_render(t, &t->texts[0], vars, 2, err, sizeof(err)));
	assert_non_null(strstr(err, "digits only"));
	templates_free(tab);
	buf_free(&errors);
}

static void
test_scrub(void **state)
{
	const char *reg = "Meeting {#var#} at {#var#}. Reply YES or NO.";
	char err[256];

	(void)state;
	assert_int_equal(templates_scrub_check(reg, "Meeting SHG at Gyanpur. Reply "
	    "YES or NO.", err, sizeof(err)), 0);
	/* Variables may be empty, and may hold what looks like fixed text. */
	assert_int_equal(templates_scrub_check(reg, "Meeting  at . Reply YES or NO.",
	    err, sizeof(err)), 0);
	assert_int_equal(templates_scrub_check(reg, "Meeting at at at at. Reply YES "
	    "or NO.", err, sizeof(err)), 0);
	/* Altered fixed text: one word changed, one letter's case. */
	assert_int_equal(templates_scrub_check(reg, "Meeting SHG at Gyanpur. Reply "
	    "YES or no.", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "differs from the registered one at "
	    "byte"));
	assert_int_equal(templates_scrub_check(reg, "Meeting SHG in Gyanpur. Reply "
	    "YES or NO.", err, sizeof(err)), -1);
	assert_int_equal(templates_scrub_check(reg, "Meeting SHG at Gyanpur. Reply "
	    "YES or NO. ", err, sizeof(err)), -1);
	/* A variable longer than 30 characters, or over two lines. */
	assert_int_equal(templates_scrub_check(reg, "Meeting "
	    "1234567890123456789012345678901 at X. Reply YES or NO.", err,
	    sizeof(err)), -1);
	assert_int_equal(templates_scrub_check(reg, "Meeting A\nB at X. Reply YES "
	    "or NO.", err, sizeof(err)), -1);
	/* Adjacent variables take up to 30 each. */
	assert_int_equal(templates_scrub_check("N: {#var#}{#var#}.",
	    "N: 123456789012345678901234567890abcdefghij.", err,
	    sizeof(err)), 0);
	assert_int_equal(templates_scrub_check("N: {#var#}{#var#}.",
	    "N: 123456789012345678901234567890123456789012345678901234567890X.",
	    err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_load_shipped),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_render_good),
		cmocka_unit_test(test_render_limits),
		cmocka_unit_test(test_render_missing_extra),
		cmocka_unit_test(test_render_numeric),
		cmocka_unit_test(test_scrub),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
