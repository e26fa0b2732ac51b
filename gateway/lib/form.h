/*
 * form: application/x-www-form-urlencoded parsing and encoding.
 *
 * Parsing decodes '+' to space and %XX to the byte; names and values keep
 * their order of arrival and may repeat.  Decoded text may contain any
 * byte; callers validate UTF-8 where they need text (a %00 is rejected
 * here, since no legitimate form field carries NUL).
 */
#ifndef SP_FORM_H
#define SP_FORM_H

#include <stddef.h>

struct buf;

struct form_field {
	char	*name;
	char	*value;
};

struct form {
	struct form_field *fields;
	size_t	 n;
};

/*
 * Parse s[0..len) (a body or a query string without '?').  Returns 0, or
 * -1 on a malformed escape or a NUL byte (err says what); *out is empty
 * on failure.  An empty input is a valid empty form.  Call form_free()
 * in every case.
 */
int	 form_parse(const char *s, size_t len, struct form *out, char *err,
	    size_t errlen);
void	 form_free(struct form *);

/* First value for name, or NULL. */
const char *form_get(const struct form *, const char *name);

/* Append name=value pairs percent-encoded (RFC 3986 unreserved kept). */
int	 form_encode_pair(struct buf *, const char *name, const char *value);
int	 form_urlencode(struct buf *, const char *s);

#endif
