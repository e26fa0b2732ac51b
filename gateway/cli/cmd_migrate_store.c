/*
 * cmd_migrate_store: `sampark migrate-store`, a coalition moved from its
 * SQLite file to a PostgreSQL database, while the daemon may go on
 * running on the file.  The copy, its refusals and its counts are the
 * store's (store_copy); this file reads the options and prints the counts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "store.h"

static const char migrate_store_usage[] =
    "usage: sampark migrate-store --from sqlite:PATH --to postgresql://...\n"
    "\n"
    "Copies the whole database at PATH (every table, ids kept) into an\n"
    "empty PostgreSQL database, in one transaction there: either all of it\n"
    "is copied or nothing is.  The daemon may go on running on PATH: the\n"
    "copy is of one moment, read in one transaction, and what is written\n"
    "after that moment is not in it (stop the daemon, or let it drain, for\n"
    "the last rows).  A target that already holds data is refused.  The\n"
    "rows of every table are counted on both sides before the commit and\n"
    "printed; any difference undoes the copy.  Then point the daemons at\n"
    "the new database: store = postgresql://... (docs/operations.md).\n"
    "  --from sqlite:PATH   the SQLite database (PATH alone works too)\n"
    "  --to URI             the PostgreSQL database, as libpq takes it\n";

static int
run_migrate_store(int argc, char **argv)
{
	const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL, *file;
	struct store_copy_count *counts = NULL;
	int64_t total = 0;
	char err[1024];
	size_t n = 0, i;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'h':
			fputs(migrate_store_usage, stdout);
			return 0;
		default:
			fputs(migrate_store_usage, stderr);
			return 2;
		}
	}
	if (optind != argc || from == NULL || to == NULL || *from == '\0' ||
	    *to == '\0') {
		fputs(migrate_store_usage, stderr);
		return 2;
	}
	file = strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from;
	/* Opening a missing file would say less than this. */
	if (!store_path_is_server(file) && access(file, R_OK) == -1) {
		fprintf(stderr, "sampark: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (store_copy(from, to, NULL, NULL, &counts, &n, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "sampark: migrate-store refused: %s\n", err);
		return 1;
	}
	printf("%-24s %12s %12s\n", "table", "sqlite", "postgresql");
	for (i = 0; i < n; i++) {
		printf("%-24s %12lld %12lld\n", counts[i].table,
		    (long long)counts[i].source, (long long)counts[i].target);
		total += counts[i].target;
	}
	/* The URI may carry a password: it is not repeated here. */
	printf("copied %zu tables, %lld rows from %s to PostgreSQL (schema"
	    " version %d); every count matches\n", n, (long long)total, file,
	    store_schema_version());
	store_copy_counts_free(counts, n);
	return 0;
}

const struct cmd_desc cmd_migrate_store = {
	.name = "migrate-store",
	.summary = "copy an SQLite database into an empty PostgreSQL one",
	.usage = migrate_store_usage,
	.run = run_migrate_store,
};
