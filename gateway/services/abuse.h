/*
 * abuse: the limits that keep a public SMS gateway from being turned
 * against its owners (SMS pumping to premium numbers, two auto-responders
 * answering each other forever, a flood from one number).
 *
 * It only decides; it never sends, stores or blocks anything itself.  The
 * daemon asks before it replies to an inbound message, the sender before
 * it claims and starts a message.  Every decision takes the time as an
 * argument (wall-clock ms), so tests drive it with a fake clock.
 *
 *   per sender   inbound_per_hour (a GCRA bucket: an even rate with a
 *                burst of the whole hour's allowance); beyond it the
 *                message is stored but not answered.
 *   per contact  replies_per_day, counted per day in India Standard Time.
 *   loops        the same text loop_repeats times within loop_window, an
 *                inbound that repeats one of our own recent replies (an
 *                echo) or says it is automatic, or loop_fast_strikes
 *                answers in a row each quicker than loop_fast_ms after our
 *                reply: the sender is muted for loop_window (extended by
 *                each further offending message).
 *   prefixes     outbound only to allowed_prefixes (the one check both
 *                the inline-reply path and the sender call).
 *   budget       outbound_per_hour across all providers that cost money,
 *                per clock hour: when spent, the sender claims nothing
 *                until the next hour (logged once each way).
 *
 * Per-sender state lives in memory, in a fixed-size table (abuse_senders
 * entries) that forgets the least recently seen sender when full: O(1)
 * per message, bounded memory, no query on the webhook path.  It starts
 * empty after a restart, which only ever errs towards answering.
 * Daemons sharing a database (PostgreSQL) load a sender's entry from it
 * and save it back around her message (abuse_sender_import/export), so
 * that her limits hold whichever daemon each message reaches.
 * Each limit of 0 turns that limit off.
 */
#ifndef SP_ABUSE_H
#define SP_ABUSE_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct metrics;
struct abuse;

enum abuse_verdict {
	ABUSE_OK = 0,
	ABUSE_RATE,		/* sender over inbound_per_hour */
	ABUSE_LOOP,		/* the same text again and again */
	ABUSE_AUTOMATED,	/* the sender is itself a machine */
	ABUSE_REPLY_CAP,	/* contact got replies_per_day today */
	ABUSE_PREFIX,		/* destination outside allowed_prefixes */
	ABUSE_BUDGET,		/* the hour's outbound budget is spent */
	ABUSE_NVERDICTS
};

struct abuse_conf {
	long		 inbound_per_hour;
	long		 replies_per_day;
	long		 outbound_per_hour;
	long		 loop_repeats;
	long		 loop_window_s;
	long		 loop_fast_ms;
	long		 loop_fast_strikes;
	const char	*allowed_prefixes;	/* "+91,+977"; "" = anywhere */
};

struct abuse_stats {
	uint64_t	 refused[ABUSE_NVERDICTS];	/* by verdict */
	size_t		 senders;		/* tracked now */
	size_t		 capacity;
	uint64_t	 budget_used;		/* this hour */
	long		 budget_limit;		/* 0: none */
	uint64_t	 budget_trips;		/* hours the budget ran out */
};

/*
 * A table for at most max_senders senders (>= 16), with every limit off
 * until abuse_set_conf/abuse_configure.  seed salts the hash of phone
 * numbers.  Never NULL.
 */
struct abuse *abuse_new(size_t max_senders, uint64_t seed);
void	 abuse_free(struct abuse *);		/* NULL is a no-op */

/* Use these limits from now on (strings copied); state is kept. */
void	 abuse_set_conf(struct abuse *, const struct abuse_conf *);
/* The same, read from the config's directives (see config.c). */
void	 abuse_configure(struct abuse *, const struct config *);
/* Count refusals in this registry from now on (NULL: none); declares
 * its families.  The gauges (senders tracked, budget used and limit) are
 * copied at most once a second as messages pass.  The registry must
 * outlive the abuse table's use of it. */
void	 abuse_set_metrics(struct abuse *, struct metrics *);
/* Copy the gauges into the registry now. */
void	 abuse_metrics_update(const struct abuse *, struct metrics *);

/*
 * An inbound message from phone (E.164) with text, not a retry of one
 * already seen: count it and say whether it may be answered.  ABUSE_OK,
 * ABUSE_RATE, ABUSE_LOOP or ABUSE_AUTOMATED.  The first refusal of an
 * episode is logged; every refusal is counted.
 */
