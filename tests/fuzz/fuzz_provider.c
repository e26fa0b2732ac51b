/*
 * fuzz_provider: the part of every provider target that does not depend
 * on the provider: its settings, the calls, and the contract checks on
 * what comes back (see fuzz_common.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "log.h"
#include "phone.h"
#include "provider.h"
#include "provider_voice.h"
#include "text.h"
#include "util.h"

#define FUZZ_REPLY_MAX	(64 * 1024)

static char auth_token[] = "fuzz-auth-token";
static char url_token[] = "tok123";
static char webhook_key[] = "fuzz-webhook-key";

static void
contract(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz: provider contract broken: %s\n", what);
		abort();
	}
}

/* 1 if the array holds a NUL, i.e. is a bounded C string. */
static int
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static int
webhook_status_ok(int status)
{
	return status == 0 || status == 400 || status == 403 ||
	    status == 405 || status == 415;
}

void
fuzz_provider_conf(const struct fuzz_request *fr, const char *name,
    const char *account_sid, struct provider_conf *conf)
{
	log_set_level(LOG_LEVEL_ERROR);
	memset(conf, 0, sizeof(*conf));
	conf->enabled = 1;
	conf->name = name;
	conf->public_url = fuzz_request_opt(fr, FUZZ_OPT_NO_PUBLIC) ? "" :
	    "https://gw.example.in";
	conf->default_cc = "91";
	conf->account_sid = fuzz_request_opt(fr, FUZZ_OPT_NO_ACCOUNT) ? "" :
	    account_sid;
	conf->api_key = "key123";
	conf->api_base = "https://api.example.in";
	conf->from = "+919000000000";
	conf->dlt_entity_id = "";
	conf->dlt_template_id = "";
	conf->sms_type = "transactional";
	conf->auth_token = auth_token;
	conf->url_token = url_token;
	conf->webhook_key = fuzz_request_opt(fr, FUZZ_OPT_KEY) ? webhook_key :
	    NULL;
	conf->reply_inline = 1;
}

static void
run_sms(const struct provider *p, const struct provider_conf *conf,
    struct fuzz_request *fr)
{
	struct inbound_msg in;
	struct buf out;
	const char *ctype;
	char *texts[2];
	char err[256];
	int status;

	err[0] = '\0';
	status = p->parse_sms(conf, &fr->r, &in, err, sizeof(err));
	contract(webhook_status_ok(status), "parse_sms status");
	contract(terminated(err, sizeof(err)), "parse_sms err");
	if (status != 0) {
		contract(in.body == NULL && in.provider_msg_id == NULL,
		    "parse_sms left *in filled on failure");
		records_inbound_clear(&in);
		return;
	}
	contract(in.body != NULL && text_utf8_valid(in.body,
	    strlen(in.body)), "inbound body not UTF-8");
	contract(terminated(in.from, sizeof(in.from)) &&
	    phone_is_e164(in.from), "inbound from not E.164");
	contract(terminated(in.to, sizeof(in.to)) &&
	    (in.to[0] == '\0' || phone_is_e164(in.to)), "inbound to not E.164");

	/* The reply carries the text back: escaping is exercised too. */
	texts[0] = in.body;
	texts[1] = "धन्यवाद! <ok> & \"done\"";
	buf_init(&out, FUZZ_REPLY_MAX);
	ctype = NULL;
	if (p->render_sms_reply(conf, &in, texts, 2, &out, &ctype) == 0)
		contract(ctype != NULL, "render without content type");
	buf_free(&out);
	buf_init(&out, FUZZ_REPLY_MAX);
	ctype = NULL;
	contract(p->render_sms_reply(conf, NULL, NULL, 0, &out, &ctype) == 0 &&
	    ctype != NULL, "empty render failed");
	buf_free(&out);
	records_inbound_clear(&in);
}

static void
run_status(const struct provider *p, const struct provider_conf *conf,
    struct fuzz_request *fr)
{
	struct sp_status_update up;
	char err[256];
	int status;

	if (p->parse_status == NULL)
		return;
	err[0] = '\0';
	status = p->parse_status(conf, &fr->r, &up, err, sizeof(err));
	contract(webhook_status_ok(status), "parse_status status");
	contract(terminated(err, sizeof(err)), "parse_status err");
	if (status != 0)
		return;
	/* An empty id means "acknowledged, not tracked" (e.g. a ping). */
	contract(terminated(up.provider_id, sizeof(up.provider_id)),
	    "provider id");
	if (up.provider_id[0] == '\0')
		return;
	contract(terminated(up.raw_status, sizeof(up.raw_status)) &&
	    terminated(up.error_code, sizeof(up.error_code)) &&
	    terminated(up.reason, sizeof(up.reason)), "status strings");
	contract(up.state >= MSG_SENT && up.state <= MSG_EXPIRED,
	    "status state out of range");
}

