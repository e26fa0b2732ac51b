/*
 * cmd: the command-line subcommands other than serve, and what they share
 * (finding the config and opening the store the way the daemon does).
 * Each command returns the process exit status: 0 ok, 1 failure, 2 usage.
 */
#ifndef SP_CMD_H
#define SP_CMD_H

struct config;
struct store;

int	cmd_import(int argc, char **argv);
int	cmd_export(int argc, char **argv);
int	cmd_report(int argc, char **argv);		/* cmd_report.c */
int	cmd_send(int argc, char **argv);
int	cmd_outbox(int argc, char **argv);
int	cmd_broadcast(int argc, char **argv);		/* cmd_broadcast.c */
int	cmd_contacts(int argc, char **argv);		/* cmd_contacts.c */
int	cmd_group(int argc, char **argv);
int	cmd_check_config(int argc, char **argv);	/* cmd_check.c */
int	cmd_explain(int argc, char **argv);		/* cmd_explain.c */
/* `sampark help config`: every directive, as Markdown or a commented
 * sampark.conf (cmd_check.c). */
int	cmd_config_reference(int argc, char **argv);
int	cmd_backup(int argc, char **argv);		/* cmd_backup.c */
int	cmd_restore(int argc, char **argv);

/*
 * The config a command uses: path if given, else config/sampark.conf when
 * it exists, else built-in defaults.  Prints problems to stderr; NULL on
 * error.
 */
struct config *cmd_config(const char *path);

/* Make a relative path absolute against the current directory (caller
 * frees). */
char	*cmd_abspath(const char *path);

/*
 * One line to stderr (fmt without the newline), with control characters
 * shown as escapes (buf_term_escape): for messages that quote what a file
 * from elsewhere holds, such as a field of an imported CSV.
 */
void	cmd_problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Open the store at db (if non-NULL) or the config's db; prints errors. */
struct store *cmd_open_store(const struct config *, const char *db);
/* The same for reading only: an existing database, left as it is. */
struct store *cmd_open_store_readonly(const struct config *, const char *db);

#endif
