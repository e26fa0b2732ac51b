/*
 * cmd_explain: `sampark explain TEXT`, what Sampark makes of a message:
 * its normalised words, what each matched, the decision and the reply
 * that would be sent.  For coordinators tuning lexicon.conf.
 *
 * It writes nothing: the message is routed against a copy of the
 * database (store_backup into a temporary directory, removed after), or,
 * when there is no database yet, against a temporary one holding the
 * sample directory named by `stakeholders`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "directory.h"
#include "district.h"
#include "handler.h"
#include "keywords.h"
#include "handler_env.h"
#include "router.h"
#include "runtime.h"
#include "store.h"
#include "text.h"
#include "understand.h"
#include "util.h"

static const char explain_usage[] =
    "usage: sampark explain [-c FILE] [--db PATH] [--phone NUMBER] TEXT...\n"
    "\n"
    "Prints the normalised words of TEXT, what each matched (keyword,\n"
    "synonym, scheme, district, filler, fuzzy with its distance, unknown),\n"
    "the decision and the reply that would be sent to NUMBER (her saved\n"
    "district, language and pending question count, as they would).\n"
    "Nothing is written: the reply is worked out on a copy of the\n"
    "database, removed afterwards.\n"
    "  -c, --config FILE    configuration file (default config/sampark.conf)\n"
    "  --db PATH            the database to copy, overriding `db`\n"
    "  --phone NUMBER       the sender (default +910000000000)\n";

static const char *const action_names[] = {
	[UNDERSTAND_ACT_UNKNOWN] = "not understood",
	[UNDERSTAND_ACT_HELP] = "menu (greeting)",
	[UNDERSTAND_ACT_INFO] = "information",
	[UNDERSTAND_ACT_CHOOSE] = "ask which category",
	[UNDERSTAND_ACT_DISTRICT] = "district only",
	[UNDERSTAND_ACT_COMMAND] = "command",
	[UNDERSTAND_ACT_UNSERVED] = "district not served",
};

static void
print_words(const char *norm, const struct understand_result *u)
{
	char origin[160];
	size_t i, w;

	printf("normalised: %s\n", norm);
	for (i = 0; i < u->ntok; i++) {
		const struct understand_token *t = &u->tok[i];

		printf("  ");
		if (t->nwords == 0)
			printf("%-24s", "(emoji)");
		else {
			int n = 0;

			for (w = t->word; w < t->word + t->nwords; w++)
				n += printf("%s%.*s", w > t->word ? " " : "",
				    (int)u->nlen[w], norm + u->nstart[w]);
			printf("%*s", n < 24 ? 24 - n : 1, "");
		}
		printf("%s", t->fuzzy ? "fuzzy" : understand_how_name(t->how));
		if (t->fuzzy)
			printf(" (%d edit%s, %s)", t->fuzzy, t->fuzzy > 1 ?
			    "s" : "", understand_how_name(t->how));
		if (t->kw != NULL)
			printf(" -> %s", t->kw->name);
		if (t->district != NULL)
			printf(" -> %s", t->district->key);
		if (*understand_origin(t, origin, sizeof(origin)) != '\0')
			printf(" (%s)", origin);
		printf("\n");
	}
	printf("decision: %s", action_names[u->action]);
	if (u->kw != NULL)
		printf(" %s", u->kw->name);
	if (u->kw2 != NULL)
		printf(" / %s", u->kw2->name);
	if (u->district != NULL)
		printf(", district %s", u->district->key);
	if (u->unserved != NULL)
		printf(", district %s (not served)", u->unserved->name_en);
	printf("\n");
}

/* The sample directory into an empty store; 0 or -1. */
/* A throwaway store in dir: a copy of the database, or the sample. */
static struct store *
scratch_store(const struct sp_runtime *rt, const char *db, const char *dir)
{
	char *copy = xasprintf("%s/explain.db", dir), why[256];
	struct store *st = NULL, *orig;
	int64_t pages;

	if (access(db, F_OK) == 0) {
		if ((orig = cmd_open_store(rt->cfg, db)) == NULL)
			goto out;
		if (store_backup(orig, copy, &pages) == -1) {
			store_close(orig);
			goto out;
		}
		store_close(orig);
		st = store_open(copy, NULL, NULL, 0);
	} else {
		st = store_open(copy, NULL, NULL, 0);
		if (st != NULL && directory_import_csv(st, config_str(rt->cfg,
		    "stakeholders"), why, sizeof(why)) == -1)
			printf("(no database and no sample directory: no "
			    "stakeholders)\n");
	}
out:
	free(copy);
	return st;
}

