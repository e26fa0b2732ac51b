/*
 * provider_plivo: the part of the Plivo adapter (provider_plivo.c, in the
 * provider table) that is its own contract: the request signature V3
 * (X-Plivo-Signature-V3 and X-Plivo-Signature-V3-Nonce), checked against
 * Plivo's vectors by the tests and the signature fuzzer.
 *
 * Signature (providers.md §3.2, as plivo-node 4.79.0 checks it):
 * HMAC-SHA256, keyed with the auth token, over a string made of the URL
 * Plivo called without its query, the sorted query, the sorted POST
 * parameters and '.' + nonce; base64.  The header may carry several
 * comma-separated signatures (token rotation): any one may match.
 * Deliberately no V2 check: V2 signs the URL alone, not the parameters,
 * so a replayed nonce could carry any message text.
 */
#ifndef SP_PROVIDER_PLIVO_H
#define SP_PROVIDER_PLIVO_H

struct buf;
struct form;

/*
 * Append the V3 string to sign to out.  method is "GET" or "POST"; url is
 * the full URL Plivo called, query included; params are the POST body
 * fields (for GET, extra parameters merged into the query; pass NULL when
 * they are already in url's query).  Returns 0, or -1 for another method
 * or a query that does not parse.
 */
int	provider_plivo_v3_string(const char *method, const char *url,
	    const struct form *params, const char *nonce, struct buf *out);

/*
 * 1 if header (one signature or several separated by commas) holds the
 * V3 signature of the request under auth_token, else 0 (also when any of
 * auth_token, header or nonce is NULL or empty).  Constant-time compare.
 */
int	provider_plivo_v3_valid(const char *auth_token, const char *header,
	    const char *method, const char *url, const struct form *params,
	    const char *nonce);

#endif
