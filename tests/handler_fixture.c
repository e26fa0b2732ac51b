/* handler_fixture: the shipped configuration over a fake world. */
#include <stdlib.h>

#include "district.h"
#include "fake_ops.h"
#include "handler_fixture.h"
#include "keywords.h"
#include "prompts.h"
#include "understand.h"
#include "util.h"

struct handler_fixture *
handler_fixture_new(const char *config_dir, const char *prompts_dir,
    struct buf *err)
{
	struct handler_fixture *f = xcalloc(1, sizeof(*f));
	char *path;

	path = xasprintf("%s/keywords.conf", config_dir);
	f->kw = keywords_load(path, err);
	free(path);
	path = xasprintf("%s/districts.csv", config_dir);
	f->dt = district_load(path, err);
	free(path);
	path = xasprintf("%s/lexicon.conf", config_dir);
	if (f->kw != NULL && f->dt != NULL)
		f->und = understand_new(f->kw, f->dt, path, err);
	free(path);
	/* The districts Sampark does not serve, as the daemon loads them. */
	path = xasprintf("%s/other_districts.txt", config_dir);
	if (f->und != NULL && understand_add_unserved(f->und, path, err) == -1) {
		understand_free(f->und);
		f->und = NULL;
	}
	free(path);
	f->prompts = prompts_load(prompts_dir, err);
	if (f->kw == NULL || f->dt == NULL || f->und == NULL ||
	    f->prompts == NULL) {
		handler_fixture_free(f);
		return NULL;
	}
	f->world = fake_ops_new();
	fake_ops_attach(f->world, &f->ctx);
	f->ctx.keywords = f->kw;
	f->ctx.understand = f->und;
	f->ctx.districts = f->dt;
	f->ctx.prompts = f->prompts;
	f->ctx.default_language = "hi";
	f->ctx.segment_budget = 2;
	f->ctx.now_ms = 1700000000000LL;
	f->ctx.pending_ms = 30 * 60000;
	f->ctx.more_ms = 60 * 60000;
	return f;
}

void
handler_fixture_free(struct handler_fixture *f)
{
	if (f == NULL)
		return;
	fake_ops_free(f->world);
	understand_free(f->und);
	keywords_free(f->kw);
	district_free(f->dt);
	prompts_free(f->prompts);
	free(f);
}
