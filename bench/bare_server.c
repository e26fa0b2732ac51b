/*
 * bare_server: the yardstick for `make bench`.
 *
 * A libevent HTTP server that does the least an HTTP server can do: it
 * reads each request (body included) and answers 200 with a fixed text
 * body about the size of a Sampark SMS reply.  It is single-threaded,
 * like the Sampark daemon, so the ratio between the two measures what
 * Sampark's own work (parsing, routing, durable logging) costs, not how
 * many cores either side uses.  Deliberately no parsing, no storage.
 *
 * usage: bare_server HOST PORT
 * SIGTERM or SIGINT stop it: the loop exits and everything is freed.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

/* ~150 bytes, like a one-segment Sampark answer. */
static const char reply_body[] =
    "Bhadohi loan help: District Industries Centre, +915414225123. "
    "Mudra desk, Bank of Baroda Gyanpur, +915414250001. "
    "Reply MORE for more, HELP for menu.";

/* Same cap the daemon puts on a webhook body, so both refuse the same. */
#define BARE_MAX_BODY	16384

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct evbuffer	*in, *out;
	char		 body[BARE_MAX_BODY];
	size_t		 len;

	(void)arg;

	/*
	 * Copy the body out as a real handler would before parsing it, so
	 * the comparison is not flattered by never touching the bytes.
	 */
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if (len > sizeof(body))
		len = sizeof(body);
	if (evbuffer_remove(in, body, len) < 0) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}

	out = evhttp_request_get_output_buffer(req);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evbuffer_add(out, reply_body, sizeof(reply_body) - 1);
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct event_base *base = arg;

	(void)sig;
	(void)what;
	event_base_loopexit(base, NULL);
}

int
main(int argc, char *argv[])
{
	struct event_base	*base = NULL;
	struct evhttp		*http = NULL;
	struct event		*ev_term = NULL, *ev_int = NULL;
	char			*end;
	long			 port;
	int			 rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
		return 2;
	}
	port = strtol(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || port < 1 || port > 65535) {
		fprintf(stderr, "bare_server: bad port '%s'\n", argv[2]);
		return 2;
	}

	/* A client that vanishes mid-reply must not kill the server. */
	signal(SIGPIPE, SIG_IGN);

	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL) {
		fprintf(stderr, "bare_server: out of memory\n");
		goto out;
	}
	evhttp_set_max_body_size(http, BARE_MAX_BODY);
	evhttp_set_gencb(http, on_request, NULL);
	if (evhttp_bind_socket(http, argv[1], (ev_uint16_t)port) != 0) {
		fprintf(stderr, "bare_server: cannot listen on %s:%ld\n",
		    argv[1], port);
		goto out;
	}

	ev_term = evsignal_new(base, SIGTERM, on_signal, base);
	ev_int = evsignal_new(base, SIGINT, on_signal, base);
	if (ev_term == NULL || ev_int == NULL ||
	    evsignal_add(ev_term, NULL) != 0 || evsignal_add(ev_int, NULL) != 0) {
		fprintf(stderr, "bare_server: cannot install signal handlers\n");
		goto out;
	}

	fprintf(stderr, "bare_server: listening on %s:%ld\n", argv[1], port);
	if (event_base_dispatch(base) == -1) {
		fprintf(stderr, "bare_server: event loop failed\n");
		goto out;
	}
	fprintf(stderr, "bare_server: stopped\n");
	rc = 0;
out:
	if (ev_term != NULL)
		event_free(ev_term);
	if (ev_int != NULL)
		event_free(ev_int);
	if (http != NULL)
		evhttp_free(http);
	if (base != NULL)
		event_base_free(base);
	return rc;
}
