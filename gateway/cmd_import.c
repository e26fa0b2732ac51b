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
#include "config.h"
#include "csv.h"
#include "audience.h"
#include "district.h"
#include "keywords.h"
#include "phone.h"
#include "store.h"
#include "util.h"

static const char import_usage[] =
    "usage: sampark import stakeholders FILE.csv [-c CONFIG] [--db PATH] [--if-empty]\n"
    "       sampark import contacts FILE.csv [-c CONFIG] [--db PATH]\n"
    "\n"
    "Replaces the stakeholder directory with FILE.csv, whose header is\n"
    "  name,category,district,phone,languages,description_en,description_hi\n"
    "category is one named in keywords.conf (loan, training, market...),\n"
    "district a key of districts.csv or * for all districts, phone any\n"
    "number form (stored as E.164), languages e.g. hi|en|bho.  Every bad row\n"
    "is reported as FILE:LINE: reason and nothing is imported.\n"
    "  --if-empty   import only into a database that has no directory yet\n"
    "\n"
    "contacts adds or updates contacts from FILE.csv, whose header is\n"
    "  phone,name,district,language,role,groups\n"
    "phone is required; an empty field leaves what a known contact has.\n"
    "district is a key of districts.csv, language hi or en, role\n"
    "entrepreneur or coordinator, groups names joined by | (created when\n"
    "missing).  Opt-outs are never changed by an import.\n";

static const char *const header[] = { "name", "category", "district",
    "phone", "languages", "description_en", "description_hi" };
static const char *const contact_header[] = { "phone", "name", "district",
    "language", "role", "groups" };

/* What a row checker gets besides the row. */
struct import_ctx {
	const char		*path;
	const struct kw_table	*kw;
	const struct district_table *dt;
	const char		*cc;
	/* stakeholders */
	struct store_stakeholder *rows;
	size_t			 n;
	/* contacts: the strings of contacts[] live in strings[] */
	struct store_contact_import *contacts;
	size_t			 ncontacts;
	char			**strings;
	size_t			 nstrings;
};

static const char *
keep(struct import_ctx *ic, char *s)
{
	ic->strings = xreallocarray(ic->strings, ic->nstrings + 1,
	    sizeof(*ic->strings));
	ic->strings[ic->nstrings++] = s;
	return s;
}

static void
import_ctx_clear(struct import_ctx *ic)
{
	size_t i;

	store_stakeholders_free(ic->rows, ic->n);
	for (i = 0; i < ic->ncontacts; i++)
		free((void *)ic->contacts[i].groups);
	free(ic->contacts);
	for (i = 0; i < ic->nstrings; i++)
		free(ic->strings[i]);
	free(ic->strings);
}

static int
known_category(const struct kw_table *kw, const char *c)
{
	size_t i;

	for (i = 0; i < kw_count(kw); i++) {
		const struct keyword *k = kw_at(kw, i);

		if (k->category != NULL && strcmp(k->category, c) == 0)
			return 1;
	}
	return 0;
}

/* "hi|en|bho": ISO 639 codes (2 or 3 lower-case letters) joined by '|'. */
static int
valid_languages(const char *s)
{
	size_t run = 0;

	for (;; s++) {
		if (*s >= 'a' && *s <= 'z') {
			run++;
		} else if (*s == '|' || *s == '\0') {
			if (run < 2 || run > 3)
				return 0;
			if (*s == '\0')
				return 1;
			run = 0;
		} else {
			return 0;
		}
	}
}

