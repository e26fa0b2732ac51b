/*
 * import_rows: the check `sampark import stakeholders|contacts` runs on a
 * CSV file before it touches the database: header, fields, category,
 * district, phone, languages, groups.  Every problem is reported as
 * "file:line: what" (cmd_problem) and the whole file is read, so that a
 * volunteer fixes her spreadsheet in one go.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "cmd.h"
#include "csv.h"
#include "district.h"
#include "import_rows.h"
#include "keywords.h"
#include "phone.h"
#include "store.h"
#include "util.h"

static const char *const header[] = { "name", "category", "district",
    "phone", "languages", "description_en", "description_hi" };
static const char *const contact_header[] = { "phone", "name", "district",
    "language", "role", "groups" };


static const char *
keep(struct import_rows *ic, char *s)
{
	ic->strings = xreallocarray(ic->strings, ic->nstrings + 1,
	    sizeof(*ic->strings));
	ic->strings[ic->nstrings++] = s;
	return s;
}

void
import_rows_clear(struct import_rows *ic)
{
	size_t i;

	records_stakeholders_free(ic->rows, ic->n);
	for (i = 0; i < ic->ncontacts; i++)
		free((void *)ic->contacts[i].groups);
	free(ic->contacts);
	for (i = 0; i < ic->nstrings; i++)
		free(ic->strings[i]);
	free(ic->strings);
}

static int
known_category(const struct keywords_table *kw, const char *c)
{
	size_t i;

	for (i = 0; i < keywords_count(kw); i++) {
		const struct keyword *k = keywords_at(kw, i);

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
check_row(struct import_rows *ic, size_t line, char **f, size_t nf)
{
	const char *path = ic->path, *cc = ic->cc;
	const struct keywords_table *kw = ic->kw;
	const struct district_table *dt = ic->dt;
	struct stakeholder **rows = &ic->rows, *r;
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
check_contact(struct import_rows *ic, size_t line, char **f, size_t nf)
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
read_file(struct import_rows *ic, const char *const *hdr, size_t nhdr,
    int (*check)(struct import_rows *, size_t, char **, size_t))
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

int
import_rows_stakeholders(struct import_rows *ir)
{
	return read_file(ir, header, SP_ARRAY_LEN(header), check_row);
}

int
import_rows_contacts(struct import_rows *ir)
{
	return read_file(ir, contact_header, SP_ARRAY_LEN(contact_header),
	    check_contact);
}
