/* store_db: see store_db.h. */
#include <stdlib.h>
#include <string.h>

#include "store_db.h"
#include "util.h"

int
store_db_is_pg_url(const char *url)
{
	return url != NULL && (strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0);
}

int
store_db_exec(struct store_db *db, const char *script)
{
	if (db->sq != NULL)
		return sqlite3_exec(db->sq, script, NULL, NULL, NULL) ==
		    SQLITE_OK ? 0 : -1;
	return store_db_pg_exec(db->pg, script);
}

struct store_db_stmt *
store_db_prepare(struct store_db *db, const char *sql)
{
	struct store_db_stmt *s = xcalloc(1, sizeof(*s));

	if (db->sq != NULL) {
		/* Prepared once and reused for the store's life. */
		if (sqlite3_prepare_v3(db->sq, sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &s->sq, NULL) != SQLITE_OK ||
		    s->sq == NULL) {
			sqlite3_finalize(s->sq);
			free(s);
			return NULL;
		}
		return s;
	}
	if ((s->pg = store_db_pg_prepare(db->pg, sql)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
store_db_finalize(struct store_db_stmt *s)
{
	if (s == NULL)
		return;
	if (s->sq != NULL)
		sqlite3_finalize(s->sq);
	else
		store_db_pg_finalize(s->pg);
	free(s);
}

void
store_db_close(struct store_db *db)
{
	if (db->sq != NULL)
		sqlite3_close(db->sq);
	if (db->pg != NULL)
		store_db_pg_close(db->pg);
	db->sq = NULL;
	db->pg = NULL;
}
