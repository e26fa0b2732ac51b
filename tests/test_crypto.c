/*
 * test_crypto: the Twilio and Plivo signature vectors of
 * shared/specs/test-vectors.json (validated there by the providers' SDKs),
 * SHA-256 of a JSON body, constant-time string comparison, random bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "util.h"

struct pair {
	const char	*name;
	const char	*value;
};

struct twilio_vector {
	const char	*name;
	const char	*token;
	const char	*url;
	const char	*signature;
	const char	*raw_body;	/* JSON body signed through bodySHA256 */
	struct pair	 params[12];	/* NULL-terminated */
};

struct plivo_vector {
	const char	*name;
	const char	*token;
	const char	*string_to_sign;
	const char	*signature;
};

static const struct twilio_vector twilio_vectors[] = {
	{ "twilio-node-spec-default", "12345",
	    "https://mycompany.com/myapp.php?foo=1&bar=2",
	    "RSOYDt4T1cUTdK1PDd93/VVr8B8=", NULL,
	    {
		{ "CallSid", "CA1234567890ABCDE" }, { "Caller", "+14158675309" },
		{ "Digits", "1234" }, { "From", "+14158675309" },
		{ "To", "+18005551212" }, } },
	{ "same-with-explicit-443", "12345",
	    "https://mycompany.com:443/myapp.php?foo=1&bar=2",
	    "kvajT1Ptam85bY51eRf/AJRuM3w=", NULL,
	    {
		{ "CallSid", "CA1234567890ABCDE" }, { "Caller", "+14158675309" },
		{ "Digits", "1234" }, { "From", "+14158675309" },
		{ "To", "+18005551212" }, } },
	{ "http-port-1234", "12345",
	    "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
	    "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", NULL,
	    {
		{ "CallSid", "CA1234567890ABCDE" }, { "Caller", "+14158675309" },
		{ "Digits", "1234" }, { "From", "+14158675309" },
		{ "To", "+18005551212" }, } },
	{ "classic-docs-example", "12345",
	    "https://mycompany.com/myapp.php?foo=1&bar=2",
	    "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", NULL,
	    {
		{ "CallSid", "CA1234567890ABCDE" }, { "Caller", "+12349013030" },
		{ "Digits", "1234" }, { "From", "+12349013030" },
		{ "To", "+18005551212" }, } },
	{ "inbound-sms-hindi", "secret_token_abc",
	    "https://gw.example.in/twilio/sms",
	    "0ty6A+ZCBbcafZ1nvShONM62Iqg=", NULL,
	    {
		{ "AccountSid", "AC00000000000000000000000000000000" }, { "ApiVersion", "2010-04-01" },
		{ "Body", "नमस्ते 1" }, { "From", "+919812345678" },
		{ "MessageSid", "SM11111111111111111111111111111111" }, { "NumMedia", "0" },
		{ "NumSegments", "1" }, { "SmsStatus", "received" },
		{ "To", "+14155550100" }, { "ToCity", "" }, } },
	{ "get-webhook-query-only", "12345",
	    "https://gw.example.in/twilio/voice?CallSid=CA1&Digits=2&From=%2B919812345678",
	    "GVmHWL0Wv1KumVTq6iN60qHwfig=", NULL,
	    { } },
	{ "repeated-key", "12345",
	    "https://x.example/cb",
	    "DpSDPgv44/QycfhhO5UrFf80lbE=", NULL,
	    {
		{ "Body", "hi" }, { "MediaUrl", "b" },
		{ "MediaUrl", "a" }, { "MediaUrl", "a" }, } },
	{ "json-body-bodySHA256", "12345",
	    "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
	    "a9nBmqA0ju/hNViExpshrM61xv4=", "{\"property\": \"value\", \"boolean\": true}",
	    { } },
	{ "json-empty-body-signed-with-443", "12345",
	    "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	    "rw/jVviOgicj2+kHZULvebnA4ag=", "{}",
	    { } },
	{ "json-empty-body-signed-with-443", "12345",
	    "https://mycompany.com:443/myapp.php?foo=1&bar=2&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	    "Ldidvp12m26NI7eqEvxnEpkd9Hc=", "{}",
	    { } },
};

static const struct plivo_vector plivo_vectors[] = {
	{ "v3-post-no-query", "my_auth_token",
	    "https://gw.example.in/plivo/sms?From919812345678MessageUUID0936ec98-7c4c-11e4-9bd8-22000afa12b9TextSTATUS 42To918045678901Typesms.05429567804466091622",
	    "kglKLcCD4Zp2GsBDQ4XKrJDxE53ljaSkJD2gEcuEMPc=" },
	{ "v3-post-with-query", "my_auth_token",
	    "https://gw.example.in/plivo/sms?a=1&b=2.From919812345678MessageUUID0936ec98-7c4c-11e4-9bd8-22000afa12b9TextSTATUS 42To918045678901Typesms.05429567804466091622",
	    "7EEr6TdMPBThSim5zOuSMyrmbL36PYBYMqePLY+WgJw=" },
	{ "v3-get-merged-into-query", "my_auth_token",
	    "https://gw.example.in/plivo/ivr?CallUUID=abc&Digits=1&lang=hi.05429567804466091622",
	    "Czf79p+0TUb4Vu5qOhcv5DtDWnOZnXtGU7Z5YdgS//k=" },
	{ "v3-post-empty", "my_auth_token",
	    "https://gw.example.in/plivo/x.05429567804466091622",
	    "Qn8IJS3iypl6SLjtsajft8ZY3UHTGLupM83JZoToSv4=" },
	{ "v2-sdk-test", "my_auth_token",
	    "https://answer.url12345",
	    "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=" },
};

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair *pa = a, *pb = b;
	int c;

	if ((c = strcmp(pa->name, pb->name)) != 0)
		return c;
	return strcmp(pa->value, pb->value);
}

