/*
 * report: the analysts' figures, aggregated from interaction rows in
 * memory and rendered as an aligned table, CSV or JSON.  A report is a
 * list of sections (report_sections.c: the groups, unmatched texts and
 * words, broadcast funnels, IVR drop-off, the outbox, opt-outs), each
 * one file with its figures and renderings.  report_collect() fills them
 * from the store; everything else is pure (rows and figures go in through
 * the functions below), so every figure is unit-tested without a
 * database.
 *
 * Per group (by keyword, district, day, week, channel or language):
 * inbound queries, unique contacts, matched / unmatched, replies and their
 * segments, median and p95 reply latency, opt-ins (JOIN, START) and
 * opt-outs (STOP).  Suppression: when groups are districts, or the rows
 * are of one district, counts from 1 to suppress_below - 1 are shown as
 * "<N" so that a small village cannot be singled out; matched and
 * unmatched are then hidden together, so neither can be worked out from
 * the other, and as many other cells as it takes that no hidden one
 * follows from the shown ones -- in this report or combined with any
 * other view of the same period (report_collect decides a district's
 * figures once for all of them; see report_int.h).  Figures without a
 * district (by keyword, day, week, channel, language) are not
 * suppressed: they identify no place.
 *
 * Also here, for every privacy-preserving output: the keyed pseudonym of a
 * phone number (the export uses it).
 */
#ifndef SP_REPORT_H
#define SP_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct interaction;
struct store_funnel;
struct understand_table;

enum report_by {
	REPORT_BY_KEYWORD,
	REPORT_BY_DISTRICT,
	REPORT_BY_DAY,
	REPORT_BY_WEEK,
	REPORT_BY_CHANNEL,
	REPORT_BY_LANGUAGE,
};

/* "keyword" ... "language": 0, or -1 for another word. */
int	 report_by_parse(const char *, enum report_by *);
const char *report_by_name(enum report_by);

struct report_options {
	enum report_by	 by;
	int		 suppress_below;	/* 0 or 1: never suppress */
	int		 no_suppress;		/* --no-suppress */
	const char	*district;		/* the rows' district filter */
	const char	*channel;		/* the channel filter */
	int64_t		 since_ms, until_ms;	/* as filtered, 0: open */
	int		 utc_offset_min;	/* days and weeks in this zone */
	/* Drops filler and districts from the words of messages not
	 * understood; NULL: no word section. */
	const struct understand_table *understand;
};

struct report_counts {
	int64_t	 inbound;
	int64_t	 contacts;	/* unique senders of those messages */
	int64_t	 matched;
	int64_t	 unmatched;
	int64_t	 replies;
	int64_t	 segments;	/* of the replies: the cost */
	int64_t	 latency_p50_ms;	/* -1: no reply with a latency */
	int64_t	 latency_p95_ms;
	int64_t	 opt_ins;
	int64_t	 opt_outs;
};

struct report;

/* opts is copied (its strings too). */
struct report *report_new(const struct report_options *opts);
void	 report_free(struct report *);		/* NULL is a no-op */

/* Count one interaction row; fits store_export()'s callback (returns 0). */
int	 report_add_row(void *report, const struct interaction *row);

/* Sections filled from the store (texts are copied); report_collect
 * fills them, a test may too. */
void	 report_unmatched_add(struct report *, const char *text, int64_t n,
	    int64_t contacts);				/* report_unmatched.c */
void	 report_funnels_add(struct report *,
	    const struct store_funnel *);		/* report_funnels.c */
/* One meeting's answers of one day (YYYY-MM-DD); days of a meeting
 * added together, in order.			   report_rsvps.c */
void	 report_rsvps_add(struct report *, int64_t meeting, const char *title,
	    const char *day, int64_t yes, int64_t no);
void	 report_ivr_add(struct report *, const char *node,
	    int64_t calls);				/* report_ivr.c */
void	 report_outbox_add(struct report *, const char *state,
	    int64_t n);					/* report_outbox.c */
/* An interaction row for the outcomes and the unanswered (inbound rows
 * only; others are ignored).			   report_outcomes.c */
void	 report_outcomes_add_row(struct report *, const struct interaction *);
/* An interaction row for the referrals (inbound rows with stakeholders
 * only).					   report_referrals.c */
void	 report_referrals_add_row(struct report *, const struct interaction *);

