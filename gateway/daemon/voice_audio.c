/*
 * voice_audio: serve the prompt audio files at /audio/<lang>/<key>.wav.
 *
 * Providers fetch these over the public listener, so the path is held to
 * exactly that shape before anything touches the file system: a language
 * of lower-case letters, a file name of [a-z0-9_.-] ending in ".wav",
 * nothing else (no "..", no further '/', no listing of a directory).  The
 * path is already percent-decoded by the HTTP layer, so "%2e%2e" arrives
 * as ".." and is refused like it.  The file is then opened below the
 * audio directory with openat() and O_NOFOLLOW at each step, so a symlink
 * planted in the tree cannot lead out of it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "provider.h"
#include "util.h"
#include "voice_audio.h"

#define AUDIO_MAX	(16 * 1024 * 1024)	/* a prompt is seconds long */

static int
plain_lang(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || n > 8)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

static int
plain_file(const char *s)
{
	size_t n = strlen(s);

	return n > 4 && n < 128 && s[0] != '.' && strstr(s, "..") == NULL &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n &&
	    strcmp(s + n - 4, ".wav") == 0;
}

/* An fd on dir/lang/file, never through a symlink: fd, or -1. */
static int
open_below(const char *dir, const char *lang, const char *file)
{
	int dfd, lfd, fd = -1;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	lfd = openat(dfd, lang, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (lfd != -1) {
		fd = openat(lfd, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_CLOEXEC);
		close(lfd);
	}
	close(dfd);
	return fd;
}

int
voice_audio_exists(const char *dir, const char *lang, const char *key)
{
	char file[160];
	struct stat sb;
	int fd, ok;

	if (dir == NULL || lang == NULL || key == NULL ||
	    !plain_lang(lang, strlen(lang)) || strlen(key) > 120)
		return 0;
	memcpy(file, key, strlen(key));
	memcpy(file + strlen(key), ".wav", 5);
	if (!plain_file(file) || (fd = open_below(dir, lang, file)) == -1)
		return 0;
	ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
	close(fd);
	return ok;
}

void
voice_audio(const char *dir, struct http_exchange *x,
    const struct sp_request *req)
{
	const char *rest = req->path + strlen("/audio/"), *slash;
	char lang[9], quoted[200];
	struct stat sb;
	char *data;
	ssize_t got;
	size_t off;
	int fd;

	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		http_respond_text(x, 405, "use GET\n");
		return;
	}
	slash = strchr(rest, '/');
	/* A %00 was decoded into the end of the path: refuse what it cut. */
	if (strstr(req->uri, "%00") != NULL || slash == NULL || !plain_lang(rest, (size_t)(slash - rest)) ||
	    !plain_file(slash + 1)) {
		log_warn("audio_refused", "path=%s", log_quote(req->path, 160,
		    quoted, sizeof(quoted)));
		http_respond_text(x, 404, "not found\n");
		return;
	}
	memcpy(lang, rest, (size_t)(slash - rest));
	lang[slash - rest] = '\0';
	fd = open_below(dir, lang, slash + 1);
	if (fd == -1 || fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > AUDIO_MAX) {
		if (fd != -1)
			close(fd);
		http_respond_text(x, 404, "not found\n");
		return;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	for (off = 0; off < (size_t)sb.st_size; off += (size_t)got) {
		got = read(fd, data + off, (size_t)sb.st_size - off);
		if (got == -1 && errno == EINTR) {
			got = 0;
			continue;
		}
		if (got <= 0)
			break;
	}
	close(fd);
	if (off != (size_t)sb.st_size) {
		free(data);
		http_respond_text(x, 500, "cannot read\n");
		return;
	}
	http_add_header(x, "Cache-Control", "public, max-age=3600");
	http_respond(x, 200, "audio/wav", data, off);
	free(data);
}
