/*
 * confscan: the line reading and the problem list under Sampark's
 * configuration files.  See confscan.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confscan.h"
#include "text.h"
#include "util.h"

#define UTF8_BOM	"\xef\xbb\xbf"

static void
report(struct confscan_errors *e, int with_line, size_t line,
    const char *fmt, va_list ap)
{
	char msg[512];

	/* Cut, not grown: a message quotes the line, which may be long. */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	e->n++;
	if (e->out == NULL)
		return;
	if (with_line)
		buf_printf(e->out, "%s:%zu: %s\n", e->file, line, msg);
	else
		buf_printf(e->out, "%s: %s\n", e->file, msg);
}

void
confscan_error(struct confscan_errors *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(e, 1, e->line, fmt, ap);
	va_end(ap);
}

void
confscan_verror(struct confscan_errors *e, const char *fmt, va_list ap)
{
	report(e, 1, e->line, fmt, ap);
}

void
confscan_error_at(struct confscan_errors *e, size_t line, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(e, 1, line, fmt, ap);
	va_end(ap);
}

void
confscan_error_file(struct confscan_errors *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(e, 0, 0, fmt, ap);
	va_end(ap);
}

char *
confscan_trim(char *s)
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

int
confscan_comment(const struct confscan_syntax *sx, const char *s)
{
	return *s == '\0' ||
	    (sx->comment != NULL && strchr(sx->comment, *s) != NULL);
}

/* The keys of the section being read, for CONFSCAN_UNIQUE_KEYS. */
struct seen_keys {
	char	*section;	/* NULL before the first */
	char	**keys;
	size_t	*lines;
	size_t	 n, cap;
};

static void
seen_reset(struct seen_keys *k, const char *section)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->keys[i]);
	k->n = 0;
	free(k->section);
	k->section = section != NULL ? xstrdup(section) : NULL;
}

/* 1 if key was seen in this section (said as a problem), else 0 after
 * remembering it. */
static int
seen_twice(struct seen_keys *k, struct confscan_errors *e, const char *key)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->keys[i], key) == 0) {
			if (k->section != NULL)
				confscan_error(e, "key %s given twice in [%s] "
				    "(first on line %zu)", key, k->section,
				    k->lines[i]);
			else
				confscan_error(e, "key %s given twice (first on "
				    "line %zu)", key, k->lines[i]);
			return 1;
		}
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 16;
		k->keys = xreallocarray(k->keys, k->cap, sizeof(*k->keys));
		k->lines = xreallocarray(k->lines, k->cap, sizeof(*k->lines));
	}
	k->keys[k->n] = xstrdup(key);
	k->lines[k->n++] = e->line;
	return 0;
}

/* One line of len bytes (the check for NULs needs the real length). */
static void
scan_line(const struct confscan_syntax *sx, void *arg,
    struct confscan_errors *e, struct seen_keys *seen, char *s, size_t len)
{
	struct confscan_line ln;
	char *cut;

	if ((sx->flags & CONFSCAN_UTF8) && !text_utf8_valid(s, len)) {
		confscan_error(e, "invalid UTF-8");
		return;
	}
	s = confscan_trim(s);
	if (confscan_comment(sx, s))
		return;
	memset(&ln, 0, sizeof(ln));
	if (*s == '[' && sx->section != NULL) {
		cut = strchr(s, ']');
		if (cut != NULL && (cut[1] == '\0' ||
		    (sx->flags & CONFSCAN_SECTION_TAIL))) {
			*cut = '\0';
			ln.name = confscan_trim(s + 1);
			ln.value = confscan_trim(cut + 1);
		}
		seen_reset(seen, ln.name);
		sx->section(arg, &ln);
	} else if ((cut = strchr(s, '=')) != NULL) {
		*cut = '\0';
		ln.name = confscan_trim(s);
		ln.value = confscan_trim(cut + 1);
		if ((sx->flags & CONFSCAN_UNIQUE_KEYS) && *ln.name != '\0' &&
		    seen_twice(seen, e, ln.name))
			return;
		sx->key(arg, &ln);
	} else if (sx->other != NULL) {
		ln.text = s;
		sx->other(arg, &ln);
	} else
		confscan_error(e, "expected key = value");
}

int
confscan_file(const char *path, const struct confscan_syntax *sx, void *arg,
    struct confscan_errors *e)
{
	struct seen_keys seen;
	char *line = NULL, *s;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	e->file = path;
	e->line = 0;
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	memset(&seen, 0, sizeof(seen));
	while ((len = getline(&line, &cap, fp)) != -1) {
		e->line++;
		s = line;
		if (e->line == 1 && len >= 3 && memcmp(s, UTF8_BOM, 3) == 0) {
			s += 3;
			len -= 3;
		}
		scan_line(sx, arg, e, &seen, s, (size_t)len);
	}
	seen_reset(&seen, NULL);
	free(seen.keys);
	free(seen.lines);
	if (ferror(fp))
		confscan_error_file(e, "read error: %s", strerror(errno));
	free(line);
	fclose(fp);
	return 0;
}

char *
confscan_value(const struct confscan_syntax *sx, char *s, char *err,
    size_t errlen)
{
	char *p, *q;

	s = confscan_trim(s);
	if (*s == '"') {
		if ((q = strchr(s + 1, '"')) == NULL) {
			util_err(err, errlen, "unterminated quote");
			return NULL;
		}
		*q = '\0';
		if (!confscan_comment(sx, confscan_trim(q + 1))) {
			util_err(err, errlen, "unexpected text after quoted value");
			return NULL;
		}
		return s + 1;
	}
	/* "#" inside a word (a URL fragment, "No#5") is text. */
	for (p = s; *p != '\0'; p++)
		if (p > s && (p[-1] == ' ' || p[-1] == '\t') &&
		    sx->comment != NULL && strchr(sx->comment, *p) != NULL) {
			*p = '\0';
			break;
		}
	return confscan_trim(s);
}
