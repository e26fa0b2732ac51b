/*
 * templates: the broadcast texts of config/templates.conf, as registered
 * on India's DLT portals, and the checks an operator's scrubber makes.
 *
 * File format (INI-like, UTF-8; '#' starts a comment line):
 *
 *     [meeting]                   template key: [a-z][a-z0-9_-]*
 *     category  = service         transactional | service | promotional
 *     header    = SMPARK          the DLT header (sender id) it is linked to
 *     numeric   = count           variables that must be digits only
 *     en        = Meeting {#title#} at {#place#} ...
 *     en.dlt_id = 0000000000000000101
 *     hi        = बैठक {#title#} ...
 *     hi.dlt_id = 0000000000000000102
 *
 * Per language the text names its variables {#name#}; replacing each with
 * DLT's own token {#var#} gives the text exactly as it must be registered
 * (`sampark broadcast templates` prints it), so the fixed text here and on
 * the portal are the same bytes by construction.  Each language is its own
 * DLT template with its own id; a language is a 2- or 3-letter code
 * (hi, en, bho).  Every problem is reported as
 * "FILE:LINE: message" before loading fails.
 *
 * Rendering checks what a scrubber checks (providers.md section 5): every
 * variable of the text given and no other, each at most TEMPLATES_VAR_MAX
 * characters, no line break or control character in a value, digits only
 * for numeric ones; then the message is matched against the registered
 * text (fixed text byte-exact, {#var#} = 0..TEMPLATES_VAR_MAX characters) as a
 * second, independent check.
 */
#ifndef SP_TEMPLATES_H
#define SP_TEMPLATES_H

#include <stddef.h>

struct buf;

#define TEMPLATES_VAR_MAX	30	/* characters per {#var#} (the safe bound) */
#define TEMPLATES_MAX_VARS	16	/* placeholders in one text */

enum templates_category {
	TEMPLATES_TRANSACTIONAL,
	TEMPLATES_SERVICE,
	TEMPLATES_PROMOTIONAL,
};

struct templates_text {
	char	 lang[8];	/* "hi", "en", ... */
	char	*text;		/* with {#name#} placeholders */
	char	*registered;	/* with {#var#}: as on the DLT portal */
	char	*dlt_id;	/* the DLT template id of this text */
	char	*vars[TEMPLATES_MAX_VARS];	/* names in order of appearance */
	size_t	 nvars;
};

struct template {
	char			*key;
	enum templates_category	 category;
	char			*header;
	char			*numeric;	/* "a,b" or NULL */
	struct templates_text		*texts;
	size_t			 ntexts;
};

/* A variable's value for rendering. */
struct templates_var {
	const char	*name;
	const char	*value;
};

struct templates_table;

/* NULL on error; each problem appended to *errors as "FILE:LINE: why". */
struct templates_table *templates_load(const char *path, struct buf *errors);
void	 templates_free(struct templates_table *);		/* NULL is a no-op */

/* Template by key, or NULL.  Owned by the table. */
const struct template *templates_find(const struct templates_table *, const char *key);
size_t	 templates_count(const struct templates_table *);
const struct template *templates_at(const struct templates_table *, size_t i);

const char *templates_category_name(enum templates_category);

/* The text of lang, else the template's first one.  Never NULL. */
const struct templates_text *templates_text_for(const struct template *,
	    const char *lang);

/* 1 if some text of t has a variable called name. */
int	 templates_has_var(const struct template *, const char *name);

/*
 * Render text tt of template t with vars[0..nvars): a new string (caller
 * frees), or NULL with the reason in err ("variable place: 34 characters,
 * at most 30").  A value for a variable that no text of t uses is an
 * error (a typo); one that only another language's text uses is not.
 */
char	*templates_render(const struct template *, const struct templates_text *tt,
	    const struct templates_var *vars, size_t nvars, char *err,
	    size_t errlen);

/*
 * Would the scrubber pass message for the registered text?  0 yes, -1 no
 * with the first byte that cannot match named in err.
 */
int	 templates_scrub_check(const char *registered, const char *message,
	    char *err, size_t errlen);

#endif
