/*
 * store_report: the analytics part of the store (see store.h): the top
 * unmatched texts, broadcast funnels, IVR drop-off and opt-out counts.
 * The per-group figures are not computed here: report.c aggregates the
 * rows that store_export() streams.
 *
 * Broadcasts, meetings and RSVPs are this schema's own (step 7).  Calls
 * belong to a feature that may have been built with other column names:
 * its section looks at the schema first (sqlite_master, pragma_table_info)
 * and answer "section absent" (0) instead of failing.  Where a column
 * name has to be chosen, it comes from a fixed list below and is checked
 * to exist; no value is ever put into SQL text.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

static const char *const sql_table_exists[2] = {
    "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view')"
    " AND name = ?1",
    "SELECT count(*) FROM information_schema.tables"
    " WHERE table_schema = current_schema() AND table_name = ?1" };
static const char *const sql_column_exists[2] = {
    "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
    "SELECT count(*) FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name = ?1"
    " AND column_name = ?2" };

/* Normalised (trimmed, lower-case ASCII) so "Loon " and "loon" add up. */
#define UNMATCHED \
    "SELECT lower(trim(text)) AS t, count(*), count(DISTINCT phone)" \
    " FROM interactions WHERE direction = 'in' AND status = 'unmatched'" \
    " AND time_ms >= ?1 AND time_ms < ?2" \
    " AND (?3 IS NULL OR channel = ?3) AND (?4 IS NULL OR district = ?4)" \
    " AND text IS NOT NULL AND trim(text) <> ''" \
    " GROUP BY t ORDER BY count(*) DESC, t"
/* A negative LIMIT, SQLite's "all", is an error on PostgreSQL: NULL is. */
static const char *const sql_unmatched[2] = { UNMATCHED " LIMIT ?5",
    UNMATCHED " LIMIT NULLIF(GREATEST(?5, -1), -1)" };

/*
 * A broadcast's messages by real state: a cancel marks its messages
 * failed with the reason "cancelled", and they are no failure of the
 * provider.  Reminders come right after their broadcast.
 */
/*
 * SQLite sums a comparison as 0 or 1; PostgreSQL sums integers, and asks
 * for the meeting's key in the grouping before it selects its columns.
 */
#define FUNNEL_COLUMNS \
    "SELECT b.id, b.kind, COALESCE(b.parent_id, 0), b.audience, b.template," \
    " b.vars, b.created_by, b.state, b.created_ms," \
    " COALESCE(b.meeting_id, 0), m.title, COALESCE(m.time_ms, 0)," \
    " count(o.id), COALESCE(min(o.created_ms), 0),"
#define FUNNEL_FROM \
    " FROM broadcasts b LEFT JOIN meetings m ON m.id = b.meeting_id" \
    " LEFT JOIN outbox o ON o.broadcast_id = b.id" \
    " WHERE b.created_ms >= ?1 AND b.created_ms < ?2"
#define FUNNEL_ORDER \
    " ORDER BY COALESCE(NULLIF(b.parent_id, 0), b.id), b.id"
static const char *const sql_funnels[2] = {
    FUNNEL_COLUMNS
    " COALESCE(sum(o.state IN ('held', 'queued', 'sending')), 0),"
    " COALESCE(sum(o.state IN ('sent', 'delivered', 'undelivered')), 0),"
    " COALESCE(sum(o.state = 'delivered'), 0),"
    " COALESCE(sum(o.state = 'undelivered'), 0),"
    " COALESCE(sum(o.state = 'failed'"
    "   AND COALESCE(o.reason, '') <> 'cancelled'), 0),"
    " COALESCE(sum(o.state = 'expired'), 0),"
    " COALESCE(sum(o.state = 'failed' AND o.reason = 'cancelled'), 0)"
    FUNNEL_FROM " GROUP BY b.id" FUNNEL_ORDER,
    FUNNEL_COLUMNS
    " COALESCE(sum((o.state IN ('held', 'queued', 'sending'))::int), 0),"
    " COALESCE(sum((o.state IN ('sent', 'delivered', 'undelivered'))::int),"
    " 0),"
    " COALESCE(sum((o.state = 'delivered')::int), 0),"
    " COALESCE(sum((o.state = 'undelivered')::int), 0),"
    " COALESCE(sum((o.state = 'failed'"
    "   AND COALESCE(o.reason, '') <> 'cancelled')::int), 0),"
    " COALESCE(sum((o.state = 'expired')::int), 0),"
    " COALESCE(sum((o.state = 'failed' AND o.reason = 'cancelled')::int),"
    " 0)"
    FUNNEL_FROM " GROUP BY b.id, m.id" FUNNEL_ORDER };

