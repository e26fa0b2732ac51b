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

#include "records.h"

struct buf;

struct store;

struct store_options {
	int	synchronous_full;	/* 1: PRAGMA synchronous=FULL (power loss) */
	int	busy_timeout_ms;	/* for the CLI writing beside the daemon */
	int	read_only;		/* 1: an existing database of this schema
					   version, only read: nothing created,
					   migrated or written (export) */
};

/*
 * Process set-up, once, before the first store_open (main calls it): SQLite
 * keeps no memory statistics, which would take a mutex on every one of its
 * allocations.  A store opened without it works the same, only slower.
 */
void	 store_library_setup(void);
/*
 * Open (creating and migrating as needed).  A database opened for writing
 * also gets its export pseudonym key (meta "pseudonym_key", 64 hex digits)
 * if it has none: made with the database, it travels with every backup and
 * restore, and an export only ever reads it.  NULL with err set.
 */
struct store *store_open(const char *path, const struct store_options *,
	    char *err, size_t errlen);
void	 store_close(struct store *);		/* NULL is a no-op */
/*
 * Is path the address of a database server (postgresql://... or
 * postgres://..., libpq's URI) rather than an SQLite file (PATH or
 * sqlite:PATH)?  store_open() takes either.
 */
int	 store_path_is_server(const char *path);
/*
 * path as a log line may show it: a server URI's password (in its
 * user:password@ part or a password= parameter) replaced by "***".
 * Caller frees.
 */
char	*store_path_for_log(const char *path);
const char *store_errmsg(const struct store *);
/* Schema version this binary creates and understands. */
int	 store_schema_version(void);

/*
 * The write-ahead log copied back into the database beside the caller's
 * event loop, not inside its commits (store_checkpoint.c says why).  After
 * start, a thread with a connection of its own copies the log whenever a
 * commit leaves it over `frames` pages (0: 1000, SQLite's own threshold);
 * when store_checkpointer_fd() turns readable, the loop calls
 * store_checkpointer_finish(), which copies the last few pages so that the
 * log can start again from its beginning.  Should the thread fall behind,
 * past eight times the threshold, the commits checkpoint as SQLite would.
 * store_close() stops the thread; so may store_checkpointer_stop().
 * -1 with err set (nothing started: SQLite keeps checkpointing itself).
 * On PostgreSQL the server checkpoints: 0, nothing started, and
 * store_checkpointer_fd() is -1.
 */
int	 store_checkpointer_start(struct store *, int frames, char *err,
	    size_t errlen);
int	 store_checkpointer_fd(const struct store *);	/* -1: not started */
void	 store_checkpointer_finish(struct store *);
void	 store_checkpointer_stop(struct store *);	/* not started: no-op */

/* Explicit transactions (group commit); begin is BEGIN IMMEDIATE. */
int	 store_begin(struct store *);
int	 store_commit(struct store *);
int	 store_rollback(struct store *);
/*
 * For the rest of the open transaction, the writes whose results the
 * callers do not read (contact, interest, sender limits, logged replies)
 * may go to PostgreSQL without waiting for each answer: they are answered
 * together with the next statement that waits.  A failure among them
 * fails that statement or the COMMIT, so the transaction succeeds or
 * fails whole, as a webhook batch does anyway.  SQLite: no change.
 */
void	 store_pipeline(struct store *);

/*
 * A transaction shared by everything that writes in one turn of the
 * event loop (the sender's claims and results): defer_begin joins it or
 * opens it, defer_commit commits it.  store_begin() and
 * store_check_writable() commit it first, so that a caller that needs its
 * own transaction (a webhook batch) gets one.  0 or -1.
 */
int	 store_defer_begin(struct store *);
int	 store_defer_commit(struct store *);

/*
 * Query plans, for the tests: for every statement this store has prepared
 * so far, each full SCAN of a table that grows with use (contacts,
 * interactions, the outbox and its events and attempts, broadcasts,
 * group members, interests, meetings, rsvps, notices, calls) is appended
 * to *out as a line "SCAN <table>: <sql>".  A statement whose SQL begins
 * with an SQL block comment "batch: <why>" or "report: <why>" is a bulk
 * job that may scan.  Returns the number of lines added, or -1.
 */
int	 store_plan_scans(struct store *, struct buf *out);

/* A real write (a heartbeat row) to prove the database is writable. */
int	 store_check_writable(struct store *);

