/*
 * cmd: the command-line subcommands, one file each (cmd_<name>.c), and
 * what they share: finding the config and opening the store the way the
 * daemon does.
 */
#ifndef SP_CMD_H
#define SP_CMD_H

#include <stdint.h>

struct config;
struct store;

/*
 * One command of the binary: cmd_<name>.c defines
 * `const struct cmd_desc cmd_<name>` and cmd_table.c lists it, the only
 * list.  `sampark help` prints the names and summaries, `sampark help
 * NAME` the usage (which run prints for --help too), main() calls run.
 */
struct cmd_desc {
	const char	*name;
	const char	*summary;	/* one line, for `sampark help` */
	const char	*usage;		/* NULL: help itself, which lists */
	/* argv[0] is the command's name; the exit status: 0 ok, 1
	 * failure, 2 usage. */
	int		(*run)(int argc, char **argv);
};

/* Every command, in the order `sampark help` lists them; NULL-terminated
 * (cmd_table.c). */
extern const struct cmd_desc *const cmd_table[];
/* The command called name, or NULL. */
const struct cmd_desc *cmd_table_find(const char *name);

/*
 * The config a command uses: path (-c) if given, else the system's
 * (cmd_system_config()) when it exists, else config/sampark.conf in the
 * current directory when it exists, else built-in defaults.  In those last
 * two cases it says on stderr which config and which database (db, the
 * --db given, else the config's) the command works on.  Prints problems to
 * stderr; NULL on error.
 */
struct config *cmd_config_for(const char *path, const char *db);
/* The same when the command takes no --db. */
struct config *cmd_config(const char *path);
/* The config file for a command that needs one (serve, explain,
 * check-config): path if given, else the default one as above (saying
 * which when it is not the system's), else config/sampark.conf. */
const char *cmd_config_path(const char *path);
/* /etc/sampark/sampark.conf, or $SAMPARK_CONFIG_DEFAULT when set (tests). */
const char *cmd_system_config(void);
/* The file cmd_config_for() reads without -c, NULL for the built-in
 * defaults; *system says whether it is the system's. */
const char *cmd_default_config(int *system);

/* Make a relative path absolute against the current directory (caller
 * frees). */
char	*cmd_abspath(const char *path);
/* A row's id as given on the command line (a whole positive decimal
 * number): 0 and *id, or -1. */
int	cmd_parse_id(const char *s, int64_t *id);

/*
 * One line to stderr (fmt without the newline), with control characters
 * shown as escapes (buf_term_escape): for messages that quote what a file
 * from elsewhere holds, such as a field of an imported CSV.
 */
void	cmd_problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The key of the district text names (key, English or Hindi name, alias,
 * any case; resolve.h), from the config's districts.csv: a new string,
 * or NULL after saying on stderr, as option says it, which districts
 * are closest.
 */
char	*cmd_district_key(const struct config *, const char *option,
	    const char *text);

/* Open the store at db (if non-NULL) or the config's db; prints errors. */
struct store *cmd_open_store(const struct config *, const char *db);
/*
 * For commands that only read (contacts, report, outbox, a broadcast's
 * list or show...): the database must exist, else an error that names the
 * path and how to choose another, and nothing is created.  It may still be
 * migrated to this binary's schema.
 */
struct store *cmd_open_store_existing(const struct config *, const char *db);
/* The same, opened for reading only: left exactly as it is (export). */
struct store *cmd_open_store_readonly(const struct config *, const char *db);

/* Print the contacts of the audience expression expr (every contact,
 * opted out or not), as `sampark contacts` does; the exit status
 * (cmd_contacts.c). */
int	cmd_contacts_list(struct store *, const char *expr, int reveal);

/*
 * The options of the commands that move a database file (backup,
 * restore): --to or --from FILE (file_opt), -c CONFIG, --db PATH.
 */
struct cmd_db_args {
	const char	*file;		/* --to / --from */
	const char	*config;
	const char	*db;
};
/* 0; -1 after printing usage for --help; 2 after printing it to stderr
 * for anything else wrong. */
int	cmd_db_args_parse(int argc, char **argv, const char *file_opt,
	    const char *usage, struct cmd_db_args *);
/* The database path: --db, else the config's db (caller frees); NULL
 * when the config cannot be read (said on stderr). */
char	*cmd_db_path(const struct cmd_db_args *);

#endif
