/*
 * group_key: a group's key from its display name.  See group_key.h.
 *
 * Devanagari is read one code point at a time: a consonant carries the
 * vowel a unless a vowel sign or a virama follows it, and a word's last
 * consonant loses it ("समूह" is samuh, not samuha), as Hindi is said.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "group_key.h"
#include "text.h"
#include "util.h"

#define DEVA_FIRST	0x0900
#define DEVA_LAST	0x097f

enum deva_class {
	D_NONE,		/* not written (or unknown) */
	D_VOWEL,	/* an independent vowel */
	D_CONSONANT,
	D_SIGN,		/* a vowel sign (matra) */
	D_VIRAMA,
	D_NASAL,	/* anusvara, chandrabindu: n */
	D_VISARGA,
	D_NUKTA,
	D_DIGIT,
};

struct deva {
	enum deva_class	 cls;
	const char	*latin;
};

/* Indexed by code point - DEVA_FIRST. */
static const struct deva deva[DEVA_LAST - DEVA_FIRST + 1] = {
	[0x01] = { D_NASAL, "n" }, [0x02] = { D_NASAL, "n" },
	[0x03] = { D_VISARGA, "h" },
	[0x05] = { D_VOWEL, "a" }, [0x06] = { D_VOWEL, "a" },
	[0x07] = { D_VOWEL, "i" }, [0x08] = { D_VOWEL, "i" },
	[0x09] = { D_VOWEL, "u" }, [0x0a] = { D_VOWEL, "u" },
	[0x0b] = { D_VOWEL, "ri" }, [0x0d] = { D_VOWEL, "e" },
	[0x0f] = { D_VOWEL, "e" }, [0x10] = { D_VOWEL, "ai" },
	[0x11] = { D_VOWEL, "o" }, [0x13] = { D_VOWEL, "o" },
	[0x14] = { D_VOWEL, "au" },
	[0x15] = { D_CONSONANT, "k" }, [0x16] = { D_CONSONANT, "kh" },
	[0x17] = { D_CONSONANT, "g" }, [0x18] = { D_CONSONANT, "gh" },
	[0x19] = { D_CONSONANT, "n" }, [0x1a] = { D_CONSONANT, "ch" },
	[0x1b] = { D_CONSONANT, "chh" }, [0x1c] = { D_CONSONANT, "j" },
	[0x1d] = { D_CONSONANT, "jh" }, [0x1e] = { D_CONSONANT, "n" },
	[0x1f] = { D_CONSONANT, "t" }, [0x20] = { D_CONSONANT, "th" },
	[0x21] = { D_CONSONANT, "d" }, [0x22] = { D_CONSONANT, "dh" },
	[0x23] = { D_CONSONANT, "n" }, [0x24] = { D_CONSONANT, "t" },
	[0x25] = { D_CONSONANT, "th" }, [0x26] = { D_CONSONANT, "d" },
	[0x27] = { D_CONSONANT, "dh" }, [0x28] = { D_CONSONANT, "n" },
	[0x2a] = { D_CONSONANT, "p" }, [0x2b] = { D_CONSONANT, "ph" },
	[0x2c] = { D_CONSONANT, "b" }, [0x2d] = { D_CONSONANT, "bh" },
	[0x2e] = { D_CONSONANT, "m" }, [0x2f] = { D_CONSONANT, "y" },
	[0x30] = { D_CONSONANT, "r" }, [0x32] = { D_CONSONANT, "l" },
	[0x33] = { D_CONSONANT, "l" }, [0x35] = { D_CONSONANT, "v" },
	[0x36] = { D_CONSONANT, "sh" }, [0x37] = { D_CONSONANT, "sh" },
	[0x38] = { D_CONSONANT, "s" }, [0x39] = { D_CONSONANT, "h" },
	[0x3c] = { D_NUKTA, "" },
	[0x3e] = { D_SIGN, "a" }, [0x3f] = { D_SIGN, "i" },
	[0x40] = { D_SIGN, "i" }, [0x41] = { D_SIGN, "u" },
	[0x42] = { D_SIGN, "u" }, [0x43] = { D_SIGN, "ri" },
	[0x45] = { D_SIGN, "e" }, [0x47] = { D_SIGN, "e" },
	[0x48] = { D_SIGN, "ai" }, [0x49] = { D_SIGN, "o" },
	[0x4b] = { D_SIGN, "o" }, [0x4c] = { D_SIGN, "au" },
	[0x4d] = { D_VIRAMA, "" },
	/* The precomposed nukta letters. */
	[0x58] = { D_CONSONANT, "q" }, [0x59] = { D_CONSONANT, "kh" },
	[0x5a] = { D_CONSONANT, "g" }, [0x5b] = { D_CONSONANT, "z" },
	[0x5c] = { D_CONSONANT, "r" }, [0x5d] = { D_CONSONANT, "rh" },
	[0x5e] = { D_CONSONANT, "f" }, [0x5f] = { D_CONSONANT, "y" },
	[0x66] = { D_DIGIT, "0" }, [0x67] = { D_DIGIT, "1" },
	[0x68] = { D_DIGIT, "2" }, [0x69] = { D_DIGIT, "3" },
	[0x6a] = { D_DIGIT, "4" }, [0x6b] = { D_DIGIT, "5" },
	[0x6c] = { D_DIGIT, "6" }, [0x6d] = { D_DIGIT, "7" },
	[0x6e] = { D_DIGIT, "8" }, [0x6f] = { D_DIGIT, "9" },
};

