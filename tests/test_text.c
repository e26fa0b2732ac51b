/*
 * test_text: UTF-8 validation, the matching normal form, and the
 * one-edit rule on code points.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Normalise s and compare with want; frees the result. */
static void
check_norm(const char *s, const char *want)
{
	char *got = text_normalize(s, strlen(s));

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Both normalise to the same string. */
static void
check_same(const char *a, const char *b)
{
	char *na = text_normalize(a, strlen(a));
	char *nb = text_normalize(b, strlen(b));

	assert_non_null(na);
	assert_non_null(nb);
	assert_string_equal(na, nb);
	free(na);
	free(nb);
}

static void
test_valid_utf8(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_valid("", 0), 1);
	assert_int_equal(text_utf8_valid("loan", 4), 1);
	assert_int_equal(text_utf8_valid("ऋण", strlen("ऋण")), 1);
	assert_int_equal(text_utf8_valid("\xf0\x9f\x99\x8f", 4), 1);	/* U+1F64F */
	assert_int_equal(text_utf8_valid("\xf4\x8f\xbf\xbf", 4), 1);	/* U+10FFFF */
	assert_int_equal(text_utf8_valid("\xed\x9f\xbf", 3), 1);	/* U+D7FF */
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	/* Overlong encodings of '/' and of U+0000. */
	assert_int_equal(text_utf8_valid("\xc0\xaf", 2), 0);
	assert_int_equal(text_utf8_valid("\xe0\x80\xaf", 3), 0);
	assert_int_equal(text_utf8_valid("\xf0\x80\x80\xaf", 4), 0);
	assert_int_equal(text_utf8_valid("\xc0\x80", 2), 0);
	/* Lone continuation bytes. */
	assert_int_equal(text_utf8_valid("\x80", 1), 0);
	assert_int_equal(text_utf8_valid("a\xbf" "b", 3), 0);
	/* Surrogates U+D800 and U+DFFF encoded. */
	assert_int_equal(text_utf8_valid("\xed\xa0\x80", 3), 0);
	assert_int_equal(text_utf8_valid("\xed\xbf\xbf", 3), 0);
	/* Truncated sequences, at the end and in the middle. */
	assert_int_equal(text_utf8_valid("\xe0\xa4", 2), 0);
	assert_int_equal(text_utf8_valid("\xe0\xa4" "a", 3), 0);
	assert_int_equal(text_utf8_valid("\xf0\x9f\x99", 3), 0);
	/* Above U+10FFFF, and bytes that never occur. */
	assert_int_equal(text_utf8_valid("\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(text_utf8_valid("\xff", 1), 0);
	assert_int_equal(text_utf8_valid("\xfe", 1), 0);
	/* An embedded NUL. */
	assert_int_equal(text_utf8_valid("a\0b", 3), 0);
	/* Only the given length counts. */
	assert_int_equal(text_utf8_valid("ok\xff", 2), 1);

	assert_null(text_normalize("\xc0\xaf", 2));
	assert_null(text_normalize("\xed\xa0\x80", 3));
	assert_null(text_normalize("loan\x80", 5));
}

static void
test_nfkc_casefold(void **state)
{
	(void)state;
	check_norm("ＬＯＡＮ", "loan");		/* fullwidth */
	check_norm("LOAN", "loan");
	check_norm("Loan", "loan");
	check_norm("ﬁnance", "finance");		/* ligature */
	check_norm("Straße", "strasse");
	check_norm("café", "café");
	check_same("cafe\xcc\x81", "caf\xc3\xa9");	/* decomposed é */
	check_norm("", "");
}

static void
test_punctuation_space(void **state)
{
	(void)state;
	check_norm("Loan!!!", "loan");
	check_norm("loan, bhadohi.", "loan bhadohi");
	check_norm("  loan \t\r\n bhadohi  ", "loan bhadohi");
	check_norm("loan-bhadohi", "loan bhadohi");
	check_norm("₹500 loan?", "500 loan");
	check_norm("loan\xc2\xa0" "bhadohi", "loan bhadohi");	/* NBSP */
	check_norm("लोन।", "लोन");			/* danda */
	check_norm("!!!", "");
	check_norm("loan 😀", "loan");
	/* Zero-width joiner inside a word is dropped. */
	check_same("क\xe2\x80\x8dर्ज", "कर्ज");
}

static void
test_devanagari(void **state)
{
	(void)state;
	check_norm("१", "1");
	check_norm("०१२३४५६७८९", "0123456789");
	check_same("क़र्ज़", "कर्ज");
	/* Precomposed QA (U+0958) and ZA (U+095B). */
	check_same("\xe0\xa5\x98" "र्\xe0\xa5\x9b", "कर्ज");
	check_same("हाँ", "हां");
	/* Matras and virama survive. */
	check_norm("कर्ज", "कर्ज");
	check_norm("ऋण", "ऋण");
	assert_int_equal(text_has_devanagari("संत रविदास नगर"), 1);
	assert_int_equal(text_has_devanagari("loan 1"), 0);
	assert_int_equal(text_has_devanagari("loan १"), 1);
	assert_int_equal(text_has_devanagari(""), 0);
}

static void
test_codepoints(void **state)
{
	(void)state;
	assert_int_equal(text_codepoints(""), 0);
	assert_int_equal(text_codepoints("loan"), 4);
	assert_int_equal(text_codepoints("कर्ज"), 4);
	assert_int_equal(text_codepoints("a😀"), 2);
}

static void
test_one_edit(void **state)
{
	(void)state;
	assert_int_equal(text_within_one_edit("loan", "loan"), 1);
	assert_int_equal(text_within_one_edit("laon", "loan"), 1);	/* swap */
	assert_int_equal(text_within_one_edit("loen", "loan"), 1);	/* change */
	assert_int_equal(text_within_one_edit("traning", "training"), 1);
	assert_int_equal(text_within_one_edit("training", "traning"), 1);
	assert_int_equal(text_within_one_edit("markat", "market"), 1);
	assert_int_equal(text_within_one_edit("loann", "loan"), 1);	/* insert */
	assert_int_equal(text_within_one_edit("xloan", "loan"), 1);
	assert_int_equal(text_within_one_edit("oan", "loan"), 1);
	assert_int_equal(text_within_one_edit("", "a"), 1);
	assert_int_equal(text_within_one_edit("", ""), 1);
	/* Two edits or more. */
	assert_int_equal(text_within_one_edit("lnoa", "loan"), 0);
	assert_int_equal(text_within_one_edit("olna", "loan"), 0);
	assert_int_equal(text_within_one_edit("lo", "loan"), 0);
	assert_int_equal(text_within_one_edit("loanss", "loan"), 0);
	assert_int_equal(text_within_one_edit("laan", "loon"), 0);
	assert_int_equal(text_within_one_edit("abcd", "badc"), 0);
	assert_int_equal(text_within_one_edit("tarining", "training"), 1);
	assert_int_equal(text_within_one_edit("tarinnig", "training"), 0);
}

static void
test_one_edit_lone(void **state)
{
	(void)state;
	/*
	 * "lone" against "loan" needs two edits (n→a and e→n; no single swap
	 * or drop lines them up), so the OSA rule in text.h says no.  The one
	 * change and the one drop next to it are both accepted.
	 */
	assert_int_equal(text_within_one_edit("lone", "loan"), 0);
	assert_int_equal(text_within_one_edit("lon", "loan"), 1);
}

static void
test_one_edit_devanagari(void **state)
{
	(void)state;
	/* Counted on code points, not bytes: each letter here is 3 bytes. */
	assert_int_equal(text_within_one_edit("कजर", "कर्ज"), 0);
	assert_int_equal(text_within_one_edit("करज", "कर्ज"), 1);	/* drop virama */
	assert_int_equal(text_within_one_edit("कर्ज", "करज"), 1);
	assert_int_equal(text_within_one_edit("प्रशिक्षन", "प्रशिक्षण"), 1);
	assert_int_equal(text_within_one_edit("रक्ज", "कर्ज"), 1);
	assert_int_equal(text_within_one_edit("रक्जा", "कर्ज"), 0);
	assert_int_equal(text_within_one_edit("जर्क", "कर्ज"), 0);
	assert_int_equal(text_within_one_edit("कर्जा", "कर्ज"), 1);
	assert_int_equal(text_within_one_edit("भदोहि", "भदोही"), 1);
	/* Independent vowel ई vs ह + matra ी is two code points off. */
	assert_int_equal(text_within_one_edit("भदोई", "भदोही"), 0);
	assert_int_equal(text_within_one_edit("बाजार", "बजार"), 1);
	assert_int_equal(text_within_one_edit("बाज़ार", "बजर"), 0);
	/* Swap of two neighbouring code points (र and virama). */
	assert_int_equal(text_within_one_edit("क्रज", "कर्ज"), 1);
}

static void
test_long_strings(void **state)
{
	char a[300], b[300];

	(void)state;
	/* Past the on-stack size, to cover the heap path. */
	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	b[150] = 'y';
	assert_int_equal(text_within_one_edit(a, b), 1);
	b[151] = 'y';
	assert_int_equal(text_within_one_edit(a, b), 0);
}

/*
 * Plain ASCII takes a short cut past utf8proc; a trailing ideographic
 * space (a separator, so it adds nothing) sends the same text the long
 * way, and the two must agree: every character alone, then random texts
 * over all of ASCII, controls included.  NUL is refused both ways.
 */
static void
check_ascii_as_unicode(const char *s, size_t len)
{
	char buf[80];
	char *fast, *slow;

	assert_true(len + 3 <= sizeof(buf));
	memcpy(buf, s, len);
	memcpy(buf + len, "\xe3\x80\x80", 3);
	fast = text_normalize(s, len);
	slow = text_normalize(buf, len + 3);
	assert_non_null(fast);
	assert_non_null(slow);
	assert_string_equal(fast, slow);
	free(fast);
	free(slow);
}

static void
test_ascii_short_cut(void **state)
{
	uint32_t seed = 12345;
	char s[64];
	size_t len, i;
	int c, round;

	(void)state;
	assert_null(text_normalize("loan\0x", 6));
	assert_null(text_normalize("\0", 1));
	for (c = 1; c < 0x80; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'B';
		check_ascii_as_unicode(s + 1, 1);
		check_ascii_as_unicode(s, 3);
	}
	for (round = 0; round < 2000; round++) {
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(s);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Letters and digits more often than not. */
			if ((seed >> 24) & 1)
				s[i] = "LoAn 12 mela,Bhadohi"[(seed >> 16) % 20];
			else
				s[i] = (char)(1 + (seed >> 16) % 0x7f);
		}
		check_ascii_as_unicode(s, len);
	}
	check_norm("  LOAN,,Bhadohi!! 2024\t", "loan bhadohi 2024");
}

/* A cut never ends inside a character, and keeps whole ones. */
static void
test_utf8_whole(void **state)
{
	const char *hi = "लोन";	/* three 3-byte characters */

	(void)state;
	assert_int_equal(text_utf8_whole("loan", 4), 4);
	assert_int_equal(text_utf8_whole("loan", 2), 2);
	assert_int_equal(text_utf8_whole(hi, 9), 9);
	assert_int_equal(text_utf8_whole(hi, 8), 6);
	assert_int_equal(text_utf8_whole(hi, 7), 6);
	assert_int_equal(text_utf8_whole(hi, 6), 6);
	assert_int_equal(text_utf8_whole(hi, 4), 3);
	assert_int_equal(text_utf8_whole(hi, 1), 0);
	assert_int_equal(text_utf8_whole("a\xf0\x9f\x99", 4), 1);
	assert_int_equal(text_utf8_whole("a\xf0\x9f\x99\x8f", 5), 5);
	assert_int_equal(text_utf8_whole("", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_utf8_whole),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nfkc_casefold),
		cmocka_unit_test(test_punctuation_space),
		cmocka_unit_test(test_devanagari),
		cmocka_unit_test(test_codepoints),
		cmocka_unit_test(test_one_edit),
		cmocka_unit_test(test_one_edit_lone),
		cmocka_unit_test(test_one_edit_devanagari),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_ascii_short_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
