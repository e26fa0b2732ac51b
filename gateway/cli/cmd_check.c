/*
 * cmd_check: `sampark check-config`, which loads a configuration exactly as
 * the daemon would (runtime_load: the config and everything it names) and
 * reports every problem, and `sampark help config`, the reference of every
 * directive written from the directive table itself, as Markdown (the
 * tables of docs/configuration.md) or as a commented sampark.conf (what
 * `make install` puts in /etc/sampark).
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
#include "runtime.h"
#include "util.h"

static const char check_usage[] =
    "usage: sampark check-config [-c FILE] [--set KEY=VALUE]... [-q]\n"
    "\n"
    "Loads FILE (default config/sampark.conf) and every file it names\n"
    "(keywords, districts, prompts, and whatever else the daemon loads) as\n"
    "`sampark serve` would, and prints every problem as FILE:LINE: message.\n"
    "Exit status 1 if there is any, else 0 with a one-line summary on\n"
    "stdout.  References that cannot work are problems too: a provider\n"
    "enabled without its secret (the message names the environment\n"
    "variable to set) and a broadcast_provider that is no enabled provider\n"
    "able to send.  Settings that only limit what works (a provider that\n"
    "cannot send, no public_url) are printed as warnings on stderr and do\n"
    "not fail the check.  Secrets are read from the environment, so run it\n"
    "with the same environment as the daemon.\n"
    "  -c, --config FILE    configuration file\n"
    "  --set KEY=VALUE      override a key, as for serve\n"
    "  -q, --quiet          no summary and no warnings, only problems\n";

static const char reference_usage[] =
    "usage: sampark help config [--format markdown|conf]\n"
    "\n"
    "Prints every configuration directive with its type, default and\n"
    "meaning: as Markdown tables (the reference in docs/configuration.md)\n"
    "or as a sampark.conf in which every directive is commented out at its\n"
    "default.\n";

#define DEFAULT_CONFIG	"config/sampark.conf"

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
	    kw_count(rt->keywords), enabled.len ? buf_cstr(&enabled) :
	    "none");
	buf_free(&enabled);
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
}

int
cmd_check_config(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG;
	char **sets = xcalloc((size_t)argc + 1, sizeof(char *));
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
	free(sets);
	return rc;
}

/* ---- the reference ---- */

static const char *
defval(const struct config_directive *d)
{
	return d->defval != NULL ? d->defval : "";
}

/* A '|' would end the table cell. */
static void
cell(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|' || *s == '<' || *s == '>')
			putchar('\\');
		putchar(*s);
	}
}

static void
markdown_row(const struct config_directive *d)
{
	struct buf type;

	buf_init(&type, 0);
	config_type_text(d, &type);
	printf("| `%s` | %s | ", d->name, buf_cstr(&type));
	if (*defval(d) != '\0')
		printf("`%s`", defval(d));
	else
		printf("(empty)");
	printf(" | ");
	cell(d->help);
	printf(" |\n");
	buf_free(&type);
}

static void
conf_entry(const struct config_directive *d, const char *key)
{
	struct buf type;

	buf_init(&type, 0);
	config_type_text(d, &type);
	printf("\n# %s\n# (%s)\n#%s =%s%s\n", d->help, buf_cstr(&type),
	    key, *defval(d) != '\0' ? " " : "", defval(d));
	buf_free(&type);
}

/* Length of the section of name ("twilio" in "twilio.from"), 0 if none. */
static size_t
section_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot != NULL ? (size_t)(dot - name) : 0;
}

/* 1 if a directive before i already opened the section of d[i]. */
static int
section_seen(const struct config_directive *d, size_t i)
{
	size_t j, n = section_len(d[i].name);

	for (j = 0; j < i; j++)
		if (section_len(d[j].name) == n &&
		    strncmp(d[j].name, d[i].name, n) == 0)
			return 1;
	return 0;
}

/*
 * Top-level directives first, then each section in the order of its first
 * directive, whole, wherever its directives sit in the table.
 */
static void
print_reference(int markdown)
{
	struct config *cfg = runtime_config_defaults();
	const struct config_directive *d;
	size_t n, i, j, len;

	d = config_directives(cfg, &n);
	if (markdown) {
		printf("### Top-level keys\n\n"
		    "| Key | Type | Default | Meaning |\n"
		    "|-----|------|---------|---------|\n");
	} else
		printf("# Sampark configuration.  Every directive is listed "
		    "at its default, commented\n# out: uncomment a line to "
		    "change it.  Relative paths are relative to\n# this file's "
		    "directory.  Secrets never go here: they come from the\n"
		    "# environment variables named by the *_env keys (see "
		    "/etc/sampark/secrets.env).\n# Check your changes with "
		    "`sampark check-config -c THIS_FILE`.\n");
	for (i = 0; i < n; i++)
		if (section_len(d[i].name) == 0) {
			if (markdown)
				markdown_row(&d[i]);
			else
				conf_entry(&d[i], d[i].name);
		}
	for (i = 0; i < n; i++) {
		if ((len = section_len(d[i].name)) == 0 || section_seen(d, i))
			continue;
		if (markdown)
			printf("\n### [%.*s]\n\n"
			    "| Key | Type | Default | Meaning |\n"
			    "|-----|------|---------|---------|\n",
			    (int)len, d[i].name);
		else
			printf("\n[%.*s]\n", (int)len, d[i].name);
		for (j = i; j < n; j++) {
			if (section_len(d[j].name) != len ||
			    strncmp(d[j].name, d[i].name, len) != 0)
				continue;
			if (markdown)
				markdown_row(&d[j]);
			else
				conf_entry(&d[j], d[j].name + len + 1);
		}
	}
	config_free(cfg);
}

int
cmd_config_reference(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, markdown = 1;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "markdown") == 0)
				markdown = 1;
			else if (strcmp(optarg, "conf") == 0)
				markdown = 0;
			else {
				fputs(reference_usage, stderr);
				return 2;
			}
			break;
		case 'h':
			fputs(reference_usage, stdout);
			return 0;
		default:
			fputs(reference_usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fputs(reference_usage, stderr);
		return 2;
	}
	print_reference(markdown);
	return 0;
}
