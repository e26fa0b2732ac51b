/*
 * buf: the bounded growable byte string and its escapes.  See buf.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	size_t need;

	if (b->max != 0 && (n > b->max || b->len > b->max - n))
		return -1;
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < need)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256], *big;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_append(b, small, (size_t)n);
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *
buf_steal(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *
buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

int
buf_xml_escape(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			/* XML 1.0 cannot carry other C0 controls: drop them,
			 * or the provider rejects the whole document. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' ||
			    *s == '\n' || *s == '\r')
				continue;
			rep = "";
			break;
		}
		if (buf_append(b, run, (size_t)(s - run)) == -1 ||
		    buf_puts(b, rep) == -1)
			return -1;
		run = s + 1;
	}
	return buf_append(b, run, (size_t)(s - run));
}

int
buf_json_escape(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f &&
		    !(c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9f))
			continue;
		if (buf_append(b, run, (size_t)(s - run)) == -1)
			return -1;
		switch (c) {
		case '"': strcpy(esc, "\\\""); break;
		case '\\': strcpy(esc, "\\\\"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\r': strcpy(esc, "\\r"); break;
		case '\t': strcpy(esc, "\\t"); break;
		case 0xc2:
			/* A C1 control: two bytes, one character. */
			snprintf(esc, sizeof(esc), "\\u%04x",
			    (unsigned char)*++s);
			break;
		default: snprintf(esc, sizeof(esc), "\\u%04x", c); break;
		}
		if (buf_puts(b, esc) == -1)
			return -1;
		run = s + 1;
	}
	return buf_append(b, run, (size_t)(s - run));
}

int
buf_json_string(struct buf *b, const char *s)
{
	if (s == NULL)
		return buf_puts(b, "null");
	if (buf_putc(b, '"') == -1 || buf_json_escape(b, s) == -1)
		return -1;
	return buf_putc(b, '"');
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t
utf8_seq(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong, surrogate or past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

int
buf_term_escape(struct buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;
	char esc[8];
	size_t n;

	while (*s != '\0') {
		n = utf8_seq(s);
		if (n > 1 && !(s[0] == 0xc2 && s[1] <= 0x9f)) {
			s += n;
			continue;
		}
		if (n == 1 && *s >= 0x20 && *s != 0x7f) {
			s++;
			continue;
		}
		if (buf_append(b, run, (size_t)(s - run)) == -1)
			return -1;
		if (n == 2)		/* C1 control */
			snprintf(esc, sizeof(esc), "\\u%04x", s[1]);
		else if (*s == '\t')
			strcpy(esc, "\\t");
		else if (*s == '\n')
			strcpy(esc, "\\n");
		else if (*s == '\r')
			strcpy(esc, "\\r");
		else			/* other C0, DEL, not UTF-8 */
			snprintf(esc, sizeof(esc), "\\x%02x", *s);
		if (buf_puts(b, esc) == -1)
			return -1;
		s += n == 2 ? 2 : 1;
		run = s;
	}
	return buf_append(b, run, (size_t)(s - run));
}

char *
buf_term_dup(const char *s)
{
	struct buf b;
	char *out;

	buf_init(&b, 0);
	if (s != NULL)
		buf_term_escape(&b, s);
	out = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return out;
}