/* ---- interactions: one row per inbound or outbound event ---- */


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
int	 store_interaction_insert(struct store *, struct interaction *row);
/*
 * Insert an outbound row whose id nobody needs (a reply logged in a
 * webhook batch): row->id is left alone, and on PostgreSQL in a
 * store_pipeline() the insert does not wait.  0 or -1.
 */
int	 store_interaction_log(struct store *, const struct interaction *row);

/*
 * Change what inbound row id came to, and drop the stakeholders it gave:
 * for a message whose replies were held back after it was logged (an
 * abuse limit on the replies).  0 or -1.
 */
int	 store_interaction_set_outcome(struct store *, int64_t id,
	    const char *outcome);

/*
 * The texts of the out rows replying to inbound row id, in the order they
 * were inserted: *texts is an array of *n strings, freed by
 * store_strings_free().  0 or -1.  Replies are recorded right after their
 * message, in its transaction, so only the STORE_REPLY_WINDOW rows after
 * it are looked at (the daemon records at most four).
 */
#define STORE_REPLY_WINDOW	16
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
	    int (*cb)(void *arg, const struct interaction *row),
	    void *arg);

/* ---- contacts ---- */


/* 1 and *c filled (caller clears), 0 not found, -1 error. */
int	 store_contact_get(struct store *, const char *phone,
	    struct contact *c);
/* Insert or update every field of c (by phone). */
int	 store_contact_put(struct store *, const struct contact *c);

/* ---- the stakeholder directory ---- */


/*
 * Replace the whole directory with rows[0..n) in one transaction (nothing
 * changes on failure).  source names where it came from (the file).
 */
int	 store_stakeholders_replace(struct store *,
	    const struct stakeholder *rows, size_t n, const char *source);
int	 store_stakeholders_count(struct store *, int64_t *n);
/*
 * Stakeholders of a category for a district (rows for "*" included), in
 * the order they were imported.  *rows freed by records_stakeholders_free.
 */
int	 store_stakeholders_find(struct store *, const char *category,
	    const char *district, struct stakeholder **rows, size_t *n);
/* The whole directory, in import order (for a cache). */
int	 store_stakeholders_all(struct store *, struct stakeholder **rows,
	    size_t *n);
/*
 * The directory as a coordinator looks through it: of district (its own
 * rows and those for "*"; NULL: all) and category (NULL: all), in import
 * order, with each row's id in (*ids)[i].  *rows and *ids freed by the
 * caller (records_stakeholders_free, free).  0 or -1.
 */
int	 store_stakeholders_list(struct store *, const char *district,
	    const char *category, struct stakeholder **rows, int64_t **ids,
	    size_t *n);
/* 1 and *r (caller frees its strings) for row id, 0 none, -1 error. */
int	 store_stakeholder_get(struct store *, int64_t id,
	    struct stakeholder *r);
/* Add r: *id the new row's.  0 or -1. */
int	 store_stakeholder_add(struct store *, const struct stakeholder *r,
	    const char *source, int64_t now_ms, int64_t *id);
/* Every field of row id from r: 1 done, 0 no such row, -1 error. */
int	 store_stakeholder_update(struct store *, int64_t id,
	    const struct stakeholder *r, const char *source, int64_t now_ms);
/* Retire row id: it leaves the directory, and no reply names it any
 * more.  1 done, 0 no such row, -1 error. */
int	 store_stakeholder_retire(struct store *, int64_t id);

/*
 * The directory's version: a number that changes whenever any connection
 * (this one, another process such as `sampark import`, another daemon)
 * commits a change to the stakeholders, and only then.  Cheap enough to
 * ask once per batch, to know when the directory must be read again.
 */
int	 store_data_version(struct store *, int64_t *version);

/* ---- the outbox: durable queue of messages to send ---- */


/*
 * Queue a message (state "queued", next_attempt_ms = created_ms unless
 * given).  Sets m->id.  Uses provider, to, from, body, encoding, segments,
 * created_ms, next_attempt_ms, reply_to, broadcast_id; a created_ms of 0
 * is set to now (and next_attempt_ms of 0 to created_ms) in *m.
 */
int	 store_outbox_add(struct store *, struct outbox_msg *m);
/*
 * The same for a message whose id its caller does not need (a
 * broadcast's recipient): inside a transaction on PostgreSQL, one
 * statement that a store_pipeline() need not wait for, and m->id is left
 * 0.  Elsewhere store_outbox_add().
 */
int	 store_outbox_queue(struct store *, struct outbox_msg *m);

