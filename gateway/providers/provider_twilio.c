/*
 * provider_twilio: Twilio.  Inbound SMS webhooks answered with TwiML;
 * sending through the Messages REST resource; delivery reports; voice
 * webhooks (providers.md §1.4) answered with TwiML voice verbs (§1.5);
 * outbound calls through the Calls resource for missed-call callbacks.
 *
 * Every webhook (inbound SMS, status callback, voice) must carry a valid
 * X-Twilio-Signature computed over the public URL (config public_url + the
 * path and query as received), since the daemon usually sits behind a
 * proxy that rewrites Host and scheme.  Without an auth token every
 * webhook is refused: an unsigned gateway on the internet would let anyone
 * make it send SMS, or forge delivery reports.  When no key is pressed
 * Twilio falls through to the verb after <Gather>: a <Redirect> back to
 * us, which is how a timeout reaches the menu.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto.h"
#include "form.h"
#include "log.h"
#include "provider.h"
#include "provider_twilio.h"
#include "provider_voice.h"
#include "util.h"

#define TWILIO_API_BASE	"https://api.twilio.com"
#define TWIML_HEAD	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

/* ---- signature ---- */

static void
signing_string(const char *url, const struct form *params, struct buf *s)
{
	const struct form_field **sorted;
	size_t i, n = params != NULL ? params->n : 0;

	buf_puts(s, url);
	if (n == 0)
		return;
	sorted = xreallocarray(NULL, n, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = &params->fields[i];
	qsort(sorted, n, sizeof(*sorted), provider_field_cmp);
	for (i = 0; i < n; i++) {
		/* A repeated name=value pair is signed once. */
		if (i > 0 && provider_field_cmp(&sorted[i - 1], &sorted[i]) == 0)
			continue;
		buf_puts(s, sorted[i]->name);
		buf_puts(s, sorted[i]->value);
	}
	free(sorted);
}

void
provider_twilio_signature(const char *auth_token, const char *url,
    const struct form *params, char out[CRYPTO_SHA1_B64_LEN + 1])
{
	struct buf s;

	buf_init(&s, 0);
	signing_string(url, params, &s);
	crypto_hmac_sha1_b64(auth_token, strlen(auth_token), buf_cstr(&s),
	    s.len, out);
	buf_free(&s);
}

/*
 * The URL variants Twilio may have signed: as given, without the port, and
 * with the scheme's default port.  Returns how many were written to v[].
 */
static size_t
url_variants(const char *url, char *v[3])
{
	const char *host, *hostend, *port = NULL, *p;
	size_t n = 0;
	int https;

	v[n++] = xstrdup(url);
	if ((p = strstr(url, "://")) == NULL)
		return n;
	https = strncmp(url, "https", 5) == 0;
	host = p + 3;
	hostend = host + strcspn(host, "/?#");
	for (p = host; p < hostend; p++)
		if (*p == ':')
			port = p;
	if (port != NULL)
		v[n++] = xasprintf("%.*s%s", (int)(port - url), url, hostend);
	else
		v[n++] = xasprintf("%.*s:%s%s", (int)(hostend - url), url,
		    https ? "443" : "80", hostend);
	return n;
}

int
provider_twilio_signature_valid(const char *auth_token, const char *sig,
    const char *url, const struct form *params)
{
	char *v[3], expect[CRYPTO_SHA1_B64_LEN + 1];
	size_t i, n;
	int ok = 0;

	if (auth_token == NULL || sig == NULL)
		return 0;
	n = url_variants(url, v);
	for (i = 0; i < n; i++) {
		provider_twilio_signature(auth_token, v[i], params, expect);
		ok |= crypto_str_equal(expect, sig);
		free(v[i]);
	}
	return ok;
}

int
provider_twilio_signature_valid_body(const char *auth_token, const char *sig,
    const char *url, const char *body, size_t len)
{
	char hex[CRYPTO_SHA256_HEX_LEN + 1];
	const char *q = strchr(url, '?');
	struct form query;
	const char *claimed;
	int ok;

	if (q == NULL || form_parse(q + 1, strlen(q + 1), &query, NULL, 0)) {
		if (q != NULL)
			form_free(&query);
		return 0;
	}
	claimed = form_get(&query, "bodySHA256");
	crypto_sha256_hex(body, len, hex);
	ok = claimed != NULL && crypto_str_equal(hex, claimed) &&
	    provider_twilio_signature_valid(auth_token, sig, url, NULL);
	form_free(&query);
	return ok;
}

/*
 * Check that Twilio signed the request for our public URL and our account.
 * f holds the request's parameters; signed_params those the signature
 * covers besides the URL (NULL for a GET: its query is in the URL).
 * Returns 0, or 403 with err.
 */
static int
twilio_check(const struct provider_conf *conf, const struct sp_request *req,
    const struct form *f, const struct form *signed_params, char *err,
    size_t errlen)
{
	const char *sig, *account;
	char *url;
	int ok;

	if (conf->auth_token == NULL || *conf->auth_token == '\0') {
		util_err(err, errlen, "no twilio auth token configured");
		return 403;
	}
	sig = req->header(req, "X-Twilio-Signature");
	url = provider_public_url(conf, req);
	ok = sig != NULL && provider_twilio_signature_valid(conf->auth_token, sig, url,
	    signed_params);
	free(url);
	if (!ok) {
		util_err(err, errlen, "%s X-Twilio-Signature",
		    sig == NULL ? "missing" : "invalid");
		return 403;
	}
	account = form_get(f, "AccountSid");
	if (conf->account_sid != NULL && *conf->account_sid != '\0' &&
	    (account == NULL || strcmp(account, conf->account_sid) != 0)) {
		util_err(err, errlen, "AccountSid is not ours");
		return 403;
	}
	return 0;
}

/*
 * Parse a form POST from Twilio into *f and check that Twilio signed it.
 * Returns 0, or the HTTP status to answer with err.  Call form_free() on
 * *f in every case.
 */
static int
twilio_signed_form(const struct provider_conf *conf,
    const struct sp_request *req, struct form *f, char *err, size_t errlen)
{
	int status;

	if ((status = provider_parse_form_post(req, f, err, errlen)) != 0)
		return status;
	return twilio_check(conf, req, f, f, err, errlen);
}

/* ---- inbound SMS ---- */

static int
twilio_parse_sms(const struct provider_conf *conf,
    const struct sp_request *req, struct inbound_msg *in, char *err,
    size_t errlen)
{
	struct form f;
	int status;

	memset(in, 0, sizeof(*in));
	if ((status = twilio_signed_form(conf, req, &f, err, errlen)) != 0)
		goto out;
	status = provider_form_inbound(conf, &f, "MessageSid", in, err, errlen);
	in->reply_inline_ok = 1;
out:
	form_free(&f);
	return status;
}

static int
twilio_render_sms_reply(const struct provider_conf *conf,
    const struct inbound_msg *in, char *const *texts, size_t n, struct buf *out, const char **content_type)
{
	size_t i;

	(void)conf;
	(void)in;
	*content_type = "text/xml; charset=utf-8";
	if (n == 0)
		return buf_puts(out, TWIML_HEAD "<Response/>");
	if (buf_puts(out, TWIML_HEAD "<Response>") == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (buf_puts(out, "<Message>") == -1 ||
		    buf_xml_escape(out, texts[i]) == -1 ||
		    buf_puts(out, "</Message>") == -1)
			return -1;
	return buf_puts(out, "</Response>");
}

/* ---- sending (providers.md §1.6) ---- */

/* Twilio SIDs are two letters and 32 hex digits; we only ask for alnum so
 * that the SID can go into the URL path unescaped. */
static int
sid_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * Make *call the POST of body (form-encoded; encoding_failed says whether
 * a field did not fit) to resource ("Messages", "Calls") of the account.
 * Takes body.  0, or -1 with err.
 */
static int
twilio_request(const struct provider_conf *conf, const char *resource,
    struct buf *body, int encoding_failed, struct sp_http_call *call,
    char *err, size_t errlen)
{
	const char *base = conf->api_base != NULL && *conf->api_base != '\0' ?
	    conf->api_base : TWILIO_API_BASE;

	if (encoding_failed) {
		buf_free(body);
		free(body);
		util_err(err, errlen, "cannot encode the request");
		return -1;
	}
	call->url = xasprintf("%s/2010-04-01/Accounts/%s/%s.json", base,
	    conf->account_sid, resource);
	call->userpwd = xasprintf("%s:%s", conf->account_sid,
	    conf->auth_token);
	call->body = body;
	provider_http_call_header(call,
	    "Content-Type: application/x-www-form-urlencoded");
	provider_http_call_header(call, "Accept: application/json");
	return 0;
}

static int
twilio_build_send(const struct provider_conf *conf,
    const struct sp_outbound *msg, struct sp_http_call *call, char *err,
    size_t errlen)
{
	const char *from;
	struct buf *body;
	int rc = 0;

	memset(call, 0, sizeof(*call));
	from = msg->from != NULL && *msg->from != '\0' ? msg->from : conf->from;
	if (!sid_ok(conf->account_sid)) {
		util_err(err, errlen, "twilio.account_sid is %s",
		    conf->account_sid == NULL || *conf->account_sid == '\0' ?
		    "not set" : "not a SID");
		return -1;
	}
	if (conf->auth_token == NULL || *conf->auth_token == '\0') {
		util_err(err, errlen, "no auth token: set the environment "
		    "variable %s", provider_env_name(conf->auth_token_env));
		return -1;
	}
	if (from == NULL || *from == '\0') {
		util_err(err, errlen, "no sender: set twilio.from");
		return -1;
	}
	if (msg->to == NULL || *msg->to == '\0' || msg->body == NULL) {
		util_err(err, errlen, "message has no destination or text");
		return -1;
	}

	body = xmalloc(sizeof(*body));
	buf_init(body, 0);
	rc |= form_encode_pair(body, "To", msg->to);
	/* A Messaging Service picks the sender itself. */
	rc |= form_encode_pair(body, strncmp(from, "MG", 2) == 0 ?
	    "MessagingServiceSid" : "From", from);
	rc |= form_encode_pair(body, "Body", msg->body);
	if (msg->status_url != NULL && *msg->status_url != '\0')
		rc |= form_encode_pair(body, "StatusCallback", msg->status_url);
	return twilio_request(conf, "Messages", body, rc, call, err, errlen);
}

/*
 * Not a JSON object (a proxy's HTML error page): the HTTP status says it
 * all.  A member given twice makes the answer unreadable, not one of its
 * values.
 */
static void
twilio_parse_send(const struct provider_conf *conf, long http_status,
    const char *body, size_t len, struct sp_send_result *res)
{
	json_t *root;

	(void)conf;
	provider_classify_send(http_status, res);
	if (body == NULL || len == 0 || (root = json_loadb(body, len,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return;
	if (json_is_object(root) && res->outcome == SEND_ACCEPTED)
		provider_json_text(json_object_get(root, "sid"),
		    res->provider_id, sizeof(res->provider_id));
	else if (json_is_object(root)) {
		provider_json_text(json_object_get(root, "code"),
		    res->error_code, sizeof(res->error_code));
		provider_json_text(json_object_get(root, "message"),
		    res->error_message, sizeof(res->error_message));
		/* Too many concurrent requests: never processed, safe to
		 * send again later whatever the HTTP status said. */
		if (strcmp(res->error_code, "20429") == 0)
			res->outcome = SEND_RETRY;
	}
	json_decref(root);
}

/* ---- delivery reports (providers.md §1.7) ---- */

static const struct {
	const char		*word;
	enum msg_state	 state;
} twilio_states[] = {
	{ "queued",		MSG_SENT },
	{ "accepted",		MSG_SENT },
	{ "scheduled",		MSG_SENT },
	{ "sending",		MSG_SENT },
	{ "sent",		MSG_SENT },
	/* Not final: the final word may still come. */
	{ "partially_delivered", MSG_SENT },
	{ "delivered",		MSG_DELIVERED },
	{ "read",		MSG_DELIVERED },
	{ "undelivered",	MSG_UNDELIVERED },
	{ "failed",		MSG_FAILED },
	{ "canceled",		MSG_FAILED },
};

/* Our reading of the error codes we expect to meet (providers.md §1.6-7). */
static const struct {
	const char	*code;
	const char	*reason;
} twilio_reasons[] = {
	{ "21211",	"invalid To number" },
	{ "21602",	"message body required" },
	{ "21610",	"recipient opted out (STOP)" },
	{ "21611",	"sender queue over 10 hours" },
	{ "21614",	"To is not a mobile number" },
	{ "21901",	"DLT template id invalid" },
	{ "30001",	"queue overflow" },
	{ "30003",	"unreachable handset" },
	{ "30005",	"unknown destination" },
	{ "30006",	"landline or unreachable carrier" },
	{ "30007",	"filtered by carrier" },
	{ "30008",	"unknown error" },
	{ "63017",	"account rate limit" },
};

/* Printable ASCII without spaces, at most max bytes: ids and codes. */
static int
word_ok(const char *s, size_t max)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (n == max || *s <= ' ' || *s > '~')
			return 0;
	return 1;
}

static int
twilio_parse_status(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_status_update *up, char *err,
    size_t errlen)
{
	struct form f;
	const char *sid, *status, *code;
	size_t i;
	int rc;

	memset(up, 0, sizeof(*up));
	if ((rc = twilio_signed_form(conf, req, &f, err, errlen)) != 0)
		goto out;
	rc = 400;
	if ((sid = provider_required(&f, "MessageSid")) == NULL)
		sid = provider_required(&f, "SmsSid");
	if ((status = provider_required(&f, "MessageStatus")) == NULL)
		status = provider_required(&f, "SmsStatus");
	if (sid == NULL || status == NULL) {
		util_err(err, errlen, "MessageSid and MessageStatus are required");
		goto out;
	}
	if (!word_ok(sid, sizeof(up->provider_id) - 1)) {
		util_err(err, errlen, "bad MessageSid");
		goto out;
	}
	code = form_get(&f, "ErrorCode");
	if (code != NULL && !word_ok(code, sizeof(up->error_code) - 1)) {
		util_err(err, errlen, "bad ErrorCode");
		goto out;
	}
	for (i = 0; i < SP_ARRAY_LEN(twilio_states); i++)
		if (strcmp(status, twilio_states[i].word) == 0)
			break;
	if (i == SP_ARRAY_LEN(twilio_states)) {
		/* receiving/received belong to inbound messages. */
		util_err(err, errlen, "MessageStatus %.32s is not a delivery "
		    "state", word_ok(status, 32) ? status : "?");
		goto out;
	}
	up->state = twilio_states[i].state;
	util_strlcpy(up->provider_id, sid, sizeof(up->provider_id));
	util_strlcpy(up->raw_status, status, sizeof(up->raw_status));
	if (code != NULL && *code != '\0') {
		util_strlcpy(up->error_code, code, sizeof(up->error_code));
		for (i = 0; i < SP_ARRAY_LEN(twilio_reasons); i++)
			if (strcmp(code, twilio_reasons[i].code) == 0)
				util_strlcpy(up->reason, twilio_reasons[i].reason,
				    sizeof(up->reason));
	}
	rc = 0;
out:
	if (rc != 0)
		memset(up, 0, sizeof(*up));
	form_free(&f);
	return rc;
}

/* ---- voice (providers.md §1.4-1.5) ---- */

/* outbound-api, outbound-dial: calls we placed. */
static const struct provider_voice_form twilio_voice_form = {
	.call_id = "CallSid",
	.duration = "CallDuration",	/* status callbacks (providers.md §1.4) */
	.outbound = "outbound",
	.outbound_prefix = 1,
	.check = twilio_check,
};

static int
twilio_parse_voice(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_voice_event *ev, char *err,
    size_t errlen)
{
	return provider_voice_parse_form(conf, &twilio_voice_form, req, ev,
	    err, errlen);
}

static int
twiml_gather_open(struct buf *out, const struct sp_voice_answer *ans)
{
	/* finishOnKey="": '#' is a menu key, not the end of input. */
	return buf_printf(out, "<Gather input=\"dtmf\" numDigits=\"%d\" "
	    "timeout=\"%d\" finishOnKey=\"\" method=\"POST\" "
	    "language=\"%s\" action=\"",
	    ans->num_digits > 0 ? ans->num_digits : 1,
	    ans->timeout_s > 0 ? ans->timeout_s : 5,
	    provider_voice_lang_tag(ans->lang));
}

static const struct provider_voice_xml twiml = {
	.content_type = "text/xml; charset=utf-8",
	.head = TWIML_HEAD,
	.reject_busy = "<Reject reason=\"busy\"/>",
	.gather_open = twiml_gather_open,
	.gather_close = "</Gather>",
	.say_open = "<Say language=\"%s\">",
	.say_close = "</Say>",
	.dial_open = "<Dial>",
	.dial_close = "</Dial>",
};

static int
twilio_render_voice(const struct provider_conf *conf,
    const struct sp_voice_answer *ans, struct buf *out,
    const char **content_type, int *http_status)
{
	return provider_voice_render_xml(conf, &twiml, ans, out, content_type,
	    http_status);
}

static int
twilio_build_call(const struct provider_conf *conf, const struct sp_call *c,
    struct sp_http_call *call, char *err, size_t errlen)
{
	const char *from = c->from != NULL && *c->from != '\0' ? c->from :
	    conf->from;
	struct buf *body;
	int rc = 0;

	memset(call, 0, sizeof(*call));
	if (!sid_ok(conf->account_sid) || conf->auth_token == NULL ||
	    *conf->auth_token == '\0') {
		util_err(err, errlen, "twilio account_sid or auth token not "
		    "configured");
		return -1;
	}
	if (from == NULL || *from == '\0' || strncmp(from, "MG", 2) == 0) {
		util_err(err, errlen, "no caller number: set twilio.from to a "
		    "voice number");
		return -1;
	}
	if (c->to == NULL || *c->to == '\0' || c->answer_url == NULL) {
		util_err(err, errlen, "call has no destination or answer URL");
		return -1;
	}
	body = xmalloc(sizeof(*body));
	buf_init(body, 0);
	rc |= form_encode_pair(body, "To", c->to);
	rc |= form_encode_pair(body, "From", from);
	rc |= form_encode_pair(body, "Url", c->answer_url);
	rc |= form_encode_pair(body, "Method", "POST");
	if (c->status_url != NULL && *c->status_url != '\0')
		rc |= form_encode_pair(body, "StatusCallback", c->status_url);
	return twilio_request(conf, "Calls", body, rc, call, err, errlen);
}

static void
twilio_check_conf(const struct provider_conf *conf, struct buf *problems,
    struct buf *warnings)
{
	if (conf->auth_token == NULL || *conf->auth_token == '\0')
		buf_printf(problems, "no auth token: set the environment "
		    "variable %s (until then every Twilio webhook is refused "
		    "with 403 and nothing is sent)\n",
		    provider_env_name(conf->auth_token_env));
	if (conf->public_url == NULL || *conf->public_url == '\0')
		buf_puts(warnings, "public_url not set: signatures are checked "
		    "against the Host header\n");
}

static const struct config_directive twilio_settings[] = {
	PROVIDER_SETTINGS("twilio", "SAMPARK_TWILIO", TWILIO_API_BASE,
	    "AccountSid"),
};

const struct provider provider_twilio = {
	.name = "twilio",
	.settings = twilio_settings,
	.nsettings = SP_ARRAY_LEN(twilio_settings),
	.parse_sms = twilio_parse_sms,
	.render_sms_reply = twilio_render_sms_reply,
	.check_conf = twilio_check_conf,
	.build_send = twilio_build_send,
	.parse_send = twilio_parse_send,
	.parse_status = twilio_parse_status,
	.parse_voice = twilio_parse_voice,
	.render_voice = twilio_render_voice,
	.build_call = twilio_build_call,
};
