/* handler_env: handler ops over the store and the directory. */
#include <stdlib.h>

#include "directory.h"
#include "handler.h"
#include "handler_env.h"
#include "store.h"
#include "util.h"

static int
env_contact_get(void *arg, const char *phone, struct contact *c)
{
	const struct handler_env *env = arg;

	return store_contact_get(env->store, phone, c);
}

static int
env_contact_put(void *arg, const struct contact *c)
{
	const struct handler_env *env = arg;

	return store_contact_put(env->store, c);
}

static int
env_interest_add(void *arg, const char *phone, const char *category,
    int64_t now_ms)
{
	const struct handler_env *env = arg;

	return store_interest_add(env->store, phone, category, now_ms);
}

static int
env_stakeholders_find(void *arg, const char *category, const char *district,
    struct stakeholder **rows, size_t *n)
{
	const struct handler_env *env = arg;

	if (env->directory != NULL)
		return directory_find(env->directory, category, district,
		    rows, n);
	return store_stakeholders_find(env->store, category, district, rows,
	    n);
}

static void
env_stakeholders_free(void *arg, struct stakeholder *rows, size_t n)
{
	const struct handler_env *env = arg;

	if (env->directory != NULL)
		free(rows);	/* shallow copies of the directory's rows */
	else
		records_stakeholders_free(rows, n);
}

static int
env_stakeholders_get(void *arg, const int64_t *ids, size_t n,
    struct stakeholder **rows, size_t *nrows)
{
	const struct handler_env *env = arg;
	size_t i;
	int rc = 0;

	if (env->directory != NULL)
		return directory_get(env->directory, ids, n, rows, nrows);
	*rows = xcalloc(n + 1, sizeof(**rows));
	*nrows = 0;
	for (i = 0; i < n && rc != -1; i++)
		if ((rc = store_stakeholder_get(env->store, ids[i],
		    &(*rows)[*nrows])) == 1)
			(*nrows)++;
	if (rc == -1) {
		records_stakeholders_free(*rows, *nrows);
		*rows = NULL;
		*nrows = 0;
		return -1;
	}
	return 0;
}

const struct sp_ctx_ops handler_env_ops = {
	.contact_get = env_contact_get,
	.contact_put = env_contact_put,
	.interest_add = env_interest_add,
	.stakeholders_find = env_stakeholders_find,
	.stakeholders_free = env_stakeholders_free,
	.stakeholders_get = env_stakeholders_get,
};
