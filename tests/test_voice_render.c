/*
 * test_voice_render: the voice half of the Twilio, Plivo and Exotel
 * adapters: answers checked as XML (well-formed, the expected verbs and
 * attributes) or JSON, webhooks verified and read, calls built.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "crypto.h"
#include "form.h"
#include "provider.h"
#include "provider_plivo.h"
#include "provider_voice.h"
#include "util.h"

/* The adapters under test (provider_table.c lists them). */
extern const struct provider provider_twilio;
extern const struct provider provider_plivo;
extern const struct provider provider_exotel;

/* ---- a small XML well-formedness check ---- */

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' ||
	    c == '.';
}

/* Skip an entity after '&'; 0 or -1. */
static int
entity(const char **pp)
{
	static const char *const ok[] = { "amp;", "lt;", "gt;", "quot;",
	    "apos;" };
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(ok); i++)
		if (strncmp(*pp, ok[i], strlen(ok[i])) == 0) {
			*pp += strlen(ok[i]);
			return 0;
		}
	return -1;
}

/* 1 if s is one well-formed element (after an optional prolog). */
static int
xml_well_formed(const char *s)
{
	char stack[16][32];
	int depth = 0, roots = 0;
	const char *p = s;
	size_t n;

	if (strncmp(p, "<?xml ", 6) == 0) {
		if ((p = strstr(p, "?>")) == NULL)
			return 0;
		p += 2;
	}
	while (*p != '\0') {
		if (*p == '&') {
			p++;
			if (depth == 0 || entity(&p) == -1)
				return 0;
			continue;
		}
		if (*p == '>')
			return 0;
		if (*p != '<') {
			if (depth == 0)
				return 0;	/* text outside the root */
			p++;
			continue;
		}
		p++;
		if (*p == '/') {
			p++;
			for (n = 0; name_char(p[n]); n++)
				;
			if (depth == 0 || n == 0 || p[n] != '>' ||
			    strlen(stack[depth - 1]) != n ||
			    strncmp(stack[depth - 1], p, n) != 0)
				return 0;
			depth--;
			p += n + 1;
			continue;
		}
		for (n = 0; name_char(p[n]); n++)
			;
		if (n == 0 || n >= sizeof(stack[0]) || depth == 16 ||
		    (depth == 0 && roots++ > 0))
			return 0;
		memcpy(stack[depth], p, n);
		stack[depth][n] = '\0';
		p += n;
		for (;;) {		/* attributes */
			while (*p == ' ')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			for (n = 0; name_char(p[n]); n++)
				;
			if (n == 0 || p[n] != '=' || p[n + 1] != '"')
				return 0;
			for (p += n + 2; *p != '"'; )
				if (*p == '\0' || *p == '<')
					return 0;
				else if (*p++ == '&' && entity(&p) == -1)
					return 0;
			p++;
		}
		if (*p == '/')
			p += 2;		/* empty element */
		else {
			depth++;
			p++;
		}
	}
	return depth == 0 && roots == 1;
}

static void
test_checker(void **state)
{
	(void)state;
	assert_true(xml_well_formed("<a><b x=\"1\">t &amp; u</b><c/></a>"));
	assert_false(xml_well_formed("<a><b></a></b>"));
	assert_false(xml_well_formed("<a x=1/>"));
	assert_false(xml_well_formed("<a>&bad;</a>"));
	assert_false(xml_well_formed("<a/><b/>"));
	assert_false(xml_well_formed("<a>"));
}

/* ---- fixtures ---- */

static struct provider_conf
conf_for(const char *name)
{
	struct provider_conf c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.name = name;
	c.public_url = "https://gw.example.in";
	c.default_cc = "91";
	c.account_sid = "";
	c.api_key = "";
	c.api_base = "http://127.0.0.1:9";
	c.from = "+918045678901";
	/* Most tests: the proxy passes /audio/ (audio_public). */
	c.audio_ok = 1;
	return c;
}

