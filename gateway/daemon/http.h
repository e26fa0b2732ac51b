/*
 * http: the HTTP server (libevent evhttp), reduced to what the daemon
 * needs: one callback per complete request with a plain struct
 * sp_request, and an answer that may come later in the same loop turn
 * (group commit answers webhooks only once their transaction committed).
 *
 * Limits are fixed when the server is made: the largest body (bigger
 * requests get 413 from evhttp itself before we see them), and the time
 * a client may take to send a request or read the answer.
 */
#ifndef SP_HTTP_H
#define SP_HTTP_H

#include <stddef.h>

struct event_base;
struct sp_request;
struct http_server;
struct http_exchange;		/* one request waiting for its answer */

typedef void http_request_cb(void *arg, struct http_exchange *,
    const struct sp_request *);

/*
 * Listen on "host:port" (port 0 picks a free one).  cb is called once per
 * complete request; the sp_request is valid only during the call, the
 * exchange until http_respond(), which must come however long the answer
 * takes: if the client or the server went away meanwhile, it only frees
 * the exchange (the answer is logged as dropped).  timeout_s bounds the
 * client's sending and reading, never the wait for our answer.  NULL
 * with err set.
 */
struct http_server *http_server_new(struct event_base *, const char *listen,
	    size_t max_body, int timeout_s, http_request_cb *cb, void *arg,
	    char *err, size_t errlen);
/*
 * The descriptor limit, raised first from its soft value to the hard one
 * (a soft limit below the hard one only costs connections; systemd's
 * LimitNOFILE= or ulimit -Hn sets the hard one).  Reports both and how
 * many connections each server made afterwards will hold open at once.
 * Call before http_server_new().  0, or -1 if the limit cannot be read.
 */
int	 http_fd_limit(unsigned long long *soft, unsigned long long *hard,
	    size_t *per_server);
/* Close the listening socket: no new connections, open ones go on. */
void	 http_server_stop_accepting(struct http_server *);
/* Requests received and not yet completely answered. */
size_t	 http_server_inflight(const struct http_server *);
/* The port actually bound (useful with port 0). */
int	 http_server_port(const struct http_server *);
void	 http_server_free(struct http_server *);

/*
 * Be told of every answer (for metrics): cb(arg, path of the request
 * (cut to 63 bytes), HTTP status, seconds since the request arrived).
 */
typedef void http_answer_cb(void *arg, const char *path, int status,
    double seconds);
void	 http_server_observe(struct http_server *, http_answer_cb *cb,
	    void *arg);

/* Answer (exactly once per exchange).  body may hold any bytes.  May
 * come after http_server_free() (it then only frees the exchange). */
void	 http_respond(struct http_exchange *, int status,
	    const char *content_type, const char *body, size_t len);
/* Add a header to the answer (before http_respond). */
void	 http_add_header(struct http_exchange *, const char *name,
	    const char *value);
/* Convenience: a short text/plain answer. */
void	 http_respond_text(struct http_exchange *, int status,
	    const char *text);

#endif
