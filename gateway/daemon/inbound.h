/*
 * inbound: the SMS webhook's pipeline, from parsed messages to recorded
 * answers, without the event loop or HTTP (daemon.c owns those).
 *
 * The daemon gathers the webhooks of one loop turn into a batch;
 * inbound_run() records them all in one transaction: for each, a retry
 * of a message already recorded is recognised by its provider message id
 * and gets the replies given before; anything else is checked against the
 * abuse limits, routed, logged as interactions, and its replies are either
 * carried by the webhook's answer or queued in the outbox.  Nothing of a
 * batch counts (log lines, metrics) unless it committed.
 */
#ifndef SP_INBOUND_H
#define SP_INBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "records.h"

struct abuse;
struct buf;
struct handler_env;
struct metrics;
struct handler_page_memo;
struct provider;
struct sp_runtime;
struct store;

/* What the pipeline works with; owned by the caller. */
struct inbound_env {
	struct store		*store;
	const struct sp_runtime	*rt;
	struct abuse		*abuse;
	struct metrics		*metrics;	/* NULL: not counted */
	struct handler_env	*handlers;	/* the handlers' door (ops_arg) */
	struct handler_page_memo	*page_memo;	/* NULL: every text counted */
};

/* One webhook of a batch.  The caller fills the first block. */
struct inbound_item {
	struct inbound_item	*next;
	void			*exchange;	/* the caller's, untouched */
	const struct provider	*provider;
	struct inbound_msg	 in;		/* owned */
	int64_t			 t0_mono;	/* when it arrived */
	int64_t			 t0_wall;
	/* Filled by inbound_run(). */
	int			 inline_reply;	/* else through the outbox */
	char			**replies;	/* what the answer carries */
	size_t			 nreplies;
	int			 duplicate;	/* a retry of a recorded one */
	char			*log_line;	/* sms_in, or NULL */
	char			*m_keyword;	/* inbound counted, or NULL */
	size_t			 m_replies;
	double			 m_segments;
};

struct inbound_item *inbound_item_new(void);
void	 inbound_item_free(struct inbound_item *);

/*
 * Record the batch (a list through ->next) in one transaction.  1 if it
 * committed (its log lines and metrics are out; *queued_outbox says
 * whether the sender should look at the outbox), 0 if it was rolled back
 * (every item is to be answered 503, the provider retries).
 */
int	 inbound_run(const struct inbound_env *, struct inbound_item *batch,
	    int *queued_outbox);

/*
 * The webhook's answer for it: the HTTP status, with the body and its
 * content type (*ctype, static) in body.  stored is what inbound_run()
 * returned.
 */
int	 inbound_answer(const struct inbound_env *,
	    const struct inbound_item *, int stored, struct buf *body,
	    const char **ctype);

#endif
