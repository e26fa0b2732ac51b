/*
 * cmd: what the command-line subcommands share.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "district.h"
#include "resolve.h"
#include "runtime.h"
#include "store.h"
#include "util.h"

#define SYSTEM_CONFIG	"/etc/sampark/sampark.conf"
#define LOCAL_CONFIG	"config/sampark.conf"
#define CONFIG_ENV	"SAMPARK_CONFIG_DEFAULT"

void
cmd_problem(const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char *line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) == -1)
		line = NULL;
	va_end(ap);
	if (line == NULL)
		return;
	buf_init(&b, 0);
	buf_term_escape(&b, line);
	fprintf(stderr, "%s\n", buf_cstr(&b));
	buf_free(&b);
	free(line);
}

const char *
cmd_system_config(void)
{
	const char *e = getenv(CONFIG_ENV);

	return e != NULL && *e != '\0' ? e : SYSTEM_CONFIG;
}

const char *
cmd_default_config(int *system)
{
	*system = 1;
	if (access(cmd_system_config(), F_OK) == 0)
		return cmd_system_config();
	*system = 0;
	return access(LOCAL_CONFIG, F_OK) == 0 ? LOCAL_CONFIG : NULL;
}

/*
 * Without -c and without the system's config, the command works on
 * whatever the current directory offers: say which, since a wrong folder
 * otherwise looks like an empty database.
 */
static void
say_defaults(const struct config *cfg, const char *path, const char *db)
{
	char *conf = path != NULL ? cmd_abspath(path) :
	    xstrdup("the built-in defaults");
	char *dbpath = cmd_abspath(db != NULL ? db : config_str(cfg, "db"));

	cmd_problem("sampark: no -c and no %s: using %s, database %s%s",
	    cmd_system_config(), conf, dbpath, db != NULL ? " (--db)" : "");
	free(conf);
	free(dbpath);
}

struct config *
cmd_config_for(const char *path, const char *db)
{
	struct config *cfg;
	struct buf errors;
	int given = path != NULL, system = 0;

	if (!given)
		path = cmd_default_config(&system);
	if (path == NULL)
		cfg = runtime_config_defaults();
	else {
		buf_init(&errors, 0);
		cfg = runtime_config_load(path, NULL, 0, &errors);
		if (cfg == NULL)
			fprintf(stderr, "%s", buf_cstr(&errors));
		buf_free(&errors);
	}
	if (cfg != NULL && !given && !system)
		say_defaults(cfg, path, db);
	return cfg;
}

const char *
cmd_config_path(const char *path)
{
	char *abs;
	int system;

	if (path != NULL)
		return path;
	if ((path = cmd_default_config(&system)) == NULL)
		return LOCAL_CONFIG;	/* its absence is then the error */
	if (!system) {
		abs = cmd_abspath(path);
		cmd_problem("sampark: no -c and no %s: using %s",
		    cmd_system_config(), abs);
		free(abs);
	}
	return path;
}

struct config *
cmd_config(const char *path)
{
	return cmd_config_for(path, NULL);
}

char *
cmd_district_key(const struct config *cfg, const char *option,
    const char *text)
{
	struct district_table *dt;
	const struct district *d;
	struct buf errors;
	char err[512], *key = NULL;

	buf_init(&errors, 0);
	if ((dt = district_load(config_str(cfg, "districts"),
	    &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		buf_free(&errors);
		return NULL;
	}
	buf_free(&errors);
	if (resolve_district(dt, text, &d, err, sizeof(err)) == 1)
		key = xstrdup(d->key);
	else
		cmd_problem("sampark: %s: %s", option, err);
	district_free(dt);
	return key;
}

char *
cmd_abspath(const char *path)
{
	char cwd[4096];

	/* A database server's URI is no file; "sqlite:" marks one that is. */
	if (store_path_is_server(path))
		return xstrdup(path);
	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(path);
	return xasprintf("%s/%s", cwd, path);
}

int
cmd_parse_id(const char *s, int64_t *id)
{
	char *end;

	*id = strtoll(s, &end, 10);
	return *s != '\0' && *end == '\0' && *id > 0 ? 0 : -1;
}

static struct store *
open_store(const struct config *cfg, const char *db, int read_only,
    int must_exist)
{
	struct store_options so;
	struct store *st;
	char err[512], *abs;

	if (db == NULL)
		db = config_str(cfg, "db");
	/* Opening creates; a command that only reads must not leave an
	 * empty database behind and answer from it. */
	if ((read_only || must_exist) && !store_path_is_server(db) &&
	    access(db, F_OK) == -1) {
		abs = cmd_abspath(db);
		cmd_problem("sampark: no database at %s (%s): choose the "
		    "daemon's with -c CONFIG (its db) or --db PATH", abs,
		    strerror(errno));
		free(abs);
		return NULL;
	}
	memset(&so, 0, sizeof(so));
	so.read_only = read_only;
	/* The daemon may be writing: wait for its transactions. */
	so.busy_timeout_ms = 10000;
	so.synchronous_full = strcmp(config_str(cfg, "synchronous"), "full") == 0;
	st = store_open(db, &so, err, sizeof(err));
	if (st == NULL)
		fprintf(stderr, "sampark: %s\n", err);
	return st;
}

struct store *
cmd_open_store(const struct config *cfg, const char *db)
{
	return open_store(cfg, db, 0, 0);
}

struct store *
cmd_open_store_existing(const struct config *cfg, const char *db)
{
	return open_store(cfg, db, 0, 1);
}

struct store *
cmd_open_store_readonly(const struct config *cfg, const char *db)
{
	return open_store(cfg, db, 1, 1);
}

int
cmd_db_args_parse(int argc, char **argv, const char *file_opt,
    const char *usage, struct cmd_db_args *a)
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

char *
cmd_db_path(const struct cmd_db_args *a)
{
	struct config *cfg;
	char *db;

	if (a->db != NULL)
		return xstrdup(a->db);
	if ((cfg = cmd_config_for(a->config, NULL)) == NULL)
		return NULL;
	db = xstrdup(config_str(cfg, "db"));
	config_free(cfg);
	return db;
}
