/*
 * form: application/x-www-form-urlencoded, as providers post webhooks.
 *
 * Parsing is strict about escapes ("%G1", a trailing "%4" and "%00" are
 * errors) because a provider never sends them and a signature computed
 * over a guessed decoding would be wrong anyway.  A field without '='
 * is a name with an empty value, and empty pieces ("a=1&&b=2") are
 * skipped, as browsers and Twilio's SDKs do.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "util.h"

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..len) into a fresh string: 0, or -1 with err set. */
static int
decode(const char *s, size_t len, char **out, char *err, size_t errlen)
{
	char *d;
	size_t i, n = 0;

	d = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (len - i < 3 ||
			    (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0) {
				util_err(err, errlen, "malformed %%-escape at "
				    "byte %zu", i);
				free(d);
				return -1;
			}
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (c == '\0') {
			util_err(err, errlen, "NUL byte in form data");
			free(d);
			return -1;
		}
		d[n++] = (char)c;
	}
	d[n] = '\0';
	*out = d;
	return 0;
}

int
form_parse(const char *s, size_t len, struct form *out, char *err,
    size_t errlen)
{
	size_t start, end, cap = 0;

	out->fields = NULL;
	out->n = 0;
	for (start = 0; start < len; start = end + 1) {
		const char *piece = s + start, *eq;
		size_t plen, nlen;
		char *name, *value;

		for (end = start; end < len && s[end] != '&'; end++)
			;
		plen = end - start;
		if (plen == 0)
			continue;
		eq = memchr(piece, '=', plen);
		nlen = eq != NULL ? (size_t)(eq - piece) : plen;
		if (decode(piece, nlen, &name, err, errlen) == -1)
			goto fail;
		if (eq == NULL)
			value = xstrdup("");
		else if (decode(eq + 1, plen - nlen - 1, &value, err,
		    errlen) == -1) {
			free(name);
			goto fail;
		}
		if (out->n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			out->fields = xreallocarray(out->fields, cap,
			    sizeof(*out->fields));
		}
		out->fields[out->n].name = name;
		out->fields[out->n].value = value;
		out->n++;
	}
	return 0;
fail:
	form_free(out);
	return -1;
}

void
form_free(struct form *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->fields[i].name);
		free(f->fields[i].value);
	}
	free(f->fields);
	f->fields = NULL;
	f->n = 0;
}

const char *
form_get(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/*
 * RFC 3986 unreserved characters stay, everything else is %XX (upper
 * case), space included: "%20" is valid in both forms and queries.  The
 * text is encoded into a scratch array of the worst case's size and
 * appended once: a Hindi body escapes nearly every byte, and an append
 * per escape was most of the cost of building a send.
 */
int
form_urlencode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n = 0;
	char small[512], *out;
	int rc;

	if (len == 0)
		return 0;
	if (len > (SIZE_MAX - 1) / 3)
		return -1;
	small[0] = '\0';	/* (gcc cannot see that the loop writes it) */
	out = 3 * len < sizeof(small) ? small : xmalloc(3 * len + 1);
	for (; *p != '\0'; p++) {
		if (unreserved(*p))
			out[n++] = (char)*p;
		else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 0x0f];
		}
	}
	/* buf_append adds all or nothing. */
	rc = buf_append(b, out, n);
	if (out != small)
		free(out);
	return rc;
}

int
form_encode_pair(struct buf *b, const char *name, const char *value)
{
	size_t start = b->len;

	if ((b->len > 0 && buf_putc(b, '&') == -1) ||
	    form_urlencode(b, name) == -1 || buf_putc(b, '=') == -1 ||
	    form_urlencode(b, value) == -1) {
		b->len = start;
		if (b->data != NULL)
			b->data[start] = '\0';
		return -1;
	}
	return 0;
}
