/*
 * httpclient: libcurl multi on the libevent loop.  See httpclient.h for
 * the contract.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "httpclient.h"
#include "provider.h"
#include "util.h"

struct httpclient_req {
	TAILQ_ENTRY(httpclient_req) entry;
	struct httpclient	*hc;
	CURL			*easy;
	struct curl_slist	*headers;
	struct buf		 response;
	long			 retry_after_s;	/* -1: none given */
	httpclient_done_fn	 done;
	void			*arg;
};

/*
 * A socket curl watches, in httpclient.socks[fd].  When curl stops
 * watching a connection's socket (its transfer is done and the connection
 * goes back to the pool) the socket stays registered with the loop: the
 * next request on that connection mostly wants the same readiness, and
 * then costs no epoll_ctl at all, where unregistering and registering
 * again took two per message.
 *
 * Only sockets opened here for curl (on_open_socket) stay: curl closes
 * those through on_close_socket, which unregisters them first.  Others
 * (the threaded resolver's socketpair) curl closes by itself; left
 * registered, a closed fd would stay "registered" in libevent, and the
 * next socket given that number (a webhook's connection) would never be
 * polled.  Those are unregistered as soon as curl stops watching them.
 */
struct sock_ctx {
	struct event		*ev;
	short			 kind;		/* registered: EV_READ|EV_WRITE */
	int			 watched;	/* curl wants to hear of it */
	int			 ours;		/* opened by on_open_socket */
};

struct httpclient {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*timer;
	TAILQ_HEAD(, httpclient_req) reqs;	/* in flight */
	struct sock_ctx		**socks;	/* by fd; NULL: not curl's */
	size_t			 nsocks;
};

static void
req_free(struct httpclient_req *r)
{
	TAILQ_REMOVE(&r->hc->reqs, r, entry);
	if (r->easy != NULL) {
		curl_multi_remove_handle(r->hc->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->headers);
	buf_free(&r->response);
	free(r);
}

/* What an operator must fix differs for each. */
static const char *
failure_class(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return "dns";
	case CURLE_COULDNT_CONNECT:
		return "connect";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return "tls";
	default:
		return "network";
	}
}

