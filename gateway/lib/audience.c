/*
 * audience: parse and match audience expressions.  See audience.h for the
 * grammar.  Pure: no store, no I/O; membership questions go to the
 * caller's callback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "records.h"
#include "text.h"
#include "util.h"

static const struct {
	const char		*word;
	enum audience_kind	 kind;
} kinds[] = {
	{ "all", AUD_ALL },
	{ "district", AUD_DISTRICT },
	{ "language", AUD_LANGUAGE },
	{ "interest", AUD_INTEREST },
	{ "group", AUD_GROUP },
	{ "rsvp", AUD_RSVP },
};

static const char *const rsvp_answers[] = { "yes", "no", "none" };

static const char *
kind_word(enum audience_kind k)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(kinds); i++)
		if (kinds[i].kind == k)
			return kinds[i].word;
	return "?";
}

static int
is_name_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	    ch == '-' || ch == '_' || ch == '.';
}

static int
lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

void
audience_free(struct audience *a)
{
	size_t i, j;

	if (a == NULL)
		return;
	for (i = 0; i < a->nconjs; i++) {
		for (j = 0; j < a->conjs[i].nterms; j++)
			free(a->conjs[i].terms[j].name);
		free(a->conjs[i].terms);
	}
	free(a->conjs);
	free(a->text);
	free(a);
}

/* Parser state: p walks expr; errors name 1-based positions. */
struct parser {
	const char	*expr;
	const char	*p;
	char		*err;
	size_t		 errlen;
};

