/*
 * test_understand: whole-message understanding with the shipped keywords,
 * districts, lexicon and other districts: spelling folding, the bounded
 * edit distance, what each kind of message decides, unserved districts,
 * the words of a directory, and the errors and conflicts of the files
 * with their file:line.
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
#include "keywords.h"
#include "records.h"
#include "text.h"
#include "understand_int.h"
#include "util.h"

struct fixture {
	struct keywords_table		*kw;
	struct district_table	*dt;
	struct understand_table	*und;
	struct understand_result	 r;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct buf errors;

	buf_init(&errors, 0);
	f->kw = keywords_load("config/keywords.conf", &errors);
	f->dt = district_load("config/districts.csv", &errors);
	if (f->kw != NULL && f->dt != NULL)
		f->und = understand_new(f->kw, f->dt, "config/lexicon.conf", &errors);
	if (f->und != NULL)
		assert_int_equal(understand_add_unserved(f->und,
		    "config/other_districts.txt", &errors), 0);
	if (errors.len)
		fprintf(stderr, "%s", buf_cstr(&errors));
	assert_non_null(f->und);
	assert_int_equal(understand_check(f->und, &errors), 0);
	buf_free(&errors);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	understand_free(f->und);
	keywords_free(f->kw);
	district_free(f->dt);
	free(f);
	return 0;
}

/*
 * Understand text; returns a description "action kw kw2 @district" and
 * "!Name" for a district not served.
 */
static const char *
decide(struct fixture *f, const char *text)
{
	static char out[128];
	char *norm = text_normalize(text, strlen(text));
	static const char *const names[] = { "unknown", "help", "info",
	    "choose", "district", "command", "unserved" };

	assert_non_null(norm);
	understand_message(f->und, text, norm, &f->r);
	free(norm);
	snprintf(out, sizeof(out), "%s%s%s%s%s%s%s%s%s", names[f->r.action],
	    f->r.kw ? " " : "", f->r.kw ? f->r.kw->name : "",
	    f->r.kw2 ? " " : "", f->r.kw2 ? f->r.kw2->name : "",
	    f->r.district ? " @" : "", f->r.district ? f->r.district->key : "",
	    f->r.unserved ? " !" : "",
	    f->r.unserved ? f->r.unserved->name_en : "");
	return out;
}

static void
check(struct fixture *f, const char *text, const char *want)
{
	const char *got = decide(f, text);

	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", text, got, want);
}

static void
test_fold(void **state)
{
	const char *same[][2] = {
		{ "karz", "karza" }, { "mandi", "mandee" },
		{ "bazar", "baazaar" }, { "mirzapur", "mirjapur" },
		{ "seekhna", "sikhna" }, { "shuru", "suru" },
		{ "wala", "vala" }, { "नहीं", "नही" }, { "सीखना", "सिखना" },
		{ "पूजा", "पुजा" },
	};
	char a[64], b[64];
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(same); i++) {
		understand_fold_word(same[i][0], strlen(same[i][0]), a, sizeof(a));
		understand_fold_word(same[i][1], strlen(same[i][1]), b, sizeof(b));
		if (strcmp(a, b) != 0)
			fail_msg("%s -> %s but %s -> %s", same[i][0], a,
			    same[i][1], b);
	}
	/* Three letters keep their final a: "na" is not "n". */
	understand_fold_word("na", 2, a, sizeof(a));
	assert_string_equal(a, "na");
	/* A tiny buffer is never overrun. */
	assert_true(understand_fold_word("mirzapur", 8, a, 3) < 3);
}

static void
test_typo_budget(void **state)
{
	(void)state;
	assert_int_equal(understand_max_edits(3), 0);
	assert_int_equal(understand_max_edits(4), 1);
	assert_int_equal(understand_max_edits(7), 1);
	assert_int_equal(understand_max_edits(8), 2);
}

