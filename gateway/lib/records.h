/*
 * records: the plain records every room passes around: a contact, a
 * stakeholder of the directory, an interaction of the log, an inbound
 * SMS, a message of the outbox and its states.  Plain C structs with no
 * behaviour beyond freeing them, so that handlers, providers, the store
 * and the daemon agree on them without depending on each other.
 */
#ifndef SP_RECORDS_H
#define SP_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "phone.h"

/* One row of the interaction log: an inbound or outbound event. */
struct interaction {
	int64_t		 id;		/* set by the insert functions */
	int64_t		 time_ms;	/* wall clock, ms since the epoch */
	const char	*channel;	/* "sms" | "voice" | "missed_call" */
	const char	*direction;	/* "in" | "out" */
	const char	*provider;
	const char	*provider_msg_id;	/* NULL if none */
	const char	*phone;		/* contact, E.164 */
	const char	*text;		/* as received / as sent */
	const char	*keyword;	/* matched keyword, NULL if unmatched */
	const char	*handler;	/* NULL if none */
	const char	*district;	/* district key at the time, or NULL */
	const char	*language;	/* reply language, or NULL */
	const char	*encoding;	/* "GSM-7" | "UCS-2" | NULL */
	int		 segments;	/* 0 if not applicable */
	int64_t		 latency_ms;	/* -1 if not known */
	int64_t		 reply_to;	/* out rows: id of the inbound row, else 0 */
	const char	*status;	/* e.g. "received", "replied", "unmatched" */
	/* Inbound rows: what the exchange came to (handler.h's
	 * HANDLER_OUTCOME_*), NULL before it was kept or for calls. */
	const char	*outcome;
	const char	*category;	/* the category asked about, or NULL */
	/* The stakeholders the reply gave, "id:name" joined by '|', or
	 * NULL for none. */
	const char	*stakeholders;
};

/* A woman (or coordinator) who has written to Sampark. */
struct contact {
	char	*phone;			/* E.164, the key */
	char	*name;			/* NULL if unknown */
	char	*language;		/* "hi", "en" or NULL */
	char	*district;		/* district key or NULL */
	char	*role;			/* "entrepreneur" | "coordinator" */
	char	*pending_keyword;	/* waiting for a district, or NULL */
	int64_t	 pending_until_ms;
	char	*more_text;		/* the rest of a paged answer, or NULL */
	int64_t	 more_until_ms;
	int64_t	 opted_out_ms;		/* 0: not opted out */
	int64_t	 first_seen_ms;
	int64_t	 last_seen_ms;
};

/* Free the strings of c and zero it; a zeroed contact is a no-op. */
void	records_contact_clear(struct contact *);

/* One line of the stakeholder directory. */
struct stakeholder {
	char	*name;
	char	*category;		/* loan | training | market | ... */
	char	*district;		/* district key, or "*" for all */
	char	*phone;
	char	*languages;		/* e.g. "hi|en" */
	/* No reply shows a description (each is a DLT template of names
	 * and phones), so the directory's format has none any more: these
	 * are "" from an import, kept only for the database's columns. */
	char	*description_en;
	char	*description_hi;
	/* Its row in the store's directory: its place in the order it was
	 * imported (1, 2, ...), the same until the next import; 0 if none. */
	int64_t	 id;
};
void	records_stakeholders_free(struct stakeholder *, size_t);
/* Free one stakeholder's strings and zero it. */
void	records_stakeholder_clear(struct stakeholder *);

/* Message states, in rank order: a state never goes back to a lower rank. */
enum msg_state {
	MSG_QUEUED,
	MSG_SENDING,
	MSG_SENT,
	MSG_DELIVERED,
	MSG_UNDELIVERED,
	MSG_FAILED,
	MSG_EXPIRED,
};
const char *records_state_name(enum msg_state);
int	records_state_parse(const char *, enum msg_state *);
/* queued 0, sending 1, sent 2, every final state 3. */
int	records_state_rank(enum msg_state);

/*
 * States are the names of enum msg_state (below): "queued",
 * "sending", "sent", "delivered", "undelivered", "failed", "expired", with
 * ranks queued 0 < sending 1 < sent 2 < final 3; and "held", found only
 * in databases written before schema 14 (a broadcast's message while it
 * was being created).  Every change of state is stored (outbox_events) with its time, so the lifecycle can be read back.
 */
struct outbox_msg {
	int64_t		 id;
	char		*provider;
	char		*to;		/* E.164 */
	char		*from;		/* "" for the provider's default */
	char		*body;
	char		*encoding;	/* "GSM-7" | "UCS-2" */
	int		 segments;
	char		*state;
	int		 attempts;	/* send attempts made so far */
	int64_t		 created_ms;
	int64_t		 next_attempt_ms;	/* when it may be (re)tried */
	int64_t		 updated_ms;
	char		*provider_id;	/* once accepted, else NULL */
	char		*error_code;	/* last provider error code, or NULL */
	char		*error;		/* last error text, or NULL */
	char		*reason;	/* our reading of error_code, or NULL */
	int64_t		 reply_to;	/* inbound interaction it answers, or 0 */
	int64_t		 broadcast_id;	/* or 0 */
	char		*dlt_template_id; /* DLT template of this text, or NULL:
					     the provider's configured one */
	char		*sms_type;	/* DLT category, or NULL: configured */
	int		 is_call;	/* kind "call" (store_outbox_add_call) */
	/* Read with the message (claim, get, list), so the sender checks
	 * STOP without a query of its own: when its contact opted out, 0 if
	 * she has not (or is no contact).  Not written by store_outbox_add. */
	int64_t		 opted_out_ms;
};
void	records_outbox_msg_clear(struct outbox_msg *);
/*
 * The state to show a person: "cancelled" for a message stopped by a
 * broadcast's cancel (stored as failed, reason "cancelled": it never
 * reached a provider, which "failed" would say it did), else m->state.
 */
const char *records_outbox_state(const struct outbox_msg *m);
void	records_outbox_msgs_free(struct outbox_msg *, size_t n);

/* An inbound SMS as Sampark sees it; all strings owned, UTF-8, E.164. */
struct inbound_msg {
	char		*provider_msg_id;	/* NULL when the provider sends none */
	char		 from[PHONE_E164_MAX + 1];
	char		 to[PHONE_E164_MAX + 1];	/* "" when unknown */
	char		*body;
	/* Set by adapters whose webhook answer can carry the reply (Twilio,
	 * Plivo, Exotel's classic GET); 0 means replies go through the
	 * outbox whatever the config says. */
	int		 reply_inline_ok;
};

void	records_inbound_clear(struct inbound_msg *);

#endif
