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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confscan.h"
#include "text.h"
#include "understand_int.h"
#include "util.h"

struct spelling {
	char			*norm;
	struct understand_unserved	*place;
	int			 everyday;
	size_t			 line;
};

struct reading {
	struct confscan_errors	 err;
	char			*state;
	struct understand_unserved	**places;
	size_t			 nplaces;
	struct spelling		*sp;
	size_t			 nsp;
};

static void
add_spelling(struct reading *r, struct understand_unserved *place, char *item)
{
	size_t len = strlen(item);
	int everyday = 0;
	char *norm;

	if (len >= 2 && item[0] == '(' && item[len - 1] == ')') {
		item[len - 1] = '\0';
		item = confscan_trim(item + 1);
		if (*item == '\0')
			confscan_error(&r->err, "empty name");
		else if (place->name_en == NULL)
			place->name_en = xstrdup(item);
		else
			confscan_error(&r->err, "a name in parentheses comes first");
		return;
	}
	if (*item == '~') {
		everyday = 1;
		item = confscan_trim(item + 1);
	}
	if (*item == '\0') {
		confscan_error(&r->err, "empty spelling");
		return;
	}
	if ((norm = text_normalize(item, strlen(item))) == NULL) {
		confscan_error(&r->err, "invalid UTF-8");
		return;
	}
	if (*norm == '\0') {
		confscan_error(&r->err, "\"%s\" is only punctuation", item);
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
	r->sp[r->nsp].line = r->err.line;
	r->nsp++;
}

/* "[Bihar]": the state of the districts below. */
static void
read_section(void *arg, struct confscan_line *l)
{
	struct reading *r = arg;

	if (l->name == NULL || *l->name == '\0') {
		confscan_error(&r->err, "a state header is [name]");
		return;
	}
	free(r->state);
	r->state = xstrdup(l->name);
}

/* One district: its spellings, comma-separated. */
static void
read_district(void *arg, struct confscan_line *l)
{
	struct reading *r = arg;
	struct understand_unserved *place;
	char *item, *next;

	place = xcalloc(1, sizeof(*place));
	place->state = r->state != NULL ? xstrdup(r->state) : NULL;
	r->places = xreallocarray(r->places, r->nplaces + 1,
	    sizeof(*r->places));
	r->places[r->nplaces++] = place;
	for (item = l->text; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		add_spelling(r, place, confscan_trim(item));
	}
}

/* No key = value lines: a '=' is part of no district's name. */
static void
read_key(void *arg, struct confscan_line *l)
{
	(void)l;
	confscan_error(&((struct reading *)arg)->err,
	    "expected a district's spellings, comma-separated");
}

static const struct confscan_syntax unserved_syntax = {
	.comment = "#",
	.flags = CONFSCAN_UTF8,
	.section = read_section,
	.key = read_key,
	.other = read_district,
};

static int
read_file(struct reading *r, const char *path)
{
	if (confscan_file(path, &unserved_syntax, r, &r->err) == -1) {
		r->err.file = path;
		confscan_error_file(&r->err, "%s", strerror(errno));
		return -1;
	}
	return r->err.n > 0 ? -1 : 0;
}

static void
place_free(struct understand_unserved *p)
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
add_place_entry(struct understand_table *t, const struct spelling *sp)
{
	struct understand_entry e, *old;
	char key[256];
	unsigned nwords;
	size_t len;

	len = understand_fold_phrase(sp->norm, key, sizeof(key), &nwords);
	if (len == 0 || nwords == 0)
		return;
	old = (struct understand_entry *)understand_lookup(t, key, len);
	if (old != NULL) {
		if (old->meaning == UNDERSTAND_M_FILLER && old->unserved == NULL) {
			old->unserved = sp->place;
			old->everyday = 1;
		}
		return;
	}
	memset(&e, 0, sizeof(e));
	e.key = xstrndup(key, len);
	e.keylen = len;
	e.listed = xstrdup(sp->norm);
	e.how = UNDERSTAND_UNSERVED;
	e.meaning = UNDERSTAND_M_UNSERVED;
	e.unserved = sp->place;
	e.everyday = sp->everyday;
	e.file = t->files[3];
	e.line = sp->line;
	e.nwords = nwords;
	understand_append(t, &e);
}

int
understand_add_unserved(struct understand_table *t, const char *path, struct buf *errors)
{
	struct reading r;
	size_t i;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.err.out = errors;
	if (t->n != t->nbase) {
		/* Directory words come last: they give way to places. */
		buf_printf(errors, "%s: read before the directory's words\n",
		    path);
		return -1;
	}
	if (read_file(&r, path) == -1)
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
