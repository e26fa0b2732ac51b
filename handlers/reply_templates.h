/*
 * reply_templates: every reply Sampark can text, as the DLT content
 * templates that must be registered for it on India's DLT portals.
 *
 * An operator's scrubber delivers an SMS only if its text matches a
 * registered template of its header: the fixed text byte for byte, and
 * each {#var#} standing for 1 to REPLY_TEMPLATES_VAR_MAX characters.  A
 * reply is built from prompts (prompts/<lang>.txt); its template is the
 * same prompt text with each {placeholder} replaced by {#var#}, so both
 * are the same bytes by construction.
 *
 * Shapes that are put together from several prompts have a key of their
 * own:
 *     help.unknown            help.unknown, a space, help.menu
 *     district.unknown        district.unknown, a space,
 *                             district.unknown.served, whose {districts}
 *                             (the districts served, from districts.csv)
 *                             is fixed text: adding a district changes
 *                             this template, to be registered again
 *     info.list.N[.more]      info.header, N lines of info.entry, and the
 *                             info.more note when a MORE page follows,
 *                             else info.end (so that the two differ in
 *                             fixed text, not only in a variable)
 *     more.list.N[.more]      the same after more.header (a MORE page)
 *     anywhere.list.N[.more]  the same after district.unknown.anywhere
 * with N = 1..REPLY_TEMPLATES_PAGE_MAX.  In those headers {n} is the
 * number of entries of the page and part of the fixed text (one template
 * per N): with it no page can be read as a page of another length.
 *
 * Some fields are longer than one variable may be: a name (a person's or
 * a stakeholder's) and a meeting title each span two adjacent variables, so they may be 2 to 60 characters; every
 * other field one (1 to 30).  Characters are Unicode code points.
 */
#ifndef SP_REPLY_TEMPLATES_H
#define SP_REPLY_TEMPLATES_H

#include <stddef.h>

struct buf;
struct district_table;
struct prompts;

#define REPLY_TEMPLATES_VAR_MAX		30	/* characters per {#var#} */
#define REPLY_TEMPLATES_PAGE_MAX	3	/* entries on one list page */

struct reply_template {
	char	*key;		/* "join.welcome", "info.list.2.more" */
	char	*lang;		/* "hi", "en" */
	const char *category;	/* "service-implicit": an answer to her */
	char	*registered;	/* the text with {#var#}, as registered */
	char	*dlt_id;	/* its DLT template id, NULL: unregistered */
};

struct reply_templates;

/*
 * Every reply template of every language of the catalogue, sorted by
 * language, then in the order above.  NULL with the reason in *errors
 * when a prompt a reply needs is missing.
 */
struct reply_templates *reply_templates_new(const struct prompts *,
	    const struct district_table *, struct buf *errors);
void	 reply_templates_free(struct reply_templates *);	/* NULL: no-op */

size_t	 reply_templates_count(const struct reply_templates *);
const struct reply_template *reply_templates_at(const struct reply_templates *,
	    size_t i);
/* The template of key in lang, or NULL.  Owned by the table. */
const struct reply_template *reply_templates_find(
	    const struct reply_templates *, const char *lang, const char *key);

/*
 * Read the DLT template ids of the replies from path (UTF-8, '#'
 * comments):
 *     <template key>.<lang> = <id, digits>
 * e.g. "info.list.2.more.hi = 1107170000000000123".  A file that does
 * not exist gives no ids (every reply UNREGISTERED); a key or language
 * with no template, an id that is not 1 to 30 digits or a key given twice
 * is an error "FILE:LINE: why" appended to *errors, and -1.
 */
int	 reply_templates_load_ids(struct reply_templates *, const char *path,
	    struct buf *errors);

/*
 * The last check before a reply is sent: the template of lang and key
 * (may be NULL: none), if text matches it under the scrubber's rule; else
 * NULL and *why says which of the three failed.
 */
const struct reply_template *reply_templates_check(
	    const struct reply_templates *, const char *lang, const char *key,
	    const char *text, const char **why);

/* How many adjacent variables a placeholder spans (1 or 2). */
unsigned reply_templates_field_vars(const char *placeholder);

/*
 * Does value fit the variables of placeholder?  0 yes, -1 no with the
 * reason in err ("name: 65 characters, at most 60").
 */
int	 reply_templates_field_check(const char *placeholder, const char *value,
	    char *err, size_t errlen);

/*
 * How a stakeholder's fields that replies carry as DLT variables (name,
 * phone) fit: 0 each within one variable; 1 the name is longer than one
 * (30) and spans two, said in *out with the entry as replies in lang will
 * show it; 2 a field longer than its variables hold (it would be left out
 * of every reply), said in *out with the fix.  Lines of *out end in '\n'.
 */
struct stakeholder;
int	 reply_templates_stakeholder_fit(const struct prompts *,
	    const char *lang, const struct stakeholder *, struct buf *out);

/*
 * The scrubber's rule: 0 if text matches registered (fixed text
 * byte-exact, each {#var#} 1 to REPLY_TEMPLATES_VAR_MAX characters of
 * any kind), -1 if not.
 */
int	 reply_templates_match(const char *registered, const char *text);

#endif