static int
run_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "phone", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL;
	const char *phone = "+910000000000", *db = NULL;
	char dir[] = "/tmp/sampark-explain-XXXXXX", *cmd;
	struct sp_runtime *rt;
	struct router_result res;
	struct understand_result *u;
	struct store *st = NULL;
	struct directory *directory = NULL;
	struct sp_ctx ctx;
	struct handler_env env = { 0 };
	struct buf text, errors;
	char *norm;
	size_t i;
	int ch, rc = 1, made = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'p':
			phone = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'h':
			fputs(explain_usage, stdout);
			return 0;
		default:
			fputs(explain_usage, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs(explain_usage, stderr);
		return 2;
	}
	buf_init(&text, 0);
	for (i = (size_t)optind; i < (size_t)argc; i++)
		buf_printf(&text, "%s%s", i > (size_t)optind ? " " : "",
		    argv[i]);
	buf_init(&errors, 0);
	config_path = cmd_config_path(config_path);
	if ((rt = runtime_load(config_path, NULL, 0, &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		buf_free(&errors);
		buf_free(&text);
		return 1;
	}
	buf_free(&errors);
	if ((norm = text_normalize(buf_cstr(&text), text.len)) == NULL) {
		fprintf(stderr, "sampark: the text is not valid UTF-8\n");
		goto out;
	}
	made = mkdtemp(dir) != NULL;
	if (!made || (st = scratch_store(rt, db ? db : config_str(rt->cfg,
	    "db"), dir)) == NULL) {
		fprintf(stderr, "sampark: no scratch database for the reply\n");
		free(norm);
		goto out;
	}
	/* The words of the stakeholders' names count, as in the daemon. */
	directory = directory_load(st);
	directory_teach(directory, rt->understand);
	u = xmalloc(sizeof(*u));
	understand_message(rt->understand, buf_cstr(&text), norm, u);
	print_words(norm, u);
	free(u);
	free(norm);

	memset(&ctx, 0, sizeof(ctx));
	env.store = st;
	ctx.ops = &handler_env_ops;
	ctx.ops_arg = &env;
	ctx.keywords = rt->keywords;
	ctx.districts = rt->districts;
	ctx.understand = rt->understand;
	ctx.prompts = rt->prompts;
	ctx.default_language = config_str(rt->cfg, "default_language");
	ctx.segment_budget = (unsigned)config_int(rt->cfg, "segment_budget");
	ctx.now_ms = util_wall_ms();
	ctx.pending_ms = config_int(rt->cfg, "pending_minutes") * 60000;
	ctx.more_ms = config_int(rt->cfg, "more_minutes") * 60000;
	if (router_route(&ctx, phone, buf_cstr(&text), &res) == -1) {
		fprintf(stderr, "sampark: routing failed\n");
		goto out;
	}
	printf("handler: %s (language %s)\n", res.handler, res.language);
	if (res.reply.n == 0)
		printf("reply: (nothing is sent)\n");
	for (i = 0; i < res.reply.n; i++)
		printf("reply: %s\n", res.reply.texts[i]);
	router_result_clear(&res);
	rc = 0;
out:
	directory_free(directory);
	store_close(st);
	if (made) {
		cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "sampark: could not remove %s\n", dir);
		free(cmd);
	}
	runtime_free(rt);
	buf_free(&text);
	return rc;
}

const struct cmd_desc cmd_explain = {
	.name = "explain",
	.summary = "what Sampark makes of a message, word by word, and its reply",
	.usage = explain_usage,
	.run = run_explain,
};
