/*
 * util: memory helpers that never return NULL, and a bounded growable
 * byte buffer.
 *
 * Allocation failure is not a code path in Sampark: x*() log one line and
 * abort().  Every buffer filled from the network is created with a size cap
 * (buf.max) so that a hostile peer cannot make us grow without bound.
 */
#ifndef SP_UTIL_H
#define SP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define SP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal: SP_STR(16) is "16". */
#define SP_STR_(x)	#x
#define SP_STR(x)	SP_STR_(x)

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* printf into a fresh string; caller frees. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

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
char	*sp_term_dup(const char *s);

/* Copy with truncation, always NUL-terminating; returns strlen(src). */
size_t	 sp_strlcpy(char *dst, const char *src, size_t dstsize);
/* Format an error into a caller buffer (NULL/0 allowed). */
void	 sp_err(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Milliseconds from CLOCK_MONOTONIC and from the wall clock. */
int64_t	 sp_mono_ms(void);
int64_t	 sp_wall_ms(void);
/* Format a wall-clock ms time as ISO 8601 UTC with ms ("2026-11-26T14:31:49.123Z"). */
void	 sp_iso8601(int64_t wall_ms, char out[32]);
/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+hh:mm]"; 0 or -1. */
int	 sp_parse_iso8601(const char *, int64_t *wall_ms);

#endif
