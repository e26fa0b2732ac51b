/*
 * csv: RFC 4180 records out of a byte string held in memory.
 *
 * A file is read whole at open (directory and contact lists are small, and
 * capped at CSV_MAX_FILE), so that error recovery can step back: an
 * unterminated quote would otherwise swallow the rest of the file, and we
 * prefer to report it and carry on at the line after the one where that
 * record began.  Other errors carry on at the line after the one where the
 * error was seen.
 *
 * Writing is one function, csv_put_cell, so that every CSV Sampark writes
 * is quoted and defused the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "text.h"
#include "util.h"

#define CSV_MAX_RECORD	(64 * 1024)
#define CSV_MAX_FILE	(256 * 1024 * 1024)

struct csv_reader {
	char	*owned;		/* file contents; NULL for csv_open_mem */
	const char *data;
	size_t	 len;
	size_t	 pos;
	size_t	 line;		/* line of data[pos], 1-based */
	struct buf rec;		/* field bytes, each NUL-terminated */
	size_t	*off;		/* field start offsets into rec */
	char	**fields;
	size_t	 nfields;
	size_t	 capfields;
};

static struct csv_reader *
reader_new(const char *data, size_t len, char *owned)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->owned = owned;
	r->data = data;
	r->len = len;
	r->line = 1;
	buf_init(&r->rec, 0);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	return r;
}

struct csv_reader *
csv_open(const char *path, char *err, size_t errlen)
{
	struct buf b;
	char chunk[16384];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		util_err(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, CSV_MAX_FILE);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_append(&b, chunk, n) == -1) {
			util_err(err, errlen, "%s: larger than %d bytes", path,
			    CSV_MAX_FILE);
			goto fail;
		}
	}
	if (ferror(fp)) {
		util_err(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(fp);
	return reader_new(b.data ? b.data : "", b.len, b.data);
fail:
	fclose(fp);
	buf_free(&b);
	return NULL;
}

struct csv_reader *
csv_open_mem(const char *data, size_t len)
{
	return reader_new(data ? data : "", data ? len : 0, NULL);
}

void
csv_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->owned);
	buf_free(&r->rec);
	free(r->off);
	free(r->fields);
	free(r);
}

static void
push_field(struct csv_reader *r, size_t start)
{
	if (r->nfields == r->capfields) {
		r->capfields = r->capfields ? r->capfields * 2 : 16;
		r->off = xreallocarray(r->off, r->capfields, sizeof(*r->off));
		r->fields = xreallocarray(r->fields, r->capfields,
		    sizeof(*r->fields));
	}
	buf_putc(&r->rec, '\0');
	r->off[r->nfields++] = start;
}

/* Move past the end of the line holding data[pos]. */
static void
skip_line(struct csv_reader *r)
{
	while (r->pos < r->len) {
		char c = r->data[r->pos++];

		if (c == '\n' || c == '\r') {
			if (c == '\r' && r->pos < r->len &&
			    r->data[r->pos] == '\n')
				r->pos++;
			r->line++;
			return;
		}
	}
}

/* Restart at the line after start, which was on line start_line. */
static void
restart_after(struct csv_reader *r, size_t start, size_t start_line)
{
	r->pos = start;
	r->line = start_line;
	skip_line(r);
}

int
csv_next(struct csv_reader *r, char ***fields, size_t *n, size_t *line,
    char *err, size_t errlen)
{
	const char *d = r->data;
	size_t start, start_line, fstart, i;
	const char *why;
	char c;

	/* Blank lines between records. */
	while (r->pos < r->len && (d[r->pos] == '\n' || d[r->pos] == '\r'))
		skip_line(r);
	if (r->pos >= r->len)
		return 0;

	start = r->pos;
	start_line = r->line;
	*line = start_line;
	buf_reset(&r->rec);
	r->nfields = 0;

	for (;;) {
		fstart = r->rec.len;
		if (r->pos < r->len && d[r->pos] == '"') {
			r->pos++;
			for (;;) {
				if (r->pos - start > CSV_MAX_RECORD) {
					why = "record longer than 64 KiB";
					restart_after(r, start, start_line);
					goto bad;
				}
				if (r->pos >= r->len) {
					why = "unterminated quoted field";
					restart_after(r, start, start_line);
					goto bad;
				}
				c = d[r->pos++];
				if (c == '"') {
					if (r->pos < r->len &&
					    d[r->pos] == '"') {
						r->pos++;
						buf_putc(&r->rec, '"');
						continue;
					}
					break;
				}
				if (c == '\n')
					r->line++;
				buf_putc(&r->rec, c);
			}
			if (r->pos < r->len && d[r->pos] != ',' &&
			    d[r->pos] != '\n' && d[r->pos] != '\r') {
				why = "text after closing quote";
				skip_line(r);
				goto bad;
			}
		} else {
			i = r->pos;
			while (i < r->len && d[i] != ',' && d[i] != '\n' &&
			    d[i] != '\r' && d[i] != '"')
				i++;
			if (i - start > CSV_MAX_RECORD) {
				r->pos = i;
				why = "record longer than 64 KiB";
				skip_line(r);
				goto bad;
			}
			if (i < r->len && d[i] == '"') {
				r->pos = i;
				why = "quote inside an unquoted field";
				skip_line(r);
				goto bad;
			}
			buf_append(&r->rec, d + r->pos, i - r->pos);
			r->pos = i;
		}
		if (r->pos - start > CSV_MAX_RECORD) {
			why = "record longer than 64 KiB";
			skip_line(r);
			goto bad;
		}
		push_field(r, fstart);
		if (r->pos < r->len && d[r->pos] == ',') {
			r->pos++;
			continue;
		}
		break;
	}
	i = r->pos;		/* end of the record's bytes */
	skip_line(r);
	if (!text_utf8_valid(d + start, i - start)) {
		why = "invalid UTF-8";
		goto bad;
	}
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->rec.data + r->off[i];
	*fields = r->fields;
	*n = r->nfields;
	return 1;

bad:
	util_err(err, errlen, "line %zu: %s", start_line, why);
	*fields = NULL;
	*n = 0;
	return -1;
}

/* ---- writing ---- */

/*
 * Whether a spreadsheet would read s as a formula (or a DDE command).
 * Spaces in front are skipped, since some importers trim them.  The
 * full-width forms count too: some spreadsheets fold them to ASCII when
 * they read a cell.
 */
static int
formula_like(const char *s)
{
	static const char *const wide[] = {
		"\xef\xbc\x9d",	/* U+FF1D FULLWIDTH EQUALS SIGN */
		"\xef\xbc\x8b",	/* U+FF0B FULLWIDTH PLUS SIGN */
		"\xef\xbc\x8d",	/* U+FF0D FULLWIDTH HYPHEN-MINUS */
		"\xef\xbc\xa0",	/* U+FF20 FULLWIDTH COMMERCIAL AT */
	};
	size_t i, n;

	/* A number alone (a phone in E.164, a negative count) computes
	 * nothing, and stays exactly as it was. */
	n = *s == '+' || *s == '-' ? 1 : 0;
	if (s[n] != '\0' && strspn(s + n, "0123456789") == strlen(s + n))
		return 0;
	s += strspn(s, " ");
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r' || *s == '\n')
		return 1;
	for (i = 0; i < SP_ARRAY_LEN(wide); i++)
		if (strncmp(s, wide[i], 3) == 0)
			return 1;
	return 0;
}

void
csv_put_cell(struct buf *b, const char *s)
{
	int formula;

	if (s == NULL)
		return;
	formula = formula_like(s);
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}
