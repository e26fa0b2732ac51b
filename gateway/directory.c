/*
 * directory: see directory.h.  A few hundred rows at most for one
 * coalition, so a scan per lookup is cheaper than any index.
 */
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "handler.h"
#include "store.h"
#include "util.h"

struct directory {
	struct store_stakeholder *rows;
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
	store_stakeholders_free(d->rows, d->n);
	free(d);
}

size_t
directory_count(const struct directory *d)
{
	return d->n;
}

/* Rows are shallow copies: the strings stay the directory's. */
static int
find(void *arg, const char *category, const char *district,
    struct store_stakeholder **rows, size_t *n)
{
	const struct directory *d = arg;
	size_t i;

	*rows = NULL;
	*n = 0;
	for (i = 0; i < d->n; i++) {
		const struct store_stakeholder *r = &d->rows[i];

		if (strcmp(r->category, category) != 0 ||
		    (strcmp(r->district, district) != 0 &&
		    strcmp(r->district, "*") != 0))
			continue;
		*rows = xreallocarray(*rows, *n + 1, sizeof(**rows));
		(*rows)[(*n)++] = *r;
	}
	return 0;
}

static void
release(struct store_stakeholder *rows, size_t n)
{
	(void)n;
	free(rows);
}

const struct sp_ctx_ops directory_ops = {
	.stakeholders_find = find,
	.stakeholders_free = release,
};
