/*
 * stakeholder_rows: a directory row checked as people write it, and what
 * an import changes (stakeholder_rows.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "contact_rows.h"
#include "crypto.h"
#include "csv.h"
#include "district.h"
#include "keywords.h"
#include "phone.h"
#include "records.h"
#include "reply_templates.h"
#include "resolve.h"
#include "sheet_cells.h"
#include "stakeholder_rows.h"
#include "store.h"
#include "text.h"
#include "util.h"

static const char *const col_names[SC_COUNT] = { "name", "category",
    "district", "phone", "languages", "description_en", "description_hi" };

/* Other headings a sheet uses, normalised (text_normalize). */
static const struct sheet_cells_alias col_aliases[] = {
	{ "naam", SC_NAME }, { "नाम", SC_NAME }, { "office", SC_NAME },
	{ "stakeholder", SC_NAME }, { "organisation", SC_NAME },
	{ "organization", SC_NAME },
	{ "type", SC_CATEGORY }, { "shreni", SC_CATEGORY },
	{ "श्रेणी", SC_CATEGORY }, { "service", SC_CATEGORY },
	{ "zila", SC_DISTRICT }, { "jila", SC_DISTRICT },
	{ "ज़िला", SC_DISTRICT }, { "जिला", SC_DISTRICT },
	{ "mobile", SC_PHONE }, { "phone number", SC_PHONE },
	{ "mobile number", SC_PHONE }, { "number", SC_PHONE },
	{ "फ़ोन", SC_PHONE }, { "फोन", SC_PHONE }, { "मोबाइल", SC_PHONE },
	{ "language", SC_LANGUAGES }, { "bhasha", SC_LANGUAGES },
	{ "भाषा", SC_LANGUAGES },
	{ "description", SC_DESCRIPTION_EN },
	{ "description en", SC_DESCRIPTION_EN },
	{ "details", SC_DESCRIPTION_EN },
	{ "description hi", SC_DESCRIPTION_HI },
	{ "description hindi", SC_DESCRIPTION_HI },
	{ "hindi description", SC_DESCRIPTION_HI },
	{ "विवरण", SC_DESCRIPTION_HI },
};

const char *
stakeholder_rows_column_name(enum stakeholder_col c)
{
	return (size_t)c < SC_COUNT ? col_names[c] : "?";
}

int
stakeholder_rows_column_of(const char *header)
{
	return sheet_cells_column(header, col_names, SC_COUNT, col_aliases,
	    SP_ARRAY_LEN(col_aliases));
}

/* Where each column lives in a record: the one mapping, read by
 * stakeholder_rows_cells and written by field(). */
static const size_t col_field[SC_COUNT] = {
	[SC_NAME] = offsetof(struct stakeholder, name),
	[SC_CATEGORY] = offsetof(struct stakeholder, category),
	[SC_DISTRICT] = offsetof(struct stakeholder, district),
	[SC_PHONE] = offsetof(struct stakeholder, phone),
	[SC_LANGUAGES] = offsetof(struct stakeholder, languages),
	[SC_DESCRIPTION_EN] = offsetof(struct stakeholder, description_en),
	[SC_DESCRIPTION_HI] = offsetof(struct stakeholder, description_hi),
};

static char **
field(struct stakeholder *r, size_t c)
{
	return (char **)(void *)((char *)r + col_field[c]);
}

void
stakeholder_rows_cells(const struct stakeholder *r, const char *v[SC_COUNT])
{
	size_t c;

	for (c = 0; c < SC_COUNT; c++)
		v[c] = *(char *const *)(const void *)((const char *)r +
		    col_field[c]);
}

void
stakeholder_rows_csv(struct buf *out, const struct stakeholder *rows,
    size_t n)
{
	const char *v[SC_COUNT];
	size_t i, c;

	for (c = 0; c < SC_COUNT; c++)
		buf_printf(out, "%s%s", c ? "," : "", col_names[c]);
	buf_puts(out, "\r\n");
	for (i = 0; i < n; i++) {
		stakeholder_rows_cells(&rows[i], v);
		for (c = 0; c < SC_COUNT; c++) {
			if (c > 0)
				buf_putc(out, ',');
			csv_put_cell(out, v[c]);
		}
		buf_puts(out, "\r\n");
	}
}

