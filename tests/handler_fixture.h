/*
 * handler_fixture: what a router or handler test needs around it: the
 * shipped keywords, districts, lexicon and prompts, a fake world
 * (fake_ops.h) and a context over them, without a database.
 */
#ifndef SP_HANDLER_FIXTURE_H
#define SP_HANDLER_FIXTURE_H

#include "handler.h"

struct buf;
struct district_table;
struct fake_ops;
struct keywords_table;
struct prompts;
struct understand_table;

struct handler_fixture {
	struct keywords_table		*kw;
	struct district_table	*dt;
	struct understand_table	*und;
	struct prompts		*prompts;
	struct fake_ops		*world;
	/*
	 * ops on world, no broadcasts, default language "hi", two SMS per
	 * reply, a question pending for 30 minutes, MORE valid for an
	 * hour, now 2023-11-14; a test changes what it needs.
	 */
	struct sp_ctx		 ctx;
};

/*
 * config_dir holds keywords.conf, districts.csv and lexicon.conf;
 * prompts_dir the prompts.  NULL with the reasons appended to err.
 */
struct handler_fixture *handler_fixture_new(const char *config_dir,
	    const char *prompts_dir, struct buf *err);
void	 handler_fixture_free(struct handler_fixture *); /* NULL: no-op */

#endif