static void
test_issue_messages(void **state)
{
	struct fixture *f = *state;

	check(f, "mujhe silai training chahiye mirzapur",
	    "info training @mirzapur");
	check(f, "udhar chahiye mirzapur", "info loan @mirzapur");
	check(f, "ऋण चाहिए वाराणसी", "info loan @varanasi");
	check(f, "namaste loan", "info loan");
	check(f, "mere gaon me silai center kahan hai", "info training");
	check(f, "mandi bhadohi", "info market @bhadohi");
	check(f, "मंडी", "info market");
	check(f, "mudra loan mirzapur", "info loan @mirzapur");
	check(f, "PMEGP", "info loan");
	check(f, "dukan ke liye paisa chahiye", "info loan");
	check(f, "mera ghar bhadohi jile me hai", "district @bhadohi");
	check(f, "mat bhejo", "command stop");
	check(f, "mujhe message mat bhejo", "command stop");
	check(f, "ji haan aaungi", "command yes");
}

static void
test_commands_only_where_meant(void **state)
{
	struct fixture *f = *state;

	check(f, "dukan chalu karni hai", "unknown");
	check(f, "aur jankari do loan ki", "info loan");
	check(f, "aur", "command more");
	check(f, "aur batao", "command more");
	check(f, "stop karo", "command stop");
	check(f, "band karo", "command stop");
	check(f, "message band", "command stop");
	check(f, "unsubscribe please", "command stop");
	check(f, "STOPP", "command stop");
	check(f, "loan ke message band karo", "command stop");
	check(f, "bas karo message bhejna", "command stop");
	check(f, "meeting ka message nahi aaya", "unknown");
	/* A typo or a fold never opts anyone out. */
	check(f, "bank", "unknown");
	check(f, "stpo", "unknown");
	check(f, "ek banda bola loan milega", "info loan");
	check(f, "meri dukan band ho gayi hai", "unknown");
	check(f, "meeting stop ho gayi kya", "unknown");
	/* START only as the whole message. */
	check(f, "start", "command start");
	check(f, "chalu hai kya ye number", "unknown");
	/* A command's words follow it. */
	check(f, "join bhadohi sunita", "command join @bhadohi");
	check(f, "naam sunita devi", "command name");
	assert_int_equal(f->r.args_word, 1);
}

static void
test_districts_anywhere(void **state)
{
	struct fixture *f = *state;

	check(f, "sant ravidas nagar", "district @bhadohi");
	check(f, "bhadohi se", "district @bhadohi");
	check(f, "भदोही में", "district @bhadohi");
	check(f, "समस्तीपुर जिले", "district @samastipur");
	check(f, "jila mirzapur", "district @mirzapur");
	check(f, "mirzapur ke liye loan", "info loan @mirzapur");
	check(f, "loan mirzapr", "info loan @mirzapur");
}

static void
test_lexicon_words(void **state)
{
	struct fixture *f = *state;

	check(f, "sikhne ke liye", "info training");
	check(f, "बेचने के लिए बाजार", "info market");
	check(f, "rseti mirzapur", "info training @mirzapur");
	check(f, "kvk", "info training");
	check(f, "fpo samastipur", "info market @samastipur");
	check(f, "jeevika", "info loan");
	check(f, "karza", "info loan");
	check(f, "laon", "info loan");
	/* A trade is training only when nothing else is named. */
	check(f, "silai machine ke liye loan", "info loan");
	check(f, "papad bechna hai", "info market");
	/* Two categories: which one? */
	check(f, "loan aur training bhadohi",
	    "choose loan training @bhadohi");
	/* Negated categories drop out. */
	check(f, "loan nahi chahiye training chahiye", "info training");
	check(f, "training chahiye loan nahi", "info training");
}

static void
test_rsvp_and_greetings(void **state)
{
	struct fixture *f = *state;

	check(f, "haan main aaungi", "command yes");
	check(f, "nahi aa paungi", "command no");
	check(f, "हाँ आऊँगी", "command yes");
	check(f, "\xf0\x9f\x91\x8d", "command yes");
	check(f, "namaste", "help");
	check(f, "1\xef\xb8\x8f\xe2\x83\xa3", "info loan");	/* keycap 1 */
	check(f, "\xf0\x9f\x99\x8f", "help");
	check(f, "ji", "unknown");
	check(f, "", "unknown");
}

static char *
write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/sampark-lexicon-XXXXXX");
	int fd = mkstemp(path);
	size_t n = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

