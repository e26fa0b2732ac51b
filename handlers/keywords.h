/*
 * keywords: the keyword vocabulary loaded from config/keywords.conf.
 *
 * File format (INI-like, UTF-8):
 *
 *     # comment
 *     [loan]                      keyword name: [a-z][a-z0-9_-]*
 *     handler  = info             which handler serves it (required)
 *     category = loan             optional argument for the handler
 *     en       = loan, loans, credit
 *     hi       = ऋण, लोन, कर्ज़
 *     hinglish = rin, karz, karza
 *     digit    = 1
 *
 * Alias lines (en, hi, hinglish, digit, and any other language tag of
 * 2-8 lower-case letters) hold comma-separated aliases; each is normalised
 * with text_normalize() before it goes into one alias table.  Every error
 * is reported as "FILE:LINE: message" on its own line in *errors, and
 * loading fails if there was any: a duplicate alias on two keywords, a
 * keyword without handler, an unknown key, a line outside a section, an
 * empty alias, invalid UTF-8.
 */
#ifndef SP_KEYWORDS_H
#define SP_KEYWORDS_H

#include <stddef.h>

struct buf;

struct keyword {
	char	*name;		/* section name, e.g. "loan" */
	char	*handler;	/* e.g. "info" */
	size_t	 handler_line;	/* where the file says it, for problems */
	char	*category;	/* NULL when not given */
};

struct keywords_table;

/* NULL on error (each problem appended to *errors as a line). */
struct keywords_table *keywords_load(const char *path, struct buf *errors);
void	 keywords_free(struct keywords_table *);

/*
 * Match one normalised word (or phrase).  Returns 1 and sets *kw (owned by
 * the table) and *fuzzy, or 0 if nothing matches.
 */
int	 keywords_match(const struct keywords_table *, const char *word,
	    const struct keyword **kw, int *fuzzy);

/* Keyword by section name, or NULL. */
const struct keyword *keywords_find(const struct keywords_table *, const char *name);

/* Every alias as listed, in file order, for whole-message understanding. */
struct kw_alias {
	const char		*alias;	/* normalised */
	const char		*lang;	/* "en", "hi", "hinglish", "digit"... */
	const struct keyword	*kw;
	size_t			 line;	/* in keywords_path() */
};
size_t	 keywords_alias_count(const struct keywords_table *);
/* 1 and *out (pointers owned by the table) if i < keywords_alias_count, else 0. */
int	 keywords_alias_at(const struct keywords_table *, size_t i, struct kw_alias *out);
/* The file the table was loaded from. */
const char *keywords_path(const struct keywords_table *);

size_t	 keywords_count(const struct keywords_table *);
const struct keyword *keywords_at(const struct keywords_table *, size_t i);

#endif
