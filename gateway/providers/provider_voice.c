/*
 * provider_voice: what the voice adapters share (see provider_voice.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "form.h"
#include "phone.h"
#include "provider_voice.h"
#include "util.h"

void
provider_voice_say(struct sp_voice_answer *ans, const char *text, const char *lang,
    const char *audio_url)
{
	struct sp_voice_speech *s;

	if (ans->nspeech == SP_VOICE_SPEECH_MAX || text == NULL)
		return;
	s = &ans->speech[ans->nspeech++];
	s->text = text;
	s->lang = lang;
	s->audio_url = audio_url;
}

const char *
provider_voice_lang_tag(const char *lang)
{
	if (lang != NULL && strcmp(lang, "hi") == 0)
		return "hi-IN";
	return "en-IN";
}

int
provider_voice_status_ended(const char *status)
{
	static const char *const over[] = { "completed", "busy", "failed",
	    "no-answer", "canceled", "cancel", "hangup", "timeout",
	    "machine" };
	size_t i;

	for (i = 0; status != NULL && i < SP_ARRAY_LEN(over); i++)
		if (strcasecmp(status, over[i]) == 0)
			return 1;
	return 0;
}

int
provider_voice_copy_call_id(const char *id, char *out, size_t outlen, char *err,
    size_t errlen)
{
	size_t i;

	if (id == NULL || *id == '\0' || strlen(id) >= outlen) {
		util_err(err, errlen, "%s call id", id == NULL || *id == '\0' ?
		    "missing" : "too long a");
		return 400;
	}
	for (i = 0; id[i] != '\0'; i++)
		if (id[i] <= ' ' || id[i] > '~') {
			util_err(err, errlen, "bad call id");
			return 400;
		}
	util_strlcpy(out, id, outlen);
	return 0;
}

int
provider_voice_copy_digits(const char *raw, char *out, size_t outlen, char *err,
    size_t errlen)
{
	size_t n = 0;

	out[0] = '\0';
	for (; raw != NULL && *raw != '\0'; raw++) {
		if (*raw == '"' || *raw == ' ')
			continue;	/* Exotel sends "1", quotes included */
		if (strchr("0123456789*#", *raw) == NULL || n + 1 >= outlen) {
			util_err(err, errlen, "bad digits");
			return 400;
		}
		out[n++] = *raw;
		out[n] = '\0';
	}
	return 0;
}

void
provider_voice_number(const struct provider_conf *conf, const char *raw, char *out,
    size_t outlen)
{
	char plus[64];

	out[0] = '\0';
	if (raw == NULL || *raw == '\0')
		return;
	if (phone_to_e164(raw, conf->default_cc, out, outlen, NULL, 0) == 0)
		return;
	/* Some providers (Plivo) write international numbers without '+'. */
	if (strlen(raw) < sizeof(plus) - 1 &&
	    strspn(raw, "0123456789") == strlen(raw)) {
		snprintf(plus, sizeof(plus), "+%s", raw);
		if (phone_to_e164(plus, conf->default_cc, out, outlen, NULL,
		    0) == 0)
			return;
	}
	out[0] = '\0';
}

int
provider_voice_event_fill(const struct provider_conf *conf,
    const struct voice_fields *f, struct sp_voice_event *ev, char *err,
    size_t errlen)
{
	int rc;

	if ((rc = provider_voice_copy_call_id(f->call_id, ev->call_id,
	    sizeof(ev->call_id), err, errlen)) != 0)
		return rc;
	ev->has_digits = f->digits != NULL;
	if ((rc = provider_voice_copy_digits(f->digits, ev->digits, sizeof(ev->digits),
	    err, errlen)) != 0)
		return rc;
	provider_voice_number(conf, f->from, ev->from, sizeof(ev->from));
	provider_voice_number(conf, f->to, ev->to, sizeof(ev->to));
	/* Only a plain word is kept: it goes into logs and the store. */
	if (f->status != NULL && strlen(f->status) < sizeof(ev->status) &&
	    strspn(f->status, "abcdefghijklmnopqrstuvwxyz-") ==
	    strlen(f->status))
		util_strlcpy(ev->status, f->status, sizeof(ev->status));
	ev->ended = provider_voice_status_ended(ev->status);
	ev->duration_s = -1;
	if (f->duration != NULL && *f->duration != '\0' &&
	    strlen(f->duration) <= 7 &&
	    strspn(f->duration, "0123456789") == strlen(f->duration))
		ev->duration_s = strtol(f->duration, NULL, 10);
	return 0;
}

