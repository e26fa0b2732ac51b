/*
 * understand_int: what the lexicon loader (understand_load.c) and the
 * message reader (understand.c) share.  Not for other modules.
 */
#ifndef SP_UNDERSTAND_INT_H
#define SP_UNDERSTAND_INT_H

#include <stddef.h>
#include <stdint.h>

#include "understand.h"

#define UNDERSTAND_MAX_CP	48	/* code points kept of a word for fuzzing */

/* What an entry means; two entries mean the same iff all three agree. */
enum understand_meaning {
	UNDERSTAND_M_CATEGORY,		/* kw is an info keyword */
	UNDERSTAND_M_TOPIC,		/* a trade ("silai"): kw's category, but only
				   when no other category is named */
	UNDERSTAND_M_COMMAND,		/* kw is any other keyword */
	UNDERSTAND_M_DISTRICT,
	UNDERSTAND_M_FILLER,
	UNDERSTAND_M_GREETING,		/* filler; alone, it asks for the menu */
	UNDERSTAND_M_MESSAGE,		/* filler naming our messages: with a
				   refusal it is an opt-out */
	UNDERSTAND_M_RECEIVED,		/* filler: "message nahi aaya" is a
				   complaint, not an opt-out */
	UNDERSTAND_M_JILA,		/* filler naming a district ("jile"): an
				   everyday word beside it is a place */
	UNDERSTAND_M_NEGATION,		/* cancels the category before it */
	UNDERSTAND_M_NEGATION_BEFORE,	/* cancels the category after it */
	UNDERSTAND_M_DIRECTORY,	/* a stakeholder's word: kw's category, but
				   only when no other category is named */
	UNDERSTAND_M_UNSERVED		/* a district not served (unserved) */
};

struct understand_entry {
	char			*key;		/* folded, words joined by ' ' */
	size_t			 keylen;
	char			*listed;	/* as written (normalised) */
	enum understand_how		 how;
	enum understand_meaning	 meaning;
	const struct keyword	*kw;
	const struct district	*district;
	const struct understand_unserved *unserved;	/* UNDERSTAND_M_UNSERVED, or a
						   filler word that may be
						   that district */
	int			 everyday;	/* such a place only beside a
						   [jila] word, or alone */
	char			*origin;	/* directory: the stakeholder's
						   name (owned), else NULL */
	const char		*file;		/* owned by the table */
	size_t			 line;
	unsigned		 nwords;
	int			 chained;	/* reached through next_same
						   only, not the hash */
	size_t			 next_same;	/* another entry with this key
						   and meaning, + 1; 0 none */
	/* Fuzzy target (a single word of a category or district): */
	int			 fuzzy_ok;
	uint32_t		 cp[UNDERSTAND_MAX_CP];
	size_t			 ncp;
	uint64_t		 mask;		/* letters it has (hashed) */
};

struct understand_table {
	struct understand_entry	*e;
	size_t			 n;
	size_t			 cap;
	size_t			 nbase;		/* e[nbase..n) are directory
						   words (understand_set_directory) */
	uint32_t		*slot;		/* entry index + 1, 0 empty */
	size_t			 nslot;		/* power of two */
	size_t			*fuzzy;		/* indices of fuzzy targets */
	size_t			 nfuzzy;
	unsigned		 max_words;	/* longest entry, in words */
	const struct keyword	*kw_yes;	/* for a thumb up / down */
	const struct keyword	*kw_no;
	const struct keyword	*kw_stop;
	const struct keywords_table	*kw;		/* the categories of the
						   directory's rows */
	struct understand_unserved	**unserved;	/* other_districts, owned */
	size_t			 nunserved;
	char			*files[4];	/* keywords, districts, lexicon,
						   other districts */
};

/* Entry for a folded key, or NULL. */
const struct understand_entry *understand_lookup(const struct understand_table *, const char *key,
	    size_t len);
/* Code points of a folded word and its letter mask; returns ncp. */
/* 1 if s[0..len) is one or more ASCII digits: a number, not a word. */
int	 understand_all_digits(const char *s, size_t len);
size_t	 understand_codepoints(const char *s, size_t len, uint32_t *cp, size_t max,
	    uint64_t *mask);
/* Optimal string alignment distance, or max + 1 if more than max. */
int	 understand_distance(const uint32_t *a, size_t na, const uint32_t *b,
	    size_t nb, int max);
/* Edits a word of n code points may carry. */
int	 understand_max_edits(size_t ncp);
/* The one fuzzy target every nearest one agrees with for a normalised
 * word, or NULL; *dist its distance. */
const struct understand_entry *understand_fuzzy_find(const struct understand_table *,
	    const char *w, size_t len, int *dist);
/* Put entry t->e[i] into the hash. */
void	 understand_hash_insert(struct understand_table *, size_t i);
/* Rebuild the hash from t->e[0..n), sized for t->n. */
void	 understand_rehash(struct understand_table *);
/* Append a copy of *e (its strings now the table's) and hash it unless
 * it is chained; returns its index.  Pointers into t->e may move. */
size_t	 understand_append(struct understand_table *, const struct understand_entry *e);
/* Fold a normalised phrase word by word into out (words joined by ' ');
 * returns its length, *nwords the words kept. */
size_t	 understand_fold_phrase(const char *norm, char *out, size_t outlen,
	    unsigned *nwords);

#endif
