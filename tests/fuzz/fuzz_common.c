/*
 * fuzz_common: the request framing and temporary files the fuzz targets
 * share (see fuzz_common.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "district.h"
#include "fuzz_common.h"
#include "keywords.h"
#include "log.h"
#include "util.h"

/* The next line of data[*pos..size) without its "\r\n"; NULL at the end. */
static char *
next_line(const uint8_t *data, size_t size, size_t *pos)
{
	const uint8_t *nl;
	size_t start = *pos, end;

	if (start >= size)
		return NULL;
	nl = memchr(data + start, '\n', size - start);
	end = nl != NULL ? (size_t)(nl - data) : size;
	*pos = nl != NULL ? end + 1 : size;
	if (end > start && data[end - 1] == '\r')
		end--;
	return fuzz_strndup(data + start, end - start);
}

static const char *
lookup_header(const struct sp_request *r, const char *name)
{
	const struct fuzz_request *fr = r->header_arg;
	size_t i;

	for (i = 0; i < fr->nheaders; i++)
		if (strcasecmp(fr->headers[i].name, name) == 0)
			return fr->headers[i].value;
	return NULL;
}

/*
 * What the daemon's router puts in path_arg: the element after
 * /sms/<provider>/, /status/<provider>/ or /voice/<provider>/ when it is
 * the last one.
 */
static const char *
path_arg(const char *path)
{
	static const char *const prefixes[] = { "/sms/", "/status/",
	    "/voice/" };
	const char *rest, *slash;
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(prefixes); i++) {
		if (strncmp(path, prefixes[i], strlen(prefixes[i])) != 0)
			continue;
		rest = path + strlen(prefixes[i]);
		if ((slash = strchr(rest, '/')) == NULL ||
		    strchr(slash + 1, '/') != NULL)
			return NULL;
		return slash + 1;
	}
	return NULL;
}

void
fuzz_request_parse(struct fuzz_request *fr, const uint8_t *data, size_t size)
{
	size_t pos = 0;
	char *line, *colon, *q;

	memset(fr, 0, sizeof(*fr));
	fr->opts = (line = next_line(data, size, &pos)) ? line : xstrdup("");
	fr->method = (line = next_line(data, size, &pos)) ? line : xstrdup("");
	fr->uri = (line = next_line(data, size, &pos)) ? line : xstrdup("");
	line = next_line(data, size, &pos);
	if (line != NULL && *line == '\0') {
		free(line);
		line = NULL;
	}
	fr->content_type = line;
	while ((line = next_line(data, size, &pos)) != NULL && *line != '\0') {
		if ((colon = strchr(line, ':')) == NULL ||
		    fr->nheaders == FUZZ_MAX_HEADERS) {
			free(line);
			continue;
		}
		*colon++ = '\0';
		while (*colon == ' ' || *colon == '\t')
			colon++;
		fr->headers[fr->nheaders].name = xstrdup(line);
		fr->headers[fr->nheaders].value = xstrdup(colon);
		fr->nheaders++;
		free(line);
	}
	free(line);
	fr->body = xmalloc(size - pos + 1);
	memcpy(fr->body, data + pos, size - pos);
	fr->body[size - pos] = '\0';

	fr->path = xstrdup(fr->uri);
	if ((q = strchr(fr->path, '?')) != NULL) {
		*q = '\0';
		fr->query = xstrdup(q + 1);
	}
	fr->r.method = fr->method;
	fr->r.uri = fr->uri;
	fr->r.path = fr->path;
	fr->r.path_arg = path_arg(fr->path);
	fr->r.query = fr->query;
	fr->r.content_type = fr->content_type;
	fr->r.body = fr->body;
	fr->r.body_len = size - pos;
	fr->r.header = lookup_header;
	fr->r.header_arg = fr;
	fr->r.peer_loopback = !fuzz_request_opt(fr, FUZZ_OPT_REMOTE);
}

void
fuzz_request_free(struct fuzz_request *fr)
{
	size_t i;

	for (i = 0; i < fr->nheaders; i++) {
		free(fr->headers[i].name);
		free(fr->headers[i].value);
	}
	free(fr->opts);
	free(fr->method);
	free(fr->uri);
	free(fr->path);
	free(fr->query);
	free(fr->content_type);
	free(fr->body);
	memset(fr, 0, sizeof(*fr));
}

int
fuzz_request_opt(const struct fuzz_request *fr, char c)
{
	return strchr(fr->opts, c) != NULL;
}

void
fuzz_request_set_header(struct fuzz_request *fr, const char *name,
    const char *value)
{
	size_t i;

	for (i = 0; i < fr->nheaders; i++)
		if (strcasecmp(fr->headers[i].name, name) == 0) {
			free(fr->headers[i].value);
			fr->headers[i].value = xstrdup(value);
			return;
		}
	if (fr->nheaders == FUZZ_MAX_HEADERS) {
		/* Make room: the harness's own header matters more. */
		fr->nheaders--;
		free(fr->headers[fr->nheaders].name);
		free(fr->headers[fr->nheaders].value);
	}
	fr->headers[fr->nheaders].name = xstrdup(name);
	fr->headers[fr->nheaders].value = xstrdup(value);
	fr->nheaders++;
}

char *
fuzz_request_url(const struct fuzz_request *fr, const char *public_url)
{
	const char *host;

	if (public_url != NULL && *public_url != '\0')
		return xasprintf("%s%s", public_url, fr->uri);
	host = fr->r.header(&fr->r, "Host");
	return xasprintf("http://%s%s", host != NULL ? host : "localhost",
	    fr->uri);
}

char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char tmpdir[64];

static void
remove_tmpdir(void)
{
	struct dirent *de;
	DIR *d;
	char *p;

	if (tmpdir[0] == '\0' || (d = opendir(tmpdir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", tmpdir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(tmpdir);
}

const char *
fuzz_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		const char *base = getenv("TMPDIR");

		snprintf(tmpdir, sizeof(tmpdir), "%s/sampark-fuzz.XXXXXX",
		    base != NULL && strlen(base) < 32 ? base : "/tmp");
		if (mkdtemp(tmpdir) == NULL) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

const char *
fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_tmpdir(), name);
	if ((f = fopen(path, "wb")) == NULL)
		return NULL;
	if (fwrite(data, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	if (fclose(f) != 0)
		return NULL;
	return path;
}

const char *
fuzz_load_vocabulary(const char *target, struct keywords_table **kw,
    struct district_table **dt)
{
	const char *dir = getenv("SAMPARK_FUZZ_CONFIG");
	struct buf errors;
	char *path;

	log_set_level(LOG_LEVEL_ERROR);
	if (dir == NULL)
		dir = "config";
	buf_init(&errors, 0);
	path = xasprintf("%s/keywords.conf", dir);
	*kw = keywords_load(path, &errors);
	free(path);
	path = xasprintf("%s/districts.csv", dir);
	*dt = district_load(path, &errors);
	free(path);
	if (*kw == NULL || *dt == NULL) {
		fprintf(stderr, "%s: cannot load %s (run from the repository "
		    "root): %s\n", target, dir, buf_cstr(&errors));
		exit(1);
	}
	buf_free(&errors);
	return dir;
}
