/*
 * test_provider_twilio: every Twilio signature vector of
 * shared/specs/test-vectors.json (produced with twilio-node 6.2.0), the
 * webhook parser's answers to good and bad requests, TwiML rendering, the
 * send request and the reading of its answer, and delivery reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "form.h"
#include "provider.h"
#include "provider_twilio.h"
#include "util.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_twilio;

static void
form_set(struct form *f, const char *const *kv)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; kv[i] != NULL; i += 2) {
		f->fields = xreallocarray(f->fields, f->n + 1,
		    sizeof(*f->fields));
		f->fields[f->n].name = xstrdup(kv[i]);
		f->fields[f->n].value = xstrdup(kv[i + 1]);
		f->n++;
	}
}

static const char *const call_params[] = { "CallSid", "CA1234567890ABCDE",
    "Caller", "+14158675309", "Digits", "1234", "From", "+14158675309",
    "To", "+18005551212", NULL };

struct vector {
	const char	*token, *url, *sig;
	const char *const *params;
};

static const char *const classic_params[] = { "CallSid", "CA1234567890ABCDE",
    "Caller", "+12349013030", "Digits", "1234", "From", "+12349013030",
    "To", "+18005551212", NULL };
/* Deliberately not in name order: the signer must sort. */
static const char *const hindi_params[] = { "To", "+14155550100",
    "Body", "नमस्ते 1", "AccountSid", "AC00000000000000000000000000000000",
    "ApiVersion", "2010-04-01", "From", "+919812345678",
    "MessageSid", "SM11111111111111111111111111111111", "NumMedia", "0",
    "NumSegments", "1", "SmsStatus", "received", "ToCity", "", NULL };
static const char *const repeated_params[] = { "Body", "hi", "MediaUrl", "b",
    "MediaUrl", "a", "MediaUrl", "a", NULL };
static const char *const no_params[] = { NULL };

static const struct vector vectors[] = {
	{ "12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
	  "RSOYDt4T1cUTdK1PDd93/VVr8B8=", call_params },
	{ "12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
	  "kvajT1Ptam85bY51eRf/AJRuM3w=", call_params },
	{ "12345", "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
	  "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", call_params },
	{ "12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
	  "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", classic_params },
	{ "secret_token_abc", "https://gw.example.in/twilio/sms",
	  "0ty6A+ZCBbcafZ1nvShONM62Iqg=", hindi_params },
	{ "12345", "https://gw.example.in/twilio/voice?CallSid=CA1&Digits=2&"
	  "From=%2B919812345678", "GVmHWL0Wv1KumVTq6iN60qHwfig=", no_params },
	{ "12345", "https://x.example/cb", "DpSDPgv44/QycfhhO5UrFf80lbE=",
	  repeated_params },
};

static void
test_signature_vectors(void **state)
{
	char sig[CRYPTO_SHA1_B64_LEN + 1];
	struct form f;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(vectors); i++) {
		form_set(&f, vectors[i].params);
		provider_twilio_signature(vectors[i].token, vectors[i].url, &f, sig);
		assert_string_equal(sig, vectors[i].sig);
		assert_int_equal(provider_twilio_signature_valid(vectors[i].token,
		    vectors[i].sig, vectors[i].url, &f), 1);
		/* Wrong token, tampered signature: refused. */
		assert_int_equal(provider_twilio_signature_valid("54321",
		    vectors[i].sig, vectors[i].url, &f), 0);
		sig[3] ^= 1;
		assert_int_equal(provider_twilio_signature_valid(vectors[i].token, sig,
		    vectors[i].url, &f), 0);
		form_free(&f);
	}
}

static void
test_port_variants(void **state)
{
	struct form f;

	(void)state;
	form_set(&f, call_params);
	/* Signed with :443, received without; and the other way round. */
	assert_int_equal(provider_twilio_signature_valid("12345",
	    "kvajT1Ptam85bY51eRf/AJRuM3w=",
	    "https://mycompany.com/myapp.php?foo=1&bar=2", &f), 1);
	assert_int_equal(provider_twilio_signature_valid("12345",
	    "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
	    "https://mycompany.com:443/myapp.php?foo=1&bar=2", &f), 1);
	/* Signed without the port, our public URL names :1234. */
	assert_int_equal(provider_twilio_signature_valid("12345",
	    "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
	    "https://mycompany.com:1234/myapp.php?foo=1&bar=2", &f), 1);
	/* A different path is never accepted. */
	assert_int_equal(provider_twilio_signature_valid("12345",
	    "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
	    "https://mycompany.com/other.php?foo=1&bar=2", &f), 0);
	form_free(&f);
}

