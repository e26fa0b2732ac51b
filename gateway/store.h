/*
 * store: everything Sampark keeps, behind one interface.  The only module
 * that speaks SQL (and includes sqlite3.h).
 *
 * SQLite in WAL mode; the schema is created and migrated forward through
 * PRAGMA user_version, and a database newer than this binary is refused.
 * Every statement is prepared once at open and reused with bound
 * parameters.  Nothing here knows about providers, HTTP or keywords, so a
 * second backend (PostgreSQL) can be added behind this same header.
 *
 * Returns: actions 0 / -1; lookups 1 found, 0 not found, -1 error.  On -1
 * the reason is in store_errmsg() and has already been logged once.
 * Strings passed in are copied or bound for the call only; strings handed
 * out belong to the caller, who frees them with the matching *_clear /
 * *_free function.
 */
#ifndef SP_STORE_H
#define SP_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct store_options {
	int	synchronous_full;	/* 1: PRAGMA synchronous=FULL (power loss) */
	int	busy_timeout_ms;	/* for the CLI writing beside the daemon */
};

/* Open (creating and migrating as needed).  NULL with err set. */
struct store *store_open(const char *path, const struct store_options *,
	    char *err, size_t errlen);
void	 store_close(struct store *);		/* NULL is a no-op */
const char *store_errmsg(const struct store *);
/* Schema version this binary creates and understands. */
int	 store_schema_version(void);

/* Explicit transactions (group commit); begin is BEGIN IMMEDIATE. */
int	 store_begin(struct store *);
int	 store_commit(struct store *);
int	 store_rollback(struct store *);

/* A real write (a heartbeat row) to prove the database is writable. */
int	 store_check_writable(struct store *);

/* ---- interactions: one row per inbound or outbound event ---- */

struct store_interaction {
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
};

/*
 * Find an earlier inbound row by (provider, provider_msg_id).  1 and *id
 * when found (a provider retry), 0 when new, -1 on error.
 */
int	 store_inbound_find(struct store *, const char *provider,
	    const char *provider_msg_id, int64_t *id);

/*
 * Insert an interaction row (in or out).  Sets row->id.  An inbound row
 * whose (provider, provider_msg_id) already exists returns 0 with row->id
 * set to the existing row and inserts nothing; a new row returns 1.
 * -1 on error.
 */
int	 store_interaction_insert(struct store *, struct store_interaction *row);

/*
 * The texts of the out rows replying to inbound row id, in the order they
 * were inserted: *texts is an array of *n strings, freed by
 * store_strings_free().  0 or -1.
 */
int	 store_replies_for(struct store *, int64_t inbound_id, char ***texts,
	    size_t *n);
void	 store_strings_free(char **, size_t);

/* Streaming read of the log for export, oldest first. */
struct store_filter {
	int64_t		 since_ms;	/* 0: from the start */
	int64_t		 until_ms;	/* 0: to the end (exclusive) */
	const char	*channel;	/* NULL: all */
	const char	*district;	/* NULL: all */
};

/*
 * Call cb once per row (the row and its strings are valid only during the
 * call).  cb returns 0 to go on, -1 to stop (store_export then returns -1).
 * Rows are read in batches, so memory stays flat on any table size.
 */
int	 store_export(struct store *, const struct store_filter *,
	    int (*cb)(void *arg, const struct store_interaction *row),
	    void *arg);

/* ---- contacts ---- */

