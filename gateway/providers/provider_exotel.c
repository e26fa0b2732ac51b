/*
 * provider_exotel: Exotel (India).  SMS: inbound webhooks in both of the
 * shapes Exotel uses, the Sms/send REST call, and delivery reports.
 * Voice: its call flows, and outbound calls (Calls/connect) for
 * missed-call callbacks.
 *
 * Exotel signs nothing, so every webhook (inbound, status, voice) must
 * carry the secret URL token (/sms/exotel/<token> or ?token=<token>);
 * without a configured token every webhook is refused.  The token check
 * comes first so that a stranger learns nothing about what else we would
 * accept.
 *
 * Inbound comes in two generations:
 *   - classic "Send a Reply" applet: GET with SmsSid, From (national form,
 *     "09052161119"), To (often a short code), Date, Body in the query; the
 *     answer's text/plain body is sent back as the reply;
 *   - current "Incoming SMS": POST application/json with SmsSid, Sender,
 *     ReceivedOn, MessageBody; nothing in the answer is sent, so replies
 *     go through the outbox.
 * Delivery reports are mapped on the Status word and explained from the
 * DetailedStatus text, never from DetailedStatusCode: Exotel's own pages
 * number the same conditions differently (23082 vs 30001), so the code is
 * only stored verbatim.
 *
 * Voice (providers.md §2.4): Exotel runs the call from a flow built in
 * its dashboard, and asks us two kinds of question, both GET with the
 * call in the query:
 *   - a Gather applet with a dynamic URL (/voice/exotel/<token>?ev=prompt)
 *     fetches what to say and how many keys to take: a JSON answer;
 *   - a Passthru applet after it (/voice/exotel/<token>?ev=menu) brings
 *     the keys ("digits", wrapped in double quotes); our HTTP status picks
 *     the branch: 200 back to the Gather applet (the menu goes on), 302 to
 *     the flow's Hangup applet (the call is over, or a missed call).
 * So on Exotel what a key leads to is spoken by the next Gather fetch;
 * voice.c keeps it in the call's state until then.  A connect action is
 * not possible from a Passthru: the flow must dial itself.
 *
 * The Gather JSON field names (gather_prompt, max_input_digits,
 * input_timeout, repeat_menu, repeat_gather_prompt) are from Exotel's
 * support article on the Gather applet; confirm with a real account.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "form.h"
#include "log.h"
#include "provider.h"
#include "provider_voice.h"
#include "text.h"
#include "util.h"

#define EXOTEL_API_BASE	"https://api.exotel.com"
#define JSON_TYPE	"application/json"

/* 1 if s is non-empty printable ASCII shorter than max. */
static int
printable_id(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (i + 1 >= max || s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return i > 0;
}

/* An SmsSid must be a plain token: it is a dedupe key and a log field. */
static int
bad_sid(const char *sid, char *err, size_t errlen)
{
	if (sid == NULL || *sid == '\0' || printable_id(sid, 129))
		return 0;
	util_err(err, errlen, "bad SmsSid");
	return 400;
}

static int
is_json_type(const char *ct)
{
	size_t n = strlen(JSON_TYPE);

	return ct != NULL && strncasecmp(ct, JSON_TYPE, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static const char *
json_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Classic applet: everything is in the query string. */
static int
parse_sms_get(const struct provider_conf *conf, const struct sp_request *req,
    struct inbound_msg *in, char *err, size_t errlen)
{
	struct form q;
	const char *from, *body, *q_str = req->query != NULL ? req->query : "";
	int status;

	if (form_parse(q_str, strlen(q_str), &q, err, errlen) == -1) {
		form_free(&q);
		return 400;
	}
	from = provider_required(&q, "From");
	body = form_get(&q, "Body");
	if (from == NULL || body == NULL) {
		util_err(err, errlen, "From and Body are required");
		form_free(&q);
		return 400;
	}
	if ((status = bad_sid(form_get(&q, "SmsSid"), err, errlen)) == 0)
		status = provider_fill_inbound(conf, from, form_get(&q, "To"),
		    body, form_get(&q, "SmsSid"), in, err, errlen);
	in->reply_inline_ok = status == 0;
	form_free(&q);
	return status;
}

/* Current incoming-SMS webhook: a JSON object in a POST. */
static int
parse_sms_json(const struct provider_conf *conf, const struct sp_request *req,
    struct inbound_msg *in, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root;
	const char *from, *body, *dir;
	int status;

	if (!is_json_type(req->content_type)) {
		util_err(err, errlen, "content type must be " JSON_TYPE);
		return 415;
	}
	if (req->body == NULL ||
	    (root = json_loadb(req->body, req->body_len, 0, &jerr)) == NULL) {
		util_err(err, errlen, "body is not JSON");
		return 400;
	}
	if (!json_is_object(root)) {
		util_err(err, errlen, "body is not a JSON object");
		json_decref(root);
		return 400;
	}
	dir = json_str(root, "Direction");
	if (dir != NULL && strcasecmp(dir, "incoming") != 0) {
		util_err(err, errlen, "Direction is not incoming");
		json_decref(root);
		return 400;
	}
	from = json_str(root, "Sender");
	body = json_str(root, "MessageBody");
	if (from == NULL || *from == '\0' || body == NULL) {
		util_err(err, errlen, "Sender and MessageBody are required");
		json_decref(root);
		return 400;
	}
	if ((status = bad_sid(json_str(root, "SmsSid"), err, errlen)) == 0)
		status = provider_fill_inbound(conf, from,
		    json_str(root, "ReceivedOn"), body, json_str(root, "SmsSid"),
		    in, err, errlen);
	in->reply_inline_ok = 0;
	json_decref(root);
	return status;
}

static int
exotel_parse_sms(const struct provider_conf *conf,
    const struct sp_request *req, struct inbound_msg *in, char *err,
    size_t errlen)
{
	int status;

	memset(in, 0, sizeof(*in));
	if ((status = provider_check_url_token(conf, req, err, errlen)) != 0)
		return status;
	if (strcmp(req->method, "GET") == 0)
		status = parse_sms_get(conf, req, in, err, errlen);
	else if (strcmp(req->method, "POST") == 0)
		status = parse_sms_json(conf, req, in, err, errlen);
	else {
		util_err(err, errlen, "method %s not allowed", req->method);
		status = 405;
	}
	if (status != 0)
		records_inbound_clear(in);
	return status;
}

/*
 * Exotel sends the whole answer as one SMS, so several texts become one
 * message, one per line.  Exotel insists on exactly "text/plain".
 */
static int
exotel_render_sms_reply(const struct provider_conf *conf,
    const struct inbound_msg *in, char *const *texts, size_t n,
    struct buf *out, const char **content_type)
{
	size_t i;

	(void)conf;
	(void)in;
	*content_type = "text/plain";
	for (i = 0; i < n; i++) {
		if (i > 0 && buf_putc(out, '\n') == -1)
			return -1;
		if (buf_puts(out, texts[i]) == -1)
			return -1;
	}
	return 0;
}

static int
unset(const char *s)
{
	return s == NULL || *s == '\0';
}

static void
exotel_check_conf(const struct provider_conf *conf, struct buf *problems,
    struct buf *warnings)
{
	if (unset(conf->url_token))
		buf_printf(problems, "no URL token: set the environment "
		    "variable %s (until then every Exotel webhook is refused "
		    "with 403)\n", provider_env_name(conf->url_token_env));
	if (unset(conf->auth_token))
		buf_printf(problems, "no API token: set the environment "
		    "variable %s (until then nothing is sent)\n",
		    provider_env_name(conf->auth_token_env));
	if (unset(conf->dlt_entity_id))
		buf_puts(warnings, "no DLT entity id: operators block SMS to "
		    "Indian numbers\n");
}

/*
 * Make *call a form POST to resource of the account ("Sms/send",
 * "Calls/connect"); returns its body, empty, for the caller to fill.
 */
static struct buf *
exotel_request(const struct provider_conf *conf, const char *resource,
    struct sp_http_call *call)
{
	call->url = xasprintf("%s/v1/Accounts/%s/%s.json", conf->api_base,
	    conf->account_sid, resource);
	call->userpwd = xasprintf("%s:%s", conf->api_key, conf->auth_token);
	provider_http_call_header(call,
	    "Content-Type: application/x-www-form-urlencoded");
	provider_http_call_header(call, "Accept: application/json");
	call->body = xcalloc(1, sizeof(*call->body));
	buf_init(call->body, 0);
	return call->body;
}

/* The end of a build: 0, or -1 when a field did not fit in the body. */
static int
exotel_request_done(struct sp_http_call *call, int failed, char *err,
    size_t errlen)
{
	if (!failed)
		return 0;
	util_err(err, errlen, "exotel: request body too large");
	provider_http_call_clear(call);
	return -1;
}

static int
exotel_build_send(const struct provider_conf *conf,
    const struct sp_outbound *msg, struct sp_http_call *call, char *err,
    size_t errlen)
{
	const char *from = unset(msg->from) ? conf->from : msg->from;
	struct buf *b;
	char id[32];
	int rc = 0;

	memset(call, 0, sizeof(*call));
	if (unset(conf->api_base) || unset(conf->account_sid) ||
	    unset(conf->api_key)) {
		util_err(err, errlen, "exotel: api_base, account_sid or api_key "
		    "is not set");
		return -1;
	}
	if (unset(conf->auth_token)) {
		util_err(err, errlen, "exotel: no API token: set the environment "
		    "variable %s", provider_env_name(conf->auth_token_env));
		return -1;
	}
	if (unset(from)) {
		util_err(err, errlen, "exotel: no sender (from) configured");
		return -1;
	}
	if (unset(msg->to) || msg->body == NULL) {
		util_err(err, errlen, "exotel: message without To or Body");
		return -1;
	}
	b = exotel_request(conf, "Sms/send", call);
	snprintf(id, sizeof(id), "%" PRId64, msg->id);
	rc |= form_encode_pair(b, "From", from);
	rc |= form_encode_pair(b, "To", msg->to);
	rc |= form_encode_pair(b, "Body", msg->body);
	if (msg->unicode)
		rc |= form_encode_pair(b, "EncodingType", "unicode");
	if (!unset(conf->dlt_entity_id))
		rc |= form_encode_pair(b, "DltEntityId", conf->dlt_entity_id);
	/* A broadcast's own template id and category win over the
	 * provider's defaults (which serve replies). */
	if (!unset(msg->dlt_template_id))
		rc |= form_encode_pair(b, "DltTemplateId",
		    msg->dlt_template_id);
	else if (!unset(conf->dlt_template_id))
		rc |= form_encode_pair(b, "DltTemplateId",
		    conf->dlt_template_id);
	if (!unset(msg->sms_type))
		rc |= form_encode_pair(b, "SmsType", msg->sms_type);
	else if (!unset(conf->sms_type))
		rc |= form_encode_pair(b, "SmsType", conf->sms_type);
	if (msg->status_url != NULL)
		rc |= form_encode_pair(b, "StatusCallback", msg->status_url);
	rc |= form_encode_pair(b, "CustomField", id);
	return exotel_request_done(call, rc != 0, err, errlen);
}

static void
exotel_parse_send(const struct provider_conf *conf, long http_status,
    const char *body, size_t len, struct sp_send_result *res)
{
	json_t *root, *top, *m, *exc;
	const char *sid, *message;

	(void)conf;
	/* 402 (no balance) and other 4xx already fail, 429 retries. */
	provider_classify_send(http_status, res);
	if (body == NULL || len == 0 ||
	    (root = json_loadb(body, len, 0, NULL)) == NULL)
		return;
	/* The bulk endpoint answers with an array; take its first entry. */
	top = json_is_array(root) ? json_array_get(root, 0) : root;
	m = json_object_get(top, "SMSMessage");
	if (res->outcome == SEND_ACCEPTED && json_is_object(m)) {
		sid = json_str(m, "Sid");
		if (sid != NULL && printable_id(sid, sizeof(res->provider_id)))
			util_strlcpy(res->provider_id, sid,
			    sizeof(res->provider_id));
	}
	exc = json_object_get(top, "RestException");
	if (res->outcome != SEND_ACCEPTED && json_is_object(exc)) {
		provider_json_text(json_object_get(exc, "Code"),
		    res->error_code, sizeof(res->error_code));
		message = json_str(exc, "Message");
		if (message != NULL && *message != '\0')
			util_strlcpy(res->error_message, message,
			    sizeof(res->error_message));
	}
	json_decref(root);
}

static const struct {
	const char	*word;
	enum msg_state state;
} status_words[] = {
	{ "queued", MSG_SENT },
	{ "sending", MSG_SENT },
	{ "submitted", MSG_SENT },
	{ "sent", MSG_SENT },
	{ "delivered", MSG_DELIVERED },
	{ "undelivered", MSG_UNDELIVERED },
	{ "failed", MSG_FAILED },
	{ "failed_dnd", MSG_FAILED },
	{ "expired", MSG_EXPIRED },
};

/*
 * Our reading of DetailedStatus; both spellings Exotel's pages use.  A
 * NULL reason marks a word that is no failure.
 */
static const struct {
	const char	*detail;
	const char	*reason;
} detail_reasons[] = {
	{ "DELIVERED_TO_HANDSET", NULL },
	{ "DELIVERED_TO_OPERATOR", NULL },
	{ "SUBMITTED_TO_CARRIER", NULL },
	{ "PENDING_TO_OPERATOR", NULL },
	{ "SENDING_TO_OPERATOR", NULL },
	{ "PENDING_ON_OPERATOR", NULL },
	{ "FAILED_DND", "recipient is on the DND list" },
	{ "FAILED_INVALID_NUMBER", "invalid number" },
	{ "FAILED_SPAM", "flagged as spam by the operator" },
	{ "FAILED_SPAM_DETECTED", "flagged as spam by the operator" },
	{ "FAILED_BLACKLISTED", "recipient is blacklisted" },
	{ "FAILED_INVALID_SENDER", "sender header not registered" },
	{ "SENDER_BLOCKED_BY_DLT", "sender header not registered" },
	{ "FAILED_DLT_SCRUBBING", "blocked by DLT scrubbing" },
	{ "FAILED_DLT_SCRUBBING_ERROR", "blocked by DLT scrubbing" },
	{ "FAILED_DLT_ENTITY", "DLT entity not registered" },
	{ "ENTITY_BLOCKED_BY_DLT", "DLT entity not registered" },
	{ "DLT_ENTITY_NOT_FOUND", "DLT entity not registered" },
	{ "FAILED_DLT_TEMPLATE", "DLT template mismatch" },
	{ "TEMPLATE_BLOCKED_BY_DLT", "DLT template mismatch" },
	{ "DLT_TEMPLATE_ID_INVALID", "DLT template mismatch" },
	{ "DLT_TEMPLATE_NOT_FOUND", "DLT template mismatch" },
	{ "DLT_TEMPLATE_ID_INACTIVE", "DLT template mismatch" },
	{ "DLT_TEMPLATE_ID_BLACKLISTED", "DLT template mismatch" },
	{ "DLT_TEMPLATE_DOES_NOT_MATCH", "DLT template mismatch" },
	{ "DLT_LENGTH_EXCEEDED", "longer than the DLT template allows" },
	{ "FAILED_DLT_CONSENT", "no DLT consent from the recipient" },
	{ "FAILED_DLT_CONSENT_ERROR", "no DLT consent from the recipient" },
	{ "FAILED_SUBSCRIBER_UNAVAILABLE", "recipient unreachable" },
	{ "FAILED_SUBSCRIBER_ERROR", "recipient's subscription error" },
	{ "FAILED_HANDSET_ERROR", "recipient's handset error" },
	{ "FAILED_OPERATOR_ERROR", "operator error" },
	{ "FAILED_UNAVAILABLE_ROUTE", "no route to the recipient" },
	{ "FAILED_REJECTED", "rejected by the operator" },
	{ "FAILED_SYSTEM_ERROR", "provider system error" },
	{ "FAILED_UNKNOWN_ERROR", "unknown error" },
};

static void
detail_reason(const char *detail, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	if (detail == NULL || *detail == '\0')
		return;
	for (i = 0; i < SP_ARRAY_LEN(detail_reasons); i++)
		if (strcasecmp(detail, detail_reasons[i].detail) == 0) {
			if (detail_reasons[i].reason != NULL)
				util_strlcpy(out, detail_reasons[i].reason,
				    outlen);
			return;
		}
	/* Unknown: the word itself is the best explanation we have. */
	if (!text_utf8_valid(detail, strlen(detail)))
		return;
	util_strlcpy(out, detail, outlen);
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
}

/* Success (20xxx) and pending (21xxx) codes are not errors. */
static int
error_code_p(const char *code)
{
	return code[0] != '\0' &&
	    !(code[0] == '2' && (code[1] == '0' || code[1] == '1'));
}

static int
exotel_parse_status(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_status_update *up, char *err,
    size_t errlen)
{
	struct form f;
	const char *sid, *word, *detail, *code;
	size_t i;
	int status;

	memset(up, 0, sizeof(*up));
	if ((status = provider_check_url_token(conf, req, err, errlen)) != 0)
		return status;
	if ((status = provider_parse_form_post(req, &f, err, errlen)) != 0)
		goto out;
	sid = provider_required(&f, "SmsSid");
	word = provider_required(&f, "Status");
	if (sid == NULL || word == NULL) {
		util_err(err, errlen, "SmsSid and Status are required");
		status = 400;
		goto out;
	}
	if (!printable_id(sid, sizeof(up->provider_id))) {
		util_err(err, errlen, "bad SmsSid");
		status = 400;
		goto out;
	}
	for (i = 0; i < SP_ARRAY_LEN(status_words); i++)
		if (strcasecmp(word, status_words[i].word) == 0)
			break;
	if (i == SP_ARRAY_LEN(status_words)) {
		util_err(err, errlen, "unknown Status");
		status = 400;
		goto out;
	}
	util_strlcpy(up->provider_id, sid, sizeof(up->provider_id));
	util_strlcpy(up->raw_status, word, sizeof(up->raw_status));
	up->state = status_words[i].state;
	detail = form_get(&f, "DetailedStatus");
	/* Exotel's "sent" covers handset delivery; the detail tells. */
	if (up->state == MSG_SENT && detail != NULL &&
	    strcasecmp(detail, "DELIVERED_TO_HANDSET") == 0)
		up->state = MSG_DELIVERED;
	code = form_get(&f, "DetailedStatusCode");
	if (code != NULL && error_code_p(code) &&
	    printable_id(code, sizeof(up->error_code)))
		util_strlcpy(up->error_code, code, sizeof(up->error_code));
	detail_reason(detail, up->reason, sizeof(up->reason));
	if (up->reason[0] == '\0' && strcasecmp(word, "failed_dnd") == 0)
		util_strlcpy(up->reason, "recipient is on the DND list",
		    sizeof(up->reason));
out:
	form_free(&f);
	return status;
}

/* ---- voice ---- */

static const char *
first_of(const struct form *f, const char *a, const char *b)
{
	const char *v = provider_required(f, a);

	return v != NULL ? v : provider_required(f, b);
}

static int
exotel_parse_voice(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_voice_event *ev, char *err,
    size_t errlen)
{
	struct voice_fields vf;
	const char *dir;
	struct form f;
	int rc;

	memset(ev, 0, sizeof(*ev));
	memset(&f, 0, sizeof(f));
	if ((rc = provider_check_url_token(conf, req, err, errlen)) != 0)
		return rc;
	/* A GET from the flow; the call's StatusCallback is a form POST. */
	rc = provider_parse_params(req, &f, err, errlen);
	if (rc != 0)
		goto out;
	vf.call_id = form_get(&f, "CallSid");
	vf.digits = form_get(&f, "digits");
	vf.from = first_of(&f, "CallFrom", "From");
	vf.to = first_of(&f, "CallTo", "To");
	vf.status = first_of(&f, "CallStatus", "Status");
	/* The StatusCallback's, or a Passthru's after a Connect applet. */
	vf.duration = first_of(&f, "ConversationDuration", "DialCallDuration");
	if ((rc = provider_voice_event_fill(conf, &vf, ev, err, errlen)) != 0)
		goto out;
	dir = form_get(&f, "Direction");
	ev->outbound = dir != NULL && strncmp(dir, "outbound", 8) == 0;
	ev->new_call = !ev->has_digits;
out:
	form_free(&f);
	if (rc != 0)
		memset(ev, 0, sizeof(*ev));
	return rc;
}

/*
 * One prompt object: Exotel takes one text or one audio URL per prompt,
 * so a recording is used only when it is the whole prompt and known to
 * reach Exotel; else every part is read out as text.
 */
static json_t *
prompt_object(const struct provider_conf *conf,
    const struct sp_voice_answer *ans)
{
	const char *url;
	struct buf text;
	json_t *o;
	size_t i;

	if (ans->nspeech == 1 &&
	    (url = provider_voice_play_url(conf, &ans->speech[0])) != NULL)
		return json_pack("{s:s}", "audio_url", url);
	buf_init(&text, 0);
	for (i = 0; i < ans->nspeech; i++) {
		if (i > 0)
			buf_putc(&text, ' ');
		buf_puts(&text, ans->speech[i].text);
	}
	o = json_pack("{s:s}", "text", buf_cstr(&text));
	buf_free(&text);
	return o;
}

static int
exotel_render_voice(const struct provider_conf *conf,
    const struct sp_voice_answer *ans, struct buf *out,
    const char **content_type, int *http_status)
{
	json_t *o, *p;
	char *json;
	int rc;

	if (ans->kind != VOICE_PROMPT) {
		/* A Passthru (or a status callback): the status is the
		 * answer; 302 takes the flow's other branch. */
		*content_type = "text/plain";
		*http_status = ans->kind == VOICE_CALL && (ans->reject_busy ||
		    !ans->gather) ? 302 : 200;
		return 0;
	}
	*content_type = "application/json";
	*http_status = 200;
	p = prompt_object(conf, ans);
	o = json_pack("{s:o, s:i, s:i, s:i, s:O}",
	    "gather_prompt", p,
	    "max_input_digits", ans->num_digits > 0 ? ans->num_digits : 1,
	    "input_timeout", ans->timeout_s > 0 ? ans->timeout_s : 5,
	    "repeat_menu", 1,
	    "repeat_gather_prompt", p);
	json = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (json == NULL)
		return -1;
	rc = buf_puts(out, json);
	free(json);
	return rc;
}

static int
exotel_build_call(const struct provider_conf *conf, const struct sp_call *c,
    struct sp_http_call *call, char *err, size_t errlen)
{
	const char *from = unset(c->from) ? conf->from : c->from;
	const char *voice_url = provider_setting(conf, "voice_url");
	const char *url = unset(voice_url) ? c->answer_url : voice_url;
	struct buf *b;
	int rc = 0;

	memset(call, 0, sizeof(*call));
	if (unset(conf->api_base) || unset(conf->account_sid) ||
	    unset(conf->api_key) || unset(conf->auth_token)) {
		util_err(err, errlen, "exotel api_base, account_sid, api_key or "
		    "api token not configured");
		return -1;
	}
	if (unset(from) || unset(c->to) || unset(url)) {
		util_err(err, errlen, "exotel: call needs a caller id (from), a "
		    "number and a flow URL (exotel.voice_url)");
		return -1;
	}
	b = exotel_request(conf, "Calls/connect", call);
	/* Exotel calls From first, then connects it to the flow at Url. */
	rc |= form_encode_pair(b, "From", c->to);
	rc |= form_encode_pair(b, "CallerId", from);
	rc |= form_encode_pair(b, "Url", url);
	rc |= form_encode_pair(b, "CallType", "trans");
	/* Only with the terminal event does the callback carry the
	 * numbers and ConversationDuration (providers.md §2.4). */
	if (!unset(c->status_url))
		rc |= form_encode_pair(b, "StatusCallback", c->status_url) |
		    form_encode_pair(b, "StatusCallbackEvents[0]", "terminal");
	return exotel_request_done(call, rc != 0, err, errlen);
}

static const struct config_directive exotel_settings[] = {
	PROVIDER_SETTINGS("exotel", "SAMPARK_EXOTEL", EXOTEL_API_BASE, "SID"),
	CONFIG_D_STR("exotel.voice_url", "", "exotel: the flow a callback is "
	    "connected to (http://my.exotel.com/<sid>/exoml/start_voice/<id>)"),
};

const struct provider provider_exotel = {
	.name = "exotel",
	.settings = exotel_settings,
	.nsettings = SP_ARRAY_LEN(exotel_settings),
	.parse_sms = exotel_parse_sms,
	.render_sms_reply = exotel_render_sms_reply,
	.reply_mode_default = "api",
	.check_conf = exotel_check_conf,
	.build_send = exotel_build_send,
	.parse_send = exotel_parse_send,
	.parse_status = exotel_parse_status,
	.parse_voice = exotel_parse_voice,
	.render_voice = exotel_render_voice,
	.build_call = exotel_build_call,
};
