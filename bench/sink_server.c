/*
 * sink_server: the provider end of the outbound benchmark.
 *
 * A libevent HTTP server that stands in for Twilio's Messages API: every
 * POST is read in full and answered 201 with a small Twilio-like JSON
 * body whose "sid" is unique ("SM" and a counter as 32 hex digits), so
 * the daemon's unique index on provider ids never trips.  It checks
 * nothing: it must cost as little as possible, so that the benchmark
 * measures the senders and not the sink.  Single-threaded.
 *
 * A POST to a path ending in /messages is a send through SMS Gateway for
 * Android's API (the replies benchmark): it is answered 202 with that
 * API's {"id", "state"}, the id unique like the sid.
 *
 * GET /count answers the number of POSTs answered so far (text/plain),
 * which lets one sink serve several runs: the caller takes differences.
 * Any other GET answers 200 "ok" (a readiness probe).
 *
 * usage: sink_server HOST PORT
 * SIGTERM or SIGINT stop it; the count is printed on stderr on the way out.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

/* Larger than any SMS send request; the daemon's are well under 1 kB. */
#define SINK_MAX_BODY	16384

struct sink {
	struct event_base	*base;
	unsigned long long	 posts;
};

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct sink		*sink = arg;
	struct evbuffer		*in, *out;
	struct evkeyvalq	*hdrs;
	char			 body[SINK_MAX_BODY];
	size_t			 len;

	out = evhttp_request_get_output_buffer(req);
	hdrs = evhttp_request_get_output_headers(req);

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_add_header(hdrs, "Content-Type", "text/plain");
		if (strcmp(evhttp_request_get_uri(req), "/count") == 0)
			evbuffer_add_printf(out, "%llu\n", sink->posts);
		else
			evbuffer_add(out, "ok\n", 3);
		evhttp_send_reply(req, HTTP_OK, "OK", NULL);
		return;
	}

	/* Read the body as a real API would before answering. */
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if (len > sizeof(body))
		len = sizeof(body);
	if (evbuffer_remove(in, body, len) < 0) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}

	sink->posts++;
	evhttp_add_header(hdrs, "Content-Type", "application/json");
	if (ends_with(evhttp_request_get_uri(req), "/messages")) {
		evbuffer_add_printf(out, "{\"id\":\"bench%027llx\","
		    "\"state\":\"Pending\"}", sink->posts);
		evhttp_send_reply(req, 202, "Accepted", NULL);
		return;
	}
	evbuffer_add_printf(out,
	    "{\"sid\":\"SM%032llx\",\"status\":\"queued\"}", sink->posts);
	evhttp_send_reply(req, 201, "Created", NULL);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct sink *sink = arg;

	(void)sig;
	(void)what;
	event_base_loopexit(sink->base, NULL);
}

int
main(int argc, char *argv[])
{
	struct sink	 sink = { NULL, 0 };
	struct evhttp	*http = NULL;
	struct event	*ev_term = NULL, *ev_int = NULL;
	char		*end;
	long		 port;
	int		 rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
		return 2;
	}
	port = strtol(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || port < 1 || port > 65535) {
		fprintf(stderr, "sink_server: bad port '%s'\n", argv[2]);
		return 2;
	}

	/* A client that vanishes mid-reply must not kill the sink. */
	signal(SIGPIPE, SIG_IGN);

	if ((sink.base = event_base_new()) == NULL ||
	    (http = evhttp_new(sink.base)) == NULL) {
		fprintf(stderr, "sink_server: out of memory\n");
		goto out;
	}
	evhttp_set_max_body_size(http, SINK_MAX_BODY);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	evhttp_set_gencb(http, on_request, &sink);
	if (evhttp_bind_socket(http, argv[1], (ev_uint16_t)port) != 0) {
		fprintf(stderr, "sink_server: cannot listen on %s:%ld\n",
		    argv[1], port);
		goto out;
	}

	ev_term = evsignal_new(sink.base, SIGTERM, on_signal, &sink);
	ev_int = evsignal_new(sink.base, SIGINT, on_signal, &sink);
	if (ev_term == NULL || ev_int == NULL ||
	    evsignal_add(ev_term, NULL) != 0 || evsignal_add(ev_int, NULL) != 0) {
		fprintf(stderr, "sink_server: cannot install signal handlers\n");
		goto out;
	}

	fprintf(stderr, "sink_server: listening on %s:%ld\n", argv[1], port);
	if (event_base_dispatch(sink.base) == -1) {
		fprintf(stderr, "sink_server: event loop failed\n");
		goto out;
	}
	fprintf(stderr, "sink_server: stopped posts=%llu\n", sink.posts);
	rc = 0;
out:
	if (ev_term != NULL)
		event_free(ev_term);
	if (ev_int != NULL)
		event_free(ev_int);
	if (http != NULL)
		evhttp_free(http);
	if (sink.base != NULL)
		event_base_free(sink.base);
	return rc;
}
