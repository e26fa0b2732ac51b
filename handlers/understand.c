/*
 * understand: read a whole message against the folded lexicon and decide
 * what it asks for.  The table is built by understand_load.c; this file
 * only reads it, and uses no heap: the words, their folded forms and the
 * tokens live in the caller's struct understand_result.
 *
 * The decision, in order (see understand.h for what each word can be):
 *   1. an opt-out phrase anywhere, or STOP leading or closing: STOP;
 *   2. a command leading (after greetings and filler) or written as a
 *      whole-message phrase: the command, except that MORE, HELP, START,
 *      YES/NO and the language words give way to a category named in the
 *      same message ("aur jankari do loan ki" is LOAN);
 *   3. YES / NO words anywhere in a message without a category: RSVP;
 *   4. a district that is not served, and none that is: UNSERVED;
 *   5. categories anywhere: one is INFO, two or more ask which (a trade,
 *      then a menu digit, then a directory word only when no category
 *      word is named);
 *   6. a district alone: DISTRICT (an answer, or remembered);
 *   7. only filler and greetings: the menu; anything else is unknown.
 */
#include <stdio.h>
#include <string.h>

#include "keywords.h"
#include "understand_int.h"

static const char *const how_names[] = {
	[UNDERSTAND_UNKNOWN] = "unknown",
	[UNDERSTAND_KEYWORD] = "keyword",
	[UNDERSTAND_DIGIT] = "digit",
	[UNDERSTAND_SYNONYM] = "synonym",
	[UNDERSTAND_SCHEME] = "scheme",
	[UNDERSTAND_PHRASE] = "phrase",
	[UNDERSTAND_ANYWHERE] = "opt-out phrase",
	[UNDERSTAND_DISTRICT] = "district",
	[UNDERSTAND_FILLER] = "filler",
	[UNDERSTAND_NEGATION] = "negation",
	[UNDERSTAND_NUMBER] = "number",
	[UNDERSTAND_EMOJI_YES] = "emoji yes",
	[UNDERSTAND_EMOJI_NO] = "emoji no",
	[UNDERSTAND_EMOJI_GREETING] = "emoji greeting",
	[UNDERSTAND_DIRECTORY] = "directory",
	[UNDERSTAND_UNSERVED] = "unserved district",
};

const char *
understand_how_name(enum understand_how how)
{
	if ((size_t)how >= sizeof(how_names) / sizeof(how_names[0]) ||
	    how_names[how] == NULL)
		return "?";
	return how_names[how];
}

const char *
understand_origin(const struct understand_token *t, char *buf, size_t len)
{
	const struct understand_entry *e = t->entry;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (e != NULL && e->origin != NULL)
		snprintf(buf, len, "directory: %s", e->origin);
	else if (e != NULL && e->file != NULL)
		snprintf(buf, len, "%s:%zu", e->file, e->line);
	return buf;
}

const char *
understand_unserved_name(const struct understand_unserved *u, const char *lang)
{
	if (lang != NULL && strcmp(lang, "hi") == 0 && u->name_hi != NULL)
		return u->name_hi;
	return u->name_en;
}

int
understand_max_edits(size_t ncp)
{
	if (ncp <= 3)
		return 0;
	return ncp <= 7 ? 1 : 2;
}

/* Devanagari vowel signs and letters people confuse: long → short. */
static uint32_t
fold_deva(uint32_t cp)
{
	switch (cp) {
	case 0x0940: return 0x093f;	/* ी → ि */
	case 0x0942: return 0x0941;	/* ू → ु */
	case 0x0908: return 0x0907;	/* ई → इ */
	case 0x090a: return 0x0909;	/* ऊ → उ */
	default: return cp;
	}
}

