/*
 * provider_twilio_voice: Twilio's voice webhooks (providers.md §1.4),
 * answered with TwiML voice verbs (§1.5), and outbound calls through the
 * Calls resource for missed-call callbacks.
 *
 * Every voice webhook must carry a valid X-Twilio-Signature over the
 * public URL, exactly as the SMS webhooks do; without an auth token all
 * are refused.  When no key is pressed Twilio falls through to the verb
 * after <Gather>: a <Redirect> back to us, which is how a timeout reaches
 * the menu.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "provider_twilio.h"
#include "provider_voice.h"
#include "util.h"

#define TWIML_HEAD	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
#define TWILIO_API_BASE	"https://api.twilio.com"

int
twilio_parse_voice(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_voice_event *ev, char *err,
    size_t errlen)
{
	const char *sig, *account, *dir, *digits, *status;
	struct form f;
	char *url;
	int ok, rc, get = strcmp(req->method, "GET") == 0;

	memset(ev, 0, sizeof(*ev));
	rc = provider_parse_params(req, &f, err, errlen);
	if (rc != 0)
		goto out;
	if (conf->auth_token == NULL || *conf->auth_token == '\0') {
		sp_err(err, errlen, "no twilio auth token configured");
		rc = 403;
		goto out;
	}
	sig = req->header(req, "X-Twilio-Signature");
	url = voice_public_url(conf, req);
	/* A GET is signed over the URL alone: its query is in it. */
	ok = sig != NULL && twilio_signature_valid(conf->auth_token, sig, url,
	    get ? NULL : &f);
	free(url);
	if (!ok) {
		sp_err(err, errlen, "%s X-Twilio-Signature",
		    sig == NULL ? "missing" : "invalid");
		rc = 403;
		goto out;
	}
	account = form_get(&f, "AccountSid");
	if (conf->account_sid != NULL && *conf->account_sid != '\0' &&
	    (account == NULL || strcmp(account, conf->account_sid) != 0)) {
		sp_err(err, errlen, "AccountSid is not ours");
		rc = 403;
		goto out;
	}
	if ((rc = voice_copy_call_id(form_get(&f, "CallSid"), ev->call_id,
	    sizeof(ev->call_id), err, errlen)) != 0)
		goto out;
	digits = form_get(&f, "Digits");
	ev->has_digits = digits != NULL;
	if ((rc = voice_copy_digits(digits, ev->digits, sizeof(ev->digits),
	    err, errlen)) != 0)
		goto out;
	voice_number(conf, form_get(&f, "From"), ev->from, sizeof(ev->from));
	voice_number(conf, form_get(&f, "To"), ev->to, sizeof(ev->to));
	dir = form_get(&f, "Direction");
	ev->outbound = dir != NULL && strncmp(dir, "outbound", 8) == 0;
	status = form_get(&f, "CallStatus");
	if (status != NULL && strlen(status) < sizeof(ev->status) &&
	    strspn(status, "abcdefghijklmnopqrstuvwxyz-") == strlen(status))
		sp_strlcpy(ev->status, status, sizeof(ev->status));
	ev->ended = voice_status_ended(ev->status);
	ev->new_call = !ev->has_digits && (req->query == NULL ||
	    strstr(req->query, "ev=") == NULL);
out:
	form_free(&f);
	if (rc != 0)
		memset(ev, 0, sizeof(*ev));
	return rc;
}

/* Play only what is known to reach the provider: a Play it cannot fetch
 * is silence for the caller. */
static int
speech(const struct provider_conf *conf, struct buf *out,
    const struct sp_voice_speech *s)
{
	const char *url = voice_play_url(conf, s);

	if (url != NULL)
		return buf_puts(out, "<Play>") | buf_xml_escape(out, url) |
		    buf_puts(out, "</Play>");
	return buf_printf(out, "<Say language=\"%s\">",
	    voice_lang_tag(s->lang)) | buf_xml_escape(out, s->text) |
	    buf_puts(out, "</Say>");
}

int
twilio_render_voice(const struct provider_conf *conf,
    const struct sp_voice_answer *ans, struct buf *out,
    const char **content_type, int *http_status)
{
	size_t i;
	int rc = 0;

	*content_type = "text/xml; charset=utf-8";
	*http_status = 200;
	rc |= buf_puts(out, TWIML_HEAD "<Response>");
	if (ans->reject_busy)
		return rc | buf_puts(out, "<Reject reason=\"busy\"/></Response>");
	if (ans->gather) {
		/* finishOnKey="": '#' is a menu key, not the end of input. */
		rc |= buf_printf(out, "<Gather input=\"dtmf\" numDigits=\"%d\" "
		    "timeout=\"%d\" finishOnKey=\"\" method=\"POST\" "
		    "language=\"%s\" action=\"",
		    ans->num_digits > 0 ? ans->num_digits : 1,
		    ans->timeout_s > 0 ? ans->timeout_s : 5,
		    voice_lang_tag(ans->lang));
		rc |= buf_xml_escape(out, ans->action_url != NULL ?
		    ans->action_url : "");
		rc |= buf_puts(out, "\">");
	}
	for (i = 0; i < ans->nspeech; i++)
		rc |= speech(conf, out, &ans->speech[i]);
	if (ans->gather)
		rc |= buf_puts(out, "</Gather>");
	if (ans->gather && ans->redirect_url != NULL)
		rc |= buf_puts(out, "<Redirect method=\"POST\">") |
		    buf_xml_escape(out, ans->redirect_url) |
		    buf_puts(out, "</Redirect>");
	if (!ans->gather && ans->dial != NULL)
		rc |= buf_puts(out, "<Dial>") | buf_xml_escape(out, ans->dial) |
		    buf_puts(out, "</Dial>");
	if (!ans->gather && ans->hangup)
		rc |= buf_puts(out, "<Hangup/>");
	rc |= buf_puts(out, "</Response>");
	return rc != 0 ? -1 : 0;
}

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

int
twilio_build_call(const struct provider_conf *conf, const struct sp_call *c,
    struct sp_http_call *call, char *err, size_t errlen)
{
	const char *from = c->from != NULL && *c->from != '\0' ? c->from :
	    conf->from, *base;
	struct buf *body;
	int rc = 0;

	memset(call, 0, sizeof(*call));
	if (!sid_ok(conf->account_sid) || conf->auth_token == NULL ||
	    *conf->auth_token == '\0') {
		sp_err(err, errlen, "twilio account_sid or auth token not "
		    "configured");
		return -1;
	}
	if (from == NULL || *from == '\0' || strncmp(from, "MG", 2) == 0) {
		sp_err(err, errlen, "no caller number: set twilio.from to a "
		    "voice number");
		return -1;
	}
	if (c->to == NULL || *c->to == '\0' || c->answer_url == NULL) {
		sp_err(err, errlen, "call has no destination or answer URL");
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
	if (rc != 0) {
		buf_free(body);
		free(body);
		sp_err(err, errlen, "cannot encode the request");
		return -1;
	}
	base = conf->api_base != NULL && *conf->api_base != '\0' ?
	    conf->api_base : TWILIO_API_BASE;
	call->url = xasprintf("%s/2010-04-01/Accounts/%s/Calls.json", base,
	    conf->account_sid);
	call->userpwd = xasprintf("%s:%s", conf->account_sid,
	    conf->auth_token);
	call->body = body;
	sp_http_call_header(call,
	    "Content-Type: application/x-www-form-urlencoded");
	sp_http_call_header(call, "Accept: application/json");
	return 0;
}
