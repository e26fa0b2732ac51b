/*
 * jscan_ref: see jscan_ref.h.
 */
#include <stdio.h>

#include <jansson.h>

#include "jscan_ref.h"
#include "util.h"

int
jscan_ref_member(const char *json, size_t len, const char *name, char *out,
    size_t outlen, char *why)
{
	json_error_t e;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &e), *v;
	int rc = 0;

	out[0] = '\0';
	if (why != NULL)
		snprintf(why, 160, "%s", root == NULL ? e.text : "");
	if (!json_is_object(root)) {
		json_decref(root);
		return -1;
	}
	v = json_object_get(root, name);
	if (json_is_string(v)) {
		sp_strlcpy(out, json_string_value(v), outlen);
		rc = 1;
	} else if (json_is_integer(v)) {
		snprintf(out, outlen, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		rc = 1;
	}
	json_decref(root);
	return rc;
}
