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

static void
add_error(struct buf *errors, const char *file, size_t line, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
add_error(struct buf *errors, const char *file, size_t line, const char *fmt,
    ...)
{
	va_list ap;
	char msg[512];

	if (errors == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		buf_printf(errors, "%s:%zu: %s\n", file, line, msg);
	else
		buf_printf(errors, "%s: %s\n", file, msg);
}

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

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
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

/* Parse one line into l; returns 0, or -1 after appending the problem. */
static int
parse_line(struct lang *l, const char *file, size_t lineno, char *line,
    size_t len, struct buf *errors)
{
	char *s, *eq, *key, *text, bad = 0;
	const struct prompt *dup;

	if (!text_utf8_valid(line, len)) {
		add_error(errors, file, lineno, "invalid UTF-8");
		return -1;
	}
	s = trim(line);
	if (*s == '\0' || *s == '#')
		return 0;
	if ((eq = strchr(s, '=')) == NULL) {
		add_error(errors, file, lineno, "missing '='");
		return -1;
	}
	*eq = '\0';
	key = trim(s);
	if (!key_valid(key)) {
		add_error(errors, file, lineno, "bad key '%.60s' (want "
		    "[a-z0-9_.]+)", key);
		return -1;
	}
	if ((dup = lang_find_unsorted(l, key)) != NULL) {
		add_error(errors, file, lineno, "duplicate key '%s' (first on "
		    "line %zu)", key, dup->line);
		return -1;
	}
	if ((text = unescape(trim(eq + 1), &bad)) == NULL) {
		if (bad == '\0')
			add_error(errors, file, lineno, "'\\' at end of line");
		else
			add_error(errors, file, lineno, "unknown escape '\\%c'",
			    bad);
		return -1;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	l->items[l->n].key = xstrdup(key);
	l->items[l->n].text = text;
	l->items[l->n].line = lineno;
	l->n++;
	return 0;
}

/* Read one language file into l; returns the number of problems. */
static int
load_file(struct lang *l, const char *file, struct buf *errors)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int nerr = 0;

	if ((fp = fopen(file, "r")) == NULL) {
		add_error(errors, file, 0, "cannot open: %s", strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		/* The newline is not part of the text; keep it out of the check. */
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (parse_line(l, file, lineno, line, (size_t)n, errors) == -1)
			nerr++;
	}
	if (ferror(fp)) {
		add_error(errors, file, 0, "read error: %s", strerror(errno));
		nerr++;
	}
	free(line);
	fclose(fp);
	if (l->n > 0)	/* qsort(NULL, 0, ...) is undefined */
		qsort(l->items, l->n, sizeof(*l->items), prompt_cmp);
	return nerr;
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
	struct dirent **names = NULL;
	struct stat st;
	int count, i, nerr = 0;

	if ((count = scandir(dir, &names, is_txt, alphasort)) == -1) {
		add_error(errors, dir, 0, "cannot open: %s", strerror(errno));
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
			add_error(errors, file, 0, "bad language name (want "
			    "[A-Za-z0-9_-]+.txt)");
			nerr++;
		} else {
			struct lang *l = &p->langs[p->n++];

			l->tag = xstrndup(name, taglen);
			nerr += load_file(l, file, errors);
		}
		free(file);
		free(names[i]);
	}
	free(names);
	if (p->n == 0 && nerr == 0) {
		add_error(errors, dir, 0, "no message files (*.txt)");
		nerr++;
	}
	if (nerr > 0) {
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

int
prompts_format(const struct prompts *p, const char *lang, const char *key,
    struct buf *out, ...)
{
	const char *text, *s, *close, *names[32], *values[32];
	size_t npairs = 0, i, n;
	va_list ap;
	int rc = 0;

	if ((text = prompts_get(p, lang, key)) == NULL)
		return -1;
	va_start(ap, out);
	/* A NULL value ends the list too, so an odd list is never overread. */
	while (npairs < SP_ARRAY_LEN(names) &&
	    (names[npairs] = va_arg(ap, const char *)) != NULL &&
	    (values[npairs] = va_arg(ap, const char *)) != NULL)
		npairs++;
	va_end(ap);

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
