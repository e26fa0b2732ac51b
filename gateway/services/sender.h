/*
 * sender: moves messages out of the outbox through each provider's REST
 * API, with libcurl's multi interface driven by the libevent loop (socket
 * and timer callbacks; no threads, nothing blocks the loop).  The only
 * module that includes curl.
 *
 * Per provider: a token bucket (provider_conf.rate messages/s, 0 = no
 * limit) and a cap on requests in flight (max_inflight).  Retries (429,
 * 5xx, timeouts, connection errors) back off exponentially with jitter,
 * honouring Retry-After, until send_attempts or send_max_age run out;
 * other answers fail at once with the provider's error stored.
 *
 * A provider without build_send (console) is local: its messages are
 * written to the log and marked sent.
 *
 * Messages are claimed ("sending") just before their request starts, so
 * after a crash at most the requests in flight are sent twice: the daemon
 * re-queues "sending" messages at start-up.
 */
#ifndef SP_SENDER_H
#define SP_SENDER_H

#include <stddef.h>

struct abuse;
struct event_base;
struct metrics;
struct sp_runtime;
struct store;
struct sender;

/* NULL with err set.  rt may be replaced later (sender_set_runtime). */
struct sender *sender_new(struct event_base *, struct store *,
	    const struct sp_runtime *rt, char *err, size_t errlen);
/* Use a reloaded runtime from now on (in-flight requests finish as built). */
void	 sender_set_runtime(struct sender *, const struct sp_runtime *);
/*
 * Check every message against these limits (abuse.h): its destination
 * against allowed_prefixes, and, for providers that cost money, the
 * global hourly budget (no claiming while it is spent).  Not owned.
 */
void	 sender_set_abuse(struct sender *, struct abuse *);
/* Count attempts, errors and send durations in m (not owned; NULL: none). */
void	 sender_set_metrics(struct sender *, struct metrics *);
/* Something was queued: look at the outbox now rather than at the next poll. */
void	 sender_kick(struct sender *);
/* Claim nothing more (shutdown); requests in flight go on. */
void	 sender_stop(struct sender *);
size_t	 sender_inflight(const struct sender *);
/* Abort what is in flight (those messages stay "sending" and are
 * re-queued at the next start) and free everything. */
void	 sender_free(struct sender *);

#endif
