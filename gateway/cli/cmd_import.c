/*
 * cmd_import: `sampark import stakeholders FILE.csv` and `sampark import
 * contacts FILE.csv`.  The whole file is checked first and every bad row
 * reported as FILE:LINE: reason; only a clean file is imported, in one
 * transaction (stakeholders replace the directory; contacts are added or
 * updated, with their groups).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "import_rows.h"
#include "config.h"
#include "csv.h"
#include "audience.h"
#include "district.h"
#include "keywords.h"
#include "phone.h"
#include "prompts.h"
#include "reply_templates.h"
#include "store.h"
#include "util.h"

static const char import_usage[] =
    "usage: sampark import stakeholders FILE.csv [-c CONFIG] [--db PATH] [--if-empty]\n"
    "                                    [--strict]\n"
    "       sampark import contacts FILE.csv [-c CONFIG] [--db PATH]\n"
    "\n"
    "Replaces the stakeholder directory with FILE.csv, whose header is\n"
    "  name,category,district,phone,languages\n"
    "category is one named in keywords.conf (loan, training, market...) or\n"
    "any word that leads to it (Loan, karza), district a key, name or alias\n"
    "of districts.csv (Bhadohi, भदोही) or * for all districts, phone any\n"
    "number form (stored as E.164), languages e.g. hi|en|bho, \"hi, en\" or\n"
    "Hindi; English.  (The former description columns are left out with a\n"
    "note.)  Every problem of every row is reported as\n"
    "FILE:LINE: column: reason and nothing is imported.  To merge into the\n"
    "directory instead of replacing it, see `sampark directory import`.\n"
    "Replies carry a name and a phone as DLT variables of 30 characters: a\n"
    "name of 31 to 60 is sent over two (a warning shows how the reply will\n"
    "look); a longer name or phone could never be sent, and is an error.\n"
    "  --if-empty   import only into a database that has no directory yet\n"
    "  --strict     a name over 30 characters is an error too\n"
    "\n"
    "contacts adds or updates contacts from FILE.csv, whose header is\n"
    "  phone,name,district,language,role,groups\n"
    "phone is required; an empty field leaves what a known contact has.\n"
    "district is a key of districts.csv, language hi or en, role\n"
    "entrepreneur or coordinator, groups names joined by | (created when\n"
    "missing).  Opt-outs are never changed by an import.\n";

/* Each line of text on stderr, the first after "FILE: what: ". */
static void
say_lines(const char *path, const char *what, const char *text)
{
	const char *nl;
	int first = 1;

	for (; *text != '\0'; text = *nl ? nl + 1 : nl, first = 0) {
		nl = text + strcspn(text, "\n");
		if (first)
			cmd_problem("%s: %s: %.*s", path, what,
			    (int)(nl - text), text);
		else
			cmd_problem("%.*s", (int)(nl - text), text);
	}
}

/*
 * What replies (the prompts pr) will make of each row's DLT variables, on
 * stderr: 0 fine to import, -1 not (a field too long for any reply, or
 * over one variable with strict).
 */
static int
check_dlt_fit(const struct prompts *pr, const struct import_rows *ic,
    int strict)
{
	struct buf out;
	size_t i, warned = 0, bad = 0;
	int fit;

	for (i = 0; i < ic->n; i++) {
		buf_init(&out, 0);
		fit = reply_templates_stakeholder_fit(pr, "en", &ic->rows[i],
		    &out);
		if (fit != 0)
			say_lines(ic->path, fit == 2 ? "error" : strict ?
			    "error (--strict)" : "warning", buf_cstr(&out));
		bad += fit == 2 || (fit == 1 && strict);
		warned += fit == 1 && !strict;
		buf_free(&out);
	}
	if (bad == 0 && warned > 0)
		fprintf(stderr, "sampark: %zu name%s over 30 characters: "
		    "replies carry each over two DLT variables, as shown; "
		    "--strict refuses them\n", warned, warned > 1 ? "s" : "");
	return bad > 0 ? -1 : 0;
}

