/*
 * jscan: one member of a JSON object, read without building a tree.
 *
 * For answers read on the sender's hot path (a provider's reply to a
 * send), where one id or error code is wanted and a tree's allocations
 * cost more than the rest of reading the answer.  The whole text is still
 * checked as JSON (RFC 8259) the way jansson checks it: what jansson
 * refuses (bad syntax or escapes, invalid UTF-8, \u0000, an integer out
 * of range, a number that overflows, trailing text), this refuses too.
 * Differences: a duplicate member is refused only when it is the one
 * asked for; nesting is limited to JSCAN_MAX_DEPTH; a NUL byte is refused
 * wherever it is (jansson's reader passes over some).
 */
#ifndef SP_JSCAN_H
#define SP_JSCAN_H

#include <stddef.h>

#define JSCAN_MAX_DEPTH	64

/*
 * Look for member name at the top level of the object in json[0..len).
 * 1: found, and a string (unescaped, in UTF-8) or an integer (in decimal);
 * out holds it, cut to outlen - 1 bytes.  0: the text is a JSON object
 * but has no such member, or it is of another type (out is "").  -1: the
 * text is not a JSON object, or has the member twice (out is "").
 */
int	 jscan_member(const char *json, size_t len, const char *name,
	    char *out, size_t outlen);

#endif
