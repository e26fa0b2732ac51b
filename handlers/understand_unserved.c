/*
 * understand_unserved: the districts of India that Sampark does not serve
 * (other_districts.txt, format in understand.h), so that a woman who
 * names hers is told so, and what she can do, instead of being asked her
 * district again and again.
 *
 * The file is read whole before anything is added: one with a problem
 * leaves the table as it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "understand_int.h"
#include "util.h"

struct spelling {
	char			*norm;
	struct und_unserved	*place;
	int			 everyday;
	size_t			 line;
};

struct reading {
	const char		*path;
	size_t			 line;
	struct buf		*errors;
	int			 nerrors;
	char			*state;
	struct und_unserved	**places;
	size_t			 nplaces;
	struct spelling		*sp;
	size_t			 nsp;
};

static void rerr(struct reading *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
rerr(struct reading *r, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->nerrors++;
	if (r->errors != NULL)
		buf_printf(r->errors, "%s:%zu: %s\n", r->path, r->line, msg);
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

static void
add_spelling(struct reading *r, struct und_unserved *place, char *item)
{
	size_t len = strlen(item);
	int everyday = 0;
	char *norm;

	if (len >= 2 && item[0] == '(' && item[len - 1] == ')') {
		item[len - 1] = '\0';
		item = trim(item + 1);
		if (*item == '\0')
			rerr(r, "empty name");
		else if (place->name_en == NULL)
			place->name_en = xstrdup(item);
		else
			rerr(r, "a name in parentheses comes first");
		return;
	}
	if (*item == '~') {
		everyday = 1;
		item = trim(item + 1);
	}
	if (*item == '\0') {
		rerr(r, "empty spelling");
		return;
	}
	if ((norm = text_normalize(item, strlen(item))) == NULL) {
		rerr(r, "invalid UTF-8");
		return;
	}
	if (*norm == '\0') {
		rerr(r, "\"%s\" is only punctuation", item);
		free(norm);
		return;
	}
	if (place->name_en == NULL)
		place->name_en = xstrdup(item);
	if (place->name_hi == NULL && text_has_devanagari(item))
		place->name_hi = xstrdup(item);
	r->sp = xreallocarray(r->sp, r->nsp + 1, sizeof(*r->sp));
	r->sp[r->nsp].norm = norm;
	r->sp[r->nsp].place = place;
	r->sp[r->nsp].everyday = everyday;
	r->sp[r->nsp].line = r->line;
	r->nsp++;
}

/* "[Bihar]", or one district: its spellings, comma-separated. */
static void
read_line(struct reading *r, char *s)
{
	struct und_unserved *place;
	char *item, *next;
	size_t len = strlen(s);

	if (*s == '[') {
		if (len < 3 || s[len - 1] != ']') {
			rerr(r, "a state header is [name]");
			return;
		}
		s[len - 1] = '\0';
		free(r->state);
		r->state = xstrdup(trim(s + 1));
		return;
	}
	place = xcalloc(1, sizeof(*place));
	place->state = r->state != NULL ? xstrdup(r->state) : NULL;
	r->places = xreallocarray(r->places, r->nplaces + 1,
	    sizeof(*r->places));
	r->places[r->nplaces++] = place;
	for (item = s; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		add_spelling(r, place, trim(item));
	}
}

static int
read_file(struct reading *r)
{
	char *line = NULL, *s;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	if ((fp = fopen(r->path, "r")) == NULL) {
		r->nerrors++;
		if (r->errors != NULL)
			buf_printf(r->errors, "%s: %s\n", r->path,
			    strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		r->line++;
		s = line;
		if (r->line == 1 && len >= 3 &&
		    memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (!text_utf8_valid(s, (size_t)len)) {
			rerr(r, "invalid UTF-8");
			continue;
		}
		s = trim(s);
		if (*s != '\0' && *s != '#')
			read_line(r, s);
	}
	if (ferror(fp))
		rerr(r, "read error");
	free(line);
	fclose(fp);
	return r->nerrors > 0 ? -1 : 0;
}

static void
place_free(struct und_unserved *p)
{
	free(p->name_en);
	free(p->name_hi);
	free(p->state);
	free(p);
}

/*
 * One spelling into the table.  A word the keywords, districts or the
 * lexicon know keeps their meaning, but a filler word ("gay", which
 * "gaya" folds to) may also be the place, as an everyday word.
 */
static void
add_place_entry(struct und_table *t, const struct spelling *sp)
{
	struct und_entry e, *old;
	char key[256];
	unsigned nwords;
	size_t len;

	len = und_fold_phrase(sp->norm, key, sizeof(key), &nwords);
	if (len == 0 || nwords == 0)
		return;
	old = (struct und_entry *)und_lookup(t, key, len);
	if (old != NULL) {
		if (old->meaning == UND_M_FILLER && old->unserved == NULL) {
			old->unserved = sp->place;
			old->everyday = 1;
		}
		return;
	}
	memset(&e, 0, sizeof(e));
	e.key = xstrndup(key, len);
	e.keylen = len;
	e.listed = xstrdup(sp->norm);
	e.how = UND_UNSERVED;
	e.meaning = UND_M_UNSERVED;
	e.unserved = sp->place;
	e.everyday = sp->everyday;
	e.file = t->files[3];
	e.line = sp->line;
	e.nwords = nwords;
	und_append(t, &e);
}

int
und_add_unserved(struct und_table *t, const char *path, struct buf *errors)
{
	struct reading r;
	size_t i;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.path = path;
	r.errors = errors;
	if (t->n != t->nbase) {
		/* Directory words come last: they give way to places. */
		buf_printf(errors, "%s: read before the directory's words\n",
		    path);
		return -1;
	}
	if (read_file(&r) == -1)
		goto out;
	free(t->files[3]);
	t->files[3] = xstrdup(path);
	t->unserved = xreallocarray(t->unserved, t->nunserved + r.nplaces,
	    sizeof(*t->unserved));
	for (i = 0; i < r.nplaces; i++)
		t->unserved[t->nunserved++] = r.places[i];
	r.nplaces = 0;
	for (i = 0; i < r.nsp; i++)
		add_place_entry(t, &r.sp[i]);
	t->nbase = t->n;
	rc = 0;
out:
	for (i = 0; i < r.nplaces; i++)
		place_free(r.places[i]);
	for (i = 0; i < r.nsp; i++)
		free(r.sp[i].norm);
	free(r.places);
	free(r.sp);
	free(r.state);
	return rc;
}
