/*
 * main: one binary, subcommands (cmd_table.c lists them).  Nothing
 * depends on it.  The only place that may exit().
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "store.h"

int
main(int argc, char **argv)
{
	const struct cmd_desc *help = cmd_table_find("help"), *c;

	store_library_setup();
	/* Bare `sampark` is a usage error that shows the commands. */
	if (argc < 2) {
		help->run(argc, argv);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return help->run(argc, argv);
	if ((c = cmd_table_find(argv[1])) != NULL)
		return c->run(argc - 1, argv + 1);
	fprintf(stderr, "sampark: unknown command \"%s\" (try `sampark "
	    "help`)\n", argv[1]);
	return 2;
}