enum abuse_verdict abuse_inbound(struct abuse *, const char *phone,
	    const char *text, int64_t now_ms);

/*
 * We are about to reply to phone with texts[0..n): ABUSE_PREFIX,
 * ABUSE_REPLY_CAP, or (when costs, i.e. the replies go out inline
 * through a paid provider) ABUSE_BUDGET if the hour's budget cannot take
 * all n; else ABUSE_OK, and the replies are counted (reply cap, budget
 * when costs) and remembered (echo and speed checks).
 */
enum abuse_verdict abuse_reply(struct abuse *, const char *phone,
	    const char *const *texts, size_t n, int costs, int64_t now_ms);

/*
 * May a message go to phone?  1 yes, 0 no (and the refusal is logged
 * and counted).  The one prefix check of every outbound path.
 */
int	 abuse_destination_ok(struct abuse *, const char *phone);
/* The pure rule: phone starts with one of the comma-separated prefixes
 * (a '+' on either side is optional; "" or "*" allows everything). */
int	 abuse_prefix_match(const char *prefixes, const char *phone);

/*
 * The global budget.  abuse_budget_left: how many more messages may start
 * this clock hour (SIZE_MAX without a budget; logs once when it reaches
 * 0).  abuse_budget_take: n messages started.  abuse_budget_wait_ms: ms
 * until the next hour begins.
 */
size_t	 abuse_budget_left(struct abuse *, int64_t now_ms);
void	 abuse_budget_take(struct abuse *, size_t n, int64_t now_ms);
int64_t	 abuse_budget_wait_ms(int64_t now_ms);

/*
 * The daemon decides a batch of webhooks inside one store transaction.
 * Between abuse_batch_begin and abuse_batch_end every change to a
 * sender's counters (rate, repeats, speed, mute, replies today) and to
 * the budget and our recent replies is journalled; abuse_batch_end with
 * committed 0 (the transaction rolled back, the webhooks were answered
 * 503) puts them back as they were, so the provider's retries are not
 * counted as repeats of messages that were never stored.  Refusals
 * decided in the batch are counted and logged at abuse_batch_end, and
 * only if it committed.
 */
void	 abuse_batch_begin(struct abuse *);
void	 abuse_batch_end(struct abuse *, int committed);

/*
 * One sender's state, for daemons that share it through a database
 * (several daemons on PostgreSQL): the daemon loads her entry before
 * abuse_inbound, under a lock on her number, and saves it back in the
 * same transaction.  The fields are abuse.c's own; nothing else reads
 * them.  Our recent replies (the echo check) stay each daemon's own.
 */
struct abuse_sender {
	int64_t		 tat;		/* GCRA: theoretical arrival time */
	int64_t		 repeat_since;	/* first of the identical texts */
	int64_t		 last_reply_ms;	/* our reply not yet answered; 0 */
	int64_t		 muted_until;
	uint64_t	 last_text;	/* hash of her last text */
	int64_t		 day;		/* of replies_today (IST) */
	uint32_t	 replies_today;
	uint32_t	 repeats;
	uint32_t	 fast;		/* quick answers in a row */
	uint8_t		 muted_why;	/* enum abuse_verdict */
	uint8_t		 logged;	/* bit per verdict, this episode */
};
/* Replace phone's state with *s (NULL: a sender never seen); inside a
 * batch the change is journalled like any other. */
void	 abuse_sender_import(struct abuse *, const char *phone,
	    const struct abuse_sender *s);
/* phone's state into *s: 1, or 0 (*s zeroed) when none is kept. */
int	 abuse_sender_export(const struct abuse *, const char *phone,
	    struct abuse_sender *s);
/* outbound_per_hour (0: none). */
long	 abuse_budget_limit(const struct abuse *);
/*
 * The budget counted elsewhere (in the database, for all daemons): this
 * clock hour has used `used`.  abuse_budget_left then answers from it
 * (and logs the exhaustion once), and the gauge shows it.
 */
void	 abuse_budget_seen(struct abuse *, uint64_t used, int64_t now_ms);

void	 abuse_stats(const struct abuse *, struct abuse_stats *);
/* "ok", "rate", "loop", "automated", "reply_cap", "prefix", "budget". */
const char *abuse_verdict_name(enum abuse_verdict);

#endif
