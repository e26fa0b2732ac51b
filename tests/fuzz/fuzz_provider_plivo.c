/*
 * fuzz_provider_plivo: Plivo's SMS and status webhooks (form POSTs signed
 * with V3) and its send answers.  With option 's' the harness signs the
 * request (nonce from X-Plivo-Signature-V3-Nonce, or one of its own).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "form.h"
#include "fuzz_common.h"
#include "provider.h"
#include "provider_plivo.h"
#include "util.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_plivo;

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
sign(struct fuzz_request *fr, const struct provider_conf *conf)
{
	char sig[CRYPTO_SHA256_B64_LEN + 1];
	const char *nonce;
	struct buf s;
	struct form f;
	char *url;

	if (form_parse(fr->body, fr->r.body_len, &f, NULL, 0) == -1) {
		form_free(&f);
		return;
	}
	if ((nonce = fr->r.header(&fr->r, "X-Plivo-Signature-V3-Nonce")) ==
	    NULL) {
		fuzz_request_set_header(fr, "X-Plivo-Signature-V3-Nonce",
		    "05429567804466091622");
		nonce = fr->r.header(&fr->r, "X-Plivo-Signature-V3-Nonce");
	}
	url = fuzz_request_url(fr, conf->public_url);
	buf_init(&s, 0);
	if (provider_plivo_v3_string(fr->method, url, &f, nonce, &s) == 0) {
		crypto_hmac_sha256_b64(conf->auth_token,
		    strlen(conf->auth_token), buf_cstr(&s), s.len, sig);
		fuzz_request_set_header(fr, "X-Plivo-Signature-V3", sig);
	}
	buf_free(&s);
	free(url);
	form_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request fr;
	struct provider_conf conf;

	fuzz_request_parse(&fr, data, size);
	fuzz_provider_conf(&fr, "plivo", "MAFUZZ0123456789ABCD", &conf);
	if (fuzz_request_opt(&fr, FUZZ_OPT_SIGN))
		sign(&fr, &conf);
	fuzz_provider_run(&provider_plivo, &conf, &fr);
	fuzz_request_free(&fr);
	return 0;
}
