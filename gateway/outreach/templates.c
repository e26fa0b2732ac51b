/*
 * templates: load config/templates.conf, render a template's text with its
 * variables, and match a message against its registered DLT text the way
 * an operator's scrubber does.  See templates.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confscan.h"
#include "templates.h"
#include "text.h"
#include "util.h"

#define DLT_TOKEN	"{#var#}"
#define DLT_TOKEN_LEN	(sizeof(DLT_TOKEN) - 1)

struct templates_table {
	struct template	*t;
	size_t		 n;
};

struct templates_parse {
	struct confscan_errors err;
	struct templates_table *tab;
	struct template	*cur;		/* section being read, or NULL */
	size_t		 cur_line;
	int		 cur_category;	/* category given */
};

static const char *const category_names[] = {
	[TEMPLATES_TRANSACTIONAL] = "transactional",
	[TEMPLATES_SERVICE] = "service",
	[TEMPLATES_PROMOTIONAL] = "promotional",
};

const char *
templates_category_name(enum templates_category c)
{
	return (size_t)c < SP_ARRAY_LEN(category_names) ?
	    category_names[c] : "?";
}

/* [a-z][a-z0-9_-]* up to 64, with extra allowed characters. */
static int
valid_name(const char *s, const char *extra)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 64 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr(extra, s[i])))
			return 0;
	return 1;
}

static int
valid_lang(const char *s)
{
	size_t n = strlen(s);

	/* ISO 639-1 or -2 codes: hi, en, bho, mai... */
	return n >= 2 && n <= 3 && strspn(s, "abcdefghijklmnopqrstuvwxyz") == n;
}

static void
text_clear(struct templates_text *tt)
{
	size_t i;

	free(tt->text);
	free(tt->registered);
	free(tt->dlt_id);
	for (i = 0; i < tt->nvars; i++)
		free(tt->vars[i]);
}

static void
template_clear(struct template *t)
{
	size_t i;

	free(t->key);
	free(t->header);
	free(t->numeric);
	for (i = 0; i < t->ntexts; i++)
		text_clear(&t->texts[i]);
	free(t->texts);
}

void
templates_free(struct templates_table *tab)
{
	size_t i;

	if (tab == NULL)
		return;
	for (i = 0; i < tab->n; i++)
		template_clear(&tab->t[i]);
	free(tab->t);
	free(tab);
}

static struct templates_text *
text_get(struct template *t, const char *lang, int create)
{
	size_t i;

	for (i = 0; i < t->ntexts; i++)
		if (strcmp(t->texts[i].lang, lang) == 0)
			return &t->texts[i];
	if (!create)
		return NULL;
	t->texts = xreallocarray(t->texts, t->ntexts + 1, sizeof(*t->texts));
	memset(&t->texts[t->ntexts], 0, sizeof(*t->texts));
	util_strlcpy(t->texts[t->ntexts].lang, lang, sizeof(t->texts[0].lang));
	return &t->texts[t->ntexts++];
}

/*
 * Read the {#name#} placeholders of tt->text into tt->vars and build the
 * registered form.  0, or -1 with the reason in err.
 */
static int
parse_text(struct templates_text *tt, char *err, size_t errlen)
{
	const char *p = tt->text, *open, *close;
	struct buf reg;
	size_t fixed = 0;
	char name[80];

	if (!text_utf8_valid(p, strlen(p))) {
		util_err(err, errlen, "text is not valid UTF-8");
		return -1;
	}
	buf_init(&reg, 0);
	while ((open = strstr(p, "{#")) != NULL) {
		fixed += (size_t)(open - p);
		buf_append(&reg, p, (size_t)(open - p));
		if ((close = strstr(open + 2, "#}")) == NULL ||
		    (size_t)(close - open - 2) >= sizeof(name)) {
			util_err(err, errlen, "\"{#\" without its \"#}\"");
			goto fail;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 2),
		    open + 2);
		if (strcmp(name, "var") == 0 || !valid_name(name, "_")) {
			util_err(err, errlen, "placeholder {#%s#}: name each "
			    "variable, {#name#} with a-z 0-9 _ (it is "
			    "registered as {#var#})", name);
			goto fail;
		}
		if (tt->nvars == TEMPLATES_MAX_VARS) {
			util_err(err, errlen, "more than %d variables",
			    TEMPLATES_MAX_VARS);
			goto fail;
		}
		tt->vars[tt->nvars++] = xstrdup(name);
		buf_puts(&reg, DLT_TOKEN);
		p = close + 2;
	}
	fixed += strlen(p);
	buf_puts(&reg, p);
	/* DLT refuses a template that is only variables. */
	if (fixed == 0) {
		util_err(err, errlen, "a template cannot be only variables");
		goto fail;
	}
	tt->registered = buf_steal(&reg);
	return 0;
