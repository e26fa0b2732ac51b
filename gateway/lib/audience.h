/*
 * audience: who a broadcast (or a contact listing) is for, written as a
 * small expression over districts, languages, interests and named groups.
 *
 * Grammar (spaces around '+', ',' and names are ignored; ASCII is
 * case-folded):
 *
 *     expr   = conj *( "," conj )        ',' is OR
 *     conj   = term *( "+" term )        '+' is AND (binds tighter)
 *     term   = "all" | kind ":" name | "rsvp:" id ":" answer
 *     kind   = "district" | "language" | "interest" | "group"
 *     name   = 1*192( any UTF-8 but "+" "," and control characters )
 *     id     = a broadcast's id (digits, not 0)
 *     answer = "yes" | "no" | "none"
 *
 *     district:bhadohi
 *     district:bhadohi+interest:loan
 *     group:weavers-shg,district:mirzapur+interest:market
 *     rsvp:12:yes
 *     group:Silai Group+district:मिर्ज़ापुर
 *
 * A name may be written as people write it (a group's display name, a
 * district's Hindi name): resolve.c turns it into the key the contacts
 * carry, which is what the matcher compares (keys: AUDIENCE_NAME_MAX
 * bytes of a-z 0-9 - _ .).
 * rsvp: names the people of a meeting broadcast by their answer: yes or
 * no, or none for those it was sent to who have not answered.
 * language: takes only "hi" or "en".  At most AUDIENCE_MAX_CONJ
 * conjunctions of AUDIENCE_MAX_TERMS terms each.  Parse errors name the
 * 1-based character position ("position 12: expected ':' after
 * 'district'").
 *
 * The parser and matcher are pure (no store, no I/O): the store streams
 * contacts through audience_match() (store_audience_each in store.h),
 * answering group and interest membership through a callback.  A contact
 * whose language is unknown counts as the audience's default language
 * ("hi" unless audience_set_default_language() says otherwise).
 */
#ifndef SP_AUDIENCE_H
#define SP_AUDIENCE_H

#include <stddef.h>

struct contact;

#define AUDIENCE_MAX_CONJ	32
#define AUDIENCE_MAX_TERMS	16
#define AUDIENCE_NAME_MAX	64	/* a key */
#define AUDIENCE_WRITTEN_MAX	192	/* a name as written, in bytes */
#define AUDIENCE_TEXT_MAX	2048

enum audience_kind {
	AUD_ALL,
	AUD_DISTRICT,
	AUD_LANGUAGE,
	AUD_INTEREST,
	AUD_GROUP,
	AUD_RSVP,	/* name is "ID:ANSWER", e.g. "12:yes" */
};

struct audience_term {
	enum audience_kind	 kind;
	char			*name;	/* lower-case; NULL for AUD_ALL */
};

/* Terms joined by AND. */
struct audience_conj {
	struct audience_term	*terms;
	size_t			 nterms;
};

/* Conjunctions joined by OR.  Read-only for users of the module. */
struct audience {
	struct audience_conj	*conjs;
	size_t			 nconjs;
	char			*text;		/* canonical form, see below */
	char			 default_language[8];
	int			 needs_groups;	/* some term is group: */
	int			 needs_interests; /* some term is interest: */
	int			 needs_rsvps;	/* some term is rsvp: */
};

/*
 * Parse expr.  Returns a new audience (free with audience_free) or NULL
 * with the reason, naming the position, in err.
 */
struct audience *audience_parse(const char *expr, char *err, size_t errlen);
void	 audience_free(struct audience *);	/* NULL is a no-op */

/*
 * The expression as parsed, in canonical form (lower case, no spaces,
 * e.g. "district:bhadohi+interest:loan"): store this with a broadcast;
 * parsing it again gives the same audience.  Owned by the audience.
 */
const char *audience_text(const struct audience *);

/* Contacts without a language count as lang ("hi" or "en"). 0 or -1. */
int	 audience_set_default_language(struct audience *, const char *lang);

/*
 * Check and lower-case a group (or interest) name: 1-64 of a-z 0-9 - _ .
 * Returns a new string (caller frees) or NULL with err set.  The group
 * CLI and API use this so that every group can be named in an expression.
 */
char	*audience_name_normalize(const char *name, char *err, size_t errlen);

/*
 * Split an rsvp: term's name ("12:yes") into the broadcast id and the
 * answer ("yes", "no" or "none", static).  0, or -1 if it is not one.
 */
int	 audience_rsvp_split(const char *name, long long *broadcast_id,
	    const char **answer);

/*
 * Does contact c belong to the audience?  member answers what the contact
 * struct does not hold: is c in group name (kind AUD_GROUP) / has c shown
 * interest name (AUD_INTEREST) / did c answer as an rsvp: term says
 * (AUD_RSVP)? 1 yes, 0 no, -1 error.  It is called only for group:,
 * interest: and rsvp: terms, and only as far as needed (a conjunction
 * stops at its first false term, the expression at its first true
 * conjunction).  Opt-out is not looked at here.  1 yes, 0 no, -1 if
 * member failed.
 */
int	 audience_match(const struct audience *, const struct contact *c,
	    int (*member)(void *arg, enum audience_kind kind,
	    const struct contact *c, const char *name), void *arg);

#endif
