/*
 * test_config: defaults, the directive table, a full file, every kind of
 * error with its line number, overrides and path resolution, all with the
 * daemon's vocabulary (runtime_config_load: config.c's directives and the
 * providers' sections); and the tables a caller adds, on their own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "runtime.h"
#include "util.h"

struct fixture {
	char	 dir[64];
	char	 path[128];
	struct buf errors;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/test_config.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/sampark.conf", f->dir);
	buf_init(&f->errors, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	buf_free(&f->errors);
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static void
test_defaults(void **state)
{
	struct config *cf = runtime_config_defaults();

	(void)state;
	assert_non_null(cf);
	assert_string_equal(config_file(cf), "");
	assert_string_equal(config_str(cf, "listen"), "127.0.0.1:8080");
	assert_string_equal(config_str(cf, "db"), "../var/sampark.db");
	assert_string_equal(config_str(cf, "keywords"), "keywords.conf");
	assert_string_equal(config_str(cf, "prompts_dir"), "../prompts");
	assert_string_equal(config_str(cf, "public_url"), "");
	assert_string_equal(config_str(cf, "twilio.account_sid"), "");
	assert_string_equal(config_str(cf, "log_level"), "info");
	assert_string_equal(config_str(cf, "default_language"), "hi");
	assert_string_equal(config_str(cf, "twilio.reply"), "inline");
	assert_int_equal(config_int(cf, "segment_budget"), 2);
	assert_int_equal(config_int(cf, "max_body"), 65536);
	assert_int_equal(config_int(cf, "more_minutes"), 60);
	/* The console believes any From: off unless a file turns it on. */
	assert_false(config_bool(cf, "console.enabled"));
	assert_false(config_bool(cf, "console.allow_remote"));
	assert_false(config_bool(cf, "twilio.enabled"));
	assert_int_equal(config_is_set(cf, "listen"), 0);
	assert_int_equal(config_is_set(cf, "twilio.enabled"), 0);
	config_free(cf);
	config_free(NULL);
}

static void
test_directive_table(void **state)
{
	struct config *cf = runtime_config_defaults();
	const struct config_directive *d;
	size_t n, i, j;

	(void)state;
	d = config_directives(cf, &n);
	/* The table grows with features; what matters is its shape. */
	assert_true(n >= 22);
	for (i = 0; i < n; i++) {
		assert_non_null(d[i].name);
		assert_non_null(d[i].help);
		assert_true(strlen(d[i].help) > 0);
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(d[i].name, d[j].name);
		if (d[i].type == CONFIG_INT) {
			long v = strtol(d[i].defval, NULL, 10);

			assert_true(d[i].min <= v && v <= d[i].max);
		}
		if (d[i].type == CONFIG_ENUM)
			assert_non_null(strstr(d[i].choices, d[i].defval));
	}
	config_free(cf);
}

static const struct config_directive demo_rows[] = {
	CONFIG_D_BOOL("demo.enabled", "no", "demo: on"),
	CONFIG_D_INT("demo.size", "3", 1, 9, "demo: size"),
};
static const struct config_directive extra_rows[] = {
	CONFIG_D_STR("extra.name", "x", "extra: name"),
};

/* A caller's tables join the vocabulary: their sections, defaults, checks
 * and rows, after config.c's own; without them the section is unknown. */
