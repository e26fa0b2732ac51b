/*
 * provider_android: the open-source "SMS Gateway for Android" app
 * (capcom6/android-sms-gateway, docs.sms-gate.app), in local-server mode
 * (api_base "http://<phone-ip>:8080") or cloud mode (api_base
 * "https://api.sms-gate.app/3rdparty/v1").  The same phone is the SIM that
 * sends and receives: Sampark talks to its REST API and gets its webhooks.
 *
 * Webhooks (inbound SMS on /sms/android, delivery events on /status/android)
 * are JSON: {"deviceId", "event", "id", "payload": {...}, "webhookId"}.
 * Trust, in order:
 *   - webhook_key set: the app's payload signing.  X-Signature is the
 *     lower-case hex HMAC-SHA256, keyed with the signing key, of the raw body
 *     followed by the X-Timestamp value (Unix seconds).  Both headers must be
 *     present and the signature must match; nothing else is accepted.
 *   - else url_token set: the token as "/sms/android/<token>" or ?token=.
 *   - neither: every webhook is refused (403).
 * Replay protection (refusing an X-Timestamp far from now) is left for later:
 * the adapter has no clock of its own.  A replayed webhook is harmless
 * meanwhile: inbound SMS are deduplicated on the event id, and a message
 * state never goes back in rank.
 *
 * The dedupe key of an inbound SMS is the webhook event "id": the app makes
 * one per event and keeps it across its retries, whereas payload.messageId
 * of sms:received is derived from the content and documented as not unique.
 *
 * The webhook answer cannot carry a reply (reply_inline_ok = 0): replies go
 * through the outbox and the REST API.
 *
 * Status events: sms:sent, sms:delivered, sms:failed carry payload.messageId,
 * the "id" the send API returned.  Any other event (system:ping, mms:*,
 * sms:cancelled, ...) is answered 0 with up->provider_id empty, which the
 * daemon reads as "nothing to update, answer 200" so that the app does not
 * retry it for two days.  sms:received sent to /status is refused (400):
 * the webhook was registered on the wrong URL and inbound SMS would be lost.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "crypto.h"
#include "log.h"
#include "provider.h"
#include "text.h"
#include "util.h"

#define ANDROID_API_BASE	"https://api.sms-gate.app/3rdparty/v1"
#define ANDROID_SEND_PATH	"/messages"
#define ANDROID_TS_MAX		20

/*
 * Copy the n bytes at src, at most dstsize-1 of them, without cutting a
 * UTF-8 sequence in two.
 */
static void
copy_utf8(char *dst, const char *src, size_t n, size_t dstsize)
{
	if (n >= dstsize)
		n = text_utf8_whole(src, dstsize - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int
is_set(const char *s)
{
	return s != NULL && *s != '\0';
}

/* 1 if the hex signature over body + ts with key matches sig. */
static int
signature_valid(const char *key, const char *body, size_t len,
    const char *ts, const char *sig)
{
	char expect[CRYPTO_SHA256_HEX_LEN + 1], given[CRYPTO_SHA256_HEX_LEN + 1];
	size_t tslen = strlen(ts), i;
	char *msg;

	if (strlen(sig) != CRYPTO_SHA256_HEX_LEN)
		return 0;
	/* Hex is hex whatever its case; the app itself writes lower case. */
	for (i = 0; i < CRYPTO_SHA256_HEX_LEN; i++)
		given[i] = (char)tolower((unsigned char)sig[i]);
	given[i] = '\0';
	msg = xmalloc(len + tslen + 1);
	memcpy(msg, body, len);
	memcpy(msg + len, ts, tslen);
	crypto_hmac_sha256_hex(key, strlen(key), msg, len + tslen, expect);
	free(msg);
	return crypto_str_equal(expect, given);
}

static int
check_timestamp(const char *ts)
{
	size_t i, n = strlen(ts);

	if (n == 0 || n > ANDROID_TS_MAX)
		return -1;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)ts[i]))
			return -1;
	return 0;
}

/*
 * The checks every webhook passes: method, content type, then signature or
 * URL token.  Returns 0 or the HTTP status with err.
 */
static int
android_verify(const struct provider_conf *conf, const struct sp_request *req,
    char *err, size_t errlen)
{
	const char *ct = req->content_type, *sig, *ts;

	if (strcmp(req->method, "POST") != 0) {
		util_err(err, errlen, "method %s not allowed", req->method);
		return 405;
	}
	if (ct == NULL || strncasecmp(ct, "application/json",
	    strlen("application/json")) != 0) {
		util_err(err, errlen, "content type must be application/json");
		return 415;
	}
	if (is_set(conf->webhook_key)) {
		sig = req->header(req, "X-Signature");
		ts = req->header(req, "X-Timestamp");
		if (sig == NULL || ts == NULL) {
			util_err(err, errlen, "missing X-Signature or X-Timestamp");
			return 403;
		}
		if (check_timestamp(ts) == -1 ||
		    !signature_valid(conf->webhook_key, req->body,
		    req->body_len, ts, sig)) {
			util_err(err, errlen, "invalid X-Signature");
			return 403;
		}
		return 0;
	}
	if (!is_set(conf->url_token)) {
		util_err(err, errlen, "neither android.webhook_key nor "
		    "android.url_token is configured");
		return 403;
	}
	return provider_check_url_token(conf, req, err, errlen);
}

