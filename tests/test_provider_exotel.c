/*
 * test_provider_exotel: both inbound webhook shapes (classic GET and
 * JSON POST), the URL token that stands in for a signature, the
 * text/plain reply, the Sms/send request, its answers, and delivery
 * reports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "provider.h"
#include "util.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_exotel;

#define FORM	"application/x-www-form-urlencoded"
#define JSON	"application/json"

static const char *
no_header(const struct sp_request *r, const char *name)
{
	(void)r;
	(void)name;
	return NULL;
}

static struct provider_conf
conf(char *url_token)
{
	struct provider_conf c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.name = "exotel";
	c.public_url = "https://gw.example.in";
	c.default_cc = "91";
	c.account_sid = "sampark1";
	c.api_key = "key123";
	c.api_base = "https://api.in.exotel.com";
	c.from = "SMPARK";
	c.dlt_entity_id = "";
	c.dlt_template_id = "";
	c.sms_type = "";
	c.url_token = url_token;
	c.reply_inline = 1;
	return c;
}

static struct sp_request
request(const char *method, const char *path_arg, const char *query,
    const char *ctype, const char *body)
{
	struct sp_request r;

	memset(&r, 0, sizeof(r));
	r.method = method;
	r.uri = r.path = "/sms/exotel";
	r.path_arg = path_arg;
	r.query = query;
	r.content_type = ctype;
	r.body = body;
	r.body_len = body != NULL ? strlen(body) : 0;
	r.header = no_header;
	return r;
}

static int
parse(const struct provider_conf *c, const char *method, const char *path_arg,
    const char *query, const char *ctype, const char *body,
    struct inbound_msg *in)
{
	struct sp_request r = request(method, path_arg, query, ctype, body);
	char err[256];

	return provider_exotel.parse_sms(c, &r, in, err, sizeof(err));
}

#define CLASSIC	"SmsSid=b6c0a1&From=09052161119&To=56070" \
		"&Date=2026-11-26+10%3A00%3A00&Body=loan+bhadohi"

static void
test_classic_get(void **state)
{
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);
	struct inbound_msg in;

	(void)state;
	assert_int_equal(parse(&c, "GET", "s3cret", CLASSIC, NULL, NULL, &in),
	    0);
	assert_string_equal(in.from, "+919052161119");
	assert_string_equal(in.to, "");		/* a short code */
	assert_string_equal(in.body, "loan bhadohi");
	assert_string_equal(in.provider_msg_id, "b6c0a1");
	assert_int_equal(in.reply_inline_ok, 1);
	records_inbound_clear(&in);

	/* Token in the query: not confused with the message fields. */
	assert_int_equal(parse(&c, "GET", NULL, CLASSIC "&token=s3cret", NULL,
	    NULL, &in), 0);
	assert_string_equal(in.body, "loan bhadohi");
	assert_string_equal(in.from, "+919052161119");
	records_inbound_clear(&in);
	assert_int_equal(parse(&c, "GET", NULL, "token=s3cret&" CLASSIC, NULL,
	    NULL, &in), 0);
	assert_string_equal(in.provider_msg_id, "b6c0a1");
	records_inbound_clear(&in);

	/* A long-code To is kept, Hindi text decodes. */
	assert_int_equal(parse(&c, "GET", "s3cret", "SmsSid=x2&From=9812345678"
	    "&To=08047112345&Body=%E0%A4%B2%E0%A5%8B%E0%A4%A8", NULL, NULL,
	    &in), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.to, "+918047112345");
	assert_string_equal(in.body, "लोन");
	records_inbound_clear(&in);
}

static void
test_classic_bad(void **state)
{
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);
	struct inbound_msg in;

	(void)state;
	assert_int_equal(parse(&c, "GET", "s3cret", "SmsSid=1&Body=hi", NULL,
	    NULL, &in), 400);
	assert_null(in.body);
	assert_int_equal(parse(&c, "GET", "s3cret", "SmsSid=1&From=0905216111"
	    "9", NULL, NULL, &in), 400);
	assert_int_equal(parse(&c, "GET", "s3cret", "From=abc&Body=hi", NULL,
	    NULL, &in), 400);
	assert_int_equal(parse(&c, "GET", "s3cret", "From=09052161119&Body=%FF",
	    NULL, NULL, &in), 400);
	assert_int_equal(parse(&c, "GET", "s3cret", "From=%zz&Body=hi", NULL,
	    NULL, &in), 400);
	assert_int_equal(parse(&c, "GET", "s3cret", NULL, NULL, NULL, &in),
	    400);
	assert_int_equal(parse(&c, "GET", "s3cret", "SmsSid=a+b&From=09052161119"
	    "&Body=hi", NULL, NULL, &in), 400);
	assert_null(in.body);
	assert_null(in.provider_msg_id);
}

