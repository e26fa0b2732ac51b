/*
 * fuzz_provider_exotel: Exotel's two SMS webhook shapes (the classic applet's GET with
 * everything in the query, and the JSON POST), its delivery reports and
 * send answers, behind the URL token "tok123".
 */
#include <stdint.h>

#include "fuzz_common.h"
#include "provider.h"

/* The adapter under test (provider_table.c lists it). */
extern const struct provider provider_exotel;

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request fr;
	struct provider_conf conf;

	fuzz_request_parse(&fr, data, size);
	fuzz_provider_conf(&fr, "exotel", "sampark1", &conf);
	fuzz_provider_run(&provider_exotel, &conf, &fr);
	fuzz_request_free(&fr);
	return 0;
}
