/*
 * provider: the interface every telecom provider adapter implements, the
 * helpers the adapters share, and the table that lists them.
 *
 * An adapter translates its wire format to Sampark's plain structs and
 * back, and nothing else: it never knows which keyword was sent, never
 * touches the store, and never includes libevent, so it is tested with
 * plain structs.  Nothing in this header names a provider.
 *
 * Adding a provider takes three files:
 *   - gateway/providers/provider_<name>.c: its SMS and voice functions and
 *     `const struct provider provider_<name>`, whose settings table is its
 *     whole [<name>] section of sampark.conf (PROVIDER_SETTINGS() and its
 *     own keys, read with provider_setting());
 *   - one line in provider_table.c (and its extern there);
 *   - tests/test_provider_<name>.c.
 * The Makefile builds what is in the folder; the runtime gives the config
 * the new section and resolves its settings and secrets; the new keys
 * need their rows in docs/configuration.md (test_config_doc says which).
 */
#ifndef SP_PROVIDER_H
#define SP_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "phone.h"
#include "records.h"

struct buf;
struct sp_call;
struct sp_voice_answer;
struct sp_voice_event;

/* A plain view of an HTTP request, filled by the HTTP layer. */
struct sp_request {
	const char	*method;	/* "GET", "POST", "HEAD", ... */
	const char	*uri;		/* path and query exactly as received */
	const char	*path;		/* decoded path, without the query */
	const char	*path_arg;	/* what follows /<kind>/<provider>/ in the
					   path (e.g. a URL token), or NULL */
	const char	*query;		/* the part after '?', or NULL */
	const char	*content_type;	/* NULL if absent */
	const char	*body;
	size_t		 body_len;
	/* Request header by name (case-insensitive), or NULL. */
	const char	*(*header)(const struct sp_request *, const char *name);
	void		*header_arg;
	int		 peer_loopback;	/* 1 if the TCP peer is a loopback
					   address (127/8, ::1) */
};

/* One setting of a provider's section: key without the section. */
struct provider_value {
	const char	*key;		/* "voice_url" */
	const char	*value;
};

/*
 * Settings of one provider, resolved by the runtime from the config (its
 * section "[<name>]", as its settings table says) and the environment.
 * Strings are never NULL ("" when unset) except the secrets, which come
 * from the environment and are NULL when missing.
 */
struct provider_conf {
	int		 enabled;
	const char	*name;		/* the provider's name */
	const char	*public_url;	/* base URL providers call, no trailing '/' */
	const char	*default_cc;	/* e.g. "91" */
	const char	*account_sid;	/* the account's id or user name */
	const char	*api_key;	/* an API key besides the token */
	const char	*api_base;	/* REST base URL, no trailing '/' */
	const char	*from;		/* sender number or DLT header */
	const char	*dlt_entity_id;
	const char	*dlt_template_id;
	const char	*sms_type;	/* transactional | ... | promotional */
	char		*auth_token;	/* secret: token / password */
	char		*url_token;	/* secret in webhook URLs (unsigned providers) */
	char		*webhook_key;	/* secret: webhook signing key */
	int		 reply_inline;	/* replies in the webhook answer */
	double		 rate;		/* messages per second, 0: no limit */
	int		 max_inflight;	/* most send requests at once */
	/* Names of the environment variables the secrets come from ("" when
	 * the provider has none), so that a warning can say what to set. */
	const char	*auth_token_env;
	const char	*url_token_env;
	const char	*webhook_key_env;
	/* Every key of its section as the config holds it (a boolean is
	 * "yes" or "no"), for the keys only one provider has; the fields
	 * above are the common ones, typed.  See provider_setting(). */
	const struct provider_value *values;
	size_t		 nvalues;
	/* Recorded prompts at public_url/audio/ are known to reach the
	 * provider (audio_public, over https): voice answers may play them.
	 * Otherwise a caller would hear silence where a file cannot be
	 * fetched, so the adapter speaks the prompt's text instead. */
	int		 audio_ok;
};


/* A message to send, as the sender hands it to an adapter. */
struct sp_outbound {
	int64_t		 id;		/* outbox id (e.g. for a custom field) */
	const char	*to;		/* E.164 */
	const char	*from;		/* sender number / header ("" for default) */
	const char	*body;		/* UTF-8 */
	int		 unicode;	/* 1 if the text needs UCS-2 */
	const char	*status_url;	/* where delivery reports go, or NULL */
	/* DLT (India): this text's template id and category, or NULL for
	 * the provider's configured ones. */
	const char	*dlt_template_id;
	const char	*sms_type;
};