fail:
	buf_free(&reg);
	return -1;
}

/* Check the section just read; drop it if it is broken. */
static void
section_end(struct templates_parse *p)
{
	struct template *t = p->cur;
	struct confscan_errors *e = &p->err;
	size_t at = p->cur_line, i;
	int before = e->n;

	if (t == NULL)
		return;
	if (!p->cur_category)
		confscan_error_at(e, at, "[%s]: no category (transactional, "
		    "service or promotional)", t->key);
	if (t->header == NULL)
		confscan_error_at(e, at, "[%s]: no header", t->key);
	if (t->ntexts == 0)
		confscan_error_at(e, at, "[%s]: no text (e.g. en = ...)",
		    t->key);
	for (i = 0; i < t->ntexts; i++) {
		if (t->texts[i].text == NULL)
			confscan_error_at(e, at, "[%s]: %s.dlt_id without "
			    "an %s text", t->key, t->texts[i].lang,
			    t->texts[i].lang);
		else if (t->texts[i].dlt_id == NULL)
			confscan_error_at(e, at, "[%s]: %s has no %s.dlt_id",
			    t->key, t->texts[i].lang, t->texts[i].lang);
	}
	if (t->numeric != NULL && e->n == before) {
		char *list = xstrdup(t->numeric), *tok, *save = NULL;

		for (tok = strtok_r(list, ", ", &save); tok != NULL;
		    tok = strtok_r(NULL, ", ", &save))
			if (!templates_has_var(t, tok))
				confscan_error_at(e, at, "[%s]: numeric names "
				    "\"%s\", which no text uses", t->key, tok);
		free(list);
	}
	if (e->n != before) {
		template_clear(t);
		p->tab->n--;
	}
	p->cur = NULL;
}

static void
section_begin(void *arg, struct confscan_line *ln)
{
	struct templates_parse *p = arg;
	const char *name = ln->name;
	struct template *t;

	/* A broken header leaves the template before it open. */
	if (name == NULL) {
		confscan_error(&p->err, "expected [template]");
		return;
	}
	section_end(p);
	if (!valid_name(name, "_-")) {
		confscan_error(&p->err, "template key \"%s\": use a-z 0-9 _ -",
		    name);
		return;
	}
	if (templates_find(p->tab, name) != NULL) {
		confscan_error(&p->err, "template [%s] defined twice", name);
		return;
	}
	p->tab->t = xreallocarray(p->tab->t, p->tab->n + 1,
	    sizeof(*p->tab->t));
	t = &p->tab->t[p->tab->n++];
	memset(t, 0, sizeof(*t));
	t->key = xstrdup(name);
	p->cur = t;
	p->cur_line = p->err.line;
	p->cur_category = 0;
}

static void
set_once(struct templates_parse *p, char **field, const char *key, const char *v)
{
	if (*field != NULL) {
		confscan_error(&p->err, "%s given twice", key);
		return;
	}
	*field = xstrdup(v);
}

static void
key_value(struct templates_parse *p, const char *key, const char *v)
{
	struct template *t = p->cur;
	char lang[16], err[256];
	const char *dot = strchr(key, '.');
	struct templates_text *tt;
	size_t i;

	if (strcmp(key, "category") == 0) {
		for (i = 0; i < SP_ARRAY_LEN(category_names); i++)
			if (strcmp(v, category_names[i]) == 0)
				break;
		if (i == SP_ARRAY_LEN(category_names))
			confscan_error(&p->err, "category \"%s\": use "
			    "transactional, service or promotional", v);
		else if (p->cur_category)
			confscan_error(&p->err, "category given twice");
		t->category = (enum templates_category)i;
		p->cur_category = 1;
	} else if (strcmp(key, "header") == 0) {
		if (*v == '\0' || strlen(v) > 11)
			confscan_error(&p->err, "header \"%s\": 1 to 11 "
			    "characters", v);
		else
			set_once(p, &t->header, key, v);
	} else if (strcmp(key, "numeric") == 0) {
		set_once(p, &t->numeric, key, v);
	} else if (dot != NULL && strcmp(dot, ".dlt_id") == 0 &&
	    (size_t)(dot - key) < sizeof(lang)) {
		snprintf(lang, sizeof(lang), "%.*s", (int)(dot - key), key);
		if (!valid_lang(lang) || *v == '\0' || strlen(v) > 30 ||
		    strspn(v, "0123456789") != strlen(v)) {
			confscan_error(&p->err, "%s: a DLT template id is 1 to "
			    "30 digits", key);
			return;
		}
		set_once(p, &text_get(t, lang, 1)->dlt_id, key, v);
	} else if (dot == NULL && valid_lang(key)) {
		tt = text_get(t, key, 1);
		if (tt->text != NULL) {
			confscan_error(&p->err, "%s text given twice", key);
			return;
		}
		tt->text = xstrdup(v);
		if (*v == '\0' || parse_text(tt, err, sizeof(err)) == -1)
			confscan_error(&p->err, "%s text: %s", key,
			    *v == '\0' ? "empty" : err);
	} else {
		confscan_error(&p->err, "unknown key \"%s\" (category, header, "
		    "numeric, <lang>, <lang>.dlt_id)", key);
	}
}

