/*
 * handler: the interface of keyword handlers, the context they are given,
 * and the table that lists them.
 *
 * Handlers are pure logic: message + directory + prompts → reply.  They
 * never know which provider a message came from and do no I/O except
 * through the ops in their context, so they are unit-tested with a fake
 * directory and no database.  Adding a handler = one handler_<name>.c
 * exporting a const struct handler, one line in handler_table (handler.c),
 * its aliases in config/keywords.conf and its texts in prompts/.
 */
#ifndef SP_HANDLER_H
#define SP_HANDLER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"	/* the plain contact and stakeholder structs only */

struct district;
struct district_table;
struct kw_table;
struct prompts;

#define SP_REPLY_MAX	4

/* What a handler answers: up to SP_REPLY_MAX messages, owned. */
struct sp_reply {
	char	*texts[SP_REPLY_MAX];
	size_t	 n;
};

void	sp_reply_add(struct sp_reply *, char *text);	/* takes ownership */
void	sp_reply_clear(struct sp_reply *);

/* The only door from a handler to the outside world. */
struct sp_ctx_ops {
	/* As store_stakeholders_find(); rows freed by stakeholders_free. */
	int	(*stakeholders_find)(void *arg, const char *category,
		    const char *district, struct store_stakeholder **rows,
		    size_t *n);
	void	(*stakeholders_free)(struct store_stakeholder *rows, size_t n);
};

struct sp_ctx {
	const struct sp_ctx_ops	*ops;
	void			*ops_arg;
	const struct kw_table	*keywords;
	const struct district_table *districts;
	const struct prompts	*prompts;
	const char		*default_language;	/* "hi" */
	unsigned		 segment_budget;	/* SMS per reply */
	int64_t			 now_ms;
	int64_t			 pending_ms;	/* how long a question waits */
	int64_t			 more_ms;	/* how long MORE stays valid */
};

/* One routed message, as a handler sees it. */
struct handler_request {
	const char		*keyword;	/* matched keyword name */
	const char		*category;	/* its category, or NULL */
	const char		*args;		/* normalised words after it */
	const char		*lang;		/* reply language */
	const struct district	*district;	/* resolved district, or NULL */
	int			 unmatched;	/* help: the text was not understood */
	struct store_contact	*contact;	/* handlers may change it; the
						   router saves it */
};

struct handler {
	const char	*name;
	/* Fill *reply.  0, or -1 on an internal error (the router then
	 * answers with error.internal). */
	int		(*run)(const struct sp_ctx *, struct handler_request *,
			    struct sp_reply *);
};

extern const struct handler handler_info;
extern const struct handler handler_help;
extern const struct handler handler_more;

/* NULL-terminated table of every handler; found by name. */
extern const struct handler *const handler_table[];
const struct handler *handler_find(const char *name);

/*
 * Shared by handlers: store text as a paged answer.  The first page (the
 * longest run of whole lines that fits the segment budget together with
 * the "reply MORE" note) goes into *reply; the rest is kept on the contact
 * for the MORE handler.  Text that fits whole is sent whole.
 */
void	handler_page(const struct sp_ctx *, struct handler_request *,
	    const char *text, struct sp_reply *reply);

#endif