const char *
provider_voice_play_url(const struct provider_conf *conf,
    const struct sp_voice_speech *s)
{
	if (s->audio_url == NULL || conf == NULL || !conf->audio_ok)
		return NULL;
	return s->audio_url;
}

int
provider_voice_parse_form(const struct provider_conf *conf,
    const struct provider_voice_form *x, const struct sp_request *req,
    struct sp_voice_event *ev, char *err, size_t errlen)
{
	struct voice_fields vf;
	const char *dir;
	struct form f;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if ((rc = provider_parse_params(req, &f, err, errlen)) != 0 ||
	    (rc = x->check(conf, req, &f, strcmp(req->method, "GET") == 0 ?
	    NULL : &f, err, errlen)) != 0)
		goto out;
	vf.call_id = form_get(&f, x->call_id);
	vf.digits = form_get(&f, "Digits");
	vf.from = form_get(&f, "From");
	vf.to = form_get(&f, "To");
	vf.status = form_get(&f, "CallStatus");
	vf.duration = x->duration != NULL ? form_get(&f, x->duration) : NULL;
	if ((rc = provider_voice_event_fill(conf, &vf, ev, err, errlen)) != 0)
		goto out;
	dir = form_get(&f, "Direction");
	ev->outbound = dir != NULL && (x->outbound_prefix ?
	    strncmp(dir, x->outbound, strlen(x->outbound)) :
	    strcmp(dir, x->outbound)) == 0;
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
xml_speech(const struct provider_conf *conf,
    const struct provider_voice_xml *x, struct buf *out,
    const struct sp_voice_speech *s)
{
	const char *url = provider_voice_play_url(conf, s);

	if (url != NULL)
		return buf_puts(out, "<Play>") | buf_xml_escape(out, url) |
		    buf_puts(out, "</Play>");
	return buf_printf(out, x->say_open, provider_voice_lang_tag(s->lang)) |
	    buf_xml_escape(out, s->text) | buf_puts(out, x->say_close);
}

int
provider_voice_render_xml(const struct provider_conf *conf,
    const struct provider_voice_xml *x, const struct sp_voice_answer *ans,
    struct buf *out, const char **content_type, int *http_status)
{
	const char *dial;
	size_t i;
	int rc = 0;

	*content_type = x->content_type;
	*http_status = 200;
	rc |= buf_puts(out, x->head) | buf_puts(out, "<Response>");
	if (ans->reject_busy)
		return rc | buf_puts(out, x->reject_busy) |
		    buf_puts(out, "</Response>");
	if (ans->gather) {
		rc |= x->gather_open(out, ans);
		rc |= buf_xml_escape(out, ans->action_url != NULL ?
		    ans->action_url : "");
		rc |= buf_puts(out, "\">");
	}
	for (i = 0; i < ans->nspeech; i++)
		rc |= xml_speech(conf, x, out, &ans->speech[i]);
	if (ans->gather)
		rc |= buf_puts(out, x->gather_close);
	if (ans->gather && ans->redirect_url != NULL)
		rc |= buf_puts(out, "<Redirect method=\"POST\">") |
		    buf_xml_escape(out, ans->redirect_url) |
		    buf_puts(out, "</Redirect>");
	if (!ans->gather && ans->dial != NULL) {
		dial = x->dial_no_plus && ans->dial[0] == '+' ? ans->dial + 1 :
		    ans->dial;
		rc |= buf_puts(out, x->dial_open) | buf_xml_escape(out, dial) |
		    buf_puts(out, x->dial_close);
	}
	if (!ans->gather && ans->hangup)
		rc |= buf_puts(out, "<Hangup/>");
	rc |= buf_puts(out, "</Response>");
	return rc != 0 ? -1 : 0;
}
