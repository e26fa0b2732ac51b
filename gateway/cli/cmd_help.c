/*
 * cmd_help: `sampark help`, the commands of cmd_table with their
 * summaries; `sampark help COMMAND`, the usage `sampark COMMAND --help`
 * prints; `sampark help config`, the reference of every directive written
 * from the directive table itself, as Markdown (the tables of
 * docs/configuration.md) or as a commented sampark.conf (what `make
 * install` puts in /etc/sampark).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "runtime.h"
#include "util.h"

static const char reference_usage[] =
    "usage: sampark help config [--format markdown|conf]\n"
    "\n"
    "Prints every configuration directive with its type, default and\n"
    "meaning: as Markdown tables (the reference in docs/configuration.md)\n"
    "or as a sampark.conf in which every directive is commented out at its\n"
    "default.\n";

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

static int
config_reference(int argc, char **argv)
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

/* ---- the commands ---- */

static int
run_help(int argc, char **argv)
{
	const struct cmd_desc *c;
	int width = 12;
	size_t i;

	if (argc >= 2 && strcmp(argv[1], "config") == 0)
		return config_reference(argc - 1, argv + 1);
	if (argc >= 2 && argv[1][0] != '-') {
		if ((c = cmd_table_find(argv[1])) == NULL) {
			fprintf(stderr, "sampark: no command \"%s\" (try "
			    "`sampark help`)\n", argv[1]);
			return 2;
		}
		if (c->usage != NULL) {
			fputs(c->usage, stdout);
			return 0;
		}
	}
	printf("Sampark — SMS gateway for entrepreneur outreach\n\n"
	    "usage: sampark COMMAND [OPTIONS]\n\n");
	/* The summaries in one column, past the longest name. */
	for (i = 0; cmd_table[i] != NULL; i++)
		if ((int)strlen(cmd_table[i]->name) > width)
			width = (int)strlen(cmd_table[i]->name);
	for (i = 0; cmd_table[i] != NULL; i++)
		printf("  %-*s %s\n", width, cmd_table[i]->name,
		    cmd_table[i]->summary);
	printf("\n`sampark COMMAND --help` (or `sampark help COMMAND`) "
	    "describes each command;\n`sampark help config` lists every "
	    "configuration directive.\n");
	return 0;
}

const struct cmd_desc cmd_help = {
	.name = "help",
	.summary = "list the commands",
	.usage = NULL,
	.run = run_help,
};
