/*
 * resolve: what a coordinator typed for a district or a group, turned
 * into the key the store knows, or refused with the closest names.
 *
 * A district is named by its key, English name, Hindi name or any alias
 * of districts.csv, in any case ("Bhadohi", "भदोही", "bhadoi"); a group
 * by its key or its display name as written ("Silai Group", "silai-group").
 * A name that matches nothing is an error listing up to RESOLVE_CLOSEST
 * known names nearest to it, so a typo ("mirzapur-mn") is caught before
 * a broadcast reaches nobody or a report counts nothing.
 *
 * Used by broadcasts (every district: and group: term of an audience),
 * `report --district`, `export --district` and the console's API.
 */
#ifndef SP_RESOLVE_H
#define SP_RESOLVE_H

#include <stddef.h>

struct district;
struct district_table;
struct store;

#define RESOLVE_CLOSEST	3

/*
 * The district text names: 1 and *d (owned by the table), or 0 with
 * "no district "X"; closest: ..." in err.
 */
int	 resolve_district(const struct district_table *, const char *text,
	    const struct district **d, char *err, size_t errlen);

/*
 * The key of the group text names: 1 and *key (caller frees), 0 with
 * "no group "X"; closest: ..." in err, -1 with a store error in err.
 */
int	 resolve_group(struct store *, const char *text, char **key,
	    char *err, size_t errlen);

/*
 * Parse the audience expression expr and check that each of its
 * district: terms names a district of dt (skipped when dt is NULL) and
 * each group: term a group of the store: 1 and *canonical (caller frees)
 * the expression with every name replaced by its key; 0 with the parse
 * error or the unknown name and its closest names in err; -1 on a store
 * error.
 */
int	 resolve_audience(struct store *, const struct district_table *dt,
	    const char *expr, char **canonical, char *err, size_t errlen);

/*
 * The distance between a and b (UTF-8) counted in code points: inserted,
 * dropped or changed.  Pure; exposed for the tests.
 */
size_t	 resolve_distance(const char *a, const char *b);

#endif
