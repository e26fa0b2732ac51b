/*
 * provider_twilio: the part of the Twilio adapter (provider_twilio.c, in
 * the provider table) that is its own contract: the request signature
 * (X-Twilio-Signature), checked against Twilio's published vectors by the
 * tests and the signature fuzzer.
 *
 * Signature (providers.md §1.3): HMAC-SHA1, keyed with the auth token,
 * over the full URL Twilio called followed, for form POSTs, by every
 * parameter as name+value sorted by name (repeated names: each distinct
 * value once, values sorted); base64.  Because Twilio may sign the URL
 * with or without the port, a signature is accepted if it matches the URL
 * as given, the URL with its port removed, or the URL with the scheme's
 * default port added.
 */
#ifndef SP_PROVIDER_TWILIO_H
#define SP_PROVIDER_TWILIO_H

#include "crypto.h"

struct form;

/* The signature for url and params (params may be NULL: GET, JSON). */
void	provider_twilio_signature(const char *auth_token, const char *url,
	    const struct form *params, char out[CRYPTO_SHA1_B64_LEN + 1]);

/* 1 if sig is valid for url and params under any port variant, else 0. */
int	provider_twilio_signature_valid(const char *auth_token, const char *sig,
	    const char *url, const struct form *params);

/*
 * JSON-body webhooks: the URL carries bodySHA256=<hex SHA-256 of the raw
 * body>, the signature covers the URL alone.  1 if both hold, else 0.
 */
int	provider_twilio_signature_valid_body(const char *auth_token, const char *sig,
	    const char *url, const char *body, size_t len);

#endif