/*
 * Twilio's signing string: the URL, then each name+value sorted by name
 * (a repeated name's values sorted and de-duplicated).
 */
static char *
twilio_string(const struct twilio_vector *v)
{
	struct pair sorted[SP_ARRAY_LEN(v->params)];
	struct buf b;
	size_t n, i;

	for (n = 0; v->params[n].name != NULL; n++)
		sorted[n] = v->params[n];
	qsort(sorted, n, sizeof(sorted[0]), pair_cmp);
	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, v->url), 0);
	for (i = 0; i < n; i++) {
		if (i > 0 && pair_cmp(&sorted[i - 1], &sorted[i]) == 0)
			continue;
		assert_int_equal(buf_puts(&b, sorted[i].name), 0);
		assert_int_equal(buf_puts(&b, sorted[i].value), 0);
	}
	return buf_steal(&b);
}

static void
test_twilio_vectors(void **state)
{
	char sig[CRYPTO_SHA1_B64_LEN + 1], hex[CRYPTO_SHA256_HEX_LEN + 1];
	const struct twilio_vector *v;
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(twilio_vectors); i++) {
		v = &twilio_vectors[i];
		s = twilio_string(v);
		memset(sig, 'x', sizeof(sig));
		crypto_hmac_sha1_b64(v->token, strlen(v->token), s, strlen(s),
		    sig);
		if (strcmp(sig, v->signature) != 0)
			fail_msg("%s: got %s want %s", v->name, sig,
			    v->signature);
		assert_int_equal(strlen(sig), CRYPTO_SHA1_B64_LEN);
		free(s);
		if (v->raw_body != NULL) {
			/* The URL carries the body's hash. */
			crypto_sha256_hex(v->raw_body, strlen(v->raw_body),
			    hex);
			assert_non_null(strstr(v->url, hex));
		}
	}
}

static void
test_plivo_vectors(void **state)
{
	char sig[CRYPTO_SHA256_B64_LEN + 1];
	const struct plivo_vector *v;
	size_t i;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(plivo_vectors); i++) {
		v = &plivo_vectors[i];
		crypto_hmac_sha256_b64(v->token, strlen(v->token),
		    v->string_to_sign, strlen(v->string_to_sign), sig);
		if (strcmp(sig, v->signature) != 0)
			fail_msg("%s: got %s want %s", v->name, sig,
			    v->signature);
	}
}

static void
test_sha256(void **state)
{
	static const char body[] = "{\"property\": \"value\", \"boolean\": true}";
	char hex[CRYPTO_SHA256_HEX_LEN + 1];

	(void)state;
	crypto_sha256_hex(body, strlen(body), hex);
	assert_string_equal(hex, "0a1ff7634d9ab3b95db5c9a2dfe9416e"
	    "41502b283a80c7cf19632632f96e6620");
	crypto_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

/* RFC 4231 test case 2. */
static void
test_hmac_sha256_hex(void **state)
{
	static const char data[] = "what do ya want for nothing?";
	char hex[CRYPTO_SHA256_HEX_LEN + 1];

	(void)state;
	crypto_hmac_sha256_hex("Jefe", 4, data, strlen(data), hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
}

static void
test_str_equal(void **state)
{
	(void)state;
	assert_int_equal(crypto_str_equal("abc", "abc"), 1);
	assert_int_equal(crypto_str_equal("", ""), 1);
	assert_int_equal(crypto_str_equal("abc", "abd"), 0);
	assert_int_equal(crypto_str_equal("abc", "xbc"), 0);
	assert_int_equal(crypto_str_equal("abc", "ab"), 0);
	assert_int_equal(crypto_str_equal("ab", "abc"), 0);
	assert_int_equal(crypto_str_equal("", "a"), 0);
	assert_int_equal(crypto_str_equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=",
	    "RSOYDt4T1cUTdK1PDd93/VVr8B8="), 1);
	assert_int_equal(crypto_str_equal(NULL, "a"), 0);
	assert_int_equal(crypto_str_equal("a", NULL), 0);
	assert_int_equal(crypto_str_equal(NULL, NULL), 0);
}

static void
test_random(void **state)
{
	unsigned char a[32], b[32], zero[32];

	(void)state;
	memset(zero, 0, sizeof(zero));
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_int_equal(crypto_random(a, sizeof(a)), 0);
	assert_int_equal(crypto_random(b, sizeof(b)), 0);
	/* 2^-256 chance of a false failure. */
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_int_equal(crypto_random(a, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twilio_vectors),
		cmocka_unit_test(test_plivo_vectors),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hmac_sha256_hex),
		cmocka_unit_test(test_str_equal),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