/* A menu answer: speech inside a gather, then a redirect. */
static void
menu_answer(struct sp_voice_answer *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = VOICE_CALL;
	provider_voice_say(a, "लोन के लिए 1 दबाएँ & <सुनें>", "hi", NULL);
	provider_voice_say(a, "ignored text", "hi",
	    "https://gw.example.in/audio/hi/ivr.main.wav");
	a->gather = 1;
	a->num_digits = 1;
	a->timeout_s = 6;
	a->lang = "hi";
	a->action_url = "https://gw.example.in/voice/twilio?ev=menu&x=1";
	a->redirect_url = "https://gw.example.in/voice/twilio?ev=timeout";
}

static void
render(const struct provider *p, const struct sp_voice_answer *a,
    struct buf *out, const char **ct, int *status)
{
	struct provider_conf c = conf_for(p->name);

	buf_init(out, 65536);
	assert_int_equal(p->render_voice(&c, a, out, ct, status), 0);
}

/* ---- Twilio ---- */

static void
test_twilio_render(void **state)
{
	struct sp_voice_answer a;
	struct buf out;
	const char *ct, *s;
	int status;

	(void)state;
	menu_answer(&a);
	render(&provider_twilio, &a, &out, &ct, &status);
	s = buf_cstr(&out);
	assert_int_equal(status, 200);
	assert_non_null(strstr(ct, "xml"));
	assert_true(xml_well_formed(s));
	assert_non_null(strstr(s, "<Response><Gather input=\"dtmf\" "
	    "numDigits=\"1\" timeout=\"6\" finishOnKey=\"\" method=\"POST\" "
	    "language=\"hi-IN\" "
	    "action=\"https://gw.example.in/voice/twilio?ev=menu&amp;x=1\">"));
	assert_non_null(strstr(s, "<Say language=\"hi-IN\">लोन के लिए 1 "
	    "दबाएँ &amp; &lt;सुनें&gt;</Say>"));
	assert_non_null(strstr(s, "<Play>https://gw.example.in/audio/hi/"
	    "ivr.main.wav</Play></Gather><Redirect method=\"POST\">"));
	assert_null(strstr(s, "ignored text"));
	buf_free(&out);

	memset(&a, 0, sizeof(a));
	a.reject_busy = 1;
	render(&provider_twilio, &a, &out, &ct, &status);
	assert_true(xml_well_formed(buf_cstr(&out)));
	assert_non_null(strstr(buf_cstr(&out),
	    "<Response><Reject reason=\"busy\"/></Response>"));
	buf_free(&out);

	memset(&a, 0, sizeof(a));
	provider_voice_say(&a, "Goodbye", "en", NULL);
	a.dial = "+919800000001";
	a.hangup = 1;
	render(&provider_twilio, &a, &out, &ct, &status);
	assert_true(xml_well_formed(buf_cstr(&out)));
	assert_non_null(strstr(buf_cstr(&out), "<Say language=\"en-IN\">"
	    "Goodbye</Say><Dial>+919800000001</Dial><Hangup/></Response>"));
	assert_null(strstr(buf_cstr(&out), "Gather"));
	buf_free(&out);
}

struct fake_headers {
	const char	*names[3];
	const char	*values[3];
};

static const char *
fake_header(const struct sp_request *r, const char *name)
{
	const struct fake_headers *h = r->header_arg;
	size_t i;

	for (i = 0; i < 3; i++)
		if (h->names[i] != NULL && strcasecmp(h->names[i], name) == 0)
			return h->values[i];
	return NULL;
}

static void
post(struct sp_request *r, struct fake_headers *h, const char *uri,
    const char *body)
{
	memset(r, 0, sizeof(*r));
	r->method = "POST";
	r->uri = uri;
	r->path = uri;
	r->query = strchr(uri, '?') != NULL ? strchr(uri, '?') + 1 : NULL;
	r->content_type = "application/x-www-form-urlencoded";
	r->body = body;
	r->body_len = strlen(body);
	r->header = fake_header;
	r->header_arg = h;
}

