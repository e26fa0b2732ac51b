/*
 * api_import: a console import of a spreadsheet (contacts, directory) up
 * to where the two differ: the request's body checked, what reading its
 * rows needs gathered, and the job that reads them started off the loop.
 */
#ifndef SP_API_IMPORT_H
#define SP_API_IMPORT_H

#include <stdint.h>

#include <jansson.h>

#include "api_job.h"

struct district_table;
struct keywords_table;
struct sp_request;

/* What the work of an import is handed (as its arg). */
struct api_import {
	json_t			*body;		/* the request's; owns the rest */
	const char		*csv;		/* the file's text */
	json_t			*columns;	/* header -> column, or NULL */
	const struct keywords_table	*kw;
	const struct district_table	*dt;
	const char		*cc;		/* default country code */
	int			 replace;	/* "replace": true */
	int			 commit;	/* "commit": true */
	int64_t			 now_ms;
};

/*
 * Start work on the body of req: {"csv": text, "columns": {header:
 * column}, "commit": bool, "replace": bool}.  A body without csv is
 * answered 400, saying that "columns" maps heads (what the sheet's first
 * line is called: "headers", "headings") to columns.
 */
void	 api_import_start(struct admin_ctx *, const struct sp_request *,
	    struct admin_response *, const char *heads, api_job_work *work);

#endif