size_t
understand_fold_word(const char *w, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)w;
	size_t i = 0, o = 0;
	int ascii = 1, deva_end_anusvara = 0;
	char c;

	if (outlen == 0)
		return 0;
	while (i < len && o + 4 < outlen) {
		if (p[i] < 0x80) {
			c = (char)p[i];
			if (i + 1 < len && c == 'e' && p[i + 1] == 'e') {
				c = 'i';
				i++;
			} else if (i + 1 < len && c == 'o' && p[i + 1] == 'o') {
				c = 'u';
				i++;
			} else if (i + 1 < len && (c == 's' || c == 'p') &&
			    p[i + 1] == 'h') {
				c = c == 's' ? 's' : 'f';
				i++;
			} else if (i + 1 < len && c == 'c' && p[i + 1] == 'k') {
				c = 'k';
				i++;
			} else if (c == 'w')
				c = 'v';
			else if (c == 'z')
				c = 'j';
			else if (c == 'q')
				c = 'k';
			i++;
			/* Doubled letters once: "baazaar", "mirzapurr". */
			if (c >= 'a' && c <= 'z' && o > 0 && out[o - 1] == c)
				continue;
			out[o++] = c;
			deva_end_anusvara = 0;
			continue;
		}
		ascii = 0;
		/* Keycap digits ("1️⃣"): the variation selector and the
		 * enclosing keycap go, the digit stays. */
		if (i + 2 < len && ((p[i] == 0xef && p[i + 1] == 0xb8 &&
		    p[i + 2] == 0x8f) || (p[i] == 0xe2 && p[i + 1] == 0x83 &&
		    p[i + 2] == 0xa3))) {
			i += 3;
			continue;
		}
		if (p[i] == 0xe0 && i + 2 < len && (p[i + 1] == 0xa4 ||
		    p[i + 1] == 0xa5)) {
			uint32_t cp = ((uint32_t)(p[i] & 0x0f) << 12) |
			    ((uint32_t)(p[i + 1] & 0x3f) << 6) |
			    (uint32_t)(p[i + 2] & 0x3f);

			cp = fold_deva(cp);
			out[o++] = (char)(0xe0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (cp & 0x3f));
			deva_end_anusvara = cp == 0x0902;
			i += 3;
			continue;
		}
		out[o++] = (char)p[i++];
		deva_end_anusvara = 0;
	}
	/* "नहीं" and "नही", "में" and "मे": a final anusvara is often left
	 * out; "karza" and "karz": so is a final a. */
	if (deva_end_anusvara && o > 3)
		o -= 3;
	if (ascii && o >= 4 && out[o - 1] == 'a')
		o--;
	out[o] = '\0';
	return o;
}

size_t
understand_codepoints(const char *s, size_t len, uint32_t *cp, size_t max,
    uint64_t *mask)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0;
	uint32_t c;

	*mask = 0;
	while (i < len && n < max) {
		if (p[i] < 0x80)
			c = p[i++];
		else if ((p[i] & 0xe0) == 0xc0 && i + 1 < len) {
			c = ((uint32_t)(p[i] & 0x1f) << 6) | (p[i + 1] & 0x3f);
			i += 2;
		} else if ((p[i] & 0xf0) == 0xe0 && i + 2 < len) {
			c = ((uint32_t)(p[i] & 0x0f) << 12) |
			    ((uint32_t)(p[i + 1] & 0x3f) << 6) |
			    (p[i + 2] & 0x3f);
			i += 3;
		} else {
			c = p[i++];
		}
		cp[n++] = c;
		*mask |= (uint64_t)1 << (c % 64);
	}
	return n;
}

