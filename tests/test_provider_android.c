/*
 * test_provider_android: the SMS Gateway for Android adapter.  Webhook trust
 * (X-Signature over body + X-Timestamp, vector computed with Python's hmac;
 * URL token), inbound parsing, the send request and its answers, and the
 * delivery events.  Payloads are shaped as the app's docs show them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "crypto.h"
#include "provider.h"
#include "util.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_android;

#define KEY	"sk-Sampark-signing-7f3a"
#define TS	"1773463867"
#define JSON_CT	"application/json; charset=UTF-8"

/* Signed with KEY and TS by Python: hmac.new(key, body + ts, sha256). */
static const char signed_body[] = "{\"deviceId\":"
    "\"ffffffffa1b2c3d40000019a1b2c3d4e\",\"event\":\"sms:received\","
    "\"id\":\"Qm4pX2vT8sLk0aZ9yW1cE\",\"payload\":{\"messageId\":\"9f2c41d7\","
    "\"message\":\"नमस्ते loan bhadohi\",\"phoneNumber\":\"+919812345678\","
    "\"simNumber\":1,\"receivedAt\":\"2026-03-14T10:21:07.000+05:30\"},"
    "\"webhookId\":\"sampark-in\"}";
static const char signed_sig[] =
    "d1d4f393062fa7838b045c601d7e5df7764a11b4a603caba62edc401a06192ad";

struct treq {
	struct sp_request	 r;
	const char		*sig, *ts;
};

static const char *
treq_header(const struct sp_request *r, const char *name)
{
	const struct treq *t = r->header_arg;

	if (strcasecmp(name, "X-Signature") == 0)
		return t->sig;
	if (strcasecmp(name, "X-Timestamp") == 0)
		return t->ts;
	return NULL;
}

static void
treq_init(struct treq *t, const char *path, const char *body,
    const char *sig, const char *ts)
{
	memset(t, 0, sizeof(*t));
	t->r.method = "POST";
	t->r.uri = t->r.path = path;
	t->r.content_type = JSON_CT;
	t->r.body = body;
	t->r.body_len = strlen(body);
	t->r.header = treq_header;
	t->r.header_arg = t;
	t->sig = sig;
	t->ts = ts;
}

static void
conf_init(struct provider_conf *c, char *key, char *token)
{
	memset(c, 0, sizeof(*c));
	c->enabled = 1;
	c->name = "android";
	c->default_cc = "91";
	c->public_url = c->account_sid = c->api_key = c->api_base = "";
	c->from = c->dlt_entity_id = c->dlt_template_id = c->sms_type = "";
	c->webhook_key = key;
	c->url_token = token;
}

/* A webhook body of the docs' shape. */
static char *
event_body(const char *event, const char *payload)
{
	return xasprintf("{\"deviceId\":\"ffffffffa1b2c3d40000019a1b2c3d4e\","
	    "\"event\":\"%s\",\"id\":\"Ev%s\",\"payload\":%s,"
	    "\"webhookId\":\"sampark\"}", event, event + 4, payload);
}

/* Sign body as the app does and parse it as an inbound SMS. */
static int
parse_signed(const char *body, struct inbound_msg *in)
{
	char key[] = KEY, sig[CRYPTO_SHA256_HEX_LEN + 1];
	struct provider_conf c;
	struct treq t;
	char err[256], *msg;

	msg = xasprintf("%s%s", body, TS);
	crypto_hmac_sha256_hex(KEY, strlen(KEY), msg, strlen(msg), sig);
	free(msg);
	conf_init(&c, key, NULL);
	treq_init(&t, "/sms/android", body, sig, TS);
	return provider_android.parse_sms(&c, &t.r, in, err, sizeof(err));
}