static void
test_token(void **state)
{
	char tok[] = "s3cret", empty[] = "";
	struct provider_conf c = conf(tok);
	struct inbound_msg in;

	(void)state;
	assert_int_equal(parse(&c, "GET", NULL, CLASSIC, NULL, NULL, &in), 403);
	assert_int_equal(parse(&c, "GET", "wrong", CLASSIC, NULL, NULL, &in),
	    403);
	assert_int_equal(parse(&c, "GET", "s3cre", CLASSIC, NULL, NULL, &in),
	    403);
	assert_int_equal(parse(&c, "GET", NULL, CLASSIC "&token=nope", NULL,
	    NULL, &in), 403);
	assert_int_equal(parse(&c, "POST", "wrong", NULL, JSON, "{}", &in), 403);
	/* The token check comes before anything else. */
	assert_int_equal(parse(&c, "PUT", NULL, NULL, NULL, NULL, &in), 403);
	assert_null(in.body);
	/* No token configured: never accepted, whatever is given. */
	c.url_token = NULL;
	assert_int_equal(parse(&c, "GET", "s3cret", CLASSIC, NULL, NULL, &in),
	    403);
	c.url_token = empty;
	assert_int_equal(parse(&c, "GET", "", CLASSIC, NULL, NULL, &in), 403);
	assert_int_equal(parse(&c, "GET", NULL, CLASSIC "&token=", NULL, NULL,
	    &in), 403);
}

#define JSON_SMS "{\"SmsSid\":\"a1b2c3\",\"Direction\":\"incoming\"," \
	"\"Sender\":\"+919812345678\",\"ReceivedOn\":\"+918047112345\"," \
	"\"MessageBody\":\"\\u0932\\u094b\\u0928 mirzapur\"," \
	"\"ReceivedTime\":\"2023-05-18T16:11:01Z\"}"

static void
test_json_post(void **state)
{
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);
	struct inbound_msg in;

	(void)state;
	assert_int_equal(parse(&c, "POST", "s3cret", NULL, JSON, JSON_SMS, &in),
	    0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.to, "+918047112345");
	assert_string_equal(in.body, "लोन mirzapur");
	assert_string_equal(in.provider_msg_id, "a1b2c3");
	assert_int_equal(in.reply_inline_ok, 0);
	records_inbound_clear(&in);

	assert_int_equal(parse(&c, "POST", NULL, "token=s3cret",
	    JSON "; charset=utf-8", "{\"Sender\":\"09812345678\",\"ReceivedOn\""
	    ":\"56070\",\"MessageBody\":\"help\"}", &in), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.to, "");
	assert_null(in.provider_msg_id);
	assert_int_equal(in.reply_inline_ok, 0);
	records_inbound_clear(&in);
}

static void
test_json_bad(void **state)
{
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);
	struct inbound_msg in;
	static const char *const bad[] = {
		"", "{", "not json", "[]", "\"x\"", "{}",
		"{\"Sender\":\"+919812345678\"}",
		"{\"MessageBody\":\"hi\"}",
		"{\"Sender\":\"\",\"MessageBody\":\"hi\"}",
		"{\"Sender\":12,\"MessageBody\":\"hi\"}",
		"{\"Sender\":\"+919812345678\",\"MessageBody\":7}",
		"{\"Sender\":\"hello\",\"MessageBody\":\"hi\"}",
		"{\"Sender\":\"+919812345678\",\"MessageBody\":\"a\\u0000b\"}",
		"{\"Sender\":\"+919812345678\",\"MessageBody\":\"hi\","
		    "\"Direction\":\"outbound-api\"}",
		"{\"Sender\":\"+919812345678\",\"MessageBody\":\"hi\","
		    "\"SmsSid\":\"\\u0001\"}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(bad); i++) {
		assert_int_equal(parse(&c, "POST", "s3cret", NULL, JSON, bad[i],
		    &in), 400);
		assert_null(in.body);
	}
	assert_int_equal(parse(&c, "POST", "s3cret", NULL, FORM, "From=1&Body=x",
	    &in), 415);
	assert_int_equal(parse(&c, "POST", "s3cret", NULL, NULL, JSON_SMS, &in),
	    415);
	assert_int_equal(parse(&c, "POST", "s3cret", NULL, "application/jsonx",
	    JSON_SMS, &in), 415);
	assert_int_equal(parse(&c, "PUT", "s3cret", NULL, JSON, JSON_SMS, &in),
	    405);
	assert_int_equal(parse(&c, "DELETE", "s3cret", CLASSIC, NULL, NULL, &in),
	    405);
	assert_null(in.body);
}