/*
 * Claim up to max messages of provider that are "queued" with
 * next_attempt_ms <= now_ms, oldest first: they become "sending" with
 * attempts + 1, in one transaction.  Messages of a broadcast still
 * "creating" are not claimed: its creation commits in slices, and only
 * its last commit (the broadcast row leaving "creating") makes its whole
 * audience sendable.  *msgs (n of them) freed with
 * records_outbox_msgs_free.
 */
int	 store_outbox_claim(struct store *, const char *provider, int64_t now_ms,
	    size_t max, struct outbox_msg **msgs, size_t *n);

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

/*
 * ---- a provider's send rate across daemons (store_rate.c) ----
 *
 * 1 when several daemons may share this store (PostgreSQL): a provider's
 * rate is then kept in the database, for all of them together.
 */
int	 store_rate_shared(const struct store *);
/*
 * Take up to want sends of provider at rate messages a second, of which
 * at most burst at once (0 or 1: evenly paced): *granted of them now,
 * or none and *wait_us until the next one is free.  now_us 0 reads the
 * database's clock (PostgreSQL; on SQLite give the time).  The
 * provider's row stays locked to the end of the caller's transaction:
 * take, claim and return in one.  0 or -1.
 */
int	 store_rate_take(struct store *, const char *provider,
	    int64_t now_us, double rate, size_t burst, size_t want,
	    size_t *granted, int64_t *wait_us);
/* Give back n sends taken but not used (the claim found fewer). */
int	 store_rate_return(struct store *, const char *provider,
	    double rate, size_t n);

/*
 * ---- what else daemons sharing one database agree on (store_shared.c)
 *
 * 1 when several daemons may share this store (PostgreSQL, as
 * store_rate_shared): then a sender's messages are taken one at a time
 * across daemons, her abuse counters and the hourly outbound budget are
 * kept in the database.  On SQLite the one daemon keeps them in memory
 * and calls none of this; the functions work there too, for the tests.
 */
int	 store_shared(const struct store *);
/*
 * Inside the caller's transaction, wait for and take a lock on each of
 * phones[0..n) (duplicates allowed), held until that transaction ends:
 * a second daemon handling one of them waits for this commit, then
 * reads what it wrote.  Taken in one order whatever the order given, so
 * two batches never wait for each other.  A no-op on SQLite (one writer
 * at a time).  0 or -1.
 */
int	 store_senders_lock(struct store *, const char *const *phones,
	    size_t n);
/* One sender's abuse counters (abuse.h says what each means). */
struct store_sender_limits {
	int64_t	 tat_ms;
	int64_t	 repeat_since_ms;
	int64_t	 last_reply_ms;
	int64_t	 muted_until_ms;
	int64_t	 muted_why;
	int64_t	 last_text;
	int64_t	 repeats;
	int64_t	 fast;
	int64_t	 logged;
	int64_t	 day;
	int64_t	 replies_today;
};
/* 1 and *l, 0 none kept (*l zeroed), -1 error. */
int	 store_sender_limits_get(struct store *, const char *phone,
	    struct store_sender_limits *l);
/* Insert or replace phone's counters.  0 or -1. */
int	 store_sender_limits_put(struct store *, const char *phone,
	    const struct store_sender_limits *l, int64_t now_ms);
/* What a take of the hourly budget gave. */
struct store_budget {
	int64_t	 granted;	/* messages that may start now */
	int64_t	 used;		/* this hour, granted included */
	int64_t	 hour;		/* the clock hour (ms / 3600000) */
	int64_t	 wait_ms;	/* until the next hour */
};
/*
 * Take up to want messages from the budget of limit a clock hour, for
 * all daemons together.  now_ms 0 reads the database's clock
 * (PostgreSQL; on SQLite give the time).  The hour's row stays locked to
 * the end of the caller's transaction: take, claim and return in one.
 * 0 or -1.
 */
int	 store_budget_take(struct store *, int64_t now_ms, int64_t limit,
	    int64_t want, struct store_budget *b);
/* Give back n of hour's budget taken but not used.  0 or -1. */
int	 store_budget_return(struct store *, int64_t hour, int64_t n);
/*
 * Forget what limits nobody any more: the counters of senders not heard
 * from for STORE_SHARED_KEEP_MS and not muted past now_ms, and the
 * budget of hours that long gone.  *n: rows deleted.  Any daemon may run
 * it, as often as it likes (hourly); 0 or -1.
 */
