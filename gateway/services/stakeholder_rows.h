/*
 * stakeholder_rows: the checks a row of the stakeholder directory goes
 * through before anything is written (`sampark directory import|add|edit`
 * and the console's directory page), and what an import will do to the
 * directory.
 *
 * Spreadsheets are written by people: a district by its key, English or
 * Hindi name or any alias, in any case, or * for every district; a
 * category by its keyword or any alias of it in keywords.conf ("Loan",
 * "karza"); languages as hi|en, "hi, en", "Hindi; English".  Every
 * problem of a row is reported, not only the first.
 *
 * An import merges (rows are matched by name and district, any case:
 * new ones added, changed ones updated, the rest left) or, with replace,
 * also retires every stakeholder the file no longer lists.
 */
#ifndef SP_STAKEHOLDER_ROWS_H
#define SP_STAKEHOLDER_ROWS_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct district_table;
struct keywords_table;
struct stakeholder;
struct store;

enum stakeholder_col {
	SC_NAME,
	SC_CATEGORY,
	SC_DISTRICT,
	SC_PHONE,
	SC_LANGUAGES,
	SC_DESCRIPTION_EN,
	SC_DESCRIPTION_HI,
	SC_COUNT
};

#define STAKEHOLDER_NAME_MAX	160	/* bytes */

/* "name", "category", ...: the column's own name (the CSV header). */
const char *stakeholder_rows_column_name(enum stakeholder_col);
/* The column a header names (its own name or a common other one, any
 * case), or -1. */
int	 stakeholder_rows_column_of(const char *header);

/* The fields of r in column order: v[c] is column c's (r's strings). */
void	 stakeholder_rows_cells(const struct stakeholder *r,
	    const char *v[SC_COUNT]);
/* rows as the directory's CSV file, the header line first, lines ending
 * CRLF, appended to out: what an export writes and an import reads. */
void	 stakeholder_rows_csv(struct buf *out, const struct stakeholder *rows,
	    size_t n);

/* The category a cell names (its keyword's category, or any alias of a
 * keyword answered from the directory), owned by the table; or NULL. */
const char *stakeholder_rows_category(const struct keywords_table *,
	    const char *cell);

/*
 * Check one row: cells[c] the text of column c (NULL: no such column).
 * Every problem goes to problem(arg, column, message).  Returns how many
 * there were: 0 with *out filled (caller frees its strings, id 0), more
 * with *out empty.  cc is the default country code for phones.
 */
int	 stakeholder_rows_check(const struct keywords_table *,
	    const struct district_table *, const char *cc,
	    const char *const cells[SC_COUNT], struct stakeholder *out,
	    void (*problem)(void *arg, enum stakeholder_col, const char *msg),
	    void *arg);

/*
 * A whole sheet (CSV text, with or without BOM, CRLF or LF), checked:
 * the header row names the columns (stakeholder_rows_column_of), unless
 * a heading is one of given_headers[i], then it is column given_cols[i]
 * (a column's name, or NULL: leave that column out).  Every problem of
 * every row goes to problem(arg, line, column, cell, message) (cell NULL
 * for the header or a whole row); a stakeholder listed twice is one.
 * Rows that pass are kept in *rows (n, lines[] their lines) even when
 * others fail, for the preview.  Returns the number of problems; *rows
 * and *lines freed by the caller (records_stakeholders_free, free).
 */
struct stakeholder_sheet {
	struct stakeholder *rows;
	size_t		*lines;
	size_t		 n;
	size_t		 nrows;		/* rows read, good or not */
	/* map[col] is the index of the heading it was read from, or -1 */
	int		 map[SC_COUNT];
	char		**headers;	/* the file's headings, nheaders */
	size_t		 nheaders;
};
int	 stakeholder_rows_read(const struct keywords_table *,
	    const struct district_table *, const char *cc, const char *csv,
	    size_t len, const char *const *given_headers,
	    const char *const *given_cols, size_t ngiven,
	    struct stakeholder_sheet *sheet,
	    void (*problem)(void *arg, size_t line, int column,
	    const char *cell, const char *msg), void *arg);
void	 stakeholder_sheet_clear(struct stakeholder_sheet *);

/* Bit (1u << c) of a set of columns is column c. */
#define STAKEHOLDER_ALL_COLUMNS	((1u << SC_COUNT) - 1)

/* The columns a sheet has: those not in it were not given, which is
 * not the same as given empty. */
unsigned stakeholder_sheet_columns(const struct stakeholder_sheet *);

/* 1 if a and b are the same stakeholder: name (any case, spaces) and
 * district. */
int	 stakeholder_rows_same(const struct stakeholder *a,
	    const struct stakeholder *b);

/* What an import of rows[0..n) does to the directory old[0..nold). */
struct stakeholder_plan {
	size_t	 *add;		/* indexes into rows */
	size_t	  nadd;
	size_t	 *change;	/* indexes into rows ... */
	int64_t	 *change_id;	/* ... and the rows they update */
	size_t	  nchange;
	size_t	  nsame;	/* listed and unchanged */
	int64_t	 *retire;	/* ids (replace only) */
	size_t	  nretire;
	unsigned  columns;	/* the columns rows were given */
	/* The directory the plan was made from, as a digest: apply
	 * carries it out only on that same directory. */
	char	  old_digest[65];
};
void	 stakeholder_plan_clear(struct stakeholder_plan *);

/*
 * Fill *plan (caller clears); old_ids[i] is old[i]'s row.  Only the
 * columns in the set columns (STAKEHOLDER_ALL_COLUMNS, or
 * stakeholder_sheet_columns) are rows' own: a column the sheet does not
 * have keeps each stakeholder's old value, and is no change.
 */
void	 stakeholder_rows_plan(const struct stakeholder *old,
	    const int64_t *old_ids, size_t nold, const struct stakeholder *rows,
	    size_t n, unsigned columns, int replace,
	    struct stakeholder_plan *plan);

/*
 * Carry out plan in one transaction (the caller's if one is open), if
 * the directory is still the one it was made from: a coordinator may
 * have added, edited or retired a stakeholder (console, another command)
 * since it was read, and an import over a directory it did not see
 * would lose her change or its own.  1 done; 0 the directory changed,
 * nothing done (plan again); -1 error, nothing changed (the store's
 * error says why).
 */
int	 stakeholder_rows_apply(struct store *, const struct stakeholder_plan *,
	    const struct stakeholder *rows, const char *source, int64_t now_ms);

#endif