/* Report every request that finished. */
static void
check_done(struct httpclient *hc)
{
	struct httpclient_result res;
	struct httpclient_req *r;
	CURLMsg *cm;
	int left;

	while ((cm = curl_multi_info_read(hc->multi, &left)) != NULL) {
		if (cm->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(cm->easy_handle, CURLINFO_PRIVATE,
		    (char **)&r);
		memset(&res, 0, sizeof(res));
		if (cm->data.result == CURLE_OK) {
			curl_easy_getinfo(cm->easy_handle,
			    CURLINFO_RESPONSE_CODE, &res.status);
		} else {
			res.failure = failure_class(cm->data.result);
			res.error = curl_easy_strerror(cm->data.result);
		}
		res.body = buf_cstr(&r->response);
		res.body_len = r->response.len;
		res.retry_after_s = r->retry_after_s;
		r->done(r->arg, &res);
		req_free(r);
	}
}

/* ---- curl's sockets and timer on the loop ---- */

static void	on_socket_event(evutil_socket_t, short, void *);

static struct sock_ctx *
sock_find(const struct httpclient *hc, curl_socket_t fd)
{
	return fd >= 0 && (size_t)fd < hc->nsocks ? hc->socks[fd] : NULL;
}

/* Register ctx's fd for kind (0: for nothing). */
static void
sock_register(struct httpclient *hc, struct sock_ctx *ctx, curl_socket_t fd,
    short kind)
{
	if (ctx->kind == kind)
		return;
	if (ctx->kind != 0)
		event_del(ctx->ev);
	ctx->kind = kind;
	if (kind == 0)
		return;
	event_assign(ctx->ev, hc->base, fd, kind | EV_PERSIST,
	    on_socket_event, hc);
	event_add(ctx->ev, NULL);
}

static void
on_socket_event(evutil_socket_t fd, short what, void *arg)
{
	struct httpclient *hc = arg;
	struct sock_ctx *ctx = sock_find(hc, fd);
	int running, flags = 0;

	if (ctx != NULL && !ctx->watched) {
		/*
		 * A pooled connection nobody uses became readable: the
		 * server closed it.  Stop listening, or level-triggered
		 * readiness would spin; curl finds it dead when it next
		 * looks, and closes it.
		 */
		sock_register(hc, ctx, fd, 0);
		return;
	}
	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(hc->multi, fd, flags, &running);
	check_done(hc);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct httpclient *hc = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(hc->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(hc);
}

/* The entry for fd, made if need be (NULL if the loop refuses it). */
static struct sock_ctx *
sock_slot(struct httpclient *hc, curl_socket_t fd)
{
	struct sock_ctx *ctx;

	if ((ctx = sock_find(hc, fd)) != NULL)
		return ctx;
	if ((size_t)fd >= hc->nsocks) {
		size_t n = hc->nsocks ? hc->nsocks : 64;

		while (n <= (size_t)fd)
			n *= 2;
		hc->socks = xreallocarray(hc->socks, n, sizeof(*hc->socks));
		memset(hc->socks + hc->nsocks, 0,
		    (n - hc->nsocks) * sizeof(*hc->socks));
		hc->nsocks = n;
	}
	ctx = xcalloc(1, sizeof(*ctx));
	if ((ctx->ev = event_new(hc->base, fd, EV_PERSIST, on_socket_event,
	    hc)) == NULL) {
		free(ctx);
		return NULL;
	}
	hc->socks[fd] = ctx;
	return ctx;
}

/* Unregister fd and drop its entry. */
static void
sock_forget(struct httpclient *hc, curl_socket_t fd)
{
	struct sock_ctx *ctx = sock_find(hc, fd);

	if (ctx == NULL)
		return;
	event_free(ctx->ev);
	free(ctx);
	hc->socks[fd] = NULL;
}

static int
on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *socketp)
{
	struct httpclient *hc = userp;
	struct sock_ctx *ctx;
	short kind = 0;

	(void)easy;
	(void)socketp;
	if (fd < 0)
		return -1;
	if (what == CURL_POLL_REMOVE) {
		if ((ctx = sock_find(hc, fd)) != NULL && ctx->ours)
			ctx->watched = 0;	/* stays: see sock_ctx */
		else
			sock_forget(hc, fd);
		return 0;
	}
	if ((ctx = sock_slot(hc, fd)) == NULL)
		return -1;
	ctx->watched = 1;
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	sock_register(hc, ctx, fd, kind);
	return 0;
}

/* curl opens a connection's socket: ours, so it may stay registered. */
static curl_socket_t
on_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct httpclient *hc = arg;
	struct sock_ctx *ctx;
	curl_socket_t fd;

	(void)purpose;
	fd = socket(addr->family, addr->socktype | SOCK_CLOEXEC,
	    addr->protocol);
	if (fd == CURL_SOCKET_BAD)
		return CURL_SOCKET_BAD;
	/* An entry under this number is a socket's that is closed already. */
	sock_forget(hc, fd);
	if ((ctx = sock_slot(hc, fd)) == NULL) {
		close(fd);
		return CURL_SOCKET_BAD;
	}
	ctx->ours = 1;
	return fd;
}

/* curl closes a socket on_open_socket opened: forget it first. */
static int
on_close_socket(void *arg, curl_socket_t fd)
{
	sock_forget(arg, fd);
	return close(fd);
}