/* providers.md §7: the twilio-node vector, with Digits and CallSid. */
static void
test_twilio_parse(void **state)
{
	struct provider_conf c = conf_for("twilio");
	struct fake_headers h = { { "X-Twilio-Signature" },
	    { "RSOYDt4T1cUTdK1PDd93/VVr8B8=" } };
	struct sp_voice_event ev;
	struct sp_request r;
	char err[128];
	static const char body[] = "CallSid=CA1234567890ABCDE&"
	    "Caller=%2B14158675309&Digits=1234&From=%2B14158675309&"
	    "To=%2B18005551212";

	(void)state;
	c.public_url = "https://mycompany.com";
	c.auth_token = "12345";
	post(&r, &h, "/myapp.php?foo=1&bar=2", body);
	assert_int_equal(provider_twilio.parse_voice(&c, &r, &ev, err,
	    sizeof(err)), 0);
	assert_string_equal(ev.call_id, "CA1234567890ABCDE");
	assert_string_equal(ev.digits, "1234");
	assert_int_equal(ev.has_digits, 1);
	assert_string_equal(ev.from, "+14158675309");
	assert_string_equal(ev.to, "+18005551212");
	assert_int_equal(ev.outbound, 0);
	assert_int_equal(ev.ended, 0);

	h.values[0] = "RSOYDt4T1cUTdK1PDd93/VVr8B8X";
	assert_int_equal(provider_twilio.parse_voice(&c, &r, &ev, err,
	    sizeof(err)), 403);
	assert_string_equal(ev.call_id, "");
	c.auth_token = NULL;
	assert_int_equal(provider_twilio.parse_voice(&c, &r, &ev, err,
	    sizeof(err)), 403);
}

