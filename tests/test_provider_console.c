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

static const char *
no_header(const struct sp_request *r, const char *name)
{
	(void)r;
	(void)name;
	return NULL;
}

static int
parse(const char *method, const char *ctype, const char *body,
    struct sp_inbound *in)
{
	struct provider_conf c;
	struct sp_request r;
	char err[256];

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.default_cc = "91";
	memset(&r, 0, sizeof(r));
	r.method = method;
	r.uri = r.path = "/sms/console";
	r.content_type = ctype;
	r.body = body;
	r.body_len = strlen(body);
	r.header = no_header;
	return provider_console.parse_sms(&c, &r, in, err, sizeof(err));
}

#define FORM "application/x-www-form-urlencoded"

static void
test_parse(void **state)
{
	struct sp_inbound in;

	(void)state;
	assert_int_equal(parse("POST", FORM, "From=09812345678&Body=loan+bhadohi"
	    "&MessageId=m1", &in), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.body, "loan bhadohi");
	assert_string_equal(in.provider_msg_id, "m1");
	sp_inbound_clear(&in);
	/* No MessageId: no dedupe key. */
	assert_int_equal(parse("POST", FORM "; charset=utf-8",
	    "From=9812345678&Body=", &in), 0);
	assert_null(in.provider_msg_id);
	assert_string_equal(in.body, "");
	sp_inbound_clear(&in);
}

static void
test_bad_requests(void **state)
{
	struct sp_inbound in;

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
		cmocka_unit_test(test_render_and_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
