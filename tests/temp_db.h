/*
 * temp_db: a database file for one test in a fresh directory of its own
 * under /tmp, and its removal with the files SQLite puts beside it.
 */
#ifndef SP_TEMP_DB_H
#define SP_TEMP_DB_H

struct temp_db {
	char	 dir[64];
	char	*path;		/* dir/t.db */
};

/* tag names the directory (/tmp/sampark-TAG-XXXXXX); aborts if it cannot
 * be made, which no test can go on without. */
void	temp_db_make(struct temp_db *, const char *tag);
/* The database, its -wal and -shm files, then the directory. */
void	temp_db_remove(struct temp_db *);

#endif