/* Check one record; on success append it to rows. */
static int
check_row(struct import_ctx *ic, size_t line, char **f, size_t nf)
{
	const char *path = ic->path, *cc = ic->cc;
	const struct kw_table *kw = ic->kw;
	const struct district_table *dt = ic->dt;
	struct store_stakeholder **rows = &ic->rows, *r;
	size_t *n = &ic->n;
	char e164[PHONE_E164_MAX + 1], why[128];

	if (nf != SP_ARRAY_LEN(header)) {
		cmd_problem("%s:%zu: expected %zu fields, found %zu",
		    path, line, SP_ARRAY_LEN(header), nf);
		return -1;
	}
	if (*f[0] == '\0') {
		cmd_problem("%s:%zu: name is empty", path, line);
		return -1;
	}
	if (!known_category(kw, f[1])) {
		cmd_problem("%s:%zu: unknown category \"%s\" (categories "
		    "come from keywords.conf)", path, line, f[1]);
		return -1;
	}
	if (strcmp(f[2], "*") != 0 && district_find(dt, f[2]) == NULL) {
		cmd_problem("%s:%zu: unknown district \"%s\" (use a key "
		    "from districts.csv, or *)", path, line, f[2]);
		return -1;
	}
	if (phone_to_e164(f[3], cc, e164, sizeof(e164), why,
	    sizeof(why)) == -1) {
		cmd_problem("%s:%zu: bad phone \"%s\": %s", path, line,
		    f[3], why);
		return -1;
	}
	if (!valid_languages(f[4])) {
		cmd_problem("%s:%zu: languages must be language codes "
		    "joined by |, e.g. hi|en, not \"%s\"", path, line, f[4]);
		return -1;
	}
	*rows = xreallocarray(*rows, *n + 1, sizeof(**rows));
	r = &(*rows)[(*n)++];
	r->name = xstrdup(f[0]);
	r->category = xstrdup(f[1]);
	r->district = xstrdup(f[2]);
	r->phone = xstrdup(e164);
	r->languages = xstrdup(f[4]);
	r->description_en = xstrdup(f[5]);
	r->description_hi = xstrdup(f[6]);
	return 0;
}

/* Check one contacts row; on success append it to ic->contacts. */
static int
check_contact(struct import_ctx *ic, size_t line, char **f, size_t nf)
{
	struct store_contact_import *c;
	char e164[PHONE_E164_MAX + 1], why[128], *g, *p, *name;
	const char **groups = NULL;
	size_t ngroups = 0;
	int bad = 0;

	if (nf != SP_ARRAY_LEN(contact_header)) {
		cmd_problem("%s:%zu: expected %zu fields, found %zu",
		    ic->path, line, SP_ARRAY_LEN(contact_header), nf);
		return -1;
	}
	if (phone_to_e164(f[0], ic->cc, e164, sizeof(e164), why,
	    sizeof(why)) == -1) {
		cmd_problem("%s:%zu: bad phone \"%s\": %s", ic->path,
		    line, f[0], why);
		bad = 1;
	}
	if (strlen(f[1]) > 100) {
		cmd_problem("%s:%zu: name longer than 100 bytes",
		    ic->path, line);
		bad = 1;
	}
	if (*f[2] != '\0' && district_find(ic->dt, f[2]) == NULL) {
		cmd_problem("%s:%zu: unknown district \"%s\" (use a key "
		    "from districts.csv)", ic->path, line, f[2]);
		bad = 1;
	}
	if (*f[3] != '\0' && strcmp(f[3], "hi") != 0 &&
	    strcmp(f[3], "en") != 0) {
		cmd_problem("%s:%zu: language must be hi or en, not "
		    "\"%s\"", ic->path, line, f[3]);
		bad = 1;
	}
	if (*f[4] != '\0' && strcmp(f[4], "entrepreneur") != 0 &&
	    strcmp(f[4], "coordinator") != 0) {
		cmd_problem("%s:%zu: role must be entrepreneur or "
		    "coordinator, not \"%s\"", ic->path, line, f[4]);
		bad = 1;
	}
	/* "" is no group; "a||b" has an empty one, which is an error. */
	for (g = f[5]; !bad && *f[5] != '\0'; g = p + 1) {
		if ((p = strchr(g, '|')) != NULL)
			*p = '\0';
		if ((name = audience_name_normalize(g, why,
		    sizeof(why))) == NULL) {
			cmd_problem("%s:%zu: bad group \"%s\": %s",
			    ic->path, line, g, why);
			bad = 1;
			break;
		}
		groups = xreallocarray(groups, ngroups + 1, sizeof(*groups));
		groups[ngroups++] = keep(ic, name);
		if (p == NULL)
			break;
	}
	if (bad) {
		free(groups);
		return -1;
	}
	ic->contacts = xreallocarray(ic->contacts, ic->ncontacts + 1,
	    sizeof(*ic->contacts));
	c = &ic->contacts[ic->ncontacts++];
	memset(c, 0, sizeof(*c));
	c->phone = keep(ic, xstrdup(e164));
	c->name = keep(ic, xstrdup(f[1]));
	c->district = keep(ic, xstrdup(f[2]));
	c->language = keep(ic, xstrdup(f[3]));
	c->role = keep(ic, xstrdup(f[4]));
	c->groups = groups;
	c->ngroups = ngroups;
	return 0;
}

