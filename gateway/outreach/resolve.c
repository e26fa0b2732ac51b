/*
 * resolve: districts and groups by any of their names, or the closest
 * names when none matches (resolve.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "buf.h"
#include "district.h"
#include "group_key.h"
#include "resolve.h"
#include "store.h"
#include "text.h"
#include "util.h"

/* Longer names are compared on their first code points only: a name
 * typed into a form is short, and the distance is only a ranking. */
#define CMP_MAX		96

static size_t
decode(const char *s, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	uint32_t c;
	int more;

	while (*p != '\0' && n < max) {
		if (*p < 0x80) {
			c = *p++;
			more = 0;
		} else if ((*p & 0xe0) == 0xc0) {
			c = *p++ & 0x1f;
			more = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			c = *p++ & 0x0f;
			more = 2;
		} else {
			c = *p++ & 0x07;
			more = 3;
		}
		while (more-- > 0 && (*p & 0xc0) == 0x80)
			c = (c << 6) | (*p++ & 0x3f);
		out[n++] = c;
	}
	return n;
}

/*
 * The edit distance of a to b, or (prefix) to the nearest beginning of b
 * plus one: a name cut short ("mirzapur-mn" for mirzapur-mahila-samuh)
 * is closer than a short name that shares nothing.
 */
static size_t
distance(const char *a, const char *b, int prefix)
{
	uint32_t ca[CMP_MAX], cb[CMP_MAX];
	size_t row[CMP_MAX + 1], na, nb, i, j, diag, up, best;

	na = decode(a, ca, CMP_MAX);
	nb = decode(b, cb, CMP_MAX);
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= nb; j++) {
			up = row[j];
			row[j] = diag + (ca[i - 1] == cb[j - 1] ? 0 : 1);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	best = row[nb];
	for (j = 1; prefix && na > 0 && j < nb; j++)
		if (row[j] + 1 < best)
			best = row[j] + 1;
	return best;
}

size_t
resolve_distance(const char *a, const char *b)
{
	return distance(a, b, 0);
}

static size_t
rank(const char *typed, const char *name)
{
	return distance(typed, name, 1);
}

/* The nearest few of a list of candidates, each with its best distance. */
struct closest {
	char	*label[RESOLVE_CLOSEST];
	size_t	 dist[RESOLVE_CLOSEST];
	size_t	 n;
};

/* Offer label at distance d; a label already held keeps its best. */
static void
closest_offer(struct closest *cl, const char *label, size_t d)
{
	size_t i, at;

	for (i = 0; i < cl->n; i++)
		if (strcmp(cl->label[i], label) == 0) {
			if (d >= cl->dist[i])
				return;
			free(cl->label[i]);
			memmove(&cl->label[i], &cl->label[i + 1],
			    (cl->n - i - 1) * sizeof(cl->label[0]));
			memmove(&cl->dist[i], &cl->dist[i + 1],
			    (cl->n - i - 1) * sizeof(cl->dist[0]));
			cl->n--;
			break;
		}
	for (at = 0; at < cl->n && cl->dist[at] <= d; at++)
		;
	if (at == RESOLVE_CLOSEST)
		return;
	if (cl->n == RESOLVE_CLOSEST)
		free(cl->label[--cl->n]);
	memmove(&cl->label[at + 1], &cl->label[at],
	    (cl->n - at) * sizeof(cl->label[0]));
	memmove(&cl->dist[at + 1], &cl->dist[at],
	    (cl->n - at) * sizeof(cl->dist[0]));
	cl->label[at] = xstrdup(label);
	cl->dist[at] = d;
	cl->n++;
}

static void
closest_clear(struct closest *cl)
{
	while (cl->n > 0)
		free(cl->label[--cl->n]);
}

/* "no KIND "TEXT"; closest: a, b, c" (or "; there are none"). */
static void
closest_err(struct closest *cl, const char *kind, const char *text,
    char *err, size_t errlen)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_printf(&b, "no %s \"%s\"", kind, text);
	if (cl->n == 0)
		buf_printf(&b, "; there are no %ss yet", kind);
	for (i = 0; i < cl->n; i++) {
		buf_printf(&b, "%s%s", i == 0 ? "; closest: " : ", ",
		    cl->label[i]);
	}
	closest_clear(cl);
	util_err(err, errlen, "%s", buf_cstr(&b));
	buf_free(&b);
}

static char *
normalized(const char *text)
{
	char *n;

	if (text == NULL || (n = text_normalize(text, strlen(text))) == NULL)
		return xstrdup("");
	return n;
}

int
resolve_district(const struct district_table *dt, const char *text,
    const struct district **d, char *err, size_t errlen)
{
	const struct district *cand;
	const char *alias;
	char *n, label[160];
	struct closest cl;
	size_t i, line;

	*d = NULL;
	n = normalized(text);
	if (n[0] != '\0' && ((*d = district_find(dt, n)) != NULL ||
	    district_match(dt, n, d) == 1)) {
		free(n);
		return 1;
	}
	memset(&cl, 0, sizeof(cl));
	for (i = 0; n[0] != '\0' &&
	    district_alias_at(dt, i, &alias, &cand, &line) == 1; i++) {
		snprintf(label, sizeof(label), "%s (%s)", cand->name_en,
		    cand->key);
		closest_offer(&cl, label, rank(n, alias));
	}
	for (i = 0; n[0] == '\0' && i < district_count(dt); i++) {
		cand = district_at(dt, i);
		snprintf(label, sizeof(label), "%s (%s)", cand->name_en,
		    cand->key);
		closest_offer(&cl, label, i);
	}
	free(n);
	closest_err(&cl, "district", text ? text : "", err, errlen);
	return 0;
}

