/*
 * cmd_contacts: `sampark contacts`, the contacts, optionally of a district
 * and/or group (`sampark group show` lists a group's with the same
 * function).  Phones are masked but for the last four digits unless
 * --reveal-phones: the listing is often read over a shoulder or pasted
 * into a chat.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "cmd.h"
#include "config.h"
#include "phone.h"
#include "resolve.h"
#include "store.h"
#include "util.h"

static const char contacts_usage[] =
    "usage: sampark contacts [--district D] [--group G] [--reveal-phones]\n"
    "                        [-c CONFIG] [--db PATH]\n"
    "\n"
    "Lists contacts (opted-out ones too, marked), in phone order.\n"
    "  --district D      only contacts of district D (key, name or alias)\n"
    "  --group G         only members of group G (key or display name)\n"
    "  --reveal-phones   show whole numbers (default: last 4 digits)\n";

struct list_opts {
	int	reveal;
	size_t	n;
};

static int
print_contact(void *arg, const struct contact *c)
{
	struct list_opts *lo = arg;
	char phone[64], when[32], *name, *district;

	if (lo->reveal)
		util_strlcpy(phone, c->phone, sizeof(phone));
	else
		phone_mask(c->phone, phone, sizeof(phone));
	if (c->opted_out_ms != 0)
		util_iso8601(c->opted_out_ms, when);
	/* A name is whatever she texted after NAME. */
	name = buf_term_dup(c->name ? c->name : "-");
	district = buf_term_dup(c->district ? c->district : "-");
	printf("%-16s %-24s %-12s %-4s %-12s %s\n", phone, name, district,
	    c->language ? c->language : "-", c->role ? c->role : "-",
	    c->opted_out_ms ? when : "-");
	free(name);
	free(district);
	lo->n++;
	return 0;
}

int
cmd_contacts_list(struct store *st, const char *expr, int reveal)
{
	struct audience *a;
	struct list_opts lo = { reveal, 0 };
	char err[256];
	int rc;

	if ((a = audience_parse(expr, err, sizeof(err))) == NULL) {
		fprintf(stderr, "sampark: %s: %s\n", expr, err);
		return 2;
	}
	printf("%-16s %-24s %-12s %-4s %-12s %s\n", "PHONE", "NAME",
	    "DISTRICT", "LANG", "ROLE", "OPTED OUT");
	rc = store_audience_each(st, a, 1, print_contact, &lo);
	audience_free(a);
	if (rc == -1) {
		fprintf(stderr, "sampark: %s\n", store_errmsg(st));
		return 1;
	}
	printf("%zu contact%s\n", lo.n, lo.n == 1 ? "" : "s");
	return 0;
}

static int
run_contacts(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "district", required_argument, NULL, 'D' },
		{ "group", required_argument, NULL, 'g' },
		{ "reveal-phones", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL, *district = NULL,
	    *group = NULL;
	struct config *cfg;
	struct store *st = NULL;
	char *expr = NULL, *dkey = NULL, *gkey = NULL, err[512];
	int ch, reveal = 0, rc = 1;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'D': district = optarg; break;
		case 'g': group = optarg; break;
		case 'r': reveal = 1; break;
		case 'h': fputs(contacts_usage, stdout); return 0;
		default: fputs(contacts_usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(contacts_usage, stderr);
		return 2;
	}
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		return 1;
	/* The database first: with none, that is what she must hear. */
	if ((st = cmd_open_store_existing(cfg, db)) == NULL)
		goto out;
	/* Any spelling of a district, a group by key or display name; a
	 * typo is named, not listed as nobody. */
	if (district != NULL && (dkey = cmd_district_key(cfg, "--district",
	    district)) == NULL)
		goto out;
	if (group != NULL && resolve_group(st, group, &gkey, err,
	    sizeof(err)) != 1) {
		cmd_problem("sampark: --group: %s", err);
		goto out;
	}
	if (dkey != NULL && gkey != NULL)
		expr = xasprintf("district:%s+group:%s", dkey, gkey);
	else if (dkey != NULL)
		expr = xasprintf("district:%s", dkey);
	else if (gkey != NULL)
		expr = xasprintf("group:%s", gkey);
	else
		expr = xstrdup("all");
	rc = cmd_contacts_list(st, expr, reveal);
out:
	store_close(st);
	config_free(cfg);
	free(expr);
	free(dkey);
	free(gkey);
	return rc;
}

const struct cmd_desc cmd_contacts = {
	.name = "contacts",
	.summary = "list contacts, by district or group",
	.usage = contacts_usage,
	.run = run_contacts,
};
