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
#include "contact_rows.h"
#include "csv.h"
#include "district.h"
#include "import_rows.h"
#include "keywords.h"
#include "phone.h"
#include "stakeholder_rows.h"
#include "store.h"
#include "util.h"

static const char *const header[] = { "name", "category", "district",
    "phone", "languages" };
/*
 * Directories made before had two more columns, descriptions that no reply
 * ever showed (a reply is a registered DLT template of names and phones):
 * such a file still imports, and is told that they are left out.
 */
static const char *const old_tail[] = { "description_en", "description_hi" };
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
	for (i = 0; i < ic->ncontacts; i++) {
		free((void *)ic->contacts[i].groups);
		free((void *)ic->contacts[i].group_names);
	}
	free(ic->contacts);
	for (i = 0; i < ic->nstrings; i++)
		free(ic->strings[i]);
	free(ic->strings);
}

struct row_problems {
	const char	*path;
	size_t		 line;
};

static void
stakeholder_problem(void *arg, enum stakeholder_col col, const char *msg)
{
	struct row_problems *rp = arg;

	cmd_problem("%s:%zu: %s: %s", rp->path, rp->line,
	    stakeholder_rows_column_name(col), msg);
}

/*
 * Check one record (stakeholder_rows.h: districts, categories and
 * languages as people write them, every problem of the row); on success
 * append it to rows.
 */
static int
check_row(struct import_rows *ic, size_t line, char **f, size_t nf)
{
	struct row_problems rp = { ic->path, line };
	const char *cells[SC_COUNT];
	struct stakeholder r;
	size_t i;

	if (nf != ic->ncols) {
		cmd_problem("%s:%zu: expected %zu fields, found %zu",
		    ic->path, line, ic->ncols, nf);
		return -1;
	}
	/* The old description columns, when present, are left out
	 * (stakeholder_header_ok said so once). */
	for (i = 0; i < SC_COUNT; i++)
		cells[i] = i < SP_ARRAY_LEN(header) ? f[i] : NULL;
	if (stakeholder_rows_check(ic->kw, ic->dt, ic->cc, cells, &r,
	    stakeholder_problem, &rp) != 0)
		return -1;
	ic->rows = xreallocarray(ic->rows, ic->n + 1, sizeof(*ic->rows));
	ic->rows[ic->n++] = r;
	return 0;
}

static void
contact_problem(void *arg, enum contact_col col, const char *msg)
{
	struct row_problems *rp = arg;

	(void)col;
	cmd_problem("%s:%zu: %s", rp->path, rp->line, msg);
}

/* Check one contacts row (its cells in the file's column order, placed
 * by ic->map); on success append it to ic->contacts. */
static int
check_contact(struct import_rows *ic, size_t line, char **f, size_t nf)
{
	struct store_contact_import *c;
	struct row_problems rp = { ic->path, line };
	struct contact_row r;
	const char *cells[CC_COUNT];
	const char **groups, **names;
	size_t i;

	if (nf != ic->ncols) {
		cmd_problem("%s:%zu: expected %zu fields, found %zu",
		    ic->path, line, ic->ncols, nf);
		return -1;
	}
	for (i = 0; i < CC_COUNT; i++)
		cells[i] = ic->map[i] >= 0 ? f[ic->map[i]] : NULL;
	if (contact_rows_check(ic->dt, ic->cc, cells, &r, contact_problem,
	    &rp) != 0)
		return -1;
	groups = xcalloc(r.ngroups + 1, sizeof(*groups));
	names = xcalloc(r.ngroups + 1, sizeof(*names));
	for (i = 0; i < r.ngroups; i++) {
		groups[i] = keep(ic, r.groups[i]);
		names[i] = keep(ic, r.group_names[i]);
	}
	ic->contacts = xreallocarray(ic->contacts, ic->ncontacts + 1,
	    sizeof(*ic->contacts));
	c = &ic->contacts[ic->ncontacts++];
	memset(c, 0, sizeof(*c));
	c->phone = keep(ic, r.phone);
	c->name = keep(ic, r.name);
	c->district = keep(ic, r.district);
	c->language = keep(ic, r.language);
	c->role = keep(ic, r.role);
	c->groups = groups;
	c->group_names = names;
	c->ngroups = r.ngroups;
	/* The strings now belong to ic. */
	memset(&r, 0, sizeof(r));
	return 0;
}

/*
 * A contacts header: every column once, in any order, by its name or a
 * common other one ("Mobile", "नाम"); ic->map says where each is.
 */
static int
contact_header_ok(struct import_rows *ic, char **f, size_t nf)
{
	size_t i;
	int col;

	for (i = 0; i < CC_COUNT; i++)
		ic->map[i] = -1;
	for (i = 0; i < nf; i++) {
		if ((col = contact_rows_column_of(f[i])) == -1 ||
		    ic->map[col] != -1)
			return 0;
		ic->map[col] = (int)i;
	}
	for (i = 0; i < CC_COUNT; i++)
		if (ic->map[i] == -1)
			return 0;
	ic->ncols = nf;
	return 1;
}

/* The stakeholders' header, or the one with the old description columns
 * (said on stderr); ic->ncols is its width. */
static int
stakeholder_header_ok(struct import_rows *ic, char **f, size_t nf,
    size_t line)
{
	size_t i, n = SP_ARRAY_LEN(header);

	for (i = 0; i < nf && i < n; i++)
		if (strcmp(f[i], header[i]) != 0)
			return 0;
	if (nf == n + SP_ARRAY_LEN(old_tail) && strcmp(f[n], old_tail[0]) == 0 &&
	    strcmp(f[n + 1], old_tail[1]) == 0)
		cmd_problem("%s:%zu: note: description_en and description_hi "
		    "are not used (no reply shows them) and are left out; "
		    "delete the two columns to silence this", ic->path, line);
	else if (nf != n)
		return 0;
	ic->ncols = nf;
	return 1;
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
			if (hdr == contact_header ? !contact_header_ok(ic, f,
			    nf) : !stakeholder_header_ok(ic, f, nf, line)) {
				fprintf(stderr, "%s:%zu: header must be ", path,
				    line);
				for (i = 0; i < nhdr; i++)
					fprintf(stderr, "%s%s", i ? "," : "",
					    hdr[i]);
				fputs(hdr == contact_header ? " (in any order; "
				    "Mobile, Naam, Zila... are understood too)\n" :
				    "\n", stderr);
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
