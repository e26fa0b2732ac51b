/*
 * test_provider_plivo: every Plivo vector of shared/specs/test-vectors.json
 * (plivo-node 4.79.0), a few more checked with the same SDK's
 * validateV3Signature, the webhook parsers' answers to good and bad
 * requests, Plivo XML replies, and the send request and its answers.
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
#include "form.h"
#include "provider.h"
#include "provider_plivo.h"
#include "util.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_plivo;

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

#define NONCE	"05429567804466091622"
#define UUID	"0936ec98-7c4c-11e4-9bd8-22000afa12b9"

static const char *const sms_params[] = { "From", "919812345678",
    "To", "918045678901", "Text", "STATUS 42", "Type", "sms",
    "MessageUUID", UUID, NULL };
static const char *const get_params[] = { "Digits", "1", "CallUUID", "abc",
    NULL };
static const char *const no_params[] = { NULL };
static const char *const hindi_params[] = { "From", "919812345678",
    "To", "918045678901", "Text", "लोन भदोही", "Type", "sms",
    "MessageUUID", "u-1", NULL };
static const char *const status_params[] = { "Status", "delivered",
    "MessageUUID", "u-2", "ErrorCode", "", NULL };

struct vector {
	const char	*method, *url, *nonce, *token, *string, *sig;
	const char *const *params;
};

static const struct vector vectors[] = {
	/* The four V3 vectors of test-vectors.json. */
	{ "POST", "https://gw.example.in/plivo/sms", NONCE, "my_auth_token",
	  "https://gw.example.in/plivo/sms?From919812345678MessageUUID" UUID
	  "TextSTATUS 42To918045678901Typesms." NONCE,
	  "kglKLcCD4Zp2GsBDQ4XKrJDxE53ljaSkJD2gEcuEMPc=", sms_params },
	{ "POST", "https://gw.example.in/plivo/sms?b=2&a=1", NONCE,
	  "my_auth_token",
	  "https://gw.example.in/plivo/sms?a=1&b=2.From919812345678MessageUUID"
	  UUID "TextSTATUS 42To918045678901Typesms." NONCE,
	  "7EEr6TdMPBThSim5zOuSMyrmbL36PYBYMqePLY+WgJw=", sms_params },
	{ "GET", "https://gw.example.in/plivo/ivr?lang=hi", NONCE,
	  "my_auth_token",
	  "https://gw.example.in/plivo/ivr?CallUUID=abc&Digits=1&lang=hi."
	  NONCE, "Czf79p+0TUb4Vu5qOhcv5DtDWnOZnXtGU7Z5YdgS//k=", get_params },
	{ "POST", "https://gw.example.in/plivo/x", NONCE, "my_auth_token",
	  "https://gw.example.in/plivo/x." NONCE,
	  "Qn8IJS3iypl6SLjtsajft8ZY3UHTGLupM83JZoToSv4=", no_params },
	/* Checked with plivo-node 4.79.0 validateV3Signature: UTF-8 text,
	 * a decoded query with a POST body, a query alone, a bare GET. */
	{ "POST", "https://gw.example.in/sms/plivo", "N0NCE", "tok_plivo",
	  "https://gw.example.in/sms/plivo?From919812345678MessageUUIDu-1"
	  "Textलोन भदोहीTo918045678901Typesms.N0NCE",
	  "XpLS/B5vRLJL8rxxm868V7ePphu0i2XGgcOADX3HZTw=", hindi_params },
	{ "POST", "https://gw.example.in/status/plivo?z=1&a=x%20y", "N0NCE",
	  "tok_plivo", "https://gw.example.in/status/plivo?a=x y&z=1."
	  "ErrorCodeMessageUUIDu-2Statusdelivered.N0NCE",
	  "2UOx3MV0Frf2FMWmCtBXFzIV1EKNh2zxd+94u9huqd8=", status_params },
	{ "POST", "https://gw.example.in/status/plivo?z=1", "N0NCE",
	  "tok_plivo", "https://gw.example.in/status/plivo?z=1.N0NCE",
	  "JeyBXCISvV53TDml8eY2sIrrmAsbw7HkoHlBepeB7bU=", no_params },
	{ "GET", "https://gw.example.in/x", "N0NCE", "tok_plivo",
	  "https://gw.example.in/x.N0NCE",
	  "Dv3mZErMiJIAZCjloNyngwvYefPrCkog2EjjCCnQE/Q=", no_params },
};

