/*
 * provider_exotel_voice: Exotel's call flows (providers.md §2.4).  Exotel
 * runs the call from a flow built in its dashboard, and asks us two kinds
 * of question, both GET with the call in the query:
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
 * Exotel signs nothing: every voice webhook must carry the secret URL
 * token, checked first, as for its SMS.
 *
 * The Gather JSON field names (gather_prompt, max_input_digits,
 * input_timeout, repeat_menu, repeat_gather_prompt) are from Exotel's
 * support article on the Gather applet; confirm with a real account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form.h"
#include "provider_voice.h"
#include "util.h"

static const char *
first_of(const struct form *f, const char *a, const char *b)
{
	const char *v = provider_required(f, a);

	return v != NULL ? v : provider_required(f, b);
}

int
exotel_parse_voice(const struct provider_conf *conf,
    const struct sp_request *req, struct sp_voice_event *ev, char *err,
    size_t errlen)
{
	const char *dir, *digits, *status;
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
	if ((rc = voice_copy_call_id(form_get(&f, "CallSid"), ev->call_id,
	    sizeof(ev->call_id), err, errlen)) != 0)
		goto out;
	digits = form_get(&f, "digits");
	ev->has_digits = digits != NULL;
	if ((rc = voice_copy_digits(digits, ev->digits, sizeof(ev->digits),
	    err, errlen)) != 0)
		goto out;
	voice_number(conf, first_of(&f, "CallFrom", "From"), ev->from,
	    sizeof(ev->from));
	voice_number(conf, first_of(&f, "CallTo", "To"), ev->to,
	    sizeof(ev->to));
	dir = form_get(&f, "Direction");
	ev->outbound = dir != NULL && strncmp(dir, "outbound", 8) == 0;
	status = first_of(&f, "CallStatus", "Status");
	if (status != NULL && strlen(status) < sizeof(ev->status) &&
	    strspn(status, "abcdefghijklmnopqrstuvwxyz-") == strlen(status))
		sp_strlcpy(ev->status, status, sizeof(ev->status));
	ev->ended = voice_status_ended(ev->status);
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
	    (url = voice_play_url(conf, &ans->speech[0])) != NULL)
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

int
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
unset(const char *s)
{
	return s == NULL || *s == '\0';
}

int
exotel_build_call(const struct provider_conf *conf, const struct sp_call *c,
    struct sp_http_call *call, char *err, size_t errlen)
{
	const char *from = unset(c->from) ? conf->from : c->from;
	const char *url = unset(conf->voice_url) ? c->answer_url :
	    conf->voice_url;
	struct buf *b;
	int rc = 0;

	memset(call, 0, sizeof(*call));
	if (unset(conf->api_base) || unset(conf->account_sid) ||
	    unset(conf->api_key) || unset(conf->auth_token)) {
		sp_err(err, errlen, "exotel api_base, account_sid, api_key or "
		    "api token not configured");
		return -1;
	}
	if (unset(from) || unset(c->to) || unset(url)) {
		sp_err(err, errlen, "exotel: call needs a caller id (from), a "
		    "number and a flow URL (exotel.voice_url)");
		return -1;
	}
	call->url = xasprintf("%s/v1/Accounts/%s/Calls/connect.json",
	    conf->api_base, conf->account_sid);
	call->userpwd = xasprintf("%s:%s", conf->api_key, conf->auth_token);
	sp_http_call_header(call,
	    "Content-Type: application/x-www-form-urlencoded");
	sp_http_call_header(call, "Accept: application/json");
	b = call->body = xcalloc(1, sizeof(*b));
	buf_init(b, 0);
	/* Exotel calls From first, then connects it to the flow at Url. */
	rc |= form_encode_pair(b, "From", c->to);
	rc |= form_encode_pair(b, "CallerId", from);
	rc |= form_encode_pair(b, "Url", url);
	rc |= form_encode_pair(b, "CallType", "trans");
	if (!unset(c->status_url))
		rc |= form_encode_pair(b, "StatusCallback", c->status_url);
	if (rc != 0) {
		sp_err(err, errlen, "exotel: request body too large");
		sp_http_call_clear(call);
		return -1;
	}
	return 0;
}
