/*
 * sheet_cells: the parts of reading a spreadsheet that do not depend on
 * its columns (sheet_cells.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet_cells.h"
#include "text.h"
#include "util.h"

int
sheet_cells_column(const char *header, const char *const *names,
    size_t nnames, const struct sheet_cells_alias *aliases, size_t naliases)
{
	char *n, *p, *u;
	size_t i;
	int col = -1;

	if (header == NULL || (n = text_normalize(header,
	    strlen(header))) == NULL)
		return -1;
	for (i = 0; col == -1 && i < nnames; i++) {
		/* "description_en" normalises to "description en". */
		p = xstrdup(names[i]);
		for (u = p; (u = strchr(u, '_')) != NULL; u++)
			*u = ' ';
		if (strcmp(n, names[i]) == 0 || strcmp(n, p) == 0)
			col = (int)i;
		free(p);
	}
	for (i = 0; col == -1 && i < naliases; i++)
		if (strcmp(n, aliases[i].header) == 0)
			col = aliases[i].col;
	free(n);
	return col;
}

/* Leading and trailing spaces (a spreadsheet keeps what was typed). */
char *
sheet_cells_trimmed(const char *s)
{
	size_t n;

	if (s == NULL)
		return xstrdup("");
	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

void
sheet_cells_report(struct sheet_cells_check *ck, int col, const char *fmt,
    ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	/* A message cut short ends on a whole character: JSON takes no
	 * less. */
	if (vsnprintf(msg, sizeof(msg), fmt, ap) >= (int)sizeof(msg))
		msg[text_utf8_whole(msg, strlen(msg))] = '\0';
	va_end(ap);
	ck->emit(ck, col, msg);
	ck->n++;
}
