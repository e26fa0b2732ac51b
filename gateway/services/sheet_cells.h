/*
 * sheet_cells: what reading a spreadsheet needs whatever its columns, for
 * contact_rows and stakeholder_rows alike: which column a header names, a
 * cell as it was typed less the spaces around it, and the problems of a
 * row counted as they are reported.
 */
#ifndef SP_SHEET_CELLS_H
#define SP_SHEET_CELLS_H

#include <stddef.h>

/* Another header a column is known by, in text_normalize() form. */
struct sheet_cells_alias {
	const char	*header;
	int		 col;
};

/*
 * The column header names (any case): i where it is names[i] (an
 * underscore of a name may be written as a space), else the col of the
 * alias it is; -1 if none.
 */
int	 sheet_cells_column(const char *header, const char *const *names,
	    size_t nnames, const struct sheet_cells_alias *aliases,
	    size_t naliases);

/* s less its leading and trailing spaces and tabs: a new string, "" for
 * NULL. */
char	*sheet_cells_trimmed(const char *s);

/*
 * The problems of one row.  A caller embeds this as the first member of
 * its own struct, so that emit (which hands a message about column col on
 * in the caller's terms) can reach the rest.
 */
struct sheet_cells_check {
	void	(*emit)(struct sheet_cells_check *, int col, const char *msg);
	int	 n;		/* problems reported so far */
};

/* Format a problem of column col, emit it and count it. */
void	 sheet_cells_report(struct sheet_cells_check *, int col,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