struct check {
	struct sheet_cells_check sc;	/* first: emit() is handed it */
	void	(*problem)(void *, enum stakeholder_col, const char *);
	void	*arg;
};

static void
emit(struct sheet_cells_check *sc, int col, const char *msg)
{
	struct check *ck = (struct check *)sc;

	ck->problem(ck->arg, (enum stakeholder_col)col, msg);
}

/* A keyword answered from the directory (handler info) has a category. */
const char *
stakeholder_rows_category(const struct keywords_table *kw, const char *cell)
{
	const struct keyword *k;
	const char *cat = NULL;
	char *n;
	size_t i;
	int fuzzy;

	if ((n = text_normalize(cell, strlen(cell))) == NULL || *n == '\0') {
		free(n);
		return NULL;
	}
	for (i = 0; cat == NULL && i < keywords_count(kw); i++) {
		k = keywords_at(kw, i);
		if (k->category != NULL && k->handler != NULL &&
		    strcmp(k->handler, "info") == 0 &&
		    strcmp(k->category, n) == 0)
			cat = k->category;
	}
	if (cat == NULL && keywords_match(kw, n, &k, &fuzzy) == 1 &&
	    k->category != NULL && k->handler != NULL &&
	    strcmp(k->handler, "info") == 0)
		cat = k->category;
	free(n);
	return cat;
}

static void
categories(const struct keywords_table *kw, char *out, size_t len)
{
	const struct keyword *k;
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < keywords_count(kw) && used + 1 < len; i++) {
		k = keywords_at(kw, i);
		if (k->category != NULL && k->handler != NULL &&
		    strcmp(k->handler, "info") == 0)
			used += (size_t)snprintf(out + used, len - used, "%s%s",
			    used ? ", " : "", k->category);
	}
}

/* Languages a stakeholder in these states may speak, by ISO 639 code
 * and by name (Hindi and English are contact_rows_language's). */
static const char *const language_names[][2] = {
	{ "awa", "awadhi" }, { "bho", "bhojpuri" }, { "bn", "bengali" },
	{ "bn", "bangla" }, { "mag", "magahi" }, { "mai", "maithili" },
	{ "ne", "nepali" }, { "pa", "punjabi" }, { "ur", "urdu" },
};

/* A word that joins languages ("Hindi and English"), not one. */
static int
joining_word(const char *w)
{
	return strcmp(w, "and") == 0 || strcmp(w, "aur") == 0 ||
	    strcmp(w, "or") == 0 || strcmp(w, "&") == 0;
}

static const char *
language_code(const char *w)
{
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(language_names); i++)
		if (strcmp(w, language_names[i][0]) == 0 ||
		    strcmp(w, language_names[i][1]) == 0)
			return language_names[i][0];
	return NULL;
}

/* code is one of the '|'-separated codes of list. */
static int
has_code(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *s;

	for (s = list; (s = strstr(s, code)) != NULL; s += n)
		if ((s == list || s[-1] == '|') && (s[n] == '\0' ||
		    s[n] == '|'))
			return 1;
	return 0;
}

/* "hi|en" from "Hindi; English", "hi, en", "HI|EN", "Hindi and Urdu";
 * NULL with the word that is no language in bad. */
static char *
languages_of(const char *cell, char *bad, size_t badlen)
{
	char *copy = xstrdup(cell), *p, *next, *w;
	const char *code;
	struct buf out;
	size_t i, n;

	buf_init(&out, 0);
	for (p = copy; p != NULL; p = next) {
		if ((next = strpbrk(p, "|,;/ ")) != NULL)
			*next++ = '\0';
		w = sheet_cells_trimmed(p);
		if (*w == '\0') {
			free(w);
			continue;
		}
		if ((code = contact_rows_language(w)) == NULL) {
			n = strlen(w);
			for (i = 0; i < n; i++)
				if (w[i] >= 'A' && w[i] <= 'Z')
					w[i] = (char)(w[i] | 0x20);
			if (joining_word(w)) {
				free(w);
				continue;
			}
			code = language_code(w);
		}
		if (code == NULL) {
			util_strlcpy(bad, w, badlen);
			free(w);
			buf_free(&out);
			free(copy);
			return NULL;
		}
		/* Once each, in the order written. */
		if (!has_code(buf_cstr(&out), code))
			buf_printf(&out, "%s%s", out.len ? "|" : "", code);
		free(w);
	}
	free(copy);
	return buf_steal(&out);
}

