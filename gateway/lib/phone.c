/*
 * phone: normalise the many ways providers and people write a number into
 * E.164.
 *
 * Countries whose national number length we know are listed in
 * national_plans[]; for them a bare national number and one with a trunk
 * '0' are placed in the default country, and an international number
 * must have exactly that length.  For any other default country only the
 * unambiguous forms are accepted: "+<digits>", "00<digits>" and digits
 * that already start with the country code.  India has no single mobile
 * prefix rule worth enforcing here (landlines are 10 digits too), so any
 * 10-digit national number is accepted.
 */
#include <string.h>

#include "phone.h"
#include "util.h"

#define E164_MIN_DIGITS	8
#define E164_MAX_DIGITS	15

struct national_plan {
	const char	*cc;
	size_t		 national_len;
};

static const struct national_plan national_plans[] = {
	{ "91", 10 },		/* India */
};

static const struct national_plan *
plan_find(const char *cc)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(national_plans); i++)
		if (strcmp(national_plans[i].cc, cc) == 0)
			return &national_plans[i];
	return NULL;
}

/* The plan of the country that international digits d start with. */
static const struct national_plan *
plan_of(const char *d)
{
	size_t i, n;

	for (i = 0; i < SP_ARRAY_LEN(national_plans); i++) {
		n = strlen(national_plans[i].cc);
		if (strncmp(d, national_plans[i].cc, n) == 0)
			return &national_plans[i];
	}
	return NULL;
}

static int
is_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' ||
	    c == '\t';
}

/*
 * Write '+' and the international digits d to out after checking them:
 * 0 or -1 with err set.
 */
static int
emit(const char *d, char *out, size_t outlen, char *err, size_t errlen)
{
	const struct national_plan *p;
	size_t n = strlen(d);

	if (n < E164_MIN_DIGITS || n > E164_MAX_DIGITS) {
		util_err(err, errlen, "international number must have %d-%d "
		    "digits, not %zu", E164_MIN_DIGITS, E164_MAX_DIGITS, n);
		return -1;
	}
	if (d[0] == '0') {
		util_err(err, errlen, "country code cannot start with 0");
		return -1;
	}
	if ((p = plan_of(d)) != NULL &&
	    n != strlen(p->cc) + p->national_len) {
		util_err(err, errlen, "numbers in +%s have %zu digits after the "
		    "country code", p->cc, p->national_len);
		return -1;
	}
	if (outlen < n + 2) {
		util_err(err, errlen, "output buffer too small");
		return -1;
	}
	out[0] = '+';
	memcpy(out + 1, d, n + 1);
	return 0;
}

static int
valid_cc(const char *cc)
{
	size_t i;

	if (cc == NULL || cc[0] == '\0' || cc[0] == '0' || strlen(cc) > 3)
		return 0;
	for (i = 0; cc[i] != '\0'; i++)
		if (cc[i] < '0' || cc[i] > '9')
			return 0;
	return 1;
}

int
phone_to_e164(const char *in, const char *default_cc, char *out,
    size_t outlen, char *err, size_t errlen)
{
	/* Room for a national number behind the longest country code. */
	char d[E164_MAX_DIGITS + 8];
	const struct national_plan *plan;
	size_t n = 0, cclen;
	int plus = 0;
	const char *p;

	if (outlen > 0)
		out[0] = '\0';
	if (in == NULL) {
		util_err(err, errlen, "no phone number");
		return -1;
	}
	for (p = in; *p != '\0'; p++) {
		if (is_separator(*p))
			continue;
		if (*p == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (*p < '0' || *p > '9') {
			util_err(err, errlen, "unexpected character in phone "
			    "number");
			return -1;
		}
		if (n == sizeof(d) - 1) {
			util_err(err, errlen, "phone number too long");
			return -1;
		}
		d[n++] = *p;
	}
	d[n] = '\0';
	if (n == 0) {
		util_err(err, errlen, "no digits in phone number");
		return -1;
	}
	if (plus)
		return emit(d, out, outlen, err, errlen);
	if (n > 2 && d[0] == '0' && d[1] == '0')
		return emit(d + 2, out, outlen, err, errlen);
	if (!valid_cc(default_cc)) {
		util_err(err, errlen, "number without country code and no "
		    "usable default country");
		return -1;
	}
	cclen = strlen(default_cc);
	if ((plan = plan_find(default_cc)) != NULL) {
		char full[sizeof(d) + 4];

		if (n == plan->national_len ||
		    (n == plan->national_len + 1 && d[0] == '0')) {
			/* National, possibly with the trunk 0. */
			memcpy(full, default_cc, cclen);
			memcpy(full + cclen, d + n - plan->national_len,
			    plan->national_len + 1);
			return emit(full, out, outlen, err, errlen);
		}
		if (n == cclen + plan->national_len &&
		    strncmp(d, default_cc, cclen) == 0)
			return emit(d, out, outlen, err, errlen);
		util_err(err, errlen, "not a +%s number: expected %zu digits",
		    default_cc, plan->national_len);
		return -1;
	}
	if (strncmp(d, default_cc, cclen) == 0)
		return emit(d, out, outlen, err, errlen);
	util_err(err, errlen, "number without country code");
	return -1;
}

int
phone_is_e164(const char *s)
{
	size_t n;

	if (s == NULL || s[0] != '+' || s[1] < '1' || s[1] > '9')
		return 0;
	for (n = 1; s[n] != '\0'; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	n--;
	return n >= E164_MIN_DIGITS && n <= E164_MAX_DIGITS;
}

const char *
phone_mask(const char *phone, char *out, size_t outlen)
{
	size_t len = strlen(phone), i;

	if (outlen == 0)
		return out;
	/* Cut to fit out, if it must be, but never unmasked. */
	for (i = 0; i < len && i + 1 < outlen; i++)
		out[i] = i + 4 >= len || phone[i] == '+' ? phone[i] : '*';
	out[i] = '\0';
	return out;
}
