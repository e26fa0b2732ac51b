/*
 * http: evhttp wrapped behind http.h.  The only module besides the daemon
 * loop that includes libevent headers.
 */
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/util.h>

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
	http_answer_cb			*observe;
	void				*observe_arg;
	/* Connections (see "connections" below). */
	struct event_base		*base;
	int				 timeout_s;
	TAILQ_HEAD(, conn)		 conns;
	struct conn			**map;		/* by evhttp_connection */
	size_t				 map_mask;
	size_t				 nconns, max_conns;
	int				 full, freeing;
	uint64_t			 timed_out;
};

/*
 * An exchange may outlive its connection: an admin job answers seconds
 * later, and by then the client may have gone.  When the connection is
 * freed first, evhttp frees the request with it; conn_free() then sets
 * req and srv to NULL and http_respond() only frees the exchange.
 */
struct http_exchange {
	struct evhttp_request	*req;		/* NULL: the connection is gone */
	struct http_server	*srv;		/* NULL with req */
	struct conn		*conn;		/* NULL if none was found */
	int64_t			 t0_mono;
	char			 path[64];	/* for the observer */
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

/* Is the peer of req on this machine (127.0.0.0/8, ::1, or either mapped
 * into IPv6)?  Unknown counts as remote. */
static int
peer_is_loopback(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	const struct sockaddr *sa = evcon ? evhttp_connection_get_addr(evcon) :
	    NULL;
	const struct sockaddr_in *in4;
	const struct sockaddr_in6 *in6;
	const uint8_t *a;

	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		in4 = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		a = in6->sin6_addr.s6_addr;
		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && a[12] == 127;
	}
	return 0;
}

/*
 * ---- connections: a deadline per request and a cap on their number ----
 *
 * evhttp 2.1's timeout is an idle timeout: it restarts with every byte,
 * so a client sending its headers a byte at a time (slowloris) could hold
 * a connection for hours, and enough of them would take every file
 * descriptor.  evhttp 2.1 has no connection cap (evhttp_set_max_connections
 * came with 2.2) nor a hook at accept time, so:
 *
 *  - evhttp_set_bevcb() tells us of each accepted connection; one loop
 *    turn later (holding a reference, in case evhttp dropped it already)
 *    we find its evhttp_connection in the bufferevent's callback argument
 *    and set a close callback.  A request can come before that turn (the
 *    client sends it with its connect, and the socket's read runs before
 *    the timer): then the request adopts its connection itself, found by
 *    its bufferevent, or the deadline would run while it waits.
 *  - From its accept, and again from each answer written, a connection
 *    has timeout_s seconds to deliver a complete request, however it
 *    trickles; then it is closed.  While a request waits for its answer
 *    the clock is stopped.
 *  - At max_conns open connections the listener stops accepting: new
 *    clients wait in the kernel's backlog, using no descriptor.  Each
 *    server (webhooks, admin) may use half of the descriptor limit less a
 *    reserve for the store, the sender and the logs, so accept() never
 *    meets EMFILE.  (A listener error callback cannot do this job in 2.1:
 *    it is called with evhttp's argument, not ours.)
 */

#define FD_RESERVE	64	/* descriptors kept for everything else */

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	struct conn		*hnext;		/* in srv->map */
	const void		*key;		/* in srv->map: bev, then evcon */
	struct http_server	*srv;
	struct bufferevent	*bev;		/* referenced until adopted */
	struct evhttp_connection *evcon;	/* NULL until adopted */
	struct event		*timer;		/* adopt, then the deadline */
	struct http_exchange	*waiting;	/* a request without its answer */
	int			 counted;	/* a request in srv->inflight */
	int			 firing;	/* in its timer's callback */
	char			 path[64];	/* of the last request, for logs */
};

static size_t
conn_slot(const struct http_server *srv, const void *key)
{
	uintptr_t p = (uintptr_t)key;

	return (size_t)((p >> 4) * 0x9e3779b97f4a7c15ULL >> 20) &
	    srv->map_mask;
}