static void
test_json_body_vectors(void **state)
{
	const char *body = "{\"property\": \"value\", \"boolean\": true}";
	const char *url = "https://mycompany.com/myapp.php?foo=1&bar=2&"
	    "bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
	const char *url2 = "https://mycompany.com/myapp.php?foo=1&bar=2&"
	    "bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

	(void)state;
	assert_int_equal(provider_twilio_signature_valid_body("12345",
	    "a9nBmqA0ju/hNViExpshrM61xv4=", url, body, strlen(body)), 1);
	/* A body that does not match its hash is refused. */
	assert_int_equal(provider_twilio_signature_valid_body("12345",
	    "a9nBmqA0ju/hNViExpshrM61xv4=", url, "{}", 2), 0);
	/* Both the URL as given and its :443 form. */
	assert_int_equal(provider_twilio_signature_valid_body("12345",
	    "rw/jVviOgicj2+kHZULvebnA4ag=", url2, "{}", 2), 1);
	assert_int_equal(provider_twilio_signature_valid_body("12345",
	    "Ldidvp12m26NI7eqEvxnEpkd9Hc=", url2, "{}", 2), 1);
}

/* ---- the webhook parser ---- */

struct fake_headers {
	const char *sig;
	const char *host;
};

static const char *
fake_header(const struct sp_request *r, const char *name)
{
	const struct fake_headers *h = r->header_arg;

	if (strcasecmp(name, "X-Twilio-Signature") == 0)
		return h->sig;
	if (strcasecmp(name, "Host") == 0)
		return h->host;
	return NULL;
}

static struct provider_conf
conf(char *token)
{
	struct provider_conf c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.public_url = "https://gw.example.in";
	c.default_cc = "91";
	c.account_sid = "";
	c.auth_token = token;
	c.reply_inline = 1;
	return c;
}

static int
parse(struct provider_conf *c, const char *method, const char *body,
    const char *sig, struct inbound_msg *in)
{
	struct fake_headers h = { sig, "127.0.0.1:8080" };
	struct sp_request r;
	char err[256];

	memset(&r, 0, sizeof(r));
	r.method = method;
	r.uri = "/sms/twilio";
	r.path = "/sms/twilio";
	r.content_type = "application/x-www-form-urlencoded";
	r.body = body;
	r.body_len = strlen(body);
	r.header = fake_header;
	r.header_arg = &h;
	return provider_twilio.parse_sms(c, &r, in, err, sizeof(err));
}

/* Sign a form body for the test public URL. */
static void
sign(const char *token, const char *body, char sig[CRYPTO_SHA1_B64_LEN + 1])
{
	struct form f;

	assert_int_equal(form_parse(body, strlen(body), &f, NULL, 0), 0);
	provider_twilio_signature(token, "https://gw.example.in/sms/twilio", &f, sig);
	form_free(&f);
}

static void
test_parse_sms(void **state)
{
	const char *body = "MessageSid=SM1&AccountSid=AC1&From=%2B919812345678"
	    "&To=%2B14155550100&Body=%E0%A4%B2%E0%A5%8B%E0%A4%A8+bhadohi";
	char token[] = "tok", sig[CRYPTO_SHA1_B64_LEN + 1];
	struct provider_conf c = conf(token);
	struct inbound_msg in;

	(void)state;
	sign("tok", body, sig);
	assert_int_equal(parse(&c, "POST", body, sig, &in), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.provider_msg_id, "SM1");
	assert_string_equal(in.body, "लोन bhadohi");
	records_inbound_clear(&in);

	assert_int_equal(parse(&c, "POST", body, NULL, &in), 403);
	assert_int_equal(parse(&c, "POST", body, "bm90IGEgc2lnbmF0dXJl", &in),
	    403);
	assert_int_equal(parse(&c, "GET", body, sig, &in), 405);
	c.account_sid = "AC2";
	assert_int_equal(parse(&c, "POST", body, sig, &in), 403);
	c.account_sid = "AC1";
	assert_int_equal(parse(&c, "POST", body, sig, &in), 0);
	records_inbound_clear(&in);
	c.auth_token = NULL;
	assert_int_equal(parse(&c, "POST", body, sig, &in), 403);
}

