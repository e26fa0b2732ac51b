/*
 * cmd_backup: `sampark backup`, an online copy of the database taken while
 * the daemon runs (`sampark restore`, cmd_restore.c, puts one back).  The
 * work is the store's (store_backup); this file finds the database and
 * refuses to write the copy over it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "runtime.h"
#include "store.h"
#include "util.h"

static const char backup_usage[] =
    "usage: sampark backup --to FILE [-c CONFIG] [--db PATH]\n"
    "\n"
    "Writes a consistent copy of the database to FILE while the daemon\n"
    "runs (the SQLite online backup API: one snapshot, webhooks go on being\n"
    "answered).  The copy is checked with PRAGMA integrity_check and only\n"
    "then takes the name FILE (an existing FILE is replaced).\n"
    "  --to FILE            where to write the copy\n"
    "  -c, --config FILE    configuration naming the database (`db`)\n"
    "  --db PATH            the database, overriding the configuration\n";

/* 1 if a and b are the same existing file. */
static int
same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return realpath(a, ra) != NULL && realpath(b, rb) != NULL &&
	    strcmp(ra, rb) == 0;
}

static int
run_backup(int argc, char **argv)
{
	struct config *cfg = NULL;
	struct store *st = NULL;
	struct cmd_db_args a;
	int64_t pages = 0;
	char *db = NULL;
	int rc;

	if ((rc = cmd_db_args_parse(argc, argv, "to", backup_usage, &a)) != 0)
		return rc == -1 ? 0 : rc;
	rc = 1;
	if ((db = cmd_db_path(&a)) == NULL)
		goto out;
	/* store_open would create an empty database and back that up. */
	if (!store_path_is_server(db) && access(db, F_OK) == -1) {
		fprintf(stderr, "sampark: %s: %s\n", db, strerror(errno));
		goto out;
	}
	if (same_file(db, a.file)) {
		fprintf(stderr, "sampark: %s is the database itself\n", a.file);
		goto out;
	}
	if ((cfg = runtime_config_defaults()) == NULL ||
	    (st = cmd_open_store(cfg, db)) == NULL)
		goto out;
	if (store_backup(st, a.file, &pages) == -1) {
		fprintf(stderr, "sampark: backup failed: %s\n",
		    store_errmsg(st));
		goto out;
	}
	printf("%s: backup of %s (%lld pages, schema version %d)\n", a.file,
	    db, (long long)pages, store_schema_version());
	rc = 0;
out:
	store_close(st);
	config_free(cfg);
	free(db);
	return rc;
}

const struct cmd_desc cmd_backup = {
	.name = "backup",
	.summary = "copy the database while the daemon runs",
	.usage = backup_usage,
	.run = run_backup,
};
