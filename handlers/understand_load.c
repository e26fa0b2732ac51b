/*
 * understand_load: build the folded lexicon of understand.h from the
 * keywords, the districts and lexicon.conf, and check it for conflicts.
 *
 * Every key is folded word by word (understand_fold_word) exactly as a message
 * is, and hashed (open addressing, FNV-1a), so a message word costs one
 * probe.  A key listed twice with one meaning is kept once; with two
 * meanings it is an error at the second place, naming the first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confscan.h"
#include "district.h"
#include "keywords.h"
#include "text.h"
#include "understand_int.h"
#include "util.h"

struct understand_parse {
	struct understand_table	*t;
	const struct keywords_table	*kw;
	/* Also the place of the entry being added, in whichever file. */
	struct confscan_errors	 err;
	/* The section being read. */
	int			 in_section;
	enum understand_meaning	 meaning;
	const struct keyword	*sect_kw;
};

static void perr(struct understand_parse *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
perr(struct understand_parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	confscan_verror(&p->err, fmt, ap);
	va_end(ap);
}

static uint32_t
hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

const struct understand_entry *
understand_lookup(const struct understand_table *t, const char *key, size_t len)
{
	size_t mask, i;
	uint32_t s;

	if (t == NULL || t->nslot == 0)
		return NULL;
	mask = t->nslot - 1;
	for (i = hash(key, len) & mask; (s = t->slot[i]) != 0;
	    i = (i + 1) & mask) {
		const struct understand_entry *e = &t->e[s - 1];

		if (e->keylen == len && memcmp(e->key, key, len) == 0)
			return e;
	}
	return NULL;
}

void
understand_rehash(struct understand_table *t)
{
	size_t i;

	free(t->slot);
	t->nslot = 64;
	while (t->nslot < t->n * 3)
		t->nslot *= 2;
	t->slot = xcalloc(t->nslot, sizeof(*t->slot));
	for (i = 0; i < t->n; i++)
		if (!t->e[i].chained)
			understand_hash_insert(t, i);
}

void
understand_hash_insert(struct understand_table *t, size_t i)
{
	size_t j, mask = t->nslot - 1;

	for (j = hash(t->e[i].key, t->e[i].keylen) & mask; t->slot[j] != 0;
	    j = (j + 1) & mask)
		;
	t->slot[j] = (uint32_t)(i + 1);
}

size_t
understand_append(struct understand_table *t, const struct understand_entry *proto)
{
	size_t i;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->e = xreallocarray(t->e, t->cap, sizeof(*t->e));
	}
	i = t->n++;
	t->e[i] = *proto;
	if (proto->nwords > t->max_words)
		t->max_words = proto->nwords;
	if (proto->chained)
		return i;
	if (t->nslot == 0 || t->n * 3 > t->nslot * 2)
		understand_rehash(t);
	else
		understand_hash_insert(t, i);
	return i;
}

static const char *
meaning_name(const struct understand_entry *e, char *buf, size_t len)
{
	switch (e->meaning) {
	case UNDERSTAND_M_DISTRICT:
		snprintf(buf, len, "district %s", e->district->key);
		break;
	case UNDERSTAND_M_FILLER:
	case UNDERSTAND_M_GREETING:
	case UNDERSTAND_M_MESSAGE:
	case UNDERSTAND_M_RECEIVED:
	case UNDERSTAND_M_JILA:
		snprintf(buf, len, "filler");
		break;
	case UNDERSTAND_M_UNSERVED:
		snprintf(buf, len, "unserved district %s",
		    e->unserved->name_en);
		break;
	case UNDERSTAND_M_NEGATION:
	case UNDERSTAND_M_NEGATION_BEFORE:
		snprintf(buf, len, "negation");
		break;
	default:
		snprintf(buf, len, "%s", e->kw->name);
		break;
	}
	return buf;
}

static int
same_meaning(const struct understand_entry *a, const struct understand_entry *b)
{
	return a->meaning == b->meaning && a->kw == b->kw &&
	    a->district == b->district;
}

/* A trade and its category's words lead to the same stakeholders. */
static int
same_target(const struct understand_entry *a, const struct understand_entry *b)
{
	return a->kw == b->kw && a->district == b->district &&
	    (a->meaning == b->meaning ||
	    (a->meaning == UNDERSTAND_M_TOPIC && b->meaning == UNDERSTAND_M_CATEGORY) ||
	    (a->meaning == UNDERSTAND_M_CATEGORY && b->meaning == UNDERSTAND_M_TOPIC));
}

