/*
 * main: one binary, subcommands.  Wires modules together; nothing depends
 * on it.  The only place that may exit().
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "daemon.h"
#include "log.h"
#include "store.h"
#include "util.h"

static int cmd_serve(int, char **);
static int cmd_help(int, char **);

struct command {
	const char	*name;
	int		(*run)(int, char **);
	const char	*summary;
};

static const struct command commands[] = {
	{ "serve", cmd_serve, "run the gateway daemon in the foreground" },
	{ "import", cmd_import, "load the stakeholder directory or contacts from a CSV file" },
	{ "export", cmd_export, "write the interaction log as JSON lines or CSV" },
	{ "report", cmd_report, "figures for analysts: queries, replies, opt-outs, funnels" },
	{ "send", cmd_send, "queue an SMS in the outbox" },
	{ "outbox", cmd_outbox, "list the outbox and each message's state" },
	{ "broadcast", cmd_broadcast,
	    "preview, queue, list, show and cancel broadcasts" },
	{ "contacts", cmd_contacts, "list contacts, by district or group" },
	{ "group", cmd_group, "create, fill, list and delete named groups" },
	{ "check-config", cmd_check_config,
	    "check a configuration and every file it names" },
	{ "explain", cmd_explain,
	    "what Sampark makes of a message, word by word, and its reply" },
	{ "backup", cmd_backup, "copy the database while the daemon runs" },
	{ "restore", cmd_restore, "put a backup back (daemon stopped)" },
	{ "help", cmd_help, "list the commands" },
};

static const char serve_usage[] =
    "usage: sampark serve -c FILE [--listen HOST:PORT] [--db PATH] [--set KEY=VALUE]...\n"
    "\n"
    "Runs the gateway in the foreground, logging one line per event to stderr.\n"
    "  -c, --config FILE    configuration file (default config/sampark.conf)\n"
    "  --listen HOST:PORT   listen address, overrides `listen`\n"
    "  --db PATH            SQLite database, overrides `db`\n"
    "  --set KEY=VALUE      override any configuration key for this run\n"
    "                       (e.g. --set public_url=https://sms.example.org)\n"
    "Signals: SIGTERM/SIGINT stop after answering requests in flight;\n"
    "SIGHUP reloads config, keywords, prompts and districts (a bad reload\n"
    "keeps the running configuration).\n";

static int
cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "set", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct serve_options opts;
	char **sets = xcalloc((size_t)argc + 1, sizeof(char *));
	size_t nsets = 0, i;
	int ch, rc;

	memset(&opts, 0, sizeof(opts));
	opts.config_path = "config/sampark.conf";
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			opts.config_path = optarg;
			break;
		case 'l':
			sets[nsets++] = xasprintf("listen=%s", optarg);
			break;
		case 'd': {
			char *abs = cmd_abspath(optarg);

			sets[nsets++] = xasprintf("db=%s", abs);
			free(abs);
			break;
		}
		case 's':
			sets[nsets++] = xstrdup(optarg);
			break;
		case 'h':
			fputs(serve_usage, stdout);
			rc = 0;
			goto out;
		default:
			fputs(serve_usage, stderr);
			rc = 2;
			goto out;
		}
	}
	if (optind != argc) {
		fputs(serve_usage, stderr);
		rc = 2;
		goto out;
	}
	opts.overrides = sets;
	opts.noverrides = nsets;
	rc = daemon_serve(&opts);
out:
	for (i = 0; i < nsets; i++)
		free(sets[i]);
	free(sets);
	return rc;
}

/*
 * `sampark help`: the commands; `sampark help COMMAND`: what
 * `sampark COMMAND --help` says; `sampark help config`: every directive.
 */
static int
cmd_help(int argc, char **argv)
{
	char *args[] = { NULL, "--help", NULL };
	size_t i;

	if (argc >= 2 && strcmp(argv[1], "config") == 0)
		return cmd_config_reference(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "help") != 0 &&
	    argv[1][0] != '-') {
		for (i = 0; i < SP_ARRAY_LEN(commands); i++)
			if (strcmp(argv[1], commands[i].name) == 0) {
				args[0] = argv[1];
				return commands[i].run(2, args);
			}
		fprintf(stderr, "sampark: no command \"%s\" (try `sampark "
		    "help`)\n", argv[1]);
		return 2;
	}
	printf("Sampark — SMS gateway for entrepreneur outreach\n\n"
	    "usage: sampark COMMAND [OPTIONS]\n\n");
	for (i = 0; i < SP_ARRAY_LEN(commands); i++)
		printf("  %-12s %s\n", commands[i].name, commands[i].summary);
	printf("\n`sampark COMMAND --help` (or `sampark help COMMAND`) "
	    "describes each command;\n`sampark help config` lists every "
	    "configuration directive.\n");
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	store_library_setup();
	if (argc < 2)
		return cmd_help(argc, argv) == 0 ? 2 : 2;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc, argv);
	for (i = 0; i < SP_ARRAY_LEN(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "sampark: unknown command \"%s\" (try `sampark "
	    "help`)\n", argv[1]);
	return 2;
}