/* One code point of valid UTF-8 at *p; advances *p. */
static uint32_t
next_cp(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t cp;
	int n, i;

	if (s[0] < 0x80) {
		*p += 1;
		return s[0];
	}
	n = s[0] >= 0xf0 ? 3 : s[0] >= 0xe0 ? 2 : 1;
	cp = s[0] & (0x3f >> n);
	for (i = 1; i <= n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	*p += n + 1;
	return cp;
}

/* Building the key: words of Latin letters and digits joined by '-'. */
struct keyb {
	struct buf	 b;
	int		 pending_a;	/* a consonant without its vowel yet */
	int		 word_cons;	/* consonants in this Devanagari word */
	int		 want_dash;	/* a separator before the next letter */
};

static void
put(struct keyb *k, const char *s)
{
	if (*s == '\0')
		return;
	if (k->want_dash && k->b.len > 0)
		buf_putc(&k->b, '-');
	k->want_dash = 0;
	buf_puts(&k->b, s);
}

/* The word ends: its last consonant keeps its a only if it is alone
 * ("व" is va). */
static void
word_end(struct keyb *k)
{
	if (k->pending_a && k->word_cons == 1)
		put(k, "a");
	k->pending_a = 0;
	k->word_cons = 0;
}

static void
devanagari(struct keyb *k, const struct deva *d, uint32_t cp)
{
	switch (d->cls) {
	case D_SIGN:
		put(k, d->latin);
		k->pending_a = 0;
		return;
	case D_VIRAMA:
		k->pending_a = 0;
		return;
	case D_NUKTA:
		/* ज़ and फ़ written with a separate nukta: z and f. */
		if (k->b.len > 0 && k->pending_a) {
			char *last = &k->b.data[k->b.len - 1];

			if (*last == 'j')
				*last = 'z';
			else if (*last == 'h' && k->b.len > 1 &&
			    last[-1] == 'p') {
				k->b.len--;
				last[-1] = 'f';
				k->b.data[k->b.len] = '\0';
			}
		}
		return;
	case D_NASAL:
	case D_VISARGA:
		if (k->pending_a)
			put(k, "a");
		k->pending_a = 0;
		put(k, d->latin);
		return;
	case D_CONSONANT:
		if (k->pending_a)
			put(k, "a");
		put(k, d->latin);
		k->pending_a = 1;
		k->word_cons++;
		return;
	case D_VOWEL:
	case D_DIGIT:
		if (k->pending_a)
			put(k, "a");
		k->pending_a = 0;
		put(k, d->latin);
		return;
	case D_NONE:
		(void)cp;
		return;
	}
}

char *
group_key_derive(const char *display, char *err, size_t errlen)
{
	struct keyb k;
	const char *p;
	char ascii[2] = { 0, 0 }, *key, *out;
	uint32_t cp;

	if (display == NULL || *display == '\0' ||
	    !text_utf8_valid(display, strlen(display))) {
		util_err(err, errlen, "a group needs a name (UTF-8 text)");
		return NULL;
	}
	memset(&k, 0, sizeof(k));
	buf_init(&k.b, 0);
	for (p = display; *p != '\0';) {
		cp = next_cp(&p);
		if (cp >= DEVA_FIRST && cp <= DEVA_LAST &&
		    deva[cp - DEVA_FIRST].cls != D_NONE) {
			devanagari(&k, &deva[cp - DEVA_FIRST], cp);
			continue;
		}
		/* Not a Devanagari letter: a word ends here. */
		word_end(&k);
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			ascii[0] = (char)cp;
			put(&k, ascii);
		} else if (cp >= 'A' && cp <= 'Z') {
			ascii[0] = (char)(cp - 'A' + 'a');
			put(&k, ascii);
		} else {
			k.want_dash = 1;
		}
	}
	word_end(&k);
	if (k.b.len == 0) {
		buf_free(&k.b);
		key = xstrdup("");
	} else {
		key = buf_steal(&k.b);
	}
	if (strlen(key) > AUDIENCE_NAME_MAX)
		key[AUDIENCE_NAME_MAX] = '\0';
	while (*key != '\0' && key[strlen(key) - 1] == '-')
		key[strlen(key) - 1] = '\0';
	if (*key == '\0') {
		free(key);
		util_err(err, errlen, "a group's name needs a letter or digit "
		    "(Latin or Devanagari)");
		return NULL;
	}
	out = audience_name_normalize(key, err, errlen);
	free(key);
	return out;
}

char *
group_key_alternative(const char *key, unsigned n)
{
	char suffix[16];
	size_t keep = strlen(key);

	snprintf(suffix, sizeof(suffix), "-%u", n);
	if (keep + strlen(suffix) > AUDIENCE_NAME_MAX)
		keep = AUDIENCE_NAME_MAX - strlen(suffix);
	while (keep > 0 && key[keep - 1] == '-')
		keep--;
	return xasprintf("%.*s%s", (int)keep, key, suffix);
}