/* Check every row of path with check; 0 if all were good. */
static int
read_file(struct import_ctx *ic, const char *const *hdr, size_t nhdr,
    int (*check)(struct import_ctx *, size_t, char **, size_t))
{
	const char *path = ic->path;
	struct csv_reader *r;
	char err[256], **f;
	size_t nf, line, i;
	int rc, bad = 0, first = 1;

	if ((r = csv_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	while ((rc = csv_next(r, &f, &nf, &line, err, sizeof(err))) != 0) {
		if (rc == -1) {
			fprintf(stderr, "%s:%zu: %s\n", path, line, err);
			bad++;
			continue;
		}
		if (first) {
			first = 0;
			for (i = 0; i < nf && i < nhdr; i++)
				if (strcmp(f[i], hdr[i]) != 0)
					break;
			if (nf != nhdr || i != nf) {
				fprintf(stderr, "%s:%zu: header must be ", path,
				    line);
				for (i = 0; i < nhdr; i++)
					fprintf(stderr, "%s%s", i ? "," : "",
					    hdr[i]);
				fputc('\n', stderr);
				bad++;
				break;
			}
			continue;
		}
		if (check(ic, line, f, nf) == -1)
			bad++;
	}
	if (first && bad == 0) {
		fprintf(stderr, "%s: empty file (no header)\n", path);
		bad++;
	}
	csv_close(r);
	return bad ? -1 : 0;
}

static int
import_stakeholders(const char *path, const char *config_path,
    const char *db, int if_empty)
{
	struct config *cfg = NULL;
	struct kw_table *kw = NULL;
	struct district_table *dt = NULL;
	struct store *st = NULL;
	struct import_ctx ic;
	struct buf errors;
	int64_t existing;
	int rc = 1;

	memset(&ic, 0, sizeof(ic));
	buf_init(&errors, 0);
	if ((cfg = cmd_config(config_path)) == NULL)
		goto out;
	kw = kw_load(config_str(cfg, "keywords"), &errors);
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
	ic.path = path;
	ic.kw = kw;
	ic.dt = dt;
	ic.cc = config_str(cfg, "default_country");
	if (read_file(&ic, header, SP_ARRAY_LEN(header), check_row) == -1) {
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
	import_ctx_clear(&ic);
	store_close(st);
	district_free(dt);
	kw_free(kw);
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
	struct import_ctx ic;
	struct buf errors;
	int rc = 1;

	memset(&ic, 0, sizeof(ic));
	buf_init(&errors, 0);
	if ((cfg = cmd_config(config_path)) == NULL)
		goto out;
	if ((dt = district_load(config_str(cfg, "districts"),
	    &errors)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&errors));
		goto out;
	}
	ic.path = path;
	ic.dt = dt;
	ic.cc = config_str(cfg, "default_country");
	if (read_file(&ic, contact_header, SP_ARRAY_LEN(contact_header),
	    check_contact) == -1) {
		fprintf(stderr, "sampark: %s has errors; nothing imported\n",
		    path);
		goto out;
	}
	if ((st = cmd_open_store(cfg, db)) == NULL)
		goto out;
	if (store_begin(st) == -1 ||
	    store_contacts_import(st, ic.contacts, ic.ncontacts,
	    sp_wall_ms()) == -1 || store_commit(st) == -1) {
		fprintf(stderr, "sampark: import failed: %s\n",
		    store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	printf("imported %zu contacts from %s\n", ic.ncontacts, path);
	rc = 0;
out:
	import_ctx_clear(&ic);
	store_close(st);
	district_free(dt);
	config_free(cfg);
	buf_free(&errors);
	return rc;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "if-empty", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config_path = NULL, *db = NULL;
	int ch, if_empty = 0;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': db = optarg; break;
		case 'e': if_empty = 1; break;
		case 'h': fputs(import_usage, stdout); return 0;
		default: fputs(import_usage, stderr); return 2;
		}
	}
	if (argc - optind == 2 && strcmp(argv[optind], "contacts") == 0) {
		if (if_empty) {
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
	    if_empty);
}
