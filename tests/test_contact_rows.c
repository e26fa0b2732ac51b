/*
 * test_contact_rows: a contacts spreadsheet's row as people write it
 * (district names and aliases in any case, Hindi / English, roles in any
 * case, groups by their names), headers by other names, and every
 * problem of a row reported, not only the first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact_rows.h"
#include "district.h"
#include "util.h"

static struct district_table *dt;

static int
load(void **state)
{
	struct buf errors;

	(void)state;
	buf_init(&errors, 0);
	dt = district_load("config/districts.csv", &errors);
	buf_free(&errors);
	return dt == NULL ? -1 : 0;
}

static int
unload(void **state)
{
	(void)state;
	district_free(dt);
	return 0;
}

static void
collect(void *arg, enum contact_col col, const char *msg)
{
	buf_printf(arg, "%s: %s\n", contact_rows_column_name(col), msg);
}

static int
check(const char *phone, const char *name, const char *district,
    const char *lang, const char *role, const char *groups,
    struct contact_row *r, struct buf *problems)
{
	const char *cells[CC_COUNT] = { phone, name, district, lang, role,
	    groups };

	return contact_rows_check(dt, "91", cells, r, collect, problems);
}

static void
test_friendly_row(void **state)
{
	struct contact_row r;
	struct buf p;

	(void)state;
	buf_init(&p, 0);
	assert_int_equal(check(" 98765 00001 ", "Sunita Devi", "Mirzapur",
	    "Hindi", "Coordinator", "Silai Group; सिलाई समूह | weavers-shg",
	    &r, &p), 0);
	assert_string_equal(r.phone, "+919876500001");
	assert_string_equal(r.name, "Sunita Devi");
	assert_string_equal(r.district, "mirzapur");
	assert_string_equal(r.language, "hi");
	assert_string_equal(r.role, "coordinator");
	assert_int_equal(r.ngroups, 3);
	assert_string_equal(r.groups[0], "silai-group");
	assert_string_equal(r.group_names[0], "Silai Group");
	assert_string_equal(r.groups[1], "silai-samuh");
	assert_string_equal(r.group_names[1], "सिलाई समूह");
	assert_string_equal(r.groups[2], "weavers-shg");
	contact_row_clear(&r);

	/* Hindi name, alias, English in capitals; empty cells stay empty. */
	assert_int_equal(check("+919876500002", "", "भदोही", "ENGLISH", "",
	    "", &r, &p), 0);
	assert_string_equal(r.district, "bhadohi");
	assert_string_equal(r.language, "en");
	assert_string_equal(r.role, "");
	assert_int_equal(r.ngroups, 0);
	contact_row_clear(&r);
	assert_int_equal(check("9876500003", NULL, "sant ravidas nagar",
	    "हिंदी", "ENTREPRENEUR", NULL, &r, &p), 0);
	assert_string_equal(r.district, "bhadohi");
	assert_string_equal(r.language, "hi");
	assert_string_equal(r.role, "entrepreneur");
	assert_string_equal(r.name, "");
	contact_row_clear(&r);
	assert_string_equal(buf_cstr(&p), "");
	buf_free(&p);
}

static void
test_every_problem_of_a_row(void **state)
{
	struct contact_row r;
	struct buf p;

	(void)state;
	buf_init(&p, 0);
	assert_int_equal(check("123", "x", "Nowhere", "French", "boss",
	    "ok|---", &r, &p), 5);
	assert_null(r.phone);
	assert_non_null(strstr(buf_cstr(&p), "phone: bad phone \"123\""));
	assert_non_null(strstr(buf_cstr(&p), "district: unknown district "
	    "\"Nowhere\""));
	assert_non_null(strstr(buf_cstr(&p), "e.g. Bhadohi"));
	assert_non_null(strstr(buf_cstr(&p), "language: language must be hi "
	    "or en (Hindi or English), not \"French\""));
	assert_non_null(strstr(buf_cstr(&p), "role: role must be "
	    "entrepreneur or coordinator, not \"boss\""));
	assert_non_null(strstr(buf_cstr(&p), "groups: bad group \"---\""));
	buf_reset(&p);
	assert_int_equal(check("", NULL, NULL, NULL, NULL, NULL, &r, &p), 1);
	assert_string_equal(buf_cstr(&p), "phone: phone is empty\n");
	buf_free(&p);
}

static void
test_headers(void **state)
{
	(void)state;
	assert_int_equal(contact_rows_column_of("phone"), CC_PHONE);
	assert_int_equal(contact_rows_column_of(" Mobile No. "), CC_PHONE);
	assert_int_equal(contact_rows_column_of("फ़ोन"), CC_PHONE);
	assert_int_equal(contact_rows_column_of("Naam"), CC_NAME);
	assert_int_equal(contact_rows_column_of("नाम"), CC_NAME);
	assert_int_equal(contact_rows_column_of("ZILA"), CC_DISTRICT);
	assert_int_equal(contact_rows_column_of("ज़िला"), CC_DISTRICT);
	assert_int_equal(contact_rows_column_of("Language"), CC_LANGUAGE);
	assert_int_equal(contact_rows_column_of("Role"), CC_ROLE);
	assert_int_equal(contact_rows_column_of("Group"), CC_GROUPS);
	assert_int_equal(contact_rows_column_of("Remarks"), -1);
	assert_int_equal(contact_rows_column_of(NULL), -1);
	assert_string_equal(contact_rows_language("hin"), "hi");
	assert_null(contact_rows_language("hi, en"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_friendly_row),
		cmocka_unit_test(test_every_problem_of_a_row),
		cmocka_unit_test(test_headers),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
