/*
 * broadcast: one message to many, from a template, within India's rules.
 * Used by `sampark broadcast`, the /api/v1/broadcasts routes, a
 * coordinator's NOTICE by SMS (notice.c) and, at send time, the sender.
 *
 * A broadcast is checked whole before anything is queued: the audience
 * parses, the template exists and renders in every language it has (the
 * DLT checks of templates.h), the meeting is in the future.  Then the
 * audience is streamed from the store into the outbox in transactions of
 * BCAST_BATCH messages, so memory stays flat however many recipients
 * there are.  Each message gets as next_attempt_ms the first time it may
 * go (schedule.h: promotional window, quiet hours, the contact's daily
 * cap); the sender asks bcast_send_check() again when it is due, since a
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
struct store;
struct outbox_msg;

#define BCAST_BATCH		1000	/* messages per transaction */
#define BCAST_MAX_LANGS		8
#define BCAST_NOTICE_MINUTES	15	/* a NOTICE waits this long for YES */
/*
 * Its code: BCAST_NOTICE_DIGITS random digits (digits: a keypad phone
 * types them without multi-tap; six, as every bank OTP she knows), and
 * BCAST_NOTICE_TRIES wrong "YES <code>" cancel her pending notice.  So a
 * guesser wins at most 3 in 1,000,000 per notice, however fast she
 * posts, and the code is worth nothing after 15 minutes anyway.
 */
#define BCAST_NOTICE_DIGITS	6
#define BCAST_NOTICE_TRIES	3

/* What the engine works with; owned by the caller. */
struct bcast_env {
	struct store		*store;
	const struct tpl_table	*templates;
	const struct config	*cfg;
	int64_t			 now_ms;
};

struct bcast_request {
	const char	*to;		/* audience expression */
	const char	*template_key;
	const struct tpl_var *vars;
	size_t		 nvars;
	int64_t		 at_ms;		/* 0: now */
	const char	*meeting_title;	/* NULL: no meeting */
	const char	*meeting_place;
	int64_t		 meeting_ms;
	int		 no_reminder;
	const char	*kind;		/* "broadcast" (NULL) or "notice" */
	const char	*created_by;	/* "cli", "api", a phone */
	const char	*provider;	/* NULL: config broadcast_provider */
	/* Set (by a signal handler) to stop a creation midway: it is
	 * then cancelled, nothing sent.  NULL: never. */
	const volatile sig_atomic_t *interrupted;
};

struct bcast_lang {
	char		 lang[8];
	char		*text;		/* rendered */
	const char	*dlt_id;
	const char	*encoding;	/* "GSM-7" | "UCS-2" */
	unsigned	 segments;
	int64_t		 recipients;
};

struct bcast_preview {
	const struct template *tpl;
	char		*audience;	/* canonical expression */
	const char	*provider;
	struct bcast_lang langs[BCAST_MAX_LANGS];	/* one per text */
	size_t		 nlangs;
	struct bcast_lang reminders[BCAST_MAX_LANGS];	/* if reminding */
	size_t		 nreminders;
	int64_t		 reminder_ms;	/* when reminders are due, 0: none */
	int64_t		 recipients;	/* after opt-outs */
	int64_t		 opted_out;	/* in the audience, left out */
	int64_t		 segments;	/* in all: the cost */
	int64_t		 first_ms;	/* earliest a message may go */
};
void	 bcast_preview_clear(struct bcast_preview *);

/*
 * Check req and count its audience.  0 with *pv filled (caller clears),
 * or -1 with the reason in err (nothing is written to the store).
 */
int	 bcast_preview(const struct bcast_env *, const struct bcast_request *,
	    struct bcast_preview *pv, char *err, size_t errlen);

/*
 * Preview, then queue the broadcast: *id its id.  Inside the caller's
 * transaction when one is open (a NOTICE confirmed by SMS), else in
 * batches of its own.  0, or -1 with err.
 */
int	 bcast_create(const struct bcast_env *, const struct bcast_request *,
	    struct bcast_preview *pv, int64_t *id, char *err, size_t errlen);

/*
 * Call off the meeting of broadcast id: cancel it (its messages not yet
 * sent and its reminders) and tell those who said YES, with template_key
 * and vars (the meeting's title, place, date and time fill the ones the
 * template has and vars lack).  All in one transaction: if the message
 * cannot be made, nothing is cancelled.  *notify_id is the new broadcast
 * (0 when nobody had said yes: then only the cancel), *stopped the
 * messages stopped, *pv its preview (caller clears).  0, or -1 with err.
 */
int	 bcast_cancel_notify(const struct bcast_env *, int64_t id,
	    const char *template_key, const struct tpl_var *vars,
	    size_t nvars, const char *created_by, struct bcast_preview *pv,
	    int64_t *notify_id, int64_t *stopped, char *err, size_t errlen);

/* The provider broadcasts go through: broadcast_provider, else the first
 * enabled one that can send with its settings and secrets (console, into
 * the log, only when no other can), else NULL with why. */
const char *bcast_provider_name(const struct config *, char *why,
	    size_t whylen);

/* Split "name=value" into a tpl_var pointing into s.  0 or -1. */
int	 bcast_var_parse(char *s, struct tpl_var *v);
/* ISO 8601 ("2026-12-04T11:00"); without Z or an offset it is IST, as a
 * coordinator means it.  0 or -1. */
int	 bcast_parse_time(const char *s, int64_t *ms);
/* "title|place|time" into req's meeting fields, pointing into spec (which
 * is cut up).  0, or -1 with err. */
int	 bcast_parse_meeting(char *spec, struct bcast_request *req, char *err,
	    size_t errlen);

enum bcast_verdict {
	BCAST_SEND,
	BCAST_DEFER,		/* not now: *next_ms */
	BCAST_DROP,		/* never: *why */
};

/*
 * For the sender, when broadcast message m is due at now_ms: may it go?
 * A store error answers BCAST_SEND for windows it could not read, but
 * BCAST_DROP when it cannot tell whether a reminder is wanted.
 */
enum bcast_verdict bcast_send_check(struct store *, const struct config *,
	    const struct outbox_msg *m, int64_t now_ms, int64_t *next_ms,
	    const char **why);

/* NOTICE and YES/NO for handlers (notice.c); arg is a struct bcast_env. */
extern const struct sp_bcast_ops bcast_handler_ops;

#endif
