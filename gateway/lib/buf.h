/*
 * buf: a bounded growable byte string, and the escapes that write text
 * into one for XML, JSON and a terminal.
 *
 * Every buffer filled from the network is created with a size cap
 * (buf.max) so that a hostile peer cannot make us grow without bound.
 */
#ifndef SP_BUF_H
#define SP_BUF_H

#include <stddef.h>

/*
 * A growable byte string, always NUL-terminated once anything was written.
 * max == 0 means "no cap" (only for data we generate ourselves).
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void	 buf_init(struct buf *, size_t max);
/* Append; returns 0, or -1 (and appends nothing) if the cap would be passed. */
int	 buf_append(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_putc(struct buf *, char);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_reset(struct buf *);
/* Hand the string to the caller (who frees it) and reset the buffer. */
char	*buf_steal(struct buf *);
void	 buf_free(struct buf *);
/* Content as a C string ("" when empty). */
const char *buf_cstr(const struct buf *);

/* Append s with XML special characters (& < > " ') escaped and the C0
 * controls XML cannot carry (all but tab, LF, CR) dropped. */
int	 buf_xml_escape(struct buf *, const char *s);
/* Append s as the inside of a JSON string (quotes not included).  C0
 * controls, DEL and the C1 controls (U+0080..U+009F) are written as \uXXXX:
 * the same string to a JSON reader, and nothing a terminal obeys when the
 * output is read with cat. */
int	 buf_json_escape(struct buf *, const char *s);
/* Append s as a JSON string, quotes included, or null for NULL. */
int	 buf_json_string(struct buf *, const char *s);
/*
 * Append s for a terminal: what could move the cursor, recolour, retitle
 * or clear the screen of whoever reads it -- C0 controls (ESC, CR, BS...),
 * DEL, the C1 controls U+0080..U+009F and bytes that are not UTF-8 -- is
 * shown instead as \t, \n, \r, \xHH or \u00HH.  Every other character,
 * Devanagari included, is kept.  Text that came from outside (SMS, names,
 * provider answers) goes through this on its way to a table or listing.
 */
int	 buf_term_escape(struct buf *, const char *s);
/* The same into a new string (caller frees); NULL gives "". */
char	*buf_term_dup(const char *s);

#endif
