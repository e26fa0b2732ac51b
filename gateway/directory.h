/*
 * directory: the stakeholder directory held in memory, so that answering
 * a keyword costs no query.  The database stays the truth: the daemon
 * reloads this copy on SIGHUP and whenever another process (`sampark
 * import`) has committed to the database.
 */
#ifndef SP_DIRECTORY_H
#define SP_DIRECTORY_H

#include <stddef.h>

struct store;
struct directory;

/* NULL on a store error (already logged). */
struct directory *directory_load(struct store *);
void	 directory_free(struct directory *);	/* NULL is a no-op */
size_t	 directory_count(const struct directory *);

/*
 * Load a stakeholders CSV (config/stakeholders.csv's columns) into a
 * scratch store as it is, without the checks of `sampark import`: for the
 * throwaway stores of `sampark explain` and the evaluation, which read the
 * sample directory.  At most 512 rows.  0, or -1 with err.
 */
int	 directory_import_csv(struct store *, const char *path, char *err,
	    size_t errlen);

/* Handler ops over a directory (ops_arg is the struct directory *). */
extern const struct sp_ctx_ops directory_ops;

#endif
