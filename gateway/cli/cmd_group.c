/*
 * cmd_group: `sampark group ...`, named groups of contacts for broadcasts
 * to group:NAME: create, add, remove, list, show, delete.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "cmd.h"
#include "config.h"
#include "phone.h"
#include "store.h"
#include "util.h"

static const char group_usage[] =
    "usage: sampark group create NAME\n"
    "       sampark group add NAME PHONE...\n"
    "       sampark group remove NAME PHONE...\n"
    "       sampark group list\n"
    "       sampark group show NAME [--reveal-phones]\n"
    "       sampark group delete NAME\n"
    "       (each also takes -c CONFIG and --db PATH)\n"
    "\n"
    "Named groups of contacts, for broadcasts to group:NAME.  Names are\n"
    "1-64 of a-z 0-9 - _ . (folded to lower case).  A phone added that\n"
    "never wrote becomes a contact.\n";

static int
print_group(void *arg, const struct store_group *g)
{
	char when[32];

	(void)arg;
	util_iso8601(g->created_ms, when);
	printf("%-32s %8lld  %s\n", g->name, (long long)g->members, when);
	return 0;
}

/* Add or remove phones[0..n); 0 if every one was a valid number. */
static int
members(struct store *st, const struct config *cfg, const char *name,
    char **phones, int n, int add)
{
	char e164[PHONE_E164_MAX + 1], why[128];
	int i, rc, bad = 0;

	if (store_begin(st) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (phone_to_e164(phones[i], config_str(cfg,
		    "default_country"), e164, sizeof(e164), why,
		    sizeof(why)) == -1) {
			fprintf(stderr, "sampark: bad phone \"%s\": %s\n",
			    phones[i], why);
			bad = 1;
			continue;
		}
		rc = add ? store_group_add(st, name, e164, util_wall_ms()) :
		    store_group_remove(st, name, e164);
		if (rc == -1) {
			store_rollback(st);
			return -1;
		}
		printf("%s %s: %s\n", add ? "add" : "remove", phones[i],
		    rc == 1 ? "done" : add ? "already a member" :
		    "not a member");
	}
	if (bad) {
		/* All or nothing, as for imports. */
		store_rollback(st);
		fprintf(stderr, "sampark: nothing changed\n");
		return 1;
	}
	return store_commit(st);
}

static int
group_run(struct store *st, const struct config *cfg, const char *verb,
    const char *name, char **rest, int nrest, int reveal)
{
	struct store_group g;
	char *expr;
	int rc;

	if (strcmp(verb, "list") == 0) {
		printf("%-32s %8s  %s\n", "GROUP", "MEMBERS", "CREATED");
		return store_groups_list(st, print_group, NULL) == -1 ? -1 : 0;
	}
	if (strcmp(verb, "create") == 0) {
		if ((rc = store_group_create(st, name, util_wall_ms())) == -1)
			return -1;
		printf("group %s %s\n", name, rc ? "created" : "already exists");
		return 0;
	}
	if ((rc = store_group_get(st, name, &g)) != 1) {
		if (rc == 0)
			fprintf(stderr, "sampark: no group \"%s\"\n", name);
		return rc == 0 ? 1 : -1;
	}
	if (strcmp(verb, "add") == 0 || strcmp(verb, "remove") == 0) {
		store_group_clear(&g);
		return members(st, cfg, name, rest, nrest,
		    strcmp(verb, "add") == 0);
	}
	if (strcmp(verb, "delete") == 0) {
		store_group_clear(&g);
		if (store_group_delete(st, name) == -1)
			return -1;
		printf("group %s deleted\n", name);
		return 0;
	}
	/* show */
	printf("group %s: %lld member%s\n", g.name, (long long)g.members,
	    g.members == 1 ? "" : "s");
	store_group_clear(&g);
	expr = xasprintf("group:%s", name);
	rc = cmd_contacts_list(st, expr, reveal);
	free(expr);
	return rc;
}

static int
run_group(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "reveal-phones", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char	*verb;
		int		 min, max;	/* operands after the verb */
	} verbs[] = {
		{ "create", 1, 1 }, { "add", 2, -1 }, { "remove", 2, -1 },
		{ "list", 0, 0 }, { "show", 1, 1 }, { "delete", 1, 1 },
	};
	const char *config_path = NULL, *db = NULL, *verb;
	struct config *cfg;
	struct store *st;
	char err[256], *name = NULL;
	int ch, reveal = 0, rc, nops;
	size_t i;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'r': reveal = 1; break;
		case 'h': fputs(group_usage, stdout); return 0;
		default: fputs(group_usage, stderr); return 2;
		}
	}
	if (optind >= argc) {
		fputs(group_usage, stderr);
		return 2;
	}
	verb = argv[optind];
	nops = argc - optind - 1;
	for (i = 0; i < SP_ARRAY_LEN(verbs); i++)
		if (strcmp(verb, verbs[i].verb) == 0)
			break;
	if (i == SP_ARRAY_LEN(verbs) || nops < verbs[i].min ||
	    (verbs[i].max >= 0 && nops > verbs[i].max)) {
		fputs(group_usage, stderr);
		return 2;
	}
	if (nops > 0 && (name = audience_name_normalize(argv[optind + 1], err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "sampark: bad group name \"%s\": %s\n",
		    argv[optind + 1], err);
		return 2;
	}
	if ((cfg = cmd_config_for(config_path, db)) == NULL) {
		free(name);
		return 1;
	}
	/* Listing and showing only read: no database is made for them. */
	if ((st = strcmp(verb, "list") == 0 || strcmp(verb, "show") == 0 ?
	    cmd_open_store_existing(cfg, db) : cmd_open_store(cfg, db)) == NULL) {
		config_free(cfg);
		free(name);
		return 1;
	}
	rc = group_run(st, cfg, verb, name, argv + optind + 2,
	    nops > 1 ? nops - 1 : 0, reveal);
	if (rc == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(st));
		rc = 1;
	}
	store_close(st);
	config_free(cfg);
	free(name);
	return rc;
}

const struct cmd_desc cmd_group = {
	.name = "group",
	.summary = "create, fill, list and delete named groups",
	.usage = group_usage,
	.run = run_group,
};
