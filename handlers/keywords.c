/*
 * keywords: load config/keywords.conf into keyword records plus one alias
 * table, reporting every problem with its file:line before failing.
 *
 * The whole vocabulary of keys is the table below; any other key that
 * looks like a language tag (2-8 lower-case letters) is an alias list too,
 * so a new language needs no code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "confscan.h"
#include "keywords.h"
#include "text.h"
#include "util.h"

struct keywords_table {
	struct keyword	*kw;
	size_t		 n;
	size_t		 cap;
	/* Each spelling's tag is the key it was listed under, its ref its
	 * keyword's index in kw[] (the array moves). */
	struct alias_list *aliases;
	char		*path;
};

/* Parser state for one file. */
struct kw_parse {
	struct confscan_errors err;
	struct keywords_table	*t;
	struct keyword	*cur;		/* section being read or NULL */
	size_t		 cur_line;	/* line of its [header] */
	int		 cur_dup;	/* broken section: ignore it */
};

enum kw_key { KEY_HANDLER, KEY_CATEGORY, KEY_ALIASES };

static const struct {
	const char	*name;
	enum kw_key	 key;
} kw_keys[] = {
	{ "handler",	KEY_HANDLER },
	{ "category",	KEY_CATEGORY },
};

static int
is_lang_tag(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (*s < 'a' || *s > 'z')
			return 0;
	return n >= 2 && n <= 8;
}

/* The section just read is complete: check what must be there. */
static void
end_section(struct kw_parse *p)
{
	if (p->cur != NULL && !p->cur_dup && p->cur->handler == NULL)
		confscan_error_at(&p->err, p->cur_line,
		    "keyword \"%s\" has no handler", p->cur->name);
	p->cur = NULL;
	p->cur_dup = 0;
}

static void
start_section(void *arg, struct confscan_line *ln)
{
	struct kw_parse *p = arg;
	struct keywords_table *t = p->t;
	const char *name = ln->name;

	end_section(p);
	if (name == NULL) {
		confscan_error(&p->err, "section header must be [name]");
		p->cur_dup = 1;
		return;
	}
	if (!alias_valid_id(name)) {
		confscan_error(&p->err, "bad keyword name \"%s\" (want "
		    "[a-z][a-z0-9_-]*)", name);
		p->cur_dup = 1;
		return;
	}
	if (keywords_find(t, name) != NULL) {
		confscan_error(&p->err, "keyword \"%s\" defined twice", name);
		p->cur_dup = 1;
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->kw = xreallocarray(t->kw, t->cap, sizeof(*t->kw));
	}
	p->cur = &t->kw[t->n++];
	memset(p->cur, 0, sizeof(*p->cur));
	p->cur->name = xstrdup(name);
	p->cur_line = p->err.line;
}

static void
add_aliases(struct kw_parse *p, const char *key, char *value)
{
	char *item, *next, *norm, err[256];

	for (item = value; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		item = confscan_trim(item);
		if (*item == '\0') {
			confscan_error(&p->err, "empty alias in \"%s\"", key);
			continue;
		}
		norm = text_normalize(item, strlen(item));
		if (norm == NULL) {
			confscan_error(&p->err, "invalid UTF-8 in alias");
			continue;
		}
		if (*norm == '\0')
			confscan_error(&p->err, "alias \"%s\" is only "
			    "punctuation", item);
		else if (alias_list_add(p->t->aliases, norm, p->cur->name, key,
		    (size_t)(p->cur - p->t->kw), p->err.line, err,
		    sizeof(err)) == -1)
			confscan_error(&p->err, "%s", err);
		free(norm);
	}
}

