/*
 * district: the districts Sampark knows and all their spellings, loaded
 * from config/districts.csv.
 *
 * CSV header (exactly): key,name_en,name_hi,state,aliases
 *   key      lower-case ASCII id used everywhere inside ("bhadohi")
 *   name_en  display name in English ("Bhadohi")
 *   name_hi  display name in Hindi ("भदोही")
 *   state    e.g. "Uttar Pradesh"
 *   aliases  other spellings separated by '|', e.g.
 *            "bhadoi|sant ravidas nagar|संत रविदास नगर|भदोई"
 * key, name_en and name_hi are aliases too.  All aliases are normalised
 * with text_normalize() and may be several words.
 */
#ifndef SP_DISTRICT_H
#define SP_DISTRICT_H

#include <stddef.h>

struct buf;

struct district {
	char	*key;
	char	*name_en;
	char	*name_hi;
	char	*state;
};

struct district_table;

/* NULL on error; each problem appended to *errors as "FILE:LINE: reason". */
struct district_table *district_load(const char *path, struct buf *errors);
void	 district_free(struct district_table *);

/*
 * Match normalised text that should name a district ("sant ravidas nagar",
 * "bhadoi").  Returns 1 and sets *d (owned by the table), else 0.
 */
int	 district_match(const struct district_table *, const char *text,
	    const struct district **d);

const struct district *district_find(const struct district_table *,
	    const char *key);
/*
 * Every spelling as listed (normalised), for whole-message understanding:
 * 1 and *alias, *d (owned by the table) and its line in district_path(),
 * or 0 when i is past the end.
 */
size_t	 district_alias_count(const struct district_table *);
int	 district_alias_at(const struct district_table *, size_t i,
	    const char **alias, const struct district **d, size_t *line);
const char *district_path(const struct district_table *);
size_t	 district_count(const struct district_table *);
const struct district *district_at(const struct district_table *, size_t i);

/* Display name in lang ("hi" → name_hi, otherwise name_en). */
const char *district_name(const struct district *, const char *lang);

#endif
