/*
 * test_provider_console: the local provider's form parsing, its answers to
 * bad requests, and its plain-text replies; and the provider table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "provider.h"
#include "util.h"

/* The adapters under test (provider_table.c lists them). */
extern const struct provider provider_console;
extern const struct provider provider_twilio;
extern const struct provider provider_exotel;

static const char *
no_header(const struct sp_request *r, const char *name)
{
	(void)r;
	(void)name;
	return NULL;
}

/* A request relayed by a proxy: it says for whom. */
static const char *
proxied_header(const struct sp_request *r, const char *name)
{
	(void)r;
	return strcmp(name, r->header_arg) == 0 ? "203.0.113.9" : NULL;
}

/* Parse as the peer and headers say; allow is console.allow_remote. */
static int
parse_from(int loopback, const char *proxy_header, int allow,
    const char *method, const char *ctype, const char *body,
    struct inbound_msg *in)
{
	struct provider_value remote = { "allow_remote", allow ? "yes" : "no" };
	struct provider_conf c;
	struct sp_request r;
	char err[256];

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.default_cc = "91";
	c.values = &remote;
	c.nvalues = 1;
	memset(&r, 0, sizeof(r));
	r.method = method;
	r.uri = r.path = "/sms/console";
	r.content_type = ctype;
	r.body = body;
	r.body_len = strlen(body);
	r.header = proxy_header != NULL ? proxied_header : no_header;
	r.header_arg = (void *)(uintptr_t)proxy_header;
	r.peer_loopback = loopback;
	return provider_console.parse_sms(&c, &r, in, err, sizeof(err));
}

static int
parse(const char *method, const char *ctype, const char *body,
    struct inbound_msg *in)
{
	return parse_from(1, NULL, 0, method, ctype, body, in);
}

#define FORM "application/x-www-form-urlencoded"

static void
test_parse(void **state)
{
	struct inbound_msg in;

	(void)state;
	assert_int_equal(parse("POST", FORM, "From=09812345678&Body=loan+bhadohi"
	    "&MessageId=m1", &in), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.body, "loan bhadohi");
	assert_string_equal(in.provider_msg_id, "m1");
	records_inbound_clear(&in);
	/* No MessageId: no dedupe key. */
	assert_int_equal(parse("POST", FORM "; charset=utf-8",
	    "From=9812345678&Body=", &in), 0);
	assert_null(in.provider_msg_id);
	assert_string_equal(in.body, "");
	records_inbound_clear(&in);
}

static void
test_bad_requests(void **state)
{
	struct inbound_msg in;

	(void)state;
	assert_int_equal(parse("GET", FORM, "From=9812345678&Body=x", &in), 405);
	assert_int_equal(parse("POST", "application/json", "{}", &in), 415);
	assert_int_equal(parse("POST", NULL, "From=9812345678&Body=x", &in), 415);
	assert_int_equal(parse("POST", FORM, "Body=x", &in), 400);
	assert_int_equal(parse("POST", FORM, "From=9812345678", &in), 400);
	assert_int_equal(parse("POST", FORM, "From=abc&Body=x", &in), 400);
	assert_int_equal(parse("POST", FORM, "From=9812345678&Body=%ff", &in),
	    400);
	assert_int_equal(parse("POST", FORM, "From=9812345678&Body=%zz", &in),
	    400);
	assert_null(in.body);
}

/* Anyone who reaches the console can speak for any number: only this
 * machine may, and not through a proxy, unless allow_remote says so. */
static void
test_local_only(void **state)
{
	static const char *const relayed[] = { "X-Forwarded-For", "Forwarded",
	    "X-Real-IP" };
	const char *stop = "From=9812345678&Body=STOP";
	struct inbound_msg in;
	size_t i;

	(void)state;
	assert_int_equal(parse_from(0, NULL, 0, "POST", FORM, stop, &in), 403);
	assert_null(in.body);
	for (i = 0; i < SP_ARRAY_LEN(relayed); i++) {
		assert_int_equal(parse_from(1, relayed[i], 0, "POST", FORM,
		    stop, &in), 403);
		assert_int_equal(parse_from(1, relayed[i], 1, "POST", FORM,
		    stop, &in), 0);
		records_inbound_clear(&in);
	}
	assert_int_equal(parse_from(0, NULL, 1, "POST", FORM, stop, &in), 0);
	assert_string_equal(in.body, "STOP");
	records_inbound_clear(&in);
	assert_int_equal(parse_from(1, NULL, 0, "POST", FORM, stop, &in), 0);
	records_inbound_clear(&in);
}

