/*
 * language_guess: the language to answer a first message in when she has
 * not chosen one.  Devanagari is Hindi (router.c); Latin letters are
 * either English or Hindi written in Latin letters (Hinglish: "mujhe loan
 * chahiye"), and most women write the latter, so English is said only
 * when the text is plainly English: at least two English function words
 * and not one Hinglish one.  A wrong guess costs one reply in the other
 * language; nothing is stored, LANG sets it for good.
 */
#include <stdlib.h>
#include <string.h>

#include "language_guess.h"
#include "util.h"

/* Sorted (bsearch): small words an English sentence cannot do without. */
static const char *const english_words[] = {
	"a", "about", "am", "an", "and", "any", "are", "at", "be",
	"business", "buy", "buyers", "buying", "can", "could", "course",
	"courses", "do", "does", "find", "for", "from", "get", "give", "got",
	"help", "how", "i", "im", "in", "info", "information", "is", "it",
	"know", "learn", "learning", "look", "looking", "me", "money", "my",
	"near", "nearest", "need", "needed", "needs", "of", "on", "or",
	"our", "please", "pls", "plz", "price", "sell", "selling", "send",
	"shop", "should", "some", "start", "tell", "that", "the", "there",
	"this", "to", "want", "wanted", "was", "we", "what", "when", "where",
	"which", "who", "with", "without", "would", "you", "your",
};

/* Sorted: words only Hinglish has; "me", "do", "he", "sir" are English
 * too and are not here. */
static const char *const hinglish_words[] = {
	"aap", "ap", "apna", "apne", "apni", "aur", "bahan", "bahut",
	"bataiye", "batao", "bataye", "batayen", "bechna", "bechne",
	"bechni", "becho", "behen", "bhai", "bhi", "btao", "chaahiye",
	"chahie", "chahiya", "chahiye", "chahta", "chahte", "chahti",
	"chaiye", "de", "dedo", "dena", "didi", "dijie", "dijiye", "dukaan",
	"dukan", "gaon", "gav", "hai", "hain", "ham", "hame", "hamein",
	"hamko", "ho", "hoon", "hu", "hum", "humko", "hun", "ji",
	"jila", "jile", "ka", "kaam", "kab", "kaha", "kahan", "kaise", "kam",
	"kare", "karein", "karna", "karne", "karni", "karo", "karu", "kaun",
	"ke", "kese", "ki", "ko", "kripya", "krpya", "kya", "kyon", "kyun",
	"lie", "liya", "liye", "mai", "main", "mein", "mera", "mere", "meri",
	"milega", "milegi", "milta", "muje", "mujhe", "mujhko", "nahi",
	"nahin", "namaskar", "namaste", "nhi", "paisa", "paise", "par", "pe",
	"rupaye", "sahab", "sakta", "sakte", "sakti", "se", "sikhana",
	"sikhna", "sikhni", "silai", "tha", "thi", "tum", "wala", "wale",
	"wali", "ya", "zila",
};

static int
cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int
listed(const char *const *words, size_t n, const char *w)
{
	return bsearch(w, words, n, sizeof(*words), cmp_word) != NULL;
}

const char *
language_guess(const char *norm)
{
	const char *s = norm, *e;
	char word[24], first_en[24] = "";
	size_t len, distinct_en = 0;

	for (; *s != '\0'; s = e) {
		while (*s == ' ')
			s++;
		for (e = s; *e != '\0' && *e != ' '; e++)
			;
		len = (size_t)(e - s);
		if (len == 0 || len >= sizeof(word))
			continue;
		memcpy(word, s, len);
		word[len] = '\0';
		if (listed(hinglish_words, SP_ARRAY_LEN(hinglish_words), word))
			return NULL;
		if (!listed(english_words, SP_ARRAY_LEN(english_words), word) ||
		    strcmp(word, first_en) == 0)
			continue;
		if (distinct_en++ == 0)
			memcpy(first_en, word, len + 1);
	}
	return distinct_en >= 2 ? "en" : NULL;
}
