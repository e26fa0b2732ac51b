/*
 * prompts: the message catalogue.  Each language is a sorted array of
 * key/text pairs, looked up by binary search; English is the fallback for
 * any key a language lacks.
 *
 * Loading reports every problem in every file before failing, so a
 * translator sees all their mistakes at once.  Files are read in name
 * order so that the error list is the same on every machine.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "confscan.h"
#include "prompts.h"
#include "text.h"
#include "util.h"

#define FALLBACK_LANG	"en"

struct prompt {
	char	*key;
	char	*text;
	size_t	 line;
};

struct lang {
	char		*tag;
	struct prompt	*items;
	size_t		 n, cap;
};

struct prompts {
	struct lang	*langs;
	size_t		 n;
};

/* Loading: every file's problems in one list. */
struct prompts_parse {
	struct confscan_errors	 err;
	struct lang		*l;	/* the file being read */
};

static int
key_valid(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		    *k == '_' || *k == '.'))
			return 0;
	return 1;
}

static int
tag_valid(const char *t, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '_' || t[i] == '-'))
			return 0;
	return 1;
}

/* Undo "\n" and "\\"; NULL (with *bad set to the escape) otherwise. */
static char *
unescape(const char *s, char *bad)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == 'n')
			*o++ = '\n';
		else if (*s == '\\')
			*o++ = '\\';
		else {
			*bad = *s;
			free(out);
			return NULL;
		}
	}
	*o = '\0';
	return out;
}

static const struct prompt *
lang_find(const struct lang *l, const char *key)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, l->items[mid].key);

		if (c == 0)
			return &l->items[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Linear, because the array is sorted only once the file is read. */
static const struct prompt *
lang_find_unsorted(const struct lang *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return &l->items[i];
	return NULL;
}

static int
prompt_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prompt *)a)->key,
	    ((const struct prompt *)b)->key);
}

/* One "key = text" line into the language being read. */
static void
key_text(void *arg, struct confscan_line *ln)
{
	struct prompts_parse *p = arg;
	struct lang *l = p->l;
	const char *key = ln->name;
	const struct prompt *dup;
	char *text, bad = 0;

	if (!key_valid(key)) {
		confscan_error(&p->err, "bad key '%.60s' (want [a-z0-9_.]+)",
		    key);
		return;
	}
	if ((dup = lang_find_unsorted(l, key)) != NULL) {
		confscan_error(&p->err, "duplicate key '%s' (first on line "
		    "%zu)", key, dup->line);
		return;
	}
	if ((text = unescape(ln->value, &bad)) == NULL) {
		if (bad == '\0')
			confscan_error(&p->err, "'\\' at end of line");
		else
			confscan_error(&p->err, "unknown escape '\\%c'", bad);
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	l->items[l->n].key = xstrdup(key);
	l->items[l->n].text = text;
	l->items[l->n].line = p->err.line;
	l->n++;
}

static void
no_equals(void *arg, struct confscan_line *ln)
{
	struct prompts_parse *p = arg;

	(void)ln;
	confscan_error(&p->err, "missing '='");
}

/* No sections: a catalogue is flat. */
static const struct confscan_syntax prompts_syntax = {
	.comment = "#",
	.flags = CONFSCAN_UTF8,
	.key = key_text,
	.other = no_equals,
};

/* Read one language file into p->l. */
static void
load_file(struct prompts_parse *p, const char *file)
{
	struct lang *l = p->l;

	if (confscan_file(file, &prompts_syntax, p, &p->err) == -1)
		confscan_error_file(&p->err, "cannot open: %s",
		    strerror(errno));
	if (l->n > 0)	/* qsort(NULL, 0, ...) is undefined */
		qsort(l->items, l->n, sizeof(*l->items), prompt_cmp);
}

static int
is_txt(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 4 &&
	    strcmp(de->d_name + n - 4, ".txt") == 0;
}

struct prompts *
prompts_load(const char *dir, struct buf *errors)
{
	struct prompts *p = xcalloc(1, sizeof(*p));
	struct prompts_parse pp;
	struct dirent **names = NULL;
	struct stat st;
	int count, i;

	memset(&pp, 0, sizeof(pp));
	pp.err.out = errors;
	pp.err.file = dir;
	if ((count = scandir(dir, &names, is_txt, alphasort)) == -1) {
		confscan_error_file(&pp.err, "cannot open: %s",
		    strerror(errno));
		free(p);
		return NULL;
	}
	p->langs = xcalloc((size_t)count, sizeof(*p->langs));
	for (i = 0; i < count; i++) {
		const char *name = names[i]->d_name;
		size_t taglen = strlen(name) - 4;
		char *file = xasprintf("%s/%s", dir, name);

		if (stat(file, &st) == -1 || !S_ISREG(st.st_mode)) {
			/* A directory named x.txt is not a language. */
		} else if (!tag_valid(name, taglen)) {
			pp.err.file = file;
			confscan_error_file(&pp.err, "bad language name (want "
			    "[A-Za-z0-9_-]+.txt)");
		} else {
			pp.l = &p->langs[p->n++];
			pp.l->tag = xstrndup(name, taglen);
			load_file(&pp, file);
		}
		free(file);
		free(names[i]);
	}
	free(names);
	pp.err.file = dir;
	if (p->n == 0 && pp.err.n == 0)
		confscan_error_file(&pp.err, "no message files (*.txt)");
	if (pp.err.n > 0) {
		prompts_free(p);
		return NULL;
	}
	return p;
}

void
prompts_free(struct prompts *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		for (j = 0; j < p->langs[i].n; j++) {
			free(p->langs[i].items[j].key);
			free(p->langs[i].items[j].text);
		}
		free(p->langs[i].items);
		free(p->langs[i].tag);
	}
	free(p->langs);
	free(p);
}