static void
test_parse_sms_bad_fields(void **state)
{
	const char *no_from = "MessageSid=SM1&Body=loan";
	const char *bad_utf8 = "MessageSid=SM1&From=%2B919812345678&Body=%FF";
	char token[] = "tok", sig[CRYPTO_SHA1_B64_LEN + 1];
	struct provider_conf c = conf(token);
	struct inbound_msg in;

	(void)state;
	sign("tok", no_from, sig);
	assert_int_equal(parse(&c, "POST", no_from, sig, &in), 400);
	sign("tok", bad_utf8, sig);
	assert_int_equal(parse(&c, "POST", bad_utf8, sig, &in), 400);
	assert_null(in.body);
}

static void
test_render(void **state)
{
	char token[] = "tok";
	struct provider_conf c = conf(token);
	char *texts[] = { "a & <b> \"c\" 'd'", "दूसरा" };
	const char *ctype;
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(provider_twilio.render_sms_reply(&c, NULL, texts, 0, &b,
	    &ctype), 0);
	assert_string_equal(buf_cstr(&b),
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
	assert_string_equal(ctype, "text/xml; charset=utf-8");
	buf_reset(&b);
	assert_int_equal(provider_twilio.render_sms_reply(&c, NULL, texts, 2, &b,
	    &ctype), 0);
	assert_string_equal(buf_cstr(&b),
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
	    "<Message>a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;</Message>"
	    "<Message>दूसरा</Message></Response>");
	buf_free(&b);
}

/* ---- sending ---- */

#define SID	"AC0123456789abcdef0123456789abcdef"

static struct provider_conf
send_conf(char *token)
{
	struct provider_conf c = conf(token);

	c.account_sid = SID;
	c.api_base = "http://127.0.0.1:4010";
	c.from = "+15005550006";
	return c;
}

static void
test_build_send(void **state)
{
	char token[] = "tok", err[256];
	struct provider_conf c = send_conf(token);
	struct sp_outbound m = { 7, "+919812345678", "", "नमस्ते & hi", 1,
	    "https://gw.example.in/status/twilio", NULL, NULL };
	struct sp_http_call call;

	(void)state;
	assert_int_equal(provider_twilio.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url, "http://127.0.0.1:4010/2010-04-01/"
	    "Accounts/" SID "/Messages.json");
	assert_string_equal(call.userpwd, SID ":tok");
	assert_string_equal(buf_cstr(call.body), "To=%2B919812345678"
	    "&From=%2B15005550006"
	    "&Body=%E0%A4%A8%E0%A4%AE%E0%A4%B8%E0%A5%8D%E0%A4%A4%E0%A5%87"
	    "%20%26%20hi"
	    "&StatusCallback=https%3A%2F%2Fgw.example.in%2Fstatus%2Ftwilio");
	assert_int_equal(call.nheaders, 2);
	assert_string_equal(call.headers[0],
	    "Content-Type: application/x-www-form-urlencoded");
	provider_http_call_clear(&call);

	/* The message's own sender wins; a Messaging Service is named as
	 * such; no status URL, no StatusCallback; default API base. */
	m.from = "MG0123456789abcdef0123456789abcdef";
	m.status_url = NULL;
	c.api_base = "";
	assert_int_equal(provider_twilio.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url, "https://api.twilio.com/2010-04-01/"
	    "Accounts/" SID "/Messages.json");
	assert_string_equal(buf_cstr(call.body), "To=%2B919812345678"
	    "&MessagingServiceSid=MG0123456789abcdef0123456789abcdef"
	    "&Body=%E0%A4%A8%E0%A4%AE%E0%A4%B8%E0%A5%8D%E0%A4%A4%E0%A5%87"
	    "%20%26%20hi");
	assert_null(strstr(buf_cstr(call.body), "StatusCallback"));
	provider_http_call_clear(&call);
}

static void
test_build_send_missing(void **state)
{
	char token[] = "tok", err[256];
	struct provider_conf c;
	struct sp_outbound m = { 1, "+919812345678", "", "hi", 0, NULL, NULL,
	    NULL };
	struct sp_http_call call;

	(void)state;
	c = send_conf(token);
	c.account_sid = "";
	err[0] = '\0';
	assert_int_equal(provider_twilio.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "account_sid"));
	assert_null(call.url);
	assert_null(call.body);

	c = send_conf(token);
	c.account_sid = "AC1/../../x";
	assert_int_equal(provider_twilio.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);

	c = send_conf(NULL);
	err[0] = '\0';
	assert_int_equal(provider_twilio.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "auth token"));

	c = send_conf(token);
	c.from = "";
	err[0] = '\0';
	assert_int_equal(provider_twilio.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "from"));
	assert_null(call.userpwd);
}