static int
import_stakeholders(const char *path, const char *config_path,
    const char *db, int if_empty, int strict)
{
	struct config *cfg = NULL;
	struct keywords_table *kw = NULL;
	struct district_table *dt = NULL;
	struct store *st = NULL;
	struct prompts *pr = NULL;
	struct import_rows ic;
	struct buf errors;
	int64_t existing;
	int rc = 1;

	memset(&ic, 0, sizeof(ic));
	buf_init(&errors, 0);
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		goto out;
	kw = keywords_load(config_str(cfg, "keywords"), &errors);
	dt = district_load(config_str(cfg, "districts"), &errors);
	if (kw == NULL || dt == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		goto out;
	}
	if ((st = cmd_open_store(cfg, db)) == NULL)
		goto out;
	if (if_empty) {
		if (store_stakeholders_count(st, &existing) == -1)
			goto out;
		if (existing > 0) {
			printf("directory already holds %lld stakeholders; "
			    "not importing %s\n", (long long)existing, path);
			rc = 0;
			goto out;
		}
	}
	/* The replies the rows must fit: a fault of the configuration,
	 * said as one before the file is blamed for anything. */
	if ((pr = prompts_load(config_str(cfg, "prompts_dir"),
	    &errors)) == NULL) {
		fprintf(stderr, "%ssampark: cannot load the reply prompts from "
		    "prompts_dir %s (the configuration is at fault, not %s); "
		    "nothing imported\n", buf_cstr(&errors),
		    config_str(cfg, "prompts_dir"), path);
		goto out;
	}
	ic.path = path;
	ic.kw = kw;
	ic.dt = dt;
	ic.cc = config_str(cfg, "default_country");
	if (import_rows_stakeholders(&ic) == -1 ||
	    check_dlt_fit(pr, &ic, strict) == -1) {
		fprintf(stderr, "sampark: %s has errors; nothing imported\n",
		    path);
		goto out;
	}
	if (store_stakeholders_replace(st, ic.rows, ic.n, path) == -1) {
		fprintf(stderr, "sampark: import failed: %s\n",
		    store_errmsg(st));
		goto out;
	}
	printf("imported %zu stakeholders from %s\n", ic.n, path);
	rc = 0;
out:
	import_rows_clear(&ic);
	store_close(st);
	prompts_free(pr);
	district_free(dt);
	keywords_free(kw);
	config_free(cfg);
	buf_free(&errors);
	return rc;
}

static int
import_contacts(const char *path, const char *config_path, const char *db)
{
	struct config *cfg = NULL;
	struct district_table *dt = NULL;
	struct store *st = NULL;
	struct import_rows ic;
	struct buf errors;
	int rc = 1;

	memset(&ic, 0, sizeof(ic));
	buf_init(&errors, 0);
	if ((cfg = cmd_config_for(config_path, db)) == NULL)
		goto out;
	if ((dt = district_load(config_str(cfg, "districts"),
	    &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		goto out;
	}
	ic.path = path;
	ic.dt = dt;
	ic.cc = config_str(cfg, "default_country");
	if (import_rows_contacts(&ic) == -1) {
		fprintf(stderr, "sampark: %s has errors; nothing imported\n",
		    path);
		goto out;
	}
	if ((st = cmd_open_store(cfg, db)) == NULL)
		goto out;
	if (store_begin(st) == -1 ||
	    store_contacts_import(st, ic.contacts, ic.ncontacts,
	    util_wall_ms()) == -1 || store_commit(st) == -1) {
		fprintf(stderr, "sampark: import failed: %s\n",
		    store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	printf("imported %zu contacts from %s\n", ic.ncontacts, path);
	rc = 0;
out:
	import_rows_clear(&ic);
	store_close(st);
	district_free(dt);
	config_free(cfg);
	buf_free(&errors);
	return rc;
}

static int
run_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "if-empty", no_argument, NULL, 'e' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL;
	int ch, if_empty = 0, strict = 0;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'e': if_empty = 1; break;
		case 's': strict = 1; break;
		case 'h': fputs(import_usage, stdout); return 0;
		default: fputs(import_usage, stderr); return 2;
		}
	}
	if (argc - optind == 2 && strcmp(argv[optind], "contacts") == 0) {
		if (if_empty || strict) {
			fputs(import_usage, stderr);
			return 2;
		}
		return import_contacts(argv[optind + 1], config_path, db);
	}
	if (argc - optind != 2 || strcmp(argv[optind], "stakeholders") != 0) {
		fputs(import_usage, stderr);
		return 2;
	}
	return import_stakeholders(argv[optind + 1], config_path, db,
	    if_empty, strict);
}

const struct cmd_desc cmd_import = {
	.name = "import",
	.summary = "load the stakeholder directory or contacts from a CSV file",
	.usage = import_usage,
	.run = run_import,
};
