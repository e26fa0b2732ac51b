/*
 * cmd_serve: `sampark serve`, the gateway daemon in the foreground
 * (daemon_serve); this file only reads its options.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "daemon.h"
#include "util.h"

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
run_serve(int argc, char **argv)
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
	opts.config_path = cmd_config_path(opts.config_path);
	opts.overrides = sets;
	opts.noverrides = nsets;
	rc = daemon_serve(&opts);
out:
	for (i = 0; i < nsets; i++)
		free(sets[i]);
	free(sets);
	return rc;
}

const struct cmd_desc cmd_serve = {
	.name = "serve",
	.summary = "run the gateway daemon in the foreground",
	.usage = serve_usage,
	.run = run_serve,
};