struct store_contact {
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

/* 1 and *c filled (caller clears), 0 not found, -1 error. */
int	 store_contact_get(struct store *, const char *phone,
	    struct store_contact *c);
/* Insert or update every field of c (by phone). */
int	 store_contact_put(struct store *, const struct store_contact *c);
/* Free the strings of c and zero it; a zeroed contact is a no-op. */
void	 store_contact_clear(struct store_contact *);

/* ---- the stakeholder directory ---- */

struct store_stakeholder {
	char	*name;
	char	*category;		/* loan | training | market | ... */
	char	*district;		/* district key, or "*" for all */
	char	*phone;
	char	*languages;		/* e.g. "hi|en" */
	char	*description_en;
	char	*description_hi;
};

/*
 * Replace the whole directory with rows[0..n) in one transaction (nothing
 * changes on failure).  source names where it came from (the file).
 */
int	 store_stakeholders_replace(struct store *,
	    const struct store_stakeholder *rows, size_t n, const char *source);
int	 store_stakeholders_count(struct store *, int64_t *n);
/*
 * Stakeholders of a category for a district (rows for "*" included), in
 * the order they were imported.  *rows freed by store_stakeholders_free.
 */
int	 store_stakeholders_find(struct store *, const char *category,
	    const char *district, struct store_stakeholder **rows, size_t *n);
void	 store_stakeholders_free(struct store_stakeholder *, size_t);
/* The whole directory, in import order (for a cache). */
int	 store_stakeholders_all(struct store *, struct store_stakeholder **rows,
	    size_t *n);

/*
 * A number that changes whenever another connection (another process, e.g.
 * `sampark import`) has committed a change to the database: cheap enough
 * to ask once per batch, to know when a cache must be reloaded.
 */
int	 store_data_version(struct store *, int64_t *version);

/* ---- the outbox: durable queue of messages to send ---- */

/*
 * States are the names of enum sp_msg_state (provider.h): "queued",
 * "sending", "sent", "delivered", "undelivered", "failed", "expired", with
 * ranks queued 0 < sending 1 < sent 2 < final 3.  Every change of state is
 * stored (outbox_events) with its time, so the lifecycle can be read back.
 */
struct store_outbox_msg {
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
};
void	 store_outbox_msg_clear(struct store_outbox_msg *);
void	 store_outbox_msgs_free(struct store_outbox_msg *, size_t n);

/*
 * Queue a message (state "queued", next_attempt_ms = created_ms unless
 * given).  Sets m->id.  Uses provider, to, from, body, encoding, segments,
 * created_ms, next_attempt_ms, reply_to, broadcast_id; a created_ms of 0
 * is set to now (and next_attempt_ms of 0 to created_ms) in *m.
 */
int	 store_outbox_add(struct store *, struct store_outbox_msg *m);

/*
 * Claim up to max messages of provider that are "queued" with
 * next_attempt_ms <= now_ms, oldest first: they become "sending" with
 * attempts + 1, in one transaction.  *msgs (n of them) freed with
 * store_outbox_msgs_free.
 */
int	 store_outbox_claim(struct store *, const char *provider, int64_t now_ms,
	    size_t max, struct store_outbox_msg **msgs, size_t *n);

/* One send attempt, as made: for the message's history. */
struct store_outbox_attempt {
	int64_t		 outbox_id;
	int64_t		 time_ms;
	int		 attempt;	/* 1-based */
	long		 http_status;	/* 0: no answer */
	const char	*error_code;	/* NULL if none */
	const char	*error;		/* NULL if none */
	int64_t		 latency_ms;
};
int	 store_outbox_attempt_add(struct store *,
	    const struct store_outbox_attempt *);

/*
 * Record the result of an attempt on a "sending" message: state becomes
 * state ("queued" again for a retry at next_attempt_ms, "sent" with
 * provider_id, or "failed"/"expired"); error_code, error and reason are
 * stored (NULL clears).  Returns 0, -1.  A message that is not
 * "sending" (unknown id, or requeued / moved on meanwhile by another
 * process) is left unchanged: 0, with a warning logged.
 */
int	 store_outbox_finish(struct store *, int64_t id, const char *state,
	    int64_t now_ms, int64_t next_attempt_ms, const char *provider_id,
	    const char *error_code, const char *error, const char *reason);

/*
 * A delivery report for (provider, provider_id).  Returns 1 if the state
 * changed, 2 if it was ignored (same state again, or a lower or equal
 * rank: states never go back), 0 if no message has that id, -1 error.
 * error_code/reason are stored when the state changes.
 */
int	 store_outbox_report(struct store *, const char *provider,
	    const char *provider_id, const char *state, int64_t now_ms,
	    const char *error_code, const char *reason);

/* At start-up: every "sending" message back to "queued" (a crash left
 * them).  *n = how many. */
int	 store_outbox_requeue_sending(struct store *, int64_t now_ms,
	    int64_t *n);

/* Earliest next_attempt_ms of a "queued" message of provider: 1 and *when,
 * 0 if none. */
int	 store_outbox_next_due(struct store *, const char *provider,
	    int64_t *when);

/* Messages, newest (last queued) first, optionally of one state (NULL:
 * all), at most limit (0: no limit); cb as for store_export, m valid only
 * during the call. */
int	 store_outbox_list(struct store *, const char *state, size_t limit,
	    int (*cb)(void *arg, const struct store_outbox_msg *m), void *arg);
/* One message by id: 1 found, 0 not, -1 error. */
int	 store_outbox_get(struct store *, int64_t id, struct store_outbox_msg *m);
/* How many messages are in each state: calls cb(state, count). */
int	 store_outbox_counts(struct store *,
	    void (*cb)(void *arg, const char *state, int64_t n), void *arg);

/* ---- small key/value facts (e.g. the generated pseudonym key) ---- */

/* 1 and *value (caller frees), 0 not found, -1 error. */
int	 store_meta_get(struct store *, const char *key, char **value);
int	 store_meta_set(struct store *, const char *key, const char *value);

#endif