/* reply_templates_field_check's message without its "field: ", which
 * the report of a cell already names. */
static const char *
unprefixed(const char *why)
{
	const char *s = strstr(why, ": ");

	return s != NULL ? s + 2 : why;
}

int
stakeholder_rows_check(const struct keywords_table *kw,
    const struct district_table *dt, const char *cc,
    const char *const cells[SC_COUNT], struct stakeholder *out,
    void (*problem)(void *, enum stakeholder_col, const char *), void *arg)
{
	struct check ck = { { emit, 0 }, problem, arg };
	struct stakeholder r;
	const struct district *d;
	const char *cat;
	char *v[SC_COUNT], e164[PHONE_E164_MAX + 1], why[512], list[256];
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	for (i = 0; i < SC_COUNT; i++)
		v[i] = sheet_cells_trimmed(cells[i]);
	if (v[SC_NAME][0] == '\0')
		sheet_cells_report(&ck.sc, SC_NAME, "the name is empty");
	else if (strlen(v[SC_NAME]) > STAKEHOLDER_NAME_MAX)
		sheet_cells_report(&ck.sc, SC_NAME,
		    "the name is longer than %d bytes", STAKEHOLDER_NAME_MAX);
	/* Longer than its DLT variables hold, no reply could name her
	 * office: refused on every way in, not kept to be left out. */
	else if (reply_templates_field_check("name", v[SC_NAME], why,
	    sizeof(why)) == -1)
		sheet_cells_report(&ck.sc, SC_NAME, "%s: no reply could "
		    "carry it; shorten the name (e.g. drop the district, "
		    "which the reply names)", unprefixed(why));
	if ((cat = stakeholder_rows_category(kw, v[SC_CATEGORY])) == NULL) {
		categories(kw, list, sizeof(list));
		sheet_cells_report(&ck.sc, SC_CATEGORY,
		    "%s \"%s\": the categories are %s",
		    v[SC_CATEGORY][0] ? "no category" : "no category given",
		    v[SC_CATEGORY], list);
	}
	if (strcmp(v[SC_DISTRICT], "*") == 0 ||
	    strcmp(v[SC_DISTRICT], "all") == 0 ||
	    strcmp(v[SC_DISTRICT], "All") == 0)
		r.district = xstrdup("*");
	else if (resolve_district(dt, v[SC_DISTRICT], &d, why,
	    sizeof(why)) == 1)
		r.district = xstrdup(d->key);
	else
		sheet_cells_report(&ck.sc, SC_DISTRICT,
		    "%s (or * for every district)", why);
	if (phone_to_e164(v[SC_PHONE], cc, e164, sizeof(e164), why,
	    sizeof(why)) == -1)
		sheet_cells_report(&ck.sc, SC_PHONE, "bad phone \"%s\": %s",
		    v[SC_PHONE], why);
	else if (reply_templates_field_check("phone", e164, why,
	    sizeof(why)) == -1)
		sheet_cells_report(&ck.sc, SC_PHONE, "%s: no reply could "
		    "carry it; give one number", unprefixed(why));
	else
		r.phone = xstrdup(e164);
	if ((r.languages = languages_of(v[SC_LANGUAGES], why,
	    sizeof(why))) == NULL)
		sheet_cells_report(&ck.sc, SC_LANGUAGES,
		    "\"%s\" is no language: write languages as hi|en or "
		    "Hindi, English", why);
	if (ck.sc.n == 0) {
		r.name = v[SC_NAME];
		r.category = xstrdup(cat);
		r.description_en = v[SC_DESCRIPTION_EN];
		r.description_hi = v[SC_DESCRIPTION_HI];
		v[SC_NAME] = v[SC_DESCRIPTION_EN] = v[SC_DESCRIPTION_HI] = NULL;
		*out = r;
	} else {
		free(r.district);
		free(r.phone);
		free(r.languages);
	}
	for (i = 0; i < SC_COUNT; i++)
		free(v[i]);
	return ck.sc.n;
}