static void
key_value(void *arg, struct confscan_line *ln)
{
	struct kw_parse *p = arg;
	const char *key = ln->name;
	char *value = ln->value;
	size_t i;
	enum kw_key k = KEY_ALIASES;
	int known = 0;

	for (i = 0; i < SP_ARRAY_LEN(kw_keys); i++)
		if (strcmp(key, kw_keys[i].name) == 0) {
			k = kw_keys[i].key;
			known = 1;
		}
	if (!known && !is_lang_tag(key)) {
		confscan_error(&p->err, "unknown key \"%s\"", key);
		return;
	}
	/*
	 * "handlr" looks like a language tag, but a typo of a real key would
	 * otherwise turn silently into an alias list.
	 */
	for (i = 0; !known && i < SP_ARRAY_LEN(kw_keys); i++)
		if (text_within_one_edit(key, kw_keys[i].name)) {
			confscan_error(&p->err, "unknown key \"%s\" (did you "
			    "mean %s?)", key, kw_keys[i].name);
			return;
		}
	if (p->cur == NULL) {
		if (!p->cur_dup)
			confscan_error(&p->err, "\"%s\" outside a [keyword] "
			    "section", key);
		return;
	}
	switch (k) {
	case KEY_HANDLER:
	case KEY_CATEGORY:
		if (!alias_valid_id(value)) {
			confscan_error(&p->err, "bad %s \"%s\"", key, value);
			return;
		}
		if ((k == KEY_HANDLER ? p->cur->handler : p->cur->category)
		    != NULL) {
			confscan_error(&p->err, "%s given twice", key);
			return;
		}
		if (k == KEY_HANDLER) {
			p->cur->handler = xstrdup(value);
			p->cur->handler_line = p->err.line;
		}
		else
			p->cur->category = xstrdup(value);
		break;
	case KEY_ALIASES:
		add_aliases(p, key, value);
		break;
	}
}

static const struct confscan_syntax kw_syntax = {
	.comment = "#",
	.flags = CONFSCAN_UTF8,
	.section = start_section,
	.key = key_value,
};

struct keywords_table *
keywords_load(const char *path, struct buf *errors)
{
	struct kw_parse p;

	memset(&p, 0, sizeof(p));
	p.err.out = errors;
	p.t = xcalloc(1, sizeof(*p.t));
	p.t->aliases = alias_list_new();
	p.t->path = xstrdup(path);
	if (confscan_file(path, &kw_syntax, &p, &p.err) == -1)
		confscan_error_file(&p.err, "%s", strerror(errno));
	end_section(&p);
	if (p.err.n > 0) {
		keywords_free(p.t);
		return NULL;
	}
	return p.t;
}

void
keywords_free(struct keywords_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->kw[i].name);
		free(t->kw[i].handler);
		free(t->kw[i].category);
	}
	free(t->path);
	free(t->kw);
	alias_list_free(t->aliases);
	free(t);
}

int
keywords_match(const struct keywords_table *t, const char *word,
    const struct keyword **kw, int *fuzzy)
{
	const char *id;
	const struct keyword *k;
	int fz;

	if (t == NULL || word == NULL)
		return 0;
	if (alias_list_lookup(t->aliases, word, &id, &fz) != 1)
		return 0;
	if ((k = keywords_find(t, id)) == NULL)
		return 0;
	*kw = k;
	*fuzzy = fz;
	return 1;
}

const struct keyword *
keywords_find(const struct keywords_table *t, const char *name)
{
	size_t i;

	if (t == NULL || name == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->kw[i].name, name) == 0)
			return &t->kw[i];
	return NULL;
}

size_t
keywords_count(const struct keywords_table *t)
{
	return t == NULL ? 0 : t->n;
}

const struct keyword *
keywords_at(const struct keywords_table *t, size_t i)
{
	if (t == NULL || i >= t->n)
		return NULL;
	return &t->kw[i];
}

size_t
keywords_alias_count(const struct keywords_table *t)
{
	return t == NULL ? 0 : alias_list_count(t->aliases);
}

int
keywords_alias_at(const struct keywords_table *t, size_t i, struct kw_alias *out)
{
	const struct alias_spelling *sp;

	if (t == NULL || (sp = alias_list_at(t->aliases, i)) == NULL)
		return 0;
	out->alias = sp->alias;
	out->lang = sp->tag;
	out->kw = &t->kw[sp->ref];
	out->line = sp->line;
	return 1;
}

const char *
keywords_path(const struct keywords_table *t)
{
	return t == NULL ? "" : t->path;
}
