/* temp_db: see temp_db.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "temp_db.h"
#include "util.h"

int
temp_db_pg(void)
{
	const char *u = getenv("SAMPARK_TEST_PG");

	return u != NULL && *u != '\0';
}

/*
 * The server's URI with its database replaced by name: the part between
 * "scheme://authority/" and "?" is the database.
 */
static char *
uri_with_db(const char *base, const char *name)
{
	const char *auth = strstr(base, "://"), *slash, *query;

	if (auth == NULL) {
		fprintf(stderr, "SAMPARK_TEST_PG: not a URI: %s\n", base);
		abort();
	}
	auth += 3;
	slash = auth + strcspn(auth, "/?");
	query = strchr(slash, '?');
	return xasprintf("%.*s/%s%s", (int)(slash - base), base, name,
	    query != NULL ? query : "");
}

/* Run one statement on the server's maintenance database; aborts. */
static void
server_exec(const char *sql)
{
	const char *base = getenv("SAMPARK_TEST_PG");
	PGconn *c = PQconnectdb(base);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "SAMPARK_TEST_PG %s: %s", base,
		    PQerrorMessage(c));
		abort();
	}
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
		abort();
	}
	PQclear(r);
	PQfinish(c);
}

void
temp_db_make(struct temp_db *t, const char *tag)
{
	static unsigned seq;
	char sql[160];

	memset(t->name, 0, sizeof(t->name));
	if (temp_db_pg()) {
		/* Unique on the server: several test binaries run at once. */
		snprintf(t->name, sizeof(t->name), "t_%.24s_%ld_%u", tag,
		    (long)getpid(), seq++);
		snprintf(t->dir, sizeof(t->dir), "%s", "");
		snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", t->name);
		server_exec(sql);
		t->path = uri_with_db(getenv("SAMPARK_TEST_PG"), t->name);
		return;
	}
	snprintf(t->dir, sizeof(t->dir), "/tmp/sampark-%s-XXXXXX", tag);
	if (mkdtemp(t->dir) == NULL) {
		perror(t->dir);
		abort();
	}
	t->path = xasprintf("%s/t.db", t->dir);
}

void
temp_db_remove(struct temp_db *t)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char sql[160];
	size_t i;
	char *p;

	if (t->name[0] != '\0') {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\""
		    " WITH (FORCE)", t->name);
		server_exec(sql);
		free(t->path);
		t->path = NULL;
		return;
	}
	for (i = 0; i < SP_ARRAY_LEN(suffixes); i++) {
		p = xasprintf("%s%s", t->path, suffixes[i]);
		unlink(p);
		free(p);
	}
	rmdir(t->dir);
	free(t->path);
	t->path = NULL;
}