/* A cell's problem, passed on with the line being read. */
struct sheet_check {
	void		(*problem)(void *, size_t, int, const char *,
			    const char *);
	void		*arg;
	size_t		 line;
	const char	*const *cells;
	size_t		 n;
};

static void
sheet_problem(void *arg, enum stakeholder_col col, const char *msg)
{
	struct sheet_check *sc = arg;

	sc->problem(sc->arg, sc->line, (int)col, sc->cells ? sc->cells[col] :
	    NULL, msg);
	sc->n++;
}

static void
map_headers(struct stakeholder_sheet *sh, char **f, size_t nf,
    const char *const *given_headers, const char *const *given_cols,
    size_t ngiven, struct sheet_check *sc)
{
	char msg[256];
	size_t i, j;
	int c, given;

	for (i = 0; i < SC_COUNT; i++)
		sh->map[i] = -1;
	sh->headers = xcalloc(nf + 1, sizeof(*sh->headers));
	for (i = 0; i < nf; i++) {
		sh->headers[sh->nheaders++] = xstrdup(f[i]);
		c = -1;
		given = 0;
		for (j = 0; !given && j < ngiven; j++)
			if (strcmp(given_headers[j], f[i]) == 0) {
				given = 1;
				if (given_cols[j] != NULL && (c =
				    stakeholder_rows_column_of(given_cols[j]))
				    == -1) {
					snprintf(msg, sizeof(msg),
					    "\"%s\" is no column",
					    given_cols[j]);
					sc->problem(sc->arg, 1, -1, f[i], msg);
					sc->n++;
				}
			}
		if (!given)
			c = stakeholder_rows_column_of(f[i]);
		if (c != -1 && sh->map[c] != -1) {
			snprintf(msg, sizeof(msg), "two columns are %s: \"%s\" "
			    "and \"%s\"", col_names[c], f[sh->map[c]], f[i]);
			sc->problem(sc->arg, 1, c, f[i], msg);
			sc->n++;
			continue;
		}
		if (c != -1)
			sh->map[c] = (int)i;
	}
	for (i = 0; i < SC_COUNT; i++)
		if (sh->map[i] == -1 && i != SC_DESCRIPTION_EN &&
		    i != SC_DESCRIPTION_HI && i != SC_LANGUAGES) {
			snprintf(msg, sizeof(msg), "no column holds the %s: "
			    "choose it", col_names[i]);
			sc->problem(sc->arg, 1, (int)i, NULL, msg);
			sc->n++;
		}
}

