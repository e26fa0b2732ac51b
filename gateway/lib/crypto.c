/*
 * crypto: HMAC, SHA-256, constant-time comparison and random bytes over
 * OpenSSL libcrypto.  This is the only file that includes OpenSSL headers,
 * so swapping the library touches nothing else.
 *
 * The digest helpers cannot fail on valid arguments; if OpenSSL does fail
 * (it would be out of memory) the output is the empty string, which never
 * matches a real signature.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "crypto.h"
#include "log.h"

static void
b64(const unsigned char *md, unsigned int mdlen, char *out, size_t outlen)
{
	/* EVP_EncodeBlock writes 4 * ceil(n / 3) bytes and a NUL. */
	if (outlen < 4 * ((mdlen + 2) / 3) + 1) {
		out[0] = '\0';
		return;
	}
	EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
}

static void
hex(const unsigned char *md, unsigned int mdlen, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < mdlen; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0x0f];
	}
	out[2 * mdlen] = '\0';
}

/* HMAC into md; returns the digest length, 0 on failure. */
static unsigned int
hmac(const EVP_MD *evp, const void *key, size_t keylen, const void *data,
    size_t len, unsigned char md[EVP_MAX_MD_SIZE])
{
	unsigned int mdlen = 0;
	static const unsigned char empty[1];

	/* OpenSSL wants non-NULL pointers even for empty input. */
	if (key == NULL)
		key = empty, keylen = 0;
	if (data == NULL)
		data = empty, len = 0;
	if (keylen > INT32_MAX || HMAC(evp, key, (int)keylen, data, len, md,
	    &mdlen) == NULL) {
		log_error("crypto_hmac", "error=\"HMAC failed\"");
		return 0;
	}
	return mdlen;
}

void
crypto_hmac_sha1_b64(const void *key, size_t keylen, const void *data,
    size_t len, char out[CRYPTO_SHA1_B64_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;

	if ((n = hmac(EVP_sha1(), key, keylen, data, len, md)) == 0) {
		out[0] = '\0';
		return;
	}
	b64(md, n, out, CRYPTO_SHA1_B64_LEN + 1);
}

void
crypto_hmac_sha256_b64(const void *key, size_t keylen, const void *data,
    size_t len, char out[CRYPTO_SHA256_B64_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;

	if ((n = hmac(EVP_sha256(), key, keylen, data, len, md)) == 0) {
		out[0] = '\0';
		return;
	}
	b64(md, n, out, CRYPTO_SHA256_B64_LEN + 1);
}

void
crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *data,
    size_t len, char out[CRYPTO_SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;

	if ((n = hmac(EVP_sha256(), key, keylen, data, len, md)) != 32) {
		out[0] = '\0';
		return;
	}
	hex(md, n, out);
}

void
crypto_sha256_hex(const void *data, size_t len,
    char out[CRYPTO_SHA256_HEX_LEN + 1])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	static const unsigned char empty[1];

	if (data == NULL)
		data = empty, len = 0;
	SHA256(data, len, md);
	hex(md, SHA256_DIGEST_LENGTH, out);
}

/*
 * Compare every byte of the longer string (reading the shorter one as if
 * padded), so the time depends on the lengths only.
 */
int
crypto_str_equal(const char *a, const char *b)
{
	size_t la, lb, n, i;
	unsigned char diff;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	n = la > lb ? la : lb;
	diff = la != lb;
	for (i = 0; i < n; i++) {
		unsigned char ca = i < la ? (unsigned char)a[i] : 0;
		unsigned char cb = i < lb ? (unsigned char)b[i] : 0;

		diff |= ca ^ cb;
	}
	return diff == 0;
}

int
crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	/* RAND_bytes takes an int; feed large requests in pieces. */
	while (n > 0) {
		int chunk = n > 65536 ? 65536 : (int)n;

		if (RAND_bytes(p, chunk) != 1) {
			log_error("crypto_random", "error=\"RAND_bytes failed\"");
			return -1;
		}
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}