static void
test_twilio_build_call(void **state)
{
	struct provider_conf c = conf_for("twilio");
	struct sp_http_call call;
	struct sp_call sc = { 7, "+919812345678", "", "https://gw.example.in/"
	    "voice/twilio", NULL };
	char err[128];

	(void)state;
	c.account_sid = "AC0123456789abcdef0123456789abcdef";
	c.auth_token = "tok";
	assert_int_equal(provider_twilio.build_call(&c, &sc, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url, "http://127.0.0.1:9/2010-04-01/Accounts/"
	    "AC0123456789abcdef0123456789abcdef/Calls.json");
	assert_non_null(strstr(buf_cstr(call.body), "To=%2B919812345678"));
	assert_non_null(strstr(buf_cstr(call.body), "From=%2B918045678901"));
	assert_non_null(strstr(buf_cstr(call.body), "Url=https%3A%2F%2Fgw."
	    "example.in%2Fvoice%2Ftwilio"));
	provider_http_call_clear(&call);
	c.auth_token = NULL;
	assert_int_equal(provider_twilio.build_call(&c, &sc, &call, err,
	    sizeof(err)), -1);
}

/* ---- Plivo ---- */

static void
test_plivo_render(void **state)
{
	struct sp_voice_answer a;
	struct buf out;
	const char *ct, *s;
	int status;

	(void)state;
	menu_answer(&a);
	render(&provider_plivo, &a, &out, &ct, &status);
	s = buf_cstr(&out);
	assert_string_equal(ct, "application/xml");
	assert_true(xml_well_formed(s));
	assert_non_null(strstr(s, "<Response><GetDigits numDigits=\"1\" "
	    "timeout=\"6\" retries=\"1\" finishOnKey=\"none\" redirect=\"true\" "
	    "method=\"POST\" action=\"https://gw.example.in/voice/twilio?"
	    "ev=menu&amp;x=1\"><Speak voice=\"Polly.Aditi\" language=\"hi-IN\">"));
	assert_non_null(strstr(s, "<Play>https://gw.example.in/audio/hi/"
	    "ivr.main.wav</Play></GetDigits><Redirect method=\"POST\">"));
	buf_free(&out);

	memset(&a, 0, sizeof(a));
	a.reject_busy = 1;
	render(&provider_plivo, &a, &out, &ct, &status);
	assert_true(xml_well_formed(buf_cstr(&out)));
	assert_string_equal(buf_cstr(&out),
	    "<Response><Hangup reason=\"busy\"/></Response>");
	buf_free(&out);

	memset(&a, 0, sizeof(a));
	a.dial = "+919800000001";
	render(&provider_plivo, &a, &out, &ct, &status);
	assert_true(xml_well_formed(buf_cstr(&out)));
	assert_string_equal(buf_cstr(&out), "<Response><Dial><Number>"
	    "919800000001</Number></Dial></Response>");
	buf_free(&out);
}

static void
test_plivo_parse(void **state)
{
	struct provider_conf c = conf_for("plivo");
	struct fake_headers h = { { "X-Plivo-Signature-V3",
	    "X-Plivo-Signature-V3-Nonce" }, { NULL, "12345" } };
	char sig[CRYPTO_SHA256_B64_LEN + 1], err[128];
	struct sp_voice_event ev;
	struct sp_request r;
	struct form f;
	struct buf s;
	static const char body[] = "CallUUID=abc-123&Digits=9&From=919812345678"
	    "&To=918045678901&Direction=inbound&CallStatus=in-progress";

	(void)state;
	c.auth_token = "plivo_token";
	form_parse(body, strlen(body), &f, NULL, 0);
	buf_init(&s, 0);
	provider_plivo_v3_string("POST", "https://gw.example.in/voice/plivo?ev=menu",
	    &f, "12345", &s);
	crypto_hmac_sha256_b64("plivo_token", 11, buf_cstr(&s), s.len, sig);
	buf_free(&s);
	form_free(&f);
	h.values[0] = sig;
	post(&r, &h, "/voice/plivo?ev=menu", body);
	assert_int_equal(provider_plivo.parse_voice(&c, &r, &ev, err,
	    sizeof(err)), 0);
	assert_string_equal(ev.call_id, "abc-123");
	assert_string_equal(ev.digits, "9");
	assert_string_equal(ev.from, "+919812345678");
	assert_string_equal(ev.to, "+918045678901");
	assert_string_equal(ev.status, "in-progress");
	assert_int_equal(ev.new_call, 0);
	post(&r, &h, "/voice/plivo?ev=menX", body);
	assert_int_equal(provider_plivo.parse_voice(&c, &r, &ev, err,
	    sizeof(err)), 403);
}

static void
test_plivo_build_call(void **state)
{
	struct provider_conf c = conf_for("plivo");
	struct sp_http_call call;
	struct sp_call sc = { 7, "+919812345678", "", "https://gw.example.in/"
	    "voice/plivo", NULL };
	json_t *o;
	char err[128];

	(void)state;
	c.account_sid = "MAXXXXXXXXXXXXXXXXXX";
	c.auth_token = "tok";
	assert_int_equal(provider_plivo.build_call(&c, &sc, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url,
	    "http://127.0.0.1:9/v1/Account/MAXXXXXXXXXXXXXXXXXX/Call/");
	o = json_loads(buf_cstr(call.body), 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "to")),
	    "919812345678");
	assert_string_equal(json_string_value(json_object_get(o, "from")),
	    "918045678901");
	assert_string_equal(json_string_value(json_object_get(o,
	    "answer_url")), "https://gw.example.in/voice/plivo");
	json_decref(o);
	provider_http_call_clear(&call);
}

/* ---- Exotel ---- */