static void
test_render(void **state)
{
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);
	char *texts[] = { "Loan: SIDBI Bhadohi 0541-222", "दूसरा & <b>" };
	const char *ctype = NULL;
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(provider_exotel.render_sms_reply(&c, NULL, texts, 0,
	    &b, &ctype), 0);
	assert_string_equal(ctype, "text/plain");
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(provider_exotel.render_sms_reply(&c, NULL, texts, 1,
	    &b, &ctype), 0);
	assert_string_equal(buf_cstr(&b), "Loan: SIDBI Bhadohi 0541-222");
	buf_reset(&b);
	assert_int_equal(provider_exotel.render_sms_reply(&c, NULL, texts, 2,
	    &b, &ctype), 0);
	assert_string_equal(ctype, "text/plain");
	/* Not escaped: the body is sent as the SMS text itself. */
	assert_string_equal(buf_cstr(&b),
	    "Loan: SIDBI Bhadohi 0541-222\nदूसरा & <b>");
	buf_free(&b);
	/* The cap is honoured. */
	buf_init(&b, 10);
	assert_int_equal(provider_exotel.render_sms_reply(&c, NULL, texts, 1,
	    &b, &ctype), -1);
	buf_free(&b);
}

/* ---- sending ---- */

static int
build(const struct provider_conf *c, const struct sp_outbound *m,
    struct sp_http_call *call, struct form *f)
{
	char err[256];

	memset(f, 0, sizeof(*f));
	if (provider_exotel.build_send(c, m, call, err, sizeof(err)) != 0)
		return -1;
	assert_non_null(call->body);
	assert_int_equal(form_parse(call->body->data, call->body->len, f, NULL,
	    0), 0);
	return 0;
}

static void
test_build_send(void **state)
{
	char tok[] = "s3cret", secret[] = "apitoken";
	struct provider_conf c = conf(tok);
	struct sp_outbound m = { 42, "+919812345678", "", "Meeting at 10 & 11",
	    0, "https://gw.example.in/status/exotel/s3cret", NULL, NULL };
	struct sp_http_call call;
	struct form f;
	size_t i;
	int ctype = 0;

	(void)state;
	c.auth_token = secret;
	assert_int_equal(build(&c, &m, &call, &f), 0);
	assert_string_equal(call.url,
	    "https://api.in.exotel.com/v1/Accounts/sampark1/Sms/send.json");
	assert_string_equal(call.userpwd, "key123:apitoken");
	for (i = 0; i < call.nheaders; i++)
		if (strcmp(call.headers[i],
		    "Content-Type: application/x-www-form-urlencoded") == 0)
			ctype = 1;
	assert_int_equal(ctype, 1);
	assert_string_equal(form_get(&f, "From"), "SMPARK");
	assert_string_equal(form_get(&f, "To"), "+919812345678");
	assert_string_equal(form_get(&f, "Body"), "Meeting at 10 & 11");
	assert_string_equal(form_get(&f, "CustomField"), "42");
	assert_string_equal(form_get(&f, "StatusCallback"),
	    "https://gw.example.in/status/exotel/s3cret");
	assert_null(form_get(&f, "EncodingType"));
	assert_null(form_get(&f, "DltEntityId"));
	assert_null(form_get(&f, "DltTemplateId"));
	assert_null(form_get(&f, "SmsType"));
	form_free(&f);
	provider_http_call_clear(&call);

	/* Unicode, DLT settings, a per-message sender, no status URL. */
	c.dlt_entity_id = "1201160000000000001";
	c.dlt_template_id = "1107160000000012345";
	c.sms_type = "transactional";
	m.from = "08047112345";
	m.unicode = 1;
	m.body = "बैठक कल 10 बजे";
	m.status_url = NULL;
	m.id = 9007199254740993LL;
	assert_int_equal(build(&c, &m, &call, &f), 0);
	assert_string_equal(form_get(&f, "From"), "08047112345");
	assert_string_equal(form_get(&f, "Body"), "बैठक कल 10 बजे");
	assert_string_equal(form_get(&f, "EncodingType"), "unicode");
	assert_string_equal(form_get(&f, "DltEntityId"), "1201160000000000001");
	assert_string_equal(form_get(&f, "DltTemplateId"),
	    "1107160000000012345");
	assert_string_equal(form_get(&f, "SmsType"), "transactional");
	assert_string_equal(form_get(&f, "CustomField"), "9007199254740993");
	assert_null(form_get(&f, "StatusCallback"));
	form_free(&f);
	provider_http_call_clear(&call);

	/* A broadcast's own template id and category win over the config. */
	m.dlt_template_id = "1107160000000099999";
	m.sms_type = "promotional";
	assert_int_equal(build(&c, &m, &call, &f), 0);
	assert_string_equal(form_get(&f, "DltTemplateId"),
	    "1107160000000099999");
	assert_string_equal(form_get(&f, "SmsType"), "promotional");
	assert_string_equal(form_get(&f, "DltEntityId"), "1201160000000000001");
	form_free(&f);
	provider_http_call_clear(&call);
}

