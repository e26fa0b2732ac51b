/*
 * fuzz_provider_android: the Android SMS gateway app's JSON webhooks
 * (sms:received and the delivery events) and its send answers.  Option
 * 'k' configures a webhook_key (else the URL token "tok123" is checked);
 * with 'k' and 's' the harness signs the body itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "fuzz_common.h"
#include "provider.h"
#include "util.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_android;

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
sign(struct fuzz_request *fr, const struct provider_conf *conf)
{
	char sig[CRYPTO_SHA256_HEX_LEN + 1];
	const char *ts;
	size_t tslen;
	char *msg;

	if ((ts = fr->r.header(&fr->r, "X-Timestamp")) == NULL) {
		fuzz_request_set_header(fr, "X-Timestamp", "1767225600");
		ts = fr->r.header(&fr->r, "X-Timestamp");
	}
	tslen = strlen(ts);
	msg = xmalloc(fr->r.body_len + tslen + 1);
	memcpy(msg, fr->body, fr->r.body_len);
	memcpy(msg + fr->r.body_len, ts, tslen + 1);
	crypto_hmac_sha256_hex(conf->webhook_key, strlen(conf->webhook_key),
	    msg, fr->r.body_len + tslen, sig);
	fuzz_request_set_header(fr, "X-Signature", sig);
	free(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request fr;
	struct provider_conf conf;

	fuzz_request_parse(&fr, data, size);
	fuzz_provider_conf(&fr, "android", "sms", &conf);
	if (fuzz_request_opt(&fr, FUZZ_OPT_SIGN) && conf.webhook_key != NULL)
		sign(&fr, &conf);
	fuzz_provider_run(&provider_android, &conf, &fr);
	fuzz_request_free(&fr);
	return 0;
}