/* By its evhttp_connection once adopted, by its bufferevent before. */
static struct conn *
conn_find(const struct http_server *srv, const void *key)
{
	struct conn *c;

	if (key == NULL)
		return NULL;
	for (c = srv->map[conn_slot(srv, key)]; c != NULL; c = c->hnext)
		if (c->key == key)
			return c;
	return NULL;
}

static void
conn_unmap(struct conn *c)
{
	struct http_server *srv = c->srv;
	struct conn **p;

	for (p = &srv->map[conn_slot(srv, c->key)]; *p != NULL;
	    p = &(*p)->hnext)
		if (*p == c) {
			*p = c->hnext;
			break;
		}
	c->hnext = NULL;
}

static void
conn_map(struct conn *c, const void *key)
{
	struct http_server *srv = c->srv;

	c->key = key;
	c->hnext = srv->map[conn_slot(srv, key)];
	srv->map[conn_slot(srv, key)] = c;
}

static void
listener_set(struct http_server *srv, int on)
{
	struct evconnlistener *l;

	if (srv->freeing || srv->bound == NULL ||
	    (l = evhttp_bound_socket_get_listener(srv->bound)) == NULL)
		return;
	if (on)
		evconnlistener_enable(l);
	else
		evconnlistener_disable(l);
}

/*
 * A connection is gone (evhttp frees its request with it): forget it, let
 * go of a request still waiting for its answer, and accept again if we
 * had stopped.
 */
static void
conn_free(struct conn *c)
{
	struct http_server *srv = c->srv;
	struct http_exchange *x = c->waiting;

	if (c->counted) {
		if (srv->inflight > 0)
			srv->inflight--;
		/* Reset by the client, or its answer could not be written. */
		log_info("http_client_gone", "port=%d path=\"%s\" "
		    "answer=%s", srv->port, c->path, x != NULL ? "pending" :
		    "unsent");
	}
	if (x != NULL) {
		x->req = NULL;
		x->srv = NULL;
		x->conn = NULL;
	}
	if (c->key != NULL)
		conn_unmap(c);
	if (c->bev != NULL)
		bufferevent_decref(c->bev);
	event_free(c->timer);
	TAILQ_REMOVE(&srv->conns, c, entry);
	free(c);
	srv->nconns--;
	if (srv->full && srv->nconns < srv->max_conns) {
		srv->full = 0;
		listener_set(srv, 1);
	}
}

static void
conn_arm(struct conn *c)
{
	struct timeval tv = { c->srv->timeout_s, 0 };

	evtimer_add(c->timer, &tv);
}

static void
on_conn_close(struct evhttp_connection *evcon, void *arg)
{
	struct conn *c = arg;

	(void)evcon;
	/* When its own timer closed it, the timer frees it afterwards. */
	if (!c->firing)
		conn_free(c);
}

/* Know evcon as c's from now on, and be told when it closes. */
static void
conn_adopt(struct conn *c, struct evhttp_connection *evcon)
{
	conn_unmap(c);
	c->evcon = evcon;
	conn_map(c, evcon);
	evhttp_connection_set_closecb(evcon, on_conn_close, c);
	bufferevent_decref(c->bev);
	c->bev = NULL;
}

static void
on_conn_timer(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct http_server *srv = c->srv;
	bufferevent_event_cb errorcb = NULL;
	void *cbarg = NULL;

	(void)fd;
	(void)what;
	if (c->evcon == NULL) {
		/* Adopt: evhttp has set the connection up, or dropped it
		 * already (then its callbacks were cleared). */
		bufferevent_getcb(c->bev, NULL, NULL, &errorcb, &cbarg);
		if (errorcb == NULL || cbarg == NULL) {
			conn_free(c);
			return;
		}
		conn_adopt(c, cbarg);
		conn_arm(c);
		return;
	}
	/* The deadline: no complete request in timeout_s seconds. */
	srv->timed_out++;
	log_debug("http_timeout", "port=%d open=%zu", srv->port, srv->nconns);
	c->firing = 1;
	evhttp_connection_free(c->evcon);
	conn_free(c);
}

