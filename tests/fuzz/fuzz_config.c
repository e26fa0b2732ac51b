/*
 * fuzz_config: sampark.conf parsing, with the daemon's vocabulary (every
 * provider's section too).  The input becomes the config file (its lines
 * starting "--set " are also passed as overrides); whatever loads is read
 * back through every directive's getter, and resolved into every
 * provider's settings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_common.h"
#include "log.h"
#include "runtime.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_OVERRIDES	4

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config_directive *d;
	char *ov[MAX_OVERRIDES], *text, *line, *save = NULL;
	struct provider_conf *pconf;
	struct config *cf;
	struct buf errors;
	const char *path;
	size_t i, n, nov = 0;

	log_set_level(LOG_LEVEL_ERROR);
	if ((path = fuzz_write_file("sampark.conf", data, size)) == NULL)
		return 0;
	text = fuzz_strndup(data, size);
	for (line = strtok_r(text, "\n", &save); line != NULL &&
	    nov < MAX_OVERRIDES; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "--set ", 6) == 0)
			ov[nov++] = line + 6;
	buf_init(&errors, 64 * 1024);
	cf = runtime_config_load(path, ov, nov, &errors);
	if (cf != NULL) {
		d = config_directives(cf, &n);
		for (i = 0; i < n; i++) {
			(void)config_str(cf, d[i].name);
			(void)config_is_set(cf, d[i].name);
			if (d[i].type == CONFIG_INT)
				(void)config_int(cf, d[i].name);
			else if (d[i].type == CONFIG_BOOL)
				(void)config_bool(cf, d[i].name);
		}
		(void)config_file(cf);
		pconf = runtime_providers_new(cf, &n, &errors);
		runtime_providers_free(pconf, n);
	}
	config_free(cf);
	buf_free(&errors);
	free(text);
	return 0;
}