static void
test_exotel(void **state)
{
	struct provider_conf c = conf_for("exotel");
	struct fake_headers h = { { NULL }, { NULL } };
	struct sp_voice_answer a;
	struct sp_voice_event ev;
	struct sp_request r;
	struct buf out;
	const char *ct;
	char err[128];
	int status;
	json_t *o;

	(void)state;
	c.url_token = "tok42";
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.uri = "/voice/exotel/tok42?ev=menu&CallSid=e1&CallFrom=09812345678"
	    "&CallTo=08045678901&digits=%221%22&CallStatus=in-progress";
	r.query = strchr(r.uri, '?') + 1;
	r.path_arg = "tok42";
	r.header = fake_header;
	r.header_arg = &h;
	assert_int_equal(provider_exotel.parse_voice(&c, &r, &ev, err,
	    sizeof(err)), 0);
	assert_string_equal(ev.digits, "1");	/* quotes stripped */
	assert_string_equal(ev.from, "+919812345678");
	assert_string_equal(ev.call_id, "e1");
	r.path_arg = "wrong";
	assert_int_equal(provider_exotel.parse_voice(&c, &r, &ev, err,
	    sizeof(err)), 403);

	/* The Gather applet's fetch: JSON with the prompt. */
	menu_answer(&a);
	a.kind = VOICE_PROMPT;
	a.nspeech = 1;
	render(&provider_exotel, &a, &out, &ct, &status);
	assert_int_equal(status, 200);
	assert_string_equal(ct, "application/json");
	o = json_loads(buf_cstr(&out), 0, NULL);
	assert_non_null(o);
	assert_non_null(strstr(json_string_value(json_object_get(
	    json_object_get(o, "gather_prompt"), "text")), "लोन के लिए 1"));
	assert_int_equal(json_integer_value(json_object_get(o,
	    "max_input_digits")), 1);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "input_timeout")), 6);
	json_decref(o);
	buf_free(&out);

	/* Passthru: the status picks the branch. */
	a.kind = VOICE_CALL;
	render(&provider_exotel, &a, &out, &ct, &status);
	assert_int_equal(status, 200);
	buf_free(&out);
	memset(&a, 0, sizeof(a));
	a.hangup = 1;
	render(&provider_exotel, &a, &out, &ct, &status);
	assert_int_equal(status, 302);
	buf_free(&out);
	memset(&a, 0, sizeof(a));
	a.reject_busy = 1;
	render(&provider_exotel, &a, &out, &ct, &status);
	assert_int_equal(status, 302);
	buf_free(&out);
}

