/*
 * group_key: the key of a group made from the name a coordinator gives it
 * ("Silai Group 2" -> silai-group-2, "सिलाई समूह" -> silai-samuh), so
 * that the group can be named in an audience (group:KEY, audience.h)
 * and typed on a keypad, while the console shows the name as written.
 *
 * ASCII letters and digits are kept (lower case); Devanagari is written
 * in plain Latin letters, roughly as it is said (no diacritics: a key is
 * for typing, not for scholarship); every other run of characters becomes
 * one '-'.  Pure: no store, no I/O.
 */
#ifndef SP_GROUP_KEY_H
#define SP_GROUP_KEY_H

#include <stddef.h>

/*
 * The key for display (valid UTF-8), at most AUDIENCE_NAME_MAX
 * characters of a-z 0-9 '-': a new string (caller frees), or NULL with
 * err set when display is empty or has nothing a key can be made of.
 */
char	*group_key_derive(const char *display, char *err, size_t errlen);

/*
 * The n-th alternative of key, when key is taken by another group:
 * "key-2", "key-3", ... (cut to fit AUDIENCE_NAME_MAX).  Caller frees.
 */
char	*group_key_alternative(const char *key, unsigned n);

#endif