int
understand_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    int max)
{
	int rows[3][UNDERSTAND_MAX_CP + 1];
	int *pp = rows[0], *prev = rows[1], *cur = rows[2], *t;
	size_t i, j;
	int best, v, cost;

	if ((na > nb ? na - nb : nb - na) > (size_t)max)
		return max + 1;
	for (j = 0; j <= nb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= na; i++) {
		cur[0] = (int)i;
		best = cur[0];
		for (j = 1; j <= nb; j++) {
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			v = prev[j - 1] + cost;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[nb] > max ? max + 1 : prev[nb];
}

const struct understand_entry *
understand_fuzzy_find(const struct understand_table *t, const char *w, size_t len,
    int *dist)
{
	uint32_t cp[UNDERSTAND_MAX_CP];
	uint64_t mask;
	const struct understand_entry *best = NULL, *e;
	size_t n, i;
	int max, d, bestd, ambiguous = 0;

	n = understand_codepoints(w, len, cp, UNDERSTAND_MAX_CP, &mask);
	if ((max = understand_max_edits(n)) == 0)
		return NULL;
	bestd = max + 1;
	for (i = 0; i < t->nfuzzy; i++) {
		e = &t->e[t->fuzzy[i]];
		if ((e->ncp > n ? e->ncp - n : n - e->ncp) > (size_t)max)
			continue;
		/* Each edit changes at most two letters of the set. */
		if (__builtin_popcountll(e->mask ^ mask) > 2 * max)
			continue;
		d = understand_distance(cp, n, e->cp, e->ncp, max);
		if (d > max || d > bestd)
			continue;
		if (d < bestd) {
			bestd = d;
			best = e;
			ambiguous = 0;
		} else if (best != NULL && (best->meaning != e->meaning ||
		    best->kw != e->kw || best->district != e->district))
			ambiguous = 1;
	}
	if (best == NULL || ambiguous)
		return NULL;
	*dist = bestd;
	return best;
}

/* Split norm into words and fold each into r->fold, joined by ' '. */
static void
split(const char *norm, struct understand_result *r)
{
	const char *p = norm, *s;
	size_t o = 0, n;

	r->nwords = 0;
	while (*p != '\0' && r->nwords < UNDERSTAND_MAX_WORDS) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (s = p; *p != '\0' && *p != ' '; p++)
			;
		if (o + 1 >= sizeof(r->fold))
			break;
		if (o > 0)
			r->fold[o++] = ' ';
		n = understand_fold_word(s, (size_t)(p - s), r->fold + o,
		    sizeof(r->fold) - o);
		if (n == 0) {
			if (o > 0)
				o--;
			continue;
		}
		r->wstart[r->nwords] = o;
		r->wlen[r->nwords] = n;
		r->nstart[r->nwords] = (size_t)(s - norm);
		r->nlen[r->nwords] = (size_t)(p - s);
		r->nwords++;
		o += n;
	}
	r->fold[o] = '\0';
}

int
understand_all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return len > 0;
}

static void
add_token(struct understand_result *r, size_t word, size_t nwords, enum understand_how how,
    const struct understand_entry *e, int fuzzy)
{
	struct understand_token *t;

	if (r->ntok >= sizeof(r->tok) / sizeof(r->tok[0]))
		return;
	t = &r->tok[r->ntok++];
	t->word = word;
	t->nwords = nwords;
	t->how = how;
	t->fuzzy = fuzzy;
	t->kw = e ? e->kw : NULL;
	t->district = e ? e->district : NULL;
	t->meaning = e ? (int)e->meaning : -1;
	t->entry = e;
}

static int
is_handler(const struct keyword *kw, const char *name)
{
	return kw != NULL && kw->handler != NULL &&
	    strcmp(kw->handler, name) == 0;
}

/* a equals s[0..len) but for letters typed twice ("stopp", "baand"). */
static int
same_but_doubled(const char *a, const char *s, size_t len)
{
	size_t i = 0;

	while (*a != '\0' && i < len) {
		if (*a != s[i])
			return 0;
		a++;
		i++;
		while (i < len && s[i] == s[i - 1] && *a != s[i])
			i++;
	}
	return *a == '\0' && i == len;
}

/*
 * STOP and START are taken only as listed, never through spelling
 * folding: "banda" (a man) folds to "band" but opts nobody out.
 */
static int
exact_enough(const struct understand_table *t, const struct understand_entry *e,
    const char *norm, const struct understand_result *r, size_t i, size_t w)
{
	const char *s;
	size_t len;

	if (e->meaning != UNDERSTAND_M_COMMAND || !(is_handler(e->kw, "stop") ||
	    is_handler(e->kw, "start")))
		return 1;
	s = norm + r->nstart[i];
	len = r->nstart[i + w - 1] + r->nlen[i + w - 1] - r->nstart[i];
	for (;;) {
		if (same_but_doubled(e->listed, s, len))
			return 1;
		if (e->next_same == 0)
			return 0;
		e = &t->e[e->next_same - 1];
	}
}

