/*
 * alias: normalised spelling → id, exact by hash, typo-tolerant by scan.
 *
 * Entries live in one array in insertion order; a chained hash over that
 * array answers exact lookups.  The fuzzy pass scans the array, but only
 * entries whose code point length is within one of the query's are
 * compared, so a few hundred aliases cost a few integer compares each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "text.h"
#include "util.h"

/* Neither the query nor the alias may be shorter than this for a typo. */
#define ALIAS_FUZZY_MIN	4

struct alias_entry {
	char	*alias;
	char	*id;
	size_t	 cplen;
	size_t	 next;		/* next in the same bucket, or NONE */
};

#define NONE	SIZE_MAX

struct alias_table {
	struct alias_entry *ent;
	size_t	 n;
	size_t	 cap;
	size_t	*bucket;	/* index of the first entry, or NONE */
	size_t	 nbucket;	/* power of two */
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
rehash(struct alias_table *t, size_t nbucket)
{
	size_t i, b;

	free(t->bucket);
	t->bucket = xreallocarray(NULL, nbucket, sizeof(*t->bucket));
	t->nbucket = nbucket;
	for (i = 0; i < nbucket; i++)
		t->bucket[i] = NONE;
	for (i = 0; i < t->n; i++) {
		b = hash_str(t->ent[i].alias) & (nbucket - 1);
		t->ent[i].next = t->bucket[b];
		t->bucket[b] = i;
	}
}

struct alias_table *
alias_table_new(void)
{
	struct alias_table *t = xcalloc(1, sizeof(*t));

	rehash(t, 64);
	return t;
}

void
alias_table_free(struct alias_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->ent[i].alias);
		free(t->ent[i].id);
	}
	free(t->ent);
	free(t->bucket);
	free(t);
}

static const struct alias_entry *
find_exact(const struct alias_table *t, const char *alias)
{
	size_t i;

	i = t->bucket[hash_str(alias) & (t->nbucket - 1)];
	for (; i != NONE; i = t->ent[i].next)
		if (strcmp(t->ent[i].alias, alias) == 0)
			return &t->ent[i];
	return NULL;
}

int
alias_table_add(struct alias_table *t, const char *alias, const char *id,
    char *err, size_t errlen)
{
	const struct alias_entry *old;
	struct alias_entry *e;
	size_t b;

	if (alias == NULL || *alias == '\0') {
		util_err(err, errlen, "empty alias for \"%s\"", id);
		return -1;
	}
	if ((old = find_exact(t, alias)) != NULL) {
		if (strcmp(old->id, id) == 0)
			return 0;
		util_err(err, errlen, "alias \"%s\" of \"%s\" is already an "
		    "alias of \"%s\"", alias, id, old->id);
		return -1;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->ent = xreallocarray(t->ent, t->cap, sizeof(*t->ent));
	}
	e = &t->ent[t->n];
	e->alias = xstrdup(alias);
	e->id = xstrdup(id);
	e->cplen = text_codepoints(alias);
	b = hash_str(alias) & (t->nbucket - 1);
	e->next = t->bucket[b];
	t->bucket[b] = t->n;
	t->n++;
	if (t->n > t->nbucket / 4 * 3)
		rehash(t, t->nbucket * 2);
	return 0;
}

int
alias_table_lookup(const struct alias_table *t, const char *query,
    const char **id, int *fuzzy)
{
	const struct alias_entry *e;
	const char *found = NULL;
	size_t i, qlen;

	if (t == NULL || query == NULL)
		return 0;
	if ((e = find_exact(t, query)) != NULL) {
		*id = e->id;
		*fuzzy = 0;
		return 1;
	}
	qlen = text_codepoints(query);
	if (qlen < ALIAS_FUZZY_MIN)
		return 0;
	for (i = 0; i < t->n; i++) {
		e = &t->ent[i];
		if (e->cplen < ALIAS_FUZZY_MIN ||
		    e->cplen + 1 < qlen || qlen + 1 < e->cplen)
			continue;
		if (!text_within_one_edit(query, e->alias))
			continue;
		if (found == NULL)
			found = e->id;
		else if (strcmp(found, e->id) != 0)
			return 0;	/* ambiguous */
	}
	if (found == NULL)
		return 0;
	*id = found;
	*fuzzy = 1;
	return 1;
}

size_t
alias_table_count(const struct alias_table *t)
{
	return t == NULL ? 0 : t->n;
}

struct alias_list {
	struct alias_table *table;
	struct alias_spelling *sp;	/* strings owned */
	size_t		 n;
	size_t		 cap;
};

struct alias_list *
alias_list_new(void)
{
	struct alias_list *l = xcalloc(1, sizeof(*l));

	l->table = alias_table_new();
	return l;
}

void
alias_list_free(struct alias_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free((char *)l->sp[i].alias);
		free((char *)l->sp[i].id);
		free((char *)l->sp[i].tag);
	}
	free(l->sp);
	alias_table_free(l->table);
	free(l);
}

int
alias_list_add(struct alias_list *l, const char *alias, const char *id,
    const char *tag, size_t ref, size_t line, char *err, size_t errlen)
{
	struct alias_spelling *r;

	if (alias_table_add(l->table, alias, id, err, errlen) == -1)
		return -1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->sp = xreallocarray(l->sp, l->cap, sizeof(*l->sp));
	}
	r = &l->sp[l->n++];
	r->alias = xstrdup(alias);
	r->id = xstrdup(id);
	r->tag = tag != NULL ? xstrdup(tag) : NULL;
	r->ref = ref;
	r->line = line;
	return 0;
}

int
alias_list_lookup(const struct alias_list *l, const char *query,
    const char **id, int *fuzzy)
{
	if (l == NULL)
		return 0;
	return alias_table_lookup(l->table, query, id, fuzzy);
}

size_t
alias_list_count(const struct alias_list *l)
{
	return l == NULL ? 0 : l->n;
}

const struct alias_spelling *
alias_list_at(const struct alias_list *l, size_t i)
{
	return l == NULL || i >= l->n ? NULL : &l->sp[i];
}

int
alias_valid_id(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return 0;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '-'))
			return 0;
	return 1;
}