#define STORE_SHARED_KEEP_MS	(2 * 24 * 3600 * 1000LL)
int	 store_shared_prune(struct store *, int64_t now_ms, int64_t *n);

/*
 * At start-up: "sending" messages back to "queued" (a crash left them).
 * On SQLite every one (one daemon owns the file).  On a shared
 * (PostgreSQL) store none: the others may be in the hands of a live
 * daemon, and the claims take back what a dead one left once its lease
 * ran out.  *n = how many.
 */
int	 store_outbox_requeue_sending(struct store *, int64_t now_ms,
	    int64_t *n);
/*
 * The "sending" messages claimed at or before now_ms - lease_ms back to
 * "queued" (lease_ms < 0: all): what a daemon that died mid-send left,
 * for any instance to reclaim once the lease has run out.  0 or -1.
 */
int	 store_outbox_requeue_expired(struct store *, int64_t now_ms,
	    int64_t lease_ms, int64_t *n);

/* Earliest next_attempt_ms of a "queued" message of provider that the
 * claim would take when due: 1 and *when, 0 if none. */
int	 store_outbox_next_due(struct store *, const char *provider,
	    int64_t *when);

/* Messages, newest (last queued) first, optionally of one state (NULL:
 * all; "cancelled": the failed ones of reason "cancelled", which "failed"
 * leaves out), at most limit (0: no limit); cb as for store_export, m
 * valid only during the call. */
int	 store_outbox_list(struct store *, const char *state, size_t limit,
	    int (*cb)(void *arg, const struct outbox_msg *m), void *arg);
/* One message by id: 1 found, 0 not, -1 error. */
int	 store_outbox_get(struct store *, int64_t id, struct outbox_msg *m);
/* How many messages are in each state: calls cb(state, count), with
 * the cancelled ones as "cancelled" (records_outbox_state). */
int	 store_outbox_counts(struct store *,
	    void (*cb)(void *arg, const char *state, int64_t n), void *arg);

/* ---- contacts: opt-out, interests, import; groups; audiences ----
 * (store_contacts.c)  Group names are stored as given: callers normalise
 * them with audience_name_normalize() (audience.h) first. */

struct audience;

/*
 * Record that phone asked about interest (a keyword category: "loan",
 * "training", "market"...): first_ms is kept, last_ms becomes now_ms.
 */
int	 store_interest_add(struct store *, const char *phone,
	    const char *interest, int64_t now_ms);
/* 1 has the interest, 0 not, -1 error. */
int	 store_interest_has(struct store *, const char *phone,
	    const char *interest);
/* Her interests in name order: *names (n) freed with store_strings_free. */
int	 store_interests_get(struct store *, const char *phone, char ***names,
	    size_t *n);

/* One row of a contacts import; NULL/"" fields leave an existing contact's
 * value as it is (a new contact gets role "entrepreneur"). */
struct store_contact_import {
	const char	*phone;		/* E.164, already validated */
	const char	*name;
	const char	*district;	/* district key */
	const char	*language;	/* "hi" | "en" */
	const char	*role;		/* "entrepreneur" | "coordinator" */
	const char *const *groups;	/* normalised group names, created */
	size_t		 ngroups;	/*   when missing; memberships added */
	/* NULL, or the groups' names as written (group_key.h), parallel
	 * to groups: the display name of a group the import creates. */
	const char *const *group_names;
};
/*
 * Upsert rows[0..n) and their group memberships in one transaction (or in
 * the caller's): all or nothing.  Opt-out and seen times are never
 * changed.  0 or -1.
 */
int	 store_contacts_import(struct store *,
	    const struct store_contact_import *rows, size_t n, int64_t now_ms);

struct store_group {
	char	*name;
	char	*display_name;	/* as the coordinator wrote it, or NULL */
	int64_t	 created_ms;
	int64_t	 members;	/* how many phones (opted out included) */
};
void	 store_group_clear(struct store_group *);

/* 1 created, 0 already there, -1 error. */
int	 store_group_create(struct store *, const char *name, int64_t now_ms);
/* Set the display name of group name: 1 done, 0 no such group, -1. */
int	 store_group_set_display(struct store *, const char *name,
	    const char *display_name);
/* 1 deleted (with its memberships), 0 no such group, -1 error. */
int	 store_group_delete(struct store *, const char *name);
/* 1 and *g filled (caller clears), 0 no such group, -1 error. */
int	 store_group_get(struct store *, const char *name, struct store_group *g);
/* Every group in name order; g valid only during the call; cb as for
 * store_export. */