static void
test_build_send_missing(void **state)
{
	char tok[] = "s3cret", secret[] = "apitoken";
	struct provider_conf c = conf(tok);
	struct sp_outbound m = { 1, "+919812345678", "", "hi", 0, NULL, NULL,
	    NULL };
	struct sp_http_call call;
	struct form f;

	(void)state;
	/* No API token. */
	assert_int_equal(build(&c, &m, &call, &f), -1);
	assert_null(call.url);
	c.auth_token = secret;
	c.account_sid = "";
	assert_int_equal(build(&c, &m, &call, &f), -1);
	c.account_sid = "sampark1";
	c.api_key = "";
	assert_int_equal(build(&c, &m, &call, &f), -1);
	c.api_key = "key123";
	c.from = "";
	assert_int_equal(build(&c, &m, &call, &f), -1);
	assert_null(call.body);
	/* A per-message sender is enough. */
	m.from = "SMPARK";
	assert_int_equal(build(&c, &m, &call, &f), 0);
	form_free(&f);
	provider_http_call_clear(&call);
	provider_http_call_clear(&call);	/* twice is harmless */
}

static void
send_answer(long http, const char *body, struct sp_send_result *res)
{
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);

	provider_exotel.parse_send(&c, http, body, body != NULL ?
	    strlen(body) : 0, res);
}

