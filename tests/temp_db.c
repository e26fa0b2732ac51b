/* temp_db: see temp_db.h. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "temp_db.h"
#include "util.h"

void
temp_db_make(struct temp_db *t, const char *tag)
{
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
	size_t i;
	char *p;

	for (i = 0; i < SP_ARRAY_LEN(suffixes); i++) {
		p = xasprintf("%s%s", t->path, suffixes[i]);
		unlink(p);
		free(p);
	}
	rmdir(t->dir);
	free(t->path);
	t->path = NULL;
}
