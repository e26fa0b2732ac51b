/*
 * cmd_templates: `sampark templates [--replies|--broadcasts] [--lang L]`,
 * every text Sampark sends as the DLT content template that must be
 * registered for it, with its category and the id configured for it.
 *
 * Each template is a header line, then its text exactly as it must be
 * pasted into the DLT portal (it may span lines), then an empty line:
 *
 *     == reply info.list.2.more (hi) service-implicit UNREGISTERED
 *     {#var#} में {#var#} (2):
 *     ...
 *
 * --json prints the same as one JSON array, for scripts.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "reply_templates.h"
#include "runtime.h"
#include "templates.h"
#include "util.h"

static const char templates_usage[] =
    "usage: sampark templates [-c FILE] [--replies|--broadcasts] "
    "[--lang hi|en] [--json]\n"
    "\n"
    "Prints every template Sampark sends as it must be registered on a DLT\n"
    "portal: replies (built from prompts/ and the districts) and broadcasts\n"
    "(templates.conf), each with its category (service-implicit,\n"
    "service-explicit or promotional) and the DLT template id configured for\n"
    "it (reply_templates.conf, templates.conf) or UNREGISTERED.  Each\n"
    "{#var#} holds 1 to 30 characters; a name or meeting title spans two.\n"
    "  -c, --config FILE    configuration file (default config/sampark.conf)\n"
    "  --replies            only the replies\n"
    "  --broadcasts         only the broadcasts\n"
    "  --lang L             only the templates of language L\n"
    "  --json               a JSON array of {kind, key, lang, category,\n"
    "                       dlt_template_id, text}\n"
    "  --db PATH            accepted like every command; no database is read\n";

/* templates.conf's categories on the DLT portal's terms. */
static const char *
broadcast_category(enum templates_category c)
{
	/* Coalition members who joined: an existing relationship. */
	return c == TEMPLATES_PROMOTIONAL ? "promotional" : "service-implicit";
}

struct printer {
	int	 json;
	size_t	 n;
	struct buf out;
};

static void
emit(struct printer *p, const char *kind, const char *key, const char *lang,
    const char *category, const char *id, const char *text)
{
	if (!p->json) {
		printf("== %s %s (%s) %s %s\n%s\n\n", kind, key, lang, category,
		    id != NULL ? id : "UNREGISTERED", text);
		p->n++;
		return;
	}
	buf_puts(&p->out, p->n++ ? ",\n" : "[\n");
	buf_puts(&p->out, "{\"kind\": ");
	buf_json_string(&p->out, kind);
	buf_puts(&p->out, ", \"key\": ");
	buf_json_string(&p->out, key);
	buf_puts(&p->out, ", \"lang\": ");
	buf_json_string(&p->out, lang);
	buf_puts(&p->out, ", \"category\": ");
	buf_json_string(&p->out, category);
	buf_puts(&p->out, ", \"dlt_template_id\": ");
	if (id != NULL)
		buf_json_string(&p->out, id);
	else
		buf_puts(&p->out, "null");
	buf_puts(&p->out, ", \"text\": ");
	buf_json_string(&p->out, text);
	buf_putc(&p->out, '}');
}

static int
run_templates(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "replies", no_argument, NULL, 'r' },
		{ "broadcasts", no_argument, NULL, 'b' },
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *lang = NULL;
	int replies = 1, broadcasts = 1, ch;
	struct sp_runtime *rt;
	struct printer p;
	struct buf errors;
	size_t i, j;

	optind = 1;
	memset(&p, 0, sizeof(p));
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'r':
			broadcasts = 0;
			break;
		case 'b':
			replies = 0;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'j':
			p.json = 1;
			break;
		case 'd':
			/* Read nothing from it; taken like every command. */
			break;
		case 'h':
			printf("%s", templates_usage);
			return 0;
		default:
			fprintf(stderr, "%s", templates_usage);
			return 2;
		}
	}
	if (optind != argc || (!replies && !broadcasts)) {
		fprintf(stderr, "%s", templates_usage);
		return 2;
	}
	buf_init(&errors, 0);
	/* Without -c, the daemon's config, as every command reads it. */
	config_path = cmd_config_path(config_path);
	if ((rt = runtime_load(config_path, NULL, 0, &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		buf_free(&errors);
		return 1;
	}
	buf_init(&p.out, 0);
	for (i = 0; replies && i < reply_templates_count(rt->replies); i++) {
		const struct reply_template *t =
		    reply_templates_at(rt->replies, i);

		if (lang == NULL || strcmp(lang, t->lang) == 0)
			emit(&p, "reply", t->key, t->lang, t->category,
			    t->dlt_id, t->registered);
	}
	for (i = 0; broadcasts && i < templates_count(rt->templates); i++) {
		const struct template *t = templates_at(rt->templates, i);

		for (j = 0; j < t->ntexts; j++)
			if (lang == NULL || strcmp(lang, t->texts[j].lang) == 0)
				emit(&p, "broadcast", t->key, t->texts[j].lang,
				    broadcast_category(t->category),
				    t->texts[j].dlt_id, t->texts[j].registered);
	}
	if (p.json) {
		buf_puts(&p.out, p.n ? "\n]\n" : "[]\n");
		fputs(buf_cstr(&p.out), stdout);
	}
	buf_free(&p.out);
	buf_free(&errors);
	runtime_free(rt);
	return 0;
}

const struct cmd_desc cmd_templates = {
	.name = "templates",
	.summary = "print every SMS template as it must be registered on DLT",
	.usage = templates_usage,
	.run = run_templates,
};
