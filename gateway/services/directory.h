/*
 * directory: the stakeholder directory held in memory, so that answering
 * a keyword costs no query.  The database stays the truth: the daemon
 * reloads this copy on SIGHUP and whenever another process (`sampark
 * import`) has committed to the database.
 */
#ifndef SP_DIRECTORY_H
#define SP_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

struct directory;
struct stakeholder;
struct store;
struct understand_table;

/* NULL on a store error (already logged). */
struct directory *directory_load(struct store *);
void	 directory_free(struct directory *);	/* NULL is a no-op */
size_t	 directory_count(const struct directory *);

/*
 * Teach und the distinctive words of the stakeholders' names, so that
 * they lead to their category (understand_set_directory); a NULL directory
 * teaches none.  Call it whenever either of them is (re)loaded.
 * Returns how many words now lead to a category.
 */
size_t	 directory_teach(const struct directory *, struct understand_table *);

/*
 * Load a stakeholders CSV (config/stakeholders.csv's columns) into a
 * scratch store as it is, without the checks of `sampark import`: for the
 * throwaway stores of `sampark explain` and the evaluation, which read the
 * sample directory.  At most 512 rows.  0, or -1 with err.
 */
int	 directory_import_csv(struct store *, const char *path, char *err,
	    size_t errlen);

/*
 * Stakeholders of category for district (rows for "*" included), in
 * import order.  The rows are shallow copies: free only the array, and
 * use them no longer than the directory.
 */
int	 directory_find(const struct directory *, const char *category,
	    const char *district, struct stakeholder **rows, size_t *n);
/* The rows of ids[0..n) that are in the directory, in that order, as
 * shallow copies (as directory_find). */
int	 directory_get(const struct directory *, const int64_t *ids, size_t n,
	    struct stakeholder **rows, size_t *nrows);

#endif