/* Verify and parse a webhook; *root (caller json_decref()s) and the parts. */
static int
android_event(const struct provider_conf *conf, const struct sp_request *req,
    json_t **root, const char **event, json_t **payload, char *err,
    size_t errlen)
{
	json_error_t jerr;
	int status;

	*root = NULL;
	if ((status = android_verify(conf, req, err, errlen)) != 0)
		return status;
	*root = json_loadb(req->body != NULL ? req->body : "", req->body_len,
	    0, &jerr);
	if (*root == NULL) {
		util_err(err, errlen, "bad JSON: %s", jerr.text);
		return 400;
	}
	*event = json_string_value(json_object_get(*root, "event"));
	*payload = json_object_get(*root, "payload");
	if (!json_is_object(*root) || *event == NULL ||
	    !json_is_object(*payload)) {
		util_err(err, errlen, "event and payload object are required");
		return 400;
	}
	return 0;
}

static int
android_parse_sms(const struct provider_conf *conf,
    const struct sp_request *req, struct inbound_msg *in, char *err,
    size_t errlen)
{
	json_t *root, *payload = NULL;
	const char *event = NULL, *from, *text;
	int status;

	memset(in, 0, sizeof(*in));
	status = android_event(conf, req, &root, &event, &payload, err, errlen);
	if (status != 0)
		goto out;
	if (strcmp(event, "sms:received") != 0) {
		util_err(err, errlen, "event %.40s belongs on /status/android",
		    event);
		status = 400;
		goto out;
	}
	from = json_string_value(json_object_get(payload, "phoneNumber"));
	text = json_string_value(json_object_get(payload, "message"));
	if (from == NULL || *from == '\0' || text == NULL) {
		util_err(err, errlen, "payload.phoneNumber and payload.message "
		    "are required");
		status = 400;
		goto out;
	}
	/* recipient (newer apps) is the SIM's own number, often null. */
	status = provider_fill_inbound(conf, from,
	    json_string_value(json_object_get(payload, "recipient")), text,
	    json_string_value(json_object_get(root, "id")), in, err, errlen);
	in->reply_inline_ok = 0;
out:
	json_decref(root);
	return status;
}

static int
android_render_sms_reply(const struct provider_conf *conf,
    const struct inbound_msg *in, char *const *texts, size_t n,
    struct buf *out, const char **content_type)
{
	(void)conf;
	(void)in;
	(void)texts;
	(void)n;
	/* The app ignores the answer's body: replies go through the outbox. */
	*content_type = "application/json";
	return buf_puts(out, "{}");
}

static void
android_check_conf(const struct provider_conf *conf, struct buf *problems,
    struct buf *warnings)
{
	(void)warnings;
	if (!is_set(conf->webhook_key) && !is_set(conf->url_token))
		buf_printf(problems, "no webhook secret: set the environment "
		    "variable %s (signing key) or %s (URL token) (until then "
		    "every webhook is refused with 403)\n",
		    provider_env_name(conf->webhook_key_env),
		    provider_env_name(conf->url_token_env));
	if (!is_set(conf->auth_token))
		buf_printf(problems, "no password: set the environment "
		    "variable %s (until then nothing is sent)\n",
		    provider_env_name(conf->auth_token_env));
}

static int
android_build_send(const struct provider_conf *conf,
    const struct sp_outbound *msg, struct sp_http_call *call, char *err,
    size_t errlen)
{
	memset(call, 0, sizeof(*call));
	if (!is_set(conf->api_base)) {
		util_err(err, errlen, "android.api_base is not set "
		    "(http://<phone-ip>:8080 or " ANDROID_API_BASE ")");
		return -1;
	}
	if (!is_set(conf->account_sid)) {
		util_err(err, errlen, "android.account_sid (username) is not set");
		return -1;
	}
	if (!is_set(conf->auth_token)) {
		util_err(err, errlen, "no password: set the environment variable "
		    "%s", provider_env_name(conf->auth_token_env));
		return -1;
	}
	/* Written out rather than through jansson's pack and dump, which
	 * were two thirds of the cost of starting a reply's send. */
	if (!text_utf8_valid(msg->body, strlen(msg->body)) ||
	    !text_utf8_valid(msg->to, strlen(msg->to))) {
		util_err(err, errlen, "message cannot be encoded as JSON");
		return -1;
	}
	call->url = xasprintf("%s%s", conf->api_base, ANDROID_SEND_PATH);
	call->userpwd = xasprintf("%s:%s", conf->account_sid, conf->auth_token);
	provider_http_call_header(call, "Content-Type: application/json");
	provider_http_call_header(call, "Accept: application/json");
	call->body = xcalloc(1, sizeof(*call->body));
	buf_init(call->body, 0);
	buf_puts(call->body, "{\"textMessage\":{\"text\":");
	buf_json_string(call->body, msg->body);
	buf_puts(call->body, "},\"phoneNumbers\":[");
	buf_json_string(call->body, msg->to);
	buf_puts(call->body, "],\"withDeliveryReport\":true}");
	return 0;
}

