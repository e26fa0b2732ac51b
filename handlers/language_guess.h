/*
 * language_guess: the language of a text written in Latin letters, when
 * it is plainly English (see language_guess.c).  Pure, no state.
 */
#ifndef SP_LANGUAGE_GUESS_H
#define SP_LANGUAGE_GUESS_H

/* "en" if norm (text_normalize's form) is plainly English, else NULL
 * (Hinglish, too short to tell, or no words at all). */
const char *language_guess(const char *norm);

#endif
