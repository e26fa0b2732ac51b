/*
 * provider_table: the one list of provider adapters, found by name.  No
 * if/else chains on provider names anywhere else: the runtime builds the
 * config's provider sections, resolves settings and secrets, and picks
 * the default sender by walking this table.  Adding a provider = one
 * provider_<name>.c, its extern and its line here, and its test file
 * (see provider.h).  The order is the order of preference when nothing
 * names the provider to send through.
 */
#include <stddef.h>
#include <string.h>

#include "provider.h"

extern const struct provider provider_console;
extern const struct provider provider_twilio;
extern const struct provider provider_plivo;
extern const struct provider provider_exotel;
extern const struct provider provider_android;

const struct provider *const provider_table[] = {
	&provider_console,
	&provider_twilio,
	&provider_plivo,
	&provider_exotel,
	&provider_android,
	NULL,
};

const struct provider *
provider_find(const char *name)
{
	size_t i;

	for (i = 0; provider_table[i] != NULL; i++)
		if (strcmp(provider_table[i]->name, name) == 0)
			return provider_table[i];
	return NULL;
}
