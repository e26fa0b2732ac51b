/*
 * contact_ref: seal and open contacts' refs.  See contact_ref.h.
 *
 * A ref is hex(nonce || phone XOR stream || tag): the nonce is an HMAC
 * of the phone (so a contact's ref never changes), the stream an HMAC of
 * the nonce, the tag an HMAC of nonce and sealed phone, each under its
 * own label with the one key (HMAC-SHA256 as a PRF throughout).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contact_ref.h"
#include "crypto.h"
#include "store.h"
#include "util.h"

#define NONCE_LEN	8
#define TAG_LEN		8
#define PHONE_MAX	16

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* HMAC-SHA256(key, label || data) as 32 raw bytes. */
static void
prf(const unsigned char *key, size_t keylen, const char *label,
    const unsigned char *data, size_t len, unsigned char out[32])
{
	unsigned char msg[64];
	char hex[CRYPTO_SHA256_HEX_LEN + 1];
	size_t ll = strlen(label), i;

	memcpy(msg, label, ll);
	memcpy(msg + ll, data, len);
	crypto_hmac_sha256_hex(key, keylen, msg, ll + len, hex);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(hexval(hex[2 * i]) << 4 |
		    hexval(hex[2 * i + 1]));
}

int
contact_ref_key(struct store *st, unsigned char key[CONTACT_REF_KEY_LEN])
{
	char *v = NULL;
	int rc;

	if ((rc = store_meta_get(st, "pseudonym_key", &v)) != 1 || v == NULL) {
		free(v);
		return -1;
	}
	prf((const unsigned char *)v, strlen(v), "sampark contact ref",
	    (const unsigned char *)"", 0, key);
	free(v);
	return 0;
}

static void
to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

int
contact_ref_make(const unsigned char key[CONTACT_REF_KEY_LEN],
    const char *phone, char out[CONTACT_REF_MAX + 1])
{
	unsigned char raw[NONCE_LEN + PHONE_MAX + TAG_LEN], h[32];
	size_t n = strlen(phone), i;

	if (n == 0 || n > PHONE_MAX)
		return -1;
	prf(key, CONTACT_REF_KEY_LEN, "nonce", (const unsigned char *)phone,
	    n, h);
	memcpy(raw, h, NONCE_LEN);
	prf(key, CONTACT_REF_KEY_LEN, "stream", raw, NONCE_LEN, h);
	for (i = 0; i < n; i++)
		raw[NONCE_LEN + i] = (unsigned char)phone[i] ^ h[i];
	prf(key, CONTACT_REF_KEY_LEN, "tag", raw, NONCE_LEN + n, h);
	memcpy(raw + NONCE_LEN + n, h, TAG_LEN);
	to_hex(raw, NONCE_LEN + n + TAG_LEN, out);
	return 0;
}

int
contact_ref_open(const unsigned char key[CONTACT_REF_KEY_LEN],
    const char *ref, char *phone, size_t phonelen)
{
	unsigned char raw[NONCE_LEN + PHONE_MAX + TAG_LEN], h[32];
	size_t len = ref != NULL ? strlen(ref) : 0, n, i;
	unsigned diff = 0;
	int hi, lo;

	if (len % 2 != 0 || len / 2 <= NONCE_LEN + TAG_LEN ||
	    len / 2 > sizeof(raw))
		return -1;
	for (i = 0; i < len / 2; i++) {
		if ((hi = hexval(ref[2 * i])) == -1 ||
		    (lo = hexval(ref[2 * i + 1])) == -1)
			return -1;
		raw[i] = (unsigned char)(hi << 4 | lo);
	}
	n = len / 2 - NONCE_LEN - TAG_LEN;
	if (n + 1 > phonelen)
		return -1;
	prf(key, CONTACT_REF_KEY_LEN, "tag", raw, NONCE_LEN + n, h);
	for (i = 0; i < TAG_LEN; i++)
		diff |= (unsigned)(h[i] ^ raw[NONCE_LEN + n + i]);
	if (diff != 0)
		return -1;
	prf(key, CONTACT_REF_KEY_LEN, "stream", raw, NONCE_LEN, h);
	for (i = 0; i < n; i++)
		phone[i] = (char)(raw[NONCE_LEN + i] ^ h[i]);
	phone[n] = '\0';
	return 0;
}
