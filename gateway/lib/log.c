/*
 * log: key=value lines on stderr.  Kept deliberately small: journald or a
 * pipe adds storage; we only promise one whole line per event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static enum log_level current_level = LOG_LEVEL_INFO;

/*
 * Lines written while held are gathered and written together on release:
 * a batch of webhooks logs with one write(2) instead of one per message.
 * Each line is still whole, so readers never see a torn line.  Per
 * thread: a bulk job off the loop (worker.h) logs on its own.
 */
static _Thread_local struct {
	int	held;
	size_t	len;
	char	data[64 * 1024];
} pending;

/* The time of a line; the date part is formatted once a second. */
static void
log_timestamp(char ts[32])
{
	static _Thread_local int64_t second = -1;
	static _Thread_local char prefix[32];
	int64_t now = util_wall_ms();

	if (now / 1000 != second) {
		second = now / 1000;
		util_iso8601(second * 1000, prefix);
		prefix[19] = '\0';	/* "YYYY-MM-DDTHH:MM:SS" */
	}
	memcpy(ts, prefix, 19);
	ts[19] = '.';
	ts[20] = (char)('0' + now % 1000 / 100);
	ts[21] = (char)('0' + now % 100 / 10);
	ts[22] = (char)('0' + now % 10);
	ts[23] = 'Z';
	ts[24] = '\0';
}

static void
write_all(const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, p, len);
		if (n <= 0)
			return;		/* nowhere to complain to */
		p += n;
		len -= (size_t)n;
	}
}

void
log_hold(void)
{
	pending.held = 1;
}

void
log_release(void)
{
	write_all(pending.data, pending.len);
	pending.len = 0;
	pending.held = 0;
}

void
log_set_level(enum log_level level)
{
	current_level = level;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

/* Append s to line[*o..cap - 2], cut short if it does not fit. */
static void
put(char *line, size_t *o, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n > cap - 1 - *o)
		n = cap - 1 - *o;
	memcpy(line + *o, s, n);
	*o += n;
}

static void
log_emit(enum log_level level, const char *event, const char *fmt, va_list ap)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	char ts[32], line[4096];
	size_t n = 0;
	int k;

	if (level > current_level)
		return;
	/* Every webhook logs a line: the prefix and a line that is one
	 * string already are copied, not formatted. */
	log_timestamp(ts);
	put(line, &n, sizeof(line), "ts=");
	put(line, &n, sizeof(line), ts);
	put(line, &n, sizeof(line), " level=");
	put(line, &n, sizeof(line), names[level]);
	put(line, &n, sizeof(line), " event=");
	put(line, &n, sizeof(line), event);
	put(line, &n, sizeof(line), " ");
	if (strcmp(fmt, "%s") == 0)
		put(line, &n, sizeof(line), va_arg(ap, const char *));
	else if ((k = vsnprintf(line + n, sizeof(line) - n, fmt, ap)) > 0)
		n += (size_t)k < sizeof(line) - n ? (size_t)k :
		    sizeof(line) - n - 1;
	line[n++] = '\n';
	if (!pending.held) {
		/* One write per line so that concurrent writers never
		 * interleave. */
		write_all(line, n);
		return;
	}
	if (pending.len + n > sizeof(pending.data)) {
		write_all(pending.data, pending.len);
		pending.len = 0;
	}
	memcpy(pending.data + pending.len, line, n);
	pending.len += n;
}

#define LOG_FN(name, level)						\
void									\
name(const char *event, const char *fmt, ...)				\
{									\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	log_emit(level, event, fmt, ap);				\
	va_end(ap);							\
}

LOG_FN(log_error, LOG_LEVEL_ERROR)
LOG_FN(log_warn, LOG_LEVEL_WARN)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_debug, LOG_LEVEL_DEBUG)

const char *
log_phone(const char *phone, char *out, size_t outlen)
{
	size_t n, i;

	if (phone == NULL)
		phone = "";
	n = strlen(phone);
	/* Masked at every level: a debug log is still a log, kept and
	 * shipped like any other, and the whole number of a woman is not
	 * needed to follow one message (its last four digits and the
	 * store's ids are enough; `--reveal-phones` reads the store). */
	if (n <= 4) {
		util_strlcpy(out, phone, outlen);
		return out;
	}
	for (i = 0; i < n && i + 1 < outlen; i++)
		out[i] = i + 4 < n ? '*' : phone[i];
	if (outlen > 0)
		out[i < outlen ? i : outlen - 1] = '\0';
	return out;
}

const char *
log_quote(const char *s, size_t maxlen, char *out, size_t outlen)
{
	size_t o = 0, i;

	if (outlen < 3) {
		if (outlen > 0)
			out[0] = '\0';
		return out;
	}
	out[o++] = '"';
	for (i = 0; s != NULL && s[i] != '\0' && i < maxlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o + 5 >= outlen)
			break;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}