static void
key_line(void *arg, struct confscan_line *ln)
{
	struct templates_parse *p = arg;

	if (p->cur == NULL) {
		/* A line of a broken section was reported with it. */
		if (p->err.n == 0)
			confscan_error(&p->err, "key outside a [template]");
		return;
	}
	key_value(p, ln->name, ln->value);
}

/*
 * Not CONFSCAN_UTF8: a text's own check words it better ("en text: ..."),
 * and a comment in another encoding has always been let through.
 */
static const struct confscan_syntax templates_syntax = {
	.comment = "#;",
	.section = section_begin,
	.key = key_line,
};

struct templates_table *
templates_load(const char *path, struct buf *errors)
{
	struct templates_parse p;

	memset(&p, 0, sizeof(p));
	p.err.out = errors;
	p.tab = xcalloc(1, sizeof(*p.tab));
	if (confscan_file(path, &templates_syntax, &p, &p.err) == -1) {
		confscan_error_file(&p.err, "cannot open the templates file");
		templates_free(p.tab);
		return NULL;
	}
	section_end(&p);
	if (p.err.n != 0) {
		templates_free(p.tab);
		return NULL;
	}
	return p.tab;
}

const struct template *
templates_find(const struct templates_table *tab, const char *key)
{
	size_t i;

	for (i = 0; tab != NULL && i < tab->n; i++)
		if (strcmp(tab->t[i].key, key) == 0)
			return &tab->t[i];
	return NULL;
}

size_t
templates_count(const struct templates_table *tab)
{
	return tab != NULL ? tab->n : 0;
}

const struct template *
templates_at(const struct templates_table *tab, size_t i)
{
	return i < templates_count(tab) ? &tab->t[i] : NULL;
}

const struct templates_text *
templates_text_for(const struct template *t, const char *lang)
{
	size_t i;

	for (i = 0; lang != NULL && i < t->ntexts; i++)
		if (strcmp(t->texts[i].lang, lang) == 0)
			return &t->texts[i];
	return &t->texts[0];
}

int
templates_has_var(const struct template *t, const char *name)
{
	size_t i, j;

	for (i = 0; i < t->ntexts; i++)
		for (j = 0; j < t->texts[i].nvars; j++)
			if (strcmp(t->texts[i].vars[j], name) == 0)
				return 1;
	return 0;
}

static int
is_numeric_var(const struct template *t, const char *name)
{
	const char *p = t->numeric;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		p += strspn(p, ", ");
		if (strncmp(p, name, n) == 0 && (p[n] == '\0' || p[n] == ',' ||
		    p[n] == ' '))
			return 1;
		p += strcspn(p, ", ");
	}
	return 0;
}

/* What the scrubber would refuse in one value. */
static int
check_value(const struct template *t, const char *name, const char *v,
    char *err, size_t errlen)
{
	size_t n, i;

	if (!text_utf8_valid(v, strlen(v))) {
		util_err(err, errlen, "variable %s: not valid UTF-8", name);
		return -1;
	}
	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			util_err(err, errlen, "variable %s: no line breaks or "
			    "control characters in a variable", name);
			return -1;
		}
	if (strstr(v, "{#") != NULL) {
		util_err(err, errlen, "variable %s: must not contain \"{#\"",
		    name);
		return -1;
	}
	if ((n = text_codepoints(v)) > TEMPLATES_VAR_MAX) {
		util_err(err, errlen, "variable %s: %zu characters, at most %d "
		    "(the DLT limit per variable)", name, n, TEMPLATES_VAR_MAX);
		return -1;
	}
	if (is_numeric_var(t, name) && (*v == '\0' ||
	    strspn(v, "0123456789") != strlen(v))) {
		util_err(err, errlen, "variable %s: digits only (put units "
		    "such as Rs in the fixed text)", name);
		return -1;
	}
	return 0;
}

