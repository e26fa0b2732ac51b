/*
 * alias: a table from normalised words (or phrases) to an id, with a small
 * typo tolerance.  Keywords and districts are both "many spellings, one
 * meaning", so both use this one table.
 *
 * Lookup rule: an exact match wins; otherwise, for a query of 4 or more
 * code points, the aliases of 4 or more code points within one edit
 * (text_within_one_edit) are candidates; if they all point to the same id
 * that id is returned as a fuzzy match, and if they disagree the query is
 * ambiguous and treated as not found.
 */
#ifndef SP_ALIAS_H
#define SP_ALIAS_H

#include <stddef.h>

struct alias_table;

struct alias_table *alias_table_new(void);
void	 alias_table_free(struct alias_table *);	/* NULL is a no-op */

/*
 * Add an alias (already normalised by the caller with text_normalize) for
 * id.  The table copies both strings.  Returns 0, or -1 if the alias is
 * already in the table for a different id (err says which).  Adding the
 * same alias for the same id again is a no-op.
 */
int	 alias_table_add(struct alias_table *, const char *alias, const char *id,
	    char *err, size_t errlen);

/*
 * Look up a normalised word or phrase.  Returns 1 and sets *id (owned by
 * the table) and *fuzzy (0 exact, 1 typo-tolerant), or 0 when not found.
 */
int	 alias_table_lookup(const struct alias_table *, const char *query,
	    const char **id, int *fuzzy);

size_t	 alias_table_count(const struct alias_table *);

/*
 * An alias table together with every spelling as its file listed it, in
 * order, for the understanding module and the reports: what keywords and
 * districts both keep.
 */
struct alias_spelling {
	const char	*alias;		/* normalised */
	const char	*id;
	const char	*tag;		/* where it was listed (a language), or NULL */
	size_t		 ref;		/* the owner's index of id's record */
	size_t		 line;
};

struct alias_list;

struct alias_list *alias_list_new(void);
void	 alias_list_free(struct alias_list *);		/* NULL is a no-op */

/*
 * alias_table_add() the normalised alias for id and, when that succeeds,
 * keep the spelling (all strings copied).  0, or -1 with err.
 */
int	 alias_list_add(struct alias_list *, const char *alias, const char *id,
	    const char *tag, size_t ref, size_t line, char *err, size_t errlen);

/* alias_table_lookup() in the list's table (NULL list: not found). */
int	 alias_list_lookup(const struct alias_list *, const char *query,
	    const char **id, int *fuzzy);

size_t	 alias_list_count(const struct alias_list *);	/* NULL: 0 */
/* The i-th spelling kept, or NULL past the end. */
const struct alias_spelling *alias_list_at(const struct alias_list *,
	    size_t i);

/* 1 if s is a valid id for a config file: [a-z][a-z0-9_-]*. */
int	 alias_valid_id(const char *s);

#endif
