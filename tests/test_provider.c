/*
 * test_provider: the provider table and the settings schema each entry
 * carries, as the runtime turns them into config sections and resolved
 * settings (struct provider_conf), secrets from the environment included.
 * What one adapter does with its settings is its own test's business
 * (tests/test_provider_<name>.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "provider.h"
#include "runtime.h"
#include "util.h"

/* The default of directive name in p's settings, or NULL. */
static const char *
schema_default(const struct provider *p, const char *key)
{
	char name[128];
	size_t i;

	snprintf(name, sizeof(name), "%s.%s", p->name, key);
	for (i = 0; i < p->nsettings; i++)
		if (strcmp(p->settings[i].name, name) == 0)
			return p->settings[i].defval;
	return NULL;
}

/* "SAMPARK_<NAME><suffix>" for p. */
static char *
env_name(const struct provider *p, const char *suffix)
{
	char *s = xasprintf("SAMPARK_%s%s", p->name, suffix), *c;

	for (c = s; *c != '\0'; c++)
		*c = (char)toupper((unsigned char)*c);
	return s;
}

/* Every entry: a unique name found by provider_find, and a section of its
 * own in which every row is "<name>.<key>", "enabled" among them. */
static void
test_table_and_sections(void **state)
{
	size_t i, j, len;

	(void)state;
	assert_non_null(provider_table[0]);
	for (i = 0; provider_table[i] != NULL; i++) {
		const struct provider *p = provider_table[i];

		assert_ptr_equal(provider_find(p->name), p);
		assert_true(p->parse_sms != NULL && p->render_sms_reply != NULL);
		assert_true(p->nsettings > 0);
		assert_non_null(schema_default(p, "enabled"));
		len = strlen(p->name);
		for (j = 0; j < p->nsettings; j++) {
			const char *n = p->settings[j].name;

			if (strncmp(n, p->name, len) != 0 || n[len] != '.')
				fail_msg("%s: setting %s is outside [%s]",
				    p->name, n, p->name);
			assert_null(strchr(n + len + 1, '.'));
		}
		/* Voice is all or nothing. */
		assert_int_equal(p->parse_voice != NULL,
		    p->render_voice != NULL);
	}
	assert_null(provider_find("nosuch"));
}

/*
 * A provider that sends names its secrets' variables
 * SAMPARK_<NAME>_AUTH_TOKEN, _URL_TOKEN and _WEBHOOK_KEY by default and
 * has a default API base: the names operators put in secrets.env.
 */
static void
test_secret_variables(void **state)
{
	static const char *const keys[][2] = {
		{ "auth_token_env", "_AUTH_TOKEN" },
		{ "url_token_env", "_URL_TOKEN" },
		{ "webhook_key_env", "_WEBHOOK_KEY" },
	};
	const char *api;
	size_t i, k;
	char *want;

	(void)state;
	for (i = 0; provider_table[i] != NULL; i++) {
		const struct provider *p = provider_table[i];

		if (p->build_send == NULL)
			continue;
		for (k = 0; k < SP_ARRAY_LEN(keys); k++) {
			want = env_name(p, keys[k][1]);
			assert_non_null(schema_default(p, keys[k][0]));
			assert_string_equal(schema_default(p, keys[k][0]),
			    want);
			free(want);
		}
		api = schema_default(p, "api_base");
		assert_non_null(api);
		assert_true(strncmp(api, "https://", 8) == 0);
	}
}

/* Every provider's section is in the daemon's vocabulary, whole. */
static void
test_sections_in_config(void **state)
{
	struct config *cf = runtime_config_defaults();
	const struct config_directive *d;
	size_t i, j, k, n;

	(void)state;
	d = config_directives(cf, &n);
	for (i = 0; provider_table[i] != NULL; i++)
		for (j = 0; j < provider_table[i]->nsettings; j++) {
			const char *name = provider_table[i]->settings[j].name;

			for (k = 0; k < n && strcmp(d[k].name, name) != 0; k++)
				;
			assert_true(k < n);
			(void)config_str(cf, name);
		}
	config_free(cf);
}

