/*
 * runtime: load and cross-check config, keywords, districts and prompts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "district.h"
#include "handler.h"
#include "ivr.h"
#include "keywords.h"
#include "understand.h"
#include "phone.h"
#include "prompts.h"
#include "runtime.h"
#include "schedule.h"
#include "templates.h"
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

/* The secret in the environment variable named by directive name. */
static char *
secret_from_env(const struct config *cfg, const char *provider,
    const char *key)
{
	char name[128];
	const char *env = provider_setting(cfg, provider, key, name,
	    sizeof(name));
	const char *v = *env != '\0' ? getenv(env) : NULL;

	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

struct provider_conf *
runtime_providers_new(const struct config *cfg, size_t *np,
    struct buf *errors)
{
	struct provider_conf *pconf;
	char name[128];
	size_t i, n;

	for (n = 0; provider_table[n] != NULL; n++)
		;
	pconf = xcalloc(n, sizeof(*pconf));
	for (i = 0; i < n; i++) {
		const char *p = provider_table[i]->name, *v;
		struct provider_conf *pc = &pconf[i];
		char *end;

		pc->name = p;
		pc->enabled = strcmp(provider_setting(cfg, p, "enabled",
		    name, sizeof(name)), "") != 0 && config_bool(cfg, name);
		pc->public_url = config_str(cfg, "public_url");
		/* Providers fetch prompts from the internet, over https: a
		 * plain-http or unset public_url cannot be reached. */
		pc->audio_ok = config_bool(cfg, "audio_public") &&
		    strncmp(pc->public_url, "https://", 8) == 0;
		pc->default_cc = config_str(cfg, "default_country");
		pc->account_sid = provider_setting(cfg, p, "account_sid",
		    name, sizeof(name));
		pc->api_key = provider_setting(cfg, p, "api_key", name,
		    sizeof(name));
		pc->api_base = provider_setting(cfg, p, "api_base", name,
		    sizeof(name));
		pc->from = provider_setting(cfg, p, "from", name,
		    sizeof(name));
		pc->dlt_entity_id = provider_setting(cfg, p,
		    "dlt_entity_id", name, sizeof(name));
		pc->dlt_template_id = provider_setting(cfg, p,
		    "dlt_template_id", name, sizeof(name));
		pc->sms_type = provider_setting(cfg, p, "sms_type", name,
		    sizeof(name));
		pc->voice_url = provider_setting(cfg, p, "voice_url", name,
		    sizeof(name));
		pc->auth_token = secret_from_env(cfg, p, "auth_token_env");
		pc->url_token = secret_from_env(cfg, p, "url_token_env");
		pc->webhook_key = secret_from_env(cfg, p,
		    "webhook_key_env");
		pc->auth_token_env = provider_setting(cfg, p,
		    "auth_token_env", name, sizeof(name));
		pc->url_token_env = provider_setting(cfg, p,
		    "url_token_env", name, sizeof(name));
		pc->webhook_key_env = provider_setting(cfg, p,
		    "webhook_key_env", name, sizeof(name));
		v = provider_setting(cfg, p, "allow_remote", name,
		    sizeof(name));
		pc->allow_remote = *v != '\0' && config_bool(cfg, name);
		pc->reply_inline = strcmp(provider_setting(cfg, p, "reply",
		    name, sizeof(name)), "outbox") != 0;
		v = provider_setting(cfg, p, "rate", name, sizeof(name));
		pc->rate = *v != '\0' ? strtod(v, &end) : 0;
		if (*v != '\0' && (*end != '\0' || pc->rate < 0 ||
		    pc->rate > 100000))
			buf_printf(errors, "%s: %s: \"%s\" is not a rate in "
			    "messages per second (0 to 100000)\n",
			    config_file(cfg), name, v);
		v = provider_setting(cfg, p, "max_inflight", name,
		    sizeof(name));
		pc->max_inflight = *v != '\0' ? (int)config_int(cfg, name) : 4;
	}
	*np = n;
	return pconf;
}

void
runtime_providers_free(struct provider_conf *pconf, size_t n)
{
	size_t i;

	if (pconf == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(pconf[i].auth_token);
		free(pconf[i].url_token);
		free(pconf[i].webhook_key);
	}
	free(pconf);
}

const struct provider *
runtime_default_sender(const struct provider_conf *pconf, size_t n,
    char *why, size_t whylen)
{
	const struct provider *local = NULL;
	char reason[256];
	size_t i;

	for (i = 0; i < n && provider_table[i] != NULL; i++) {
		if (!pconf[i].enabled)
			continue;
		/* Delivering into the log is the last resort, not a choice. */
		if (provider_table[i]->build_send == NULL) {
			if (local == NULL)
				local = provider_table[i];
			continue;
		}
		if (provider_can_send(provider_table[i], &pconf[i], reason,
		    sizeof(reason)))
			return provider_table[i];
	}
	if (local == NULL)
		sp_err(why, whylen, "no enabled provider can send (enable "
		    "one with its settings and secrets, see check-config)");
	return local;
}

/* The line of the file that set name, for FILE:LINE; the file alone if
 * it came from a default or --set. */
static void
where(const struct config *cfg, const char *name, char *out, size_t outlen)
{
	size_t line = config_line(cfg, name);

	if (line > 0)
		snprintf(out, outlen, "%s:%zu", config_file(cfg), line);
	else if (config_is_set(cfg, name))
		snprintf(out, outlen, "--set %s", name);
	else
		snprintf(out, outlen, "%s", config_file(cfg));
}

void
runtime_check_references(const struct sp_runtime *rt, struct buf *problems,
    struct buf *warnings)
{
	const char *bp = config_str(rt->cfg, "broadcast_provider"), *s, *e;
	const struct provider *p;
	struct buf found, warned;
	char at[512], key[64], why[256];
	size_t i;

	buf_init(&found, 0);
	buf_init(&warned, 0);
	for (i = 0; i < rt->npconf; i++) {
		if (!rt->pconf[i].enabled)
			continue;
		buf_reset(&found);
		buf_reset(&warned);
		provider_check(provider_table[i], &rt->pconf[i], &found,
		    &warned);
		snprintf(key, sizeof(key), "%s.enabled", rt->pconf[i].name);
		where(rt->cfg, key, at, sizeof(at));
		for (s = buf_cstr(&found); (e = strchr(s, '\n')) != NULL;
		    s = e + 1)
			buf_printf(problems, "%s: %s: %.*s\n", at,
			    rt->pconf[i].name, (int)(e - s), s);
		for (s = buf_cstr(&warned); (e = strchr(s, '\n')) != NULL;
		    s = e + 1)
			buf_printf(warnings, "%s: %.*s\n", rt->pconf[i].name,
			    (int)(e - s), s);
	}
	buf_free(&found);
	buf_free(&warned);
	if (*bp == '\0')
		return;
	where(rt->cfg, "broadcast_provider", at, sizeof(at));
	if ((p = provider_find(bp)) == NULL)
		buf_printf(problems, "%s: broadcast_provider: no provider "
		    "named \"%s\"\n", at, bp);
	else if (!runtime_provider_conf(rt, p)->enabled)
		buf_printf(problems, "%s: broadcast_provider: %s is not "
		    "enabled (set %s.enabled = yes)\n", at, bp, bp);
	else if (!provider_can_send(p, runtime_provider_conf(rt, p), why,
	    sizeof(why)))
		buf_printf(problems, "%s: broadcast_provider: %s cannot send: "
		    "%s\n", at, bp, why);
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

static int
handler_exists(const char *name)
{
	return handler_find(name) != NULL;
}

/* missed_call_numbers: each one a phone number, written in E.164. */
static void
check_missed_call_numbers(const struct config *cfg, struct buf *errors)
{
	const char *list = config_str(cfg, "missed_call_numbers");
	char *copy = xstrdup(list), *tok, *save = NULL;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save))
		if (!phone_is_e164(tok))
			buf_printf(errors, "%s: missed_call_numbers: \"%s\" is "
			    "not an E.164 number (+ and country code)\n",
			    config_file(cfg), tok);
	free(copy);
}

