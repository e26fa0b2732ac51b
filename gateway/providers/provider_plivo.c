/*
 * provider_plivo: Plivo.  Inbound SMS webhooks answered with Plivo XML,
 * its send API (JSON), delivery reports; voice webhooks answered with
 * Plivo XML (<GetDigits>, <Speak>, <Play>, <Redirect>, <Dial>, <Hangup>;
 * providers.md §3.3) and outbound calls through the Call API.
 *
 * Every webhook, SMS, status or voice, must carry a valid V3 signature
 * computed over the public URL (config public_url + the path and query as
 * received).  Without an auth token every webhook is refused: an unsigned
 * gateway on the internet would let anyone make it send SMS.
 *
 * Plivo writes numbers in international form without '+'
 * ("919812345678"); they are read with the default country first, and as
 * "+<digits>" when that fails, so that a foreign sender is not lost.
 * Plivo's basic speech engine has no Indian languages, so speech names a
 * Polly voice that speaks Hindi and Indian English (Polly.Aditi).
 * finishOnKey is disabled so that '#' is a menu key like any other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto.h"
#include "form.h"
#include "log.h"
#include "provider.h"
#include "provider_plivo.h"
#include "provider_voice.h"
#include "util.h"

#define PLIVO_API_BASE		"https://api.plivo.com"
#define PLIVO_SIG_HEADER	"X-Plivo-Signature-V3"
#define PLIVO_NONCE_HEADER	"X-Plivo-Signature-V3-Nonce"
#define PLIVO_VOICE		"Polly.Aditi"

/* ---- signature V3 ---- */

/*
 * Append the fields of a and b (either may be NULL) sorted by name, then
 * value, as name kv value, separated by sep.  Byte order, where the SDK
 * sorts UTF-16 units: the two differ only above U+FFFF against
 * U+E000..U+FFFF, which no field name holds.
 */
static int
join_sorted(struct buf *out, const struct form *a, const struct form *b,
    const char *kv, const char *sep)
{
	const struct form_field **v;
	size_t i, n = 0, na = a != NULL ? a->n : 0, nb = b != NULL ? b->n : 0;
	int rc = 0;

	if (na + nb == 0)
		return 0;
	v = xreallocarray(NULL, na + nb, sizeof(*v));
	for (i = 0; i < na; i++)
		v[n++] = &a->fields[i];
	for (i = 0; i < nb; i++)
		v[n++] = &b->fields[i];
	qsort(v, n, sizeof(*v), provider_field_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0 && buf_puts(out, sep) == -1)
			rc = -1;
		else if (buf_puts(out, v[i]->name) == -1 ||
		    buf_puts(out, kv) == -1 || buf_puts(out, v[i]->value) == -1)
			rc = -1;
	}
	free(v);
	return rc;
}

int
provider_plivo_v3_string(const char *method, const char *url,
    const struct form *params, const char *nonce, struct buf *out)
{
	struct form query;
	struct buf q;
	const char *qs;
	size_t baselen, np = params != NULL ? params->n : 0;
	int get, rc = 0;

	if (method == NULL || url == NULL || nonce == NULL)
		return -1;
	if (strcmp(method, "GET") == 0)
		get = 1;
	else if (strcmp(method, "POST") == 0)
		get = 0;
	else
		return -1;
	baselen = strcspn(url, "?#");
	memset(&query, 0, sizeof(query));
	if (url[baselen] == '?') {
		qs = url + baselen + 1;
		if (form_parse(qs, strcspn(qs, "#"), &query, NULL, 0) == -1)
			return -1;
	}
	/* GET parameters join the query; POST ones follow it after '.'. */
	buf_init(&q, 0);
	if (join_sorted(&q, &query, get ? params : NULL, "=", "&") == -1 ||
	    buf_append(out, url, baselen) == -1)
		rc = -1;
	else if (get) {
		if (q.len > 0 && (buf_putc(out, '?') == -1 ||
		    buf_puts(out, buf_cstr(&q)) == -1))
			rc = -1;
	} else {
		/* The SDK writes '?' even for an empty query when there are
		 * POST parameters (vector v3-post-no-query). */
		if ((q.len > 0 || np > 0) && (buf_putc(out, '?') == -1 ||
		    buf_puts(out, buf_cstr(&q)) == -1))
			rc = -1;
		else if (q.len > 0 && np > 0 && buf_putc(out, '.') == -1)
			rc = -1;
		else if (join_sorted(out, params, NULL, "", "") == -1)
			rc = -1;
	}
	if (rc == 0 && (buf_putc(out, '.') == -1 || buf_puts(out, nonce) == -1))
		rc = -1;
	buf_free(&q);
	form_free(&query);
	return rc;
}