/* Classify every word, the longest known phrase first. */
static void
classify(const struct understand_table *t, const char *norm, struct understand_result *r)
{
	const struct understand_entry *e;
	size_t i = 0, w, maxw, start, len;
	int d;

	while (i < r->nwords) {
		maxw = r->nwords - i;
		if (maxw > t->max_words)
			maxw = t->max_words;
		e = NULL;
		for (w = maxw; w >= 1; w--) {
			start = r->wstart[i];
			len = r->wstart[i + w - 1] + r->wlen[i + w - 1] - start;
			if ((e = understand_lookup(t, r->fold + start, len)) != NULL &&
			    exact_enough(t, e, norm, r, i, w))
				break;
			e = NULL;
		}
		if (e != NULL) {
			add_token(r, i, w, e->how, e, 0);
			i += w;
			continue;
		}
		start = r->wstart[i];
		len = r->wlen[i];
		d = 0;
		if (understand_all_digits(r->fold + start, len))
			add_token(r, i, 1, UNDERSTAND_NUMBER, NULL, 0);
		else if ((e = understand_fuzzy_find(t, norm + r->nstart[i],
		    r->nlen[i], &d)) != NULL)
			add_token(r, i, 1, e->how, e, d);
		else
			add_token(r, i, 1, UNDERSTAND_UNKNOWN, NULL, 0);
		i++;
	}
}

/* Thumbs up / down and ticks, which normalisation drops as symbols. */
static void
emoji(const char *raw, struct understand_result *r)
{
	static const struct {
		const char	*s;
		enum understand_how	 how;
	} marks[] = {
		{ "\xf0\x9f\x91\x8d", UNDERSTAND_EMOJI_YES },	/* 👍 */
		{ "\xf0\x9f\x91\x8c", UNDERSTAND_EMOJI_YES },	/* 👌 */
		{ "\xe2\x9c\x85", UNDERSTAND_EMOJI_YES },	/* ✅ */
		{ "\xe2\x9c\x94", UNDERSTAND_EMOJI_YES },	/* ✔ */
		{ "\xf0\x9f\x91\x8e", UNDERSTAND_EMOJI_NO },	/* 👎 */
		{ "\xe2\x9d\x8c", UNDERSTAND_EMOJI_NO },	/* ❌ */
		{ "\xf0\x9f\x99\x8f", UNDERSTAND_EMOJI_GREETING },	/* 🙏 */
	};
	size_t i;

	if (raw == NULL)
		return;
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(raw, marks[i].s) != NULL)
			add_token(r, r->nwords, 0, marks[i].how, NULL, 0);
}

static int
is_filler(const struct understand_token *t)
{
	return t->how == UNDERSTAND_FILLER || t->how == UNDERSTAND_EMOJI_GREETING;
}

/*
 * Is category token i cancelled by a negation: "loan nahi chahiye",
 * "training chahiye loan nahi" (a NO closing the message), "don't want
 * loan"?  Filler between them does not count.
 */
static int
negated(const struct understand_result *r, size_t i)
{
	const struct understand_token *n;
	size_t j;

	for (j = i + 1; j < r->ntok && is_filler(&r->tok[j]); j++)
		;
	if (j < r->ntok) {
		n = &r->tok[j];
		if (n->meaning == UNDERSTAND_M_NEGATION)
			return 1;
		if (n->meaning == UNDERSTAND_M_COMMAND && is_handler(n->kw, "rsvp") &&
		    n->kw->category != NULL &&
		    strcmp(n->kw->category, "no") == 0) {
			for (j++; j < r->ntok && is_filler(&r->tok[j]); j++)
				;
			if (j == r->ntok)
				return 1;
		}
	}
	for (j = i; j > 0 && is_filler(&r->tok[j - 1]); j--)
		;
	return j > 0 && r->tok[j - 1].meaning == UNDERSTAND_M_NEGATION_BEFORE;
}

static void
command(struct understand_result *r, size_t i)
{
	const struct understand_token *t = &r->tok[i];
	size_t j;

	r->action = UNDERSTAND_ACT_COMMAND;
	r->kw = t->kw;
	r->args_word = t->word + t->nwords;
	/* JOIN karna hai bhadohi: the district is where its words start. */
	if (is_handler(t->kw, "join"))
		for (j = i + 1; j < r->ntok; j++)
			if (r->tok[j].district != NULL) {
				r->args_word = r->tok[j].word;
				break;
			}
}

