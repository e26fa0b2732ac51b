/*
 * test_ivr: the voice menu loader (file:line errors) and the state machine
 * (digits, timeouts, invalid keys, retries, back, the district question).
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
#include "ivr.h"
#include "prompts.h"
#include "util.h"

static const char menu_text[] =
    "# test menu\n"
    "start = main\n"
    "district_node = district\n"
    "[main]\n"
    "prompt = ivr.main\n"
    "timeout = 5\n"
    "retries = 2\n"
    "1 = info loan -> answer\n"
    "4 = say ivr.meeting_info\n"
    "5 = goto district\n"
    "6 = connect +919800000001\n"
    "8 = goto language\n"
    "9 = sms\n"
    "0 = repeat\n"
    "hash = hangup\n"
    "[answer]\n"
    "prompt = ivr.answer\n"
    "retries = 0\n"
    "on_fail = back\n"
    "9 = sms\n"
    "star = back\n"
    "[district]\n"
    "prompt = ivr.district\n"
    "1 = district bhadohi\n"
    "2 = district mirzapur\n"
    "* = back\n"
    "[language]\n"
    "prompt = ivr.language\n"
    "1 = language hi\n"
    "2 = language en -> main\n";

static char *
write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/test_ivr_XXXXXX");
	int fd = mkstemp(path);
	size_t len = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static struct ivr_menu *
load_text(const char *text, struct buf *errors, char **pathp)
{
	char *path = write_tmp(text);
	struct ivr_menu *m = ivr_load(path, errors);

	if (pathp != NULL)
		*pathp = path;
	else {
		unlink(path);
		free(path);
	}
	return m;
}

static int
setup(void **state)
{
	struct buf errors;

	buf_init(&errors, 0);
	*state = load_text(menu_text, &errors, NULL);
	if (*state == NULL)
		fprintf(stderr, "%s", buf_cstr(&errors));
	buf_free(&errors);
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	ivr_free(*state);
	return 0;
}

static void
step(const struct ivr_menu *m, struct ivr_state *st, enum ivr_input in,
    const char *digits, struct ivr_result *res)
{
	ivr_step(m, st, in, digits, res);
}

static void
test_start(void **state)
{
	struct ivr_state st;
	struct ivr_result res;

	memset(&st, 0, sizeof(st));
	step(*state, &st, IVR_IN_START, NULL, &res);
	assert_string_equal(res.event, "start");
	assert_string_equal(st.node, "main");
	assert_int_equal(res.gather, 1);
	assert_string_equal(res.prompt, "ivr.main");
	assert_int_equal(res.timeout_s, 5);
	assert_int_equal(res.nsay, 0);
	assert_int_equal(res.action, IVR_NONE);
}

/* 1 without a district asks for it, then completes the request. */
static void
test_info_asks_district(void **state)
{
	struct ivr_state st;
	struct ivr_result res;
	char back[128];

	memset(&st, 0, sizeof(st));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_DIGITS, "1", &res);
	assert_string_equal(res.event, "digit");
	assert_string_equal(res.from_node, "main");
	assert_int_equal(res.action, IVR_NONE);
	assert_string_equal(st.node, "district");
	assert_string_equal(res.prompt, "ivr.district");
	assert_string_equal(st.pending, "loan");

	step(*state, &st, IVR_IN_DIGITS, "1", &res);
	assert_int_equal(res.action, IVR_INFO);
	assert_string_equal(res.arg, "loan");
	assert_string_equal(st.district, "bhadohi");
	assert_string_equal(st.node, "answer");
	assert_string_equal(res.prompt, "ivr.answer");
	assert_string_equal(st.pending, "");
	ivr_state_back_string(&st, back, sizeof(back));
	assert_string_equal(back, "main");

	/* 9 asks for the SMS and stays. */
	step(*state, &st, IVR_IN_DIGITS, "9", &res);
	assert_int_equal(res.action, IVR_SMS);
	assert_string_equal(st.node, "answer");

	/* star goes back to the main menu. */
	step(*state, &st, IVR_IN_DIGITS, "*", &res);
	assert_string_equal(st.node, "main");
	assert_int_equal(st.nback, 0);
	assert_string_equal(res.prompt, "ivr.main");
}

static void
test_info_with_district(void **state)
{
	struct ivr_state st;
	struct ivr_result res;

	memset(&st, 0, sizeof(st));
	util_strlcpy(st.district, "mirzapur", sizeof(st.district));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_DIGITS, "1", &res);
	assert_int_equal(res.action, IVR_INFO);
	assert_string_equal(res.arg, "loan");
	assert_string_equal(st.node, "answer");
	assert_string_equal(st.district, "mirzapur");
}