int	 store_groups_list(struct store *,
	    int (*cb)(void *arg, const struct store_group *g), void *arg);
/*
 * Add phone to an existing group, creating a bare contact for a phone
 * never seen (so the audience can reach it): 1 added, 0 already a member,
 * -1 error (also when the group does not exist: check with
 * store_group_get first).
 */
int	 store_group_add(struct store *, const char *name, const char *phone,
	    int64_t now_ms);
/* 1 removed, 0 was not a member, -1 error. */
int	 store_group_remove(struct store *, const char *name,
	    const char *phone);
/* 1 phone is a member of group name, 0 not, -1 error. */
int	 store_group_has(struct store *, const char *name, const char *phone);
/* The groups phone belongs to, in name order: *names (n) freed with
 * store_strings_free.  0 or -1. */
int	 store_contact_groups(struct store *, const char *phone, char ***names,
	    size_t *n);

/*
 * Stream the contacts of an audience (audience.h), in phone order, with
 * flat memory: contacts are read in batches by key (keyset pagination)
 * and the expression is evaluated per contact, group and interest terms
 * by indexed lookups.  Opted-out contacts are skipped unless
 * include_opted_out.  c is valid only during the call; cb may write to
 * the store (e.g. queue a message: no read is open while it runs) and
 * returns 0 to go on or -1 to stop (store_audience_each then returns -1).
 * 0 or -1.
 */
int	 store_audience_each(struct store *, const struct audience *,
	    int include_opted_out,
	    int (*cb)(void *arg, const struct contact *c), void *arg);
/* How many contacts store_audience_each would visit. 0 or -1. */
int	 store_audience_count(struct store *, const struct audience *,
	    int include_opted_out, int64_t *n);

/* ---- broadcasts, meetings, RSVPs, phone notices (store_broadcast.c) ---- */

/* 1 if a transaction is open on this connection (the caller's). */
int	 store_in_transaction(struct store *);
/* A savepoint inside the caller's transaction, so that a broadcast that
 * fails leaves nothing of itself: begin, then end with keep 1 (release)
 * or 0 (roll back to it and release).  0 or -1. */
int	 store_savepoint_begin(struct store *);
int	 store_savepoint_end(struct store *, int keep);

struct store_broadcast {
	int64_t	 id;
	char	*kind;		/* "broadcast" | "notice" | "reminder" */
	int64_t	 parent_id;	/* reminder: its broadcast, else 0 */
	char	*audience;	/* canonical expression */
	char	*template_key;
	char	*category;	/* transactional | service | promotional */
	char	*vars;		/* "name=value" lines, as given */
	char	*provider;
	char	*created_by;	/* "cli", "api", or the coordinator's phone */
	char	*state;		/* "creating" | "queued" | "cancelled" */
	int64_t	 created_ms;
	int64_t	 send_at_ms;
	int64_t	 cancelled_ms;
	int64_t	 recipients;	/* messages queued */
	int64_t	 segments;	/* their segments in all (the cost) */
	int64_t	 skipped_opted_out;
	int64_t	 meeting_id;	/* 0: none */
	int	 reminder;	/* 1: those who say yes get a reminder */
};
void	 store_broadcast_clear(struct store_broadcast *);

/* Insert b (state as given, "creating" if NULL); sets b->id.  0 or -1. */
int	 store_broadcast_add(struct store *, struct store_broadcast *b);
/*
 * Set state and the totals once its messages are written, if it is still
 * "creating" (a cancel or a start-up roll-back may have come first).
 * 1 done, 0 it was no longer "creating", -1 error.
 */
int	 store_broadcast_finish(struct store *, int64_t id, const char *state,
	    int64_t recipients, int64_t segments, int64_t skipped_opted_out);
/*
 * At start-up: cancel every broadcast left "creating" (its creator was
 * killed), as store_broadcast_cancel: its messages become "failed",
 * reason "cancelled"; none was ever claimed, since the claim passes over
 * the messages of a broadcast still "creating" (store_outbox_claim).
 * On PostgreSQL only those no live session is creating (the creating
 * connection holds an advisory lock from store_broadcast_add to the
 * finish or cancel), so any daemon may sweep at any time.
 * *n broadcasts, *stopped messages.  0 or -1.
 */
int	 store_broadcasts_abandon_creating(struct store *, int64_t now_ms,
	    int64_t *n, int64_t *stopped);
