/*
 * store_interactions: the interaction log: one row per inbound or outbound event, deduplicated on the provider's message id, streamed out for export (see store.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_int.h"
#include "util.h"

/* ---- interactions ---- */

int
store_inbound_find(struct store *st, const char *provider,
    const char *provider_msg_id, int64_t *id)
{
	struct store_db_stmt *s = st->stmt[S_INBOUND_FIND];
	int rc;

	store_sq_bind_text(s, 1, provider);
	store_sq_bind_text(s, 2, provider_msg_id);
	if ((rc = store_sq_step_row(st, s, "inbound_find")) == 1) {
		*id = store_db_column_int64(s, 0);
		store_sq_done(s);
	}
	return rc;
}

/* 0 ("not applicable") and -1 ("unknown") are kept as SQL NULL. */
void
store_sq_bind_int64(struct store_db_stmt *s, int i, int64_t v, int64_t null_value)
{
	if (v == null_value)
		store_db_bind_null(s, i);
	else
		store_db_bind_int64(s, i, v);
}

static void
bind_interaction(struct store_db_stmt *s, const struct interaction *row)
{
	const char *v[] = { row->channel, row->direction, row->provider,
	    row->provider_msg_id, row->phone, row->text, row->keyword,
	    row->handler, row->district, row->language, row->encoding };

	store_db_bind_int64(s, 1, row->time_ms);
	store_sq_bind_texts(s, 2, v, SP_ARRAY_LEN(v));
	store_db_bind_int64(s, 13, row->segments);
	store_sq_bind_int64(s, 14, row->latency_ms, -1);
	store_sq_bind_int64(s, 15, row->reply_to, 0);
	store_sq_bind_text(s, 16, row->status);
	store_sq_bind_text(s, 17, row->outcome);
	store_sq_bind_text(s, 18, row->category);
	store_sq_bind_text(s, 19, row->stakeholders);
}

int
store_interaction_log(struct store *st, const struct interaction *row)
{
	struct store_db_stmt *s = st->stmt[S_INTERACTION_INSERT];

	/* Only an inbound row can meet the dedupe index. */
	if (row->direction == NULL || strcmp(row->direction, "out") != 0)
		return store_sq_fail_msg(st, "interaction_log",
		    "only outbound rows are logged without their id");
	bind_interaction(s, row);
	return store_sq_step_deferred(st, s, "interaction_log");
}

int
store_interaction_insert(struct store *st, struct interaction *row)
{
	struct store_db_stmt *s = st->stmt[S_INTERACTION_INSERT];
	int rc, found, changed;

	bind_interaction(s, row);
	/*
	 * No RETURNING here: SQLite gathers RETURNING rows in a temporary
	 * b-tree, and opening one per message costs more than the insert.
	 */
	rc = store_db_step(s);
	if (rc != STORE_DB_DONE) {
		store_sq_fail(st, "interaction_insert");
		store_sq_done(s);
		return -1;
	}
	changed = store_db_changes(&st->db);
	store_sq_done(s);
	if (changed == 1) {
		row->id = store_db_last_id(&st->db);
		return 1;
	}
	/* DO NOTHING fired: only the inbound dedupe index can cause that. */
	found = store_inbound_find(st, row->provider, row->provider_msg_id,
	    &row->id);
	if (found == 0)
		store_sq_fail_msg(st, "interaction_insert", "ignored, yet no such row");
	return found == 1 ? 0 : -1;
}

int
store_interaction_set_outcome(struct store *st, int64_t id,
    const char *outcome)
{
	struct store_db_stmt *s = st->stmt[S_INTERACTION_OUTCOME];

	store_db_bind_int64(s, 1, id);
	store_sq_bind_text(s, 2, outcome);
	return store_sq_run(st, S_INTERACTION_OUTCOME, "interaction_outcome");
}

int
store_replies_for(struct store *st, int64_t inbound_id, char ***texts,
    size_t *n)
{
	struct store_db_stmt *s = st->stmt[S_REPLIES_FOR];

	store_db_bind_int64(s, 1, inbound_id);
	return store_sq_strings(st, s, "replies_for", texts, n);
}

void
store_strings_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Point row at the current export row; valid until the next step. */
static void
export_row(struct store_db_stmt *s, struct interaction *row)
{
	memset(row, 0, sizeof(*row));
	row->id = store_db_column_int64(s, 0);
	row->time_ms = store_db_column_int64(s, 1);
	row->channel = store_sq_column_str(s, 2);
	row->direction = store_sq_column_str(s, 3);
	row->provider = store_sq_column_str(s, 4);
	row->provider_msg_id = store_sq_column_str(s, 5);
	row->phone = store_sq_column_str(s, 6);
	row->text = store_sq_column_str(s, 7);
	row->keyword = store_sq_column_str(s, 8);
	row->handler = store_sq_column_str(s, 9);
	row->district = store_sq_column_str(s, 10);
	row->language = store_sq_column_str(s, 11);
	row->encoding = store_sq_column_str(s, 12);
	row->segments = (int)store_db_column_int64(s, 13);
	row->latency_ms = store_db_column_is_null(s, 14) ? -1 :
	    store_db_column_int64(s, 14);
	row->reply_to = store_db_column_int64(s, 15);
	row->status = store_sq_column_str(s, 16);
	row->outcome = store_sq_column_str(s, 17);
	row->category = store_sq_column_str(s, 18);
	row->stakeholders = store_sq_column_str(s, 19);
}

/*
 * One statement stepped row by row: SQLite reads the table lazily, so
 * memory stays flat whatever its size.
 */
int
store_export(struct store *st, const struct store_filter *f,
    int (*cb)(void *, const struct interaction *), void *arg)
{
	struct store_db_stmt *s = st->stmt[S_EXPORT];
	struct interaction row;
	int rc, ret = 0;

	store_db_bind_int64(s, 1, f != NULL && f->since_ms != 0 ?
	    f->since_ms : INT64_MIN);
	store_db_bind_int64(s, 2, f != NULL && f->until_ms != 0 ?
	    f->until_ms : INT64_MAX);
	store_sq_bind_text(s, 3, f != NULL ? f->channel : NULL);
	store_sq_bind_text(s, 4, f != NULL ? f->district : NULL);
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		export_row(s, &row);
		if (cb(arg, &row) != 0) {
			/* The caller's choice, not a store error: not logged. */
			util_strlcpy(st->err, "export stopped by the callback",
			    sizeof(st->err));
			ret = -1;
			break;
		}
	}
	if (ret == 0 && rc != STORE_DB_DONE)
		ret = store_sq_fail(st, "export");
	store_sq_done(s);
	return ret;
}

