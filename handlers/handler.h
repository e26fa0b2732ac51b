/*
 * handler: the interface of keyword handlers, the context they are given,
 * and the table that lists them.
 *
 * Handlers are pure logic: message + directory + prompts → reply.  They
 * never know which provider a message came from and do no I/O except
 * through the ops in their context, so they are unit-tested on a world
 * in memory (tests/fake_ops.h), without a database.  Adding a handler =
 * one handler_<name>.c exporting a const struct handler, one line in
 * handler_table (handler.c), its aliases in config/keywords.conf, its
 * texts in prompts/ and its cases in tests/test_handlers.c.
 */
#ifndef SP_HANDLER_H
#define SP_HANDLER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "segment.h"
#include "records.h"

struct district;
struct district_table;
struct keywords_table;
struct prompts;
struct reply_templates;
struct understand_table;
struct understand_unserved;

#define SP_REPLY_MAX	4

/* What a handler answers: up to SP_REPLY_MAX messages, owned. */
struct handler_reply {
	char		*texts[SP_REPLY_MAX];
	size_t		 n;
	/* Segments of each text, when the handler already counted them
	 * (so that the log need not count again). */
	struct segment_info	 seg[SP_REPLY_MAX];
	int		 counted[SP_REPLY_MAX];
	/* The reply template (reply_templates.h) of each text, owned;
	 * NULL when a text was added without one. */
	char		*keys[SP_REPLY_MAX];
};

void	handler_reply_add(struct handler_reply *, char *text);	/* takes ownership */
/* The same, with the text's segments already counted. */
void	handler_reply_add_counted(struct handler_reply *, char *text,
	    const struct segment_info *);
/* handler_reply_add, naming the text's reply template. */
void	handler_reply_add_keyed(struct handler_reply *, char *text,
	    const char *key);
void	handler_reply_clear(struct handler_reply *);
struct prompts;
/*
 * Add the prompt key in lang, formatted with the NULL-terminated name,
 * value... list (prompts_format), under the reply template of the same
 * key; 0, or -1 with nothing added when the catalogue lacks the key.
 * A value too long (or too short) for the DLT variables of its field is
 * not sent: 0 with nothing added and the field logged.
 */
int	handler_reply_prompt(struct handler_reply *, const struct prompts *,
	    const char *lang, const char *key, ...) __attribute__((sentinel));

/*
 * The only door from a handler (and the router) to the outside world;
 * the gateway opens it on the store (handler_env.h), a test on a table
 * in memory.  Each returns -1 on an error the caller answers with
 * error.internal (and the daemon with a rollback).
 */
struct sp_ctx_ops {
	/* Her contact: 1 and *c filled (caller clears), 0 none yet. */
	int	(*contact_get)(void *arg, const char *phone, struct contact *c);
	/* Insert or update every field of c (by phone). */
	int	(*contact_put)(void *arg, const struct contact *c);
	/* She asked about category (the audience "interest:" term). */
	int	(*interest_add)(void *arg, const char *phone,
		    const char *category, int64_t now_ms);
	/* Stakeholders of category for district ("*" rows included), in
	 * directory order; *rows released by stakeholders_free. */
	int	(*stakeholders_find)(void *arg, const char *category,
		    const char *district, struct stakeholder **rows,
		    size_t *n);
	void	(*stakeholders_free)(void *arg, struct stakeholder *rows,
		    size_t n);
	/* The stakeholders of ids[0..n) still in the directory, in that
	 * order (ids no longer there are skipped); *rows released by
	 * stakeholders_free. */
	int	(*stakeholders_get)(void *arg, const int64_t *ids, size_t n,
		    struct stakeholder **rows, size_t *nrows);
};

/*
 * Broadcast features for the NOTICE and YES/NO handlers, served by the
 * gateway (broadcast.h); NULL in a context without them.
 */