static void
test_lexicon_errors(void **state)
{
	struct fixture *f = *state;
	struct buf errors;
	char *path, *want;

	path = write_tmp("# a broken lexicon\n"
	    "[loan]\n"
	    "synonym = paisa\n"
	    "[training]\n"
	    "synonym = paisa\n"		/* line 5: paisa is loan already */
	    "[nosuch]\n"		/* line 6 */
	    "synonym = x\n"
	    "[market]\n"
	    "sinonym = bechna\n"	/* line 9 */
	    "phrase = bech do\n"	/* line 10: phrases are commands' */
	    "[filler]\n"
	    "synonym = ji\n"		/* line 12: fillers are "word" */
	    "[stop]\n"
	    "anywhere = mat bhejo,\n"	/* a trailing comma is fine */
	    "word = x\n");		/* line 15 */
	buf_init(&errors, 0);
	assert_null(understand_new(f->kw, f->dt, path, &errors));
	want = xasprintf("%s:5: \"paisa\" means training here but loan at "
	    "%s:3", path, path);
	assert_non_null(strstr(buf_cstr(&errors), want));
	free(want);
	want = xasprintf("%s:6: [nosuch]", path);
	assert_non_null(strstr(buf_cstr(&errors), want));
	free(want);
	want = xasprintf("%s:9: unknown key \"sinonym\"", path);
	assert_non_null(strstr(buf_cstr(&errors), want));
	free(want);
	want = xasprintf("%s:10:", path);
	assert_non_null(strstr(buf_cstr(&errors), want));
	free(want);
	want = xasprintf("%s:12:", path);
	assert_non_null(strstr(buf_cstr(&errors), want));
	free(want);
	want = xasprintf("%s:15:", path);
	assert_non_null(strstr(buf_cstr(&errors), want));
	free(want);
	assert_null(strstr(buf_cstr(&errors), ":14:"));
	buf_free(&errors);
	unlink(path);
	free(path);

	/* A district spelling in the lexicon under another meaning. */
	path = write_tmp("[market]\nsynonym = bhadohi\n");
	buf_init(&errors, 0);
	assert_null(understand_new(f->kw, f->dt, path, &errors));
	assert_non_null(strstr(buf_cstr(&errors), "means market here but "
	    "district bhadohi at config/districts.csv:"));
	buf_free(&errors);
	unlink(path);
	free(path);

	buf_init(&errors, 0);
	assert_null(understand_new(f->kw, f->dt, "/nonexistent/lexicon.conf",
	    &errors));
	assert_non_null(strstr(buf_cstr(&errors), "/nonexistent/lexicon.conf"));
	buf_free(&errors);
}

#define SP_SWAP_UND(f, t) do {			\
	struct understand_table *tmp_ = (f)->und;		\
	(f)->und = (t);					\
	(t) = tmp_;					\
} while (0)

static void
test_unserved_districts(void **state)
{
	struct fixture *f = *state;

	check(f, "loan chahiye patna", "unserved loan !Patna");
	check(f, "पटना में लोन चाहिए", "unserved loan !Patna");
	check(f, "patna se hu mujhe silai sikhna hai",
	    "unserved training !Patna");
	check(f, "पटना", "unserved !Patna");
	check(f, "lucknow", "unserved !Lucknow");
	check(f, "allahabad me training", "unserved training !Prayagraj");
	check(f, "east champaran", "unserved !East Champaran");
	check(f, "motihari se loan", "unserved loan !East Champaran");
	/* A served district wins; a near name is no typo of another. */
	check(f, "patna me maika hai bhadohi me loan chahiye",
	    "info loan @bhadohi");
	check(f, "muzaffarnagar me loan", "unserved loan !Muzaffarnagar");
	check(f, "muzaffarpur me loan", "info loan @muzaffarpur");
	check(f, "patni ke liye loan", "info loan");
	/* An opt-out is an opt-out wherever she lives. */
	check(f, "patna se hu message mat bhejo", "command stop !Patna");
	/* Gaya is also "went": a place only beside jila, or alone. */
	check(f, "gaya", "unserved !Gaya");
	check(f, "गया", "unserved !Gaya");
	check(f, "gaya jile se hu", "unserved !Gaya");
	check(f, "जिला गया", "unserved !Gaya");
	check(f, "main gaya se hu", "unserved !Gaya");
	check(f, "wo chala gaya", "unknown");
	check(f, "ho gaya", "unknown");
	check(f, "हो गया", "unknown");
	check(f, "mujhe silai sikhna hai gaya", "info training");
	check(f, "bank gaya tha loan ke liye", "info loan");
	check(f, "hamari basti me silai center hai", "info training");
	check(f, "basti jile se hu loan chahiye", "unserved loan !Basti");
	/* "banda" is STOP's "band" folded, and a man: never Banda, never
	 * STOP; its Devanagari spelling is the district. */
	check(f, "ek banda", "unknown");
	check(f, "बांदा", "unserved !Banda");
	/* A name in parentheses names the district, matches nothing. */
	check(f, "बांका", "unserved !Banka");
	assert_string_equal(understand_unserved_name(f->r.unserved, "hi"), "बांका");
	assert_string_equal(understand_unserved_name(f->r.unserved, "en"), "Banka");
	check(f, "banka", "unknown");
	check(f, "patna", "unserved !Patna");
	assert_string_equal(understand_unserved_name(f->r.unserved, "hi"), "पटना");
	assert_string_equal(f->r.unserved->state, "Bihar");
}

