/*
 * bare_sender: the yardstick of the outbound benchmark.
 *
 * A bare libcurl-multi client that posts the same requests the daemon's
 * sender posts to Twilio's Messages API: same URL, Basic auth, headers and
 * form body (To, From, Body, StatusCallback, in that order, encoded the
 * same way), one new easy handle per message as the daemon does, at most
 * CONCURRENCY in flight, connections reused through the multi handle.
 * What it leaves out is what the ratio measures: no outbox, no claiming,
 * no store writes, no JSON parsing, no logging.  Single-threaded.
 *
 * usage: bare_sender URL USER:PASSWORD COUNT CONCURRENCY FROM STATUS_URL TEXT
 *
 * Message i goes to +91 98 0000 0000 + i, like the benchmark's outbox.
 * Prints one line
 *   RESULT n=… ok=… errors=… seconds=… mps=…
 * where seconds runs from the first request started to the last answered
 * and ok counts 201 answers.  Exit status 1 if any request failed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define FIRST_TO	9800000000LL	/* national part of the first number */

struct run {
	CURLM			*multi;
	struct curl_slist	*headers;
	const char		*url;
	const char		*userpwd;
	char			*from_enc;	/* form-encoded */
	char			*status_enc;
	char			*text_enc;
	long			 next;		/* next message to start */
	long			 count;
	long			 ok;
	long			 errors;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* application/x-www-form-urlencoded, as gateway/lib/form.c writes it. */
static char *
form_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	if ((out = malloc(strlen(s) * 3 + 1)) == NULL)
		return NULL;
	for (o = out, p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0x0f];
		}
	}
	*o = '\0';
	return out;
}

/* The answer is read and dropped: a bare client trusts the status. */
static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

static int
start_one(struct run *r)
{
	CURL *easy;
	char *body;
	long i = r->next++;

	if (asprintf(&body, "To=%%2B91%lld&From=%s&Body=%s&StatusCallback=%s",
	    FIRST_TO + i, r->from_enc, r->text_enc, r->status_enc) == -1)
		return -1;
	if ((easy = curl_easy_init()) == NULL) {
		free(body);
		return -1;
	}
	curl_easy_setopt(easy, CURLOPT_URL, r->url);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, body);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(easy, CURLOPT_POST, 1L);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(easy, CURLOPT_USERPWD, r->userpwd);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 15000L);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "sampark/1");
	if (curl_multi_add_handle(r->multi, easy) != CURLM_OK) {
		curl_easy_cleanup(easy);
		free(body);
		return -1;
	}
	return 0;
}

static void
reap(struct run *r)
{
	CURLMsg *m;
	char *body;
	long code;
	int left;

	while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		code = 0;
		if (m->data.result == CURLE_OK)
			curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE,
			    &code);
		if (code == 201)
			r->ok++;
		else {
			if (r->errors++ < 5)
				fprintf(stderr, "bare_sender: %s, HTTP %ld\n",
				    curl_easy_strerror(m->data.result), code);
		}
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &body);
		curl_multi_remove_handle(r->multi, m->easy_handle);
		curl_easy_cleanup(m->easy_handle);
		free(body);
	}
}

int
main(int argc, char *argv[])
{
	struct run r;
	char *end;
	long conc, started;
	double t0, secs;
	int running = 0, rc = 1;

	if (argc != 8) {
		fprintf(stderr, "usage: %s URL USER:PASSWORD COUNT CONCURRENCY "
		    "FROM STATUS_URL TEXT\n", argv[0]);
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.url = argv[1];
	r.userpwd = argv[2];
	r.count = strtol(argv[3], &end, 10);
	if (*end != '\0' || r.count < 1) {
		fprintf(stderr, "bare_sender: bad COUNT '%s'\n", argv[3]);
		return 2;
	}
	conc = strtol(argv[4], &end, 10);
	if (*end != '\0' || conc < 1 || conc > 1000) {
		fprintf(stderr, "bare_sender: bad CONCURRENCY '%s'\n", argv[4]);
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "bare_sender: curl_global_init failed\n");
		return 1;
	}
	r.from_enc = form_encode(argv[5]);
	r.status_enc = form_encode(argv[6]);
	r.text_enc = form_encode(argv[7]);
	r.multi = curl_multi_init();
	r.headers = curl_slist_append(r.headers,
	    "Content-Type: application/x-www-form-urlencoded");
	r.headers = curl_slist_append(r.headers, "Accept: application/json");
	r.headers = curl_slist_append(r.headers, "Expect:");
	if (r.from_enc == NULL || r.status_enc == NULL || r.text_enc == NULL ||
	    r.multi == NULL || r.headers == NULL) {
		fprintf(stderr, "bare_sender: out of memory\n");
		goto out;
	}
	/* The daemon keeps at most max_inflight connections per provider. */
	curl_multi_setopt(r.multi, CURLMOPT_MAXCONNECTS, conc);

	t0 = now_s();
	started = 0;
	for (;;) {
		while (started - (r.ok + r.errors) < conc && r.next < r.count) {
			if (start_one(&r) == -1) {
				fprintf(stderr, "bare_sender: cannot start a "
				    "request\n");
				goto out;
			}
			started++;
		}
		if (curl_multi_perform(r.multi, &running) != CURLM_OK) {
			fprintf(stderr, "bare_sender: curl_multi_perform "
			    "failed\n");
			goto out;
		}
		reap(&r);
		if (r.ok + r.errors >= r.count)
			break;
		/* Answers came in: start their successors before waiting. */
		if (started - (r.ok + r.errors) < conc && r.next < r.count)
			continue;
		if (curl_multi_poll(r.multi, NULL, 0, 1000, NULL) != CURLM_OK) {
			fprintf(stderr, "bare_sender: curl_multi_poll failed\n");
			goto out;
		}
	}
	secs = now_s() - t0;
	printf("RESULT n=%ld ok=%ld errors=%ld seconds=%.3f mps=%.1f\n",
	    r.count, r.ok, r.errors, secs, secs > 0 ? (double)r.ok / secs : 0);
	rc = r.errors == 0 ? 0 : 1;
out:
	if (r.multi != NULL)
		curl_multi_cleanup(r.multi);
	curl_slist_free_all(r.headers);
	free(r.from_enc);
	free(r.status_enc);
	free(r.text_enc);
	curl_global_cleanup();
	return rc;
}
