/*
 * runtime: load and cross-check config, keywords, districts and prompts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "district.h"
#include "handler.h"
#include "ivr.h"
#include "keywords.h"
#include "understand.h"
#include "phone.h"
#include "prompts.h"
#include "reply_templates.h"
#include "runtime.h"
#include "schedule.h"
#include "templates.h"
#include "util.h"

/* The sections of every provider, for config_load(); free() the array. */
static struct config_table *
provider_sections(size_t *n)
{
	struct config_table *t;
	size_t i;

	for (*n = 0; provider_table[*n] != NULL; (*n)++)
		;
	t = xcalloc(*n, sizeof(*t));
	for (i = 0; i < *n; i++) {
		t[i].d = provider_table[i]->settings;
		t[i].n = provider_table[i]->nsettings;
	}
	return t;
}

struct config *
runtime_config_load(const char *path, char *const *overrides,
    size_t noverrides, struct buf *errors)
{
	struct config_table *t;
	struct config *cfg;
	size_t n;

	t = provider_sections(&n);
	cfg = config_load(path, t, n, overrides, noverrides, errors);
	free(t);
	return cfg;
}

struct config *
runtime_config_defaults(void)
{
	struct config_table *t;
	struct config *cfg;
	size_t n;

	t = provider_sections(&n);
	cfg = config_defaults(t, n);
	free(t);
	return cfg;
}

/* The settings of p's section by key ("[twilio] from" as "from"). */
static struct provider_value *
section_values(const struct config *cfg, const struct provider *p,
    size_t *n)
{
	struct provider_value *v;
	size_t i, len = strlen(p->name);

	v = xcalloc(p->nsettings, sizeof(*v));
	for (i = *n = 0; i < p->nsettings; i++) {
		const char *name = p->settings[i].name;

		/* A row outside the section is a table bug (test_provider). */
		if (strncmp(name, p->name, len) != 0 || name[len] != '.')
			continue;
		v[*n].key = name + len + 1;
		v[(*n)++].value = config_str(cfg, name);
	}
	return v;
}