/* The HTTP request an adapter wants made; the sender performs it. */
#define SP_CALL_MAX_HEADERS	6
struct sp_http_call {
	char		*url;		/* full URL */
	char		*userpwd;	/* "user:password" for Basic auth, or NULL */
	char		*headers[SP_CALL_MAX_HEADERS];	/* "Name: value" */
	size_t		 nheaders;
	struct buf	*body;		/* request body (POST) */
};
void	provider_http_call_clear(struct sp_http_call *);
void	provider_http_call_header(struct sp_http_call *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* What a send answer means. */
enum sp_send_outcome {
	SEND_ACCEPTED,		/* the provider took it: state "sent" */
	SEND_RETRY,		/* try again later (429, 5xx, ...) */
	SEND_FAILED,		/* permanent: never retry */
};

struct sp_send_result {
	enum sp_send_outcome outcome;
	char		 provider_id[128];	/* when accepted */
	char		 error_code[64];	/* provider's code, verbatim */
	char		 error_message[256];
};


/* A delivery report. */
struct sp_status_update {
	char		 provider_id[128];
	enum msg_state state;	/* MSG_SENT .. MSG_FAILED */
	char		 raw_status[64];	/* the provider's word, verbatim */
	char		 error_code[64];	/* verbatim, "" if none */
	char		 reason[128];	/* our reading of the code, "" if none */
};

struct provider {
	const char	*name;
	/*
	 * Its section of sampark.conf: every row named "<name>.<key>", with
	 * defaults (the environment variables of its secrets, its API's base
	 * URL) and help.  Usually PROVIDER_SETTINGS() and its own keys.
	 */
	const struct config_directive *settings;
	size_t		 nsettings;
	/*
	 * Verify and parse an inbound SMS webhook into *in.  Returns 0, or the
	 * HTTP status to answer (400 malformed, 403 bad signature, 405 wrong
	 * method, 415 wrong content type) with a reason in err; *in is then
	 * cleared.
	 */
	int		(*parse_sms)(const struct provider_conf *,
			    const struct sp_request *, struct inbound_msg *in,
			    char *err, size_t errlen);
	/*
	 * The webhook answer to inbound message in, carrying texts[0..n) as
	 * replies (n may be 0: the answer that says "no reply"; in is then
	 * possibly NULL, e.g. for a HEAD request).  Sets *content_type to a
	 * static string.  0, or -1 if the body cap would be passed.
	 */
	int		(*render_sms_reply)(const struct provider_conf *,
			    const struct inbound_msg *in, char *const *texts,
			    size_t n, struct buf *out,
			    const char **content_type);
	/*
	 * Where replies go when <name>.reply_mode is not set: "api" for a
	 * provider whose webhook answer cannot carry DLT template ids while
	 * its messages travel Indian routes (the operator would drop them);
	 * NULL: "inline".
	 */
	const char	*reply_mode_default;
	/*
	 * What is wrong with the settings of the enabled provider (optional;
	 * provider_check() is the caller): one line each, ending in '\n',
	 * into problems what stops it from working at all (a secret missing:
	 * the line names the environment variable to set), into warnings what
	 * only limits it.  Whether it can send is provider_check's business.
	 */
	void		(*check_conf)(const struct provider_conf *,
			    struct buf *problems, struct buf *warnings);

	/*
	 * Outbound (all optional: a provider without build_send cannot send).
	 * build_send fills *call for msg; 0, or -1 with err (the message then
	 * fails: e.g. settings missing).
	 */
	int		(*build_send)(const struct provider_conf *,
			    const struct sp_outbound *msg,
			    struct sp_http_call *call, char *err, size_t errlen);
	/*
	 * Read the provider's answer to a send.  http_status is 0 when no
	 * answer came (connection error or timeout).  Adapters only need to
	 * extract ids and error codes: provider_classify_send() applies the
	 * common rule (2xx accepted, 429/5xx/0 retry, other 4xx failed) first
	 * and adapters may refine it.
	 */
	void		(*parse_send)(const struct provider_conf *,
			    long http_status, const char *body, size_t len,
			    struct sp_send_result *res);
	/*
	 * A delivery-report webhook (POST /status/<provider>): verify it and
	 * read it.  Returns 0, or the HTTP status to answer with err.
	 */
	int		(*parse_status)(const struct provider_conf *,
			    const struct sp_request *,
			    struct sp_status_update *up, char *err,
			    size_t errlen);

	/*
	 * Voice (all optional; the structs are in provider_voice.h).
	 * parse_voice verifies and reads a /voice/<provider> webhook: 0, or
	 * the HTTP status to answer with err.  render_voice writes the
	 * answer in the provider's language and sets *content_type and
	 * *http_status (Exotel's Passthru branches on it): 0, or -1 if the
	 * body cap would be passed.  build_call fills *call to place an
	 * outbound call (a missed-call callback): 0, or -1 with err.
	 */
	int		(*parse_voice)(const struct provider_conf *,
			    const struct sp_request *,
			    struct sp_voice_event *ev, char *err,
			    size_t errlen);
	int		(*render_voice)(const struct provider_conf *,
			    const struct sp_voice_answer *ans, struct buf *out,
			    const char **content_type, int *http_status);
	int		(*build_call)(const struct provider_conf *,
			    const struct sp_call *c, struct sp_http_call *call,
			    char *err, size_t errlen);
};

/*
 * The settings of a provider that sends through a REST API, as rows of its
 * settings table.  p is its name; env the prefix of the environment
 * variables its secrets come from by default ("SAMPARK_X" gives
 * SAMPARK_X_AUTH_TOKEN, SAMPARK_X_URL_TOKEN and SAMPARK_X_WEBHOOK_KEY);
 * api the base URL of its API; account what the provider calls the
 * account id.  Secrets are never values here: the *_env keys name the
 * variables that hold them.
 */
#define PROVIDER_SETTINGS(p, env, api, account)				\
	CONFIG_D_BOOL(p ".enabled", "no", p ": accept its webhooks and " \
	    "send through it"),						\
	CONFIG_D_STR(p ".account_sid", "", p ": account id (" account ")"),\
	CONFIG_D_STR(p ".api_key", "", p ": API key, where its API takes " \
	    "one besides the token"),					\
	CONFIG_D_STR(p ".auth_token_env", env "_AUTH_TOKEN", p ": "	\
	    "environment variable holding the auth token / API token / " \
	    "password"),						\
	CONFIG_D_STR(p ".url_token_env", env "_URL_TOKEN", p ": "	\
	    "environment variable holding the secret token in webhook "	\
	    "URLs of providers that sign nothing"),			\
	CONFIG_D_STR(p ".webhook_key_env", env "_WEBHOOK_KEY", p ": "	\
	    "environment variable holding a webhook signing key"),	\
	CONFIG_D_STR(p ".api_base", api, p ": base URL of its REST API"),\
	CONFIG_D_STR(p ".from", "", p ": sender number or DLT header"),	\
	CONFIG_D_STR(p ".dlt_entity_id", "", p ": India DLT principal "	\
	    "entity id"),						\
	CONFIG_D_STR(p ".dlt_template_id", "", p ": India DLT template id "\
	    "for replies"),						\
	CONFIG_D_ENUM(p ".sms_type", "transactional",			\
	    "transactional|transactional_opt_in|promotional",		\
	    p ": DLT message category of replies"),			\
	CONFIG_D_STR(p ".reply_mode", "", p ": inline (replies in the "	\
	    "webhook answer, where the provider allows it) or api (sent "\
	    "through its API, with their DLT template ids); empty: the "\
	    "provider's default (api where its answer cannot carry DLT ids)"),\
	CONFIG_D_ENUM(p ".reply", "inline", "inline|outbox", p ": the "	\
	    "older name of reply_mode (outbox is api), read only when "	\
	    "reply_mode is not set"),					\
	CONFIG_D_STR(p ".rate", "1", p ": messages per second (0: no "	\
	    "limit)"),							\
	CONFIG_D_INT(p ".max_inflight", "4", 1, 1000, p ": most send "	\
	    "requests at once")

/* NULL-terminated table of every provider Sampark knows, the only list of
 * them (provider_table.c). */
extern const struct provider *const provider_table[];

/* By name, or NULL. */
const struct provider *provider_find(const char *name);

/* Helpers shared by the adapters. */
struct form;

/*
 * The value of key ("voice_url") in conf's section (conf->values), ""
 * when the provider has no such key; provider_setting_bool: 1 if it is
 * "yes".
 */
const char *provider_setting(const struct provider_conf *, const char *key);
int	provider_setting_bool(const struct provider_conf *, const char *key);

/* qsort() order of form fields (elements are const struct form_field *):
 * by name, then by value, bytewise, as signatures sort them. */
int	provider_field_cmp(const void *a, const void *b);

/* First value of a field that must be present and non-empty, else NULL. */
const char *provider_required(const struct form *, const char *name);

/*
 * Fill *in from wire values: checks that body is valid UTF-8 and that from
 * (and to, when given) are phone numbers, normalised to E.164 with the
 * default country.  msg_id and to may be NULL.  Returns 0, or 400 with err.
 */
int	provider_fill_inbound(const struct provider_conf *, const char *from,
	    const char *to, const char *body, const char *msg_id,
	    struct inbound_msg *in, char *err, size_t errlen);

/*
 * The inbound SMS of a form webhook with the usual names: From and Body
 * (both required, Body may be empty), To, and id_field for the
 * provider's message id.  Returns 0, or 400 with err.
 */
int	provider_form_inbound(const struct provider_conf *,
	    const struct form *f, const char *id_field,
	    struct inbound_msg *in, char *err, size_t errlen);

/*
 * Parse a form-encoded POST body (the common webhook shape).  Returns 0,
 * 405 if the method is not POST, 415 if the content type is not a form,
 * 400 if the body does not parse.  Call form_free() on *f in every case.
 */
int	provider_parse_form_post(const struct sp_request *, struct form *f,
	    char *err, size_t errlen);

/*
 * The URL the provider called, as signatures cover it: public_url and the
 * path and query as received (behind a proxy, Host says nothing true).
 * Caller frees.
 */
char	*provider_public_url(const struct provider_conf *,
	    const struct sp_request *);

/*
 * A webhook's parameters wherever they are: the query of a GET, the form
 * body of anything else (answers as provider_parse_form_post).  Call
 * form_free() on *f in every case.
 */
int	provider_parse_params(const struct sp_request *, struct form *f,
	    char *err, size_t errlen);

/*
 * Can p send with settings conf?  The adapter's own build_send decides,
 * asked to build a request for a sample message (nothing is sent).  1 if
 * it can (also a provider that delivers locally, without build_send), 0
 * with what is missing in why.
 */
int	provider_can_send(const struct provider *p,
	    const struct provider_conf *conf, char *why, size_t whylen);

/*
 * Everything wrong with enabled provider p's settings, as check_conf
 * describes, plus a warning when it cannot send (provider_can_send),
 * unless a problem already says why.
 */
void	provider_check(const struct provider *p,
	    const struct provider_conf *conf, struct buf *problems,
	    struct buf *warnings);

/* env, or a stand-in for messages when no variable is named. */
const char *provider_env_name(const char *env);

/* The common reading of a send answer (see parse_send). */
void	provider_classify_send(long http_status, struct sp_send_result *);

/*
 * After parse_send: a failed send whose answer the adapter could not read
 * (an RFC 9457 problem document, a proxy's error page, another provider's
 * JSON) still says why.  When res->error_message is empty or only the
 * bare "HTTP <status>", it becomes "HTTP <status>: <why>", where why is
 * the body's JSON "title", "detail", "message" or "error" member, or else
 * its first line of text, without control characters.  Accepted sends
 * and messages the adapter wrote are left alone.
 */
void	provider_explain_failure(long http_status, const char *body,
	    size_t len, struct sp_send_result *);

/*
 * A JSON string or integer as text, into out (cut to outlen - 1 bytes):
 * 0, or -1 with out "" for anything else (v NULL included).
 */
struct json_t;
int	provider_json_text(const struct json_t *v, char *out, size_t outlen);

/*
 * Check the secret token of an unsigned provider's webhook: given as the
 * path element after the provider ("/sms/exotel/<token>", req->path_arg)
 * or as the query parameter "token".  Constant time.  Returns 0 if it
 * matches conf->url_token, else 403 with err (also when no token is
 * configured: an unsigned webhook without a token is never accepted).
 */
int	provider_check_url_token(const struct provider_conf *,
	    const struct sp_request *, char *err, size_t errlen);

#endif
