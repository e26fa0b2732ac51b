/*
 * broadcast: one message to many, from a template, within India's rules.
 * Used by `sampark broadcast`, the /api/v1/broadcasts routes, a
 * coordinator's NOTICE by SMS (notice.c) and, at send time, the sender.
 *
 * A broadcast is checked whole before anything is queued: the audience
 * parses, the template exists and renders in every language it has (the
 * DLT checks of templates.h), the meeting is in the future.  Then the
 * audience is streamed from the store into the outbox in transactions of
 * BROADCAST_BATCH messages, so memory stays flat however many recipients
 * there are and no commit holds the write lock for long.  The messages
 * are "queued" from the start, but the broadcast's row says "creating"
 * until the last commit, and the claim passes over its messages until
 * then (store_outbox_claim): all of the audience becomes sendable at
 * once, or, when the creation is cut short, none of it.  Each message gets as next_attempt_ms the first time it may
 * go (schedule.h: promotional window, quiet hours, the contact's daily
 * cap); the sender asks broadcast_send_check() again when it is due, since a
 * window may have closed, the broadcast been cancelled or a reminder's
 * meeting been declined meanwhile.
 *
 * A broadcast's messages carry created_ms = the time they were planned
 * for, so send_max_age counts from then (a broadcast planned for next
 * week does not expire in the queue).
 *
 * Meetings: a broadcast may announce one (title, place, time).  Replies
 * YES / NO from a recipient are her RSVP (notice.c).  Unless no_reminder,
 * a reminder broadcast (kind "reminder") is queued with it for every
 * recipient at reminder_minutes before the meeting (respecting quiet
 * hours); at send time it goes only to those whose answer is yes.
 */
#ifndef SP_BROADCAST_H
#define SP_BROADCAST_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "handler.h"
#include "templates.h"

struct config;
struct district_table;
struct store;
struct store_broadcast;
struct store_broadcast_counts;
struct outbox_msg;

#define BROADCAST_BATCH		250	/* messages per transaction */
#define BROADCAST_MAX_LANGS		8
#define BROADCAST_NOTICE_MINUTES	15	/* a NOTICE waits this long for YES */
/*
 * Its code: BROADCAST_NOTICE_DIGITS random digits (digits: a keypad phone
 * types them without multi-tap; six, as every bank OTP she knows), and
 * BROADCAST_NOTICE_TRIES wrong "YES <code>" cancel her pending notice.  So a
 * guesser wins at most 3 in 1,000,000 per notice, however fast she
 * posts, and the code is worth nothing after 15 minutes anyway.
 */
#define BROADCAST_NOTICE_DIGITS	6
#define BROADCAST_NOTICE_TRIES	3
/*
 * Recipients answer a NOTICE with YES / NO as they answer a meeting, and
 * are counted the same way: a confirmed notice announces a meeting (title
 * its text, place its district) whose time is when answers close, this
 * many days after it was sent, with no reminder.  So `broadcast show`,
 * rsvp: audiences and the report count a notice's answers as a meeting's,
 * and "NOTICE STATUS" tells the coordinator.
 */
#define BROADCAST_NOTICE_ANSWER_DAYS	7

/* What the engine works with; owned by the caller. */
struct broadcast_env {
	struct store		*store;
	const struct templates_table	*templates;
	const struct config	*cfg;
	int64_t			 now_ms;
	/* The provider a request that names none goes through, or NULL
	 * with why (runtime_broadcast_provider: which providers can send
	 * is the runtime's knowledge, not the broadcasts'). */
	const char		*(*default_provider)(const struct config *,
				    char *why, size_t whylen);
	/* The districts an audience's district: terms must name (any
	 * spelling, resolve.h); NULL: not checked. */
	const struct district_table	*districts;
};

struct broadcast_request {
	const char	*to;		/* audience expression */
	const char	*template_key;
	const struct templates_var *vars;
	size_t		 nvars;
	int64_t		 at_ms;		/* 0: now */
	const char	*meeting_title;	/* NULL: no meeting */
	const char	*meeting_place;
	int64_t		 meeting_ms;
	int		 no_reminder;
	const char	*kind;		/* "broadcast" (NULL) or "notice" */
	const char	*created_by;	/* "cli", "api", a phone */
	const char	*provider;	/* NULL: config broadcast_provider */
	/* An audience that reaches nobody is refused, unless this is set
	 * (telling those who said YES, when perhaps nobody did). */
	int		 allow_empty;
	/* Set (by a signal handler) to stop a creation midway: it is
	 * then cancelled, nothing sent.  NULL: never. */
	const volatile sig_atomic_t *interrupted;
};

struct broadcast_lang {
	char		 lang[8];
	char		*text;		/* rendered */
	const char	*dlt_id;
	const char	*encoding;	/* "GSM-7" | "UCS-2" */
	unsigned	 segments;
	int64_t		 recipients;
};