int
stakeholder_rows_read(const struct keywords_table *kw,
    const struct district_table *dt, const char *cc, const char *csv,
    size_t len, const char *const *given_headers,
    const char *const *given_cols, size_t ngiven,
    struct stakeholder_sheet *sh,
    void (*problem)(void *, size_t, int, const char *, const char *),
    void *arg)
{
	struct sheet_check sc = { problem, arg, 0, NULL, 0 };
	struct csv_reader *r;
	const char *cells[SC_COUNT];
	struct stakeholder row;
	char err[256], msg[96], **f;
	size_t nf, line, i;
	int rc, first = 1;

	memset(sh, 0, sizeof(*sh));
	r = csv_open_mem(csv, len);
	while ((rc = csv_next(r, &f, &nf, &line, err, sizeof(err))) != 0) {
		sc.line = line;
		sc.cells = NULL;
		if (rc == -1) {
			problem(arg, line, -1, NULL, err);
			sc.n++;
			continue;
		}
		if (first) {
			first = 0;
			map_headers(sh, f, nf, given_headers, given_cols,
			    ngiven, &sc);
			continue;
		}
		sh->nrows++;
		for (i = 0; i < SC_COUNT; i++)
			cells[i] = sh->map[i] >= 0 && (size_t)sh->map[i] < nf ?
			    f[sh->map[i]] : NULL;
		sc.cells = cells;
		if (stakeholder_rows_check(kw, dt, cc, cells, &row,
		    sheet_problem, &sc) != 0)
			continue;
		for (i = 0; i < sh->n; i++)
			if (stakeholder_rows_same(&sh->rows[i], &row))
				break;
		if (i < sh->n) {
			snprintf(msg, sizeof(msg), "the same stakeholder as "
			    "line %zu", sh->lines[i]);
			sheet_problem(&sc, SC_NAME, msg);
			records_stakeholder_clear(&row);
			continue;
		}
		sh->rows = xreallocarray(sh->rows, sh->n + 1,
		    sizeof(*sh->rows));
		sh->lines = xreallocarray(sh->lines, sh->n + 1,
		    sizeof(*sh->lines));
		sh->rows[sh->n] = row;
		sh->lines[sh->n++] = line;
	}
	csv_close(r);
	if (first) {
		problem(arg, 1, -1, NULL, "the file is empty");
		sc.n++;
	}
	return (int)sc.n;
}

void
stakeholder_sheet_clear(struct stakeholder_sheet *sh)
{
	size_t i;

	records_stakeholders_free(sh->rows, sh->n);
	free(sh->lines);
	for (i = 0; i < sh->nheaders; i++)
		free(sh->headers[i]);
	free(sh->headers);
	memset(sh, 0, sizeof(*sh));
}

int
stakeholder_rows_same(const struct stakeholder *a,
    const struct stakeholder *b)
{
	char *na, *nb;
	int same;

	if (a->district == NULL || b->district == NULL ||
	    strcmp(a->district, b->district) != 0)
		return 0;
	na = text_normalize(a->name ? a->name : "", a->name ?
	    strlen(a->name) : 0);
	nb = text_normalize(b->name ? b->name : "", b->name ?
	    strlen(b->name) : 0);
	same = na != NULL && nb != NULL && strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

unsigned
stakeholder_sheet_columns(const struct stakeholder_sheet *sh)
{
	unsigned cols = 0;
	size_t c;

	for (c = 0; c < SC_COUNT; c++)
		if (sh->map[c] != -1)
			cols |= 1u << c;
	return cols;
}

static int
str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Only the columns given: one the sheet lacks is no change. */
static int
differs(const struct stakeholder *a, const struct stakeholder *b,
    unsigned columns)
{
	const char *va[SC_COUNT], *vb[SC_COUNT];
	size_t c;

	stakeholder_rows_cells(a, va);
	stakeholder_rows_cells(b, vb);
	for (c = 0; c < SC_COUNT; c++)
		if ((columns & (1u << c)) && !str_eq(va[c], vb[c]))
			return 1;
	return 0;
}

/* Each row whole, ids and every column, so that any add, edit or
 * retire gives another digest. */
static void
directory_digest(const struct stakeholder *rows, const int64_t *ids,
    size_t n, char out[CRYPTO_SHA256_HEX_LEN + 1])
{
	const char *v[SC_COUNT];
	struct buf b;
	size_t i, c;

	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%lld", (long long)ids[i]);
		stakeholder_rows_cells(&rows[i], v);
		for (c = 0; c < SC_COUNT; c++) {
			buf_putc(&b, '\x1f');
			buf_puts(&b, v[c] ? v[c] : "");
		}
		buf_putc(&b, '\x1e');
	}
	crypto_sha256_hex(buf_cstr(&b), b.len, out);
	buf_free(&b);
}
void
stakeholder_plan_clear(struct stakeholder_plan *p)
{
	free(p->add);
	free(p->change);
	free(p->change_id);
	free(p->retire);
	memset(p, 0, sizeof(*p));
}