/* evhttp's hook for each accepted connection: count it, adopt it soon. */
static struct bufferevent *
on_accept(struct event_base *base, void *arg)
{
	struct http_server *srv = arg;
	struct timeval now = { 0, 0 };
	struct conn *c;
	struct bufferevent *bev;

	if ((bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE))
	    == NULL)
		return NULL;		/* evhttp tries itself, and fails */
	c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	c->bev = bev;
	bufferevent_incref(bev);
	if ((c->timer = evtimer_new(base, on_conn_timer, c)) == NULL) {
		bufferevent_decref(bev);
		free(c);
		return bev;
	}
	TAILQ_INSERT_TAIL(&srv->conns, c, entry);
	conn_map(c, bev);
	evtimer_add(c->timer, &now);
	if (++srv->nconns >= srv->max_conns && !srv->full) {
		srv->full = 1;
		listener_set(srv, 0);
		log_warn("http_busy", "port=%d connections=%zu "
		    "note=\"not accepting until one closes\"", srv->port,
		    srv->nconns);
	}
	return bev;
}

/* The cap: half the descriptor limit less the reserve, at least 8. */
static size_t
max_connections(void)
{
	struct rlimit rl;
	rlim_t n = 1000000;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
	    && rl.rlim_cur < n)
		n = rl.rlim_cur;
	if (n < FD_RESERVE + 16)
		return 8;
	return (size_t)(n - FD_RESERVE) / 2;
}

int
http_fd_limit(unsigned long long *soft, unsigned long long *hard,
    size_t *per_server)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	if (rl.rlim_cur != rl.rlim_max) {
		struct rlimit up = { rl.rlim_max, rl.rlim_max };

		/* Refused (RLIM_INFINITY is above the kernel's nr_open):
		 * keep what we have. */
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	*soft = rl.rlim_cur == RLIM_INFINITY ? ~0ULL :
	    (unsigned long long)rl.rlim_cur;
	*hard = rl.rlim_max == RLIM_INFINITY ? ~0ULL :
	    (unsigned long long)rl.rlim_max;
	*per_server = max_connections();
	return 0;
}

