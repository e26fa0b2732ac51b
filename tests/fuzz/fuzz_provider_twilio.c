/*
 * fuzz_provider_twilio: Twilio's SMS and status webhooks (signed form
 * POSTs) and its send answers.  With option 's' the harness signs the
 * request itself, so that the fuzzer reaches the parsing behind the
 * signature check; without it, the check itself is fuzzed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "fuzz_common.h"
#include "provider.h"
#include "provider_twilio.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_twilio;

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
sign(struct fuzz_request *fr, const struct provider_conf *conf)
{
	char sig[CRYPTO_SHA1_B64_LEN + 1];
	struct form f;
	char *url;

	if (form_parse(fr->body, fr->r.body_len, &f, NULL, 0) == 0) {
		url = fuzz_request_url(fr, conf->public_url);
		provider_twilio_signature(conf->auth_token, url, &f, sig);
		fuzz_request_set_header(fr, "X-Twilio-Signature", sig);
		free(url);
	}
	form_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request fr;
	struct provider_conf conf;

	fuzz_request_parse(&fr, data, size);
	fuzz_provider_conf(&fr, "twilio", "AC0123456789abcdef0123456789abcdef",
	    &conf);
	if (fuzz_request_opt(&fr, FUZZ_OPT_SIGN))
		sign(&fr, &conf);
	fuzz_provider_run(&provider_twilio, &conf, &fr);
	fuzz_request_free(&fr);
	return 0;
}