int
provider_plivo_v3_valid(const char *auth_token, const char *header,
    const char *method, const char *url, const struct form *params,
    const char *nonce)
{
	char expect[CRYPTO_SHA256_B64_LEN + 1], *one;
	const char *p, *end;
	struct buf s;
	size_t len;
	int ok = 0;

	if (auth_token == NULL || *auth_token == '\0' || header == NULL ||
	    *header == '\0' || nonce == NULL || *nonce == '\0')
		return 0;
	buf_init(&s, 0);
	if (provider_plivo_v3_string(method, url, params, nonce, &s) == -1) {
		buf_free(&s);
		return 0;
	}
	crypto_hmac_sha256_b64(auth_token, strlen(auth_token), buf_cstr(&s),
	    s.len, expect);
	buf_free(&s);
	for (p = header; ; p = end + 1) {
		end = p + strcspn(p, ",");
		/* Tolerate "sig1, sig2": base64 never holds a space. */
		while (p < end && *p == ' ')
			p++;
		for (len = (size_t)(end - p); len > 0 && p[len - 1] == ' ';
		    len--)
			;
		one = xstrndup(p, len);
		ok |= crypto_str_equal(one, expect);
		free(one);
		if (*end == '\0')
			break;
	}
	return ok;
}

/* ---- webhooks ---- */

/* 0 if the request's V3 signature holds, else 403 with err. */
static int
check_signature(const struct provider_conf *conf,
    const struct sp_request *req, const struct form *f, char *err,
    size_t errlen)
{
	const char *sig, *nonce;
	char *url;
	int ok;

	if (conf->auth_token == NULL || *conf->auth_token == '\0') {
		util_err(err, errlen, "no plivo auth token configured");
		return 403;
	}
	sig = req->header(req, PLIVO_SIG_HEADER);
	nonce = req->header(req, PLIVO_NONCE_HEADER);
	if (sig == NULL || nonce == NULL) {
		util_err(err, errlen, "missing %s", sig == NULL ?
		    PLIVO_SIG_HEADER : PLIVO_NONCE_HEADER);
		return 403;
	}
	url = provider_public_url(conf, req);
	ok = provider_plivo_v3_valid(conf->auth_token, sig, req->method, url, f, nonce);
	free(url);
	if (!ok) {
		util_err(err, errlen, "invalid %s", PLIVO_SIG_HEADER);
		return 403;
	}
	return 0;
}

/*
 * A Plivo number as phone_to_e164 should see it: as given when the
 * default country places it, else "+<digits>" (Plivo's numbers are always
 * international).  Returns s or tmp.
 */
static const char *
plivo_number(const struct provider_conf *conf, const char *s, char *tmp,
    size_t tmplen)
{
	char e164[PHONE_E164_MAX + 1];

	if (s == NULL || *s == '\0' || strspn(s, "0123456789") != strlen(s) ||
	    phone_to_e164(s, conf->default_cc, e164, sizeof(e164), NULL,
	    0) == 0)
		return s;
	snprintf(tmp, tmplen, "+%s", s);
	return tmp;
}