static void
send_answer(long status, const char *body, struct sp_send_result *res)
{
	char token[] = "tok";
	struct provider_conf c = send_conf(token);

	provider_twilio.parse_send(&c, status, body,
	    body != NULL ? strlen(body) : 0, res);
}

static void
test_parse_send(void **state)
{
	struct sp_send_result r;

	(void)state;
	send_answer(201, "{\"sid\": \"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", "
	    "\"status\": \"queued\", \"error_code\": null}", &r);
	assert_int_equal(r.outcome, SEND_ACCEPTED);
	assert_string_equal(r.provider_id,
	    "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_string_equal(r.error_code, "");

	send_answer(400, "{\"code\": 21211, \"message\": \"The 'To' number "
	    "+91 is not a valid phone number.\", \"more_info\": "
	    "\"https://www.twilio.com/docs/errors/21211\", \"status\": 400}",
	    &r);
	assert_int_equal(r.outcome, SEND_FAILED);
	assert_string_equal(r.error_code, "21211");
	assert_string_equal(r.error_message,
	    "The 'To' number +91 is not a valid phone number.");
	assert_string_equal(r.provider_id, "");

	send_answer(400, "{\"code\": 21610, \"message\": \"unsubscribed\"}",
	    &r);
	assert_int_equal(r.outcome, SEND_FAILED);
	assert_string_equal(r.error_code, "21610");

	send_answer(429, "{\"code\": 20429, \"message\": \"Too Many "
	    "Requests\", \"status\": 429}", &r);
	assert_int_equal(r.outcome, SEND_RETRY);
	assert_string_equal(r.error_code, "20429");
	/* 20429 is a retry even under another HTTP status. */
	send_answer(400, "{\"code\": \"20429\", \"message\": \"slow down\"}",
	    &r);
	assert_int_equal(r.outcome, SEND_RETRY);
	assert_string_equal(r.error_code, "20429");

	send_answer(503, "<html>Service Unavailable</html>", &r);
	assert_int_equal(r.outcome, SEND_RETRY);
	assert_string_equal(r.error_code, "");
	send_answer(0, NULL, &r);
	assert_int_equal(r.outcome, SEND_RETRY);
	send_answer(401, "{\"code\": 20003, \"message\": \"Authenticate\"}",
	    &r);
	assert_int_equal(r.outcome, SEND_FAILED);
	assert_string_equal(r.error_code, "20003");
}

static void
test_parse_send_hostile(void **state)
{
	static const char *const bodies[] = { "", "{", "[1,2]", "null",
	    "\"sid\"", "{\"sid\": 12}", "{\"sid\": {\"a\": 1}}",
	    "{\"code\": [1], \"message\": null}", "\xff\xfe{}",
	    "{\"sid\": \"SM1\", \"sid\": \"SM2\"}",
	    "{\"sid\": \"SM\\u0000x\"}" };
	char big[600];
	struct sp_send_result r;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(bodies); i++) {
		send_answer(201, bodies[i], &r);
		assert_int_equal(r.outcome, SEND_ACCEPTED);
		send_answer(400, bodies[i], &r);
		assert_int_equal(r.outcome, SEND_FAILED);
		assert_string_equal(r.error_code, "");
	}
	/* An over-long sid is cut, never overflows. */
	memset(big, 'S', sizeof(big));
	memcpy(big, "{\"sid\": \"", 9);
	memcpy(big + sizeof(big) - 3, "\"}", 3);
	send_answer(201, big, &r);
	assert_int_equal(strlen(r.provider_id), sizeof(r.provider_id) - 1);
}

static void
explained(long status, const char *body, struct sp_send_result *r)
{
	send_answer(status, body, r);
	provider_explain_failure(status, body, body != NULL ? strlen(body) :
	    0, r);
}