static void
run_send(const struct provider *p, const struct provider_conf *conf,
    struct fuzz_request *fr)
{
	struct sp_send_result res;
	long http;

	if (p->parse_send == NULL)
		return;
	http = strtol(fr->method, NULL, 10);
	if (http < 0 || http > 999)
		http = 200;
	provider_classify_send(http, &res);
	p->parse_send(conf, http, fr->body, fr->r.body_len, &res);
	contract(res.outcome == SEND_ACCEPTED || res.outcome == SEND_RETRY ||
	    res.outcome == SEND_FAILED, "send outcome");
	contract(terminated(res.provider_id, sizeof(res.provider_id)) &&
	    terminated(res.error_code, sizeof(res.error_code)) &&
	    terminated(res.error_message, sizeof(res.error_message)),
	    "send result strings");
}

static int
digits_ok(const char *s)
{
	return strspn(s, "0123456789*#") == strlen(s);
}

static void
run_voice(const struct provider *p, const struct provider_conf *conf,
    struct fuzz_request *fr)
{
	static const enum sp_voice_kind kinds[] = { VOICE_CALL, VOICE_PROMPT,
	    VOICE_STATUS };
	struct sp_voice_event ev;
	struct sp_voice_answer ans;
	struct buf out;
	const char *ctype, *text;
	char *action;
	int status, http;
	size_t i;

	if (p->parse_voice == NULL)
		return;
	memset(&ev, 0x5a, sizeof(ev));	/* whatever the adapter leaves */
	status = p->parse_voice(conf, &fr->r, &ev, NULL, 0);
	contract(webhook_status_ok(status), "parse_voice status");
	if (status != 0)
		return;
	contract(terminated(ev.call_id, sizeof(ev.call_id)) &&
	    ev.call_id[0] != '\0', "voice call id");
	contract(terminated(ev.from, sizeof(ev.from)) &&
	    (ev.from[0] == '\0' || phone_is_e164(ev.from)), "voice from");
	contract(terminated(ev.to, sizeof(ev.to)) &&
	    (ev.to[0] == '\0' || phone_is_e164(ev.to)), "voice to");
	contract(terminated(ev.digits, sizeof(ev.digits)) &&
	    digits_ok(ev.digits), "voice digits");
	contract(terminated(ev.status, sizeof(ev.status)), "voice status");
	if (p->render_voice == NULL)
		return;

	/* Answer with what came in, so escaping is exercised too. */
	text = text_utf8_valid(fr->body, fr->r.body_len) ? fr->body :
	    "नमस्ते <& \"'>";
	action = xasprintf("https://gw.example.in/voice/%s?ev=menu&call=%s",
	    conf->name, ev.call_id);
	for (i = 0; i < SP_ARRAY_LEN(kinds); i++) {
		memset(&ans, 0, sizeof(ans));
		ans.kind = kinds[i];
		provider_voice_say(&ans, text, "hi", NULL);
		provider_voice_say(&ans, "Press 1", "en",
		    "https://gw.example.in/audio/en/ivr.main.wav?a=1&b=<2>");
		ans.gather = i != 2;
		ans.num_digits = 1;
		ans.timeout_s = 6;
		ans.lang = "hi";
		ans.action_url = action;
		ans.redirect_url = action;
		ans.dial = i == 1 ? "+919812345678" : NULL;
		ans.hangup = i == 2;
		ans.reject_busy = ev.digits[0] == '#';
		buf_init(&out, FUZZ_REPLY_MAX);
		ctype = NULL;
		http = 0;
		if (p->render_voice(conf, &ans, &out, &ctype, &http) == 0)
			contract(ctype != NULL && http >= 200 && http < 600,
			    "render_voice answer");
		buf_free(&out);
	}
	free(action);
}

void
fuzz_provider_run(const struct provider *p, const struct provider_conf *conf,
    struct fuzz_request *fr)
{
	if (fuzz_request_opt(fr, FUZZ_OPT_SEND))
		run_send(p, conf, fr);
	else if (fuzz_request_opt(fr, FUZZ_OPT_VOICE))
		run_voice(p, conf, fr);
	else if (fuzz_request_opt(fr, FUZZ_OPT_STATUS))
		run_status(p, conf, fr);
	else
		run_sms(p, conf, fr);
}