static int
plivo_parse_sms(const struct provider_conf *conf,
    const struct sp_request *req, struct inbound_msg *in, char *err,
    size_t errlen)
{
	char ftmp[64], ttmp[64];
	const char *from, *to, *text, *type;
	struct form f;
	int status;

	memset(in, 0, sizeof(*in));
	if ((status = provider_parse_form_post(req, &f, err, errlen)) != 0 ||
	    (status = check_signature(conf, req, &f, err, errlen)) != 0)
		goto out;
	from = provider_required(&f, "From");
	to = form_get(&f, "To");
	text = form_get(&f, "Text");
	type = form_get(&f, "Type");
	if (from == NULL) {
		util_err(err, errlen, "From is required");
		status = 400;
		goto out;
	}
	/* An MMS or WhatsApp message without text has nothing we can read. */
	if (text == NULL || (*text == '\0' && type != NULL &&
	    strcmp(type, "sms") != 0)) {
		util_err(err, errlen, "no Text in %s message",
		    type != NULL && strlen(type) < 16 ? type : "a");
		status = 400;
		goto out;
	}
	status = provider_fill_inbound(conf,
	    plivo_number(conf, from, ftmp, sizeof(ftmp)),
	    plivo_number(conf, to, ttmp, sizeof(ttmp)), text,
	    form_get(&f, "MessageUUID"), in, err, errlen);
	/* The XML answer needs our number as src: without it (and without a
	 * configured sender) replies must go through the outbox. */
	if (status == 0)
		in->reply_inline_ok = in->to[0] != '\0' ||
		    (conf->from != NULL && *conf->from != '\0');
out:
	if (status != 0)
		records_inbound_clear(in);
	form_free(&f);
	return status;
}

static const char *
no_plus(const char *s)
{
	return s != NULL && *s == '+' ? s + 1 : (s != NULL ? s : "");
}

static int
plivo_render_sms_reply(const struct provider_conf *conf,
    const struct inbound_msg *in, char *const *texts, size_t n,
    struct buf *out, const char **content_type)
{
	const char *src, *dst;
	size_t i;

	*content_type = "application/xml";
	if (n == 0)
		return buf_puts(out, "<Response></Response>");
	if (in == NULL)
		return -1;
	src = no_plus(conf->from != NULL && *conf->from != '\0' ? conf->from :
	    in->to);
	dst = no_plus(in->from);
	if (buf_puts(out, "<Response>") == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (buf_puts(out, "<Message src=\"") == -1 ||
		    buf_xml_escape(out, src) == -1 ||
		    buf_puts(out, "\" dst=\"") == -1 ||
		    buf_xml_escape(out, dst) == -1 ||
		    buf_puts(out, "\" type=\"sms\">") == -1 ||
		    buf_xml_escape(out, texts[i]) == -1 ||
		    buf_puts(out, "</Message>") == -1)
			return -1;
	return buf_puts(out, "</Response>");
}

static void
plivo_check_conf(const struct provider_conf *conf, struct buf *problems,
    struct buf *warnings)
{
	if (conf->auth_token == NULL || *conf->auth_token == '\0')
		buf_printf(problems, "no auth token: set the environment "
		    "variable %s (until then every Plivo webhook is refused "
		    "with 403 and nothing is sent)\n",
		    provider_env_name(conf->auth_token_env));
	if (conf->public_url == NULL || *conf->public_url == '\0')
		buf_puts(warnings, "public_url not set: signatures are checked "
		    "against the Host header\n");
}

/* ---- sending ---- */

/* Sampark's sms_type as Plivo's dlt_template_category. */
static const struct {
	const char	*ours;
	const char	*plivo;
} categories[] = {
	{ "transactional", "transactional" },
	{ "transactional_opt_in", "service_explicit" },
	{ "promotional", "promotional" },
	{ "service_implicit", "service_implicit" },
	{ "service_explicit", "service_explicit" },
};

static const char *
dlt_category(const char *sms_type)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(categories); i++)
		if (strcmp(categories[i].ours, sms_type) == 0)
			return categories[i].plivo;
	return NULL;
}

static int
set_str(json_t *o, const char *key, const char *value)
{
	/* json_string() refuses invalid UTF-8; set_new then fails. */
	return json_object_set_new(o, key, json_string(value));
}

