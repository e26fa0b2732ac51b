/*
 * provider: the interface every telecom provider adapter implements, and
 * the table that lists them.
 *
 * An adapter translates its wire format to Sampark's plain structs and
 * back, and nothing else: it never knows which keyword was sent, never
 * touches the store, and never includes libevent, so it is tested with
 * plain structs.  Adding a provider = one provider_<name>.c exporting a
 * const struct provider, plus one line in provider_table (provider.c).
 */
#ifndef SP_PROVIDER_H
#define SP_PROVIDER_H

#include <stddef.h>

#include "phone.h"

struct buf;

/* A plain view of an HTTP request, filled by the HTTP layer. */
struct sp_request {
	const char	*method;	/* "GET", "POST", "HEAD", ... */
	const char	*uri;		/* path and query exactly as received */
	const char	*path;		/* decoded path, without the query */
	const char	*query;		/* the part after '?', or NULL */
	const char	*content_type;	/* NULL if absent */
	const char	*body;
	size_t		 body_len;
	/* Request header by name (case-insensitive), or NULL. */
	const char	*(*header)(const struct sp_request *, const char *name);
	void		*header_arg;
};

/* Settings of one provider, resolved from the config by the daemon. */
struct provider_conf {
	int		 enabled;
	const char	*public_url;	/* base URL providers call, no trailing '/' */
	const char	*default_cc;	/* e.g. "91" */
	const char	*account_sid;	/* Twilio AccountSid we expect, or "" */
	char		*auth_token;	/* secret from the environment, or NULL */
	int		 reply_inline;	/* replies in the webhook answer */
};

/* An inbound SMS as Sampark sees it; all strings owned, UTF-8, E.164. */
struct sp_inbound {
	char		*provider_msg_id;	/* NULL when the provider sends none */
	char		 from[PHONE_E164_MAX + 1];
	char		 to[PHONE_E164_MAX + 1];	/* "" when unknown */
	char		*body;
};

void	sp_inbound_clear(struct sp_inbound *);

struct provider {
	const char	*name;
	/*
	 * Verify and parse an inbound SMS webhook into *in.  Returns 0, or the
	 * HTTP status to answer (400 malformed, 403 bad signature, 405 wrong
	 * method, 415 wrong content type) with a reason in err; *in is then
	 * cleared.
	 */
	int		(*parse_sms)(const struct provider_conf *,
			    const struct sp_request *, struct sp_inbound *in,
			    char *err, size_t errlen);
	/*
	 * The webhook answer that carries texts[0..n) as replies (n may be 0).
	 * Sets *content_type to a static string.  0, or -1 if the body cap
	 * would be passed.
	 */
	int		(*render_sms_reply)(const struct provider_conf *,
			    char *const *texts, size_t n, struct buf *out,
			    const char **content_type);
	/* Log once at start-up what is missing from the settings (optional). */
	void		(*check_conf)(const struct provider_conf *);
};

extern const struct provider provider_console;
extern const struct provider provider_twilio;

/* NULL-terminated table of every provider Sampark knows. */
extern const struct provider *const provider_table[];

/* By name, or NULL. */
const struct provider *provider_find(const char *name);

/* Helpers shared by the adapters. */
struct form;

/* First value of a field that must be present and non-empty, else NULL. */
const char *provider_required(const struct form *, const char *name);

/*
 * Fill *in from wire values: checks that body is valid UTF-8 and that from
 * (and to, when given) are phone numbers, normalised to E.164 with the
 * default country.  msg_id and to may be NULL.  Returns 0, or 400 with err.
 */
int	provider_fill_inbound(const struct provider_conf *, const char *from,
	    const char *to, const char *body, const char *msg_id,
	    struct sp_inbound *in, char *err, size_t errlen);

/*
 * Parse a form-encoded POST body (the common webhook shape).  Returns 0,
 * 405 if the method is not POST, 415 if the content type is not a form,
 * 400 if the body does not parse.  Call form_free() on *f in every case.
 */
int	provider_parse_form_post(const struct sp_request *, struct form *f,
	    char *err, size_t errlen);

#endif