/* Is token t a refusal: NO, STOP, a negation ("mat", "nahi chahiye")? */
static int
refusal(const struct understand_token *t)
{
	if (t->meaning == UNDERSTAND_M_NEGATION || t->meaning == UNDERSTAND_M_NEGATION_BEFORE)
		return 1;
	return t->meaning == UNDERSTAND_M_COMMAND && (is_handler(t->kw, "stop") ||
	    (is_handler(t->kw, "rsvp") && t->kw->category != NULL &&
	    strcmp(t->kw->category, "no") == 0));
}

static void
add_category(const struct keyword **cats, size_t *ncat,
    const struct keyword *kw)
{
	size_t i;

	for (i = 0; i < *ncat; i++)
		if (cats[i] == kw)
			return;
	if (*ncat < 4)
		cats[(*ncat)++] = kw;
}

/*
 * The unserved district token i names, if it is meant as a place: always,
 * unless its name is also an everyday word ("gaya", went; "basti"); then
 * only beside a [jila] word ("gaya jile se") or with nothing else of
 * meaning in the message ("gaya se hu", the answer to "which district?").
 */
static const struct understand_unserved *
place(const struct understand_result *r, size_t i, size_t nother)
{
	const struct understand_token *t = &r->tok[i];

	if (t->entry == NULL || t->entry->unserved == NULL)
		return NULL;
	if (!t->entry->everyday)
		return t->entry->unserved;
	if ((i > 0 && r->tok[i - 1].meaning == UNDERSTAND_M_JILA) ||
	    (i + 1 < r->ntok && r->tok[i + 1].meaning == UNDERSTAND_M_JILA))
		return t->entry->unserved;
	return nother == (is_filler(t) ? 0u : 1u) ? t->entry->unserved : NULL;
}

void
understand_message(const struct understand_table *t, const char *raw, const char *norm,
    struct understand_result *r)
{
	const struct keyword *cats[4], *dcats[4], *topic = NULL, *digit = NULL;
	size_t i, ncat = 0, ndcat = 0, lead, nother = 0, nstart = 0;
	int emoji_yes = 0, emoji_no = 0, greeting = 0, msgword = 0,
	    received = 0, refused = 0;
	const struct understand_token *first_yes = NULL, *first_no = NULL;
	struct understand_token *tk;

	r->action = UNDERSTAND_ACT_UNKNOWN;
	r->kw = r->kw2 = NULL;
	r->district = NULL;
	r->unserved = NULL;
	r->args_word = 0;
	r->ntok = 0;
	if (norm == NULL)
		norm = "";
	split(norm, r);
	if (t == NULL)
		return;
	classify(t, norm, r);
	emoji(raw, r);

	/* The first token that is not filler. */
	for (lead = 0; lead < r->ntok && is_filler(&r->tok[lead]); lead++)
		;
	for (i = 0; i < r->ntok; i++) {
		tk = &r->tok[i];
		switch (tk->how) {
		case UNDERSTAND_EMOJI_YES:
			emoji_yes = 1;
			continue;
		case UNDERSTAND_EMOJI_NO:
			emoji_no = 1;
			continue;
		case UNDERSTAND_EMOJI_GREETING:
			greeting = 1;
			continue;
		default:
			break;
		}
		greeting |= tk->meaning == UNDERSTAND_M_GREETING;
		msgword |= tk->meaning == UNDERSTAND_M_MESSAGE;
		received |= tk->meaning == UNDERSTAND_M_RECEIVED;
		refused |= refusal(tk);
		if (tk->district != NULL && r->district == NULL)
			r->district = tk->district;
		if (!is_filler(tk))
			nother++;
		if (tk->meaning == UNDERSTAND_M_COMMAND && is_handler(tk->kw, "start"))
			nstart++;
		if (tk->meaning == UNDERSTAND_M_COMMAND && is_handler(tk->kw, "rsvp")) {
			if (tk->kw->category != NULL &&
			    strcmp(tk->kw->category, "no") == 0) {
				if (first_no == NULL)
					first_no = tk;
			} else if (first_yes == NULL)
				first_yes = tk;
		}
		if (tk->meaning == UNDERSTAND_M_TOPIC && topic == NULL &&
		    !negated(r, i))
			topic = tk->kw;
		if (tk->meaning == UNDERSTAND_M_DIRECTORY && !negated(r, i))
			add_category(dcats, &ndcat, tk->kw);
		if (tk->meaning != UNDERSTAND_M_CATEGORY || negated(r, i))
			continue;
		/* A menu digit is a choice only where a command would be
		 * ("2 bakri ke liye paisa" is about two goats). */
		if (tk->how == UNDERSTAND_DIGIT) {
			if (i == lead)
				digit = tk->kw;
			continue;
		}
		add_category(cats, &ncat, tk->kw);
	}
	if (ncat == 0 && topic != NULL)
		cats[ncat++] = topic;
	if (ncat == 0 && digit != NULL)
		cats[ncat++] = digit;
	if (ncat == 0) {
		for (i = 0; i < ndcat; i++)
			cats[i] = dcats[i];
		ncat = ndcat;
	}
	for (i = 0; r->district == NULL && r->unserved == NULL && i < r->ntok;
	    i++)
		r->unserved = place(r, i, nother);

