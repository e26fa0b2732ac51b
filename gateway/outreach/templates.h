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
 * variable of the text given and no other, each at most TPL_VAR_MAX
 * characters, no line break or control character in a value, digits only
 * for numeric ones; then the message is matched against the registered
 * text (fixed text byte-exact, {#var#} = 0..TPL_VAR_MAX characters) as a
 * second, independent check.
 */
#ifndef SP_TEMPLATES_H
#define SP_TEMPLATES_H

#include <stddef.h>

struct buf;

#define TPL_VAR_MAX	30	/* characters per {#var#} (the safe bound) */
#define TPL_MAX_VARS	16	/* placeholders in one text */

enum tpl_category {
	TPL_TRANSACTIONAL,
	TPL_SERVICE,
	TPL_PROMOTIONAL,
};

struct tpl_text {
	char	 lang[8];	/* "hi", "en", ... */
	char	*text;		/* with {#name#} placeholders */
	char	*registered;	/* with {#var#}: as on the DLT portal */
	char	*dlt_id;	/* the DLT template id of this text */
	char	*vars[TPL_MAX_VARS];	/* names in order of appearance */
	size_t	 nvars;
};

struct template {
	char			*key;
	enum tpl_category	 category;
	char			*header;
	char			*numeric;	/* "a,b" or NULL */
	struct tpl_text		*texts;
	size_t			 ntexts;
};

/* A variable's value for rendering. */
struct tpl_var {
	const char	*name;
	const char	*value;
};

struct tpl_table;

/* NULL on error; each problem appended to *errors as "FILE:LINE: why". */
struct tpl_table *tpl_load(const char *path, struct buf *errors);
void	 tpl_free(struct tpl_table *);		/* NULL is a no-op */

/* Template by key, or NULL.  Owned by the table. */
const struct template *tpl_find(const struct tpl_table *, const char *key);
size_t	 tpl_count(const struct tpl_table *);
const struct template *tpl_at(const struct tpl_table *, size_t i);

const char *tpl_category_name(enum tpl_category);

/* The text of lang, else the template's first one.  Never NULL. */
const struct tpl_text *tpl_text_for(const struct template *,
	    const char *lang);

/* 1 if some text of t has a variable called name. */
int	 tpl_has_var(const struct template *, const char *name);

/*
 * Render text tt of template t with vars[0..nvars): a new string (caller
 * frees), or NULL with the reason in err ("variable place: 34 characters,
 * at most 30").  A value for a variable that no text of t uses is an
 * error (a typo); one that only another language's text uses is not.
 */
char	*tpl_render(const struct template *, const struct tpl_text *tt,
	    const struct tpl_var *vars, size_t nvars, char *err,
	    size_t errlen);

/*
 * Would the scrubber pass message for the registered text?  0 yes, -1 no
 * with the first byte that cannot match named in err.
 */
int	 tpl_scrub_check(const char *registered, const char *message,
	    char *err, size_t errlen);

#endif