static void
test_unserved_file(void **state)
{
	struct fixture *f = *state;
	struct understand_table *t;
	struct buf errors;
	char *path, *want;
	size_t i;
	static const char *const wrong[] = { "[Bihar\n", "Patna,, पटना\n",
	    "~\n", "Gaya, (Gaya ji)\n", "Patna, !!\n", "Patna, \xff\n" };

	/* Each error is reported with its line; nothing is added. */
	for (i = 0; i < SP_ARRAY_LEN(wrong); i++) {
		char *text = xasprintf("# districts\nLakhnau\n%s", wrong[i]);

		path = write_tmp(text);
		free(text);
		buf_init(&errors, 0);
		t = understand_new(f->kw, f->dt, "config/lexicon.conf", &errors);
		assert_non_null(t);
		assert_int_equal(understand_add_unserved(t, path, &errors), -1);
		want = xasprintf("%s:3: ", path);
		if (strstr(buf_cstr(&errors), want) == NULL)
			fail_msg("\"%s\": %s", wrong[i], buf_cstr(&errors));
		free(want);
		SP_SWAP_UND(f, t);
		check(f, "lakhnau", "unknown");
		SP_SWAP_UND(f, t);
		understand_free(t);
		buf_free(&errors);
		unlink(path);
		free(path);
	}

	/* Served districts may be listed: districts.csv wins. */
	path = write_tmp("[Uttar Pradesh]\nBhadohi, भदोही\n~Basti\n"
	    "(Banka), बांका\n");
	buf_init(&errors, 0);
	t = understand_new(f->kw, f->dt, "config/lexicon.conf", &errors);
	assert_int_equal(understand_add_unserved(t, path, &errors), 0);
	assert_int_equal(errors.len, 0);
	SP_SWAP_UND(f, t);
	check(f, "bhadohi", "district @bhadohi");
	check(f, "basti", "unserved !Basti");
	check(f, "basti me loan", "info loan");
	check(f, "बांका में लोन", "unserved loan !Banka");
	SP_SWAP_UND(f, t);
	understand_free(t);
	buf_free(&errors);
	unlink(path);
	free(path);

	buf_init(&errors, 0);
	t = understand_new(f->kw, f->dt, "config/lexicon.conf", &errors);
	assert_int_equal(understand_add_unserved(t, "/nonexistent/districts.txt",
	    &errors), -1);
	assert_non_null(strstr(buf_cstr(&errors),
	    "/nonexistent/districts.txt"));
	understand_free(t);
	buf_free(&errors);
}

static struct stakeholder
row(const char *name, const char *category)
{
	struct stakeholder r;

	memset(&r, 0, sizeof(r));
	r.name = (char *)name;
	r.category = (char *)category;
	r.district = (char *)"mirzapur";
	return r;
}

