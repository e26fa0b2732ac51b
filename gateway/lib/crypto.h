/*
 * crypto: the few primitives webhook signatures and pseudonyms need, over
 * OpenSSL libcrypto (the only module that includes OpenSSL headers).
 */
#ifndef SP_CRYPTO_H
#define SP_CRYPTO_H

#include <stddef.h>

#define CRYPTO_SHA1_B64_LEN	28	/* base64 of 20 bytes, without NUL */
#define CRYPTO_SHA256_B64_LEN	44	/* base64 of 32 bytes, without NUL */
#define CRYPTO_SHA256_HEX_LEN	64

/* HMAC-SHA1 of data with key, base64 (standard alphabet, '=' padded). */
void	crypto_hmac_sha1_b64(const void *key, size_t keylen, const void *data,
	    size_t len, char out[CRYPTO_SHA1_B64_LEN + 1]);
/* HMAC-SHA256, base64. */
void	crypto_hmac_sha256_b64(const void *key, size_t keylen,
	    const void *data, size_t len, char out[CRYPTO_SHA256_B64_LEN + 1]);
/* HMAC-SHA256, lower-case hex. */
void	crypto_hmac_sha256_hex(const void *key, size_t keylen,
	    const void *data, size_t len, char out[CRYPTO_SHA256_HEX_LEN + 1]);
/* SHA-256, lower-case hex. */
void	crypto_sha256_hex(const void *data, size_t len,
	    char out[CRYPTO_SHA256_HEX_LEN + 1]);

/*
 * 1 if the two strings are equal, 0 if not; the time taken depends only on
 * the lengths, never on where they differ.  NULL never equals anything.
 */
int	crypto_str_equal(const char *a, const char *b);

/* Fill buf with n cryptographically random bytes: 0, or -1. */
int	crypto_random(void *buf, size_t n);

#endif
