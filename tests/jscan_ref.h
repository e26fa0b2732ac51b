/*
 * jscan_ref: jscan_member's contract read with jansson, the yardstick of
 * test_jscan and fuzz_jscan: the text loaded as the providers load JSON
 * (JSON_REJECT_DUPLICATES), the member taken as a string or an integer in
 * decimal, cut to outlen - 1 bytes.
 */
#ifndef SP_JSCAN_REF_H
#define SP_JSCAN_REF_H

#include <stddef.h>

/*
 * 1, 0 or -1 as jscan_member(); *why (if not NULL) is jansson's error
 * text when it refused the text, else "".  why has room for 160 bytes.
 */
int	 jscan_ref_member(const char *json, size_t len, const char *name,
	    char *out, size_t outlen, char *why);

#endif