size_t
understand_fold_phrase(const char *norm, char *out, size_t outlen, unsigned *nwords)
{
	const char *p = norm, *s;
	size_t o = 0, n;

	*nwords = 0;
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (s = p; *p != '\0' && *p != ' '; p++)
			;
		if (o > 0 && o + 1 < outlen)
			out[o++] = ' ';
		n = understand_fold_word(s, (size_t)(p - s), out + o, outlen - o);
		if (n == 0 && o > 0)
			o--;
		o += n;
		if (n > 0)
			(*nwords)++;
	}
	out[o] = '\0';
	return o;
}

/* Another spelling of an entry, linked from it, outside the hash. */
static void
chain_listed(struct understand_table *t, size_t first, const char *norm)
{
	struct understand_entry e = t->e[first];
	size_t i = first;

	while (t->e[i].next_same != 0)
		i = t->e[i].next_same - 1;
	e.key = xstrdup(t->e[first].key);
	e.listed = xstrdup(norm);
	e.next_same = 0;
	e.chained = 1;
	e.ncp = understand_codepoints(norm, strlen(norm), e.cp, UNDERSTAND_MAX_CP, &e.mask);
	e.fuzzy_ok = e.fuzzy_ok && e.ncp >= 4 && strchr(norm, ' ') == NULL;
	understand_append(t, &e);
	t->e[i].next_same = t->n;
}

/*
 * Add one normalised entry.  0, or -1 if it is listed with another
 * meaning already (reported through p, whose path and line are the new
 * entry's place).
 */
static int
add_entry(struct understand_parse *p, const char *norm, enum understand_how how,
    enum understand_meaning meaning, const struct keyword *kw,
    const struct district *d)
{
	struct understand_table *t = p->t;
	struct understand_entry e;
	const struct understand_entry *old;
	char key[256], a[96], b[96];
	unsigned nwords;
	size_t len;

	len = understand_fold_phrase(norm, key, sizeof(key), &nwords);
	if (len == 0 || nwords == 0)
		return 0;
	memset(&e, 0, sizeof(e));
	e.meaning = meaning;
	e.kw = kw;
	e.district = d;
	if ((old = understand_lookup(t, key, len)) != NULL) {
		if (same_meaning(old, &e)) {
			/* Kept for the exact check of STOP and START. */
			if (strcmp(old->listed, norm) != 0)
				chain_listed(t, (size_t)(old - t->e), norm);
			return 0;
		}
		perr(p, "\"%s\" means %s here but %s at %s:%zu", norm,
		    meaning_name(&e, a, sizeof(a)),
		    meaning_name(old, b, sizeof(b)), old->file, old->line);
		return -1;
	}
	e.key = xstrndup(key, len);
	e.keylen = len;
	e.listed = xstrdup(norm);
	e.how = how;
	e.file = p->err.file;
	e.line = p->err.line;
	e.nwords = nwords;
	/* Typos are measured on the words as written, not folded: folding
	 * brings "sewing" within one letter of "selling". */
	e.ncp = understand_codepoints(norm, strlen(norm), e.cp, UNDERSTAND_MAX_CP, &e.mask);
	/* Typos lead only to categories and districts, never to a
	 * command, and only from words long enough to tell apart. */
	e.fuzzy_ok = nwords == 1 && e.ncp >= 4 && how != UNDERSTAND_DIGIT &&
	    (meaning == UNDERSTAND_M_CATEGORY || meaning == UNDERSTAND_M_TOPIC ||
	    meaning == UNDERSTAND_M_DISTRICT);
	understand_append(t, &e);
	return 0;
}

static void
start_section(void *arg, struct confscan_line *ln)
{
	struct understand_parse *p = arg;
	const char *name = ln->name;

	p->in_section = 0;
	if (name == NULL) {
		perr(p, "section header must be [name]");
		return;
	}
	p->sect_kw = NULL;
	if (strcmp(name, "filler") == 0)
		p->meaning = UNDERSTAND_M_FILLER;
	else if (strcmp(name, "greeting") == 0)
		p->meaning = UNDERSTAND_M_GREETING;
	else if (strcmp(name, "message") == 0)
		p->meaning = UNDERSTAND_M_MESSAGE;
	else if (strcmp(name, "received") == 0)
		p->meaning = UNDERSTAND_M_RECEIVED;
	else if (strcmp(name, "jila") == 0)
		p->meaning = UNDERSTAND_M_JILA;
	else if (strcmp(name, "negation") == 0)
		p->meaning = UNDERSTAND_M_NEGATION;
	else if ((p->sect_kw = keywords_find(p->kw, name)) != NULL)
		p->meaning = p->sect_kw->handler != NULL &&
		    strcmp(p->sect_kw->handler, "info") == 0 ?
		    UNDERSTAND_M_CATEGORY : UNDERSTAND_M_COMMAND;
	else {
		perr(p, "[%s] is no keyword of %s, nor filler, greeting, "
		    "message, received, jila or negation", name,
		    keywords_path(p->kw));
		return;
	}
	p->in_section = 1;
}

