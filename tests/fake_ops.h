/*
 * fake_ops: the world of a handler's context (struct sp_ctx_ops and
 * struct handler_broadcast_ops in handler.h) held in memory, for tests of the
 * router and the handlers that must run without a database.
 *
 * Contacts are kept by phone and saved as the store saves them (every
 * field; no role means "entrepreneur"); interests are a set of (phone,
 * category); stakeholders are answered in the order they were added,
 * rows for district "*" included, as shallow copies.  Every call is
 * counted and the arguments of the last one kept, so a test can check
 * what a handler asked for; a test may also make an op fail, or script
 * what the broadcast ops answer.
 */
#ifndef SP_FAKE_OPS_H
#define SP_FAKE_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "handler.h"

/* Bits of fake_ops.fail: that op returns -1 without doing anything. */
#define FAKE_OPS_FAIL_GET	0x01u	/* contact_get */
#define FAKE_OPS_FAIL_PUT	0x02u	/* contact_put */
#define FAKE_OPS_FAIL_INTEREST	0x04u	/* interest_add */
#define FAKE_OPS_FAIL_FIND	0x08u	/* stakeholders_find and _get */

/* What the ops were asked: counts, and the arguments of the last call. */
struct fake_ops_calls {
	unsigned	 contact_get, contact_put, interest_add;
	unsigned	 stakeholders_find, stakeholders_free, stakeholders_get;
	unsigned	 notice_prepare, notice_confirm, rsvp, notice_status;
	/* Answers of stakeholders_find not given back yet: 0 after a
	 * well-behaved caller. */
	int		 rows_held;
	char		 category[32];	/* stakeholders_find */
	char		 district[32];	/* stakeholders_find, notice_prepare */
	char		 phone[32];	/* the last broadcast op */
	char		 text[512];	/* notice_prepare */
	char		 code[16];	/* notice_confirm */
	int		 yes;		/* rsvp */
};

/* What the broadcast ops answer (see handler_broadcast_ops for the meanings). */
struct fake_ops_bcast {
	int			 prepare_rc;
	struct sp_notice_preview preview;	/* copied out by prepare */
	int			 confirm_rc;
	int64_t			 confirm_recipients;
	int			 rsvp_rc;
	const char		*rsvp_title;	/* copied out by rsvp */
	int64_t			 rsvp_meeting_ms;
	int			 status_rc;
	struct sp_notice_status	 status;	/* copied out by notice_status */
};

struct fake_ops_interest {
	char	*phone;
	char	*category;
};

struct fake_ops {
	struct fake_ops_calls	 calls;		/* read by the test */
	struct fake_ops_bcast	 bcast;		/* set by the test */
	unsigned		 fail;		/* FAKE_OPS_FAIL_* */
	/* The world; change it through the functions below. */
	struct contact		*contacts;
	size_t			 ncontacts;
	struct fake_ops_interest *interests;
	size_t			 ninterests;
	struct stakeholder	*stakeholders;
	size_t			 nstakeholders;
};

/* An empty world; the broadcast ops answer "nothing open" (0). */
struct fake_ops *fake_ops_new(void);
void	 fake_ops_free(struct fake_ops *);	/* NULL is a no-op */

/* Point ctx's ops (or its broadcast ops) at fo. */
void	 fake_ops_attach(struct fake_ops *, struct sp_ctx *);
void	 fake_ops_attach_bcast(struct fake_ops *, struct sp_ctx *);

/* A stakeholder (strings copied); languages "hi|en", no descriptions. */
void	 fake_ops_stakeholder_add(struct fake_ops *, const char *name,
	    const char *category, const char *district, const char *phone);

/* Save c as contact_put does, without counting it as a call. */
void	 fake_ops_contact_set(struct fake_ops *, const struct contact *c);
/* Her contact as last saved, or NULL; valid until the next save. */
const struct contact *fake_ops_contact_find(const struct fake_ops *,
	    const char *phone);

/* 1 if she asked about category, else 0. */
int	 fake_ops_interest_has(const struct fake_ops *, const char *phone,
	    const char *category);
/* Her interests, sorted, joined by ','; "" for none.  Caller frees. */
char	*fake_ops_interests(const struct fake_ops *, const char *phone);

#endif
