/*
 * district: load config/districts.csv into district records plus one alias
 * table (key, both display names and every listed spelling), reporting
 * each bad row as file:line before failing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "confscan.h"
#include "csv.h"
#include "district.h"
#include "text.h"
#include "util.h"

static const char *const district_header[] = {
	"key", "name_en", "name_hi", "state", "aliases"
};
#define NCOLS	SP_ARRAY_LEN(district_header)

struct district_table {
	struct district	*d;
	size_t		 n;
	size_t		 cap;
	struct alias_list *aliases;	/* each spelling's ref: unused */
	char		*path;
};

/* Normalise one spelling and add it for key; 0 or -1 (reported). */
static int
add_alias(struct confscan_errors *e, struct district_table *t, const char *key,
    const char *s, size_t len)
{
	char *norm, err[256];
	int rc = 0;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		confscan_error(e, "empty alias for \"%s\"", key);
		return -1;
	}
	if ((norm = text_normalize(s, len)) == NULL) {
		confscan_error(e, "invalid UTF-8 in alias for \"%s\"", key);
		return -1;
	}
	if (*norm == '\0') {
		confscan_error(e, "alias \"%.*s\" is only punctuation",
		    (int)len, s);
		rc = -1;
	} else if (alias_list_add(t->aliases, norm, key, NULL, 0, e->line, err,
	    sizeof(err)) == -1) {
		confscan_error(e, "%s", err);
		rc = -1;
	}
	free(norm);
	return rc;
}

static void
add_row(struct confscan_errors *e, struct district_table *t, char **f)
{
	const char *s, *bar;
	struct district *d;
	size_t i;

	if (!alias_valid_id(f[0])) {
		confscan_error(e, "bad key \"%s\" (want [a-z][a-z0-9_-]*)",
		    f[0]);
		return;
	}
	if (district_find(t, f[0]) != NULL) {
		confscan_error(e, "district \"%s\" listed twice", f[0]);
		return;
	}
	for (i = 1; i < 4; i++)
		if (f[i][0] == '\0') {
			confscan_error(e, "%s is empty for \"%s\"",
			    district_header[i], f[0]);
			return;
		}
	if (!text_has_devanagari(f[2]))
		confscan_error(e, "name_hi \"%s\" has no Devanagari", f[2]);

	add_alias(e, t, f[0], f[0], strlen(f[0]));
	add_alias(e, t, f[0], f[1], strlen(f[1]));
	add_alias(e, t, f[0], f[2], strlen(f[2]));
	if (f[4][0] != '\0') {
		for (s = f[4]; ; s = bar + 1) {
			bar = strchr(s, '|');
			add_alias(e, t, f[0], s,
			    bar ? (size_t)(bar - s) : strlen(s));
			if (bar == NULL)
				break;
		}
	}

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->d = xreallocarray(t->d, t->cap, sizeof(*t->d));
	}
	d = &t->d[t->n++];
	d->key = xstrdup(f[0]);
	d->name_en = xstrdup(f[1]);
	d->name_hi = xstrdup(f[2]);
	d->state = xstrdup(f[3]);
}

/* csv_next() errors start "line N: "; we print the line our own way. */
static const char *
csv_reason(const char *err)
{
	const char *c;

	if (strncmp(err, "line ", 5) == 0 && (c = strstr(err, ": ")) != NULL)
		return c + 2;
	return err;
}

struct district_table *
district_load(const char *path, struct buf *errors)
{
	struct confscan_errors e;
	struct district_table *t;
	struct csv_reader *r;
	char **f, err[256];
	size_t n, i;
	int rc, header = 0;

	memset(&e, 0, sizeof(e));
	e.out = errors;
	e.file = path;
	if ((r = csv_open(path, err, sizeof(err))) == NULL) {
		if (errors != NULL)
			buf_printf(errors, "%s\n", err);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->aliases = alias_list_new();
	t->path = xstrdup(path);
	while ((rc = csv_next(r, &f, &n, &e.line, err, sizeof(err))) != 0) {
		if (rc == -1) {
			confscan_error(&e, "%s", csv_reason(err));
			continue;
		}
		if (!header) {
			header = 1;
			for (i = 0; i < n && i < NCOLS; i++)
				if (strcmp(f[i], district_header[i]) != 0)
					break;
			if (n != NCOLS || i != NCOLS) {
				confscan_error(&e, "header must be exactly "
				    "key,name_en,name_hi,state,aliases");
				break;
			}
			continue;
		}
		if (n != NCOLS) {
			confscan_error(&e, "%zu fields, want %zu", n, NCOLS);
			continue;
		}
		add_row(&e, t, f);
	}
	if (e.n == 0 && !header) {
		e.line = 1;
		confscan_error(&e, "empty file (no header)");
	}
	csv_close(r);
	if (e.n > 0) {
		district_free(t);
		return NULL;
	}
	return t;
}

void
district_free(struct district_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->d[i].key);
		free(t->d[i].name_en);
		free(t->d[i].name_hi);
		free(t->d[i].state);
	}
	free(t->path);
	free(t->d);
	alias_list_free(t->aliases);
	free(t);
}

int
district_match(const struct district_table *t, const char *text,
    const struct district **d)
{
	const char *id;
	const struct district *found;
	int fuzzy;

	if (t == NULL || text == NULL)
		return 0;
	if (alias_list_lookup(t->aliases, text, &id, &fuzzy) != 1)
		return 0;
	if ((found = district_find(t, id)) == NULL)
		return 0;
	*d = found;
	return 1;
}

const struct district *
district_find(const struct district_table *t, const char *key)
{
	size_t i;

	if (t == NULL || key == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->d[i].key, key) == 0)
			return &t->d[i];
	return NULL;
}

const char *
district_name(const struct district *d, const char *lang)
{
	if (d == NULL)
		return NULL;
	if (lang != NULL && strcmp(lang, "hi") == 0)
		return d->name_hi;
	return d->name_en;
}

size_t
district_alias_count(const struct district_table *t)
{
	return t == NULL ? 0 : alias_list_count(t->aliases);
}

int
district_alias_at(const struct district_table *t, size_t i,
    const char **alias, const struct district **d, size_t *line)
{
	const struct alias_spelling *sp;

	if (t == NULL || (sp = alias_list_at(t->aliases, i)) == NULL)
		return 0;
	*alias = sp->alias;
	*d = district_find(t, sp->id);
	*line = sp->line;
	return *d != NULL;
}

const char *
district_path(const struct district_table *t)
{
	return t == NULL ? "" : t->path;
}

size_t
district_count(const struct district_table *t)
{
	return t == NULL ? 0 : t->n;
}

const struct district *
district_at(const struct district_table *t, size_t i)
{
	return t == NULL || i >= t->n ? NULL : &t->d[i];
}
