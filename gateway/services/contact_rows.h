/*
 * contact_rows: the checks a row of a contacts spreadsheet goes through
 * before anything is written, shared by `sampark import contacts` and the
 * console's import and contact forms.
 *
 * Spreadsheets are written by people: a district may be given by its key,
 * its English or Hindi name or any alias (districts.csv), in any case; a
 * language as hi / en, Hindi / English or हिंदी / अंग्रेज़ी; a role in any
 * case; groups by the names coordinators gave them ("Silai Group",
 * "सिलाई समूह"), separated by | , or ;.  A row's every problem is
 * reported, not only its first, so that a file is fixed in one go.
 *
 * Headers too: "Mobile", "Phone number", "फ़ोन", "Naam", "Zila"... name
 * the columns (contact_rows_column_of).  Pure but for the district
 * table: no store, no I/O.
 */
#ifndef SP_CONTACT_ROWS_H
#define SP_CONTACT_ROWS_H

#include <stddef.h>

struct district_table;

enum contact_col {
	CC_PHONE,
	CC_NAME,
	CC_DISTRICT,
	CC_LANGUAGE,
	CC_ROLE,
	CC_GROUPS,
	CC_COUNT
};

#define CONTACT_NAME_MAX	100	/* bytes */
#define CONTACT_GROUPS_MAX	16	/* groups named in one row */

/* "phone", "name", ...: the column's own name. */
const char *contact_rows_column_name(enum contact_col);
/* The column a header names (its own name or a common other one, any
 * case, surrounding spaces ignored), or -1. */
int	 contact_rows_column_of(const char *header);

/* A checked row: every string owned; "" where the sheet left a cell
 * empty (an existing contact keeps what she has). */
struct contact_row {
	char	*phone;		/* E.164 */
	char	*name;
	char	*district;	/* district key */
	char	*language;	/* "hi" | "en" */
	char	*role;		/* "entrepreneur" | "coordinator" */
	char	*groups[CONTACT_GROUPS_MAX];	/* group keys */
	char	*group_names[CONTACT_GROUPS_MAX]; /* as written */
	size_t	 ngroups;
};
void	 contact_row_clear(struct contact_row *);

/*
 * Check one row: cells[c] is the text of column c, NULL when the sheet
 * has no such column.  Every problem is passed to problem(arg, column,
 * message); the message quotes the cell as written.  Returns how many
 * problems there were: 0 and *out filled (caller clears), or more and
 * *out left empty.  cc is the default country code for phones.
 */
int	 contact_rows_check(const struct district_table *, const char *cc,
	    const char *const cells[CC_COUNT], struct contact_row *out,
	    void (*problem)(void *arg, enum contact_col, const char *msg),
	    void *arg);

/* The language code for a cell ("Hindi", "HI", "हिंदी"), or NULL. */
const char *contact_rows_language(const char *cell);

#endif
