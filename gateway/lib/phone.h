/*
 * phone: phone numbers to E.164, the only form used inside Sampark.
 *
 * Accepted inputs (spaces, dashes, dots and parentheses are ignored):
 *   "+919812345678"    already E.164 ('+' then 8-15 digits, no leading 0)
 *   "00919812345678"   international prefix 00
 *   "919812345678"     country code without '+' (Plivo), when it starts
 *                      with the default country code and has the length of
 *                      a full national number after it
 *   "09812345678"      national with trunk 0 (Exotel)
 *   "9812345678"       bare national number (10 digits for India)
 * default_cc is the default country calling code without '+', e.g. "91".
 */
#ifndef SP_PHONE_H
#define SP_PHONE_H

#include <stddef.h>

#define PHONE_E164_MAX	16	/* '+' and up to 15 digits */

/*
 * Normalise in to E.164 in out (at least PHONE_E164_MAX + 1 bytes).
 * Returns 0, or -1 if in is not a phone number we can place (err says why).
 */
int	phone_to_e164(const char *in, const char *default_cc, char *out,
	    size_t outlen, char *err, size_t errlen);

/* 1 if s is already in E.164 form. */
int	phone_is_e164(const char *s);

/* Mask a number for showing it to people: every character but the last
 * four becomes '*', a '+' stays ("+*******5678"); one that does not fit
 * out is cut, still masked.  Returns out. */
const char *phone_mask(const char *phone, char *out, size_t outlen);

#endif