/* Wrong keys: re-prompt with ivr.invalid up to retries, then on_fail. */
static void
test_invalid_then_fail(void **state)
{
	struct ivr_state st;
	struct ivr_result res;

	memset(&st, 0, sizeof(st));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_DIGITS, "7", &res);
	assert_string_equal(res.event, "invalid");
	assert_int_equal(res.nsay, 1);
	assert_string_equal(res.say[0], IVR_KEY_INVALID);
	assert_int_equal(res.gather, 1);
	assert_string_equal(st.node, "main");
	assert_int_equal(st.retries, 1);
	step(*state, &st, IVR_IN_DIGITS, "*", &res);
	assert_int_equal(st.retries, 2);
	assert_int_equal(res.gather, 1);
	/* Third failure: main has no on_fail, so the call ends. */
	step(*state, &st, IVR_IN_DIGITS, "7", &res);
	assert_string_equal(res.event, "failed");
	assert_int_equal(res.action, IVR_HANGUP);
	assert_int_equal(res.gather, 0);
	assert_string_equal(res.say[0], IVR_KEY_GOODBYE);
}

/* A good key resets the count. */
static void
test_retries_reset(void **state)
{
	struct ivr_state st;
	struct ivr_result res;

	memset(&st, 0, sizeof(st));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_TIMEOUT, NULL, &res);
	step(*state, &st, IVR_IN_TIMEOUT, NULL, &res);
	assert_int_equal(st.retries, 2);
	step(*state, &st, IVR_IN_DIGITS, "5", &res);
	assert_string_equal(st.node, "district");
	assert_int_equal(st.retries, 0);
	step(*state, &st, IVR_IN_DIGITS, "*", &res);
	assert_string_equal(st.node, "main");
	step(*state, &st, IVR_IN_TIMEOUT, NULL, &res);
	assert_int_equal(res.gather, 1);
	assert_int_equal(st.retries, 1);
}

static void
test_timeout(void **state)
{
	struct ivr_state st;
	struct ivr_result res;

	memset(&st, 0, sizeof(st));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_TIMEOUT, NULL, &res);
	assert_string_equal(res.event, "timeout");
	assert_string_equal(res.say[0], IVR_KEY_NO_INPUT);
	assert_string_equal(res.prompt, "ivr.main");
	/* Empty digits are silence too. */
	step(*state, &st, IVR_IN_DIGITS, "", &res);
	assert_string_equal(res.event, "timeout");
	assert_int_equal(st.retries, 2);
	step(*state, &st, IVR_IN_TIMEOUT, NULL, &res);
	assert_int_equal(res.action, IVR_HANGUP);
}

/* on_fail = back, with retries = 0: the first silence goes back. */
static void
test_on_fail_back(void **state)
{
	struct ivr_state st;
	struct ivr_result res;

	memset(&st, 0, sizeof(st));
	util_strlcpy(st.district, "bhadohi", sizeof(st.district));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_DIGITS, "1", &res);
	assert_string_equal(st.node, "answer");
	step(*state, &st, IVR_IN_TIMEOUT, NULL, &res);
	assert_string_equal(res.event, "failed");
	assert_string_equal(st.node, "main");
	assert_int_equal(res.gather, 1);
}

static void
test_language_and_say(void **state)
{
	struct ivr_state st;
	struct ivr_result res;

	memset(&st, 0, sizeof(st));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_DIGITS, "8", &res);
	assert_string_equal(st.node, "language");
	step(*state, &st, IVR_IN_DIGITS, "1", &res);
	assert_string_equal(st.language, "hi");
	assert_string_equal(st.node, "main");	/* back by itself */
	step(*state, &st, IVR_IN_DIGITS, "8", &res);
	step(*state, &st, IVR_IN_DIGITS, "2", &res);
	assert_string_equal(st.language, "en");
	assert_string_equal(st.node, "main");
	step(*state, &st, IVR_IN_DIGITS, "4", &res);
	assert_int_equal(res.nsay, 1);
	assert_string_equal(res.say[0], "ivr.meeting_info");
	assert_string_equal(st.node, "main");
	step(*state, &st, IVR_IN_DIGITS, "0", &res);
	assert_int_equal(res.action, IVR_REPEAT);
	step(*state, &st, IVR_IN_DIGITS, "6", &res);
	assert_int_equal(res.action, IVR_CONNECT);
	assert_string_equal(res.arg, "+919800000001");
	assert_int_equal(res.gather, 0);
	step(*state, &st, IVR_IN_DIGITS, "#", &res);
	assert_int_equal(res.action, IVR_HANGUP);
}

/* A saved state survives as strings; an unknown node starts over. */
static void
test_state_strings(void **state)
{
	struct ivr_state st, copy;
	struct ivr_result res;
	char back[256];

	memset(&st, 0, sizeof(st));
	step(*state, &st, IVR_IN_START, NULL, &res);
	step(*state, &st, IVR_IN_DIGITS, "5", &res);
	ivr_state_back_string(&st, back, sizeof(back));
	assert_string_equal(back, "main");
	memset(&copy, 0, sizeof(copy));
	util_strlcpy(copy.node, st.node, sizeof(copy.node));
	ivr_state_set_back(&copy, "main/answer//district");
	assert_int_equal(copy.nback, 3);
	assert_string_equal(copy.back[2], "district");
	step(*state, &copy, IVR_IN_DIGITS, "*", &res);
	assert_string_equal(copy.node, "district");
	assert_int_equal(copy.nback, 2);

	util_strlcpy(copy.node, "gone", sizeof(copy.node));
	step(*state, &copy, IVR_IN_DIGITS, "1", &res);
	assert_string_equal(res.event, "start");
	assert_string_equal(copy.node, "main");
	assert_int_equal(copy.nback, 0);
}