/* The secret in the environment variable env names, or NULL. */
static char *
secret_from_env(const char *env)
{
	const char *v = *env != '\0' ? getenv(env) : NULL;

	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

/* pc's common fields from its section's values and the environment; a
 * bad value is a line in errors. */
static void
provider_conf_fill(const struct config *cfg, const struct provider *p,
    struct provider_conf *pc, struct buf *errors)
{
	const char *v, *mode;
	char *end, key[96];

	pc->enabled = provider_setting_bool(pc, "enabled");
	pc->account_sid = provider_setting(pc, "account_sid");
	pc->api_key = provider_setting(pc, "api_key");
	pc->api_base = provider_setting(pc, "api_base");
	pc->from = provider_setting(pc, "from");
	pc->dlt_entity_id = provider_setting(pc, "dlt_entity_id");
	pc->dlt_template_id = provider_setting(pc, "dlt_template_id");
	pc->sms_type = provider_setting(pc, "sms_type");
	pc->auth_token_env = provider_setting(pc, "auth_token_env");
	pc->url_token_env = provider_setting(pc, "url_token_env");
	pc->webhook_key_env = provider_setting(pc, "webhook_key_env");
	pc->auth_token = secret_from_env(pc->auth_token_env);
	pc->url_token = secret_from_env(pc->url_token_env);
	pc->webhook_key = secret_from_env(pc->webhook_key_env);
	mode = provider_setting(pc, "reply_mode");
	snprintf(key, sizeof(key), "%s.reply", pc->name);
	/* The older key, where the provider has it and it was set. */
	if (*mode == '\0' && *provider_setting(pc, "reply") != '\0' &&
	    config_is_set(cfg, key))
		mode = strcmp(provider_setting(pc, "reply"), "outbox") == 0 ?
		    "api" : "inline";
	if (*mode == '\0')
		mode = p->reply_mode_default != NULL ?
		    p->reply_mode_default : "inline";
	if (strcmp(mode, "inline") != 0 && strcmp(mode, "api") != 0)
		buf_printf(errors, "%s: %s.reply_mode: \"%s\" is not one of "
		    "inline|api\n", config_file(cfg), pc->name, mode);
	pc->reply_inline = strcmp(mode, "inline") == 0;
	v = provider_setting(pc, "max_inflight");
	pc->max_inflight = *v != '\0' ? (int)strtol(v, NULL, 10) : 4;
	v = provider_setting(pc, "rate");
	pc->rate = *v != '\0' ? strtod(v, &end) : 0;
	if (*v != '\0' && (*end != '\0' || pc->rate < 0 ||
	    pc->rate > 100000))
		buf_printf(errors, "%s: %s.rate: \"%s\" is not a rate in "
		    "messages per second (0 to 100000)\n", config_file(cfg),
		    pc->name, v);
}

struct provider_conf *
runtime_providers_new(const struct config *cfg, size_t *np,
    struct buf *errors)
{
	struct provider_conf *pconf;
	size_t i, n;

	for (n = 0; provider_table[n] != NULL; n++)
		;
	pconf = xcalloc(n, sizeof(*pconf));
	for (i = 0; i < n; i++) {
		struct provider_conf *pc = &pconf[i];

		pc->name = provider_table[i]->name;
		pc->public_url = config_str(cfg, "public_url");
		/* Providers fetch prompts from the internet, over https: a
		 * plain-http or unset public_url cannot be reached. */
		pc->audio_ok = config_bool(cfg, "audio_public") &&
		    strncmp(pc->public_url, "https://", 8) == 0;
		pc->default_cc = config_str(cfg, "default_country");
		pc->values = section_values(cfg, provider_table[i],
		    &pc->nvalues);
		provider_conf_fill(cfg, provider_table[i], pc, errors);
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
		free((void *)pconf[i].values);
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
		util_err(why, whylen, "no enabled provider can send (enable "
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
check_handlers(const struct keywords_table *kw, const char *path,
    struct buf *errors)
{
	size_t i;

	for (i = 0; i < keywords_count(kw); i++) {
		const struct keyword *k = keywords_at(kw, i);

		if (handler_find(k->handler) == NULL)
			buf_printf(errors, "%s:%zu: keyword [%s]: no handler "
			    "named \"%s\"\n", path, k->handler_line, k->name,
			    k->handler);
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
	struct schedule_rules r;
	char err[256];
	size_t i;

	if (schedule_rules_init(&r, config_str(rt->cfg, "quiet_hours"), 0, err,
	    sizeof(err)) == -1)
		buf_printf(errors, "%s: quiet_hours: %s\n",
		    config_file(rt->cfg), err);
	for (i = 0; rt->templates != NULL && i < SP_ARRAY_LEN(names); i++)
		if (templates_find(rt->templates, config_str(rt->cfg,
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
	size_t before = errors->len, nt;
	struct config_table *t;
	int problems;

	/* A config with problems still names the other files: load them
	 * too, so that one run reports everything (and then fails). */
	t = provider_sections(&nt);
	rt->cfg = config_load_all(config_path, t, nt, overrides, noverrides,
	    errors, &problems);
	free(t);
	/* Without the file itself, the rest is only defaults: stop. */
	if (problems > 0 && config_path != NULL && access(config_path,
	    R_OK) == -1) {
		runtime_free(rt);
		return NULL;
	}
	/* Load all three even if one fails, to report every problem. */
	rt->keywords = keywords_load(config_str(rt->cfg, "keywords"), errors);
	rt->districts = district_load(config_str(rt->cfg, "districts"), errors);
	if (rt->keywords != NULL && rt->districts != NULL)
		rt->understand = understand_new(rt->keywords, rt->districts,
		    config_str(rt->cfg, "lexicon"), errors);
	if (rt->understand != NULL && understand_add_unserved(rt->understand,
	    config_str(rt->cfg, "other_districts"), errors) == -1) {
		understand_free(rt->understand);
		rt->understand = NULL;
	}
	/* A typo of one word landing on another meaning is refused like
	 * any other conflict, so that check-config reports it. */
	understand_check(rt->understand, errors);
	rt->prompts = prompts_load(config_str(rt->cfg, "prompts_dir"), errors);
	rt->templates = templates_load(config_str(rt->cfg, "templates"), errors);
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
	if (rt->prompts != NULL && rt->districts != NULL)
		rt->replies = reply_templates_new(rt->prompts, rt->districts,
		    errors);
	if (rt->replies != NULL)
		(void)reply_templates_load_ids(rt->replies,
		    config_str(rt->cfg, "reply_templates"), errors);
	if (problems > 0 || errors->len != before || rt->keywords == NULL ||
	    rt->districts == NULL || rt->understand == NULL || rt->prompts == NULL || rt->ivr == NULL ||
	    rt->templates == NULL || rt->replies == NULL) {
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
	understand_free(rt->understand);
	keywords_free(rt->keywords);
	district_free(rt->districts);
	prompts_free(rt->prompts);
	templates_free(rt->templates);
	reply_templates_free(rt->replies);
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

const char *
runtime_broadcast_provider(const struct config *cfg, char *why, size_t whylen)
{
	const char *name = config_str(cfg, "broadcast_provider");
	const struct provider *p;
	struct provider_conf *pconf;
	struct buf errors;
	size_t n;

	if (*name != '\0')
		return name;
	/* Only a provider that can send: a broadcast through one without
	 * its account or token fails for every woman in the audience. */
	buf_init(&errors, 0);
	pconf = runtime_providers_new(cfg, &n, &errors);
	p = runtime_default_sender(pconf, n, why, whylen);
	runtime_providers_free(pconf, n);
	buf_free(&errors);
	return p != NULL ? p->name : NULL;
}