void
stakeholder_rows_plan(const struct stakeholder *old, const int64_t *old_ids,
    size_t nold, const struct stakeholder *rows, size_t n, unsigned columns,
    int replace, struct stakeholder_plan *p)
{
	char *kept = xcalloc(nold + 1, 1);
	size_t i, j;

	memset(p, 0, sizeof(*p));
	p->add = xcalloc(n + 1, sizeof(*p->add));
	p->change = xcalloc(n + 1, sizeof(*p->change));
	p->change_id = xcalloc(n + 1, sizeof(*p->change_id));
	p->retire = xcalloc(nold + 1, sizeof(*p->retire));
	p->columns = columns & STAKEHOLDER_ALL_COLUMNS;
	directory_digest(old, old_ids, nold, p->old_digest);
	for (i = 0; i < n; i++) {
		for (j = 0; j < nold; j++)
			if (!kept[j] && stakeholder_rows_same(&old[j],
			    &rows[i]))
				break;
		if (j == nold) {
			p->add[p->nadd++] = i;
			continue;
		}
		kept[j] = 1;
		if (differs(&old[j], &rows[i], p->columns)) {
			p->change[p->nchange] = i;
			p->change_id[p->nchange++] = old_ids[j];
		} else {
			p->nsame++;
		}
	}
	for (j = 0; replace && j < nold; j++)
		if (!kept[j])
			p->retire[p->nretire++] = old_ids[j];
	free(kept);
}

/* 1 if the directory is the one p was made from, 0 not, -1 error. */
static int
unchanged(struct store *st, const struct stakeholder_plan *p,
    struct stakeholder **cur, int64_t **cur_ids, size_t *ncur)
{
	char digest[CRYPTO_SHA256_HEX_LEN + 1];

	if (store_stakeholders_list(st, NULL, NULL, cur, cur_ids, ncur) == -1)
		return -1;
	directory_digest(*cur, *cur_ids, *ncur, digest);
	return strcmp(digest, p->old_digest) == 0;
}

/* Row id updated from r in the columns p was given, the rest as cur
 * holds them: 1 done, 0 no such row, -1 error. */
static int
update(struct store *st, const struct stakeholder_plan *p, int64_t id,
    const struct stakeholder *r, const struct stakeholder *cur,
    const int64_t *cur_ids, size_t ncur, const char *source, int64_t now_ms)
{
	struct stakeholder m = *r, was;
	size_t i, c;

	for (i = 0; i < ncur && cur_ids[i] != id; i++)
		;
	if (i == ncur)
		return 0;
	was = cur[i];
	for (c = 0; c < SC_COUNT; c++)
		if (!(p->columns & (1u << c)))
			*field(&m, c) = *field(&was, c);
	return store_stakeholder_update(st, id, &m, source, now_ms);
}

int
stakeholder_rows_apply(struct store *st, const struct stakeholder_plan *p,
    const struct stakeholder *rows, const char *source, int64_t now_ms)
{
	struct stakeholder *cur = NULL;
	int64_t *cur_ids = NULL, id;
	size_t ncur = 0, i;
	int rc, own = !store_in_transaction(st);

	if (own ? store_begin(st) == -1 : store_savepoint_begin(st) == -1)
		return -1;
	/* Read again under the write lock: what it says now stays so
	 * until this commits. */
	rc = unchanged(st, p, &cur, &cur_ids, &ncur);
	/* Each row the plan names must still be there. */
	for (i = 0; rc == 1 && i < p->nretire; i++)
		rc = store_stakeholder_retire(st, p->retire[i]);
	for (i = 0; rc == 1 && i < p->nchange; i++)
		rc = update(st, p, p->change_id[i], &rows[p->change[i]], cur,
		    cur_ids, ncur, source, now_ms);
	for (i = 0; rc == 1 && i < p->nadd; i++)
		rc = store_stakeholder_add(st, &rows[p->add[i]], source,
		    now_ms, &id) == 0 ? 1 : -1;
	records_stakeholders_free(cur, ncur);
	free(cur_ids);
	if (own) {
		if (rc == 1 && store_commit(st) == 0)
			return 1;
		store_rollback(st);
		return rc == 0 ? 0 : -1;
	}
	if (store_savepoint_end(st, rc == 1) == -1)
		return -1;
	return rc;
}