struct sp_notice_preview {
	int64_t		 recipients;	/* after opt-outs */
	unsigned	 segments;	/* per message (the longest language) */
	int64_t		 total_segments;
	char		 code[12];	/* what YES must carry */
	size_t		 max_chars;	/* text too long: the most that fits */
};
/* The answers to a coordinator's latest NOTICE. */
struct sp_notice_status {
	char		 district[64];	/* its district key */
	int64_t		 sent_ms;	/* when she confirmed it */
	int64_t		 recipients;	/* messages queued */
	int64_t		 yes, no;	/* answers counted */
	int64_t		 no_answer;	/* recipients - yes - no, at least 0 */
};
struct handler_broadcast_ops {
	/* A NOTICE to district: 0 and *pv (pending for its code), 1 the
	 * text does not fit (pv->max_chars), 2 nobody in district can be
	 * reached (none listed, or all opted out), -1 error. */
	int	(*notice_prepare)(void *arg, const char *phone,
		    const char *district, const char *text,
		    struct sp_notice_preview *pv);
	/* "YES code": 1 sent (*recipients), 0 no such pending code (a
	 * wrong try, counted), 2 a wrong try that was one too many: her
	 * pending notices are cancelled; 3 nobody can be reached any more
	 * (all opted out since), nothing sent; -1 error. */
	int	(*notice_confirm)(void *arg, const char *phone,
		    const char *code, int64_t *recipients);
	/* Her answer to the meeting or notice she can answer: 1 recorded
	 * for a meeting (*title, caller frees, and *meeting_ms), 2
	 * recorded for a coordinator's NOTICE (*title as for 1: its
	 * district; *meeting_ms when answers close), 0 nothing open, -1
	 * error. */
	int	(*rsvp)(void *arg, const char *phone, int yes, char **title,
		    int64_t *meeting_ms);
	/* "NOTICE STATUS": the answers to phone's latest confirmed NOTICE.
	 * 1 and *st, 0 she has sent none, -1 error. */
	int	(*notice_status)(void *arg, const char *phone,
		    struct sp_notice_status *st);
};

struct handler_page_memo;

struct sp_ctx {
	const struct sp_ctx_ops	*ops;
	void			*ops_arg;
	const struct handler_broadcast_ops *broadcast;	/* NULL: none */
	void			*broadcast_arg;
	const struct keywords_table	*keywords;
	const struct district_table *districts;
	const struct prompts	*prompts;
	const char		*default_language;	/* "hi" */
	unsigned		 segment_budget;	/* SMS per reply */
	int64_t			 now_ms;
	int64_t			 pending_ms;	/* how long a question waits */
	int64_t			 more_ms;	/* how long MORE stays valid */
	struct handler_page_memo	*page_memo;	/* NULL: every text is counted */
	/* The sender is over an abuse limit (abuse.h: rate, loop, a
	 * machine): nothing she asks takes effect, no contact change, no
	 * NOTICE or YES, except STOP, an opt-out always honoured. */
	int			 limited;
	const struct understand_table	*understand;	/* whole-message reading */
	/* Every text must match its DLT template to be sent (router.c);
	 * NULL: not checked. */
	const struct reply_templates	*templates;
	/* Spoken (the voice menu): lists are whole, not paged. */
	int			 spoken;
	/* Pages of a list texted at once, each its own text (a caller's
	 * "send it by SMS"); 0 or 1: one, the rest behind MORE. */
	unsigned		 pages_at_once;
};

/*
 * What an exchange came to, as the log keeps it (the inbound row's
 * outcome): the analysts' first question is what went unanswered, which
 * the handler that answered knows and nothing after it can tell from the
 * reply's text.  The values, the same in the export, the report and the
 * API:
 *   answered        she got what she asked for: stakeholders, the menu
 *                   she asked for, the next page
 *   no_stakeholder  a category and a district, and nobody listed for it
 *   asked_district  a category without a district: asked which one
 *   asked_category  a district, or two categories, without one to answer:
 *                   asked which category
 *   not_understood  nothing in the text could be acted on: the menu
 *   limited         over an abuse limit: stored, not carried out
 *   opted_out       she said STOP before: no reply
 *   control         stop, start, join, lang, name
 *   rsvp            yes / no to a meeting
 *   notice          a coordinator's NOTICE or its confirmation
 *   error           an internal error answered with error.internal
 * "Unanswered" is not_understood + no_stakeholder + limited.
 */
#define HANDLER_OUTCOME_ANSWERED	"answered"
#define HANDLER_OUTCOME_NO_STAKEHOLDER	"no_stakeholder"
#define HANDLER_OUTCOME_ASKED_DISTRICT	"asked_district"
#define HANDLER_OUTCOME_ASKED_CATEGORY	"asked_category"
#define HANDLER_OUTCOME_NOT_UNDERSTOOD	"not_understood"
#define HANDLER_OUTCOME_LIMITED		"limited"
#define HANDLER_OUTCOME_OPTED_OUT	"opted_out"
#define HANDLER_OUTCOME_CONTROL		"control"
#define HANDLER_OUTCOME_RSVP		"rsvp"
#define HANDLER_OUTCOME_NOTICE		"notice"
#define HANDLER_OUTCOME_ERROR		"error"

