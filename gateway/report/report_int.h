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

struct report_canon;

struct report {
	struct report_options	 o;
	/* The district figures this report must agree with; NULL: none
	 * (a report built from rows alone, as in the unit tests). */
	struct report_canon	*canon;
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

/* The words of text that a coordinator might add to the lexicon (not
 * filler, districts or digits), each once, normalised, to cb
 * (report_unmatched.c). */
struct understand_table;
void	 report_text_words(const struct understand_table *, const char *text,
	    void (*cb)(void *arg, const char *word, size_t len), void *arg);

/* Counts by key, for the sections that tally rows in memory
 * (report_tally.c): keys are cleaned (report_clean_text). */
struct report_tally {
	struct report_named	*v;
	size_t			 n;
	size_t			 last;	/* the key found last, tried first */
};
void	 report_tally_add(struct report_tally *, const char *key, int64_t n);
/* The count of key, 0 if none. */
int64_t	 report_tally_get(const struct report_tally *, const char *key);
/* Sorted by key, or (by_count) most first, then by key; then only the
 * first top are kept (0: all). */
void	 report_tally_sort(struct report_tally *, int by_count, size_t top);
void	 report_tally_clear(struct report_tally *);

/* Whether a section's breakdowns by district, category or week hide
 * small counts: always, unless the report shows every count. */
int	 report_breakdown_suppressing(const struct report *);

/* Names with counts (IVR nodes, outbox states), names cleaned. */
struct report_named {
	char	*name;
	int64_t	 n;
};
void	 report_named_add(struct report_named **, size_t *n,
	    const char *name, int64_t count);
void	 report_named_free(struct report_named *, size_t n);

/* The count columns of the groups table (report_groups.c): inbound,
 * contacts, matched, unmatched, replies, segments, two latencies, opt-ins,
 * opt-outs. */
#define REPORT_NCOUNTS	10
/* Row `row` of the groups table as a suppression plan (rows 0..ngroups-1,
 * then TOTAL; cell row * REPORT_NCOUNTS + column); NULL when the report
 * does not suppress. */
struct suppress;
struct suppress *report_groups_plan(const struct report *);

/*
 * ---- the same district figure alike in every view (report_canon.c) ----
 *
 * A district's counts appear in many views of the same period: its row of
 * `--by district`, the TOTAL of its own report, the margins and cells of
 * every crosstab with a district axis, the groups of its own report.
 * Suppressed each on its own, one view shows what another hid, and
 * subtraction does the rest.  So the canon decides them once, for the
 * rows of the period and channel over all districts:
 *   level 1, the `--by district` table (its TOTAL, the region's, is
 *   public: every view without a district shows it);
 *   level 2, district x D for each other dimension D, its district
 *   margins as level 1 decided and its D margins public;
 * and every view fixes those figures as the canon did (suppress_fix),
 * solving only what is its own (a district's D x E cells).  Figures
 * without a district are public: time, keyword, channel and language
 * alone identify nobody, and every one of them is in an unsuppressed view.
 */
struct report_canon *report_canon_new(const struct report_options *opts);
void	 report_canon_free(struct report_canon *);	/* NULL: no-op */
/* Fits store_export()'s callback, fed every row of the period. */
int	 report_canon_add_row(void *canon, const struct interaction *);
/* After the last row: the decisions are made. */
void	 report_canon_finish(struct report_canon *);
/* Filled from the store (no district filter); NULL on a store error. */
struct report_canon *report_canon_collect(struct store *,
	    const struct report_options *);
/*
 * The decision for the inbound queries of `district` (NULL: any) with
 * dims[k] = keys[k] (n of them, 0 to 2): 1 hidden, 0 shown, -1 none (a
 * figure the view solves itself).  A NULL canon decides nothing.
 */
int	 report_canon_fix(const struct report_canon *, const char *district,
	    size_t n, const enum report_by *dims, const char *const *keys);
/* Every key of dimension by in the period's rows (all districts), n of
 * them; a view with a district lists them all, those without rows too,
 * so that a missing one does not give a hidden 0 away. */
const char *const *report_canon_keys(const struct report_canon *,
	    enum report_by by, size_t *n);
/* A group of the report for key, with no rows yet (report.c). */
void	 report_add_group(struct report *, const char *key);
/* Level 1's decision for count column col of district: 1, 0 or -1. */
int	 report_canon_fix_count(const struct report_canon *,
	    const char *district, size_t col);
/* The crosstab's plan, decided once (report_xtab.c), and whether it hides
 * the cell (row key, column key): -1 if there is no such cell. */
struct report_xtab;
const struct suppress *report_xtab_plan(struct report_xtab *);
int	 report_xtab_hidden(struct report_xtab *, const char *row,
	    const char *col);
void	 report_xtab_set_canon(struct report_xtab *, struct report_canon *,
	    int owned);
/* The row and column keys of the crosstab (report_xtab.c). */
const char *const *report_xtab_keys(const struct report_xtab *, int cols,
	    size_t *n);

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
	/* Add its figures from the store to r; 0, or -1 on a store error.
	 * NULL: none but its rows. */
	int		(*collect)(struct report *, const struct report_source *);
	/* Each interaction of the period, of every district (a section of
	 * one district's report keeps that district's itself): from the
	 * one scan report_collect makes for every section that has this
	 * and the canon, after the collects.  0, or -1 to stop.  NULL:
	 * none. */
	int		(*row)(struct report *, const struct interaction *);
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
/* Cell i of a section's suppression plan (NULL: none) holding v: the
 * number, or "<N" when the plan hides it. */
void	 report_render_cell(const struct report *, const struct suppress *,
	    size_t i, int64_t v, char out[REPORT_CELL]);
/* The same as a JSON value: a number, or the string "<N". */
void	 report_render_json_cell(struct buf *, const struct report *,
	    const struct suppress *, size_t i, int64_t v);
/*
 * A count other views of the same district could be subtracted from,
 * published rounded instead (the outcomes and referrals sections): 0 to
 * N-1 as "<N", larger ones as "~M", M the nearest multiple of N (the
 * threshold); as it is when the report shows every count.  A rounded
 * figure is no equation (not even a 0 is exact), so no sum of published
 * figures gives any one count away, while "~25 women sent to RSETI" says
 * what a coalition needs.  The sections list every key of the period, so
 * that a missing one does not say 0 either.
 */
void	 report_render_rounded(const struct report *, int64_t v,
	    char out[REPORT_CELL]);
/* The same as a JSON value: a number, or the string "<N" or "~M". */
void	 report_render_json_rounded(struct buf *, const struct report *,
	    int64_t v);
/* One CSV record (RFC 4180 cells, CRLF). */
void	 report_render_csv_line(struct buf *, const char *const *v,
	    size_t n);
/* A JSON number, or (suppress set) the string "<N" for a small count. */
void	 report_render_json_count(struct buf *, const struct report *,
	    int64_t n, int suppress);
/* An ISO 8601 time as a JSON string, or null for 0. */
void	 report_render_json_time(struct buf *, int64_t ms);

#endif