static int
on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct httpclient *hc = userp;
	struct timeval tv;

	(void)multi;
	if (timeout_ms < 0) {
		evtimer_del(hc->timer);
		return 0;
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(hc->timer, &tv);
	return 0;
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct httpclient_req *r = arg;

	/* Past the cap we keep what we have: the status code still counts. */
	buf_append(&r->response, data, size * n);
	return size * n;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct httpclient_req *r = arg;
	size_t len = size * n;
	const char name[] = "Retry-After:";

	if (len > sizeof(name) && strncasecmp(data, name, sizeof(name) - 1) == 0) {
		char value[64];
		time_t when;

		snprintf(value, sizeof(value), "%.*s",
		    (int)(len - (sizeof(name) - 1)), data + sizeof(name) - 1);
		value[strcspn(value, "\r\n")] = '\0';
		if (strspn(value, " 0123456789") == strlen(value))
			r->retry_after_s = strtol(value, NULL, 10);
		else if ((when = curl_getdate(value, NULL)) > 0)
			r->retry_after_s = (long)(when - util_wall_ms() / 1000);
	}
	return len;
}

/* ---- requests ---- */

struct httpclient_req *
httpclient_post(struct httpclient *hc, const struct sp_http_call *call,
    long timeout_ms, httpclient_done_fn done, void *arg, char *err,
    size_t errlen)
{
	struct httpclient_req *r;
	CURL *e;
	size_t i;

	if ((e = curl_easy_init()) == NULL) {
		util_err(err, errlen, "curl_easy_init failed");
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->hc = hc;
	r->easy = e;
	r->done = done;
	r->arg = arg;
	r->retry_after_s = -1;
	buf_init(&r->response, HTTPCLIENT_BODY_MAX);
	TAILQ_INSERT_TAIL(&hc->reqs, r, entry);
	for (i = 0; i < call->nheaders; i++)
		r->headers = curl_slist_append(r->headers, call->headers[i]);
	/* No "Expect: 100-continue" round trip on large bodies. */
	r->headers = curl_slist_append(r->headers, "Expect:");
	curl_easy_setopt(e, CURLOPT_URL, call->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS,
	    call->body ? buf_cstr(call->body) : "");
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
	    (long)(call->body ? call->body->len : 0));
	if (call->userpwd != NULL) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERPWD, call->userpwd);
	}
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "sampark/1");
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, hc);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_close_socket);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, hc);
	if (curl_multi_add_handle(hc->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		r->easy = NULL;
		req_free(r);
		util_err(err, errlen, "curl_multi_add_handle failed");
		return NULL;
	}
	return r;
}

void
httpclient_cancel(struct httpclient_req *r)
{
	if (r != NULL)
		req_free(r);
}

struct httpclient *
httpclient_new(struct event_base *base, char *err, size_t errlen)
{
	struct httpclient *hc;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		util_err(err, errlen, "curl_global_init failed");
		return NULL;
	}
	hc = xcalloc(1, sizeof(*hc));
	hc->base = base;
	TAILQ_INIT(&hc->reqs);
	hc->multi = curl_multi_init();
	hc->timer = evtimer_new(base, on_timer, hc);
	if (hc->multi == NULL || hc->timer == NULL) {
		util_err(err, errlen, "cannot set up the HTTP client");
		httpclient_free(hc);
		return NULL;
	}
	curl_multi_setopt(hc->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	curl_multi_setopt(hc->multi, CURLMOPT_SOCKETDATA, hc);
	curl_multi_setopt(hc->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(hc->multi, CURLMOPT_TIMERDATA, hc);
	/* Keep connections for reuse: by default the cache shrinks as
	 * finished transfers are removed, and every send pays a handshake. */
	curl_multi_setopt(hc->multi, CURLMOPT_MAXCONNECTS, 256L);
	return hc;
}

void
httpclient_free(struct httpclient *hc)
{
	struct httpclient_req *r;
	size_t i;

	if (hc == NULL)
		return;
	while ((r = TAILQ_FIRST(&hc->reqs)) != NULL)
		req_free(r);
	if (hc->multi != NULL)
		curl_multi_cleanup(hc->multi);	/* closes the pool's sockets */
	for (i = 0; i < hc->nsocks; i++)
		sock_forget(hc, (curl_socket_t)i);
	free(hc->socks);
	if (hc->timer != NULL)
		event_free(hc->timer);
	free(hc);
	curl_global_cleanup();
}
