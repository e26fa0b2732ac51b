/*
 * cmd_backup: `sampark backup`, an online copy of the database taken while
 * the daemon runs, and `sampark restore`, which puts one back while it is
 * stopped.  The work is the store's (store_backup, store_restore); this
 * file finds the database and refuses what would destroy it.
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

struct db_args {
	const char	*file;		/* --to / --from */
	const char	*config;
	const char	*db;
};

/* Parse the options both commands share; 0, or the exit status. */
static int
parse_args(int argc, char **argv, const char *file_opt, const char *usage,
    struct db_args *a)
{
	const struct option longopts[] = {
		{ file_opt, required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			a->file = optarg;
			break;
		case 'c':
			a->config = optarg;
			break;
		case 'd':
			a->db = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc || a->file == NULL || *a->file == '\0') {
		fputs(usage, stderr);
		return 2;
	}
	return 0;
}

/* The database path: --db, else the config's db (caller frees). */
static char *
db_path(const struct db_args *a)
{
	struct config *cfg;
	char *db;

	if (a->db != NULL)
		return xstrdup(a->db);
	if ((cfg = cmd_config(a->config)) == NULL)
		return NULL;
	db = xstrdup(config_str(cfg, "db"));
	config_free(cfg);
	return db;
}

/* 1 if a and b are the same existing file. */
static int
same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return realpath(a, ra) != NULL && realpath(b, rb) != NULL &&
	    strcmp(ra, rb) == 0;
}

int
cmd_backup(int argc, char **argv)
{
	struct config *cfg = NULL;
	struct store *st = NULL;
	struct db_args a;
	int64_t pages = 0;
	char *db = NULL;
	int rc;

	if ((rc = parse_args(argc, argv, "to", backup_usage, &a)) != 0)
		return rc == -1 ? 0 : rc;
	rc = 1;
	if ((db = db_path(&a)) == NULL)
		goto out;
	/* store_open would create an empty database and back that up. */
	if (access(db, F_OK) == -1) {
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

int
cmd_restore(int argc, char **argv)
{
	struct db_args a;
	char err[1024], *db;
	int rc, version = 0;

	if ((rc = parse_args(argc, argv, "from", restore_usage, &a)) != 0)
		return rc == -1 ? 0 : rc;
	if ((db = db_path(&a)) == NULL)
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