static void
test_signature(void **state)
{
	char key[] = KEY, tok[] = "tok123", upper[sizeof(signed_sig)];
	char bad[sizeof(signed_sig)], err[256];
	struct provider_conf c;
	struct inbound_msg in;
	struct treq t;
	size_t i;

	(void)state;
	conf_init(&c, key, NULL);
	treq_init(&t, "/sms/android", signed_body, signed_sig, TS);
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.body, "नमस्ते loan bhadohi");
	assert_string_equal(in.provider_msg_id, "Qm4pX2vT8sLk0aZ9yW1cE");
	assert_int_equal(in.reply_inline_ok, 0);
	records_inbound_clear(&in);

	/* Hex in upper case is the same signature. */
	for (i = 0; signed_sig[i] != '\0'; i++)
		upper[i] = (char)(signed_sig[i] >= 'a' && signed_sig[i] <= 'f' ?
		    signed_sig[i] - 32 : signed_sig[i]);
	upper[i] = '\0';
	t.sig = upper;
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 0);
	records_inbound_clear(&in);

	/* One bit off, another timestamp, another body, another key. */
	memcpy(bad, signed_sig, sizeof(bad));
	bad[10] ^= 1;
	t.sig = bad;
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	assert_null(in.body);
	t.sig = signed_sig;
	t.ts = "1773463868";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	t.ts = TS;
	t.r.body_len--;
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	t.r.body_len++;
	key[0] = 'x';
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	key[0] = 's';
	/* A truncated or non-numeric signature or timestamp. */
	t.sig = "d1d4f393";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	t.sig = signed_sig;
	t.ts = "1773463867 ";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	t.ts = TS;

	/* Missing headers. */
	t.sig = NULL;
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	assert_non_null(strstr(err, "missing"));
	t.sig = signed_sig;
	t.ts = NULL;
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);

	/* With a key set, a right URL token is no substitute. */
	c.url_token = tok;
	t.sig = t.ts = NULL;
	t.r.path_arg = "tok123";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
}

static void
test_url_token(void **state)
{
	char tok[] = "tok123", err[256];
	struct provider_conf c;
	struct inbound_msg in;
	struct treq t;
	char *body;

	(void)state;
	body = event_body("sms:received", "{\"message\":\"help\","
	    "\"phoneNumber\":\"9812345678\",\"simNumber\":null,"
	    "\"receivedAt\":\"2026-03-14T10:21:07.000+05:30\"}");
	conf_init(&c, NULL, tok);
	treq_init(&t, "/sms/android/tok123", body, NULL, NULL);
	t.r.path_arg = "tok123";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.body, "help");
	assert_string_equal(in.provider_msg_id, "Evreceived");
	records_inbound_clear(&in);

	t.r.path_arg = NULL;
	t.r.query = "token=tok123";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 0);
	records_inbound_clear(&in);

	t.r.query = "token=tok124";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	t.r.query = NULL;
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);

	/* Neither a key nor a token: nothing is accepted. */
	conf_init(&c, NULL, NULL);
	t.r.path_arg = "tok123";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 403);
	assert_non_null(strstr(err, "configured"));
	free(body);
}

static void
test_parse_inbound(void **state)
{
	struct inbound_msg in;
	char *body;

	(void)state;
	/* National number with trunk 0, a recipient, Hindi text. */
	body = event_body("sms:received", "{\"messageId\":\"c0ffee\","
	    "\"message\":\"ऋण मिर्ज़ापुर\",\"phoneNumber\":\"09812345678\","
	    "\"recipient\":\"+917007001234\",\"simNumber\":2,"
	    "\"receivedAt\":\"2026-03-14T10:21:07.000+05:30\"}");
	assert_int_equal(parse_signed(body, &in), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.to, "+917007001234");
	assert_string_equal(in.body, "ऋण मिर्ज़ापुर");
	assert_string_equal(in.provider_msg_id, "Evreceived");
	assert_int_equal(in.reply_inline_ok, 0);
	records_inbound_clear(&in);
	free(body);

	/* An empty text is a message; no id means no dedupe key. */
	body = xstrdup("{\"event\":\"sms:received\",\"payload\":{\"message\":"
	    "\"\",\"phoneNumber\":\"+14155550100\"}}");
	assert_int_equal(parse_signed(body, &in), 0);
	assert_string_equal(in.from, "+14155550100");
	assert_string_equal(in.body, "");
	assert_null(in.provider_msg_id);
	records_inbound_clear(&in);
	free(body);
}

