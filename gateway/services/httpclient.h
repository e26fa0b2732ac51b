/*
 * httpclient: outbound HTTP requests on the daemon's event loop (libcurl
 * multi driven by libevent), the only code of Sampark that talks curl.
 *
 * A request is started with httpclient_post() and its completion is
 * reported once, from the loop, to the callback given with it; the
 * answer's body (at most HTTPCLIENT_BODY_MAX bytes kept) and a
 * Retry-After header are read for the caller.  Connections are pooled
 * and their sockets stay registered with the loop between requests, so
 * a busy sender makes no epoll_ctl per message.
 */
#ifndef SP_HTTPCLIENT_H
#define SP_HTTPCLIENT_H

#include <stddef.h>

struct event_base;
struct httpclient;
struct httpclient_req;
struct sp_http_call;

#define HTTPCLIENT_BODY_MAX	(64 * 1024)

struct httpclient_result {
	long		 status;	/* HTTP status, 0: no answer */
	/* No answer: why, as a class an operator acts on ("dns",
	 * "connect", "timeout", "tls", "network"), and curl's words.
	 * Both NULL when an answer came. */
	const char	*failure;
	const char	*error;
	const char	*body;		/* NUL-terminated, valid in the callback */
	size_t		 body_len;
	long		 retry_after_s;	/* -1: the answer gave none */
};

typedef void (*httpclient_done_fn)(void *arg,
	    const struct httpclient_result *);

/* NULL with err if curl or the loop cannot be set up. */
struct httpclient *httpclient_new(struct event_base *, char *err,
	    size_t errlen);
/* Requests still in flight are dropped without their callbacks. */
void	 httpclient_free(struct httpclient *);

/*
 * POST call (URL, headers, Basic auth, body) with a timeout.  call must
 * stay valid until done is called or the request is cancelled.  Returns
 * the request (for httpclient_cancel), or NULL with err: then done is
 * never called.
 */
struct httpclient_req *httpclient_post(struct httpclient *,
	    const struct sp_http_call *call, long timeout_ms,
	    httpclient_done_fn done, void *arg, char *err, size_t errlen);
/* Abandon a request in flight: done will not be called. */
void	 httpclient_cancel(struct httpclient_req *);

#endif
