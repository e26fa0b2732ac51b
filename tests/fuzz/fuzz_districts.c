/*
 * fuzz_districts: districts.csv parsing.  Whatever loads must find each
 * district by its key.
 */
#include <stdint.h>
#include <stdlib.h>

#include "district.h"
#include "fuzz_common.h"
#include "log.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct district_table *dt;
	const struct district *d;
	struct buf errors;
	const char *path;

	log_set_level(LOG_LEVEL_ERROR);
	if ((path = fuzz_write_file("districts.csv", data, size)) == NULL)
		return 0;
	buf_init(&errors, 64 * 1024);
	if ((dt = district_load(path, &errors)) != NULL) {
		if (district_match(dt, "bhadohi", &d) == 1 &&
		    (district_find(dt, d->key) != d ||
		    district_name(d, "hi") == NULL ||
		    district_name(d, "en") == NULL))
			abort();
		(void)district_match(dt, "संत रविदास नगर", &d);
		(void)district_find(dt, "mirzapur");
	}
	district_free(dt);
	buf_free(&errors);
	return 0;
}
