/*
 * router: from an inbound text to a reply.  Normalises the text, matches
 * the first word against the keyword aliases, resolves the district (a
 * second word naming one overrides the contact's), answers a pending
 * question (which district?), picks the reply language, calls the handler
 * and keeps the contact up to date in the store.
 *
 * The router never knows which provider a message came from.  It reads
 * and writes the contact and reads the directory through the context's
 * ops (handler.h); the caller owns the transaction.
 */
#ifndef SP_ROUTER_H
#define SP_ROUTER_H

#include <stdint.h>

#include "handler.h"

struct router_result {
	char		*keyword;	/* matched keyword, NULL if unmatched */
	char		*handler;	/* handler that answered */
	char		*language;	/* language of the reply */
	char		*district;	/* district key in effect, or NULL */
	char		*unserved;	/* a district named that is not served
					   (its English name), or NULL */
	int		 matched;	/* 0: the text was not understood */
	const char	*outcome;	/* HANDLER_OUTCOME_* (static) */
	char		*category;	/* the category asked about, or NULL */
	char		*stakeholders;	/* given by the reply (handler_refer's
					   form), or NULL */
	struct handler_reply	 reply;
};

/*
 * Route text from phone.  ctx->ops must be set.  Returns 0 with *res
 * filled (cleared by router_result_clear), or -1 if an op failed (the
 * caller rolls back and answers 503).
 */
int	router_route(const struct sp_ctx *ctx, const char *phone,
	    const char *text, struct router_result *res);
void	router_result_clear(struct router_result *);

#endif