static void
test_parse_bad(void **state)
{
	static const char *const bodies[] = {
		"",
		"{\"event\":\"sms:received\",",
		"[1,2]",
		"{\"event\":\"sms:received\"}",
		"{\"event\":7,\"payload\":{}}",
		"{\"event\":\"sms:received\",\"payload\":\"x\"}",
		"{\"event\":\"sms:received\",\"payload\":{\"message\":\"hi\"}}",
		"{\"event\":\"sms:received\",\"payload\":{\"phoneNumber\":"
		    "\"+919812345678\"}}",
		"{\"event\":\"sms:received\",\"payload\":{\"message\":\"hi\","
		    "\"phoneNumber\":\"not a phone\"}}",
		"{\"event\":\"sms:received\",\"payload\":{\"message\":\"\xff\","
		    "\"phoneNumber\":\"+919812345678\"}}",
		"{\"event\":\"sms:received\",\"id\":\"x\\u0000y\",\"payload\":"
		    "{\"message\":\"hi\",\"phoneNumber\":\"+919812345678\"}}",
		"{\"event\":\"sms:delivered\",\"payload\":{\"messageId\":\"m\","
		    "\"phoneNumber\":\"+919812345678\"}}",
		"{\"event\":\"system:ping\",\"payload\":{\"health\":{}}}",
	};
	char key[] = KEY, err[256];
	struct provider_conf c;
	struct inbound_msg in;
	struct treq t;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(bodies); i++) {
		assert_int_equal(parse_signed(bodies[i], &in), 400);
		assert_null(in.body);
		assert_null(in.provider_msg_id);
	}
	conf_init(&c, key, NULL);
	treq_init(&t, "/sms/android", signed_body, signed_sig, TS);
	t.r.method = "GET";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 405);
	t.r.method = "POST";
	t.r.content_type = "application/x-www-form-urlencoded";
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 415);
	t.r.content_type = NULL;
	assert_int_equal(provider_android.parse_sms(&c, &t.r, &in, err,
	    sizeof(err)), 415);
}

static void
test_render(void **state)
{
	char *texts[] = { "ignored" };
	const char *ct = NULL;
	struct buf out;

	(void)state;
	buf_init(&out, 1024);
	assert_int_equal(provider_android.render_sms_reply(NULL, NULL, texts,
	    0, &out, &ct), 0);
	assert_string_equal(buf_cstr(&out), "{}");
	assert_string_equal(ct, "application/json");
	buf_free(&out);
}

