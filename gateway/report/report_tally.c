/*
 * report_tally: counts by key for the sections that tally rows in memory
 * (see report_int.h).  The keys of a report are few (districts,
 * categories, weeks, stakeholders), so a list searched from the key found
 * last is enough; rows come in time order, so equal keys come in runs.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "util.h"

static size_t
find(const struct report_tally *t, const char *key)
{
	size_t i;

	if (t->last < t->n && strcmp(t->v[t->last].name, key) == 0)
		return t->last;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, key) == 0)
			return i;
	return t->n;
}

/*
 * The index of key, added if new.  A key equal to one kept is that one
 * (the cleaning is idempotent), so only a key not seen yet is cleaned:
 * the sections tally every row of a period, and cleaning (redact_contacts)
 * each row's keys cost more than the rest of the report.
 */
static size_t
find_or_add(struct report_tally *t, const char *key)
{
	size_t i = find(t, key);
	char *clean;

	if (i < t->n)
		return i;
	clean = report_clean_text(key);
	if ((i = find(t, clean)) == t->n) {
		/* Already clean: kept as it is. */
		t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
		t->v[t->n].name = clean;
		t->v[t->n].n = 0;
		return t->n++;
	}
	free(clean);
	return i;
}

void
report_tally_add(struct report_tally *t, const char *key, int64_t n)
{
	size_t i = find_or_add(t, key);

	t->v[i].n += n;
	t->last = i;
}

int64_t
report_tally_get(const struct report_tally *t, const char *key)
{
	char *clean = report_clean_text(key);
	size_t i = find(t, clean);

	free(clean);
	return i < t->n ? t->v[i].n : 0;
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct report_named *)a)->name,
	    ((const struct report_named *)b)->name);
}

static int
by_count(const void *a, const void *b)
{
	const struct report_named *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
report_tally_sort(struct report_tally *t, int most_first, size_t top)
{
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), most_first ? by_count :
		    by_key);
	while (top > 0 && t->n > top)
		free(t->v[--t->n].name);
	t->last = 0;
}

void
report_tally_clear(struct report_tally *t)
{
	report_named_free(t->v, t->n);
	memset(t, 0, sizeof(*t));
}