static void
test_explain_failure(void **state)
{
	char page[400];
	struct sp_send_result r;

	(void)state;
	/* An RFC 9457 problem from something in front of the API. */
	explained(403, "{\"type\": \"about:blank\", \"title\": \"Forbidden\", "
	    "\"status\": 403, \"detail\": \"IP not allowed\"}", &r);
	assert_string_equal(r.error_message, "HTTP 403: Forbidden");
	explained(400, "{\"detail\": \"bad To\"}", &r);
	assert_string_equal(r.error_message, "HTTP 400: bad To");
	/* Text: its first non-blank line, control characters blanked. */
	explained(404, "\r\n  Not found\there\r\nsecond line", &r);
	assert_string_equal(r.error_message, "HTTP 404: Not found here");
	explained(502, "<html>Bad Gateway</html>", &r);
	assert_string_equal(r.error_message, "HTTP 502: <html>Bad Gateway</html>");
	/* JSON with nothing to say, or an empty body: the status alone. */
	explained(400, "{\"error\": {\"code\": 7}}", &r);
	assert_string_equal(r.error_message, "HTTP 400");
	explained(400, "", &r);
	assert_string_equal(r.error_message, "HTTP 400");
	/* What the adapter read is kept; a success is not touched. */
	explained(400, "{\"code\": 21211, \"message\": \"Invalid To\", "
	    "\"title\": \"x\"}", &r);
	assert_string_equal(r.error_message, "Invalid To");
	explained(201, "{\"sid\": \"SM1\", \"title\": \"x\"}", &r);
	assert_string_equal(r.error_message, "");
	/* A long line is cut on a character boundary, never mid-sequence. */
	memset(page, 0, sizeof(page));
	while (strlen(page) + 3 < sizeof(page) - 1)
		strcat(page, "\xe0\xa4\x95");	/* क */
	explained(400, page, &r);
	assert_true(strncmp(r.error_message, "HTTP 400: ", 10) == 0);
	assert_int_equal((strlen(r.error_message) - 10) % 3, 0);
	assert_true(strlen(r.error_message) > 100);
}

/* ---- delivery reports ---- */

static int
status_post(struct provider_conf *c, const char *method, const char *body,
    const char *sig, struct sp_status_update *up)
{
	struct fake_headers h = { sig, "127.0.0.1:8080" };
	struct sp_request r;
	char err[256];

	memset(&r, 0, sizeof(r));
	r.method = method;
	r.uri = "/status/twilio";
	r.path = "/status/twilio";
	r.content_type = "application/x-www-form-urlencoded";
	r.body = body;
	r.body_len = strlen(body);
	r.header = fake_header;
	r.header_arg = &h;
	return provider_twilio.parse_status(c, &r, up, err, sizeof(err));
}

/* Sign body for /status/twilio and post it. */
static int
status_signed(struct provider_conf *c, const char *body,
    struct sp_status_update *up)
{
	char sig[CRYPTO_SHA1_B64_LEN + 1];
	struct form f;

	assert_int_equal(form_parse(body, strlen(body), &f, NULL, 0), 0);
	provider_twilio_signature("tok", "https://gw.example.in/status/twilio", &f,
	    sig);
	form_free(&f);
	return status_post(c, "POST", body, sig, up);
}