static const char *const sql_meeting_rsvps[2] = {
    "SELECT sum(answer = 'yes'), sum(answer = 'no') FROM rsvps"
    " WHERE meeting_id = ?1",
    "SELECT sum((answer = 'yes')::int), sum((answer = 'no')::int)"
    " FROM rsvps WHERE meeting_id = ?1" };

/* The day is worked out in SQL from the offset, so no row leaves SQLite
 * for the grouping. */
static const char *const sql_rsvps_by_day[2] = {
    "SELECT r.meeting_id, m.title,"
    " strftime('%Y-%m-%d', (r.time_ms + ?3 * 60000) / 1000, 'unixepoch'),"
    " sum(r.answer = 'yes'), sum(r.answer = 'no')"
    " FROM rsvps r LEFT JOIN meetings m ON m.id = r.meeting_id"
    " WHERE r.time_ms >= ?1 AND r.time_ms < ?2"
    " GROUP BY 1, 3 ORDER BY 1, 3",
    "SELECT r.meeting_id, min(m.title),"
    " to_char(to_timestamp((r.time_ms + ?3 * 60000) / 1000)"
    " AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,"
    " sum((r.answer = 'yes')::int), sum((r.answer = 'no')::int)"
    " FROM rsvps r LEFT JOIN meetings m ON m.id = r.meeting_id"
    " WHERE r.time_ms >= ?1 AND r.time_ms < ?2"
    " GROUP BY 1, 3 ORDER BY 1, 3" };

static const char *const sql_opted_out =
    "/* report: opt-outs in a period, once per report */"
    " SELECT count(*) FROM contacts WHERE opted_out_ms > 0"
    " AND opted_out_ms >= ?1 AND opted_out_ms < ?2"
    " AND (?3 IS NULL OR district = ?3)";

/* Column names other features might have chosen, in order of preference. */
static const char *const node_columns[] = { "last_node", "node",
    "current_node", "node_id", "state", NULL };
static const char *const call_time_columns[] = { "started_ms", "start_ms",
    "created_ms", "time_ms", "start_time_ms", NULL };

static void
bind_range(struct store_db_stmt *s, const struct store_filter *f)
{
	store_db_bind_int64(s, 1, f != NULL && f->since_ms != 0 ?
	    f->since_ms : INT64_MIN);
	store_db_bind_int64(s, 2, f != NULL && f->until_ms != 0 ?
	    f->until_ms : INT64_MAX);
}

/* A count(*) lookup with up to two text parameters: the count, or -1. */
static int64_t
count_of(struct store *st, const char *const *sql, const char *a,
    const char *b, const char *op)
{
	struct store_db_stmt *s = store_sq_prepared(st, sql, op);
	int64_t n = -1;

	if (s == NULL)
		return -1;
	store_sq_bind_text(s, 1, a);
	if (b != NULL)
		store_sq_bind_text(s, 2, b);
	if (store_sq_step_row(st, s, op) == 1) {
		n = store_db_column_int64(s, 0);
		store_sq_done(s);
	}
	return n;
}

/* 1 the table exists, 0 not, -1 error. */
static int
table_exists(struct store *st, const char *table)
{
	int64_t n = count_of(st, STORE_SQL(st, sql_table_exists), table, NULL,
	    "report_table_exists");

	return n < 0 ? -1 : n > 0;
}

/* The first of names that is a column of table, or NULL. */
static const char *
pick_column(struct store *st, const char *table, const char *const *names)
{
	for (; *names != NULL; names++)
		if (count_of(st, STORE_SQL(st, sql_column_exists), table, *names,
		    "report_column_exists") > 0)
			return *names;
	return NULL;
}

