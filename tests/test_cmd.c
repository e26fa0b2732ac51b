/*
 * test_cmd: the command table (cmd_table.c) and what `sampark help` makes
 * of it: every descriptor complete, names unique and found, help's
 * listing and help COMMAND built from the descriptors.
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

#include "cmd.h"
#include "util.h"

/* Run a command with stdout captured into out; its exit status. */
static int
run_captured(const struct cmd_desc *c, int argc, char **argv,
    struct buf *out)
{
	FILE *tmp = tmpfile();
	char chunk[4096];
	size_t n;
	int saved, rc;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	rc = c->run(argc, argv);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	while ((n = fread(chunk, 1, sizeof(chunk), tmp)) > 0)
		buf_append(out, chunk, n);
	fclose(tmp);
	return rc;
}

static void
test_descriptors(void **state)
{
	char prefix[64];
	size_t i, j;

	(void)state;
	assert_non_null(cmd_table[0]);
	for (i = 0; cmd_table[i] != NULL; i++) {
		const struct cmd_desc *c = cmd_table[i];

		assert_non_null(c->name);
		/* `sampark help` gives names a column as wide as the
		 * longest; one past 16 would push the summaries too far. */
		assert_true(strlen(c->name) > 0 && strlen(c->name) <= 16);
		assert_non_null(c->summary);
		assert_true(strlen(c->summary) > 0);
		assert_null(strchr(c->summary, '\n'));
		assert_non_null(c->run);
		if (strcmp(c->name, "help") == 0) {
			assert_null(c->usage);
			continue;
		}
		assert_non_null(c->usage);
		snprintf(prefix, sizeof(prefix), "usage: sampark %s", c->name);
		assert_memory_equal(c->usage, prefix, strlen(prefix));
		assert_non_null(strchr(" \n", c->usage[strlen(prefix)]));
		assert_int_equal(c->usage[strlen(c->usage) - 1], '\n');
		for (j = 0; j < i; j++)
			assert_string_not_equal(cmd_table[j]->name, c->name);
		assert_ptr_equal(cmd_table_find(c->name), c);
	}
	assert_null(cmd_table_find("nosuch"));
	assert_null(cmd_table_find(""));
	assert_null(cmd_table_find(NULL));
}

static void
test_help_lists_every_command(void **state)
{
	const struct cmd_desc *help = cmd_table_find("help");
	char *argv[] = { "help", NULL };
	char line[256];
	struct buf out;
	size_t i;
	int width = 12;

	(void)state;
	assert_non_null(help);
	buf_init(&out, 0);
	assert_int_equal(run_captured(help, 1, argv, &out), 0);
	for (i = 0; cmd_table[i] != NULL; i++)
		if ((int)strlen(cmd_table[i]->name) > width)
			width = (int)strlen(cmd_table[i]->name);
	for (i = 0; cmd_table[i] != NULL; i++) {
		snprintf(line, sizeof(line), "\n  %-*s %s\n", width,
		    cmd_table[i]->name, cmd_table[i]->summary);
		assert_non_null(strstr(buf_cstr(&out), line));
	}
	buf_free(&out);
}

static void
test_help_command_is_its_usage(void **state)
{
	const struct cmd_desc *help = cmd_table_find("help");
	char *argv[] = { "help", NULL, NULL };
	struct buf out;
	size_t i;

	(void)state;
	for (i = 0; cmd_table[i] != NULL; i++) {
		if (cmd_table[i]->usage == NULL)
			continue;
		argv[1] = (char *)cmd_table[i]->name;
		buf_init(&out, 0);
		assert_int_equal(run_captured(help, 2, argv, &out), 0);
		assert_string_equal(buf_cstr(&out), cmd_table[i]->usage);
		buf_free(&out);
	}
	/* No such command: a usage error, nothing on stdout. */
	argv[1] = "nosuch";
	buf_init(&out, 0);
	assert_int_equal(run_captured(help, 2, argv, &out), 2);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_help_lists_every_command),
		cmocka_unit_test(test_help_command_is_its_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
