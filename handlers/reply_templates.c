/*
 * reply_templates: the DLT templates of every reply shape, built from the
 * prompts, and the scrubber's matching rule.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confscan.h"
#include "district.h"
#include "prompts.h"
#include "records.h"
#include "reply_templates.h"
#include "util.h"

#define DLT_VAR		"{#var#}"
#define CATEGORY	"service-implicit"

/*
 * Replies made of one prompt.  Every one answers a message she sent, so
 * all are service-implicit; broadcasts (templates.conf) are the rest.
 */
static const char *const simple_keys[] = {
	"help.menu", "ask.district", "info.none", "more.none", "choose.ask",
	"error.internal",
	"join.usage", "join.unknown", "join.welcome", "join.welcome.anon",
	"name.usage", "name.saved", "lang.usage", "lang.set",
	"stop.confirm", "start.confirm",
	"notice.usage", "notice.district", "notice.preview", "notice.too_long",
	"notice.sent", "notice.bad_code", "notice.cancelled", "notice.error",
	"notice.status", "notice.status_none", "notice.nobody",
	"rsvp.yes", "rsvp.no", "notice.answer_yes", "notice.answer_no",
};

/* The list pages: their key stem and the prompt of their first line. */
static const struct {
	const char	*stem;
	const char	*header;
} lists[] = {
	{ "info.list",		"info.header" },
	{ "more.list",		"more.header" },
	{ "anywhere.list",	"district.unknown.anywhere" },
};

/* Fields that may be longer than one variable holds. */
static const char *const wide_fields[] = { "name", "title" };

/*
 * The registered text as pieces: fixed text, or a run of adjacent
 * variables (fixed == NULL).  A run of v variables stands for v to
 * v * VAR_MAX characters of any kind, so it is one piece: matching then
 * only tries the ends where the next fixed text begins.
 */
struct piece {
	const char	*fixed;
	size_t		 len;	/* bytes of fixed text, or variables in the run */
};

struct pieces {
	struct piece	*pc;
	size_t		 n;
};

struct reply_templates {
	struct reply_template	*items;
	struct pieces		*compiled;	/* items[i]'s, for the check */
	size_t			*by_key;	/* items sorted by lang, key */
	size_t			 n, cap;
};

static void	pieces_parse(const char *registered, struct pieces *);
static int	match_pieces(const struct pieces *, const char *text);

unsigned
reply_templates_field_vars(const char *placeholder)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(wide_fields); i++)
		if (strcmp(placeholder, wide_fields[i]) == 0)
			return 2;
	return 1;
}

static size_t
codepoints(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

int
reply_templates_field_check(const char *placeholder, const char *value,
    char *err, size_t errlen)
{
	unsigned vars = reply_templates_field_vars(placeholder);
	size_t n = codepoints(value, strlen(value));

	if (n >= vars && n <= vars * REPLY_TEMPLATES_VAR_MAX)
		return 0;
	if (n < vars)
		util_err(err, errlen, "%s: %zu characters, at least %u (each "
		    "DLT variable holds 1 to %d)", placeholder, n, vars,
		    REPLY_TEMPLATES_VAR_MAX);
	else
		util_err(err, errlen, "%s: %zu characters, at most %u (%u DLT "
		    "variable%s of %d)", placeholder, n,
		    vars * REPLY_TEMPLATES_VAR_MAX, vars, vars > 1 ? "s" : "",
		    REPLY_TEMPLATES_VAR_MAX);
	return -1;
}

/*
 * Append prompt text as a template: each {placeholder} becomes as many
 * {#var#} as the field spans, except those of the name, value... list
 * fixed (NULL-terminated, may be NULL), which are fixed text.  A '{' that
 * opens no placeholder stays, as the renderer leaves it.
 */
static void
append_registered(struct buf *b, const char *text, const char *const *fixed)
{
	const char *s, *close, *const *f;
	char name[64];
	size_t len;
	unsigned v;

	for (s = text; *s != '\0'; ) {
		if (*s != '{' || (close = strchr(s + 1, '}')) == NULL ||
		    (len = (size_t)(close - s - 1)) == 0 ||
		    len >= sizeof(name) ||
		    strcspn(s + 1, "{ \n") < len) {
			buf_putc(b, *s++);
			continue;
		}
		memcpy(name, s + 1, len);
		name[len] = '\0';
		for (f = fixed; f != NULL && *f != NULL; f += 2)
			if (strcmp(f[0], name) == 0)
				break;
		if (f != NULL && *f != NULL)
			buf_puts(b, f[1]);
		else
			for (v = reply_templates_field_vars(name); v > 0; v--)
				buf_puts(b, DLT_VAR);
		s = close + 1;
	}
}

static void
add(struct reply_templates *t, const char *lang, const char *key,
    struct buf *reg)
{
	struct reply_template *it;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->items = xrealloc(t->items, t->cap * sizeof(*t->items));
	}
	it = &t->items[t->n++];
	it->key = xstrdup(key);
	it->lang = xstrdup(lang);
	it->category = CATEGORY;
	it->dlt_id = NULL;
	it->registered = buf_steal(reg);
}

