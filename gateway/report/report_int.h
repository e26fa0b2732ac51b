/*
 * report_int: what the files of the report module share and nothing else
 * may include: the report itself (report.c, the per-group aggregation),
 * the sections (report_sections.c lists them, one file each), and the
 * output helpers the sections write with (report_render.c).
 *
 * A section is one part of every report: its figures, fetched from the
 * store by collect, and its rendering in each format.  The renderings
 * walk the table in order: the aligned table (each section starts its own
 * block), the JSON object (each section appends its members, ",\"key\":"
 * first) and CSV (one section per call, the one --section names).
 * Adding a section = report_<name>.c defining a const struct
 * report_section and one line in report_sections.c.
 */
#ifndef SP_REPORT_INT_H
#define SP_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "store.h"

struct idset {
	uint64_t	*slots;		/* 0 = empty */
	size_t		 cap, n;
};

struct group {
	char			*key;
	struct report_counts	 c;
	struct idset		 contacts;
	int64_t			*lat;
	size_t			 nlat, caplat;
};

struct report {
	struct report_options	 o;
	char			*district, *channel;
	struct group		*groups;
	size_t			 ngroups;
	size_t			 last;
	struct group		 total;
	int			 finished;
	/* What the sections keep, each in its own slot. */
	struct report_slot {
		const struct report_section *section;
		void			*data;
	}			*slots;
	size_t			 nslots;
};

/* The group a row belongs to under by (tmp holds day and week keys). */
const char *report_row_key(enum report_by, int utc_offset_min,
	    const struct interaction *, char tmp[16]);

/* A copy of a text from outside made fit for a report: one line, phone
 * numbers and e-mail addresses masked (redact.h).  Caller frees. */
char	*report_clean_text(const char *);

/* Names with counts (IVR nodes, outbox states), names cleaned. */
struct report_named {
	char	*name;
	int64_t	 n;
};
void	 report_named_add(struct report_named **, size_t *n,
	    const char *name, int64_t count);
void	 report_named_free(struct report_named *, size_t n);

/* ---- sections ---- */

/* Where a section's figures come from (report_collect). */
struct report_source {
	struct store		*store;
	struct store_filter	 filter;	/* the report's options' */
	size_t			 top;		/* longest list kept */
};

struct report_section {
	/* Its name, which `--section` takes if it has a CSV rendering. */
	const char	*name;
	/* Add its figures from the store to r; 0, or -1 on a store error. */
	int		(*collect)(struct report *, const struct report_source *);
	/* Append it to out; the groups are finished by then.  The table
	 * part starts its own block; the JSON part appends members to the
	 * report's object, ",\"key\":" first; CSV is one rectangular table,
	 * NULL for a section without one. */
	void		(*render_table)(struct report *, struct buf *out);
	void		(*render_csv)(struct report *, struct buf *out);
	void		(*render_json)(struct report *, struct buf *out);
	/* Free what it keeps (report_section_data), that block too; NULL:
	 * free() is enough. */
	void		(*free)(void *);
};

/* Every section, in the order a report shows them; NULL-terminated
 * (report_sections.c). */
extern const struct report_section *const report_sections[];
/* What section s keeps in r (report.c): size zeroed bytes the first time,
 * given to s->free by report_free(). */
void	*report_section_data(struct report *, const struct report_section *,
	    size_t size);

/* ---- output helpers (report_render.c) ---- */

/* Short cells: numbers, "<N", times to the minute. */
#define REPORT_CELL	24

/* An aligned table for the terminal: columns padded by display width,
 * every cell made safe for a terminal (texts come from anyone). */
struct report_table {
	size_t		 ncols;
	char		**cells;	/* row-major */
	size_t		 nrows;
	const char	*align;		/* 'l' or 'r' per column */
};
void	 report_render_row(struct report_table *, const char *const *v);
/* Write the rows out aligned, each after indent, and empty the table. */
void	 report_render_rows(struct report_table *, struct buf *out,
	    const char *indent);
/* One CSV record (RFC 4180 cells, CRLF). */
void	 report_render_csv_line(struct buf *, const char *const *v,
	    size_t n);
/* A JSON number, or (suppress set) the string "<N" for a small count. */
void	 report_render_json_count(struct buf *, const struct report *,
	    int64_t n, int suppress);
/* An ISO 8601 time as a JSON string, or null for 0. */
void	 report_render_json_time(struct buf *, int64_t ms);

#endif
