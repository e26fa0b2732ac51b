/*
 * provider_table: the one list of provider adapters, found by name.  No
 * if/else chains on provider names anywhere else.  Adding a provider =
 * one provider_<name>.c and one line here.
 */
#include <stddef.h>
#include <string.h>

#include "provider.h"

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