	/* 1. Opt-out: a phrase anywhere, or "message" with a refusal
	 * ("mujhe ye message nahi chahiye"), unless she complains that one
	 * did not come ("message nahi aaya"). */
	for (i = 0; i < r->ntok; i++) {
		tk = &r->tok[i];
		if (tk->how == UNDERSTAND_ANYWHERE && is_handler(tk->kw, "stop")) {
			command(r, i);
			return;
		}
	}
	if (msgword && refused && !received && ncat == 0) {
		for (i = 0; i < r->ntok && !refusal(&r->tok[i]); i++)
			;
		command(r, i);
		if (!is_handler(r->kw, "stop"))
			r->kw = t->kw_stop;
		if (r->kw != NULL)
			return;
		r->action = UNDERSTAND_ACT_UNKNOWN;
	}

	/* 2. A command where a person means one: leading, and not giving
	 * way to a category named with it ("aur jankari do loan ki" is
	 * LOAN, "stop ke paas wali dukan" is no STOP).  A NOTICE's text
	 * may name anything.  START is only ever the whole message. */
	if (lead < r->ntok && r->tok[lead].meaning == UNDERSTAND_M_COMMAND) {
		tk = &r->tok[lead];
		if (is_handler(tk->kw, "notice") || (ncat == 0 &&
		    !is_handler(tk->kw, "rsvp") &&
		    (!is_handler(tk->kw, "start") || nstart == nother))) {
			command(r, lead);
			return;
		}
	}
	for (i = 0; ncat == 0 && i < r->ntok; i++) {
		tk = &r->tok[i];
		if (tk->how == UNDERSTAND_PHRASE && tk->meaning == UNDERSTAND_M_COMMAND &&
		    nother == 1 && !is_handler(tk->kw, "rsvp")) {
			command(r, i);
			return;
		}
	}

	/* 3. YES / NO in a message without a category or a complaint; NO
	 * wins ("haan par nahi aa paungi"). */
	if (ncat == 0 && r->district == NULL && r->unserved == NULL &&
	    !received) {
		/* "message nahi aaya" complains; it answers no meeting. */
		tk = (struct understand_token *)(first_no ? first_no : first_yes);
		if (tk != NULL) {
			command(r, (size_t)(tk - r->tok));
			return;
		}
		if (emoji_yes != emoji_no && nother == 0) {
			r->kw = emoji_yes ? t->kw_yes : t->kw_no;
			if (r->kw != NULL) {
				r->action = UNDERSTAND_ACT_COMMAND;
				r->args_word = r->nwords;
				return;
			}
		}
	}

	/* 4. A district we do not serve, asked again would be asked for
	 * ever: UNSERVED, with what she asked for. */
	if (r->unserved != NULL) {
		r->action = UNDERSTAND_ACT_UNSERVED;
		r->kw = ncat > 0 ? cats[0] : NULL;
		r->kw2 = ncat > 1 ? cats[1] : NULL;
		return;
	}

	/* 5. Categories. */
	if (ncat >= 2) {
		r->action = UNDERSTAND_ACT_CHOOSE;
		r->kw = cats[0];
		r->kw2 = cats[1];
		return;
	}
	if (ncat == 1) {
		r->action = UNDERSTAND_ACT_INFO;
		r->kw = cats[0];
		return;
	}
	/* 6, 7. */
	if (r->district != NULL)
		r->action = UNDERSTAND_ACT_DISTRICT;
	else if (nother == 0 && greeting)
		r->action = UNDERSTAND_ACT_HELP;
}