static const struct {
	const char	*key;
	enum understand_how	 how;
} lex_keys[] = {
	{ "synonym",	UNDERSTAND_SYNONYM },
	{ "scheme",	UNDERSTAND_SCHEME },
	{ "topic",	UNDERSTAND_SYNONYM },
	{ "phrase",	UNDERSTAND_PHRASE },
	{ "anywhere",	UNDERSTAND_ANYWHERE },
	{ "word",	UNDERSTAND_FILLER },
	{ "before",	UNDERSTAND_NEGATION },
};

static void
key_value(void *arg, struct confscan_line *ln)
{
	struct understand_parse *p = arg;
	const char *key = ln->name;
	char *item, *next, *norm;
	enum understand_meaning meaning = p->meaning;
	enum understand_how how = UNDERSTAND_UNKNOWN;
	size_t i;
	int found = 0;

	for (i = 0; i < SP_ARRAY_LEN(lex_keys); i++)
		if (strcmp(key, lex_keys[i].key) == 0) {
			how = lex_keys[i].how;
			found = 1;
		}
	if (!found) {
		perr(p, "unknown key \"%s\" (synonym, scheme, topic, phrase, "
		    "anywhere or word)", key);
		return;
	}
	if (!p->in_section) {
		perr(p, "\"%s\" outside a section", key);
		return;
	}
	if ((how == UNDERSTAND_FILLER || how == UNDERSTAND_NEGATION) !=
	    (p->sect_kw == NULL) || (how == UNDERSTAND_NEGATION &&
	    meaning != UNDERSTAND_M_NEGATION)) {
		perr(p, "\"%s\" does not belong in this section", key);
		return;
	}
	if (meaning == UNDERSTAND_M_NEGATION) {
		if (how == UNDERSTAND_NEGATION)
			meaning = UNDERSTAND_M_NEGATION_BEFORE;
		how = UNDERSTAND_NEGATION;
	}
	if ((how == UNDERSTAND_PHRASE || how == UNDERSTAND_ANYWHERE) &&
	    meaning != UNDERSTAND_M_COMMAND) {
		perr(p, "\"%s\" is for commands; a category's words count "
		    "anywhere already (synonym)", key);
		return;
	}
	if ((how == UNDERSTAND_SCHEME || strcmp(key, "topic") == 0) &&
	    meaning != UNDERSTAND_M_CATEGORY) {
		perr(p, "\"%s\" is for categories", key);
		return;
	}
	if (strcmp(key, "topic") == 0)
		meaning = UNDERSTAND_M_TOPIC;
	for (item = ln->value; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		item = confscan_trim(item);
		if (*item == '\0') {
			/* A list may end with a comma, to go on below. */
			if (next != NULL)
				perr(p, "empty entry in \"%s\"", key);
			continue;
		}
		if ((norm = text_normalize(item, strlen(item))) == NULL) {
			perr(p, "invalid UTF-8");
			continue;
		}
		if (*norm == '\0')
			perr(p, "\"%s\" is only punctuation", item);
		else
			add_entry(p, norm, how, meaning, p->sect_kw, NULL);
		free(norm);
	}
}

static const struct confscan_syntax lexicon_syntax = {
	.comment = "#",
	.flags = CONFSCAN_UTF8,
	.section = start_section,
	.key = key_value,
};

static void
load_lexicon(struct understand_parse *p, const char *path)
{
	if (confscan_file(path, &lexicon_syntax, p, &p->err) == -1)
		confscan_error_file(&p->err, "%s", strerror(errno));
}

static void
load_keywords(struct understand_parse *p)
{
	struct kw_alias a;
	size_t i;

	p->err.file = p->t->files[0];
	for (i = 0; keywords_alias_at(p->kw, i, &a); i++) {
		int info = a.kw->handler != NULL &&
		    strcmp(a.kw->handler, "info") == 0;

		p->err.line = a.line;
		add_entry(p, a.alias, strcmp(a.lang, "digit") == 0 ?
		    UNDERSTAND_DIGIT : UNDERSTAND_KEYWORD, info ? UNDERSTAND_M_CATEGORY :
		    UNDERSTAND_M_COMMAND, a.kw, NULL);
	}
	for (i = 0; i < keywords_count(p->kw); i++) {
		const struct keyword *k = keywords_at(p->kw, i);

		if (k->handler != NULL && strcmp(k->handler, "stop") == 0 &&
		    p->t->kw_stop == NULL)
			p->t->kw_stop = k;
		if (k->handler == NULL || strcmp(k->handler, "rsvp") != 0 ||
		    k->category == NULL)
			continue;
		if (strcmp(k->category, "yes") == 0 && p->t->kw_yes == NULL)
			p->t->kw_yes = k;
		if (strcmp(k->category, "no") == 0 && p->t->kw_no == NULL)
			p->t->kw_no = k;
	}
}

