/*
 * contact_rows: check one row of a contacts spreadsheet.  See
 * contact_rows.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audience.h"
#include "contact_rows.h"
#include "district.h"
#include "group_key.h"
#include "phone.h"
#include "sheet_cells.h"
#include "text.h"
#include "util.h"

static const char *const col_names[CC_COUNT] = {
	[CC_PHONE] = "phone",
	[CC_NAME] = "name",
	[CC_DISTRICT] = "district",
	[CC_LANGUAGE] = "language",
	[CC_ROLE] = "role",
	[CC_GROUPS] = "groups",
};

/* Other headers people give these columns, in text_normalize() form. */
static const struct sheet_cells_alias col_aliases[] = {
	{ "phone number", CC_PHONE }, { "phone no", CC_PHONE },
	{ "mobile", CC_PHONE }, { "mobile number", CC_PHONE },
	{ "mobile no", CC_PHONE }, { "number", CC_PHONE },
	{ "contact", CC_PHONE }, { "contact number", CC_PHONE },
	{ "फोन", CC_PHONE }, { "फोन नंबर", CC_PHONE },
	{ "मोबाइल", CC_PHONE }, { "मोबाइल नंबर", CC_PHONE },
	{ "नंबर", CC_PHONE },
	{ "full name", CC_NAME }, { "naam", CC_NAME }, { "नाम", CC_NAME },
	{ "district key", CC_DISTRICT }, { "zila", CC_DISTRICT },
	{ "jila", CC_DISTRICT }, { "जिला", CC_DISTRICT },
	{ "lang", CC_LANGUAGE }, { "bhasha", CC_LANGUAGE },
	{ "भाषा", CC_LANGUAGE },
	{ "type", CC_ROLE }, { "भूमिका", CC_ROLE },
	{ "group", CC_GROUPS }, { "samuh", CC_GROUPS },
	{ "समूह", CC_GROUPS },
};

/* Languages by what a cell may say, in text_normalize() form. */
static const struct {
	const char	*word;
	const char	*code;
} languages[] = {
	{ "hi", "hi" }, { "hin", "hi" }, { "hindi", "hi" },
	{ "हिंदी", "hi" }, { "हिन्दी", "hi" },
	{ "en", "en" }, { "eng", "en" }, { "english", "en" },
	{ "अंग्रेजी", "en" }, { "इंग्लिश", "en" },
};

static const char *const roles[] = { "entrepreneur", "coordinator" };

const char *
contact_rows_column_name(enum contact_col c)
{
	return (size_t)c < CC_COUNT ? col_names[c] : "?";
}

int
contact_rows_column_of(const char *header)
{
	return sheet_cells_column(header, col_names, CC_COUNT, col_aliases,
	    SP_ARRAY_LEN(col_aliases));
}

const char *
contact_rows_language(const char *cell)
{
	const char *code = NULL;
	char *n;
	size_t i;

	if (cell == NULL || (n = text_normalize(cell, strlen(cell))) == NULL)
		return NULL;
	for (i = 0; code == NULL && i < SP_ARRAY_LEN(languages); i++)
		if (strcmp(n, languages[i].word) == 0)
			code = languages[i].code;
	free(n);
	return code;
}

void
contact_row_clear(struct contact_row *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->phone);
	free(r->name);
	free(r->district);
	free(r->language);
	free(r->role);
	for (i = 0; i < r->ngroups; i++) {
		free(r->groups[i]);
		free(r->group_names[i]);
	}
	memset(r, 0, sizeof(*r));
}

struct check {
	struct sheet_cells_check sc;	/* first: emit() is handed it */
	void	(*problem)(void *, enum contact_col, const char *);
	void	*arg;
};

static void
emit(struct sheet_cells_check *sc, int col, const char *msg)
{
	struct check *ck = (struct check *)sc;

	ck->problem(ck->arg, (enum contact_col)col, msg);
}

/* The district key a cell names: key, name or alias, any case. */
static const struct district *
district_of(const struct district_table *dt, const char *cell)
{
	const struct district *d = NULL;
	char *n;

	if ((n = text_normalize(cell, strlen(cell))) == NULL)
		return NULL;
	if ((d = district_find(dt, n)) == NULL && district_match(dt, n,
	    &d) != 1)
		d = NULL;
	free(n);
	return d;
}

/* Some district names, to say what a cell could have been. */
static void
district_examples(const struct district_table *dt, char *out, size_t len)
{
	size_t i, n = district_count(dt), used = 0;

	out[0] = '\0';
	for (i = 0; i < n && i < 4 && used + 1 < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s",
		    i ? ", " : "", district_at(dt, i)->name_en);
	if (i < n && used + 1 < len)
		snprintf(out + used, len - used, ", ...");
}