static void
test_v3_vectors(void **state)
{
	char sig[CRYPTO_SHA256_B64_LEN + 1], *multi;
	const struct vector *v;
	struct form f;
	struct buf s;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(vectors); i++) {
		v = &vectors[i];
		form_set(&f, v->params);
		buf_init(&s, 0);
		assert_int_equal(provider_plivo_v3_string(v->method, v->url, &f,
		    v->nonce, &s), 0);
		assert_string_equal(buf_cstr(&s), v->string);
		crypto_hmac_sha256_b64(v->token, strlen(v->token), s.data,
		    s.len, sig);
		assert_string_equal(sig, v->sig);
		buf_free(&s);
		assert_int_equal(provider_plivo_v3_valid(v->token, v->sig, v->method,
		    v->url, &f, v->nonce), 1);

		/* Several signatures (token rotation): any may match. */
		multi = xasprintf("bm90IHRoaXMgb25l,%s", v->sig);
		assert_int_equal(provider_plivo_v3_valid(v->token, multi, v->method,
		    v->url, &f, v->nonce), 1);
		free(multi);
		multi = xasprintf("%s, bm90IHRoaXMgb25l", v->sig);
		assert_int_equal(provider_plivo_v3_valid(v->token, multi, v->method,
		    v->url, &f, v->nonce), 1);
		free(multi);

		/* Wrong token, nonce, method, URL; tampered signature. */
		assert_int_equal(provider_plivo_v3_valid("other_token", v->sig,
		    v->method, v->url, &f, v->nonce), 0);
		assert_int_equal(provider_plivo_v3_valid(v->token, v->sig, v->method,
		    v->url, &f, "1"), 0);
		/* Without parameters GET and POST sign the same string. */
		if (f.n > 0)
			assert_int_equal(provider_plivo_v3_valid(v->token, v->sig,
			    strcmp(v->method, "GET") == 0 ? "POST" : "GET",
			    v->url, &f, v->nonce), 0);
		assert_int_equal(provider_plivo_v3_valid(v->token, v->sig, v->method,
		    "https://evil.example/plivo/sms", &f, v->nonce), 0);
		strcpy(sig, v->sig);
		sig[5] ^= 1;
		assert_int_equal(provider_plivo_v3_valid(v->token, sig, v->method,
		    v->url, &f, v->nonce), 0);
		multi = xasprintf("%s,%s", sig, "bm90IHRoaXMgb25l");
		assert_int_equal(provider_plivo_v3_valid(v->token, multi, v->method,
		    v->url, &f, v->nonce), 0);
		free(multi);
		form_free(&f);
	}
}

static void
test_v3_tampered_params(void **state)
{
	static const char *const changed[] = { "From", "919812345678",
	    "To", "918045678901", "Text", "STATUS 43", "Type", "sms",
	    "MessageUUID", UUID, NULL };
	static const char *const extra[] = { "From", "919812345678",
	    "To", "918045678901", "Text", "STATUS 42", "Type", "sms",
	    "MessageUUID", UUID, "Units", "1", NULL };
	struct form f;

	(void)state;
	form_set(&f, changed);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", vectors[0].sig,
	    "POST", vectors[0].url, &f, NONCE), 0);
	form_free(&f);
	form_set(&f, extra);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", vectors[0].sig,
	    "POST", vectors[0].url, &f, NONCE), 0);
	form_free(&f);
	/* POST with no parameters but with a query signs no '?' dot. */
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", vectors[0].sig,
	    "POST", vectors[0].url, NULL, NONCE), 0);
}

/*
 * The fifth vector is V2 (URL + nonce, parameters unsigned), which the
 * adapter deliberately does not accept: check the vector itself, and that
 * its signature never passes as V3.
 */