/* After the last row: groups sorted, percentiles computed.  Idempotent. */
void	 report_finish(struct report *);

size_t	 report_ngroups(const struct report *);
const char *report_group_key(const struct report *, size_t i);
const struct report_counts *report_group(const struct report *, size_t i);
const struct report_counts *report_total(const struct report *);

/* Whether counts are suppressed in this report, and how n is shown. */
int	 report_suppressing(const struct report *);
void	 report_format_count(const struct report *, int64_t n, char *out,
	    size_t outlen);

/* Renderings (appended to out), of every section (report_sections.c).
 * CSV is one section's: csv_section names it (NULL: "groups"); -1 for a
 * name that is no section with a CSV rendering. */
void	 report_render_table(struct report *, struct buf *out);
/* The table of one section (`report --by stakeholder` shows only the
 * referrals); -1 for a name that is no section. */
int	 report_render_table_section(struct report *, const char *name,
	    struct buf *out);
int	 report_render_csv(struct report *, const char *csv_section,
	    struct buf *out);
void	 report_render_json(struct report *, struct buf *out);
/* The names csv_section takes, for a message: "groups, unmatched, funnels
 * or ivr". */
void	 report_render_csv_names(struct buf *out);

/*
 * Build a whole report from the store (report_collect.c), every section
 * from its own queries: the rows within opts' filters, the top most
 * frequent unmatched texts (and words), the broadcast funnels and IVR
 * drop-off when those exist, the outbox now, the opt-outs.  NULL on a
 * store error (logged by the store).  Caller frees.
 */
struct store;
struct report *report_collect(struct store *, const struct report_options *,
	    size_t top);

/*
 * A cross-tabulation of inbound queries (report_xtab.c): rows by one
 * dimension, columns by another (e.g. day x keyword for the dashboard's
 * chart, district x keyword for its table).  Suppressed as the report is
 * when either dimension is district, or opts names a district.
 * At most REPORT_XTAB_MAX rows and columns; the rest add up in "(other)".
 */
#define REPORT_XTAB_MAX	1000
struct report_xtab;
struct report_xtab *report_xtab_new(enum report_by rows, enum report_by cols,
	    const struct report_options *opts);
void	 report_xtab_free(struct report_xtab *);	/* NULL is a no-op */
/* Fits store_export()'s callback; counts inbound rows only.  0. */
int	 report_xtab_add_row(void *xtab, const struct interaction *);
/* {"rows_by","cols_by","rows":[..],"cols":[..],"cells":[[..]],
 *  "row_totals":[..],"col_totals":[..],"total","suppressed"} */
void	 report_xtab_render_json(struct report_xtab *, struct buf *out);
/* Cell count (tests); -1 if no such row or column. */
int64_t	 report_xtab_get(const struct report_xtab *, const char *row,
	    const char *col);
/*
 * A crosstab of the store's rows within opts' filters, suppressed so
 * that its district figures are those of every other view of the same
 * period (it reads the period's rows of all districts once more for
 * that).  NULL on a store error.  Free with report_xtab_free.
 */
struct report_xtab *report_xtab_collect(struct store *, enum report_by rows,
	    enum report_by cols, const struct report_options *opts);

/* Terminal columns a UTF-8 string takes (combining marks take none). */
size_t	 report_display_width(const char *);

/*
 * Parse a --since / --until value: "YYYY-MM-DD" is local midnight in the
 * zone utc_offset_min (the next midnight when end is set, so that a bare
 * end date includes its day); an ISO 8601 time is taken as given.  0, -1.
 */
int	 report_parse_date(const char *, int utc_offset_min, int end,
	    int64_t *ms);

/* Group key of a time for --by day / week ("2026-11-26", "2026-W48"). */
void	 report_day_key(int64_t ms, int utc_offset_min, char out[16]);
void	 report_week_key(int64_t ms, int utc_offset_min, char out[16]);

/*
 * The pseudonym of a phone number under key: "c_" and the first 16 hex
 * digits of HMAC-SHA256(key, phone).  Same key, same id; another key,
 * another id; the number cannot be recovered without the key.
 */
#define REPORT_PSEUDONYM_LEN	18
void	 report_pseudonym(const char *key, const char *phone,
	    char out[REPORT_PSEUDONYM_LEN + 1]);

#endif