/* 1 and *b filled (caller clears), 0 no such broadcast, -1 error. */
int	 store_broadcast_get(struct store *, int64_t id,
	    struct store_broadcast *b);
/* The reminder broadcast of broadcast id: 1 and *reminder_id, 0 none. */
int	 store_broadcast_reminder_of(struct store *, int64_t id,
	    int64_t *reminder_id);
/* Broadcasts, reminders too (kind "reminder", parent_id), newest first,
 * at most limit (0: all); b valid only during the call, the store free
 * to use in cb; cb as for store_export. */
int	 store_broadcasts_list(struct store *, size_t limit,
	    int (*cb)(void *arg, const struct store_broadcast *b), void *arg);
/*
 * Cancel broadcast id and its reminder: state "cancelled", and every
 * message of theirs still "queued" or "held" becomes "failed" with reason
 * "cancelled" (messages already with the provider go on).  *stopped = how
 * many.  1 done, 0 no such broadcast, -1 error.  Runs in the caller's
 * transaction if one is open, else in its own.
 */
int	 store_broadcast_cancel(struct store *, int64_t id, int64_t now_ms,
	    int64_t *stopped);

struct store_broadcast_counts {
	int64_t	 queued;	/* queued or sending */
	int64_t	 sent;		/* with the provider, no report yet */
	int64_t	 delivered;
	int64_t	 failed;	/* failed, undelivered, expired: not below */
	int64_t	 opted_out;	/* dropped at send time: she said STOP */
	int64_t	 cancelled;
	int64_t	 rsvp_yes;	/* of its meeting, if any */
	int64_t	 rsvp_no;
};
/* Counts of the messages of broadcast id (and RSVPs).  0 or -1. */
int	 store_broadcast_counts(struct store *, int64_t id,
	    struct store_broadcast_counts *);

/*
 * Broadcast messages (reminders and failed ones not counted) planned for
 * phone with next_attempt_ms in [from_ms, to_ms): for the daily cap.
 */
int	 store_broadcast_planned(struct store *, const char *phone,
	    int64_t from_ms, int64_t to_ms, int64_t *n);

struct store_meeting {
	int64_t	 id;
	char	*title;
	char	*place;
	int64_t	 time_ms;
};
void	 store_meeting_clear(struct store_meeting *);
/* Sets m->id.  0 or -1. */
int	 store_meeting_add(struct store *, struct store_meeting *m,
	    int64_t now_ms);
/* 1 and *m (caller clears), 0 none, -1 error. */
int	 store_meeting_get(struct store *, int64_t id, struct store_meeting *m);
/*
 * The meeting phone can answer now: of the broadcasts with a meeting
 * still to come whose message reached her (sent or delivered), the one
 * sent last.  1 and *m, *broadcast_id; 0 none; -1 error.
 */
int	 store_meeting_open_for(struct store *, const char *phone,
	    int64_t now_ms, struct store_meeting *m, int64_t *broadcast_id);
/* Her answer ("yes" | "no"), replacing an earlier one.  0 or -1. */
int	 store_rsvp_set(struct store *, int64_t meeting_id, const char *phone,
	    const char *answer, int64_t broadcast_id, int64_t now_ms);
/* 1 and *answer ("yes"/"no", static), 0 no answer, -1 error. */
int	 store_rsvp_get(struct store *, int64_t meeting_id, const char *phone,
	    const char **answer);

/* A NOTICE from a coordinator's phone, waiting for "YES <code>". */
struct store_notice {
	char	*phone;
	char	*code;
	char	*district;
	char	*text;
	int64_t	 created_ms;
	int64_t	 expires_ms;
	int64_t	 broadcast_id;	/* 0 until confirmed */
};
void	 store_notice_clear(struct store_notice *);
/* 1 added, 0 that code is already pending for phone, -1 error. */
int	 store_notice_add(struct store *, const struct store_notice *n);
/* The unconfirmed, unexpired notice of phone with code: 1 and *n, 0 none. */
int	 store_notice_find(struct store *, const char *phone, const char *code,
	    int64_t now_ms, struct store_notice *n);
/*
 * A "YES <code>" from phone matched none of her pending notices: count a
 * wrong try against each of them, and once one has had max_tries, cancel
 * (expire now) all of them.  0 nothing pending, 1 counted, 2 counted and her
 * pending notices were cancelled, -1 error.
 */