static int
is_set(const char *s)
{
	return s != NULL && *s != '\0';
}

/*
 * Make *call the POST of the JSON object o (taken; failed says whether a
 * member could not be set, e.g. text that is not UTF-8) to resource
 * ("Message", "Call") of the account.  0, or -1 with "plivo: <why>".
 */
static int
plivo_request(const struct provider_conf *conf, const char *resource,
    json_t *o, int failed, const char *why, struct sp_http_call *call,
    char *err, size_t errlen)
{
	char *json = failed ? NULL : json_dumps(o, JSON_COMPACT);

	json_decref(o);
	if (json == NULL) {
		util_err(err, errlen, "plivo: %s", why);
		return -1;
	}
	call->url = xasprintf("%s/v1/Account/%s/%s/", conf->api_base,
	    conf->account_sid, resource);
	call->userpwd = xasprintf("%s:%s", conf->account_sid,
	    conf->auth_token);
	provider_http_call_header(call, "Content-Type: application/json");
	call->body = xmalloc(sizeof(*call->body));
	buf_init(call->body, 0);
	buf_puts(call->body, json);
	free(json);
	return 0;
}

static int
plivo_build_send(const struct provider_conf *conf,
    const struct sp_outbound *msg, struct sp_http_call *call, char *err,
    size_t errlen)
{
	const char *src = is_set(msg->from) ? msg->from : conf->from;
	const char *cat, *tid, *type;
	json_t *o;
	int rc = 0;

	if (!is_set(conf->account_sid)) {
		util_err(err, errlen, "plivo: account_sid (Auth ID) is not set");
		return -1;
	}
	if (!is_set(conf->auth_token)) {
		util_err(err, errlen, "plivo: no auth token: set the environment "
		    "variable %s", provider_env_name(conf->auth_token_env));
		return -1;
	}
	/* The Auth ID goes into the URL path: nothing but letters/digits. */
	if (strspn(conf->account_sid, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789") !=
	    strlen(conf->account_sid)) {
		util_err(err, errlen, "plivo: account_sid is not an Auth ID");
		return -1;
	}
	if (!is_set(src)) {
		util_err(err, errlen, "plivo: no sender (from) configured");
		return -1;
	}
	if (!is_set(msg->to) || msg->body == NULL) {
		util_err(err, errlen, "plivo: message has no destination or text");
		return -1;
	}
	o = json_object();
	rc |= set_str(o, "src", no_plus(src));
	rc |= set_str(o, "dst", no_plus(msg->to));
	rc |= set_str(o, "text", msg->body);
	rc |= set_str(o, "type", "sms");
	if (msg->status_url != NULL) {
		rc |= set_str(o, "url", msg->status_url);
		rc |= set_str(o, "method", "POST");
	}
	/* A broadcast's own template id and category win over the
	 * provider's defaults (which serve replies). */
	tid = is_set(msg->dlt_template_id) ? msg->dlt_template_id :
	    conf->dlt_template_id;
	type = is_set(msg->sms_type) ? msg->sms_type : conf->sms_type;
	if (is_set(conf->dlt_entity_id))
		rc |= set_str(o, "dlt_entity_id", conf->dlt_entity_id);
	if (is_set(tid))
		rc |= set_str(o, "dlt_template_id", tid);
	/* A category means nothing without the DLT ids it belongs to. */
	if ((is_set(conf->dlt_entity_id) || is_set(tid)) && is_set(type) &&
	    (cat = dlt_category(type)) != NULL)
		rc |= set_str(o, "dlt_template_category", cat);
	return plivo_request(conf, "Message", o, rc != 0,
	    "message is not valid UTF-8", call, err, errlen);
}

static void
plivo_parse_send(const struct provider_conf *conf, long http_status,
    const char *body, size_t len, struct sp_send_result *res)
{
	json_t *root, *uuid, *e;
	char *dumped;

	(void)conf;
	provider_classify_send(http_status, res);
	if (body == NULL || len == 0 ||
	    (root = json_loadb(body, len, 0, NULL)) == NULL)
		return;
	if (json_is_object(root)) {
		uuid = json_object_get(root, "message_uuid");
		if (json_is_array(uuid))
			uuid = json_array_get(uuid, 0);
		if (json_is_string(uuid))
			util_strlcpy(res->provider_id, json_string_value(uuid),
			    sizeof(res->provider_id));
		e = json_object_get(root, "error");
		if (json_is_string(e))
			util_strlcpy(res->error_message, json_string_value(e),
			    sizeof(res->error_message));
		else if (json_is_object(e) &&
		    (dumped = json_dumps(e, JSON_COMPACT)) != NULL) {
			util_strlcpy(res->error_message, dumped,
			    sizeof(res->error_message));
			free(dumped);
		}
	}
	json_decref(root);
}

/* ---- delivery reports ---- */

static const struct {
	const char		*status;
	enum msg_state	 state;
} statuses[] = {
	{ "queued", MSG_SENT },
	{ "sent", MSG_SENT },
	{ "delivered", MSG_DELIVERED },
	{ "read", MSG_DELIVERED },
	{ "undelivered", MSG_UNDELIVERED },
	{ "failed", MSG_FAILED },
	{ "rejected", MSG_FAILED },
};

/* Plivo's messaging error codes (plivo.com/docs/messaging/troubleshooting/
 * error-codes and the SMS FAQ); others are kept verbatim without a reason. */
static const struct {
	const char	*code;
	const char	*reason;
} error_codes[] = {
	{ "10", "invalid message (rejected by the carrier)" },
	{ "20", "carrier network error (temporary)" },
	{ "30", "spam detected by the carrier" },
	{ "40", "invalid source number" },
	{ "50", "invalid destination number" },
	{ "450", "destination country barred (geo permissions)" },
};

static int
plivo_parse_status(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_status_update *up, char *err,
    size_t errlen)
{
	const char *uuid, *st, *code;
	struct form f;
	size_t i;
	int status;

	memset(up, 0, sizeof(*up));
	if ((status = provider_parse_form_post(req, &f, err, errlen)) != 0 ||
	    (status = check_signature(conf, req, &f, err, errlen)) != 0)
		goto out;
	uuid = provider_required(&f, "MessageUUID");
	st = provider_required(&f, "Status");
	if (uuid == NULL || st == NULL || strlen(uuid) >=
	    sizeof(up->provider_id)) {
		util_err(err, errlen, "MessageUUID and Status are required");
		status = 400;
		goto out;
	}
	status = 400;
	for (i = 0; i < SP_ARRAY_LEN(statuses); i++)
		if (strcmp(statuses[i].status, st) == 0) {
			up->state = statuses[i].state;
			status = 0;
			break;
		}
	if (status != 0) {
		util_err(err, errlen, "unknown Status");
		goto out;
	}
	util_strlcpy(up->provider_id, uuid, sizeof(up->provider_id));
	util_strlcpy(up->raw_status, st, sizeof(up->raw_status));
	if ((code = form_get(&f, "ErrorCode")) != NULL) {
		util_strlcpy(up->error_code, code, sizeof(up->error_code));
		for (i = 0; i < SP_ARRAY_LEN(error_codes); i++)
			if (strcmp(error_codes[i].code, code) == 0)
				util_strlcpy(up->reason, error_codes[i].reason,
				    sizeof(up->reason));
	}
out:
	if (status != 0)
		memset(up, 0, sizeof(*up));
	form_free(&f);
	return status;
}

/* ---- voice ---- */

/* Plivo's signature covers the parameters alone. */
static int
check_voice_signature(const struct provider_conf *conf,
    const struct sp_request *req, const struct form *f,
    const struct form *signed_params, char *err, size_t errlen)
{
	(void)f;
	return check_signature(conf, req, signed_params, err, errlen);
}

static const struct provider_voice_form plivo_voice_form = {
	.call_id = "CallUUID",
	/* The hangup callback's talk time; BillDuration is rounded up
	 * to the billing unit. */
	.duration = "Duration",
	.outbound = "outbound",
	.check = check_voice_signature,
};

static int
plivo_parse_voice(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_voice_event *ev, char *err,
    size_t errlen)
{
	return provider_voice_parse_form(conf, &plivo_voice_form, req, ev,
	    err, errlen);
}

static int
plivo_gather_open(struct buf *out, const struct sp_voice_answer *ans)
{
	return buf_printf(out, "<GetDigits numDigits=\"%d\" "
	    "timeout=\"%d\" retries=\"1\" finishOnKey=\"none\" "
	    "redirect=\"true\" method=\"POST\" action=\"",
	    ans->num_digits > 0 ? ans->num_digits : 1,
	    ans->timeout_s > 0 ? ans->timeout_s : 5);
}

static const struct provider_voice_xml plivo_xml = {
	.content_type = "application/xml",
	.head = "",
	.reject_busy = "<Hangup reason=\"busy\"/>",
	.gather_open = plivo_gather_open,
	.gather_close = "</GetDigits>",
	.say_open = "<Speak voice=\"" PLIVO_VOICE "\" language=\"%s\">",
	.say_close = "</Speak>",
	.dial_open = "<Dial><Number>",
	.dial_close = "</Number></Dial>",
	.dial_no_plus = 1,
};

static int
plivo_render_voice(const struct provider_conf *conf,
    const struct sp_voice_answer *ans, struct buf *out,
    const char **content_type, int *http_status)
{
	return provider_voice_render_xml(conf, &plivo_xml, ans, out,
	    content_type, http_status);
}

static int
plivo_build_call(const struct provider_conf *conf, const struct sp_call *c,
    struct sp_http_call *call, char *err, size_t errlen)
{
	const char *from = c->from != NULL && *c->from != '\0' ? c->from :
	    conf->from;
	json_t *o;
	int rc = 0;

	memset(call, 0, sizeof(*call));
	if (conf->account_sid == NULL || *conf->account_sid == '\0' ||
	    strspn(conf->account_sid, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789") !=
	    strlen(conf->account_sid) || conf->auth_token == NULL ||
	    *conf->auth_token == '\0') {
		util_err(err, errlen, "plivo: account_sid (Auth ID) or auth "
		    "token not configured");
		return -1;
	}
	if (from == NULL || *from == '\0') {
		util_err(err, errlen, "plivo: no caller number (from)");
		return -1;
	}
	if (c->to == NULL || *c->to == '\0' || c->answer_url == NULL) {
		util_err(err, errlen, "plivo: call has no destination or URL");
		return -1;
	}
	o = json_object();
	rc |= set_str(o, "from", no_plus(from));
	rc |= set_str(o, "to", no_plus(c->to));
	rc |= set_str(o, "answer_url", c->answer_url);
	rc |= set_str(o, "answer_method", "POST");
	if (c->status_url != NULL && *c->status_url != '\0') {
		rc |= set_str(o, "hangup_url", c->status_url);
		rc |= set_str(o, "hangup_method", "POST");
	}
	return plivo_request(conf, "Call", o, rc != 0, "cannot encode the call",
	    call, err, errlen);
}

static const struct config_directive plivo_settings[] = {
	PROVIDER_SETTINGS("plivo", "SAMPARK_PLIVO", PLIVO_API_BASE, "Auth ID"),
};

const struct provider provider_plivo = {
	.name = "plivo",
	.settings = plivo_settings,
	.nsettings = SP_ARRAY_LEN(plivo_settings),
	.parse_sms = plivo_parse_sms,
	.render_sms_reply = plivo_render_sms_reply,
	.reply_mode_default = "api",
	.check_conf = plivo_check_conf,
	.build_send = plivo_build_send,
	.parse_send = plivo_parse_send,
	.parse_status = plivo_parse_status,
	.parse_voice = plivo_parse_voice,
	.render_voice = plivo_render_voice,
	.build_call = plivo_build_call,
};