static void
test_parse_send(void **state)
{
	struct sp_send_result r;
	static const char *const junk[] = { NULL, "", "<TwilioResponse>"
	    "<RestException><Status>500</Status></RestException>", "{", "[]",
	    "[1]", "{\"SMSMessage\":7}", "{\"SMSMessage\":{\"Sid\":[1]}}",
	    "{\"RestException\":\"x\"}", "null", "{\"RestException\":{"
	    "\"Code\":{},\"Message\":3}}" };
	size_t i;

	(void)state;
	send_answer(200, "{\"SMSMessage\":{\"Sid\":\"b6cf1d2a3\",\"Status\":"
	    "\"queued\",\"To\":\"+919812345678\"}}", &r);
	assert_int_equal(r.outcome, SEND_ACCEPTED);
	assert_string_equal(r.provider_id, "b6cf1d2a3");
	send_answer(202, "[{\"SMSMessage\":{\"Sid\":\"bulk1\"}}]", &r);
	assert_int_equal(r.outcome, SEND_ACCEPTED);
	assert_string_equal(r.provider_id, "bulk1");

	send_answer(400, "{\"RestException\":{\"Status\":400,\"Message\":"
	    "\"Invalid Recipient [123]\",\"Code\":\"34001\"}}", &r);
	assert_int_equal(r.outcome, SEND_FAILED);
	assert_string_equal(r.error_code, "34001");
	assert_string_equal(r.error_message, "Invalid Recipient [123]");
	send_answer(402, "{\"RestException\":{\"Status\":402,\"Message\":"
	    "\"Insufficient balance\",\"Code\":20003}}", &r);
	assert_int_equal(r.outcome, SEND_FAILED);
	assert_string_equal(r.error_code, "20003");
	assert_string_equal(r.error_message, "Insufficient balance");
	send_answer(429, "{\"RestException\":{\"Status\":429,\"Message\":"
	    "\"Too Many Requests\"}}", &r);
	assert_int_equal(r.outcome, SEND_RETRY);
	assert_string_equal(r.error_code, "");
	assert_string_equal(r.error_message, "Too Many Requests");
	send_answer(503, "<html>bad gateway</html>", &r);
	assert_int_equal(r.outcome, SEND_RETRY);
	assert_string_equal(r.error_message, "HTTP 503");
	send_answer(0, NULL, &r);
	assert_int_equal(r.outcome, SEND_RETRY);
	send_answer(401, "", &r);
	assert_int_equal(r.outcome, SEND_FAILED);
	assert_string_equal(r.error_message, "HTTP 401");

	for (i = 0; i < SP_ARRAY_LEN(junk); i++) {
		send_answer(200, junk[i], &r);
		assert_int_equal(r.outcome, SEND_ACCEPTED);
		assert_string_equal(r.provider_id, "");
		send_answer(400, junk[i], &r);
		assert_int_equal(r.outcome, SEND_FAILED);
		assert_string_equal(r.error_code, "");
	}
}

/* ---- delivery reports ---- */

static int
status(const struct provider_conf *c, const char *method, const char *token,
    const char *ctype, const char *body, struct sp_status_update *up)
{
	struct sp_request r = request(method, token, NULL, ctype, body);
	char err[256];

	r.uri = r.path = "/status/exotel";
	return provider_exotel.parse_status(c, &r, up, err, sizeof(err));
}

static void
test_parse_status(void **state)
{
	static const struct {
		const char *body;
		enum msg_state state;
		const char *raw, *code, *reason;
	} cases[] = {
		{ "SmsSid=s1&Status=queued", MSG_SENT, "queued", "", "" },
		{ "SmsSid=s1&Status=sending&DetailedStatusCode=21015&"
		  "DetailedStatus=SENDING_TO_OPERATOR", MSG_SENT, "sending", "",
		  "" },
		{ "SmsSid=s1&Status=submitted", MSG_SENT, "submitted", "", "" },
		{ "SmsSid=s1&Status=sent&DetailedStatusCode=20006&"
		  "DetailedStatus=DELIVERED_TO_OPERATOR", MSG_SENT, "sent", "",
		  "" },
		{ "SmsSid=s1&Status=sent&DetailedStatusCode=20005&"
		  "DetailedStatus=DELIVERED_TO_HANDSET", MSG_DELIVERED, "sent",
		  "", "" },
		{ "SmsSid=s1&Status=delivered", MSG_DELIVERED, "delivered", "",
		  "" },
		{ "SmsSid=s1&Status=undelivered&DetailedStatusCode=23035&"
		  "DetailedStatus=FAILED_SUBSCRIBER_UNAVAILABLE", MSG_UNDELIVERED,
		  "undelivered", "23035", "recipient unreachable" },
		{ "SmsSid=s1&Status=failed_dnd&DetailedStatusCode=23005&"
		  "DetailedStatus=FAILED_DND", MSG_FAILED, "failed_dnd", "23005",
		  "recipient is on the DND list" },
		{ "SmsSid=s1&Status=failed_dnd", MSG_FAILED, "failed_dnd", "",
		  "recipient is on the DND list" },
		{ "SmsSid=s1&Status=failed&DetailedStatusCode=30001&"
		  "DetailedStatus=FAILED_DLT_TEMPLATE", MSG_FAILED, "failed",
		  "30001", "DLT template mismatch" },
		{ "SmsSid=s1&Status=failed&DetailedStatusCode=23082&"
		  "DetailedStatus=FAILED_DLT_TEMPLATE", MSG_FAILED, "failed",
		  "23082", "DLT template mismatch" },
		{ "SmsSid=s1&Status=failed&DetailedStatusCode=23185&"
		  "DetailedStatus=DLT_TEMPLATE_DOES_NOT_MATCH", MSG_FAILED,
		  "failed", "23185", "DLT template mismatch" },
		{ "SmsSid=s1&Status=failed&DetailedStatusCode=29999&"
		  "DetailedStatus=FAILED_SOMETHING_NEW", MSG_FAILED, "failed",
		  "29999", "failed_something_new" },
		{ "SmsSid=s1&Status=expired&DetailedStatusCode=24990",
		  MSG_EXPIRED, "expired", "24990", "" },
		{ "SmsSid=s1&Status=FAILED", MSG_FAILED, "FAILED", "", "" },
	};
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);
	struct sp_status_update up;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(cases); i++) {
		assert_int_equal(status(&c, "POST", "s3cret", FORM,
		    cases[i].body, &up), 0);
		assert_string_equal(up.provider_id, "s1");
		assert_int_equal(up.state, cases[i].state);
		assert_string_equal(up.raw_status, cases[i].raw);
		assert_string_equal(up.error_code, cases[i].code);
		assert_string_equal(up.reason, cases[i].reason);
	}
	/* The full callback, with the extra fields Exotel sends. */
	assert_int_equal(status(&c, "POST", "s3cret", FORM "; charset=UTF-8",
	    "SmsSid=0b6c6a98f32682862ce6edf1bdab3526&To=09812345678&Status=sent"
	    "&SmsUnits=1&DetailedStatus=DELIVERED_TO_HANDSET&DetailedStatusCode"
	    "=20005&DateSent=2026-11-26+10%3A00%3A05&CustomField=42", &up), 0);
	assert_string_equal(up.provider_id, "0b6c6a98f32682862ce6edf1bdab3526");
	assert_int_equal(up.state, MSG_DELIVERED);
}