static void
test_v2_vector_refused(void **state)
{
	const char *s = "https://answer.url12345";
	char sig[CRYPTO_SHA256_B64_LEN + 1];

	(void)state;
	crypto_hmac_sha256_b64("my_auth_token", 13, s, strlen(s), sig);
	assert_string_equal(sig, "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=");
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", sig, "POST",
	    "https://answer.url", NULL, "12345"), 0);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", sig, "GET",
	    "https://answer.url", NULL, "12345"), 0);
}

static void
test_v3_bad_input(void **state)
{
	const char *sig = vectors[3].sig, *url = vectors[3].url;
	struct buf s;

	(void)state;
	buf_init(&s, 0);
	assert_int_equal(provider_plivo_v3_string("PUT", url, NULL, NONCE, &s), -1);
	assert_int_equal(provider_plivo_v3_string("POST", "https://x/?a=%G1", NULL,
	    NONCE, &s), -1);
	assert_int_equal(provider_plivo_v3_string("POST", NULL, NULL, NONCE, &s), -1);
	buf_free(&s);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", sig, "PUT", url, NULL,
	    NONCE), 0);
	assert_int_equal(provider_plivo_v3_valid(NULL, sig, "POST", url, NULL, NONCE),
	    0);
	assert_int_equal(provider_plivo_v3_valid("", sig, "POST", url, NULL, NONCE), 0);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", NULL, "POST", url,
	    NULL, NONCE), 0);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", "", "POST", url,
	    NULL, NONCE), 0);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", ",,", "POST", url,
	    NULL, NONCE), 0);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", sig, "POST", url,
	    NULL, NULL), 0);
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", sig, "POST", url,
	    NULL, ""), 0);
	/* The right one still passes (the cases above are not vacuous). */
	assert_int_equal(provider_plivo_v3_valid("my_auth_token", sig, "POST", url,
	    NULL, NONCE), 1);
}

/* ---- webhooks ---- */

struct fake_headers {
	const char *sig;
	const char *nonce;
};

static const char *
fake_header(const struct sp_request *r, const char *name)
{
	const struct fake_headers *h = r->header_arg;

	if (strcasecmp(name, "X-Plivo-Signature-V3") == 0)
		return h->sig;
	if (strcasecmp(name, "X-Plivo-Signature-V3-Nonce") == 0)
		return h->nonce;
	if (strcasecmp(name, "Host") == 0)
		return "127.0.0.1:8080";
	return NULL;
}

static struct provider_conf
conf(char *token)
{
	struct provider_conf c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.name = "plivo";
	c.public_url = "https://gw.example.in";
	c.default_cc = "91";
	c.account_sid = "MAXXXXXXXXXXXXXXXXXX";
	c.api_key = "";
	c.api_base = "https://api.plivo.com";
	c.from = "";
	c.dlt_entity_id = "";
	c.dlt_template_id = "";
	c.sms_type = "transactional";
	c.auth_token = token;
	c.reply_inline = 1;
	return c;
}

/* The signature a form body gets for public URL base + uri. */
static char *
sign(const char *token, const char *uri, const char *body, const char *nonce)
{
	char sig[CRYPTO_SHA256_B64_LEN + 1], *url;
	struct form f;
	struct buf s;

	assert_int_equal(form_parse(body, strlen(body), &f, NULL, 0), 0);
	url = xasprintf("https://gw.example.in%s", uri);
	buf_init(&s, 0);
	assert_int_equal(provider_plivo_v3_string("POST", url, &f, nonce, &s), 0);
	crypto_hmac_sha256_b64(token, strlen(token), s.data, s.len, sig);
	buf_free(&s);
	free(url);
	form_free(&f);
	return xstrdup(sig);
}

static void
request(struct sp_request *r, struct fake_headers *h, const char *method,
    const char *uri, const char *body)
{
	memset(r, 0, sizeof(*r));
	r->method = method;
	r->uri = uri;
	r->path = uri;
	r->content_type = "application/x-www-form-urlencoded";
	r->body = body;
	r->body_len = strlen(body);
	r->header = fake_header;
	r->header_arg = h;
}