/* The prompt, or NULL with the problem noted in *errors. */
static const char *
need(const struct prompts *p, const char *lang, const char *key,
    struct buf *errors, int *bad)
{
	const char *s = prompts_get(p, lang, key);

	if (s == NULL) {
		buf_printf(errors, "prompts: %s: no prompt %s (a reply "
		    "template needs it)\n", lang, key);
		*bad = 1;
	}
	return s;
}

static void
build_lang(struct reply_templates *t, const struct prompts *p,
    const struct district_table *d, const char *lang, struct buf *errors,
    int *bad)
{
	const char *a, *b, *entry, *note, *end, *head;
	char key[64], num[8];
	const char *fixed[] = { "n", NULL, NULL };
	const char *served[] = { "districts", NULL, NULL };
	struct buf reg, names;
	size_t i, k;
	unsigned n;
	int more;

	for (i = 0; i < SP_ARRAY_LEN(simple_keys); i++) {
		if ((a = need(p, lang, simple_keys[i], errors, bad)) == NULL)
			continue;
		buf_init(&reg, 0);
		append_registered(&reg, a, NULL);
		add(t, lang, simple_keys[i], &reg);
	}
	a = need(p, lang, "help.unknown", errors, bad);
	b = need(p, lang, "help.menu", errors, bad);
	if (a != NULL && b != NULL) {
		buf_init(&reg, 0);
		append_registered(&reg, a, NULL);
		buf_putc(&reg, ' ');
		append_registered(&reg, b, NULL);
		add(t, lang, "help.unknown", &reg);
	}
	a = need(p, lang, "district.unknown", errors, bad);
	b = need(p, lang, "district.unknown.served", errors, bad);
	if (a != NULL && b != NULL) {
		buf_init(&names, 0);
		for (i = 0; i < district_count(d); i++)
			buf_printf(&names, "%s%s", i > 0 ? ", " : "",
			    district_name(district_at(d, i), lang));
		served[1] = buf_cstr(&names);
		buf_init(&reg, 0);
		append_registered(&reg, a, NULL);
		buf_putc(&reg, ' ');
		append_registered(&reg, b, served);
		add(t, lang, "district.unknown", &reg);
		buf_free(&names);
	}
	entry = need(p, lang, "info.entry", errors, bad);
	note = need(p, lang, "info.more", errors, bad);
	end = need(p, lang, "info.end", errors, bad);
	for (k = 0; k < SP_ARRAY_LEN(lists); k++) {
		head = need(p, lang, lists[k].header, errors, bad);
		if (head == NULL || entry == NULL || note == NULL ||
		    end == NULL)
			continue;
		for (n = 1; n <= REPLY_TEMPLATES_PAGE_MAX; n++)
			for (more = 0; more <= 1; more++) {
				snprintf(num, sizeof(num), "%u", n);
				snprintf(key, sizeof(key), "%s.%u%s",
				    lists[k].stem, n, more ? ".more" : "");
				buf_init(&reg, 0);
				fixed[1] = num;
				append_registered(&reg, head, fixed);
				for (i = 0; i < n; i++) {
					buf_putc(&reg, '\n');
					append_registered(&reg, entry, NULL);
				}
				buf_putc(&reg, '\n');
				append_registered(&reg, more ? note : end,
				    NULL);
				add(t, lang, key, &reg);
			}
	}
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Ordered by language, then key: the order find_index bisects. */
static int
by_lang_key(const struct reply_template *a, const char *lang, const char *key)
{
	int c = strcmp(a->lang, lang);

	return c != 0 ? c : strcmp(a->key, key);
}

static void
index_templates(struct reply_templates *t)
{
	size_t i, j, k;

	t->by_key = xcalloc(t->n + 1, sizeof(*t->by_key));
	t->compiled = xcalloc(t->n + 1, sizeof(*t->compiled));
	/* Insertion sort: a hundred or so items, once at load. */
	for (i = 0; i < t->n; i++) {
		for (j = i; j > 0 && by_lang_key(&t->items[t->by_key[j - 1]],
		    t->items[i].lang, t->items[i].key) > 0; j--)
			t->by_key[j] = t->by_key[j - 1];
		t->by_key[j] = i;
	}
	for (k = 0; k < t->n; k++)
		pieces_parse(t->items[k].registered, &t->compiled[k]);
}

struct reply_templates *
reply_templates_new(const struct prompts *p, const struct district_table *d,
    struct buf *errors)
{
	struct reply_templates *t = xcalloc(1, sizeof(*t));
	size_t i, nl = prompts_language_count(p);
	const char **langs = xcalloc(nl + 1, sizeof(*langs));
	int bad = 0;

	for (i = 0; i < nl; i++)
		langs[i] = prompts_language_at(p, i);
	qsort(langs, nl, sizeof(*langs), str_ptr_cmp);
	for (i = 0; i < nl; i++)
		build_lang(t, p, d, langs[i], errors, &bad);
	free(langs);
	if (bad) {
		reply_templates_free(t);
		return NULL;
	}
	index_templates(t);
	return t;
}

void
reply_templates_free(struct reply_templates *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->items[i].key);
		free(t->items[i].lang);
		free(t->items[i].registered);
		free(t->items[i].dlt_id);
		if (t->compiled != NULL)
			free(t->compiled[i].pc);
	}
	free(t->compiled);
	free(t->by_key);
	free(t->items);
	free(t);
}

