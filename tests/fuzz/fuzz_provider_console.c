/*
 * fuzz_provider_console: the console provider's form POST (unsigned, for
 * loopback use) and its plain-text reply.
 */
#include <stdint.h>

#include "fuzz_common.h"
#include "provider.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_console;

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request fr;
	struct provider_conf conf;

	fuzz_request_parse(&fr, data, size);
	fuzz_provider_conf(&fr, "console", "sampark1", &conf);
	fuzz_provider_run(&provider_console, &conf, &fr);
	fuzz_request_free(&fr);
	return 0;
}