static void
test_caller_tables(void **state)
{
	struct fixture *f = *state;
	const struct config_table tables[] = {
		{ demo_rows, SP_ARRAY_LEN(demo_rows) },
		{ extra_rows, SP_ARRAY_LEN(extra_rows) },
	};
	const struct config_directive *d;
	struct config *cf, *base;
	size_t n, nbase;

	base = config_defaults(NULL, 0);
	(void)config_directives(base, &nbase);
	cf = config_defaults(tables, SP_ARRAY_LEN(tables));
	d = config_directives(cf, &n);
	assert_int_equal(n, nbase + 3);
	assert_string_equal(d[nbase].name, "demo.enabled");
	assert_string_equal(d[nbase + 2].name, "extra.name");
	assert_int_equal(config_int(cf, "demo.size"), 3);
	assert_string_equal(config_str(cf, "extra.name"), "x");
	assert_string_equal(config_str(cf, "listen"), "127.0.0.1:8080");
	config_free(cf);
	config_free(base);

	write_file(f->path, "[demo]\nenabled = yes\nsize = 12\n");
	assert_null(config_load(f->path, tables, 1, NULL, 0, &f->errors));
	assert_non_null(strstr(buf_cstr(&f->errors),
	    ":3: demo.size: 12 is out of range (1..9)"));
	buf_reset(&f->errors);
	write_file(f->path, "[demo]\nenabled = yes\n");
	cf = config_load(f->path, tables, 1, NULL, 0, &f->errors);
	assert_non_null(cf);
	assert_true(config_bool(cf, "demo.enabled"));
	config_free(cf);
	assert_null(config_load(f->path, NULL, 0, NULL, 0, &f->errors));
	assert_non_null(strstr(buf_cstr(&f->errors),
	    ":1: unknown section [demo]"));
}