/*
 * Prepare SQL put together from identifiers that pick_column() chose from
 * our own lists (never from input).  For a report, run once: not cached.
 */
static struct store_db_stmt *
prepare_built(struct store *st, const char *sql, const char *op)
{
	struct store_db_stmt *s = store_db_prepare(&st->db, sql);

	if (s == NULL)
		store_sq_fail(st, op);
	return s;
}

int
store_report_unmatched(struct store *st, const struct store_filter *f,
    size_t limit, int (*cb)(void *, const char *, int64_t, int64_t),
    void *arg)
{
	struct store_db_stmt *s = store_sq_prepared(st, STORE_SQL(st, sql_unmatched), "report_unmatched");
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	bind_range(s, f);
	store_sq_bind_text(s, 3, f != NULL ? f->channel : NULL);
	store_sq_bind_text(s, 4, f != NULL ? f->district : NULL);
	store_db_bind_int64(s, 5, limit > 0 && limit < INT64_MAX ?
	    (int64_t)limit : -1);
	while ((rc = store_db_step(s)) == STORE_DB_ROW)
		if (cb(arg, store_sq_column_str(s, 0), store_db_column_int64(s, 1),
		    store_db_column_int64(s, 2)) != 0) {
			ret = -1;
			break;
		}
	if (ret == 0 && rc != STORE_DB_DONE && rc != STORE_DB_ROW)
		ret = store_sq_fail(st, "report_unmatched");
	store_sq_done(s);
	return ret;
}

/* The value of the line "name=value" in vars, or NULL; caller frees. */
static char *
var_value(const char *vars, const char *name)
{
	size_t len = strlen(name), n;
	const char *p;

	for (p = vars; p != NULL && *p != '\0'; p += n + (p[n] != '\0')) {
		n = strcspn(p, "\n");
		if (n > len && strncmp(p, name, len) == 0 && p[len] == '=')
			return xstrndup(p + len + 1, n - len - 1 -
			    (p[n - 1] == '\r'));
	}
	return NULL;
}

int
store_report_funnels(struct store *st, const struct store_filter *f,
    int (*cb)(void *, const struct store_funnel *), void *arg)
{
	struct store_db_stmt *s, *r;
	struct store_funnel fu;
	char *title;
	int rc, rr, ret = 0, any = 0;

	if ((s = store_sq_prepared(st, STORE_SQL(st, sql_funnels), "report_funnels")) == NULL ||
	    (r = store_sq_prepared(st, STORE_SQL(st, sql_meeting_rsvps), "report_funnels")) ==
	    NULL)
		return -1;
	bind_range(s, f);
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		memset(&fu, 0, sizeof(fu));
		fu.broadcast_id = store_db_column_int64(s, 0);
		fu.kind = store_sq_column_str(s, 1);
		fu.parent_id = store_db_column_int64(s, 2);
		fu.audience = store_sq_column_str(s, 3);
		fu.template_key = store_sq_column_str(s, 4);
		fu.created_by = store_sq_column_str(s, 6);
		fu.state = store_sq_column_str(s, 7);
		fu.created_ms = store_db_column_int64(s, 8);
		fu.meeting_id = store_db_column_int64(s, 9);
		fu.meeting_ms = store_db_column_int64(s, 11);
		fu.messages = store_db_column_int64(s, 12);
		fu.first_queued_ms = store_db_column_int64(s, 13);
		fu.pending = store_db_column_int64(s, 14);
		fu.sent = store_db_column_int64(s, 15);
		fu.delivered = store_db_column_int64(s, 16);
		fu.undelivered = store_db_column_int64(s, 17);
		fu.failed = store_db_column_int64(s, 18);
		fu.expired = store_db_column_int64(s, 19);
		fu.cancelled = store_db_column_int64(s, 20);
		title = store_sq_column_dup(s, 10);
		if (title == NULL)
			title = var_value(store_sq_column_str(s, 5), "title");
		fu.title = title != NULL ? title : fu.template_key;
		if (fu.meeting_id != 0 && fu.parent_id == 0 &&
		    (fu.kind == NULL || strcmp(fu.kind, "reminder") != 0)) {
			store_db_bind_int64(r, 1, fu.meeting_id);
			/* A busy or broken database is no "nobody answered". */
			if ((rr = store_sq_step_row(st, r,
			    "report_funnels")) == -1) {
				free(title);
				ret = -1;
				break;
			}
			if (rr == 1) {
				fu.has_rsvp = 1;
				fu.rsvp_yes = store_db_column_int64(r, 0);
				fu.rsvp_no = store_db_column_int64(r, 1);
				store_sq_done(r);
			}
		}
		any = 1;
		ret = cb(arg, &fu) != 0 ? -1 : 0;
		free(title);
		if (ret == -1)
			break;
	}
	if (ret == 0 && rc != STORE_DB_DONE && rc != STORE_DB_ROW)
		ret = store_sq_fail(st, "report_funnels");
	store_sq_done(s);
	return ret == -1 ? -1 : any;
}