static int
parse_sms(struct provider_conf *c, const char *method, const char *body,
    const char *sig, const char *nonce, struct inbound_msg *in)
{
	struct fake_headers h = { sig, nonce };
	struct sp_request r;
	char err[256];
	int rc;

	request(&r, &h, method, "/sms/plivo", body);
	err[0] = '\0';
	rc = provider_plivo.parse_sms(c, &r, in, err, sizeof(err));
	assert_true(rc == 0 || err[0] != '\0');
	return rc;
}

#define SMS_BODY "From=919812345678&To=918045678901&Text=%E0%A4%B2%E0%A5%8B" \
	"%E0%A4%A8+bhadohi&Type=sms&MessageUUID=" UUID "&Units=1"

static void
test_parse_sms(void **state)
{
	char token[] = "tok", empty[] = "";
	struct provider_conf c = conf(token);
	struct inbound_msg in;
	char *sig, *other;

	(void)state;
	sig = sign("tok", "/sms/plivo", SMS_BODY, "n1");
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, sig, "n1", &in), 0);
	assert_string_equal(in.from, "+919812345678");
	assert_string_equal(in.to, "+918045678901");
	assert_string_equal(in.body, "लोन bhadohi");
	assert_string_equal(in.provider_msg_id, UUID);
	assert_int_equal(in.reply_inline_ok, 1);
	records_inbound_clear(&in);

	/* Two signatures in the header, ours second. */
	other = xasprintf("bm90IHRoaXMgb25l,%s", sig);
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, other, "n1", &in), 0);
	records_inbound_clear(&in);
	free(other);

	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, NULL, "n1", &in), 403);
	assert_null(in.body);
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, sig, NULL, &in), 403);
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, sig, "n2", &in), 403);
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY "&Extra=1", sig, "n1",
	    &in), 403);
	assert_int_equal(parse_sms(&c, "GET", SMS_BODY, sig, "n1", &in), 405);
	c.auth_token = NULL;
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, sig, "n1", &in), 403);
	c.auth_token = empty;
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, sig, "n1", &in), 403);
	c.auth_token = token;
	/* A signature under another public URL does not pass. */
	c.public_url = "https://other.example.in";
	assert_int_equal(parse_sms(&c, "POST", SMS_BODY, sig, "n1", &in), 403);
	free(sig);
}

static void
test_parse_sms_fields(void **state)
{
	static const char *const bodies[] = {
		"From=919812345678&To=918045678901&Type=mms&MessageUUID=m1",
		"From=919812345678&To=918045678901&Type=whatsapp&Text=&"
		    "MessageUUID=m2",
		"From=919812345678&To=918045678901&Type=sms&MessageUUID=m3",
		"To=918045678901&Text=hi&Type=sms&MessageUUID=m4",
		"From=abc&To=918045678901&Text=hi&Type=sms&MessageUUID=m5",
		"From=919812345678&Text=%FF&Type=sms&MessageUUID=m6",
	};
	const char *mms = "From=919812345678&To=918045678901&Type=mms&"
	    "Text=loan&MediaCount=1&MessageUUID=m7";
	const char *foreign = "From=447700900123&To=56767&Type=sms&Text=hi&"
	    "MessageUUID=m8";
	char token[] = "tok", *sig;
	struct provider_conf c = conf(token);
	struct inbound_msg in;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(bodies); i++) {
		sig = sign("tok", "/sms/plivo", bodies[i], "n");
		assert_int_equal(parse_sms(&c, "POST", bodies[i], sig, "n",
		    &in), 400);
		assert_null(in.body);
		free(sig);
	}
	/* An MMS that carries text is read for its text. */
	sig = sign("tok", "/sms/plivo", mms, "n");
	assert_int_equal(parse_sms(&c, "POST", mms, sig, "n", &in), 0);
	assert_string_equal(in.body, "loan");
	records_inbound_clear(&in);
	free(sig);

	/* A foreign sender keeps its country; a short code is no number,
	 * so without a configured sender the XML answer has no src. */
	sig = sign("tok", "/sms/plivo", foreign, "n");
	assert_int_equal(parse_sms(&c, "POST", foreign, sig, "n", &in), 0);
	assert_string_equal(in.from, "+447700900123");
	assert_string_equal(in.to, "");
	assert_int_equal(in.reply_inline_ok, 0);
	records_inbound_clear(&in);
	c.from = "918045678901";
	assert_int_equal(parse_sms(&c, "POST", foreign, sig, "n", &in), 0);
	assert_int_equal(in.reply_inline_ok, 1);
	records_inbound_clear(&in);
	free(sig);
}

