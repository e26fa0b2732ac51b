/*
 * log: one line per event on stderr, "ts=… level=… event=… key=value…".
 *
 * The level (set once at start-up from the config) and the held-lines
 * buffer are the only process-wide state outside the daemon context, as in
 * every daemon's logger.
 * Phone numbers must go through log_phone() so that only the last four
 * digits appear, at every level, debug included.
 */
#ifndef SP_LOG_H
#define SP_LOG_H

#include <stddef.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void	log_set_level(enum log_level);
int	log_level_parse(const char *, enum log_level *);

/* fmt holds the key=value pairs after "event=<event>". */
void	log_error(const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_warn(const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_info(const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_debug(const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Gather the lines logged from now until log_release() and write them in
 * one go (the daemon holds the log while it processes a batch).
 */
void	log_hold(void);
void	log_release(void);

/* Mask a phone number into out ("*******1234"), whatever the level. */
const char *log_phone(const char *phone, char *out, size_t outlen);
/* Make a value safe for key=value logging: quoted, control bytes escaped,
 * cut to maxlen bytes.  Returns out. */
const char *log_quote(const char *s, size_t maxlen, char *out, size_t outlen);

#endif