static void
check_groups(struct check *ck, const char *cell, struct contact_row *r)
{
	char *copy = xstrdup(cell), *p, *next, *name, *key, why[128];
	size_t i;

	for (p = copy; p != NULL; p = next) {
		if ((next = strpbrk(p, "|,;")) != NULL)
			*next++ = '\0';
		name = sheet_cells_trimmed(p);
		if (*name == '\0') {
			/* "a||b", or a trailing separator: nothing to add. */
			free(name);
			continue;
		}
		if ((key = group_key_derive(name, why, sizeof(why))) == NULL) {
			sheet_cells_report(&ck->sc, CC_GROUPS,
			    "bad group \"%s\": %s", name, why);
			free(name);
			continue;
		}
		for (i = 0; i < r->ngroups; i++)
			if (strcmp(r->groups[i], key) == 0)
				break;
		if (i < r->ngroups) {
			free(key);
			free(name);
			continue;
		}
		if (r->ngroups == CONTACT_GROUPS_MAX) {
			sheet_cells_report(&ck->sc, CC_GROUPS,
			    "more than %d groups", CONTACT_GROUPS_MAX);
			free(key);
			free(name);
			break;
		}
		r->groups[r->ngroups] = key;
		r->group_names[r->ngroups++] = name;
	}
	free(copy);
}

int
contact_rows_check(const struct district_table *dt, const char *cc,
    const char *const cells[CC_COUNT], struct contact_row *out,
    void (*problem)(void *arg, enum contact_col, const char *msg), void *arg)
{
	struct check ck = { { emit, 0 }, problem, arg };
	const struct district *d;
	char e164[PHONE_E164_MAX + 1], why[128], examples[128];
	char *cell[CC_COUNT];
	const char *lang;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < CC_COUNT; i++)
		cell[i] = sheet_cells_trimmed(cells[i]);
	if (*cell[CC_PHONE] == '\0')
		sheet_cells_report(&ck.sc, CC_PHONE, "phone is empty");
	else if (phone_to_e164(cell[CC_PHONE], cc, e164, sizeof(e164), why,
	    sizeof(why)) == -1)
		sheet_cells_report(&ck.sc, CC_PHONE, "bad phone \"%s\": %s",
		    cell[CC_PHONE], why);
	else
		out->phone = xstrdup(e164);
	if (strlen(cell[CC_NAME]) > CONTACT_NAME_MAX)
		sheet_cells_report(&ck.sc, CC_NAME,
		    "name longer than %d bytes", CONTACT_NAME_MAX);
	if (*cell[CC_DISTRICT] != '\0') {
		if ((d = district_of(dt, cell[CC_DISTRICT])) != NULL) {
			out->district = xstrdup(d->key);
		} else {
			district_examples(dt, examples, sizeof(examples));
			sheet_cells_report(&ck.sc, CC_DISTRICT,
			    "unknown district \"%s\" (a district's key, name "
			    "or alias from districts.csv, e.g. %s)",
			    cell[CC_DISTRICT], examples);
		}
	}
	if (*cell[CC_LANGUAGE] != '\0') {
		if ((lang = contact_rows_language(cell[CC_LANGUAGE])) != NULL)
			out->language = xstrdup(lang);
		else
			sheet_cells_report(&ck.sc, CC_LANGUAGE,
			    "language must be hi or en (Hindi or English), "
			    "not \"%s\"", cell[CC_LANGUAGE]);
	}
	if (*cell[CC_ROLE] != '\0') {
		for (i = 0; i < SP_ARRAY_LEN(roles); i++)
			if (strcasecmp(cell[CC_ROLE], roles[i]) == 0)
				break;
		if (i < SP_ARRAY_LEN(roles))
			out->role = xstrdup(roles[i]);
		else
			sheet_cells_report(&ck.sc, CC_ROLE,
			    "role must be entrepreneur or coordinator, "
			    "not \"%s\"", cell[CC_ROLE]);
	}
	check_groups(&ck, cell[CC_GROUPS], out);
	if (ck.sc.n == 0) {
		out->name = cell[CC_NAME];
		cell[CC_NAME] = NULL;
		if (out->district == NULL)
			out->district = xstrdup("");
		if (out->language == NULL)
			out->language = xstrdup("");
		if (out->role == NULL)
			out->role = xstrdup("");
	} else {
		contact_row_clear(out);
	}
	for (i = 0; i < CC_COUNT; i++)
		free(cell[i]);
	return ck.sc.n;
}