int	 store_notice_wrong_try(struct store *, const char *phone,
	    int64_t now_ms, int max_tries);
/* Her latest confirmed notice (broadcast_id set): 1 and *n, 0 none. */
int	 store_notice_latest(struct store *, const char *phone,
	    struct store_notice *n);
/* Mark it confirmed as broadcast_id.  0 or -1. */
int	 store_notice_confirmed(struct store *, const char *phone,
	    const char *code, int64_t broadcast_id);

/* ---- small key/value facts (e.g. the pseudonym key, see store_open) ---- */

/* 1 and *value (caller frees), 0 not found, -1 error. */
int	 store_meta_get(struct store *, const char *key, char **value);
int	 store_meta_set(struct store *, const char *key, const char *value);

/* ---- backup and restore (store_backup.c) ---- */

/*
 * Write a consistent copy of the database to path while others (the
 * daemon) go on writing: one snapshot, copied in steps, checked with
 * integrity_check, then renamed into place (a failed backup leaves no file
 * at path).  The copy is a single file, not in WAL mode.  *pages (may be
 * NULL) = pages copied.  Must not be called inside a transaction.  0 / -1.
 */
int	 store_backup(struct store *, const char *path, int64_t *pages);

/*
 * Check that the file at path is a Sampark database this binary can open:
 * integrity_check passes and 1 <= schema version <= store_schema_version().
 * *version (may be NULL) is set when it could be read.  0, or -1 with err.
 */
int	 store_file_check(const char *path, int *version, char *err,
	    size_t errlen);

/*
 * Replace the database at db with the backup at from (checked first with
 * store_file_check).  Refused while any other connection has db open (a
 * running daemon).  The database replaced is kept as db.bak.  The restored
 * file is migrated forward by the next store_open().  0, or -1 with err.
 */
int	 store_restore(const char *from, const char *db, char *err,
	    size_t errlen);

/* ---- analytics (store_report.c): the sections of `sampark report` ---- */

/*
 * The most frequent unmatched inbound texts (trimmed, lower-cased) within
 * the filter, most frequent first, at most limit (0: all): cb(text, how
 * many times, from how many contacts).  0 or -1.
 */
int	 store_report_unmatched(struct store *, const struct store_filter *,
	    size_t limit, int (*cb)(void *arg, const char *text, int64_t n,
	    int64_t contacts), void *arg);

/*
 * One broadcast's delivery funnel, by the real state of its messages, and
 * what it was: its title (the meeting's, else a "title" variable, else
 * the template), template, audience, when and by whom it was made.  The
 * strings are valid during the callback only.
 */
struct store_funnel {
	int64_t	 broadcast_id;
	int64_t	 created_ms;	/* the broadcast was made */
	int64_t	 first_queued_ms;	/* first message queued, 0: none */
	const char	*kind;		/* "broadcast" | "notice" | "reminder" */
	int64_t	 parent_id;	/* a reminder's broadcast, else 0 */
	const char	*title;
	const char	*template_key;
	const char	*audience;
	const char	*created_by;
	const char	*state;		/* the broadcast's: creating, queued,
					   cancelled */
	int64_t	 meeting_id;	/* 0: none */
	int64_t	 meeting_ms;	/* the meeting's time */
	int64_t	 messages;	/* queued in all */
	int64_t	 pending;	/* still held, queued or sending */
	int64_t	 sent;		/* accepted by the provider (incl. delivered
				   and undelivered) */
	int64_t	 delivered;
	int64_t	 undelivered;	/* accepted, then not delivered */
	int64_t	 failed;	/* not accepted, and not for a cancel */
	int64_t	 expired;	/* too old to send */
	int64_t	 cancelled;	/* stopped by a cancel of the broadcast */
	/* RSVPs are the meeting's: on the broadcast that announced it,
	 * none on its reminders. */
	int	 has_rsvp;
	int64_t	 rsvp_yes;
	int64_t	 rsvp_no;
};

/*
 * Funnels of the broadcasts made within the filter's time range, each
 * broadcast followed by its reminders: 1 (some), 0 (none), -1 error.
 */
int	 store_report_funnels(struct store *, const struct store_filter *,
	    int (*cb)(void *arg, const struct store_funnel *), void *arg);

/*
 * RSVP answers per meeting and day (in the zone utc_offset_min) of the
 * meetings whose answers fall in the filter's time range, by meeting and
 * day: 0 or -1.  The title is valid during the callback only.
 */
