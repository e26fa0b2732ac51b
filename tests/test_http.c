/*
 * test_http: an exchange whose answer comes late (an admin job) keeps
 * its connection past the request timeout, and an answer whose client
 * or server is gone only frees the exchange.  Real sockets on loopback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "http.h"
#include "provider.h"

struct held {
	struct http_exchange	*x;	/* the request we have not answered */
	int			 n;
};

static void
hold(void *arg, struct http_exchange *x, const struct sp_request *req)
{
	struct held *h = arg;

	(void)req;
	h->x = x;
	h->n++;
}

static void
run_for(struct event_base *base, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/* Connect and send the whole request at once, before the server's loop
 * has turned: the connection and its request arrive together. */
static int
client_send(int port, const char *request)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(send(fd, request, strlen(request), 0),
	    (ssize_t)strlen(request));
	return fd;
}

/* 1: bytes waiting, 0: closed by the server, -1: open and silent. */
static int
client_state(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n > 0)
		return 1;
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
		return 0;
	return -1;
}

static const char *REQ =
    "POST /api/v1/broadcasts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/json\r\nContent-Length: 27\r\n\r\n"
    "{\"to\": \"district:varanasi\"}";

/* A server on base whose handler holds what it is given (h), with
 * timeout_s, and REQ sent to it from *fd; the request is held. */
static struct http_server *
serve_held(struct event_base *base, struct held *h, int timeout_s,
    int run_ms, int *fd)
{
	struct http_server *srv;
	char err[128];

	srv = http_server_new(base, "127.0.0.1:0", 4096, timeout_s, hold, h,
	    err, sizeof(err));
	assert_non_null(srv);
	*fd = client_send(http_server_port(srv), REQ);
	run_for(base, run_ms);
	assert_int_equal(h->n, 1);
	return srv;
}

static void
test_answer_after_the_timeout(void **state)
{
	struct event_base *base = event_base_new();
	struct held h = { NULL, 0 };
	struct http_server *srv;
	char buf[512];
	ssize_t n;
	int fd;

	(void)state;
	/* Well past the 1 s timeout while "the job" works. */
	srv = serve_held(base, &h, 1, 2300, &fd);
	assert_int_equal(http_server_inflight(srv), 1);
	assert_int_equal(client_state(fd), -1);
	http_respond_text(h.x, 201, "{\"id\": 7}\n");
	run_for(base, 200);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "HTTP/1.1 201 Created\r\n"));
	assert_non_null(strstr(buf, "{\"id\": 7}"));
	assert_int_equal(http_server_inflight(srv), 0);
	/* And the clock runs again for the next request. */
	run_for(base, 1500);
	assert_int_equal(client_state(fd), 0);
	close(fd);
	http_server_free(srv);
	event_base_free(base);
}

static void
test_answer_to_a_client_that_reset(void **state)
{
	struct event_base *base = event_base_new();
	struct held h = { NULL, 0 };
	struct linger lg = { 1, 0 };
	struct http_server *srv;
	int fd;

	(void)state;
	srv = serve_held(base, &h, 10, 100, &fd);
	/* curl aborted: the peer resets. */
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg,
	    sizeof(lg)), 0);
	close(fd);
	run_for(base, 100);
	http_respond_text(h.x, 201, "{\"id\": 8}\n");
	run_for(base, 200);
	/* Not answered, and not counted as waiting: shutdown need not
	 * wait for it. */
	assert_int_equal(http_server_inflight(srv), 0);
	http_server_free(srv);
	event_base_free(base);
}

static void
test_answer_after_the_server_is_gone(void **state)
{
	struct event_base *base = event_base_new();
	struct held h = { NULL, 0 };
	struct http_server *srv;
	int fd;

	(void)state;
	srv = serve_held(base, &h, 10, 100, &fd);
	http_server_free(srv);		/* frees the connection and request */
	assert_int_equal(client_state(fd), 0);
	/* The job ends later: its answer touches neither (ASan checks). */
	http_add_header(h.x, "Cache-Control", "no-store");
	http_respond_text(h.x, 201, "{\"id\": 9}\n");
	close(fd);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_after_the_timeout),
		cmocka_unit_test(test_answer_to_a_client_that_reset),
		cmocka_unit_test(test_answer_after_the_server_is_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
