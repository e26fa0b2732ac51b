/*
 * cmd_check_config: `sampark check-config`, which loads a configuration
 * exactly as the daemon would (runtime_load: the config and everything it
 * names) and reports every problem.  (`sampark help config`, the
 * reference of every directive, is cmd_help.c's.)
 *
 * check-config deliberately has no checks of its own for the files: what
 * the daemon refuses is what it reports, so a colleague's new file (a
 * menu, templates) is checked here as soon as the runtime loads it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "keywords.h"
#include "log.h"
#include "provider.h"
#include "reply_templates.h"
#include "runtime.h"
#include "util.h"

static const char check_usage[] =
    "usage: sampark check-config [-c FILE] [--db FILE] [--set KEY=VALUE]...\n"
    "                            [-q]\n"
    "\n"
    "Loads FILE (without -c: /etc/sampark/sampark.conf, else\n"
    "config/sampark.conf) and every file it names (keywords, districts,\n"
    "prompts, and whatever else the daemon loads) as `sampark serve` would,\n"
    "and prints every problem as FILE:LINE: message; the other files are\n"
    "checked even when FILE itself has problems.\n"
    "Exit status 1 if there is any, else 0 with a one-line summary on\n"
    "stdout.  References that cannot work are problems too: a provider\n"
    "enabled without its secret (the message names the environment\n"
    "variable to set) and a broadcast_provider that is no enabled provider\n"
    "able to send.  Settings that only limit what works (a provider that\n"
    "cannot send, no public_url, replies without a DLT template id while a\n"
    "provider has a DLT entity id) are printed as warnings on stderr and do\n"
    "not fail the check.  Secrets are read from the environment, so run it\n"
    "with the same environment as the daemon.\n"
    "  -c, --config FILE    configuration file\n"
    "  --db FILE            the database, as for serve (its folder must be\n"
    "                       writable)\n"
    "  --set KEY=VALUE      override a key, as for serve\n"
    "  -q, --quiet          no summary and no warnings, only problems\n";

/* Number of lines (problems) in s. */
static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

static void
summary(const char *path, const struct sp_runtime *rt)
{
	struct buf enabled;
	size_t i;

	buf_init(&enabled, 0);
	for (i = 0; i < rt->npconf; i++)
		if (rt->pconf[i].enabled)
			buf_printf(&enabled, "%s%s", enabled.len ? "," : "",
			    rt->pconf[i].name);
	printf("%s: ok (%zu keywords; providers enabled: %s)\n", path,
	    keywords_count(rt->keywords), enabled.len ? buf_cstr(&enabled) :
	    "none");
	buf_free(&enabled);
}

/*
 * A provider on India's DLT routes (it has an entity id) with replies not
 * registered: each such reply goes with the provider's one template id,
 * which it does not match, and the operator's scrubber drops it unseen.
 */
static void
dlt_warning(const struct sp_runtime *rt)
{
	const char *on_dlt = NULL;
	size_t i, missing = 0, n = reply_templates_count(rt->replies);

	for (i = 0; i < rt->npconf && on_dlt == NULL; i++)
		if (rt->pconf[i].enabled && rt->pconf[i].dlt_entity_id !=
		    NULL && rt->pconf[i].dlt_entity_id[0] != '\0')
			on_dlt = rt->pconf[i].name;
	for (i = 0; on_dlt != NULL && i < n; i++)
		if (reply_templates_at(rt->replies, i)->dlt_id == NULL)
			missing++;
	if (missing == 0)
		return;
	log_warn("check_config", "problem=\"%zu of %zu reply templates have "
	    "no DLT template id in %s, and %s sends on DLT routes: a reply "
	    "that is no registered template is dropped by the operator. "
	    "`sampark templates --replies` prints each one to register "
	    "(UNREGISTERED marks these)\"", missing, n,
	    config_str(rt->cfg, "reply_templates"), on_dlt);
}

/* What does not stop the daemon but will stop messages. */
static void
warnings(const struct sp_runtime *rt, const char *provider_warnings)
{
	const char *db = config_str(rt->cfg, "db"), *s, *e;
	char *dir, *slash, *line, quoted[1024];

	for (s = provider_warnings; (e = strchr(s, '\n')) != NULL;
	    s = e + 1) {
		line = xstrndup(s, (size_t)(e - s));
		log_warn("check_config", "problem=%s", log_quote(line, 900,
		    quoted, sizeof(quoted)));
		free(line);
	}
	dir = xstrdup(db);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (*dir != '\0' && access(dir, W_OK) == -1)
			log_warn("check_config", "problem=\"the directory of "
			    "db (%s) is not writable by this user\"", dir);
	}
	free(dir);
	dlt_warning(rt);
}

static int
run_check_config(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	char **sets = xcalloc((size_t)argc + 1, sizeof(char *));
	char *db_set = NULL;
	struct sp_runtime *rt = NULL;
	struct buf errors, warned;
	size_t nsets = 0, n;
	int ch, quiet = 0, rc = 2;

	buf_init(&errors, 0);
	buf_init(&warned, 0);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 's':
			sets[nsets++] = optarg;
			break;
		case 'd':
			free(db_set);
			db_set = xasprintf("db=%s", optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(check_usage, stdout);
			rc = 0;
			goto out;
		default:
			fputs(check_usage, stderr);
			goto out;
		}
	}
	if (optind != argc) {
		fputs(check_usage, stderr);
		goto out;
	}
	if (quiet)
		log_set_level(LOG_LEVEL_ERROR);
	if (db_set != NULL)
		sets[nsets++] = db_set;
	path = cmd_config_path(path);
	rt = runtime_load(path, sets, nsets, &errors);
	if (rt != NULL)
		runtime_check_references(rt, &errors, &warned);
	if (errors.len > 0) {
		n = count_lines(buf_cstr(&errors));
		fputs(buf_cstr(&errors), stderr);
		fprintf(stderr, "%s: %zu problem%s\n", path, n ? n : 1,
		    n == 1 ? "" : "s");
		rc = 1;
		goto out;
	}
	if (!quiet) {
		warnings(rt, buf_cstr(&warned));
		summary(path, rt);
	}
	rc = 0;
out:
	runtime_free(rt);
	buf_free(&warned);
	buf_free(&errors);
	free(db_set);
	free(sets);
	return rc;
}

const struct cmd_desc cmd_check_config = {
	.name = "check-config",
	.summary = "check a configuration and every file it names",
	.usage = check_usage,
	.run = run_check_config,
};