/* Called by evhttp once the answer has been written (or given up on). */
static void
on_complete(struct evhttp_request *req, void *arg)
{
	struct http_server *srv = arg;
	struct conn *c;

	if (srv->inflight > 0)
		srv->inflight--;
	/* Answered: the clock for the next request starts. */
	if ((c = conn_find(srv, evhttp_request_get_connection(req))) != NULL) {
		c->counted = 0;
		conn_arm(c);
	}
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct http_server *srv = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct evhttp_connection *evcon;
	struct http_exchange *x;
	struct conn *c;
	struct sp_request r;
	const char *rawpath;
	char *path, *body;
	size_t len;

	srv->inflight++;
	evhttp_request_set_on_complete_cb(req, on_complete, srv);
	x = xcalloc(1, sizeof(*x));
	x->req = req;
	x->srv = srv;
	x->t0_mono = util_mono_ms();
	/* A complete request: no deadline while it waits for its answer,
	 * however long its job takes. */
	if ((evcon = evhttp_request_get_connection(req)) != NULL) {
		if ((c = conn_find(srv, evcon)) == NULL &&
		    (c = conn_find(srv, evhttp_connection_get_bufferevent(
		    evcon))) != NULL)
			conn_adopt(c, evcon);
		if (c != NULL) {
			evtimer_del(c->timer);
			c->waiting = x;
			c->counted = 1;
			x->conn = c;
		}
	}

	/* No route of ours takes a proxy tunnel or an echo of the request;
	 * CONNECT's target is not even a path.  Refused as every wrong
	 * method is, before any route sees them. */
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_TRACE:
	case EVHTTP_REQ_CONNECT:
		http_respond_text(x, 405, "method not allowed\n");
		return;
	default:
		break;
	}
	rawpath = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	path = evhttp_uridecode(rawpath != NULL ? rawpath : "/", 0, NULL);
	if (path == NULL) {
		http_respond_text(x, 400, "bad path\n");
		return;
	}
	util_strlcpy(x->path, path, sizeof(x->path));
	if (x->conn != NULL)
		memcpy(x->conn->path, x->path, sizeof(x->path));
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
	r.peer_loopback = peer_is_loopback(req);
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
		util_err(err, errlen, "listen address \"%s\" is not HOST:PORT",
		    listen);
		return NULL;
	}
	srv = xcalloc(1, sizeof(*srv));
	srv->cb = cb;
	srv->cb_arg = arg;
	if ((srv->evhttp = evhttp_new(base)) == NULL) {
		util_err(err, errlen, "evhttp_new failed");
		free(srv);
		return NULL;
	}
	evhttp_set_max_body_size(srv->evhttp, (ev_ssize_t)max_body);
	evhttp_set_max_headers_size(srv->evhttp, 16 * 1024);
	evhttp_set_timeout(srv->evhttp, timeout_s);
	/* TRACE and CONNECT are let in only to be refused with 405 (in
	 * on_request) like any other wrong method: libevent's own refusal
	 * of a method it was not told about is a 501. */
	evhttp_set_allowed_methods(srv->evhttp, EVHTTP_REQ_GET |
	    EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH |
	    EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT);
	evhttp_set_gencb(srv->evhttp, on_request, srv);
	srv->bound = evhttp_bind_socket_with_handle(srv->evhttp, host,
	    (ev_uint16_t)port);
	if (srv->bound == NULL) {
		util_err(err, errlen, "cannot listen on %s", listen);
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
	/* The connection guard (see "connections" above). */
	srv->base = base;
	srv->timeout_s = timeout_s;
	srv->max_conns = max_connections();
	TAILQ_INIT(&srv->conns);
	for (srv->map_mask = 64; srv->map_mask < srv->max_conns &&
	    srv->map_mask < 65536; srv->map_mask *= 2)
		;
	srv->map = xcalloc(srv->map_mask, sizeof(*srv->map));
	srv->map_mask--;
	evhttp_set_bevcb(srv->evhttp, on_accept, srv);
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
	struct conn *c;

	if (srv == NULL)
		return;
	/* evhttp closes its connections, calling on_conn_close for the
	 * adopted ones; the rest are freed here. */
	srv->freeing = 1;
	evhttp_free(srv->evhttp);
	while ((c = TAILQ_FIRST(&srv->conns)) != NULL) {
		c->evcon = NULL;
		conn_free(c);
	}
	free(srv->map);
	free(srv);
}

void
http_respond(struct http_exchange *x, int status, const char *content_type,
    const char *body, size_t len)
{
	struct evkeyvalq *h;
	struct evbuffer *out;
	const char *reason;

	if (x->req == NULL) {
		/* Its connection closed while the answer was made (an admin
		 * job that outlasted the client): whatever the answer
		 * stands for is done; only its delivery is lost. */
		log_info("http_answer_dropped", "path=\"%s\" status=%d "
		    "seconds=%.3f note=\"client gone\"", x->path, status,
		    (double)(util_mono_ms() - x->t0_mono) / 1000.0);
		free(x);
		return;
	}
	if (x->conn != NULL)
		x->conn->waiting = NULL;
	h = evhttp_request_get_output_headers(x->req);
	out = evbuffer_new();

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
	if (x->srv->observe != NULL)
		x->srv->observe(x->srv->observe_arg, x->path, status,
		    (double)(util_mono_ms() - x->t0_mono) / 1000.0);
	free(x);
}

void
http_server_observe(struct http_server *srv, http_answer_cb *cb, void *arg)
{
	srv->observe = cb;
	srv->observe_arg = arg;
}

void
http_add_header(struct http_exchange *x, const char *name, const char *value)
{
	if (x->req == NULL)
		return;
	evhttp_add_header(evhttp_request_get_output_headers(x->req), name,
	    value);
}

void
http_respond_text(struct http_exchange *x, int status, const char *text)
{
	http_respond(x, status, "text/plain; charset=utf-8", text, strlen(text));
}
