/*
 * runtime: load and cross-check config, keywords, districts and prompts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "district.h"
#include "handler.h"
#include "keywords.h"
#include "prompts.h"
#include "runtime.h"
#include "util.h"

/* A directive that only some providers have: "" when absent. */
static const char *
provider_setting(const struct config *cfg, const char *provider,
    const char *key, char *name, size_t namelen)
{
	const struct config_directive *d;
	size_t n, i;

	snprintf(name, namelen, "%s.%s", provider, key);
	d = config_directives(&n);
	for (i = 0; i < n; i++)
		if (strcmp(d[i].name, name) == 0)
			return config_str(cfg, name);
	return "";
}

static void
resolve_providers(struct sp_runtime *rt)
{
	char name[128];
	size_t i;

	for (rt->npconf = 0; provider_table[rt->npconf] != NULL; rt->npconf++)
		;
	rt->pconf = xcalloc(rt->npconf, sizeof(*rt->pconf));
	for (i = 0; i < rt->npconf; i++) {
		const char *p = provider_table[i]->name;
		struct provider_conf *pc = &rt->pconf[i];
		const char *env;

		pc->enabled = strcmp(provider_setting(rt->cfg, p, "enabled",
		    name, sizeof(name)), "") != 0 && config_bool(rt->cfg, name);
		pc->public_url = config_str(rt->cfg, "public_url");
		pc->default_cc = config_str(rt->cfg, "default_country");
		pc->account_sid = provider_setting(rt->cfg, p, "account_sid",
		    name, sizeof(name));
		env = provider_setting(rt->cfg, p, "auth_token_env", name,
		    sizeof(name));
		if (*env != '\0' && getenv(env) != NULL)
			pc->auth_token = xstrdup(getenv(env));
		pc->reply_inline = strcmp(provider_setting(rt->cfg, p, "reply",
		    name, sizeof(name)), "outbox") != 0;
	}
}

/* Every keyword must name a handler that exists. */
static void
check_handlers(const struct kw_table *kw, const char *path,
    struct buf *errors)
{
	size_t i;

	for (i = 0; i < kw_count(kw); i++) {
		const struct keyword *k = kw_at(kw, i);

		if (handler_find(k->handler) == NULL)
			buf_printf(errors, "%s: keyword [%s]: no handler named "
			    "\"%s\"\n", path, k->name, k->handler);
	}
}

struct sp_runtime *
runtime_load(const char *config_path, char *const *overrides,
    size_t noverrides, struct buf *errors)
{
	struct sp_runtime *rt = xcalloc(1, sizeof(*rt));
	size_t before = errors->len;

	rt->cfg = config_load(config_path, overrides, noverrides, errors);
	if (rt->cfg == NULL) {
		runtime_free(rt);
		return NULL;
	}
	/* Load all three even if one fails, to report every problem. */
	rt->keywords = kw_load(config_str(rt->cfg, "keywords"), errors);
	rt->districts = district_load(config_str(rt->cfg, "districts"), errors);
	rt->prompts = prompts_load(config_str(rt->cfg, "prompts_dir"), errors);
	if (rt->keywords != NULL)
		check_handlers(rt->keywords, config_str(rt->cfg, "keywords"),
		    errors);
	if (rt->prompts != NULL && !prompts_has_language(rt->prompts, "en"))
		buf_printf(errors, "%s: no en.txt (English is the fallback "
		    "language)\n", config_str(rt->cfg, "prompts_dir"));
	if (errors->len != before || rt->keywords == NULL ||
	    rt->districts == NULL || rt->prompts == NULL) {
		runtime_free(rt);
		return NULL;
	}
	resolve_providers(rt);
	return rt;
}

void
runtime_free(struct sp_runtime *rt)
{
	size_t i;

	if (rt == NULL)
		return;
	for (i = 0; i < rt->npconf; i++)
		free(rt->pconf[i].auth_token);
	free(rt->pconf);
	kw_free(rt->keywords);
	district_free(rt->districts);
	prompts_free(rt->prompts);
	config_free(rt->cfg);
	free(rt);
}

const struct provider_conf *
runtime_provider_conf(const struct sp_runtime *rt, const struct provider *p)
{
	size_t i;

	for (i = 0; i < rt->npconf; i++)
		if (provider_table[i] == p)
			return &rt->pconf[i];
	return NULL;
}
