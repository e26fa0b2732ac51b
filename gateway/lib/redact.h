/*
 * redact: phone numbers and e-mail addresses taken out of free text that
 * women typed, before it reaches an analyst (the report's texts, the
 * pseudonymous export).  A pseudonym is worth nothing if the message
 * beside it says "mera number 98765 43210 pe call karo".
 *
 * What counts as a number: 5 or more digits (ASCII, Devanagari ०-९, the
 * other Indian scripts' digits, full-width digits) with at most two
 * separators (space, hyphen, dot, brackets) between any two of them, so
 * "98765 43210", "+91-98765-43210", "(0542) 250 1234", "9 8 7 6 5 4 3 2 1
 * 0" and "९८७६५४३२१०" are all one number.  Its digits become '#', one per
 * digit; the separators (and a leading '+') stay, so the text keeps its
 * shape.  Five, not ten: an account, Aadhaar or partial number is as
 * identifying, and amounts of that size are rare in these messages.
 *
 * An e-mail address (letters, digits and ._%+- on both sides of an '@',
 * a dot in the domain) becomes "[email]".
 *
 * Pure; the input need not be valid UTF-8 (bytes that are not digits or
 * address characters are copied as they are).
 */
#ifndef SP_REDACT_H
#define SP_REDACT_H

/* The shortest run of digits that is masked. */
#define REDACT_MIN_DIGITS	5

/* A masked copy of s (NULL: ""); caller frees. */
char	*redact_contacts(const char *s);

#endif