int
store_report_rsvps(struct store *st, const struct store_filter *f,
    int utc_offset_min, int (*cb)(void *, int64_t, const char *,
    const char *, int64_t, int64_t), void *arg)
{
	struct store_db_stmt *s = store_sq_prepared(st, STORE_SQL(st, sql_rsvps_by_day),
	    "report_rsvps");
	int rc, ret = 0;

	if (s == NULL)
		return -1;
	bind_range(s, f);
	store_db_bind_int64(s, 3, utc_offset_min);
	while ((rc = store_db_step(s)) == STORE_DB_ROW)
		if (cb(arg, store_db_column_int64(s, 0), store_sq_column_str(s, 1),
		    store_sq_column_str(s, 2), store_db_column_int64(s, 3),
		    store_db_column_int64(s, 4)) != 0) {
			ret = -1;
			break;
		}
	if (ret == 0 && rc != STORE_DB_DONE && rc != STORE_DB_ROW)
		ret = store_sq_fail(st, "report_rsvps");
	store_sq_done(s);
	return ret;
}

int
store_report_ivr(struct store *st, const struct store_filter *f,
    int (*cb)(void *, const char *, int64_t), void *arg)
{
	const char *node, *when;
	struct store_db_stmt *s;
	char sql[512];
	int rc, ret = 1;

	if ((rc = table_exists(st, "calls")) != 1)
		return rc;
	if ((node = pick_column(st, "calls", node_columns)) == NULL) {
		log_warn("report", "section=ivr skipped=\"calls has no node "
		    "column\"");
		return 0;
	}
	when = pick_column(st, "calls", call_time_columns);
	/* The node a call was at when it was last seen: where it ended. */
	if (when != NULL)
		snprintf(sql, sizeof(sql), "SELECT COALESCE(%s, '(start)'),"
		    " count(*) FROM calls WHERE %s >= ?1 AND %s < ?2"
		    " GROUP BY 1 ORDER BY 2 DESC, 1", node, when, when);
	else
		snprintf(sql, sizeof(sql), "SELECT COALESCE(%s, '(start)'),"
		    " count(*) FROM calls GROUP BY 1 ORDER BY 2 DESC, 1", node);
	if ((s = prepare_built(st, sql, "report_ivr")) == NULL)
		return -1;
	if (when != NULL)
		bind_range(s, f);
	while ((rc = store_db_step(s)) == STORE_DB_ROW)
		if (cb(arg, store_sq_column_str(s, 0), store_db_column_int64(s, 1))
		    != 0) {
			ret = -1;
			break;
		}
	if (ret == 1 && rc != STORE_DB_DONE && rc != STORE_DB_ROW)
		ret = store_sq_fail(st, "report_ivr");
	store_db_finalize(s);
	return ret;
}

int
store_report_opted_out(struct store *st, const struct store_filter *f,
    int64_t *n)
{
	struct store_db_stmt *s = store_sq_prepared(st, &sql_opted_out, "report_opted_out");
	int rc;

	if (s == NULL)
		return -1;
	bind_range(s, f);
	store_sq_bind_text(s, 3, f != NULL ? f->district : NULL);
	if ((rc = store_sq_step_row(st, s, "report_opted_out")) == 1) {
		*n = store_db_column_int64(s, 0);
		store_sq_done(s);
		return 0;
	}
	return rc == 0 ? (*n = 0, 0) : -1;
}