struct broadcast_preview {
	const struct template *tpl;
	char		*audience;	/* canonical expression */
	const char	*provider;
	struct broadcast_lang langs[BROADCAST_MAX_LANGS];	/* one per text */
	size_t		 nlangs;
	struct broadcast_lang reminders[BROADCAST_MAX_LANGS];	/* if reminding */
	size_t		 nreminders;
	int64_t		 reminder_ms;	/* when reminders are due, 0: none */
	int64_t		 recipients;	/* after opt-outs */
	int64_t		 opted_out;	/* in the audience, left out */
	int64_t		 segments;	/* in all: the cost */
	/* The earliest a message may go: the windows and each recipient's
	 * daily cap, as her message is planned. */
	int64_t		 first_ms;
	/* A meeting's recipients left out: their message could only go
	 * after the meeting (daily cap).  A notice nobody would get before
	 * its meeting is refused. */
	int64_t		 late;
};
void	 broadcast_preview_clear(struct broadcast_preview *);

/*
 * Check req and count its audience.  0 with *pv filled (caller clears),
 * or -1 with the reason in err (nothing is written to the store).
 */
int	 broadcast_preview(const struct broadcast_env *, const struct broadcast_request *,
	    struct broadcast_preview *pv, char *err, size_t errlen);

/*
 * Preview, then queue the broadcast: *id its id.  Inside the caller's
 * transaction when one is open (a NOTICE confirmed by SMS), else in
 * batches of its own.  0, or -1 with err.
 */
int	 broadcast_create(const struct broadcast_env *, const struct broadcast_request *,
	    struct broadcast_preview *pv, int64_t *id, char *err, size_t errlen);

/*
 * Call off the meeting of broadcast id: cancel it (its messages not yet
 * sent and its reminders) and tell those who said YES, with template_key
 * and vars (the meeting's title, place, date and time fill the ones the
 * template has and vars lack).  All in one transaction: if the message
 * cannot be made, nothing is cancelled.  *notify_id is the new broadcast
 * (0 when nobody had said yes: then only the cancel), *stopped the
 * messages stopped, *pv its preview (caller clears).  0, or -1 with err.
 */
int	 broadcast_cancel_notify(const struct broadcast_env *, int64_t id,
	    const char *template_key, const struct templates_var *vars,
	    size_t nvars, const char *created_by, struct broadcast_preview *pv,
	    int64_t *notify_id, int64_t *stopped, char *err, size_t errlen);

/* Split "name=value" into a templates_var pointing into s.  0 or -1. */
int	 broadcast_var_parse(char *s, struct templates_var *v);
/* A time as when.h reads it ("2026-12-04T11:00", "12 Dec 11am",
 * "12/12 11:00"); without Z or an offset it is IST, as a coordinator
 * means it.  0 or -1. */
int	 broadcast_parse_time(const char *s, int64_t *ms);
/* "title|place|time" into req's meeting fields, pointing into spec (which
 * is cut up).  0, or -1 with err. */
int	 broadcast_parse_meeting(char *spec, struct broadcast_request *req, char *err,
	    size_t errlen);

/*
 * The state of broadcast b to show, from its messages' counts c: its
 * stored state while "creating" or once "cancelled"; else "queued" while
 * any message is left to send, "sent" when none is but some still wait
 * for the provider's delivery report, "done" when every message has
 * its last state (delivered, failed, opted out, cancelled).  Static.
 */
const char *broadcast_state(const struct store_broadcast *b,
	    const struct store_broadcast_counts *c);

enum broadcast_verdict {
	BROADCAST_SEND,
	BROADCAST_DEFER,		/* not now: *next_ms */
	BROADCAST_DROP,		/* never: *why */
};

/*
 * What broadcast_send_check last read of a broadcast, for the messages
 * the sender claimed together (mostly of one broadcast): its row is read
 * once per claim, not once per message.  Empty it with
 * broadcast_check_memo_forget after each claim, so that a cancel made
 * meanwhile is seen by the next one.
 */
struct broadcast_check_memo;
struct broadcast_check_memo *broadcast_check_memo_new(void);
void	 broadcast_check_memo_forget(struct broadcast_check_memo *);
void	 broadcast_check_memo_free(struct broadcast_check_memo *); /* NULL ok */

/*
 * For the sender, when broadcast message m is due at now_ms: may it go?
 * A store error answers BROADCAST_SEND for windows it could not read, but
 * BROADCAST_DROP when it cannot tell whether a reminder is wanted.  memo
 * may be NULL (the row is read each time).
 */
enum broadcast_verdict broadcast_send_check(struct store *, const struct config *,
	    struct broadcast_check_memo *memo, const struct outbox_msg *m,
	    int64_t now_ms, int64_t *next_ms, const char **why);

/* NOTICE, NOTICE STATUS and YES/NO for handlers (notice.c); arg is a
 * struct broadcast_env. */
extern const struct handler_broadcast_ops notice_handler_ops;

#endif