static void
test_exotel_build_call(void **state)
{
	static const struct provider_value flow[] = {
		{ "voice_url",
		    "http://my.exotel.com/sampark1/exoml/start_voice/42" },
	};
	struct provider_conf c = conf_for("exotel");
	struct sp_http_call call;
	struct sp_call sc = { 7, "+919812345678", "", "https://gw.example.in/"
	    "voice/exotel/tok", NULL };
	char err[128];

	(void)state;
	c.account_sid = "sampark1";
	c.api_key = "key";
	c.auth_token = "tok";
	c.values = flow;
	c.nvalues = SP_ARRAY_LEN(flow);
	assert_int_equal(provider_exotel.build_call(&c, &sc, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url,
	    "http://127.0.0.1:9/v1/Accounts/sampark1/Calls/connect.json");
	assert_string_equal(call.userpwd, "key:tok");
	assert_non_null(strstr(buf_cstr(call.body), "From=%2B919812345678"));
	assert_non_null(strstr(buf_cstr(call.body), "CallerId=%2B918045678901"));
	assert_non_null(strstr(buf_cstr(call.body), "start_voice%2F42"));
	provider_http_call_clear(&call);
}

/*
 * A recording that cannot be confirmed to reach the provider is never
 * played: a Play it cannot fetch is silence.  Its text is spoken in the
 * provider's own way instead: Twilio <Say>, Plivo <Speak>, Exotel text.
 */
static void
test_spoken_fallback(void **state)
{
	static const char *const spoken = "मुख्य मेनू सुनें";
	const struct provider *xml[] = { &provider_twilio, &provider_plivo };
	const char *const said[] = { "<Say language=\"hi-IN\">",
	    "<Speak voice=\"Polly.Aditi\" language=\"hi-IN\">" };
	struct provider_conf c;
	struct sp_voice_answer a;
	struct buf out, want;
	const char *ct;
	size_t i;
	int status;
	json_t *o, *p;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.kind = VOICE_CALL;
	provider_voice_say(&a, spoken, "hi",
	    "https://gw.example.in/audio/hi/ivr.main.wav");
	a.gather = 1;
	a.num_digits = 1;
	a.lang = "hi";
	a.action_url = "https://gw.example.in/voice/x?ev=menu";
	for (i = 0; i < SP_ARRAY_LEN(xml); i++) {
		c = conf_for(xml[i]->name);
		c.audio_ok = 0;
		buf_init(&out, 65536);
		assert_int_equal(xml[i]->render_voice(&c, &a, &out, &ct,
		    &status), 0);
		assert_true(xml_well_formed(buf_cstr(&out)));
		assert_null(strstr(buf_cstr(&out), "<Play>"));
		assert_null(strstr(buf_cstr(&out), "/audio/"));
		buf_init(&want, 0);
		buf_printf(&want, "%s%s</", said[i], spoken);
		assert_non_null(strstr(buf_cstr(&out), buf_cstr(&want)));
		buf_free(&want);
		buf_free(&out);
		/* Confirmed: the recording alone. */
		c.audio_ok = 1;
		buf_init(&out, 65536);
		assert_int_equal(xml[i]->render_voice(&c, &a, &out, &ct,
		    &status), 0);
		assert_non_null(strstr(buf_cstr(&out), "<Play>https://"
		    "gw.example.in/audio/hi/ivr.main.wav</Play>"));
		assert_null(strstr(buf_cstr(&out), spoken));
		buf_free(&out);
	}

	/* Exotel's Gather prompt: text, not audio_url. */
	a.kind = VOICE_PROMPT;
	c = conf_for("exotel");
	c.audio_ok = 0;
	buf_init(&out, 65536);
	assert_int_equal(provider_exotel.render_voice(&c, &a, &out, &ct,
	    &status), 0);
	o = json_loads(buf_cstr(&out), 0, NULL);
	assert_non_null(o);
	p = json_object_get(o, "gather_prompt");
	assert_null(json_object_get(p, "audio_url"));
	assert_string_equal(json_string_value(json_object_get(p, "text")),
	    spoken);
	json_decref(o);
	buf_free(&out);
	c.audio_ok = 1;
	buf_init(&out, 65536);
	assert_int_equal(provider_exotel.render_voice(&c, &a, &out, &ct,
	    &status), 0);
	o = json_loads(buf_cstr(&out), 0, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    o, "gather_prompt"), "audio_url")),
	    "https://gw.example.in/audio/hi/ivr.main.wav");
	json_decref(o);
	buf_free(&out);
}

static void
test_helpers(void **state)
{
	char d[8], err[64];

	(void)state;
	assert_int_equal(provider_voice_copy_digits("\"12#\"", d, sizeof(d), err,
	    sizeof(err)), 0);
	assert_string_equal(d, "12#");
	assert_int_equal(provider_voice_copy_digits("1<", d, sizeof(d), err,
	    sizeof(err)), 400);
	assert_int_equal(provider_voice_copy_digits("123456789", d, sizeof(d), err,
	    sizeof(err)), 400);
	assert_int_equal(provider_voice_copy_call_id("a b", d, sizeof(d), err,
	    sizeof(err)), 400);
	assert_true(provider_voice_status_ended("completed"));
	assert_true(provider_voice_status_ended("no-answer"));
	assert_false(provider_voice_status_ended("in-progress"));
	assert_string_equal(provider_voice_lang_tag("hi"), "hi-IN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker),
		cmocka_unit_test(test_twilio_render),
		cmocka_unit_test(test_twilio_parse),
		cmocka_unit_test(test_twilio_build_call),
		cmocka_unit_test(test_plivo_render),
		cmocka_unit_test(test_plivo_parse),
		cmocka_unit_test(test_plivo_build_call),
		cmocka_unit_test(test_exotel),
		cmocka_unit_test(test_exotel_build_call),
		cmocka_unit_test(test_spoken_fallback),
		cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