static void
test_parse_status_bad(void **state)
{
	char tok[] = "s3cret";
	struct provider_conf c = conf(tok);
	struct sp_status_update up;
	char long_sid[400];
	char *body;

	(void)state;
	assert_int_equal(status(&c, "POST", "s3cret", FORM,
	    "SmsSid=s1&Status=teleported", &up), 400);
	assert_int_equal(status(&c, "POST", "s3cret", FORM, "Status=sent", &up),
	    400);
	assert_int_equal(status(&c, "POST", "s3cret", FORM, "SmsSid=s1", &up),
	    400);
	assert_int_equal(status(&c, "POST", "s3cret", FORM,
	    "SmsSid=s1&Status=", &up), 400);
	assert_int_equal(status(&c, "POST", "s3cret", FORM,
	    "SmsSid=a%0Ab&Status=sent", &up), 400);
	assert_int_equal(status(&c, "POST", "s3cret", FORM, "SmsSid=%zz", &up),
	    400);
	memset(long_sid, 'a', sizeof(long_sid) - 1);
	long_sid[sizeof(long_sid) - 1] = '\0';
	body = xasprintf("SmsSid=%s&Status=sent", long_sid);
	assert_int_equal(status(&c, "POST", "s3cret", FORM, body, &up), 400);
	free(body);
	/* Unknown detail that is not text: no reason rather than garbage. */
	assert_int_equal(status(&c, "POST", "s3cret", FORM,
	    "SmsSid=s1&Status=failed&DetailedStatus=%FF%FE", &up), 0);
	assert_string_equal(up.reason, "");

	assert_int_equal(status(&c, "GET", "s3cret", FORM,
	    "SmsSid=s1&Status=sent", &up), 405);
	assert_int_equal(status(&c, "POST", "s3cret", JSON,
	    "SmsSid=s1&Status=sent", &up), 415);
	assert_int_equal(status(&c, "POST", NULL, FORM,
	    "SmsSid=s1&Status=sent", &up), 403);
	assert_int_equal(status(&c, "POST", "nope", FORM,
	    "SmsSid=s1&Status=sent", &up), 403);
	c.url_token = NULL;
	assert_int_equal(status(&c, "POST", "s3cret", FORM,
	    "SmsSid=s1&Status=sent", &up), 403);
	assert_string_equal(up.provider_id, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classic_get),
		cmocka_unit_test(test_classic_bad),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_json_post),
		cmocka_unit_test(test_json_bad),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_build_send),
		cmocka_unit_test(test_build_send_missing),
		cmocka_unit_test(test_parse_send),
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_parse_status_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