static void
load_districts(struct understand_parse *p, const struct district_table *dt)
{
	const struct district *d;
	const char *alias;
	size_t i, line;

	p->err.file = p->t->files[1];
	for (i = 0; district_alias_at(dt, i, &alias, &d, &line); i++) {
		p->err.line = line;
		add_entry(p, alias, UNDERSTAND_DISTRICT, UNDERSTAND_M_DISTRICT, NULL, d);
	}
}

struct understand_table *
understand_new(const struct keywords_table *kw, const struct district_table *dt,
    const char *lexicon_path, struct buf *errors)
{
	struct understand_parse p;
	struct understand_table *t = xcalloc(1, sizeof(*t));
	size_t i;

	memset(&p, 0, sizeof(p));
	p.t = t;
	p.kw = kw;
	p.err.out = errors;
	t->kw = kw;
	t->files[0] = xstrdup(keywords_path(kw));
	t->files[1] = xstrdup(district_path(dt));
	t->files[2] = xstrdup(lexicon_path);
	understand_rehash(t);
	load_keywords(&p);
	load_districts(&p, dt);
	load_lexicon(&p, t->files[2]);
	if (p.err.n > 0) {
		understand_free(t);
		return NULL;
	}
	for (i = 0; i < t->n; i++)
		if (t->e[i].fuzzy_ok)
			t->nfuzzy++;
	t->fuzzy = xcalloc(t->nfuzzy ? t->nfuzzy : 1, sizeof(*t->fuzzy));
	t->nfuzzy = 0;
	for (i = 0; i < t->n; i++)
		if (t->e[i].fuzzy_ok)
			t->fuzzy[t->nfuzzy++] = i;
	t->nbase = t->n;
	return t;
}

void
understand_free(struct understand_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->e[i].key);
		free(t->e[i].listed);
		free(t->e[i].origin);
	}
	for (i = 0; i < t->nunserved; i++) {
		free(t->unserved[i]->name_en);
		free(t->unserved[i]->name_hi);
		free(t->unserved[i]->state);
		free(t->unserved[i]);
	}
	free(t->unserved);
	for (i = 0; i < SP_ARRAY_LEN(t->files); i++)
		free(t->files[i]);
	free(t->e);
	free(t->slot);
	free(t->fuzzy);
	free(t);
}

/* Does a typo of one land near the other in a way that matters? */
static int
conflicting(const struct understand_entry *a, const struct understand_entry *b)
{
	int max;
	size_t n;

	if (same_target(a, b) || a->nwords != 1 || b->nwords != 1 ||
	    a->how == UNDERSTAND_DIGIT || b->how == UNDERSTAND_DIGIT)
		return 0;
	/* A command or a category word, next to another meaning. */
	if (a->meaning >= UNDERSTAND_M_FILLER || b->meaning >= UNDERSTAND_M_FILLER)
		return 0;
	if (a->meaning != UNDERSTAND_M_COMMAND && b->meaning != UNDERSTAND_M_COMMAND &&
	    a->meaning != UNDERSTAND_M_CATEGORY && b->meaning != UNDERSTAND_M_CATEGORY)
		return 0;
	n = a->ncp < b->ncp ? a->ncp : b->ncp;
	if ((max = understand_max_edits(n)) == 0)
		return 0;
	/* The same cheap filters as a fuzzy lookup, before the distance. */
	if ((a->ncp > b->ncp ? a->ncp - b->ncp : b->ncp - a->ncp) >
	    (size_t)max || __builtin_popcountll(a->mask ^ b->mask) > 2 * max)
		return 0;
	return understand_distance(a->cp, a->ncp, b->cp, b->ncp, max) <= max;
}

int
understand_check(const struct understand_table *t, struct buf *errors)
{
	char ma[96], mb[96];
	size_t i, j;
	int n = 0;

	if (t == NULL)
		return 0;
	for (i = 0; i < t->n; i++)
		for (j = i + 1; j < t->n; j++) {
			const struct understand_entry *a = &t->e[i], *b = &t->e[j];

			if (!conflicting(a, b))
				continue;
			n++;
			buf_printf(errors, "%s:%zu: \"%s\" (%s) is within a "
			    "typo of \"%s\" (%s) at %s:%zu\n", b->file,
			    b->line, b->listed, meaning_name(b, mb,
			    sizeof(mb)), a->listed, meaning_name(a, ma,
			    sizeof(ma)), a->file, a->line);
		}
	return n;
}
