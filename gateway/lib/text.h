/*
 * text: UTF-8 validation and the normalisation every keyword match goes
 * through.  Pure functions, no state; the only module that includes
 * utf8proc.
 *
 * Normal form used for matching (text_normalize):
 *   - Unicode NFKC, then case fold;
 *   - Devanagari digits ०-९ become 0-9;
 *   - the nukta (U+093C) is dropped, so ज़ matches ज, and precomposed
 *     nukta letters (U+0958..U+095F) become their base letter;
 *   - chandrabindu (U+0901) becomes anusvara (U+0902), so हाँ = हां;
 *   - punctuation and symbols (Unicode categories P*, S*) and all white
 *     space become a single ASCII space; runs collapse; leading/trailing
 *     spaces are removed.
 *   Combining marks that carry meaning in Devanagari (matras, virama) are
 *   kept.
 */
#ifndef SP_TEXT_H
#define SP_TEXT_H

#include <stddef.h>

/* 1 if s[0..len) is well-formed UTF-8 without NUL bytes or surrogates. */
int	 text_utf8_valid(const char *s, size_t len);

/* Normalised copy (see above); caller frees.  NULL if s is not valid UTF-8. */
char	*text_normalize(const char *s, size_t len);

/*
 * Number of code points in a valid UTF-8 string.
 */
size_t	 text_codepoints(const char *s);

/*
 * 1 if a and b (valid UTF-8, already normalised) are within one edit of
 * each other, counted on code points: one inserted, one dropped, one
 * changed, or two neighbours swapped.  Equal strings count as 1 too.
 */
int	 text_within_one_edit(const char *a, const char *b);

/*
 * 1 if s contains at least one Devanagari code point (U+0900..U+097F).
 */
int	 text_has_devanagari(const char *s);

/*
 * How much of s[0..n) to keep so that a cut at n does not end inside a
 * UTF-8 sequence: n, or the start of the sequence the cut split.  For
 * cutting text to fit a buffer (a message, a title, a provider's error).
 */
size_t	 text_utf8_whole(const char *s, size_t n);

#endif
