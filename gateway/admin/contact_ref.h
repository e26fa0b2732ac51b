/*
 * contact_ref: an opaque, stable name for a contact in the console's
 * URLs and forms, so that a coordinator can open and edit a contact
 * whose number she is shown masked (+********0001, as the CLI and the
 * group API show numbers).  The number is sealed with a key derived from
 * the database's pseudonym key: the same contact has the same ref in
 * every listing, a ref cannot be forged or read without the key, and it
 * travels with backups as the database does.
 */
#ifndef SP_CONTACT_REF_H
#define SP_CONTACT_REF_H

#include <stddef.h>

struct store;

#define CONTACT_REF_KEY_LEN	32
/* 8 bytes of nonce, the number (at most 16), 8 bytes of tag, in hex. */
#define CONTACT_REF_MAX		64

/* The key, from the store's pseudonym key: 0, or -1 (store error, or a
 * database without one). */
int	 contact_ref_key(struct store *, unsigned char key[CONTACT_REF_KEY_LEN]);

/* The ref of phone (E.164) into out.  0, or -1 if phone is too long. */
int	 contact_ref_make(const unsigned char key[CONTACT_REF_KEY_LEN],
	    const char *phone, char out[CONTACT_REF_MAX + 1]);

/* The phone a ref names, into phone (at least 17 bytes): 0, or -1 if
 * ref was not made with this key. */
int	 contact_ref_open(const unsigned char key[CONTACT_REF_KEY_LEN],
	    const char *ref, char *phone, size_t phonelen);

#endif