/* 1 for the outcomes that count as unanswered. */
int	handler_outcome_unanswered(const char *outcome);

/* One routed message, as a handler sees it. */
struct handler_request {
	const char		*keyword;	/* matched keyword name */
	const char		*category;	/* its category, or NULL */
	const char		*args;		/* normalised words after it */
	const char		*raw_args;	/* the same words as sent (case,
						   punctuation kept; words
						   split on spaces), for
						   names and free text */
	const char		*lang;		/* reply language */
	const struct district	*district;	/* resolved district, or NULL */
	int			 unmatched;	/* help: the text was not understood */
	struct contact	*contact;	/* handlers may change it; the
						   router saves it */
	const struct keyword	*choice[2];	/* choose: the two categories
						   she named */
	const struct understand_unserved *unserved;	/* info: she named a district
						   we do not serve; category
						   may be NULL */
	/* Set by the handler when it knows better than its name does
	 * (HANDLER_OUTCOME_*); NULL: the router decides. */
	const char	*outcome;
	/* The stakeholders the reply gives (handler_refer), for the log's
	 * referrals; the router frees it. */
	struct buf	 referred;
};

/*
 * Note that the reply gives stakeholder s.  The record is "id:name"
 * lines joined by '|' (a '|' in a name becomes '/'), the form of the
 * log's stakeholders field.
 */
void	handler_refer(struct handler_request *, const struct stakeholder *s);
/* Free what a handler left in req (its referrals); the caller that made
 * req calls it once the handler has run. */
void	handler_request_clear(struct handler_request *);

struct handler {
	const char	*name;
	/* Fill *reply.  0, or -1 on an internal error (the router then
	 * answers with error.internal). */
	int		(*run)(const struct sp_ctx *, struct handler_request *,
			    struct handler_reply *);
};

extern const struct handler handler_info;
extern const struct handler handler_help;
extern const struct handler handler_more;
/* Two categories in one message: which one, by its menu digit. */
extern const struct handler handler_choose;
/* Contacts: registration, name, language, opt-out / opt-in.
 * STOP sets contact->opted_out_ms; from then on the router answers
 * nothing but START (router.c). */
extern const struct handler handler_join;
extern const struct handler handler_name;
extern const struct handler handler_lang;
extern const struct handler handler_stop;
extern const struct handler handler_start;
/* Broadcasts by SMS: NOTICE from a coordinator, YES / NO. */
extern const struct handler handler_notice;
extern const struct handler handler_rsvp;
/* A name as she wrote it, whitespace collapsed, at most 40 characters;
 * NULL if nothing is left.  Caller frees.  (handler_name.c) */
char	*handler_name_clean(const char *raw);

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
	    const char *text, struct handler_reply *reply);

/*
 * Shared by handlers: a list of stakeholders as pages of at most
 * REPLY_TEMPLATES_PAGE_MAX entries (fewer when they would not fit the
 * segment budget), each the reply template "<stem>.N" or "<stem>.N.more"
 * (reply_templates.h): the prompt header_key with {n} = N and the given
 * category and district, one info.entry line each, and the MORE note
 * when entries are left (else the info.end note); those are kept on the
 * contact, by id, for the MORE handler.  An entry whose name or phone
 * does not fit its DLT variables is left out and logged (an entry behind
 * MORE when MORE gets to it).  Only the entries sent are referred
 * (handler_refer).  Spoken (ctx->spoken), the list is one text with
 * every entry.  0, or -1 when a prompt is missing.
 */
struct stakeholder;
int	handler_list(const struct sp_ctx *, struct handler_request *,
	    const char *stem, const char *header_key, const char *category,
	    const char *district, const struct stakeholder *rows, size_t n,
	    struct handler_reply *reply);
/* The next page of the entries kept by handler_list, as "more.list"
 * (more.none when none of them can be given any more). */
int	handler_list_more(const struct sp_ctx *, struct handler_request *,
	    const char *kept, struct handler_reply *reply);

/*
 * Where handler_page cuts a text depends only on the text, the MORE note
 * and the budget; a memo remembers that for recent texts, so that the same
 * answer to the same question is not counted again.  The daemon keeps one
 * for its life; it is not shared between threads.
 */
struct handler_page_memo *handler_page_memo_new(void);
void	handler_page_memo_free(struct handler_page_memo *);	/* NULL is a no-op */
void	handler_page_memo_stats(const struct handler_page_memo *, uint64_t *hits,
	    uint64_t *misses);

#endif