/* A name in two tables is our bug, not the operator's: abort. */
static void
test_duplicate_directive_aborts(void **state)
{
	const struct config_table twice[] = {
		{ demo_rows, SP_ARRAY_LEN(demo_rows) },
		{ demo_rows, 1 },
	};
	pid_t pid;
	int status;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fclose(stderr);
		(void)config_defaults(twice, SP_ARRAY_LEN(twice));
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void
test_good_file(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char want[256];

	write_file(f->path,
	    "# Sampark test config\n"
	    "; another comment style\n"
	    "\n"
	    "listen = 0.0.0.0:9090   # inline comment\n"
	    "  db=../var/test.db\n"
	    "districts = /etc/sampark/districts.csv ; inline\n"
	    "public_url = \"https://sms.example.org/a#b\"  # quoted keeps #\n"
	    "default_country = \"  44 \"\n"
	    "segment_budget = 3\r\n"
	    "log_level = DEBUG\n"
	    "default_language = en\n"
	    "\n"
	    "[console]\n"
	    "enabled = off\n"
	    "[ twilio ]   # section comment\n"
	    "enabled = Yes\n"
	    "account_sid = AC123\n"
	    "reply = outbox\n");
	cf = runtime_config_load(f->path, NULL, 0, &f->errors);
	assert_string_equal(buf_cstr(&f->errors), "");
	assert_non_null(cf);
	assert_string_equal(config_file(cf), f->path);
	assert_string_equal(config_str(cf, "listen"), "0.0.0.0:9090");
	snprintf(want, sizeof(want), "%s/../var/test.db", f->dir);
	assert_string_equal(config_str(cf, "db"), want);
	assert_string_equal(config_str(cf, "districts"),
	    "/etc/sampark/districts.csv");
	/* Defaults of PATH type resolve against the file's directory too. */
	snprintf(want, sizeof(want), "%s/keywords.conf", f->dir);
	assert_string_equal(config_str(cf, "keywords"), want);
	snprintf(want, sizeof(want), "%s/../prompts", f->dir);
	assert_string_equal(config_str(cf, "prompts_dir"), want);
	assert_string_equal(config_str(cf, "public_url"),
	    "https://sms.example.org/a#b");
	assert_string_equal(config_str(cf, "default_country"), "  44 ");
	assert_int_equal(config_int(cf, "segment_budget"), 3);
	assert_string_equal(config_str(cf, "log_level"), "debug");
	assert_string_equal(config_str(cf, "default_language"), "en");
	assert_false(config_bool(cf, "console.enabled"));
	assert_true(config_bool(cf, "twilio.enabled"));
	assert_string_equal(config_str(cf, "twilio.account_sid"), "AC123");
	assert_string_equal(config_str(cf, "twilio.reply"), "outbox");
	assert_int_equal(config_is_set(cf, "listen"), 1);
	assert_int_equal(config_is_set(cf, "twilio.reply"), 1);
	assert_int_equal(config_is_set(cf, "keywords"), 0);
	assert_int_equal(config_is_set(cf, "max_body"), 0);
	assert_int_equal(config_int(cf, "max_body"), 65536);
	config_free(cf);
}

static void
test_all_errors(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char *want;

	write_file(f->path,
	    "listen = 127.0.0.1:1\n"			/* 1 ok */
	    "bogus = 1\n"				/* 2 unknown key */
	    "segment_budget = many\n"			/* 3 bad int */
	    "segment_budget = 2\n"			/* 4 ok (3 failed) */
	    "max_body = 10\n"				/* 5 out of range */
	    "listen = 127.0.0.1:2\n"			/* 6 duplicate */
	    "log_level = loud\n"			/* 7 bad enum */
	    "just some words\n"				/* 8 missing '=' */
	    "public_url = \"https://x\n"		/* 9 unterminated */
	    "default_country = \xff\xfe\n"		/* 10 invalid UTF-8 */
	    "[console]\n"				/* 11 */
	    "enabled = maybe\n"				/* 12 bad bool */
	    "colour = blue\n"				/* 13 unknown key */
	    "[nosuch]\n"				/* 14 unknown section */
	    "whatever = 1\n"				/* 15 (not reported) */
	    "[twilio\n"					/* 16 missing ']' */
	    "[twilio]\n"				/* 17 */
	    "reply = later\n"				/* 18 bad enum */
	    "= value\n"					/* 19 missing key */
	    "request_timeout = 99999999999999999999\n");	/* 20 range */
	cf = runtime_config_load(f->path, NULL, 0, &f->errors);
	assert_null(cf);
	want = xasprintf(
	    "%1$s:2: unknown key 'bogus'\n"
	    "%1$s:3: segment_budget: 'many' is not an integer\n"
	    "%1$s:5: max_body: 10 is out of range (1024..10485760)\n"
	    "%1$s:6: duplicate key 'listen' (first set on line 1)\n"
	    "%1$s:7: log_level: 'loud' is not one of error|warn|info|debug\n"
	    "%1$s:8: missing '=' in \"just some words\"\n"
	    "%1$s:9: unterminated quote\n"
	    "%1$s:10: invalid UTF-8\n"
	    "%1$s:12: console.enabled: 'maybe' is not a boolean "
	    "(yes/no, true/false, on/off, 1/0)\n"
	    "%1$s:13: unknown key 'console.colour'\n"
	    "%1$s:14: unknown section [nosuch]\n"
	    "%1$s:16: missing ']' in section header\n"
	    "%1$s:18: twilio.reply: 'later' is not one of inline|outbox\n"
	    "%1$s:19: missing key before '='\n"
	    "%1$s:20: unknown key 'twilio.request_timeout': "
	    "'request_timeout' is a top-level key, and top-level keys go "
	    "before the first section ([twilio] starts on line 17)\n",
	    f->path);
	assert_string_equal(buf_cstr(&f->errors), want);
	free(want);

	/* Range errors on a top-level key, and overflow. */
	buf_reset(&f->errors);
	write_file(f->path,
	    "request_timeout = 99999999999999999999\n"
	    "pending_minutes = 0\n"
	    "more_minutes = 10081\n"
	    "more_minutes = 5\n"
	    "[twilio] junk\n");
	assert_null(runtime_config_load(f->path, NULL, 0, &f->errors));
	want = xasprintf(
	    "%1$s:1: request_timeout: 99999999999999999999 is out of range "
	    "(1..300)\n"
	    "%1$s:2: pending_minutes: 0 is out of range (1..1440)\n"
	    "%1$s:3: more_minutes: 10081 is out of range (1..10080)\n"
	    "%1$s:5: unexpected text after [twilio]\n",
	    f->path);
	assert_string_equal(buf_cstr(&f->errors), want);
	free(want);
}

static const struct config_directive console_rows[] = {
	CONFIG_D_BOOL("console.enabled", "no", "the local console"),
};

/* For check-config: every problem reported, and still a config of the
 * good lines to find the other files by. */
static void
test_load_all_keeps_going(void **state)
{
	struct fixture *f = *state;
	struct config_table t = { console_rows, SP_ARRAY_LEN(console_rows) };
	struct config *cf;
	int problems = 0;
	char *want;

	write_file(f->path,
	    "keywords = my-keywords.conf\n"
	    "daily_cap = lots\n"
	    "[console]\n"
	    "enabled = yes\n"
	    "quiet_hours = 22:00-07:00\n"
	    "enabled = no\n");
	cf = config_load_all(f->path, &t, 1, NULL, 0, &f->errors, &problems);
	assert_non_null(cf);
	assert_int_equal(problems, 3);
	want = xasprintf(
	    "%1$s:2: daily_cap: 'lots' is not an integer\n"
	    "%1$s:5: unknown key 'console.quiet_hours': 'quiet_hours' is a "
	    "top-level key, and top-level keys go before the first section "
	    "([console] starts on line 3)\n"
	    "%1$s:6: duplicate key 'console.enabled' (first set on line 4)\n",
	    f->path);
	assert_string_equal(buf_cstr(&f->errors), want);
	free(want);
	want = xasprintf("%s/my-keywords.conf", f->dir);
	assert_string_equal(config_str(cf, "keywords"), want);
	free(want);
	assert_int_equal(config_int(cf, "daily_cap"), 3);
	assert_true(config_bool(cf, "console.enabled"));
	config_free(cf);
	/* config_load gives nothing back for the same file. */
	buf_reset(&f->errors);
	assert_null(config_load(f->path, &t, 1, NULL, 0, &f->errors));
}

static void
test_missing_file(void **state)
{
	struct fixture *f = *state;

	assert_null(runtime_config_load("/nonexistent/sampark.conf", NULL, 0,
	    &f->errors));
	assert_string_equal(buf_cstr(&f->errors),
	    "/nonexistent/sampark.conf: cannot open: No such file or "
	    "directory\n");
	/* errors may be NULL: still fails, without crashing. */
	assert_null(runtime_config_load("/nonexistent/sampark.conf", NULL, 0, NULL));
}

static void
test_overrides(void **state)
{
	struct fixture *f = *state;
	char *good[] = { "listen=127.0.0.1:7000", "db=var/x.db",
	    "twilio.enabled=on", "segment_budget=10", "log_level=warn",
	    "segment_budget=4" };
	char *bad[] = { "nonsense", "nope=1", "twilio.enabled=perhaps",
	    "max_body=1", "listen=ok", "synchronous=extra",
	    "twilio.nope=x", "default_country=\xc3\x28" };
	struct config *cf;
	char want[256];

	write_file(f->path, "listen = 127.0.0.1:1\nsegment_budget = 1\n");
	cf = runtime_config_load(f->path, good, SP_ARRAY_LEN(good), &f->errors);
	assert_string_equal(buf_cstr(&f->errors), "");
	assert_non_null(cf);
	assert_string_equal(config_str(cf, "listen"), "127.0.0.1:7000");
	/* Command-line paths are the user's: relative to the cwd. */
	assert_string_equal(config_str(cf, "db"), "var/x.db");
	assert_true(config_bool(cf, "twilio.enabled"));
	assert_int_equal(config_int(cf, "segment_budget"), 4);
	assert_string_equal(config_str(cf, "log_level"), "warn");
	assert_int_equal(config_is_set(cf, "db"), 1);
	assert_int_equal(config_is_set(cf, "twilio.enabled"), 1);
	assert_int_equal(config_is_set(cf, "max_body"), 0);
	snprintf(want, sizeof(want), "%s/districts.csv", f->dir);
	assert_string_equal(config_str(cf, "districts"), want);
	config_free(cf);

	/* Overrides alone, no file. */
	cf = runtime_config_load(NULL, good, 2, &f->errors);
	assert_non_null(cf);
	assert_string_equal(config_file(cf), "");
	assert_string_equal(config_str(cf, "listen"), "127.0.0.1:7000");
	assert_string_equal(config_str(cf, "keywords"), "keywords.conf");
	config_free(cf);

	/* Bad ones: every one reported, after the file's own errors. */
	write_file(f->path, "listen = 1\nsegment_budget = 0\n");
	assert_null(runtime_config_load(f->path, bad, SP_ARRAY_LEN(bad), &f->errors));
	snprintf(want, sizeof(want),
	    "%s:2: segment_budget: 0 is out of range (1..10)\n", f->path);
	assert_true(strncmp(buf_cstr(&f->errors), want, strlen(want)) == 0);
	assert_string_equal(buf_cstr(&f->errors) + strlen(want),
	    "--set nonsense: missing '='\n"
	    "--set nope: unknown key\n"
	    "--set twilio.enabled: twilio.enabled: 'perhaps' is not a "
	    "boolean (yes/no, true/false, on/off, 1/0)\n"
	    "--set max_body: max_body: 1 is out of range (1024..10485760)\n"
	    "--set synchronous: synchronous: 'extra' is not one of "
	    "normal|full\n"
	    "--set twilio.nope: unknown key\n"
	    "--set default_country: invalid UTF-8\n");
}

static void
test_bool_spellings(void **state)
{
	struct fixture *f = *state;
	const char *yes[] = { "yes", "YES", "true", "True", "on", "1" };
	const char *no[] = { "no", "No", "false", "FALSE", "off", "0" };
	char *ov[1];
	struct config *cf;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(yes); i++) {
		ov[0] = xasprintf("twilio.enabled=%s", yes[i]);
		cf = runtime_config_load(NULL, ov, 1, &f->errors);
		assert_non_null(cf);
		assert_int_equal(config_bool(cf, "twilio.enabled"), 1);
		assert_string_equal(config_str(cf, "twilio.enabled"), "yes");
		config_free(cf);
		free(ov[0]);

		ov[0] = xasprintf("console.enabled=%s", no[i]);
		cf = runtime_config_load(NULL, ov, 1, &f->errors);
		assert_non_null(cf);
		assert_int_equal(config_bool(cf, "console.enabled"), 0);
		config_free(cf);
		free(ov[0]);
	}
	assert_string_equal(buf_cstr(&f->errors), "");
	ov[0] = "console.enabled=";
	assert_null(runtime_config_load(NULL, ov, 1, &f->errors));
	ov[0] = "console.enabled=2";
	assert_null(runtime_config_load(NULL, ov, 1, &f->errors));
	ov[0] = "console.enabled=yess";
	assert_null(runtime_config_load(NULL, ov, 1, &f->errors));
	assert_int_equal(strlen(buf_cstr(&f->errors)) > 0, 1);
}