size_t
reply_templates_count(const struct reply_templates *t)
{
	return t->n;
}

const struct reply_template *
reply_templates_at(const struct reply_templates *t, size_t i)
{
	return i < t->n ? &t->items[i] : NULL;
}

/*
 * The index of the template of lang and key, t->n if none.  Every reply
 * sent asks this, so it bisects the sorted index.
 */
static size_t
find_index(const struct reply_templates *t, const char *lang,
    const char *key)
{
	size_t lo = 0, hi = t->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = by_lang_key(&t->items[t->by_key[mid]], lang, key);
		if (c == 0)
			return t->by_key[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return t->n;
}

const struct reply_template *
reply_templates_find(const struct reply_templates *t, const char *lang,
    const char *key)
{
	return reply_templates_at(t, find_index(t, lang, key));
}

/* ---- stakeholders ---- */

int
reply_templates_stakeholder_fit(const struct prompts *p, const char *lang,
    const struct stakeholder *s, struct buf *out)
{
	size_t nname = codepoints(s->name, strlen(s->name));
	size_t nphone = codepoints(s->phone, strlen(s->phone));
	int rc = 0;

	if (nname > 2 * REPLY_TEMPLATES_VAR_MAX) {
		buf_printf(out, "\"%s\": name is %zu characters, more than "
		    "two DLT variables hold (%d): it would be left out of "
		    "every reply; shorten it to %d characters at most\n",
		    s->name, nname, 2 * REPLY_TEMPLATES_VAR_MAX,
		    2 * REPLY_TEMPLATES_VAR_MAX);
		rc = 2;
	} else if (nname > REPLY_TEMPLATES_VAR_MAX) {
		buf_printf(out, "\"%s\": name is %zu characters, over one DLT "
		    "variable (%d): replies carry it over two, as:\n    ",
		    s->name, nname, REPLY_TEMPLATES_VAR_MAX);
		if (prompts_format(p, lang, "info.entry", out, "name", s->name,
		    "phone", s->phone, NULL) == -1)
			buf_printf(out, "%s %s", s->name, s->phone);
		buf_putc(out, '\n');
		rc = 1;
	}
	if (nphone > REPLY_TEMPLATES_VAR_MAX) {
		buf_printf(out, "\"%s\": phone is %zu characters, more than a "
		    "DLT variable holds (%d): it would be left out of every "
		    "reply; give one number\n", s->name, nphone,
		    REPLY_TEMPLATES_VAR_MAX);
		rc = 2;
	}
	return rc;
}

/* ---- template ids ---- */

static struct reply_template *
find_mut(struct reply_templates *t, const char *lang, const char *key)
{
	size_t i = find_index(t, lang, key);

	return i < t->n ? &t->items[i] : NULL;
}

int
reply_templates_load_ids(struct reply_templates *t, const char *path,
    struct buf *errors)
{
	struct reply_template *it;
	char *line = NULL, *s, *eq, *key, *id, *dot;
	size_t cap = 0, lineno = 0, before = errors->len;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		buf_printf(errors, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		s = confscan_trim(line);
		if (lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s = confscan_trim(s + 3);
		if (*s == '\0' || *s == '#')
			continue;
		if ((eq = strchr(s, '=')) == NULL) {
			buf_printf(errors, "%s:%zu: expected <template key>."
			    "<lang> = <DLT template id>\n", path, lineno);
			continue;
		}
		*eq = '\0';
		key = confscan_trim(s);
		id = confscan_trim(eq + 1);
		if ((dot = strrchr(key, '.')) == NULL || dot == key) {
			buf_printf(errors, "%s:%zu: %s: the key ends with the "
			    "language, e.g. %s.hi\n", path, lineno, key, key);
			continue;
		}
		*dot = '\0';
		if ((it = find_mut(t, dot + 1, key)) == NULL) {
			buf_printf(errors, "%s:%zu: no reply template %s in "
			    "language %s (`sampark templates --replies` lists "
			    "them)\n", path, lineno, key, dot + 1);
			continue;
		}
		if (*id == '\0' || strlen(id) > 30 ||
		    strspn(id, "0123456789") != strlen(id)) {
			buf_printf(errors, "%s:%zu: %s.%s: a DLT template id "
			    "is 1 to 30 digits, not \"%s\"\n", path, lineno,
			    key, dot + 1, id);
			continue;
		}
		if (it->dlt_id != NULL) {
			buf_printf(errors, "%s:%zu: %s.%s given twice\n", path,
			    lineno, key, dot + 1);
			continue;
		}
		it->dlt_id = xstrdup(id);
	}
	free(line);
	fclose(fp);
	return errors->len == before ? 0 : -1;
}

const struct reply_template *
reply_templates_check(const struct reply_templates *t, const char *lang,
    const char *key, const char *text, const char **why)
{
	size_t i = key == NULL ? t->n : find_index(t, lang, key);
	const struct reply_template *r = reply_templates_at(t, i);

	*why = key == NULL ? "it has no reply template" :
	    r == NULL ? "no template of that key" :
	    match_pieces(&t->compiled[i], text) == -1 ?
	    "the text does not match it" : NULL;
	return *why == NULL ? r : NULL;
}

/* ---- matching ---- */

static void
pieces_parse(const char *registered, struct pieces *out)
{
	size_t cap = 8, varlen = strlen(DLT_VAR);
	const char *s = registered, *v;

	out->n = 0;
	out->pc = xmalloc(cap * sizeof(*out->pc));
	while (*s != '\0') {
		if (out->n + 2 > cap) {
			cap *= 2;
			out->pc = xrealloc(out->pc, cap * sizeof(*out->pc));
		}
		v = strstr(s, DLT_VAR);
		if (v == NULL)
			v = s + strlen(s);
		if (v > s) {
			out->pc[out->n].fixed = s;
			out->pc[out->n++].len = (size_t)(v - s);
		}
		if (*v == '\0')
			break;
		if (out->n > 0 && out->pc[out->n - 1].fixed == NULL)
			out->pc[out->n - 1].len++;
		else {
			out->pc[out->n].fixed = NULL;
			out->pc[out->n++].len = 1;
		}
		s = v + varlen;
	}
}

/* Where one code point of text that starts at pos ends. */
static size_t
next_char(const char *text, size_t len, size_t pos)
{
	pos++;
	while (pos < len && ((unsigned char)text[pos] & 0xc0) == 0x80)
		pos++;
	return pos;
}

/*
 * Does text[pos..] match pieces k..?  failed is a bit per (piece, pos)
 * already known not to: with it no state is tried twice, so a template
 * of many runs costs no backtracking blow-up.
 */
static int
match_from(const struct pieces *p, size_t k, const char *text, size_t len,
    size_t pos, unsigned char *failed)
{
	const struct piece *pc, *next;
	size_t bit, end, chars, min, max;

	for (;;) {
		if (k == p->n)
			return pos == len;
		pc = &p->pc[k];
		if (pc->fixed == NULL)
			break;
		if (len - pos < pc->len ||
		    memcmp(text + pos, pc->fixed, pc->len) != 0)
			return 0;
		pos += pc->len;
		k++;
	}
	bit = k * (len + 1) + pos;
	if (failed[bit / 8] & (1u << (bit % 8)))
		return 0;
	min = pc->len;
	max = pc->len * REPLY_TEMPLATES_VAR_MAX;
	next = k + 1 < p->n ? &p->pc[k + 1] : NULL;
	for (end = pos, chars = 0; end < len && chars < max; ) {
		end = next_char(text, len, end);
		if (++chars < min)
			continue;
		if (next == NULL) {
			if (end == len)
				return 1;
		} else if (len - end >= next->len &&
		    text[end] == next->fixed[0] &&
		    match_from(p, k + 1, text, len, end, failed))
			return 1;
	}
	failed[bit / 8] |= (unsigned char)(1u << (bit % 8));
	return 0;
}

static int
match_pieces(const struct pieces *p, const char *text)
{
	size_t len = strlen(text), bytes = (p->n * (len + 1) + 7) / 8;
	unsigned char small[512], *failed = small;
	int ok;

	if (bytes > sizeof(small))
		failed = xmalloc(bytes);
	memset(failed, 0, bytes);
	ok = match_from(p, 0, text, len, 0, failed);
	if (failed != small)
		free(failed);
	return ok ? 0 : -1;
}

int
reply_templates_match(const char *registered, const char *text)
{
	struct pieces p;
	int rc;

	pieces_parse(registered, &p);
	rc = match_pieces(&p, text);
	free(p.pc);
	return rc;
}
