/*
 * fuzz_import: the whole check `sampark import stakeholders|contacts`
 * runs on a CSV file before it touches the database: header, fields,
 * category, district, phone, languages, groups (import_rows.h),
 * against the shipped config/keywords.conf and config/districts.csv.
 * The same input is read as both kinds of file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "fuzz_common.h"
#include "import_rows.h"
#include "keywords.h"
#include "phone.h"
#include "store.h"
#include "util.h"
#include "log.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct keywords_table *fuzz_kw;
static struct district_table *fuzz_dt;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_load_vocabulary("fuzz_import", &fuzz_kw, &fuzz_dt);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_rows ic;
	const char *path;
	size_t i;

	if ((path = fuzz_write_file("import.csv", data, size)) == NULL)
		return 0;
	memset(&ic, 0, sizeof(ic));
	ic.path = path;
	ic.kw = fuzz_kw;
	ic.dt = fuzz_dt;
	ic.cc = "91";
	if (import_rows_stakeholders(&ic) == 0)
		for (i = 0; i < ic.n; i++)
			if (!phone_is_e164(ic.rows[i].phone))
				abort();
	if (import_rows_contacts(&ic) == 0)
		for (i = 0; i < ic.ncontacts; i++)
			if (!phone_is_e164(ic.contacts[i].phone))
				abort();
	import_rows_clear(&ic);
	return 0;
}
