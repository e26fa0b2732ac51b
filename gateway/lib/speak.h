/*
 * speak: text made ready for a provider's text-to-speech voice.
 *
 * A phone number in a text ("+910000010101", "98112 34567",
 * "0542-2401234") is read by every TTS engine as one large number
 * ("nine hundred eighty-one crore..."), which nobody can write down.  A
 * caller needs it as digits, a few at a time, the way Indians say a
 * number to each other: so every such number is rewritten as digit words
 * in groups, with a comma between the groups (a pause in every engine),
 * in the language of the speech: "nine eight one one two, three four
 * five six seven", "नौ आठ एक एक दो, तीन चार पाँच छह सात".
 *
 * What counts as a number to read digit by digit: a run of digits (ASCII
 * or Devanagari ०-९), possibly split by single spaces or hyphens, that
 * has at least SPEAK_MIN_DIGITS digits or starts with '+'.  Shorter
 * numbers ("press 1", "15 minutes", "50000 rupees") are left for the
 * engine, which says them as quantities, as it should.
 *
 * Groups: the writer's own groups when the number has separators (each
 * longer than SPEAK_GROUP_MAX split again); otherwise an Indian country
 * code "+91" or a trunk "0" alone, then the rest in groups of at most
 * SPEAK_GROUP_MAX, as even as possible (ten digits: 5 + 5).
 */
#ifndef SP_SPEAK_H
#define SP_SPEAK_H

#include <stddef.h>

struct buf;

#define SPEAK_MIN_DIGITS	6
#define SPEAK_GROUP_MAX		5

/*
 * Append text to out with every phone number spelled in digit words of
 * lang ("hi": Hindi; any other: English).  Everything else is copied as
 * it is.  0, or -1 when out's cap was reached.
 */
int	 speak_numbers(const char *text, const char *lang, struct buf *out);

/* The same into a new string (caller frees). */
char	*speak_numbers_dup(const char *text, const char *lang);

#endif
