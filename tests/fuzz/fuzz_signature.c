/*
 * fuzz_signature: the webhook signature checks on hostile inputs, and the
 * property that a signature computed for a request always verifies.
 * Input lines: auth token, signature header, URL, form body, nonce,
 * method (missing lines are empty).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "form.h"
#include "fuzz_common.h"
#include "provider_plivo.h"
#include "provider_twilio.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NFIELDS	6

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_signature: %s\n", what);
		abort();
	}
}

static void
twilio(const char *token, const char *sig, const char *url,
    const struct form *f, const char *body)
{
	char mine[CRYPTO_SHA1_B64_LEN + 1];

	(void)provider_twilio_signature_valid(token, sig, url, f);
	(void)provider_twilio_signature_valid(token, sig, url, NULL);
	(void)provider_twilio_signature_valid_body(token, sig, url, body, strlen(body));
	provider_twilio_signature(token, url, f, mine);
	check(strlen(mine) == CRYPTO_SHA1_B64_LEN, "twilio signature length");
	if (*token != '\0')
		check(provider_twilio_signature_valid(token, mine, url, f) == 1,
		    "our own twilio signature does not verify");
}

static void
plivo(const char *token, const char *sig, const char *method,
    const char *url, const struct form *f, const char *nonce)
{
	char mine[CRYPTO_SHA256_B64_LEN + 1];
	struct buf s;

	(void)provider_plivo_v3_valid(token, sig, method, url, f, nonce);
	(void)provider_plivo_v3_valid(token, sig, method, url, NULL, nonce);
	buf_init(&s, 0);
	if (provider_plivo_v3_string(method, url, f, nonce, &s) == 0 &&
	    *token != '\0' && *nonce != '\0') {
		crypto_hmac_sha256_b64(token, strlen(token), buf_cstr(&s),
		    s.len, mine);
		check(provider_plivo_v3_valid(token, mine, method, url, f, nonce) == 1,
		    "our own plivo signature does not verify");
	}
	buf_free(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *field[NFIELDS];
	const uint8_t *p = data, *end = data + size, *nl;
	struct form f;
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (i == NFIELDS - 1 || nl == NULL)
			nl = end;
		field[i] = fuzz_strndup(p, p < end ? (size_t)(nl - p) : 0);
		p = nl < end ? nl + 1 : end;
	}
	if (form_parse(field[3], strlen(field[3]), &f, NULL, 0) == 0) {
		twilio(field[0], field[1], field[2], &f, field[3]);
		plivo(field[0], field[1], *field[5] != '\0' ? field[5] :
		    "POST", field[2], &f, field[4]);
	}
	form_free(&f);
	for (i = 0; i < NFIELDS; i++)
		free(field[i]);
	return 0;
}
