/*
 * temp_db: a database for one test.  By default an SQLite file in a
 * fresh directory of its own under /tmp, removed with the files SQLite
 * puts beside it.  With SAMPARK_TEST_PG set to a PostgreSQL URI (of a
 * throwaway server: tools/pg_cluster.sh start prints one), a fresh
 * database on that server instead, created here and dropped afterwards;
 * path is then its URI.
 */
#ifndef SP_TEMP_DB_H
#define SP_TEMP_DB_H

struct temp_db {
	char	 dir[64];
	char	*path;		/* dir/t.db, or postgresql://.../NAME */
	char	 name[64];	/* PostgreSQL: the database's name */
};

/* tag names the directory (/tmp/sampark-TAG-XXXXXX) or the database;
 * aborts if it cannot be made, which no test can go on without. */
void	temp_db_make(struct temp_db *, const char *tag);
/* The database, its -wal and -shm files, then the directory (or the
 * PostgreSQL database). */
void	temp_db_remove(struct temp_db *);
/* 1 when the tests run against PostgreSQL (SAMPARK_TEST_PG is set). */
int	temp_db_pg(void);

#endif