static void
test_path_resolution(void **state)
{
	struct fixture *f = *state;
	struct config *cf;
	char cwd[4096];

	/* A file named without a directory: paths stay relative to cwd. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(f->dir), 0);
	write_file("sampark.conf", "db = data/a.db\nprompts_dir = /p\n");
	cf = runtime_config_load("sampark.conf", NULL, 0, &f->errors);
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(cf);
	assert_string_equal(config_str(cf, "db"), "data/a.db");
	assert_string_equal(config_str(cf, "prompts_dir"), "/p");
	assert_string_equal(config_str(cf, "keywords"), "keywords.conf");
	config_free(cf);

	/* An empty PATH stays empty, it does not become the directory. */
	write_file(f->path, "stakeholders = \"\"\n");
	cf = runtime_config_load(f->path, NULL, 0, &f->errors);
	assert_non_null(cf);
	assert_string_equal(config_str(cf, "stakeholders"), "");
	assert_int_equal(config_is_set(cf, "stakeholders"), 1);
	config_free(cf);
	assert_string_equal(buf_cstr(&f->errors), "");
}

static void
test_unknown_getter_aborts(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct config *cf = runtime_config_defaults();

		/* Closing stderr keeps the expected log line out of the run. */
		fclose(stderr);
		(void)config_str(cf, "no_such_directive");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_directive_table),
		cmocka_unit_test_setup_teardown(test_caller_tables, setup,
		    teardown),
		cmocka_unit_test(test_duplicate_directive_aborts),
		cmocka_unit_test_setup_teardown(test_load_all_keeps_going,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overrides, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bool_spellings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_path_resolution, setup,
		    teardown),
		cmocka_unit_test(test_unknown_getter_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
