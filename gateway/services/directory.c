/*
 * directory: see directory.h.  A few hundred rows at most for one
 * coalition, so a scan per lookup is cheaper than any index.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "directory.h"
#include "handler.h"
#include "store.h"
#include "understand.h"
#include "util.h"

struct directory {
	struct stakeholder *rows;
	size_t			  n;
};

struct directory *
directory_load(struct store *store)
{
	struct directory *d = xcalloc(1, sizeof(*d));

	if (store_stakeholders_all(store, &d->rows, &d->n) == -1) {
		free(d);
		return NULL;
	}
	return d;
}

void
directory_free(struct directory *d)
{
	if (d == NULL)
		return;
	records_stakeholders_free(d->rows, d->n);
	free(d);
}

size_t
directory_count(const struct directory *d)
{
	return d->n;
}

size_t
directory_teach(const struct directory *d, struct understand_table *und)
{
	return understand_set_directory(und, d != NULL ? d->rows : NULL,
	    d != NULL ? d->n : 0);
}

int
directory_find(const struct directory *d, const char *category,
    const char *district, struct stakeholder **rows, size_t *n)
{
	size_t i;

	*rows = NULL;
	*n = 0;
	for (i = 0; i < d->n; i++) {
		const struct stakeholder *r = &d->rows[i];

		if (strcmp(r->category, category) != 0 ||
		    (strcmp(r->district, district) != 0 &&
		    strcmp(r->district, "*") != 0))
			continue;
		*rows = xreallocarray(*rows, *n + 1, sizeof(**rows));
		(*rows)[(*n)++] = *r;
	}
	return 0;
}

int
directory_import_csv(struct store *st, const char *path, char *err,
    size_t errlen)
{
	struct stakeholder rows[512];
	struct csv_reader *r;
	char **f;
	size_t n = 0, nf, line, i;
	int rc, header = 1;

	if ((r = csv_open(path, err, errlen)) == NULL)
		return -1;
	while ((rc = csv_next(r, &f, &nf, &line, err, errlen)) != 0) {
		if (rc == -1 || nf < 7 || n == SP_ARRAY_LEN(rows))
			continue;
		if (header) {
			header = 0;
			continue;
		}
		rows[n].name = xstrdup(f[0]);
		rows[n].category = xstrdup(f[1]);
		rows[n].district = xstrdup(f[2]);
		rows[n].phone = xstrdup(f[3]);
		rows[n].languages = xstrdup(f[4]);
		rows[n].description_en = xstrdup(f[5]);
		rows[n].description_hi = xstrdup(f[6]);
		n++;
	}
	csv_close(r);
	rc = store_stakeholders_replace(st, rows, n, path);
	if (rc == -1)
		util_err(err, errlen, "%s", store_errmsg(st));
	for (i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].category);
		free(rows[i].district);
		free(rows[i].phone);
		free(rows[i].languages);
		free(rows[i].description_en);
		free(rows[i].description_hi);
	}
	return rc;
}