static void
test_build_send(void **state)
{
	char pass[] = "s3cr3t-pass";
	struct provider_conf c;
	struct sp_outbound m;
	struct sp_http_call call;
	json_t *root, *nums;
	char err[256];

	(void)state;
	conf_init(&c, NULL, NULL);
	c.api_base = "https://api.sms-gate.app/3rdparty/v1";
	c.account_sid = "SAMPRK";
	c.auth_token = pass;
	memset(&m, 0, sizeof(m));
	m.id = 42;
	m.to = "+919812345678";
	m.from = "";
	m.body = "बैठक कल 11 बजे, \"भदोही\"";
	m.unicode = 1;
	assert_int_equal(provider_android.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url,
	    "https://api.sms-gate.app/3rdparty/v1/messages");
	assert_string_equal(call.userpwd, "SAMPRK:s3cr3t-pass");
	assert_int_equal(call.nheaders, 2);
	assert_string_equal(call.headers[0], "Content-Type: application/json");
	root = json_loads(buf_cstr(call.body), 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    root, "textMessage"), "text")), m.body);
	nums = json_object_get(root, "phoneNumbers");
	assert_int_equal(json_array_size(nums), 1);
	assert_string_equal(json_string_value(json_array_get(nums, 0)),
	    "+919812345678");
	assert_true(json_is_true(json_object_get(root, "withDeliveryReport")));
	/* Only the documented current shape: no deprecated "message". */
	assert_null(json_object_get(root, "message"));
	json_decref(root);
	provider_http_call_clear(&call);

	/* Local mode. */
	c.api_base = "http://192.168.1.20:8080";
	assert_int_equal(provider_android.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url, "http://192.168.1.20:8080/messages");
	provider_http_call_clear(&call);

	/* Lines, a backslash, a tab and a control byte come back as sent. */
	m.body = "Loan mela\nDIC Gyanpur\\Aurai\t10 baje\x01 \xe2\x82\xb9" "500";
	assert_int_equal(provider_android.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	root = json_loads(buf_cstr(call.body), 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    root, "textMessage"), "text")), m.body);
	json_decref(root);
	provider_http_call_clear(&call);
	m.body = "बैठक कल 11 बजे, \"भदोही\"";

	/* Missing settings or text that is not UTF-8: the message fails. */
	c.auth_token = NULL;
	assert_int_equal(provider_android.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_null(call.url);
	c.auth_token = pass;
	c.account_sid = "";
	assert_int_equal(provider_android.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	c.account_sid = "SAMPRK";
	c.api_base = "";
	assert_int_equal(provider_android.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	c.api_base = "http://192.168.1.20:8080";
	m.body = "bad \xc3(";
	assert_int_equal(provider_android.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_null(call.body);
}

static void
test_parse_send(void **state)
{
	static const char ok[] = "{\"id\":\"PyDmBQZZXYmyxMwED8Fzy\","
	    "\"deviceId\":\"ffffffffa1b2c3d4\",\"state\":\"Pending\","
	    "\"isHashed\":false,\"isEncrypted\":false,\"recipients\":[{"
	    "\"phoneNumber\":\"+919812345678\",\"state\":\"Pending\"}],"
	    "\"states\":{\"Pending\":\"2026-03-14T10:21:07Z\"}}";
	static const char bad[] = "{\"code\":400,\"message\":"
	    "\"phoneNumbers is empty\"}";
	static const char full[] = "{\"message\":\"Queue limits exceeded\"}";
	static const char html[] = "<html>\r\n<body>Bad Gateway</body>";
	struct sp_send_result res;

	(void)state;
	provider_android.parse_send(NULL, 202, ok, strlen(ok), &res);
	assert_int_equal(res.outcome, SEND_ACCEPTED);
	assert_string_equal(res.provider_id, "PyDmBQZZXYmyxMwED8Fzy");
	assert_string_equal(res.error_message, "");

	/* Accepted but unreadable: still accepted, never resent. */
	provider_android.parse_send(NULL, 202, "oops", 4, &res);
	assert_int_equal(res.outcome, SEND_ACCEPTED);
	assert_string_equal(res.provider_id, "");

	provider_android.parse_send(NULL, 400, bad, strlen(bad), &res);
	assert_int_equal(res.outcome, SEND_FAILED);
	assert_string_equal(res.error_code, "400");
	assert_string_equal(res.error_message, "HTTP 400: phoneNumbers is empty");

	provider_android.parse_send(NULL, 503, full, strlen(full), &res);
	assert_int_equal(res.outcome, SEND_RETRY);
	assert_string_equal(res.error_code, "");
	assert_string_equal(res.error_message, "HTTP 503: Queue limits exceeded");

	provider_android.parse_send(NULL, 401, "Unauthorized", 12, &res);
	assert_int_equal(res.outcome, SEND_FAILED);
	assert_string_equal(res.error_message, "HTTP 401: Unauthorized");

	provider_android.parse_send(NULL, 502, html, strlen(html), &res);
	assert_int_equal(res.outcome, SEND_RETRY);
	assert_string_equal(res.error_message, "HTTP 502: <html>");

	provider_android.parse_send(NULL, 0, NULL, 0, &res);
	assert_int_equal(res.outcome, SEND_RETRY);
	assert_string_equal(res.error_message, "no answer");

	provider_android.parse_send(NULL, 404, "", 0, &res);
	assert_int_equal(res.outcome, SEND_FAILED);
	assert_string_equal(res.error_message, "HTTP 404");
}

static int
status_signed(const char *body, struct sp_status_update *up)
{
	char key[] = KEY, sig[CRYPTO_SHA256_HEX_LEN + 1], err[256], *msg;
	struct provider_conf c;
	struct treq t;

	msg = xasprintf("%s%s", body, TS);
	crypto_hmac_sha256_hex(KEY, strlen(KEY), msg, strlen(msg), sig);
	free(msg);
	conf_init(&c, key, NULL);
	treq_init(&t, "/status/android", body, sig, TS);
	return provider_android.parse_status(&c, &t.r, up, err, sizeof(err));
}

static void
test_parse_status(void **state)
{
	static const struct {
		const char		*event, *payload;
		enum msg_state	 state;
		const char		*reason;
	} cases[] = {
		{ "sms:sent", "{\"messageId\":\"PyDmBQZZXYmyxMwED8Fzy\","
		  "\"phoneNumber\":\"+919812345678\",\"simNumber\":null,"
		  "\"partsCount\":1,\"sentAt\":\"2026-03-14T10:21:09.000+05:30\"}",
		  MSG_SENT, "" },
		{ "sms:delivered", "{\"messageId\":\"PyDmBQZZXYmyxMwED8Fzy\","
		  "\"phoneNumber\":\"+919812345678\",\"simNumber\":1,"
		  "\"deliveredAt\":\"2026-03-14T10:21:12.000+05:30\"}",
		  MSG_DELIVERED, "" },
		{ "sms:failed", "{\"messageId\":\"PyDmBQZZXYmyxMwED8Fzy\","
		  "\"phoneNumber\":\"+919812345678\",\"simNumber\":1,"
		  "\"failedAt\":\"2026-03-14T10:21:12.000+05:30\","
		  "\"reason\":\"RESULT_ERROR_GENERIC_FAILURE\"}",
		  MSG_FAILED, "RESULT_ERROR_GENERIC_FAILURE" },
	};
	struct sp_status_update up;
	char *body;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		body = event_body(cases[i].event, cases[i].payload);
		assert_int_equal(status_signed(body, &up), 0);
		assert_string_equal(up.provider_id, "PyDmBQZZXYmyxMwED8Fzy");
		assert_int_equal(up.state, cases[i].state);
		assert_string_equal(up.raw_status, cases[i].event);
		assert_string_equal(up.error_code, "");
		assert_string_equal(up.reason, cases[i].reason);
		free(body);
	}

	/* Events we do not track: 0 with no provider id (answer 200). */
	body = event_body("system:ping", "{\"health\":{\"status\":\"pass\"}}");
	assert_int_equal(status_signed(body, &up), 0);
	assert_string_equal(up.provider_id, "");
	free(body);
	body = event_body("sms:cancelled", "{\"messageId\":\"m1\"}");
	assert_int_equal(status_signed(body, &up), 0);
	assert_string_equal(up.provider_id, "");
	free(body);

	/* Inbound SMS on the status URL, a missing or huge messageId. */
	body = event_body("sms:received", "{\"message\":\"hi\","
	    "\"phoneNumber\":\"+919812345678\"}");
	assert_int_equal(status_signed(body, &up), 400);
	free(body);
	body = event_body("sms:sent", "{\"phoneNumber\":\"+919812345678\"}");
	assert_int_equal(status_signed(body, &up), 400);
	assert_string_equal(up.provider_id, "");
	free(body);
	{
		char id[200], *p;

		memset(id, 'a', sizeof(id) - 1);
		id[sizeof(id) - 1] = '\0';
		p = xasprintf("{\"messageId\":\"%s\"}", id);
		body = event_body("sms:delivered", p);
		assert_int_equal(status_signed(body, &up), 400);
		free(p);
		free(body);
	}
	assert_int_equal(status_signed("{nope", &up), 400);
}

static void
test_status_trust(void **state)
{
	char key[] = KEY, tok[] = "tok123", err[256];
	struct sp_status_update up;
	struct provider_conf c;
	struct treq t;
	char *body;

	(void)state;
	body = event_body("sms:delivered", "{\"messageId\":\"m1\"}");
	conf_init(&c, key, NULL);
	treq_init(&t, "/status/android", body, signed_sig, TS);
	assert_int_equal(provider_android.parse_status(&c, &t.r, &up, err,
	    sizeof(err)), 403);
	t.sig = NULL;
	assert_int_equal(provider_android.parse_status(&c, &t.r, &up, err,
	    sizeof(err)), 403);
	conf_init(&c, NULL, tok);
	t.r.path_arg = "tok123";
	assert_int_equal(provider_android.parse_status(&c, &t.r, &up, err,
	    sizeof(err)), 0);
	assert_string_equal(up.provider_id, "m1");
	assert_int_equal(up.state, MSG_DELIVERED);
	t.r.path_arg = "nope";
	assert_int_equal(provider_android.parse_status(&c, &t.r, &up, err,
	    sizeof(err)), 403);
	free(body);
}

static void
test_reason_cut(void **state)
{
	struct sp_status_update up;
	char reason[400], *p, *body;
	size_t i;

	(void)state;
	/* 3-byte Devanagari letters: the cut must not split one. */
	reason[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(reason, "क");
	p = xasprintf("{\"messageId\":\"m1\",\"reason\":\"%s\"}", reason);
	body = event_body("sms:failed", p);
	assert_int_equal(status_signed(body, &up), 0);
	assert_int_equal(strlen(up.reason), 126);
	assert_int_equal(strncmp(up.reason, reason, 126), 0);
	free(p);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_url_token),
		cmocka_unit_test(test_parse_inbound),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_build_send),
		cmocka_unit_test(test_parse_send),
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_status_trust),
		cmocka_unit_test(test_reason_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