/* One pass over the groups: what the text names, three ways, and the
 * closest names for when it names none. */
struct group_scan {
	const char	*norm;		/* the text, normalised */
	const char	*typed;		/* the text as a key, or NULL */
	const char	*derived;	/* the key its display name would make */
	char		*by_key, *by_name, *by_derived;	/* keys found */
	struct closest	 cl;
};

static void
take(char **slot, const char *key)
{
	if (*slot == NULL)
		*slot = xstrdup(key);
}

static int
group_scan_one(void *arg, const struct store_group *g)
{
	struct group_scan *gs = arg;
	char *disp, *key, label[256];
	size_t d, dk;

	disp = normalized(g->display_name ? g->display_name : g->name);
	key = normalized(g->name);
	if (gs->typed != NULL && strcmp(g->name, gs->typed) == 0)
		take(&gs->by_key, g->name);
	if (strcmp(disp, gs->norm) == 0 || strcmp(key, gs->norm) == 0)
		take(&gs->by_name, g->name);
	if (gs->derived != NULL && strcmp(g->name, gs->derived) == 0)
		take(&gs->by_derived, g->name);
	d = rank(gs->norm, disp);
	dk = rank(gs->norm, key);
	if (g->display_name != NULL && strcmp(g->display_name, g->name) != 0)
		snprintf(label, sizeof(label), "%s (%s)", g->display_name,
		    g->name);
	else
		snprintf(label, sizeof(label), "%s", g->name);
	closest_offer(&gs->cl, label, dk < d ? dk : d);
	free(disp);
	free(key);
	return 0;
}

int
resolve_group(struct store *st, const char *text, char **key, char *err,
    size_t errlen)
{
	struct group_scan gs;
	char *typed, *derived, *norm, why[128];
	int rc;

	*key = NULL;
	if (text == NULL)
		text = "";
	memset(&gs, 0, sizeof(gs));
	gs.norm = norm = normalized(text);
	gs.typed = typed = audience_name_normalize(text, why, sizeof(why));
	gs.derived = derived = group_key_derive(text, why, sizeof(why));
	rc = store_groups_list(st, group_scan_one, &gs);
	/*
	 * As typed (a key), then a display name as written, then the key a
	 * display name would make: a group named "मिर्ज़ापुर महिला समूह"
	 * whose derived key another group took first (it got "-2") is
	 * still the one its name says.
	 */
	if (rc != -1)
		*key = gs.by_key != NULL ? gs.by_key : gs.by_name != NULL ?
		    gs.by_name : gs.by_derived;
	if (*key != gs.by_key)
		free(gs.by_key);
	if (*key != gs.by_name)
		free(gs.by_name);
	if (*key != gs.by_derived)
		free(gs.by_derived);
	free(norm);
	free(typed);
	free(derived);
	if (rc == -1) {
		closest_clear(&gs.cl);
		util_err(err, errlen, "store: %s", store_errmsg(st));
		return -1;
	}
	if (*key != NULL) {
		closest_clear(&gs.cl);
		return 1;
	}
	closest_err(&gs.cl, "group", text, err, errlen);
	return 0;
}

static const char *
kind_prefix(enum audience_kind k)
{
	switch (k) {
	case AUD_DISTRICT:	return "district:";
	case AUD_LANGUAGE:	return "language:";
	case AUD_INTEREST:	return "interest:";
	case AUD_GROUP:		return "group:";
	case AUD_RSVP:		return "rsvp:";
	case AUD_ALL:		break;
	}
	return "";
}

int
resolve_audience(struct store *st, const struct district_table *dt,
    const char *expr, char **canonical, char *err, size_t errlen)
{
	const struct audience_term *t;
	const struct district *d;
	struct audience *a, *again;
	struct buf out;
	char *key;
	size_t i, j;
	int rc = 1;

	*canonical = NULL;
	if ((a = audience_parse(expr, err, errlen)) == NULL)
		return 0;
	buf_init(&out, 0);
	for (i = 0; rc == 1 && i < a->nconjs; i++) {
		if (i > 0)
			buf_putc(&out, ',');
		for (j = 0; rc == 1 && j < a->conjs[i].nterms; j++) {
			t = &a->conjs[i].terms[j];
			if (j > 0)
				buf_putc(&out, '+');
			if (t->kind == AUD_ALL) {
				buf_puts(&out, "all");
			} else if (t->kind == AUD_DISTRICT && dt != NULL) {
				if ((rc = resolve_district(dt, t->name, &d,
				    err, errlen)) == 1)
					buf_printf(&out, "district:%s", d->key);
			} else if (t->kind == AUD_GROUP) {
				if ((rc = resolve_group(st, t->name, &key,
				    err, errlen)) == 1)
					buf_printf(&out, "group:%s", key);
				free(key);
			} else {
				buf_printf(&out, "%s%s", kind_prefix(t->kind),
				    t->name);
			}
		}
	}
	audience_free(a);
	if (rc != 1) {
		buf_free(&out);
		return rc;
	}
	/* Keys are names an expression can hold: this parses. */
	if ((again = audience_parse(buf_cstr(&out), err, errlen)) == NULL) {
		buf_free(&out);
		return 0;
	}
	*canonical = xstrdup(audience_text(again));
	audience_free(again);
	buf_free(&out);
	return 1;
}