/* Every problem is reported with its line, and loading fails. */
static void
test_load_errors(void **state)
{
	static const char bad[] =
	    "start = nowhere\n"			/* 1 */
	    "[main]\n"				/* 2 */
	    "prompt = ivr.main\n"		/* 3 */
	    "1 = fly away\n"			/* 4 */
	    "2 = goto missing\n"		/* 5 */
	    "2 = back\n"			/* 6 */
	    "3 = info loan\n"			/* 7 */
	    "timeout = 99\n"			/* 8 */
	    "x = back\n"			/* 9 */
	    "[main]\n"				/* 10 */
	    "[empty]\n"				/* 11 */
	    "4 = back -> main\n"		/* 12 */
	    "5 = connect 12345\n"		/* 13 */
	    "just words\n";			/* 14 */
	struct buf errors;
	char *path, expect[300];
	const char *e;
	static const int lines[] = { 1, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14 };
	size_t i;

	(void)state;
	buf_init(&errors, 0);
	assert_null(load_text(bad, &errors, &path));
	e = buf_cstr(&errors);
	for (i = 0; i < SP_ARRAY_LEN(lines); i++) {
		snprintf(expect, sizeof(expect), "%s:%d: ", path, lines[i]);
		if (strstr(e, expect) == NULL)
			fail_msg("no error on line %d in:\n%s", lines[i], e);
	}
	assert_non_null(strstr(e, "unknown action \"fly\""));
	assert_non_null(strstr(e, "no node [missing]"));
	assert_non_null(strstr(e, "key 2 given twice"));
	assert_non_null(strstr(e, "district_node is not set"));
	assert_non_null(strstr(e, "node [empty] has no prompt"));
	unlink(path);
	free(path);
	buf_free(&errors);

	buf_init(&errors, 0);
	assert_null(ivr_load("/nonexistent/ivr.conf", &errors));
	assert_non_null(strstr(buf_cstr(&errors), "/nonexistent/ivr.conf: "));
	buf_free(&errors);
}

/* A file saved with a UTF-8 byte-order mark (Notepad does) and CRLF. */
static void
test_load_bom_crlf(void **state)
{
	struct buf errors;
	struct ivr_menu *m;
	const char *prompt;
	int timeout;

	(void)state;
	buf_init(&errors, 0);
	m = load_text("\xef\xbb\xbf" "start = a\r\n[a]\r\nprompt = ivr.main\r\n"
	    "timeout = 7\r\n1 = hangup", &errors, NULL);
	if (m == NULL)
		fail_msg("%s", buf_cstr(&errors));
	assert_int_equal(ivr_node_prompt(m, "a", &prompt, &timeout), 1);
	assert_string_equal(prompt, "ivr.main");
	assert_int_equal(timeout, 7);
	ivr_free(m);
	buf_free(&errors);
}

static int
no_handlers(const char *name)
{
	(void)name;
	return 0;
}

/* The shipped menu loads and agrees with the shipped prompts. */
static void
test_shipped_menu(void **state)
{
	struct buf errors;
	struct ivr_menu *m;
	struct prompts *p;
	struct district_table *d;

	(void)state;
	buf_init(&errors, 0);
	m = ivr_load("config/ivr.conf", &errors);
	p = prompts_load("prompts", &errors);
	d = district_load("config/districts.csv", &errors);
	if (m == NULL || p == NULL || d == NULL)
		fail_msg("%s", buf_cstr(&errors));
	assert_int_equal(ivr_check(m, p, d, no_handlers, &errors), 0);
	assert_int_equal(errors.len, 0);
	ivr_free(m);

	/* A key the catalogue lacks and an unknown district are errors. */
	m = load_text("start = a\n[a]\nprompt = ivr.nope\n1 = district "
	    "atlantis\n2 = language xx\n3 = handler nobody\n", &errors, NULL);
	assert_non_null(m);
	assert_int_equal(ivr_check(m, p, d, no_handlers, &errors), -1);
	assert_non_null(strstr(buf_cstr(&errors), "no prompt key ivr.nope"));
	assert_non_null(strstr(buf_cstr(&errors), "no such district"));
	assert_non_null(strstr(buf_cstr(&errors), "no prompts for this "
	    "language"));
	assert_non_null(strstr(buf_cstr(&errors), "no such handler"));
	ivr_free(m);
	ivr_free(NULL);
	prompts_free(p);
	district_free(d);
	buf_free(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_info_asks_district),
		cmocka_unit_test(test_info_with_district),
		cmocka_unit_test(test_invalid_then_fail),
		cmocka_unit_test(test_retries_reset),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_on_fail_back),
		cmocka_unit_test(test_language_and_say),
		cmocka_unit_test(test_state_strings),
	};
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_bom_crlf),
		cmocka_unit_test(test_shipped_menu),
	};

	return cmocka_run_group_tests(tests, setup, teardown) |
	    cmocka_run_group_tests(plain, NULL, NULL);
}
