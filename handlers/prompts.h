/*
 * prompts: the message catalogue, one file per language in the prompts
 * directory (en.txt, hi.txt, ...; the language tag is the file name).
 *
 * File format (UTF-8):
 *     # comment
 *     key = text, where \n means a line break and {name} a placeholder
 * Keys are [a-z0-9_.]+.  A key defined twice in one file, a line without
 * '=', invalid UTF-8 or an unknown escape is an error "FILE:LINE: reason".
 * A language without a key falls back to English ("en").
 */
#ifndef SP_PROMPTS_H
#define SP_PROMPTS_H

#include <stdarg.h>
#include <stddef.h>

struct buf;
struct prompts;

/* Load every *.txt in dir; NULL on any error (all appended to *errors). */
struct prompts *prompts_load(const char *dir, struct buf *errors);
void	 prompts_free(struct prompts *);

/* Text for key in lang, else in "en", else NULL.  Owned by the catalogue. */
const char *prompts_get(const struct prompts *, const char *lang,
	    const char *key);

/* 1 if the catalogue has a file for lang. */
int	 prompts_has_language(const struct prompts *, const char *lang);
/* The languages of the catalogue, in load order ("en", "hi", ...). */
size_t	 prompts_language_count(const struct prompts *);
const char *prompts_language_at(const struct prompts *, size_t i);

/*
 * Append the text for key to out with {name} placeholders replaced from
 * the NULL-terminated name, value, name, value... list; an unknown
 * placeholder is left as is.  Returns 0, or -1 if the key is missing.
 */
int	 prompts_format(const struct prompts *, const char *lang,
	    const char *key, struct buf *out, ...) __attribute__((sentinel));
/* prompts_format() with the name, value... list as a va_list. */
int	 prompts_vformat(const struct prompts *, const char *lang,
	    const char *key, struct buf *out, va_list ap);

#endif
