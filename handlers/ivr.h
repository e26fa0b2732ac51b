/*
 * ivr: the voice menu as data (config/ivr.conf) and the pure state machine
 * that walks it.  It never speaks, stores or sends anything: ivr_step()
 * takes the caller's state and one input (call start, a key, a timeout)
 * and says what happens next (prompt keys to speak, an action for the
 * voice layer to carry out, the node to gather the next key at).  The
 * voice layer (gateway/daemon/voice.c) keeps the state in the store and turns the
 * result into the provider's verbs, so a restart mid-call continues it.
 *
 * File format (INI-like, UTF-8, '#' comments):
 *
 *     start         = main          node every call begins at (required)
 *     district_node = district      where "info" asks for the district
 *     [main]                        node name: [a-z][a-z0-9_-]*
 *     prompt  = ivr.main            key in prompts/<lang>.txt (required)
 *     timeout = 6                   seconds to wait for a key (1-60)
 *     retries = 2                   re-prompts after a timeout or a wrong
 *                                   key before on_fail (0-9)
 *     on_fail = hangup              action after that (default hangup)
 *     1 = info loan -> answer       key = ACTION [ARG [ARG2]] [-> NODE]
 *
 * Keys are 0-9, * (or "star") and "hash" (a line starting with '#' is a
 * comment).  Actions:
 *     goto NODE            go to NODE (back returns here)
 *     info CATEGORY        speak the stakeholders of CATEGORY in the
 *                          caller's district (asks for it first)
 *     handler NAME [CAT]   speak what keyword handler NAME answers
 *     say KEY              speak prompt KEY
 *     district KEY         set the caller's district
 *     language TAG         set the caller's language
 *     sms                  send the last answer by SMS
 *     repeat               speak the last answer and the prompt again
 *     back                 return to the previous node
 *     connect NUMBER       put the caller through to NUMBER
 *     hangup               say goodbye and hang up
 * "-> NODE" moves to NODE after the action (back then returns here).
 * Every problem is reported as "FILE:LINE: message" and loading fails if
 * there was any.
 */
#ifndef SP_IVR_H
#define SP_IVR_H

#include <stddef.h>

struct buf;
struct district_table;
struct prompts;

#define IVR_NAME_MAX	32	/* node, district, category names */
#define IVR_STACK_MAX	8	/* back stack depth (oldest dropped) */
#define IVR_SAY_MAX	4

enum ivr_action {
	IVR_NONE,
	IVR_GOTO,
	IVR_INFO,
	IVR_HANDLER,
	IVR_SAY,
	IVR_DISTRICT,
	IVR_LANGUAGE,
	IVR_SMS,
	IVR_REPEAT,
	IVR_BACK,
	IVR_CONNECT,
	IVR_HANGUP,
};

enum ivr_input {
	IVR_IN_START,		/* the call begins */
	IVR_IN_DIGITS,		/* the caller pressed keys */
	IVR_IN_TIMEOUT,		/* no key before the timeout */
};

struct ivr_menu;

/* A caller's place in the menu; plain data, saved per call by the store. */
struct ivr_state {
	char	node[IVR_NAME_MAX];	/* "" before the call starts */
	char	back[IVR_STACK_MAX][IVR_NAME_MAX];
	int	nback;
	int	retries;		/* failed tries at this node */
	char	language[8];		/* "" for the default */
	char	district[IVR_NAME_MAX];	/* "" until known */
	char	pending[IVR_NAME_MAX];	/* category waiting for a district */
	char	pending_next[IVR_NAME_MAX];
};

/* What one step asks of the voice layer; strings owned by the menu. */
struct ivr_result {
	const char	*event;		/* "start" "digit" "invalid" "timeout"
					   "failed": for the log */
	const char	*from_node;	/* node the input was given at */
	const char	*say[IVR_SAY_MAX];	/* prompt keys, spoken first */
	size_t		 nsay;
	enum ivr_action	 action;	/* IVR_NONE, INFO, HANDLER, SMS, REPEAT,
					   CONNECT or HANGUP: to carry out */
	const char	*arg;		/* category / handler / number */
	const char	*arg2;		/* handler's category, or NULL */
	int		 gather;	/* then prompt and wait for a key */
	const char	*prompt;	/* the prompt key of state->node */
	int		 timeout_s;
	char		 arg_buf[IVR_NAME_MAX];	/* arg may point here: do
						   not copy the struct */
};

/* NULL on error, each problem appended to *errors as a line. */
struct ivr_menu *ivr_load(const char *path, struct buf *errors);
void	 ivr_free(struct ivr_menu *);

/*
 * Cross-check the menu against the catalogue and the districts: every
 * prompt and say key exists in English, every district and language is
 * known, every handler exists (handler_exists(name) is 1; NULL: not
 * checked).  Problems appended to *errors as lines; 0 or -1.
 */
int	 ivr_check(const struct ivr_menu *, const struct prompts *,
	    const struct district_table *, int (*handler_exists)(const char *),
	    struct buf *errors);

/*
 * One step: input (digits for IVR_IN_DIGITS; only the first key counts)
 * moves *st and fills *res.  A state whose node the menu no longer has
 * (after a reload) starts over.  Never fails.
 */
void	 ivr_step(const struct ivr_menu *, struct ivr_state *st,
	    enum ivr_input input, const char *digits, struct ivr_result *res);

/* The prompt key and timeout of a node: 1, or 0 if there is no such node. */
int	 ivr_node_prompt(const struct ivr_menu *, const char *node,
	    const char **prompt, int *timeout_s);

/* The back stack as "main/answer" and back (names are never empty). */
void	 ivr_state_back_string(const struct ivr_state *, char *out,
	    size_t outlen);
void	 ivr_state_set_back(struct ivr_state *, const char *s);

const char *ivr_action_name(enum ivr_action);

/* The fixed prompt keys the voice layer speaks. */
#define IVR_KEY_INVALID		"ivr.invalid"
#define IVR_KEY_NO_INPUT	"ivr.no_input"
#define IVR_KEY_GOODBYE		"ivr.goodbye"
#define IVR_KEY_CONNECTING	"ivr.connecting"
#define IVR_KEY_SMS_SENT	"ivr.sms_sent"
#define IVR_KEY_SMS_NOTHING	"ivr.sms_nothing"

#endif
