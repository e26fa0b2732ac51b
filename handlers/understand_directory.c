/*
 * understand_directory: the words of the stakeholders' names, so that a
 * woman who writes "Halia wali FPO" or the name of a new stakeholder is
 * led to its category although lexicon.conf does not list it (the rule
 * is in understand.h).
 *
 * The words sit after every other entry of the table (e[nbase..n)), so
 * that a new directory replaces them without touching the rest; they are
 * in the same hash, so they cost a message nothing more.
 */
#include <stdlib.h>
#include <string.h>

#include "keywords.h"
#include "records.h"
#include "text.h"
#include "understand_int.h"
#include "util.h"

/* Forget the words of the last directory. */
static void
drop_words(struct understand_table *t)
{
	size_t i;

	for (i = t->nbase; i < t->n; i++) {
		free(t->e[i].key);
		free(t->e[i].listed);
		free(t->e[i].origin);
	}
	t->n = t->nbase;
	understand_rehash(t);
}

/* The info keyword whose category the directory's rows name. */
static const struct keyword *
category_keyword(const struct keywords_table *kw, const char *category)
{
	const struct keyword *k;
	size_t i;

	for (i = 0; category != NULL && i < keywords_count(kw); i++) {
		k = keywords_at(kw, i);
		if (k->handler != NULL && strcmp(k->handler, "info") == 0 &&
		    k->category != NULL && strcmp(k->category, category) == 0)
			return k;
	}
	return NULL;
}

/*
 * One word w (normalised) of the name of row, whose category is kw.  A
 * word seen in a row of another category is marked shared (kw NULL), to
 * be dropped once every row has been read.
 */
static void
add_word(struct understand_table *t, const char *w, size_t len,
    const struct keyword *kw, const struct stakeholder *row, size_t rowno)
{
	const struct understand_entry *old, *near;
	struct understand_entry e;
	uint32_t cp[UNDERSTAND_MAX_CP];
	uint64_t mask;
	char key[UNDERSTAND_MAX_CP * 4 + 1];
	size_t keylen;
	int d;

	if (understand_codepoints(w, len, cp, UNDERSTAND_MAX_CP, &mask) < 3 ||
	    understand_all_digits(w, len))
		return;
	if ((keylen = understand_fold_word(w, len, key, sizeof(key))) == 0)
		return;
	if ((old = understand_lookup(t, key, keylen)) != NULL) {
		if ((size_t)(old - t->e) >= t->nbase && old->kw != kw)
			t->e[old - t->e].kw = NULL;
		return;
	}
	/* A district's near spelling stays the district's ("mirzapuri");
	 * a word the lexicon only has within a typo ("chunar", "hunar")
	 * is the stakeholder's: exact names come before typos. */
	if ((near = understand_fuzzy_find(t, w, len, &d)) != NULL &&
	    near->meaning == UNDERSTAND_M_DISTRICT)
		return;
	memset(&e, 0, sizeof(e));
	e.key = xstrndup(key, keylen);
	e.keylen = keylen;
	e.listed = xstrndup(w, len);
	e.how = UNDERSTAND_DIRECTORY;
	e.meaning = UNDERSTAND_M_DIRECTORY;
	e.kw = kw;
	e.origin = xstrdup(row->name);
	e.line = rowno;
	e.nwords = 1;
	e.ncp = understand_codepoints(w, len, e.cp, UNDERSTAND_MAX_CP, &e.mask);
	understand_append(t, &e);
}

/* Drop the shared words and hash the rest anew. */
static size_t
keep_distinctive(struct understand_table *t)
{
	size_t i, o = t->nbase;

	for (i = t->nbase; i < t->n; i++) {
		if (t->e[i].kw == NULL) {
			free(t->e[i].key);
			free(t->e[i].listed);
			free(t->e[i].origin);
			continue;
		}
		t->e[o++] = t->e[i];
	}
	t->n = o;
	understand_rehash(t);
	return t->n - t->nbase;
}

size_t
understand_set_directory(struct understand_table *t, const struct stakeholder *rows,
    size_t n)
{
	const struct keyword *kw;
	const char *p, *s;
	char *norm;
	size_t i;

	if (t == NULL)
		return 0;
	drop_words(t);
	for (i = 0; i < n; i++) {
		if (rows[i].name == NULL || (kw = category_keyword(t->kw,
		    rows[i].category)) == NULL)
			continue;
		if ((norm = text_normalize(rows[i].name,
		    strlen(rows[i].name))) == NULL)
			continue;
		for (p = norm; *p != '\0';) {
			while (*p == ' ')
				p++;
			for (s = p; *p != '\0' && *p != ' '; p++)
				;
			if (p > s)
				add_word(t, s, (size_t)(p - s), kw, &rows[i],
				    i + 1);
		}
		free(norm);
	}
	return keep_distinctive(t);
}