static const char *
value_of(const struct templates_var *vars, size_t nvars, const char *name)
{
	size_t i;

	for (i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, name) == 0)
			return vars[i].value;
	return NULL;
}

char *
templates_render(const struct template *t, const struct templates_text *tt,
    const struct templates_var *vars, size_t nvars, char *err, size_t errlen)
{
	const char *p = tt->text, *open, *close, *v;
	char reason[256];
	struct buf out;
	size_t i, j;

	for (i = 0; i < nvars; i++) {
		if (vars[i].name == NULL || vars[i].value == NULL ||
		    !templates_has_var(t, vars[i].name)) {
			util_err(err, errlen, "template %s has no variable "
			    "\"%s\"", t->key, vars[i].name ? vars[i].name : "");
			return NULL;
		}
		for (j = 0; j < i; j++)
			if (strcmp(vars[i].name, vars[j].name) == 0) {
				util_err(err, errlen, "variable %s given twice",
				    vars[i].name);
				return NULL;
			}
		if (check_value(t, vars[i].name, vars[i].value, err,
		    errlen) == -1)
			return NULL;
	}
	for (i = 0; i < tt->nvars; i++)
		if (value_of(vars, nvars, tt->vars[i]) == NULL) {
			util_err(err, errlen, "template %s (%s) needs variable "
			    "%s", t->key, tt->lang, tt->vars[i]);
			return NULL;
		}
	buf_init(&out, 0);
	while ((open = strstr(p, "{#")) != NULL &&
	    (close = strstr(open + 2, "#}")) != NULL) {
		char name[80];

		buf_append(&out, p, (size_t)(open - p));
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 2),
		    open + 2);
		v = value_of(vars, nvars, name);
		buf_puts(&out, v != NULL ? v : "");
		p = close + 2;
	}
	buf_puts(&out, p);
	/* The scrubber's own check, on what would really be sent. */
	if (templates_scrub_check(tt->registered, buf_cstr(&out), reason,
	    sizeof(reason)) == -1) {
		util_err(err, errlen, "template %s (%s) would not match its DLT "
		    "text: %s", t->key, tt->lang, reason);
		buf_free(&out);
		return NULL;
	}
	return buf_steal(&out);
}

/* Byte length of the first up to max code points of s that are not line
 * breaks, as offsets: ends[k] = bytes of the first k code points. */
static size_t
var_ends(const char *s, size_t *ends, size_t max)
{
	size_t k = 0, off = 0;

	ends[0] = 0;
	while (k < max && s[off] != '\0' && s[off] != '\n' && s[off] != '\r') {
		off++;
		while (((unsigned char)s[off] & 0xc0) == 0x80)
			off++;
		ends[++k] = off;
	}
	return k;
}

int
templates_scrub_check(const char *registered, const char *message, char *err,
    size_t errlen)
{
	size_t len = strlen(message), ends[TEMPLATES_VAR_MAX + 1], far = 0, k, i, j;
	unsigned char *reach, *next;
	const char *seg = registered, *tok;
	int ok = 0;

	/* reach[p]: the registered text so far can match message[0..p). */
	reach = xcalloc(len + 1, 1);
	next = xcalloc(len + 1, 1);
	reach[0] = 1;
	for (;;) {
		size_t flen;

		tok = strstr(seg, DLT_TOKEN);
		flen = tok != NULL ? (size_t)(tok - seg) : strlen(seg);
		memset(next, 0, len + 1);
		for (i = 0; i <= len; i++) {
			size_t m = 0;

			if (!reach[i])
				continue;
			while (m < flen && i + m < len &&
			    message[i + m] == seg[m])
				m++;
			if (m == flen)
				next[i + flen] = 1;
			if (i + m > far)
				far = i + m;
		}
		memcpy(reach, next, len + 1);
		if (tok == NULL)
			break;
		/* {#var#}: 0..TEMPLATES_VAR_MAX characters, no line break. */
		memset(next, 0, len + 1);
		for (i = 0; i <= len; i++) {
			if (!reach[i])
				continue;
			k = var_ends(message + i, ends, TEMPLATES_VAR_MAX);
			for (j = 0; j <= k; j++)
				next[i + ends[j]] = 1;
		}
		memcpy(reach, next, len + 1);
		seg = tok + DLT_TOKEN_LEN;
	}
	ok = reach[len];
	free(reach);
	free(next);
	if (!ok)
		util_err(err, errlen, "the fixed text differs from the "
		    "registered one at byte %zu (or a variable is longer than "
		    "%d characters)", far, TEMPLATES_VAR_MAX);
	return ok ? 0 : -1;
}
