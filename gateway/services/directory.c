/*
 * directory: see directory.h.  A grown coalition lists a thousand
 * stakeholders and more; a scan of them all per message cost more than
 * understanding the message, so the rows are also kept sorted by
 * (category, district, import order) and a lookup is two binary
 * searches and a merge of two runs.
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
	struct stakeholder *rows;	/* import order */
	size_t			  n;
	size_t			 *by_key;	/* indices, by category, district,
						   then import order */
};

static int
key_cmp(const struct stakeholder *r, const char *category,
    const char *district)
{
	int c = strcmp(r->category, category);

	return c != 0 ? c : strcmp(r->district, district);
}

static int
by_key_cmp(const void *a, const void *b, void *arg)
{
	const struct directory *d = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct stakeholder *rj = &d->rows[j];
	int c = key_cmp(&d->rows[i], rj->category, rj->district);

	return c != 0 ? c : (i > j) - (i < j);
}

struct directory *
directory_load(struct store *store)
{
	struct directory *d = xcalloc(1, sizeof(*d));
	size_t i;

	if (store_stakeholders_all(store, &d->rows, &d->n) == -1) {
		free(d);
		return NULL;
	}
	d->by_key = xcalloc(d->n ? d->n : 1, sizeof(*d->by_key));
	for (i = 0; i < d->n; i++)
		d->by_key[i] = i;
	qsort_r(d->by_key, d->n, sizeof(*d->by_key), by_key_cmp, d);
	return d;
}

/* The run of by_key with exactly (category, district): [*lo, *hi). */
static void
key_run(const struct directory *d, const char *category,
    const char *district, size_t *lo, size_t *hi)
{
	size_t a = 0, b = d->n, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (key_cmp(&d->rows[d->by_key[m]], category, district) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	for (b = d->n; a < b;) {
		m = a + (b - a) / 2;
		if (key_cmp(&d->rows[d->by_key[m]], category, district) <= 0)
			a = m + 1;
		else
			b = m;
	}
	*hi = a;
}

void
directory_free(struct directory *d)
{
	if (d == NULL)
		return;
	records_stakeholders_free(d->rows, d->n);
	free(d->by_key);
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
	size_t alo, ahi, blo, bhi, k;

	*rows = NULL;
	*n = 0;
	key_run(d, category, district, &alo, &ahi);
	if (strcmp(district, "*") != 0)
		key_run(d, category, "*", &blo, &bhi);
	else
		blo = bhi = 0;
	if (ahi - alo + bhi - blo == 0)
		return 0;
	*rows = xcalloc(ahi - alo + bhi - blo, sizeof(**rows));
	/* Both runs are in import order: merge them to keep it. */
	while (alo < ahi || blo < bhi) {
		if (blo == bhi || (alo < ahi && d->by_key[alo] < d->by_key[blo]))
			k = d->by_key[alo++];
		else
			k = d->by_key[blo++];
		(*rows)[(*n)++] = d->rows[k];
	}
	return 0;
}

int
directory_get(const struct directory *d, const int64_t *ids, size_t n,
    struct stakeholder **rows, size_t *nrows)
{
	size_t i, lo, hi, mid;

	*rows = xcalloc(n + 1, sizeof(**rows));
	*nrows = 0;
	/* rows are in id order (store_stakeholders_all). */
	for (i = 0; i < n; i++) {
		lo = 0;
		hi = d->n;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (d->rows[mid].id < ids[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < d->n && d->rows[lo].id == ids[i])
			(*rows)[(*nrows)++] = d->rows[lo];
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
		if (rc == -1 || nf < 5 || n == SP_ARRAY_LEN(rows))
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
		rows[n].description_en = xstrdup("");
		rows[n].description_hi = xstrdup("");
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
