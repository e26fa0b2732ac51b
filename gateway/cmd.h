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
int	cmd_send(int argc, char **argv);
int	cmd_outbox(int argc, char **argv);

/*
 * The config a command uses: path if given, else config/sampark.conf when
 * it exists, else built-in defaults.  Prints problems to stderr; NULL on
 * error.
 */
struct config *cmd_config(const char *path);

/* Make a relative path absolute against the current directory (caller
 * frees). */
char	*cmd_abspath(const char *path);

/* Open the store at db (if non-NULL) or the config's db; prints errors. */
struct store *cmd_open_store(const struct config *, const char *db);

#endif
