/*
 * util: memory helpers that never return NULL, and small string and time
 * helpers.  The growable byte buffer is buf.h's (included here, since
 * nearly every user of one uses the other).
 *
 * Allocation failure is not a code path in Sampark: x*() log one line and
 * abort().  The x* names are the one exception to "a module's names start
 * with its file's": they are the allocators every C programmer knows by
 * those names (xmalloc, xstrdup, ...).
 */
#ifndef SP_UTIL_H
#define SP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

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

/* Copy with truncation, always NUL-terminating; returns strlen(src). */
size_t	 util_strlcpy(char *dst, const char *src, size_t dstsize);
/* Format an error into a caller buffer (NULL/0 allowed). */
void	 util_err(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Milliseconds from CLOCK_MONOTONIC and from the wall clock. */
int64_t	 util_mono_ms(void);
int64_t	 util_wall_ms(void);
/* Format a wall-clock ms time as ISO 8601 UTC with ms ("2026-11-26T14:31:49.123Z"). */
void	 util_iso8601(int64_t wall_ms, char out[32]);
/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+hh:mm]"; 0 or -1. */
int	 util_parse_iso8601(const char *, int64_t *wall_ms);

/*
 * FNV-1a of a C string, from the offset basis xor seed (0: plain FNV-1a).
 * Its low bits mix poorly: a caller that takes low bits mixes them first.
 */
uint64_t util_fnv1a(uint64_t seed, const char *);
/*
 * A hash of len bytes at p, from seed, eight bytes at a step: for a hot
 * path's table (FNV-1a multiplies once per byte, in a dependent chain).
 */
uint64_t util_hash_mix(uint64_t seed, const void *p, size_t len);

#endif
