/*
 * import_rows: read and check a stakeholders or contacts CSV file for
 * `sampark import`, without touching the database.
 */
#ifndef SP_IMPORT_ROWS_H
#define SP_IMPORT_ROWS_H

#include <stddef.h>

#include "contact_rows.h"

struct district_table;
struct keywords_table;
struct store_contact_import;
struct stakeholder;

/* Set path, kw (stakeholders only), dt and cc; the rest starts zeroed. */
struct import_rows {
	const char		*path;
	const struct keywords_table	*kw;
	const struct district_table *dt;
	const char		*cc;	/* default country code */
	/* stakeholders */
	struct stakeholder *rows;
	size_t			 n;
	/* contacts: where each column is (contact_rows.h) */
	int			 map[CC_COUNT];
	/* how many columns the file's header has */
	size_t			 ncols;
	/* contacts: the strings of contacts[] live in strings[] */
	struct store_contact_import *contacts;
	size_t			 ncontacts;
	char			**strings;
	size_t			 nstrings;
};

/* Check every row of ir->path; 0 and the rows appended if all were good,
 * -1 after reporting each problem. */
int	import_rows_stakeholders(struct import_rows *);
int	import_rows_contacts(struct import_rows *);
void	import_rows_clear(struct import_rows *);

#endif