static void
test_directory_words(void **state)
{
	struct fixture *f = *state;
	struct stakeholder rows[] = {
		row("FPO Halia", "market"),
		row("Microfinance branch, Chunar", "loan"),
		row("KVK Birauli (RPCAU Pusa)", "training"),
		row("Jeevika block office, Pusa", "loan"),
		row("DIC Bhadohi - PMEGP desk", "loan"),
		row("GeM seller desk", "market"),
		row("Bhadohi Mahila Bunkar FPO", "market"),
		row("Mudra help, Mirzapur", "market"),
		row("Patna Sellers Collective", "market"),
		row("Aarogya Sakhi", "health"),
		row("Sewa Sangh 2024", "training"),
	};
	struct stakeholder later[] = { row("FPO Rosera", "market") };
	struct buf errors;
	char where[128];

	assert_true(understand_set_directory(f->und, rows, SP_ARRAY_LEN(rows)) >
	    0);
	check(f, "halia", "info market");
	assert_int_equal(f->r.tok[0].how, UNDERSTAND_DIRECTORY);
	assert_string_equal(understand_origin(&f->r.tok[0], where, sizeof(where)),
	    "directory: FPO Halia");
	check(f, "bunkar", "info market");
	check(f, "birauli wale sir", "info training");
	check(f, "sewa sangh", "info training");
	/* Listed, a stakeholder's word is no typo of another ("hunar"). */
	check(f, "chunar wali branch mirzapur", "info loan @mirzapur");
	/* Shared by two categories, a district, filler, a category
	 * without a keyword, a number: no category. */
	decide(f, "pusa");
	assert_int_not_equal(f->r.tok[0].how, UNDERSTAND_DIRECTORY);
	check(f, "desk", "unknown");
	check(f, "bhadohi", "district @bhadohi");
	check(f, "mahila", "unknown");
	check(f, "aarogya sakhi", "unknown");
	check(f, "2024", "unknown");
	/* The lexicon and the other districts keep their meaning. */
	check(f, "mudra", "info loan");
	assert_non_null(strstr(understand_origin(&f->r.tok[0], where,
	    sizeof(where)), "config/lexicon.conf:"));
	check(f, "patna", "unserved !Patna");
	/* A category word named with it wins, as over a trade. */
	check(f, "halia me loan chahiye", "info loan");
	check(f, "halia chunar", "choose market loan");
	check(f, "halia nahi chahiye", "unknown");
	check(f, "halia bhadohi", "info market @bhadohi");
	/* A new directory replaces the words of the last. */
	assert_int_equal(understand_set_directory(f->und, later, 1), 1);
	check(f, "halia", "unknown");
	check(f, "rosera", "info market");
	assert_int_equal(understand_set_directory(f->und, NULL, 0), 0);
	check(f, "rosera", "unknown");
	/* Other districts come before the directory, not after. */
	assert_int_equal(understand_set_directory(f->und, later, 1), 1);
	buf_init(&errors, 0);
	assert_int_equal(understand_add_unserved(f->und,
	    "config/other_districts.txt", &errors), -1);
	buf_free(&errors);
}

static void
test_check_conflicts(void **state)
{
	struct fixture *f = *state;
	struct understand_table *t;
	struct buf errors;
	char *path, *want;

	/* "bank" is a typo away from "band" (STOP) and "sell" is fine. */
	path = write_tmp("[loan]\nsynonym = bank, paisa\n[market]\n"
	    "synonym = sell\n");
	buf_init(&errors, 0);
	t = understand_new(f->kw, f->dt, path, &errors);
	assert_non_null(t);
	assert_int_equal(understand_check(t, &errors), 1);
	want = xasprintf("%s:2: \"bank\" (loan) is within a typo of \"band\" "
	    "(stop) at config/keywords.conf:", path);
	if (strstr(buf_cstr(&errors), want) == NULL)
		fail_msg("%s", buf_cstr(&errors));
	free(want);
	/* Listed, "bank" is what it is listed as, never STOP. */
	SP_SWAP_UND(f, t);
	check(f, "bank", "info loan");
	check(f, "bnak", "info loan");
	SP_SWAP_UND(f, t);
	understand_free(t);
	buf_free(&errors);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_typo_budget),
		cmocka_unit_test_setup_teardown(test_issue_messages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_commands_only_where_meant,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_districts_anywhere, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lexicon_words, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rsvp_and_greetings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lexicon_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_check_conflicts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unserved_districts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unserved_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_directory_words, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