static void
test_render(void **state)
{
	char token[] = "tok";
	struct provider_conf c = conf(token);
	char *texts[] = { "a & <b> \"c\" 'd'", "दूसरा" };
	struct inbound_msg in;
	const char *ctype = NULL;
	struct buf b;

	(void)state;
	memset(&in, 0, sizeof(in));
	strcpy(in.from, "+919812345678");
	strcpy(in.to, "+918045678901");
	buf_init(&b, 0);
	assert_int_equal(provider_plivo.render_sms_reply(&c, NULL, texts, 0,
	    &b, &ctype), 0);
	assert_string_equal(buf_cstr(&b), "<Response></Response>");
	assert_string_equal(ctype, "application/xml");
	buf_reset(&b);
	assert_int_equal(provider_plivo.render_sms_reply(&c, &in, texts, 2, &b,
	    &ctype), 0);
	assert_string_equal(buf_cstr(&b), "<Response>"
	    "<Message src=\"918045678901\" dst=\"919812345678\" type=\"sms\">"
	    "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;</Message>"
	    "<Message src=\"918045678901\" dst=\"919812345678\" type=\"sms\">"
	    "दूसरा</Message></Response>");
	buf_reset(&b);
	c.from = "+91800\"1";
	assert_int_equal(provider_plivo.render_sms_reply(&c, &in, texts + 1, 1,
	    &b, &ctype), 0);
	assert_string_equal(buf_cstr(&b), "<Response>"
	    "<Message src=\"91800&quot;1\" dst=\"919812345678\" type=\"sms\">"
	    "दूसरा</Message></Response>");
	buf_free(&b);
	/* A cap that cannot hold the answer. */
	buf_init(&b, 16);
	assert_int_equal(provider_plivo.render_sms_reply(&c, &in, texts, 2, &b,
	    &ctype), -1);
	buf_free(&b);
}

/* ---- sending ---- */

static json_t *
call_json(const struct sp_http_call *call)
{
	json_t *j = json_loadb(call->body->data, call->body->len, 0, NULL);

	assert_non_null(j);
	return j;
}