/* A provider that cannot send is never picked: the adapter's own rules
 * say what is missing, and a missing secret names its variable. */
static void
test_can_send_and_check(void **state)
{
	struct provider_conf c;
	struct buf problems, warnings;
	char why[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.name = "twilio";
	c.public_url = "https://gw.example.in";
	c.auth_token_env = "SAMPARK_TWILIO_AUTH_TOKEN";
	/* The console delivers into the log: it can always "send". */
	assert_int_equal(provider_can_send(&provider_console, &c, why,
	    sizeof(why)), 1);
	/* The shipped config's Twilio: enabled, nothing else. */
	assert_int_equal(provider_can_send(&provider_twilio, &c, why,
	    sizeof(why)), 0);
	assert_non_null(strstr(why, "twilio.account_sid is not set"));
	c.account_sid = "AC0123456789abcdef0123456789abcdef";
	c.from = "+15005550006";
	assert_int_equal(provider_can_send(&provider_twilio, &c, why,
	    sizeof(why)), 0);
	assert_non_null(strstr(why, "SAMPARK_TWILIO_AUTH_TOKEN"));

	buf_init(&problems, 0);
	buf_init(&warnings, 0);
	provider_check(&provider_twilio, &c, &problems, &warnings);
	assert_non_null(strstr(buf_cstr(&problems), "no auth token: set the "
	    "environment variable SAMPARK_TWILIO_AUTH_TOKEN"));
	/* The problem already says why it cannot send. */
	assert_null(strstr(buf_cstr(&warnings), "cannot send"));

	c.auth_token = "secret";
	assert_int_equal(provider_can_send(&provider_twilio, &c, why,
	    sizeof(why)), 1);
	c.enabled = 0;
	assert_int_equal(provider_can_send(&provider_twilio, &c, why,
	    sizeof(why)), 0);
	c.enabled = 1;
	buf_reset(&problems);
	buf_reset(&warnings);
	provider_check(&provider_twilio, &c, &problems, &warnings);
	assert_int_equal(problems.len, 0);

	/* Webhooks work without an account, sending does not: a warning. */
	c.account_sid = "";
	provider_check(&provider_twilio, &c, &problems, &warnings);
	assert_int_equal(problems.len, 0);
	assert_non_null(strstr(buf_cstr(&warnings), "cannot send: "
	    "twilio.account_sid is not set"));

	/* Exotel signs nothing: its URL token is the webhook's secret. */
	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.name = "exotel";
	c.url_token_env = "SAMPARK_EXOTEL_URL_TOKEN";
	c.auth_token_env = "SAMPARK_EXOTEL_AUTH_TOKEN";
	buf_reset(&problems);
	provider_check(&provider_exotel, &c, &problems, &warnings);
	assert_non_null(strstr(buf_cstr(&problems), "SAMPARK_EXOTEL_URL_TOKEN"));
	assert_non_null(strstr(buf_cstr(&problems),
	    "SAMPARK_EXOTEL_AUTH_TOKEN"));
	buf_free(&problems);
	buf_free(&warnings);
}

static void
test_render_and_table(void **state)
{
	char *texts[] = { "one", "दो" };
	const char *ctype;
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(provider_console.render_sms_reply(NULL, NULL, texts, 2, &b,
	    &ctype), 0);
	assert_string_equal(buf_cstr(&b), "one\n\nदो\n");
	assert_string_equal(ctype, "text/plain; charset=utf-8");
	buf_free(&b);
	assert_ptr_equal(provider_find("console"), &provider_console);
	assert_ptr_equal(provider_find("twilio"), &provider_twilio);
	assert_null(provider_find("nosuch"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_local_only),
		cmocka_unit_test(test_can_send_and_check),
		cmocka_unit_test(test_render_and_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