static void
skip_spaces(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

static int
fail(struct parser *ps, const char *at, const char *what)
{
	util_err(ps->err, ps->errlen, "position %zu: %s",
	    (size_t)(at - ps->expr) + 1, what);
	return -1;
}

int
audience_rsvp_split(const char *name, long long *broadcast_id,
    const char **answer)
{
	const char *colon;
	char *end;
	size_t i;

	if (name == NULL || *name < '1' || *name > '9' ||
	    (colon = strchr(name, ':')) == NULL)
		return -1;
	*broadcast_id = strtoll(name, &end, 10);
	if (end != colon || *broadcast_id <= 0)
		return -1;
	for (i = 0; i < SP_ARRAY_LEN(rsvp_answers); i++)
		if (strcmp(colon + 1, rsvp_answers[i]) == 0) {
			*answer = rsvp_answers[i];
			return 0;
		}
	return -1;
}

/* After "rsvp:": a broadcast id, ':' and an answer. */
static int
parse_rsvp(struct parser *ps, struct audience_term *t)
{
	const char *start = ps->p;
	char word[8];
	long long id = 0;
	size_t len = 0, i;

	if (*ps->p < '1' || *ps->p > '9')
		return fail(ps, start, "expected a broadcast id after 'rsvp:'");
	while (*ps->p >= '0' && *ps->p <= '9') {
		if (id > 100000000000LL)
			return fail(ps, start, "broadcast id too large");
		id = id * 10 + (*ps->p++ - '0');
	}
	if (*ps->p != ':')
		return fail(ps, ps->p, "expected ':' and yes, no or none after "
		    "the broadcast id");
	start = ++ps->p;
	while (lower(*ps->p) >= 'a' && lower(*ps->p) <= 'z') {
		if (len + 1 == sizeof(word))
			return fail(ps, start, "rsvp answer must be yes, no "
			    "or none");
		word[len++] = (char)lower(*ps->p++);
	}
	word[len] = '\0';
	for (i = 0; i < SP_ARRAY_LEN(rsvp_answers); i++)
		if (strcmp(word, rsvp_answers[i]) == 0)
			break;
	if (i == SP_ARRAY_LEN(rsvp_answers))
		return fail(ps, start, "rsvp answer must be yes, no or none");
	t->name = xasprintf("%lld:%s", id, rsvp_answers[i]);
	return 0;
}

/* One term at ps->p into *t. */
static int
parse_term(struct parser *ps, struct audience_term *t)
{
	char word[16], name[AUDIENCE_WRITTEN_MAX + 1], msg[96];
	const char *start;
	size_t len = 0, i;

	skip_spaces(ps);
	start = ps->p;
	while ((lower(*ps->p) >= 'a' && lower(*ps->p) <= 'z')) {
		if (len + 1 < sizeof(word))
			word[len] = (char)lower(*ps->p);
		len++;
		ps->p++;
	}
	if (len == 0)
		return fail(ps, start, "expected a term (district:, "
		    "language:, interest:, group:, rsvp: or all)");
	word[len < sizeof(word) ? len : sizeof(word) - 1] = '\0';
	for (i = 0; i < SP_ARRAY_LEN(kinds); i++)
		if (len < sizeof(word) && strcmp(word, kinds[i].word) == 0)
			break;
	if (i == SP_ARRAY_LEN(kinds))
		return fail(ps, start, "unknown term (use district:, "
		    "language:, interest:, group:, rsvp: or all)");
	t->kind = kinds[i].kind;
	t->name = NULL;
	if (t->kind == AUD_ALL)
		return 0;
	if (*ps->p != ':') {
		snprintf(msg, sizeof(msg), "expected ':' after '%s'", word);
		return fail(ps, ps->p, msg);
	}
	ps->p++;
	if (t->kind == AUD_RSVP)
		return parse_rsvp(ps, t);
	skip_spaces(ps);
	start = ps->p;
	len = 0;
	while (*ps->p != '\0' && *ps->p != '+' && *ps->p != ',' &&
	    (unsigned char)*ps->p >= ' ' && *ps->p != 0x7f) {
		if (len == AUDIENCE_WRITTEN_MAX)
			return fail(ps, start, "name longer than 192 bytes");
		name[len++] = (char)lower((unsigned char)*ps->p);
		ps->p++;
	}
	while (len > 0 && name[len - 1] == ' ')
		len--;
	name[len] = '\0';
	if (len == 0) {
		snprintf(msg, sizeof(msg), "expected a name after '%s:'",
		    word);
		return fail(ps, start, msg);
	}
	if (!text_utf8_valid(name, len))
		return fail(ps, start, "the name is not valid UTF-8");
	if (t->kind == AUD_LANGUAGE && strcmp(name, "hi") != 0 &&
	    strcmp(name, "en") != 0)
		return fail(ps, start, "language must be hi or en");
	t->name = xstrdup(name);
	return 0;
}

static void
canonical(struct audience *a)
{
	struct buf b;
	size_t i, j;

	buf_init(&b, 0);
	for (i = 0; i < a->nconjs; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		for (j = 0; j < a->conjs[i].nterms; j++) {
			const struct audience_term *t = &a->conjs[i].terms[j];

			if (j > 0)
				buf_putc(&b, '+');
			buf_puts(&b, kind_word(t->kind));
			if (t->name != NULL)
				buf_printf(&b, ":%s", t->name);
		}
	}
	a->text = buf_steal(&b);
}

struct audience *
audience_parse(const char *expr, char *err, size_t errlen)
{
	struct parser ps = { expr, expr, err, errlen };
	struct audience *a;
	struct audience_conj *cj;
	struct audience_term t;

	if (expr == NULL || strlen(expr) > AUDIENCE_TEXT_MAX) {
		util_err(err, errlen, "audience expression missing or longer "
		    "than %d characters", AUDIENCE_TEXT_MAX);
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	util_strlcpy(a->default_language, "hi", sizeof(a->default_language));
	for (;;) {
		if (a->nconjs == AUDIENCE_MAX_CONJ) {
			fail(&ps, ps.p, "too many ','-separated parts");
			goto bad;
		}
		a->conjs = xreallocarray(a->conjs, a->nconjs + 1,
		    sizeof(*a->conjs));
		cj = &a->conjs[a->nconjs++];
		memset(cj, 0, sizeof(*cj));
		for (;;) {
			if (cj->nterms == AUDIENCE_MAX_TERMS) {
				fail(&ps, ps.p, "too many '+'-joined terms");
				goto bad;
			}
			if (parse_term(&ps, &t) == -1)
				goto bad;
			cj->terms = xreallocarray(cj->terms, cj->nterms + 1,
			    sizeof(*cj->terms));
			cj->terms[cj->nterms++] = t;
			if (t.kind == AUD_GROUP)
				a->needs_groups = 1;
			if (t.kind == AUD_INTEREST)
				a->needs_interests = 1;
			if (t.kind == AUD_RSVP)
				a->needs_rsvps = 1;
			skip_spaces(&ps);
			if (*ps.p != '+')
				break;
			ps.p++;
		}
		if (*ps.p == '\0')
			break;
		if (*ps.p != ',') {
			fail(&ps, ps.p, "expected '+', ',' or the end");
			goto bad;
		}
		ps.p++;
	}
	canonical(a);
	return a;
bad:
	audience_free(a);
	return NULL;
}

const char *
audience_text(const struct audience *a)
{
	return a->text;
}

int
audience_set_default_language(struct audience *a, const char *lang)
{
	if (lang == NULL || (strcmp(lang, "hi") != 0 && strcmp(lang, "en") != 0))
		return -1;
	util_strlcpy(a->default_language, lang, sizeof(a->default_language));
	return 0;
}

char *
audience_name_normalize(const char *name, char *err, size_t errlen)
{
	size_t len = name ? strlen(name) : 0, i;
	char *out;

	if (len == 0 || len > AUDIENCE_NAME_MAX) {
		util_err(err, errlen, "a name must have 1 to %d characters",
		    AUDIENCE_NAME_MAX);
		return NULL;
	}
	out = xstrdup(name);
	for (i = 0; i < len; i++) {
		out[i] = (char)lower((unsigned char)out[i]);
		if (!is_name_char(out[i])) {
			util_err(err, errlen, "a name may hold only letters, "
			    "digits, '-', '_' and '.'");
			free(out);
			return NULL;
		}
	}
	return out;
}

/* A term the contact struct answers alone: 1, 0; -1 when it cannot. */
static int
plain_term(const struct audience *a, const struct audience_term *t,
    const struct contact *c)
{
	const char *lang;

	switch (t->kind) {
	case AUD_ALL:
		return 1;
	case AUD_DISTRICT:
		return c->district != NULL && strcmp(c->district, t->name) == 0;
	case AUD_LANGUAGE:
		lang = c->language != NULL && *c->language != '\0' ?
		    c->language : a->default_language;
		return strcmp(lang, t->name) == 0;
	default:
		return -1;
	}
}

int
audience_match(const struct audience *a, const struct contact *c,
    int (*member)(void *arg, enum audience_kind kind,
    const struct contact *c, const char *name), void *arg)
{
	size_t i, j;
	int r;

	for (i = 0; i < a->nconjs; i++) {
		const struct audience_conj *cj = &a->conjs[i];
		int ok = 1;

		/* Cheap terms first: most contacts fail on a district. */
		for (j = 0; ok && j < cj->nterms; j++)
			if (plain_term(a, &cj->terms[j], c) == 0)
				ok = 0;
		for (j = 0; ok && j < cj->nterms; j++) {
			if (plain_term(a, &cj->terms[j], c) != -1)
				continue;
			if ((r = member(arg, cj->terms[j].kind, c,
			    cj->terms[j].name)) == -1)
				return -1;
			ok = r;
		}
		if (ok)
			return 1;
	}
	return 0;
}