static const char *
jstr(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

static void
test_build_send(void **state)
{
	char token[] = "tok", err[256];
	struct provider_conf c = conf(token);
	struct sp_outbound m;
	struct sp_http_call call;
	json_t *j;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.id = 7;
	m.to = "+919812345678";
	m.from = "";
	m.body = "नमस्ते & hello";
	m.unicode = 1;
	m.status_url = "https://gw.example.in/status/plivo";
	c.from = "+918045678901";
	memset(&call, 0, sizeof(call));
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	assert_string_equal(call.url,
	    "https://api.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX/Message/");
	assert_string_equal(call.userpwd, "MAXXXXXXXXXXXXXXXXXX:tok");
	assert_int_equal(call.nheaders, 1);
	assert_string_equal(call.headers[0], "Content-Type: application/json");
	j = call_json(&call);
	assert_string_equal(jstr(j, "src"), "918045678901");
	assert_string_equal(jstr(j, "dst"), "919812345678");
	assert_string_equal(jstr(j, "text"), "नमस्ते & hello");
	assert_string_equal(jstr(j, "type"), "sms");
	assert_string_equal(jstr(j, "url"), "https://gw.example.in/status/plivo");
	assert_string_equal(jstr(j, "method"), "POST");
	assert_null(json_object_get(j, "dlt_entity_id"));
	assert_null(json_object_get(j, "dlt_template_id"));
	assert_null(json_object_get(j, "dlt_template_category"));
	json_decref(j);
	provider_http_call_clear(&call);

	/* DLT settings, the message's own sender, no status URL. */
	c.dlt_entity_id = "1201159178492032504";
	c.dlt_template_id = "1007493130372339254";
	c.sms_type = "transactional_opt_in";
	m.from = "SMPARK";
	m.status_url = NULL;
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	j = call_json(&call);
	assert_string_equal(jstr(j, "src"), "SMPARK");
	assert_string_equal(jstr(j, "dlt_entity_id"), "1201159178492032504");
	assert_string_equal(jstr(j, "dlt_template_id"), "1007493130372339254");
	assert_string_equal(jstr(j, "dlt_template_category"),
	    "service_explicit");
	assert_null(json_object_get(j, "url"));
	assert_null(json_object_get(j, "method"));
	json_decref(j);
	provider_http_call_clear(&call);

	c.sms_type = "promotional";
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	j = call_json(&call);
	assert_string_equal(jstr(j, "dlt_template_category"), "promotional");
	json_decref(j);
	provider_http_call_clear(&call);
}

static void
test_build_send_errors(void **state)
{
	char token[] = "tok", err[256];
	struct provider_conf c = conf(token);
	struct sp_outbound m;
	struct sp_http_call call;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.to = "+919812345678";
	m.from = "";
	m.body = "hi";
	memset(&call, 0, sizeof(call));
	/* No sender anywhere. */
	err[0] = '\0';
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "from"));
	assert_null(call.url);
	c.from = "918045678901";
	c.auth_token = NULL;
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "auth token"));
	c.auth_token = token;
	c.account_sid = "";
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "account_sid"));
	c.account_sid = "MA/../x";
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	c.account_sid = "MAXXXXXXXXXXXXXXXXXX";
	m.body = "bad \xff utf-8";
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), -1);
	assert_null(call.url);
	assert_null(call.body);
	m.body = "ok";
	assert_int_equal(provider_plivo.build_send(&c, &m, &call, err,
	    sizeof(err)), 0);
	provider_http_call_clear(&call);
}

static void
send_answer(long status, const char *body, struct sp_send_result *res)
{
	provider_plivo.parse_send(NULL, status, body,
	    body != NULL ? strlen(body) : 0, res);
}

static void
test_parse_send(void **state)
{
	struct sp_send_result res;

	(void)state;
	send_answer(202, "{\"message\": \"message(s) queued\", \"message_uuid\":"
	    " [\"db3ce55a-7f1d-11e1-8ea7-1231380bc196\"], \"api_id\": "
	    "\"db342550-7f1d-11e1-8ea7-1231380bc196\"}", &res);
	assert_int_equal(res.outcome, SEND_ACCEPTED);
	assert_string_equal(res.provider_id,
	    "db3ce55a-7f1d-11e1-8ea7-1231380bc196");
	assert_string_equal(res.error_message, "");

	send_answer(400, "{\"api_id\": \"x\", \"error\": \"invalid dst\"}",
	    &res);
	assert_int_equal(res.outcome, SEND_FAILED);
	assert_string_equal(res.provider_id, "");
	assert_string_equal(res.error_message, "invalid dst");

	send_answer(400, "{\"error\": {\"dst\": [\"required\"]}}", &res);
	assert_int_equal(res.outcome, SEND_FAILED);
	assert_non_null(strstr(res.error_message, "required"));

	send_answer(401, "Unauthorized", &res);
	assert_int_equal(res.outcome, SEND_FAILED);
	assert_string_equal(res.error_message, "HTTP 401");

	send_answer(500, "<html>oops</html>", &res);
	assert_int_equal(res.outcome, SEND_RETRY);
	assert_string_equal(res.error_message, "HTTP 500");

	send_answer(429, "{\"error\": \"too many requests\"}", &res);
	assert_int_equal(res.outcome, SEND_RETRY);
	assert_string_equal(res.error_message, "too many requests");

	send_answer(0, NULL, &res);
	assert_int_equal(res.outcome, SEND_RETRY);

	/* Accepted but unreadable, or odd shapes: no id, no crash. */
	send_answer(202, "{\"message_uuid\": ", &res);
	assert_int_equal(res.outcome, SEND_ACCEPTED);
	assert_string_equal(res.provider_id, "");
	send_answer(202, "[1, 2]", &res);
	assert_string_equal(res.provider_id, "");
	send_answer(202, "{\"message_uuid\": [], \"error\": 5}", &res);
	assert_string_equal(res.provider_id, "");
	send_answer(202, "{\"message_uuid\": \"plain-uuid\"}", &res);
	assert_string_equal(res.provider_id, "plain-uuid");
	/* Not NUL-terminated at len: only len bytes are read. */
	provider_plivo.parse_send(NULL, 400, "{\"error\": \"x\"}garbage", 14,
	    &res);
	assert_string_equal(res.error_message, "x");
}

