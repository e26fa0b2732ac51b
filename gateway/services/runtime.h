/*
 * runtime: everything the daemon reloads on SIGHUP, built in one go and
 * swapped whole: the config, keywords, districts, prompts and the resolved
 * settings of each provider.  A runtime that failed to build is never
 * half-used: the old one stays.
 */
#ifndef SP_RUNTIME_H
#define SP_RUNTIME_H

#include <stddef.h>

#include "provider.h"

struct buf;
struct config;
struct district_table;
struct ivr_menu;
struct keywords_table;
struct prompts;
struct reply_templates;
struct templates_table;
struct understand_table;

struct sp_runtime {
	struct config		*cfg;
	struct keywords_table		*keywords;
	struct district_table	*districts;
	struct understand_table	*understand;	/* built from the two above and
						   the lexicon */
	struct prompts		*prompts;
	struct templates_table	*templates;	/* broadcast templates (DLT) */
	struct reply_templates	*replies;	/* reply templates (DLT), built
						   from prompts and districts */
	struct ivr_menu		*ivr;		/* the voice menu */
	/* Indexed like provider_table. */
	struct provider_conf	*pconf;
	size_t			 npconf;
};

/*
 * The config with its whole vocabulary: config.c's directives and the
 * section of every provider of provider_table (its settings table).
 * Every config is made by one of these two, so that every provider's
 * settings can be read from it.
 */
struct config *runtime_config_load(const char *path, char *const *overrides,
	    size_t noverrides, struct buf *errors);
struct config *runtime_config_defaults(void);

/*
 * Load config_path with the --set overrides, then everything it names.
 * Every problem is appended to *errors as its own line; NULL if any.
 */
struct sp_runtime *runtime_load(const char *config_path,
	    char *const *overrides, size_t noverrides, struct buf *errors);
void	 runtime_free(struct sp_runtime *);

/*
 * The settings of every provider, resolved from cfg and the environment
 * as runtime_load() does, indexed like provider_table (*n entries); for
 * commands that need no more of the runtime.  A bad value is a line in
 * errors.  Free with runtime_providers_free().
 */
struct provider_conf *runtime_providers_new(const struct config *cfg,
	    size_t *n, struct buf *errors);
void	 runtime_providers_free(struct provider_conf *, size_t n);

/*
 * The provider to send through when none is named: the first enabled
 * provider of provider_table that can send with its settings
 * (provider_can_send), the local console only when no other can; NULL
 * with why when there is none.  pconf is indexed like provider_table.
 */
const struct provider *runtime_default_sender(const struct provider_conf *,
	    size_t n, char *why, size_t whylen);

/* The provider broadcasts go through: broadcast_provider, else the first
 * enabled one that can send with its settings and secrets (console, into
 * the log, only when no other can), else NULL with why.  (What
 * struct broadcast_env's default_provider is set to.) */
const char *runtime_broadcast_provider(const struct config *, char *why,
	    size_t whylen);

/*
 * Check the references between settings that cannot work, one line each
 * into problems ("FILE:LINE: message"): an enabled provider without its
 * secret (naming the variable to set), and a broadcast_provider that is
 * no provider, not enabled, or cannot send.  What only limits a provider
 * goes into warnings ("provider: message").
 */
void	 runtime_check_references(const struct sp_runtime *,
	    struct buf *problems, struct buf *warnings);

/* Settings of a provider, or NULL if Sampark has no such provider. */
const struct provider_conf *runtime_provider_conf(const struct sp_runtime *,
	    const struct provider *);

#endif
