/*
 * csv: a small RFC 4180 reader for the directory and contact imports, and
 * the one cell writer every CSV output (export, reports) goes through.
 *
 * Fields may be quoted ("a, b"), with "" inside quotes for one quote and
 * line breaks allowed inside quotes; CRLF and LF both end a record; a UTF-8
 * byte-order mark at the very start is skipped.  Every record must be valid
 * UTF-8.  Errors carry the line number where the bad record started.
 */
#ifndef SP_CSV_H
#define SP_CSV_H

#include <stddef.h>

struct buf;
struct csv_reader;

/* Open path for reading; NULL with err set if it cannot be opened. */
struct csv_reader *csv_open(const char *path, char *err, size_t errlen);
/* Read from memory instead (not copied: data must outlive the reader). */
struct csv_reader *csv_open_mem(const char *data, size_t len);
void	 csv_close(struct csv_reader *);

/*
 * Next record.  Returns 1 with *fields (n strings, valid until the next
 * call) and *line (1-based line where the record started), 0 at end of
 * input, -1 on a malformed record (unterminated quote, stray quote,
 * invalid UTF-8, a record over 64 KiB) with err set; after -1 the reader
 * skips to the next line, so callers may go on to collect every error.
 * Blank lines are skipped.
 */
int	 csv_next(struct csv_reader *, char ***fields, size_t *n, size_t *line,
	    char *err, size_t errlen);

/*
 * Append s as one CSV cell meant for a spreadsheet (NULL: an empty cell).
 * Quoted as RFC 4180 wants when it holds a comma, quote, CR or LF.  Text
 * from outside that a spreadsheet would take for a formula -- starting,
 * after any spaces, with = + - @ (ASCII or full-width), a tab, CR or LF --
 * is written as text instead: a ' in front, and quoted, as OWASP advises
 * for CSV injection.  A cell that is only a number with a sign (a phone in
 * E.164) computes nothing and is left as it is; nothing else is changed.
 */
void	 csv_put_cell(struct buf *, const char *s);

#endif