/* ---- delivery reports ---- */

static int
parse_status(struct provider_conf *c, const char *body, int signed_ok,
    struct sp_status_update *up)
{
	char *sig = sign("tok", "/status/plivo?o=7", body, "n9");
	struct fake_headers h = { sig, "n9" };
	struct sp_request r;
	char err[256];
	int rc;

	if (!signed_ok)
		sig[3] ^= 1;
	request(&r, &h, "POST", "/status/plivo?o=7", body);
	err[0] = '\0';
	rc = provider_plivo.parse_status(c, &r, up, err, sizeof(err));
	assert_true(rc == 0 || err[0] != '\0');
	free(sig);
	return rc;
}

static void
test_parse_status(void **state)
{
	static const struct {
		const char		*status;
		enum msg_state	 state;
	} map[] = {
		{ "queued", MSG_SENT }, { "sent", MSG_SENT },
		{ "delivered", MSG_DELIVERED }, { "read", MSG_DELIVERED },
		{ "undelivered", MSG_UNDELIVERED }, { "failed", MSG_FAILED },
		{ "rejected", MSG_FAILED },
	};
	char token[] = "tok", *body;
	struct provider_conf c = conf(token);
	struct sp_status_update up;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(map); i++) {
		body = xasprintf("MessageUUID=u-9&To=919812345678&From="
		    "918045678901&Status=%s&Units=1&Type=sms", map[i].status);
		assert_int_equal(parse_status(&c, body, 1, &up), 0);
		assert_int_equal(up.state, map[i].state);
		assert_string_equal(up.provider_id, "u-9");
		assert_string_equal(up.raw_status, map[i].status);
		assert_string_equal(up.error_code, "");
		assert_string_equal(up.reason, "");
		free(body);
	}

	assert_int_equal(parse_status(&c, "MessageUUID=u-9&Status=undelivered"
	    "&ErrorCode=50", 1, &up), 0);
	assert_int_equal(up.state, MSG_UNDELIVERED);
	assert_string_equal(up.error_code, "50");
	assert_string_equal(up.reason, "invalid destination number");
	assert_int_equal(parse_status(&c, "MessageUUID=u-9&Status=failed"
	    "&ErrorCode=30", 1, &up), 0);
	assert_string_equal(up.reason, "spam detected by the carrier");
	assert_int_equal(parse_status(&c, "MessageUUID=u-9&Status=failed"
	    "&ErrorCode=999", 1, &up), 0);
	assert_string_equal(up.error_code, "999");
	assert_string_equal(up.reason, "");

	assert_int_equal(parse_status(&c, "MessageUUID=u-9&Status=exploded",
	    1, &up), 400);
	assert_string_equal(up.provider_id, "");
	assert_int_equal(parse_status(&c, "Status=delivered", 1, &up), 400);
	assert_int_equal(parse_status(&c, "MessageUUID=u-9", 1, &up), 400);
	assert_int_equal(parse_status(&c, "MessageUUID=u-9&Status=delivered",
	    0, &up), 403);
	c.auth_token = NULL;
	assert_int_equal(parse_status(&c, "MessageUUID=u-9&Status=delivered",
	    1, &up), 403);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3_vectors),
		cmocka_unit_test(test_v3_tampered_params),
		cmocka_unit_test(test_v2_vector_refused),
		cmocka_unit_test(test_v3_bad_input),
		cmocka_unit_test(test_parse_sms),
		cmocka_unit_test(test_parse_sms_fields),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_build_send),
		cmocka_unit_test(test_build_send_errors),
		cmocka_unit_test(test_parse_send),
		cmocka_unit_test(test_parse_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