static const struct lang *
find_lang(const struct prompts *p, const char *tag)
{
	size_t i;

	if (p == NULL || tag == NULL)
		return NULL;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->langs[i].tag, tag) == 0)
			return &p->langs[i];
	return NULL;
}

const char *
prompts_get(const struct prompts *p, const char *lang, const char *key)
{
	const struct lang *l;
	const struct prompt *it;

	if (key == NULL)
		return NULL;
	if ((l = find_lang(p, lang)) != NULL && (it = lang_find(l, key)) != NULL)
		return it->text;
	if ((l = find_lang(p, FALLBACK_LANG)) != NULL &&
	    (it = lang_find(l, key)) != NULL)
		return it->text;
	return NULL;
}

int
prompts_has_language(const struct prompts *p, const char *lang)
{
	return find_lang(p, lang) != NULL;
}

size_t
prompts_language_count(const struct prompts *p)
{
	return p->n;
}

const char *
prompts_language_at(const struct prompts *p, size_t i)
{
	return i < p->n ? p->langs[i].tag : NULL;
}

int
prompts_format(const struct prompts *p, const char *lang, const char *key,
    struct buf *out, ...)
{
	va_list ap;
	int rc;

	va_start(ap, out);
	rc = prompts_vformat(p, lang, key, out, ap);
	va_end(ap);
	return rc;
}

int
prompts_vformat(const struct prompts *p, const char *lang, const char *key,
    struct buf *out, va_list ap)
{
	const char *text, *s, *close, *names[32], *values[32];
	size_t npairs = 0, i, n;
	int rc = 0;

	if ((text = prompts_get(p, lang, key)) == NULL)
		return -1;
	/* A NULL value ends the list too, so an odd list is never overread. */
	while (npairs < SP_ARRAY_LEN(names) &&
	    (names[npairs] = va_arg(ap, const char *)) != NULL &&
	    (values[npairs] = va_arg(ap, const char *)) != NULL)
		npairs++;

	for (s = text; *s != '\0' && rc == 0; ) {
		if (*s != '{' || (close = strchr(s + 1, '}')) == NULL) {
			n = strcspn(s + 1, "{") + 1;
			rc = buf_append(out, s, n);
			s += n;
			continue;
		}
		n = (size_t)(close - s - 1);
		for (i = 0; i < npairs; i++)
			if (strlen(names[i]) == n &&
			    strncmp(names[i], s + 1, n) == 0)
				break;
		if (i < npairs) {
			rc = buf_puts(out, values[i]);
			s = close + 1;
		} else {
			/* Unknown placeholder: keep the '{' and go on after it. */
			rc = buf_putc(out, '{');
			s++;
		}
	}
	return rc;
}