int	 store_report_rsvps(struct store *, const struct store_filter *,
	    int utc_offset_min, int (*cb)(void *arg, int64_t meeting_id,
	    const char *title, const char *day, int64_t yes, int64_t no),
	    void *arg);

/*
 * IVR drop-off: calls by the menu node they ended at, most first: 1 (cb
 * called per node), 0 when there is no call log in this database, -1.
 */
int	 store_report_ivr(struct store *, const struct store_filter *,
	    int (*cb)(void *arg, const char *node, int64_t calls), void *arg);

/* Contacts who opted out within the time range (and district). 0 or -1. */
int	 store_report_opted_out(struct store *, const struct store_filter *,
	    int64_t *n);

/* ---- calls: voice calls and their menu state (store_voice.c) ---- */

/*
 * One call, keyed by (provider, call_id).  The menu state (node, back,
 * retries, district, language, pending, pending_next) is what the IVR
 * needs to continue after a restart; last_answer is the last list read
 * out and last_query what it answered (for "send it by SMS"), say_next
 * what the next prompt fetch must speak first (Exotel).  followup says
 * what a missed call led to: "sms", "callback", "duplicate", "opted_out"
 * (NULL otherwise).
 * Strings may be NULL.
 */
struct store_call {
	char	*call_id;
	char	*provider;
	char	*caller;		/* the person, E.164 */
	char	*our_number;		/* the number she called / we used */
	char	*direction;		/* "in" | "out" (a callback) */
	int64_t	 start_ms;
	int64_t	 end_ms;		/* 0 while the call goes on */
	int64_t	 updated_ms;
	char	*status;		/* "active" | "completed" | "missed" |
					   the provider's final word */
	char	*node;
	char	*back;
	int	 retries;
	char	*district;
	char	*language;
	char	*pending;
	char	*pending_next;
	char	*last_answer;
	char	*say_next;
	int	 steps;			/* menu steps taken */
	char	*followup;
	int64_t	 duration_s;		/* from the provider's status
					   callback; -1 until it came */
	char	*last_query;		/* what last_answer answered:
					   "handler\tcategory" */
};

/* 1 and *c filled (caller clears), 0 not found, -1 error. */
int	 store_call_get(struct store *, const char *provider,
	    const char *call_id, struct store_call *c);
/* Insert or update every field of c (by provider and call_id). */
int	 store_call_put(struct store *, const struct store_call *c);
/* Free the strings of c and zero it; a zeroed call is a no-op. */
void	 store_call_clear(struct store_call *);
/*
 * Did a missed call from caller since since_ms already lead to an SMS or a
 * callback?  1 yes, 0 no, -1 error.
 */
int	 store_call_recent_followup(struct store *, const char *caller,
	    int64_t since_ms);
/*
 * Queue an outbound call (a callback) to m->to through m->provider: an
 * outbox message of kind "call", as store_outbox_add() otherwise.
 */
int	 store_outbox_add_call(struct store *, struct outbox_msg *m);

/* ---- moving a coalition to PostgreSQL (store_copy.c) ---- */

/* One table as store_copy() moved it: its rows in the source's snapshot
 * and in the target, counted again in the target's transaction. */
struct store_copy_count {
	char	*table;
	int64_t	 source;
	int64_t	 target;
};

/*
 * Copy every table of the SQLite database from (PATH or sqlite:PATH, of
 * this binary's schema version) into the PostgreSQL database to (a URI),
 * ids kept so that references stay valid, and identity sequences moved
 * past the ids copied.  The target gets this binary's schema if it has
 * none, and must hold no data: a row in any of its tables (beyond what
 * opening it writes in meta, its own pseudonym key and heartbeat, which
 * the source's meta replaces) refuses the copy before anything is
 * written.  The source is read in one read transaction, so a daemon may
 * go on writing to it: the copy is of the moment it began.  Everything
 * is written in one transaction on the target, and the rows of every
 * table are counted in it before the commit: any difference rolls the
 * whole copy back.  progress (may be NULL) is called after each table,
 * with both transactions open.  *counts (*n of them, in the order
 * copied) freed with store_copy_counts_free().  0, or -1 with err.
 */
int	 store_copy(const char *from, const char *to,
	    void (*progress)(void *arg, const char *table, int64_t rows),
	    void *arg, struct store_copy_count **counts, size_t *n,
	    char *err, size_t errlen);
void	 store_copy_counts_free(struct store_copy_count *, size_t n);

#endif
