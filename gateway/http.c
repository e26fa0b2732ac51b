/*
 * http: evhttp wrapped behind http.h.  The only module besides the daemon
 * loop that includes libevent headers.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"
#include "provider.h"
#include "util.h"

struct http_server {
	struct evhttp			*evhttp;
	struct evhttp_bound_socket	*bound;
	http_request_cb			*cb;
	void				*cb_arg;
	size_t				 inflight;
	int				 port;
};

struct http_exchange {
	struct evhttp_request	*req;
	struct http_server	*srv;
};

static const char *
method_name(enum evhttp_cmd_type t)
{
	switch (t) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	case EVHTTP_REQ_PATCH: return "PATCH";
	default: return "OTHER";
	}
}

static const char *
header_lookup(const struct sp_request *r, const char *name)
{
	return evhttp_find_header(r->header_arg, name);
}

/* Called by evhttp once the answer has been written (or given up on). */
static void
on_complete(struct evhttp_request *req, void *arg)
{
	struct http_server *srv = arg;

	(void)req;
	if (srv->inflight > 0)
		srv->inflight--;
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct http_server *srv = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct http_exchange *x;
	struct sp_request r;
	const char *rawpath;
	char *path, *body;
	size_t len;

	srv->inflight++;
	evhttp_request_set_on_complete_cb(req, on_complete, srv);
	x = xcalloc(1, sizeof(*x));
	x->req = req;
	x->srv = srv;

	rawpath = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	path = evhttp_uridecode(rawpath != NULL ? rawpath : "/", 0, NULL);
	if (path == NULL) {
		http_respond_text(x, 400, "bad path\n");
		return;
	}
	/* A NUL-terminated copy, so that adapters may treat it as text. */
	len = evbuffer_get_length(in);
	body = xmalloc(len + 1);
	evbuffer_copyout(in, body, len);
	body[len] = '\0';

	memset(&r, 0, sizeof(r));
	r.method = method_name(evhttp_request_get_command(req));
	r.uri = evhttp_request_get_uri(req);
	r.path = path;
	r.query = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
	r.content_type = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Content-Type");
	r.body = body;
	r.body_len = len;
	r.header = header_lookup;
	r.header_arg = evhttp_request_get_input_headers(req);
	srv->cb(srv->cb_arg, x, &r);
	free(body);
	free(path);
}

static int
split_listen(const char *listen, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(listen, ':');
	char *end;
	long p;

	if (colon == NULL || (size_t)(colon - listen) >= hostlen)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	/* "[::1]:8080" */
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

struct http_server *
http_server_new(struct event_base *base, const char *listen, size_t max_body,
    int timeout_s, http_request_cb *cb, void *arg, char *err, size_t errlen)
{
	struct http_server *srv;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char host[256];
	int port;

	if (split_listen(listen, host, sizeof(host), &port) == -1) {
		sp_err(err, errlen, "listen address \"%s\" is not HOST:PORT",
		    listen);
		return NULL;
	}
	srv = xcalloc(1, sizeof(*srv));
	srv->cb = cb;
	srv->cb_arg = arg;
	if ((srv->evhttp = evhttp_new(base)) == NULL) {
		sp_err(err, errlen, "evhttp_new failed");
		free(srv);
		return NULL;
	}
	evhttp_set_max_body_size(srv->evhttp, (ev_ssize_t)max_body);
	evhttp_set_max_headers_size(srv->evhttp, 16 * 1024);
	evhttp_set_timeout(srv->evhttp, timeout_s);
	evhttp_set_allowed_methods(srv->evhttp, EVHTTP_REQ_GET |
	    EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(srv->evhttp, on_request, srv);
	srv->bound = evhttp_bind_socket_with_handle(srv->evhttp, host,
	    (ev_uint16_t)port);
	if (srv->bound == NULL) {
		sp_err(err, errlen, "cannot listen on %s", listen);
		evhttp_free(srv->evhttp);
		free(srv);
		return NULL;
	}
	if (getsockname(evhttp_bound_socket_get_fd(srv->bound),
	    (struct sockaddr *)&ss, &sslen) == 0) {
		if (ss.ss_family == AF_INET)
			srv->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			srv->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	return srv;
}

void
http_server_stop_accepting(struct http_server *srv)
{
	if (srv->bound != NULL) {
		evhttp_del_accept_socket(srv->evhttp, srv->bound);
		srv->bound = NULL;
	}
}

size_t
http_server_inflight(const struct http_server *srv)
{
	return srv->inflight;
}

int
http_server_port(const struct http_server *srv)
{
	return srv->port;
}

void
http_server_free(struct http_server *srv)
{
	if (srv == NULL)
		return;
	evhttp_free(srv->evhttp);
	free(srv);
}

void
http_respond(struct http_exchange *x, int status, const char *content_type,
    const char *body, size_t len)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(x->req);
	struct evbuffer *out = evbuffer_new();
	const char *reason;

	switch (status) {
	case 200: reason = "OK"; break;
	case 201: reason = "Created"; break;
	case 302: reason = "Found"; break;
	case 303: reason = "See Other"; break;
	case 204: reason = "No Content"; break;
	case 400: reason = "Bad Request"; break;
	case 401: reason = "Unauthorized"; break;
	case 403: reason = "Forbidden"; break;
	case 404: reason = "Not Found"; break;
	case 405: reason = "Method Not Allowed"; break;
	case 413: reason = "Payload Too Large"; break;
	case 415: reason = "Unsupported Media Type"; break;
	case 503: reason = "Service Unavailable"; break;
	default: reason = status < 400 ? "OK" : "Error"; break;
	}
	if (content_type != NULL)
		evhttp_add_header(h, "Content-Type", content_type);
	if (status == 503)
		evhttp_add_header(h, "Retry-After", "5");
	if (out == NULL) {
		evhttp_send_error(x->req, 500, NULL);
	} else {
		evbuffer_add(out, body, len);
		evhttp_send_reply(x->req, status, reason, out);
		evbuffer_free(out);
	}
	free(x);
}

void
http_add_header(struct http_exchange *x, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(x->req), name,
	    value);
}

void
http_respond_text(struct http_exchange *x, int status, const char *text)
{
	http_respond(x, status, "text/plain; charset=utf-8", text, strlen(text));
}