static void
test_parse_status(void **state)
{
	static const struct {
		const char		*word;
		enum msg_state	 state;
	} words[] = {
		{ "queued", MSG_SENT }, { "accepted", MSG_SENT },
		{ "scheduled", MSG_SENT }, { "sending", MSG_SENT },
		{ "sent", MSG_SENT }, { "delivered", MSG_DELIVERED },
		{ "read", MSG_DELIVERED }, { "undelivered", MSG_UNDELIVERED },
		{ "failed", MSG_FAILED }, { "canceled", MSG_FAILED },
	};
	char token[] = "tok", *body;
	struct provider_conf c = send_conf(token);
	struct sp_status_update up;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(words); i++) {
		body = xasprintf("MessageSid=SM1234&SmsSid=SM1234&AccountSid="
		    SID "&From=%%2B15005550006&To=%%2B919812345678"
		    "&MessageStatus=%s&SmsStatus=%s&ApiVersion=2010-04-01",
		    words[i].word, words[i].word);
		assert_int_equal(status_signed(&c, body, &up), 0);
		assert_string_equal(up.provider_id, "SM1234");
		assert_int_equal(up.state, words[i].state);
		assert_string_equal(up.raw_status, words[i].word);
		assert_string_equal(up.error_code, "");
		assert_string_equal(up.reason, "");
		free(body);
	}

	assert_int_equal(status_signed(&c, "MessageSid=SM9&AccountSid=" SID
	    "&MessageStatus=undelivered&ErrorCode=30003", &up), 0);
	assert_int_equal(up.state, MSG_UNDELIVERED);
	assert_string_equal(up.error_code, "30003");
	assert_string_equal(up.reason, "unreachable handset");
	assert_int_equal(status_signed(&c, "MessageSid=SM9&AccountSid=" SID
	    "&MessageStatus=failed&ErrorCode=21610", &up), 0);
	assert_int_equal(up.state, MSG_FAILED);
	assert_string_equal(up.reason, "recipient opted out (STOP)");
	/* A code we do not know is kept verbatim, without a reason. */
	assert_int_equal(status_signed(&c, "MessageSid=SM9&AccountSid=" SID
	    "&MessageStatus=failed&ErrorCode=39999", &up), 0);
	assert_string_equal(up.error_code, "39999");
	assert_string_equal(up.reason, "");
	/* The legacy names alone are enough. */
	assert_int_equal(status_signed(&c, "SmsSid=SM8&AccountSid=" SID
	    "&SmsStatus=delivered", &up), 0);
	assert_string_equal(up.provider_id, "SM8");
	assert_int_equal(up.state, MSG_DELIVERED);
}

static void
test_parse_status_refused(void **state)
{
	const char *ok = "MessageSid=SM1&AccountSid=" SID
	    "&MessageStatus=delivered";
	char token[] = "tok";
	struct provider_conf c = send_conf(token);
	struct sp_status_update up;

	(void)state;
	assert_int_equal(status_signed(&c, "MessageSid=SM1&AccountSid=" SID
	    "&MessageStatus=received", &up), 400);
	assert_string_equal(up.provider_id, "");
	assert_int_equal(status_signed(&c, "MessageSid=SM1&AccountSid=" SID
	    "&MessageStatus=receiving", &up), 400);
	assert_int_equal(status_signed(&c, "MessageSid=SM1&AccountSid=" SID
	    "&MessageStatus=lost", &up), 400);
	assert_int_equal(status_signed(&c, "AccountSid=" SID
	    "&MessageStatus=sent", &up), 400);
	assert_int_equal(status_signed(&c, "MessageSid=SM1&AccountSid=" SID,
	    &up), 400);
	assert_int_equal(status_signed(&c, "MessageSid=SM%0A1&AccountSid="
	    SID "&MessageStatus=sent", &up), 400);
	assert_int_equal(status_signed(&c, "MessageSid=SM1&AccountSid=" SID
	    "&MessageStatus=failed&ErrorCode=3%20003", &up), 400);
	/* Signature, method, account, token. */
	assert_int_equal(status_post(&c, "POST", ok, NULL, &up), 403);
	assert_int_equal(status_post(&c, "POST", ok, "bm90IGEgc2lnbmF0dXJl",
	    &up), 403);
	assert_int_equal(status_post(&c, "GET", ok, NULL, &up), 405);
	assert_int_equal(status_signed(&c, "MessageSid=SM1&AccountSid=AC2"
	    "&MessageStatus=delivered", &up), 403);
	c.auth_token = NULL;
	assert_int_equal(status_signed(&c, ok, &up), 403);
	c.auth_token = token;
	assert_int_equal(status_signed(&c, ok, &up), 0);
	/* Signed for /sms/twilio but posted to /status/twilio. */
	{
		char sig[CRYPTO_SHA1_B64_LEN + 1];

		sign("tok", ok, sig);
		assert_int_equal(status_post(&c, "POST", ok, sig, &up), 403);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_vectors),
		cmocka_unit_test(test_port_variants),
		cmocka_unit_test(test_json_body_vectors),
		cmocka_unit_test(test_parse_sms),
		cmocka_unit_test(test_parse_sms_bad_fields),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_build_send),
		cmocka_unit_test(test_build_send_missing),
		cmocka_unit_test(test_parse_send),
		cmocka_unit_test(test_parse_send_hostile),
		cmocka_unit_test(test_explain_failure),
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_parse_status_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
