/*
 * cmd_restore: `sampark restore`, which puts a backup (`sampark backup`)
 * back while the daemon is stopped.  The work and the refusals are the
 * store's (store_restore): a database in use, a file that fails its
 * integrity check or is newer than this sampark.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "store.h"

static const char restore_usage[] =
    "usage: sampark restore --from FILE [-c CONFIG] [--db PATH]\n"
    "\n"
    "Replaces the database with the backup FILE.  Stop the daemon first\n"
    "(systemctl stop sampark): the restore is refused while anything has\n"
    "the database open.  FILE must pass PRAGMA integrity_check and must not\n"
    "be newer than this sampark; an older one is migrated forward when the\n"
    "daemon starts.  The database replaced is kept beside it as PATH.bak.\n"
    "Run it as the user the daemon runs as (sudo -u sampark ...).\n"
    "  --from FILE          the backup to restore\n"
    "  -c, --config FILE    configuration naming the database (`db`)\n"
    "  --db PATH            the database, overriding the configuration\n";

static int
run_restore(int argc, char **argv)
{
	struct cmd_db_args a;
	char err[1024], *db;
	int rc, version = 0;

	if ((rc = cmd_db_args_parse(argc, argv, "from", restore_usage, &a)) != 0)
		return rc == -1 ? 0 : rc;
	if ((db = cmd_db_path(&a)) == NULL)
		return 1;
	rc = 1;
	if (store_restore(a.file, db, err, sizeof(err)) == -1)
		fprintf(stderr, "sampark: restore refused: %s\n", err);
	else {
		store_file_check(db, &version, NULL, 0);
		printf("%s: restored from %s (schema version %d; the previous "
		    "database, if any, is %s.bak)\n", db, a.file, version, db);
		rc = 0;
	}
	free(db);
	return rc;
}

const struct cmd_desc cmd_restore = {
	.name = "restore",
	.summary = "put a backup back (daemon stopped)",
	.usage = restore_usage,
	.run = run_restore,
};
