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
 * word forms, schemes, filler, opt-out and RSVP phrases; format below),
 * then other_districts.txt (districts of India not served, so that
 * naming one is answered, not asked again) and, whenever the directory
 * is (re)loaded, the distinctive words of its stakeholders' names.
 * Everything is folded and hashed at load, so understanding a message
 * allocates nothing and costs a few hash probes per word; the bounded
 * edit distance runs only for words the lexicon does not know.
 *
 * lexicon.conf (UTF-8, INI-like, every error reported as FILE:LINE):
 *
 *     [loan]              a keyword of keywords.conf, or one of [filler],
 *                         [greeting], [message], [received], [jila],
 *                         [negation]
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
 * or in keywords.conf / districts.csv) is an error.  [jila] words
 * ("jila", "district", "जिले", "se hu") are filler that confirm a place
 * name next to them: an unserved district that is also an everyday word ("gaya",
 * went) counts only beside one, or alone in the message.
 *
 * other_districts.txt (UTF-8, every error reported as FILE:LINE):
 *
 *     [Bihar]                 the state of the lines below
 *     Patna, पटना             one district a line: its English name, then
 *                             more spellings, comma-separated; the first
 *                             Devanagari one is its Hindi name
 *     ~Gaya, ~गया             "~": also an everyday word (see [jila])
 *     (Banka), बांका          "(...)": the English name only, no spelling
 *
 * A spelling that keywords.conf, districts.csv or lexicon.conf already
 * know keeps their meaning: the file may list served districts too, and
 * "banda" (folded to "band", STOP) is never the district Banda.  A
 * [filler] word may also be the place, as an everyday word ("gaya" folds
 * to "gay", cow).
 * Unserved districts are matched as listed (after folding), never with a
 * typo: "patni" is no "patna".
 *
 * Directory words: a word of a stakeholder's name leads to its category
 * when nothing else lists it (the lexicon, keywords, districts and other
 * districts come first; a district's near spelling too), it has 3+
 * letters, and no stakeholder of another category has it in its name
 * ("Halia" and "Chunar" do; "desk" is shared).  Being listed, it comes
 * before a typo of another word ("chunar" is no "hunar").  Like a trade
 * (topic), it names its category only when the message names no other:
 * "halia me loan" is a loan.  A word that should not count goes into
 * [filler].
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
struct keywords_table;
struct stakeholder;

#define UNDERSTAND_MAX_WORDS	48	/* words looked at in one message */
#define UNDERSTAND_MAX_TEXT	1024	/* bytes of normalised text looked at */

/* What one word (or phrase) of the message matched. */
enum understand_how {
	UNDERSTAND_UNKNOWN,		/* nothing */
	UNDERSTAND_KEYWORD,		/* an alias of keywords.conf */
	UNDERSTAND_DIGIT,		/* a menu digit of keywords.conf */
	UNDERSTAND_SYNONYM,		/* lexicon synonym */
	UNDERSTAND_SCHEME,		/* lexicon scheme / institution name */
	UNDERSTAND_PHRASE,		/* lexicon command phrase */
	UNDERSTAND_ANYWHERE,		/* lexicon command phrase, anywhere */
	UNDERSTAND_DISTRICT,		/* a spelling of districts.csv */
	UNDERSTAND_FILLER,		/* no meaning of its own */
	UNDERSTAND_NEGATION,		/* "nahi chahiye": the category next to it
				   is not wanted */
	UNDERSTAND_NUMBER,		/* digits that are no menu choice */
	UNDERSTAND_EMOJI_YES,		/* 👍 and the like */
	UNDERSTAND_EMOJI_NO,
	UNDERSTAND_EMOJI_GREETING,	/* 🙏 */
	UNDERSTAND_DIRECTORY,		/* a word of a stakeholder's name */
	UNDERSTAND_UNSERVED		/* a district not served */
};

struct understand_entry;

/* A district of India that Sampark does not serve (other_districts). */
struct understand_unserved {
	char		*name_en;
	char		*name_hi;	/* NULL: the file gives none */
	char		*state;		/* NULL: no [state] above it */
};

struct understand_token {
	size_t			 word;	/* first word (index in the text) */
	size_t			 nwords;
	enum understand_how		 how;
	int			 fuzzy;	/* edit distance, 0 exact */
	const struct keyword	*kw;	/* category or command, or NULL */
	const struct district	*district;
	int			 meaning;	/* internal class, -1 none */
	const struct understand_entry	*entry;		/* what it matched, or NULL
						   (understand_origin says where it
						   was listed) */
};

enum understand_action {
	UNDERSTAND_ACT_UNKNOWN,	/* not understood */
	UNDERSTAND_ACT_HELP,		/* only greetings / filler: the menu */
	UNDERSTAND_ACT_INFO,		/* one category (kw), district if named */
	UNDERSTAND_ACT_CHOOSE,		/* two categories (kw, kw2): ask which */
	UNDERSTAND_ACT_DISTRICT,	/* only a district */
	UNDERSTAND_ACT_COMMAND,	/* kw is a command (stop, more, rsvp...) */
	UNDERSTAND_ACT_UNSERVED	/* a district not served (unserved), no
				   served one; kw the category, if any */
};

struct understand_result {
	enum understand_action		 action;
	const struct keyword	*kw;
	const struct keyword	*kw2;
	const struct district	*district;	/* named in the message */
	const struct understand_unserved *unserved;	/* named, and not served */
	size_t			 args_word;	/* COMMAND: its arguments start
						   at this word */
	size_t			 nwords;	/* words in the text */
	size_t			 ntok;
	struct understand_token	 tok[UNDERSTAND_MAX_WORDS + 2];
	char			 fold[UNDERSTAND_MAX_TEXT + 1];	/* folded words */
	size_t			 wstart[UNDERSTAND_MAX_WORDS];		/* in fold */
	size_t			 wlen[UNDERSTAND_MAX_WORDS];
	size_t			 nstart[UNDERSTAND_MAX_WORDS];		/* in norm */
	size_t			 nlen[UNDERSTAND_MAX_WORDS];
};

struct understand_table;

/*
 * Build from loaded keywords and districts plus lexicon_path.  Every
 * problem is appended to *errors as "FILE:LINE: reason"; NULL if any.
 * The table keeps pointers into kw and dt, which must outlive it.
 */
struct understand_table *understand_new(const struct keywords_table *kw,
	    const struct district_table *dt, const char *lexicon_path,
	    struct buf *errors);
void	 understand_free(struct understand_table *);		/* NULL is a no-op */

/*
 * Add the districts of path (other_districts.txt, format above), before
 * any understand_set_directory().  0, or -1 with every problem appended to
 * *errors as "FILE:LINE: reason" (the table is then unchanged).
 */
int	 understand_add_unserved(struct understand_table *, const char *path,
	    struct buf *errors);

/*
 * Teach the table the distinctive words of the stakeholders' names (rule
 * above), replacing those of an earlier call; n == 0 forgets them.  The
 * words are copied: rows may go.  Call it whenever the directory is
 * (re)loaded, never while a struct understand_result of this table is in use.
 * Returns how many words lead to a category.
 */
size_t	 understand_set_directory(struct understand_table *, const struct stakeholder *rows,
	    size_t n);

/*
 * Understand norm (text_normalize() of raw; raw is looked at only for
 * emoji, which normalisation drops).  Fills *r; never fails, allocates
 * nothing.
 */
void	 understand_message(const struct understand_table *, const char *raw,
	    const char *norm, struct understand_result *r);

/* Name of a match kind for explanations ("synonym", "fuzzy"...). */
const char *understand_how_name(enum understand_how);

/*
 * Where the entry of a token was listed, for explanations, into buf:
 * "config/lexicon.conf:42", "directory: RSETI Mirzapur"; "" for none.
 */
const char *understand_origin(const struct understand_token *, char *buf, size_t len);

/* The name of an unserved district in lang ("hi" or else English). */
const char *understand_unserved_name(const struct understand_unserved *, const char *lang);

/*
 * Lexicon conflicts a coordinator should fix (check-config): two words
 * of different meanings within typo distance of each other, where one is
 * a command or a category word (e.g. "bank" next to "band").  Each is
 * appended to *errors as "FILE:LINE: reason"; returns how many.
 */
int	 understand_check(const struct understand_table *, struct buf *errors);

/* Fold one normalised word into out (outlen >= 1); returns its length. */
size_t	 understand_fold_word(const char *w, size_t len, char *out, size_t outlen);

#endif