static const struct provider_conf *
conf_of(const struct provider_conf *pconf, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(pconf[i].name, name) == 0)
			return &pconf[i];
	fail_msg("no provider %s", name);
	return NULL;
}

/* Common keys become typed fields, a provider's own keys stay readable by
 * key, secrets come from the variables the *_env keys name. */
static void
test_resolved_settings(void **state)
{
	char *ov[] = { "twilio.enabled=on", "twilio.from=+15005550006",
	    "twilio.auth_token_env=TEST_PROVIDER_TOKEN", "twilio.reply=outbox",
	    "exotel.voice_url=http://my.exotel.com/x/exoml/start_voice/1",
	    "console.allow_remote=yes", "public_url=https://gw.example.in",
	    "audio_public=yes" };
	const struct provider_conf *tw, *ex, *co;
	struct provider_conf *pconf;
	struct config *cf;
	struct buf errors;
	size_t n;

	(void)state;
	buf_init(&errors, 0);
	setenv("TEST_PROVIDER_TOKEN", "s3cret", 1);
	unsetenv("SAMPARK_EXOTEL_AUTH_TOKEN");
	cf = runtime_config_load(NULL, ov, SP_ARRAY_LEN(ov), &errors);
	assert_non_null(cf);
	pconf = runtime_providers_new(cf, &n, &errors);
	assert_string_equal(buf_cstr(&errors), "");
	tw = conf_of(pconf, n, "twilio");
	assert_int_equal(tw->enabled, 1);
	assert_string_equal(tw->from, "+15005550006");
	assert_string_equal(tw->api_base, "https://api.twilio.com");
	assert_string_equal(tw->auth_token, "s3cret");
	assert_string_equal(tw->auth_token_env, "TEST_PROVIDER_TOKEN");
	assert_null(tw->url_token);
	assert_int_equal(tw->reply_inline, 0);
	assert_int_equal(tw->max_inflight, 4);
	assert_true(tw->rate == 1.0);
	assert_int_equal(tw->audio_ok, 1);
	assert_string_equal(provider_setting(tw, "from"), "+15005550006");
	assert_string_equal(provider_setting(tw, "voice_url"), "");

	ex = conf_of(pconf, n, "exotel");
	assert_int_equal(ex->enabled, 0);
	assert_null(ex->auth_token);
	assert_string_equal(ex->auth_token_env, "SAMPARK_EXOTEL_AUTH_TOKEN");
	assert_string_equal(provider_setting(ex, "voice_url"),
	    "http://my.exotel.com/x/exoml/start_voice/1");

	/* The console has no secrets and keys of its own. */
	co = conf_of(pconf, n, "console");
	assert_int_equal(provider_setting_bool(co, "allow_remote"), 1);
	assert_int_equal(provider_setting_bool(tw, "allow_remote"), 0);
	assert_string_equal(co->auth_token_env, "");
	assert_null(co->auth_token);
	assert_int_equal(co->max_inflight, 8);
	assert_true(co->rate == 0.0);
	assert_int_equal(co->reply_inline, 1);
	runtime_providers_free(pconf, n);
	config_free(cf);
	unsetenv("TEST_PROVIDER_TOKEN");
	buf_free(&errors);
}

/* A rate that is no number is the operator's error, named by its key. */
static void
test_bad_rate(void **state)
{
	char *ov[] = { "plivo.rate=fast" };
	struct provider_conf *pconf;
	struct config *cf;
	struct buf errors;
	size_t n;

	(void)state;
	buf_init(&errors, 0);
	cf = runtime_config_load(NULL, ov, 1, &errors);
	assert_non_null(cf);
	pconf = runtime_providers_new(cf, &n, &errors);
	assert_string_equal(buf_cstr(&errors), ": plivo.rate: \"fast\" is not "
	    "a rate in messages per second (0 to 100000)\n");
	runtime_providers_free(pconf, n);
	config_free(cf);
	buf_free(&errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_and_sections),
		cmocka_unit_test(test_secret_variables),
		cmocka_unit_test(test_sections_in_config),
		cmocka_unit_test(test_resolved_settings),
		cmocka_unit_test(test_bad_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