/* quiet_hours must parse; the templates that NOTICE and reminders use
 * must exist. */
static void
check_broadcast_settings(struct sp_runtime *rt, struct buf *errors)
{
	const char *names[] = { "notice_template", "reminder_template" };
	struct sched_rules r;
	char err[256];
	size_t i;

	if (sched_rules_init(&r, config_str(rt->cfg, "quiet_hours"), 0, err,
	    sizeof(err)) == -1)
		buf_printf(errors, "%s: quiet_hours: %s\n",
		    config_file(rt->cfg), err);
	for (i = 0; rt->templates != NULL && i < SP_ARRAY_LEN(names); i++)
		if (tpl_find(rt->templates, config_str(rt->cfg,
		    names[i])) == NULL)
			buf_printf(errors, "%s: %s: no template \"%s\" in %s\n",
			    config_file(rt->cfg), names[i],
			    config_str(rt->cfg, names[i]),
			    config_str(rt->cfg, "templates"));
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
	if (rt->keywords != NULL && rt->districts != NULL)
		rt->understand = und_new(rt->keywords, rt->districts,
		    config_str(rt->cfg, "lexicon"), errors);
	if (rt->understand != NULL && und_add_unserved(rt->understand,
	    config_str(rt->cfg, "other_districts"), errors) == -1) {
		und_free(rt->understand);
		rt->understand = NULL;
	}
	/* A typo of one word landing on another meaning is refused like
	 * any other conflict, so that check-config reports it. */
	und_check(rt->understand, errors);
	rt->prompts = prompts_load(config_str(rt->cfg, "prompts_dir"), errors);
	rt->templates = tpl_load(config_str(rt->cfg, "templates"), errors);
	check_broadcast_settings(rt, errors);
	rt->ivr = ivr_load(config_str(rt->cfg, "ivr"), errors);
	if (rt->keywords != NULL)
		check_handlers(rt->keywords, config_str(rt->cfg, "keywords"),
		    errors);
	if (rt->ivr != NULL && rt->prompts != NULL && rt->districts != NULL)
		ivr_check(rt->ivr, rt->prompts, rt->districts, handler_exists,
		    errors);
	check_missed_call_numbers(rt->cfg, errors);
	if (rt->prompts != NULL && !prompts_has_language(rt->prompts, "en"))
		buf_printf(errors, "%s: no en.txt (English is the fallback "
		    "language)\n", config_str(rt->cfg, "prompts_dir"));
	if (errors->len != before || rt->keywords == NULL ||
	    rt->districts == NULL || rt->understand == NULL || rt->prompts == NULL || rt->ivr == NULL ||
	    rt->templates == NULL) {
		runtime_free(rt);
		return NULL;
	}
	rt->pconf = runtime_providers_new(rt->cfg, &rt->npconf, errors);
	if (errors->len != before) {
		runtime_free(rt);
		return NULL;
	}
	return rt;
}

void
runtime_free(struct sp_runtime *rt)
{
	if (rt == NULL)
		return;
	runtime_providers_free(rt->pconf, rt->npconf);
	und_free(rt->understand);
	kw_free(rt->keywords);
	district_free(rt->districts);
	prompts_free(rt->prompts);
	tpl_free(rt->templates);
	ivr_free(rt->ivr);
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
