/*
 * cmd_import: `sampark import stakeholders FILE.csv`.  The whole file is
 * checked first and every bad row reported as FILE:LINE: reason; only a
 * clean file replaces the directory, in one transaction.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "csv.h"
#include "district.h"
#include "keywords.h"
#include "phone.h"
#include "store.h"
#include "util.h"

static const char import_usage[] =
    "usage: sampark import stakeholders FILE.csv [-c CONFIG] [--db PATH] [--if-empty]\n"
    "\n"
    "Replaces the stakeholder directory with FILE.csv, whose header is\n"
    "  name,category,district,phone,languages,description_en,description_hi\n"
    "category is one named in keywords.conf (loan, training, market...),\n"
    "district a key of districts.csv or * for all districts, phone any\n"
    "number form (stored as E.164), languages e.g. hi|en|bho.  Every bad row\n"
    "is reported as FILE:LINE: reason and nothing is imported.\n"
    "  --if-empty   import only into a database that has no directory yet\n";

static const char *const header[] = { "name", "category", "district",
    "phone", "languages", "description_en", "description_hi" };

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
check_row(const char *path, size_t line, char **f, size_t nf,
    const struct kw_table *kw, const struct district_table *dt,
    const char *cc, struct store_stakeholder **rows, size_t *n)
{
	struct store_stakeholder *r;
	char e164[PHONE_E164_MAX + 1], why[128];

	if (nf != SP_ARRAY_LEN(header)) {
		fprintf(stderr, "%s:%zu: expected %zu fields, found %zu\n",
		    path, line, SP_ARRAY_LEN(header), nf);
		return -1;
	}
	if (*f[0] == '\0') {
		fprintf(stderr, "%s:%zu: name is empty\n", path, line);
		return -1;
	}
	if (!known_category(kw, f[1])) {
		fprintf(stderr, "%s:%zu: unknown category \"%s\" (categories "
		    "come from keywords.conf)\n", path, line, f[1]);
		return -1;
	}
	if (strcmp(f[2], "*") != 0 && district_find(dt, f[2]) == NULL) {
		fprintf(stderr, "%s:%zu: unknown district \"%s\" (use a key "
		    "from districts.csv, or *)\n", path, line, f[2]);
		return -1;
	}
	if (phone_to_e164(f[3], cc, e164, sizeof(e164), why,
	    sizeof(why)) == -1) {
		fprintf(stderr, "%s:%zu: bad phone \"%s\": %s\n", path, line,
		    f[3], why);
		return -1;
	}
	if (!valid_languages(f[4])) {
		fprintf(stderr, "%s:%zu: languages must be language codes "
		    "joined by |, e.g. hi|en, not \"%s\"\n", path, line, f[4]);
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

static int
read_file(const char *path, const struct kw_table *kw,
    const struct district_table *dt, const char *cc,
    struct store_stakeholder **rows, size_t *n)
{
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
			for (i = 0; i < nf && i < SP_ARRAY_LEN(header); i++)
				if (strcmp(f[i], header[i]) != 0)
					break;
			if (nf != SP_ARRAY_LEN(header) || i != nf) {
				fprintf(stderr, "%s:%zu: header must be "
				    "name,category,district,phone,languages,"
				    "description_en,description_hi\n", path,
				    line);
				bad++;
				break;
			}
			continue;
		}
		if (check_row(path, line, f, nf, kw, dt, cc, rows, n) == -1)
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
	struct store_stakeholder *rows = NULL;
	struct buf errors;
	size_t n = 0;
	int64_t existing;
	int rc = 1;

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
	if (read_file(path, kw, dt, config_str(cfg, "default_country"),
	    &rows, &n) == -1) {
		fprintf(stderr, "sampark: %s has errors; nothing imported\n",
		    path);
		goto out;
	}
	if (store_stakeholders_replace(st, rows, n, path) == -1) {
		fprintf(stderr, "sampark: import failed: %s\n",
		    store_errmsg(st));
		goto out;
	}
	printf("imported %zu stakeholders from %s\n", n, path);
	rc = 0;
out:
	store_stakeholders_free(rows, n);
	store_close(st);
	district_free(dt);
	kw_free(kw);
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
	if (argc - optind != 2 || strcmp(argv[optind], "stakeholders") != 0) {
		fputs(import_usage, stderr);
		return 2;
	}
	return import_stakeholders(argv[optind + 1], config_path, db,
	    if_empty);
}
