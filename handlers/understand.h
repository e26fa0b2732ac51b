/*
 * understand: what a whole message asks for.  Every word counts: the
 * categories (loan, training, market...) and districts are found anywhere
 * in the text, in Hindi, Hinglish or English, through their synonyms,
 * scheme and institution names, and common misspellings; commands (STOP,
 * MORE, JOIN...) keep their meaning only where a person means one: leading
 * the message after greetings and filler, or as a whole-message phrase.
 *
 * Built once per runtime from keywords.conf (the keywords and their
 * aliases), districts.csv (every spelling) and lexicon.conf (synonyms,
 * word forms, schemes, filler, opt-out and RSVP phrases; format below).
 * Everything is folded and hashed at load, so understanding a message
 * allocates nothing and costs a few hash probes per word; the bounded
 * edit distance runs only for words the lexicon does not know.
 *
 * lexicon.conf (UTF-8, INI-like, every error reported as FILE:LINE):
 *
 *     [loan]              a keyword of keywords.conf, or one of [filler],
 *                         [greeting], [message], [received], [negation]
 *     synonym  = paisa, पैसा, shg loan       same meaning, anywhere
 *     scheme   = mudra, pmegp, kcc            the same, reported as a scheme
 *     phrase   = band karo                    a command only when it leads
 *                                             or is the whole message
 *     anywhere = mat bhejo                    a command wherever it is
 *                                             (opt-out phrases)
 *     word     = ji, didi                     (the sections without a
 *                                             keyword)
 *     before   = don't want                   ([negation]: cancels the
 *                                             category after it; "word"
 *                                             cancels the one before)
 *
 * Entries may be several words.  A word listed under two meanings (here
 * or in keywords.conf / districts.csv) is an error.
 *
 * Spelling folding, applied to the lexicon and to the message alike so
 * that variants meet in one key: Latin ee→i, oo→u, sh→s, ph→f, w→v, z→j,
 * q→k, doubled letters once, a final "a" dropped on words of 4+ letters;
 * Devanagari ई/ी→इ/ि, ऊ/ू→उ/ु (the nukta and chandrabindu are already
 * gone in text_normalize).
 *
 * Typo tolerance (optimal string alignment distance on the word as
 * written, after normalisation; folding would bring "sewing" within a
 * letter of "selling"):
 * none up to 3 letters, 1 edit for 4-7, 2 for 8+, only for a word the
 * lexicon does not know, only towards categories and districts (never a
 * command), and only when every nearest candidate means the same thing.
 *
 * This module never touches the store; the router acts on its decision.
 */
#ifndef SP_UNDERSTAND_H
#define SP_UNDERSTAND_H

#include <stddef.h>

struct buf;
struct district;
struct district_table;
struct keyword;
struct kw_table;

#define UND_MAX_WORDS	48	/* words looked at in one message */
#define UND_MAX_TEXT	1024	/* bytes of normalised text looked at */

/* What one word (or phrase) of the message matched. */
enum und_how {
	UND_UNKNOWN,		/* nothing */
	UND_KEYWORD,		/* an alias of keywords.conf */
	UND_DIGIT,		/* a menu digit of keywords.conf */
	UND_SYNONYM,		/* lexicon synonym */
	UND_SCHEME,		/* lexicon scheme / institution name */
	UND_PHRASE,		/* lexicon command phrase */
	UND_ANYWHERE,		/* lexicon command phrase, anywhere */
	UND_DISTRICT,		/* a spelling of districts.csv */
	UND_FILLER,		/* no meaning of its own */
	UND_NEGATION,		/* "nahi chahiye": the category next to it
				   is not wanted */
	UND_NUMBER,		/* digits that are no menu choice */
	UND_EMOJI_YES,		/* 👍 and the like */
	UND_EMOJI_NO,
	UND_EMOJI_GREETING	/* 🙏 */
};

struct und_token {
	size_t			 word;	/* first word (index in the text) */
	size_t			 nwords;
	enum und_how		 how;
	int			 fuzzy;	/* edit distance, 0 exact */
	const struct keyword	*kw;	/* category or command, or NULL */
	const struct district	*district;
	int			 meaning;	/* internal class, -1 none */
};

enum und_action {
	UND_ACT_UNKNOWN,	/* not understood */
	UND_ACT_HELP,		/* only greetings / filler: the menu */
	UND_ACT_INFO,		/* one category (kw), district if named */
	UND_ACT_CHOOSE,		/* two categories (kw, kw2): ask which */
	UND_ACT_DISTRICT,	/* only a district */
	UND_ACT_COMMAND		/* kw is a command (stop, more, rsvp...) */
};

struct und_result {
	enum und_action		 action;
	const struct keyword	*kw;
	const struct keyword	*kw2;
	const struct district	*district;	/* named in the message */
	size_t			 args_word;	/* COMMAND: its arguments start
						   at this word */
	size_t			 nwords;	/* words in the text */
	size_t			 ntok;
	struct und_token	 tok[UND_MAX_WORDS + 2];
	char			 fold[UND_MAX_TEXT + 1];	/* folded words */
	size_t			 wstart[UND_MAX_WORDS];		/* in fold */
	size_t			 wlen[UND_MAX_WORDS];
	size_t			 nstart[UND_MAX_WORDS];		/* in norm */
	size_t			 nlen[UND_MAX_WORDS];
};

struct und_table;

/*
 * Build from loaded keywords and districts plus lexicon_path.  Every
 * problem is appended to *errors as "FILE:LINE: reason"; NULL if any.
 * The table keeps pointers into kw and dt, which must outlive it.
 */
struct und_table *und_new(const struct kw_table *kw,
	    const struct district_table *dt, const char *lexicon_path,
	    struct buf *errors);
void	 und_free(struct und_table *);		/* NULL is a no-op */

/*
 * Understand norm (text_normalize() of raw; raw is looked at only for
 * emoji, which normalisation drops).  Fills *r; never fails, allocates
 * nothing.
 */
void	 und_understand(const struct und_table *, const char *raw,
	    const char *norm, struct und_result *r);

/* Name of a match kind for explanations ("synonym", "fuzzy"...). */
const char *und_how_name(enum und_how);

/*
 * Lexicon conflicts a coordinator should fix (check-config): two words
 * of different meanings within typo distance of each other, where one is
 * a command or a category word (e.g. "bank" next to "band").  Each is
 * appended to *errors as "FILE:LINE: reason"; returns how many.
 */
int	 und_check(const struct und_table *, struct buf *errors);

/* Fold one normalised word into out (outlen >= 1); returns its length. */
size_t	 und_fold_word(const char *w, size_t len, char *out, size_t outlen);

#endif
