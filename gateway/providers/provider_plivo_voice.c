/*
 * provider_plivo_voice: Plivo's voice webhooks, answered with Plivo XML
 * (<GetDigits>, <Speak>, <Play>, <Redirect>, <Dial>, <Hangup>;
 * providers.md §3.3), and outbound calls through the Call API.
 *
 * Every voice webhook must carry a valid V3 signature over the public URL,
 * as the SMS webhooks do.  Plivo's basic speech engine has no Indian
 * languages, so speech names a Polly voice that speaks Hindi and Indian
 * English (Polly.Aditi).  finishOnKey is disabled so that '#' is a menu
 * key like any other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form.h"
#include "provider_plivo.h"
#include "provider_voice.h"
#include "util.h"

#define PLIVO_VOICE	"Polly.Aditi"

int
plivo_parse_voice(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_voice_event *ev, char *err,
    size_t errlen)
{
	const char *sig, *nonce, *dir, *digits, *status;
	struct form f;
	char *url;
	int ok, rc, get = strcmp(req->method, "GET") == 0;

	memset(ev, 0, sizeof(*ev));
	rc = provider_parse_params(req, &f, err, errlen);
	if (rc != 0)
		goto out;
	if (conf->auth_token == NULL || *conf->auth_token == '\0') {
		sp_err(err, errlen, "no plivo auth token configured");
		rc = 403;
		goto out;
	}
	sig = req->header(req, "X-Plivo-Signature-V3");
	nonce = req->header(req, "X-Plivo-Signature-V3-Nonce");
	url = voice_public_url(conf, req);
	/* For a GET the parameters are the URL's query, already in url. */
	ok = plivo_v3_valid(conf->auth_token, sig, req->method, url,
	    get ? NULL : &f, nonce);
	free(url);
	if (!ok) {
		sp_err(err, errlen, "%s X-Plivo-Signature-V3", sig == NULL ?
		    "missing" : "invalid");
		rc = 403;
		goto out;
	}
	if ((rc = voice_copy_call_id(form_get(&f, "CallUUID"), ev->call_id,
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
	ev->outbound = dir != NULL && strcmp(dir, "outbound") == 0;
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
	return buf_printf(out, "<Speak voice=\"" PLIVO_VOICE "\" "
	    "language=\"%s\">", voice_lang_tag(s->lang)) |
	    buf_xml_escape(out, s->text) | buf_puts(out, "</Speak>");
}

static const char *
no_plus(const char *s)
{
	return s != NULL && *s == '+' ? s + 1 : (s != NULL ? s : "");
}

int
plivo_render_voice(const struct provider_conf *conf,
    const struct sp_voice_answer *ans, struct buf *out,
    const char **content_type, int *http_status)
{
	size_t i;
	int rc = 0;

		*content_type = "application/xml";
	*http_status = 200;
	rc |= buf_puts(out, "<Response>");
	if (ans->reject_busy)
		return rc | buf_puts(out, "<Hangup reason=\"busy\"/>"
		    "</Response>");
	if (ans->gather) {
		rc |= buf_printf(out, "<GetDigits numDigits=\"%d\" "
		    "timeout=\"%d\" retries=\"1\" finishOnKey=\"none\" "
		    "redirect=\"true\" method=\"POST\" action=\"",
		    ans->num_digits > 0 ? ans->num_digits : 1,
		    ans->timeout_s > 0 ? ans->timeout_s : 5);
		rc |= buf_xml_escape(out, ans->action_url != NULL ?
		    ans->action_url : "");
		rc |= buf_puts(out, "\">");
	}
	for (i = 0; i < ans->nspeech; i++)
		rc |= speech(conf, out, &ans->speech[i]);
	if (ans->gather)
		rc |= buf_puts(out, "</GetDigits>");
	if (ans->gather && ans->redirect_url != NULL)
		rc |= buf_puts(out, "<Redirect method=\"POST\">") |
		    buf_xml_escape(out, ans->redirect_url) |
		    buf_puts(out, "</Redirect>");
	if (!ans->gather && ans->dial != NULL)
		rc |= buf_puts(out, "<Dial><Number>") |
		    buf_xml_escape(out, no_plus(ans->dial)) |
		    buf_puts(out, "</Number></Dial>");
	if (!ans->gather && ans->hangup)
		rc |= buf_puts(out, "<Hangup/>");
	rc |= buf_puts(out, "</Response>");
	return rc != 0 ? -1 : 0;
}

int
plivo_build_call(const struct provider_conf *conf, const struct sp_call *c,
    struct sp_http_call *call, char *err, size_t errlen)
{
	const char *from = c->from != NULL && *c->from != '\0' ? c->from :
	    conf->from;
	json_t *o;
	char *json;
	int rc = 0;

	memset(call, 0, sizeof(*call));
	if (conf->account_sid == NULL || *conf->account_sid == '\0' ||
	    strspn(conf->account_sid, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789") !=
	    strlen(conf->account_sid) || conf->auth_token == NULL ||
	    *conf->auth_token == '\0') {
		sp_err(err, errlen, "plivo: account_sid (Auth ID) or auth "
		    "token not configured");
		return -1;
	}
	if (from == NULL || *from == '\0') {
		sp_err(err, errlen, "plivo: no caller number (from)");
		return -1;
	}
	if (c->to == NULL || *c->to == '\0' || c->answer_url == NULL) {
		sp_err(err, errlen, "plivo: call has no destination or URL");
		return -1;
	}
	o = json_object();
	rc |= json_object_set_new(o, "from", json_string(no_plus(from)));
	rc |= json_object_set_new(o, "to", json_string(no_plus(c->to)));
	rc |= json_object_set_new(o, "answer_url", json_string(c->answer_url));
	rc |= json_object_set_new(o, "answer_method", json_string("POST"));
	if (c->status_url != NULL && *c->status_url != '\0') {
		rc |= json_object_set_new(o, "hangup_url",
		    json_string(c->status_url));
		rc |= json_object_set_new(o, "hangup_method",
		    json_string("POST"));
	}
	json = rc == 0 ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (json == NULL) {
		sp_err(err, errlen, "plivo: cannot encode the call");
		return -1;
	}
	call->url = xasprintf("%s/v1/Account/%s/Call/", conf->api_base,
	    conf->account_sid);
	call->userpwd = xasprintf("%s:%s", conf->account_sid,
	    conf->auth_token);
	sp_http_call_header(call, "Content-Type: application/json");
	call->body = xmalloc(sizeof(*call->body));
	buf_init(call->body, 0);
	buf_puts(call->body, json);
	free(json);
	return 0;
}