/* Plain text as an error message: its first line, control bytes dropped. */
static void
text_message(const char *body, size_t len, char *out, size_t outlen)
{
	size_t line = 0, i, o = 0;

	while (line < len && body[line] != '\n' && body[line] != '\r' &&
	    body[line] != '\0')
		line++;
	copy_utf8(out, body, line, outlen);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] >= 0x20 && out[i] != 0x7f)
			out[o++] = out[i];
	out[o] = '\0';
	if (!text_utf8_valid(out, o))
		out[0] = '\0';
}

static void
android_parse_send(const struct provider_conf *conf, long http_status,
    const char *body, size_t len, struct sp_send_result *res)
{
	json_t *root = NULL, *code;
	const char *id, *message;
	char text[200];

	(void)conf;
	provider_classify_send(http_status, res);
	if (body != NULL && len > 0)
		root = json_loadb(body, len, 0, NULL);
	if (res->outcome == SEND_ACCEPTED) {
		id = json_string_value(json_object_get(root, "id"));
		if (id != NULL && *id != '\0' &&
		    strlen(id) < sizeof(res->provider_id))
			util_strlcpy(res->provider_id, id,
			    sizeof(res->provider_id));
		else
			/* Taken, so never resent; status reports won't match. */
			log_warn("android_send", "problem=\"answer has no "
			    "usable id\" http_status=%ld", http_status);
		goto out;
	}
	message = json_string_value(json_object_get(root, "message"));
	code = json_object_get(root, "code");
	if (json_is_integer(code))
		snprintf(res->error_code, sizeof(res->error_code), "%lld",
		    (long long)json_integer_value(code));
	if (message != NULL && *message != '\0') {
		copy_utf8(text, message, strlen(message), sizeof(text));
		snprintf(res->error_message, sizeof(res->error_message),
		    "HTTP %ld: %s", http_status, text);
	} else if (root == NULL && body != NULL && len > 0) {
		text_message(body, len, text, sizeof(text));
		if (text[0] != '\0')
			snprintf(res->error_message,
			    sizeof(res->error_message), "HTTP %ld: %s",
			    http_status, text);
	}
out:
	json_decref(root);
}

static const struct {
	const char		*event;
	enum msg_state	 state;
} status_events[] = {
	{ "sms:sent",		MSG_SENT },
	{ "sms:delivered",	MSG_DELIVERED },
	{ "sms:failed",		MSG_FAILED },
};

static int
android_parse_status(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_status_update *up, char *err,
    size_t errlen)
{
	json_t *root, *payload = NULL;
	const char *event = NULL, *id, *reason;
	size_t i;
	int status;

	memset(up, 0, sizeof(*up));
	status = android_event(conf, req, &root, &event, &payload, err, errlen);
	if (status != 0)
		goto out;
	if (strcmp(event, "sms:received") == 0) {
		util_err(err, errlen, "sms:received belongs on /sms/android");
		status = 400;
		goto out;
	}
	for (i = 0; i < SP_ARRAY_LEN(status_events); i++)
		if (strcmp(event, status_events[i].event) == 0)
			break;
	if (i == SP_ARRAY_LEN(status_events))
		goto out;	/* not tracked: provider_id stays empty */
	id = json_string_value(json_object_get(payload, "messageId"));
	if (id == NULL || *id == '\0' || strlen(id) >= sizeof(up->provider_id)) {
		util_err(err, errlen, "payload.messageId missing or too long");
		status = 400;
		goto out;
	}
	util_strlcpy(up->provider_id, id, sizeof(up->provider_id));
	up->state = status_events[i].state;
	util_strlcpy(up->raw_status, event, sizeof(up->raw_status));
	if (up->state == MSG_FAILED) {
		reason = json_string_value(json_object_get(payload, "reason"));
		if (reason != NULL)
			copy_utf8(up->reason, reason, strlen(reason),
			    sizeof(up->reason));
	}
out:
	json_decref(root);
	if (status != 0)
		memset(up, 0, sizeof(*up));
	return status;
}

static const struct config_directive android_settings[] = {
	PROVIDER_SETTINGS("android", "SAMPARK_ANDROID", ANDROID_API_BASE,
	    "gateway username"),
};

const struct provider provider_android = {
	.name = "android",
	.settings = android_settings,
	.nsettings = SP_ARRAY_LEN(android_settings),
	.parse_sms = android_parse_sms,
	.render_sms_reply = android_render_sms_reply,
	.check_conf = android_check_conf,
	.build_send = android_build_send,
	.parse_send = android_parse_send,
	.parse_status = android_parse_status,
};
