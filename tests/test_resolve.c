/*
 * test_resolve: districts and groups by the names coordinators type, and
 * the closest names when a name is nobody's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "district.h"
#include "resolve.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

struct fixture {
	struct temp_db		 db;
	struct store		*st;
	struct district_table	*dt;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct buf errors;
	char err[256];

	buf_init(&errors, 0);
	f->dt = district_load("config/districts.csv", &errors);
	buf_free(&errors);
	temp_db_make(&f->db, "resolve");
	f->st = store_open(f->db.path, NULL, err, sizeof(err));
	if (f->dt == NULL || f->st == NULL)
		return -1;
	/* Groups as the console makes them: a key and the name as written. */
	store_group_create(f->st, "mirzapur-mahila-samuh", 1000);
	store_group_set_display(f->st, "mirzapur-mahila-samuh",
	    "Mirzapur Mahila Samuh");
	store_group_create(f->st, "silai-samuh", 1000);
	store_group_set_display(f->st, "silai-samuh", "सिलाई समूह");
	store_group_create(f->st, "weavers-shg", 1000);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	district_free(f->dt);
	temp_db_remove(&f->db);
	free(f);
	return 0;
}

static const char *
district_key(struct fixture *f, const char *text)
{
	const struct district *d;
	char err[512];

	return resolve_district(f->dt, text, &d, err, sizeof(err)) == 1 ?
	    d->key : NULL;
}

static void
test_district_any_spelling(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(district_key(f, "bhadohi"), "bhadohi");
	assert_string_equal(district_key(f, "Bhadohi"), "bhadohi");
	assert_string_equal(district_key(f, "BHADOHI "), "bhadohi");
	assert_string_equal(district_key(f, "भदोही"), "bhadohi");
	assert_string_equal(district_key(f, "Sant Ravidas Nagar"), "bhadohi");
	assert_string_equal(district_key(f, "mirjapur"), "mirzapur");
	assert_string_equal(district_key(f, "मिर्ज़ापुर"), "mirzapur");
}

static void
test_district_unknown_lists_closest(void **state)
{
	struct fixture *f = *state;
	const struct district *d = (const void *)1;
	char err[512];

	assert_int_equal(resolve_district(f->dt, "Sonbhadra", &d, err,
	    sizeof(err)), 0);
	assert_null(d);
	assert_non_null(strstr(err, "no district \"Sonbhadra\""));
	assert_non_null(strstr(err, "closest: "));
	/* A cut-short name leads to the district it begins. */
	assert_int_equal(resolve_district(f->dt, "mirza", &d, err,
	    sizeof(err)), 0);
	assert_non_null(strstr(err, "closest: Mirzapur (mirzapur)"));
	assert_int_equal(resolve_district(f->dt, "", &d, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "closest: "));
}

static void
test_group_by_key_or_display_name(void **state)
{
	struct fixture *f = *state;
	char err[512], *key;

	assert_int_equal(resolve_group(f->st, "weavers-shg", &key, err,
	    sizeof(err)), 1);
	assert_string_equal(key, "weavers-shg");
	free(key);
	assert_int_equal(resolve_group(f->st, "Weavers-SHG", &key, err,
	    sizeof(err)), 1);
	assert_string_equal(key, "weavers-shg");
	free(key);
	assert_int_equal(resolve_group(f->st, "Mirzapur Mahila Samuh", &key,
	    err, sizeof(err)), 1);
	assert_string_equal(key, "mirzapur-mahila-samuh");
	free(key);
	assert_int_equal(resolve_group(f->st, "सिलाई समूह", &key, err,
	    sizeof(err)), 1);
	assert_string_equal(key, "silai-samuh");
	free(key);
}

static void
test_group_typo_lists_closest(void **state)
{
	struct fixture *f = *state;
	char err[512], *key = (char *)1;

	assert_int_equal(resolve_group(f->st, "mirzapur-mn", &key, err,
	    sizeof(err)), 0);
	assert_null(key);
	assert_string_equal(err, "no group \"mirzapur-mn\"; closest: "
	    "Mirzapur Mahila Samuh (mirzapur-mahila-samuh), "
	    "सिलाई समूह (silai-samuh), weavers-shg");
	assert_int_equal(resolve_group(f->st, "weaver-shg", &key, err,
	    sizeof(err)), 0);
	assert_non_null(strstr(err, "closest: weavers-shg"));
}

static void
test_audience_names_become_keys(void **state)
{
	struct fixture *f = *state;
	char err[512], *canon;

	assert_int_equal(resolve_audience(f->st, f->dt, "District:Bhadoi + "
	    "interest:loan, group:Weavers-SHG+language:hi", &canon, err,
	    sizeof(err)), 1);
	assert_string_equal(canon, "district:bhadohi+interest:loan,"
	    "group:weavers-shg+language:hi");
	free(canon);
	assert_int_equal(resolve_audience(f->st, f->dt, "all", &canon, err,
	    sizeof(err)), 1);
	assert_string_equal(canon, "all");
	free(canon);
	assert_int_equal(resolve_audience(f->st, f->dt, "rsvp:12:yes", &canon,
	    err, sizeof(err)), 1);
	assert_string_equal(canon, "rsvp:12:yes");
	free(canon);
}

static void
test_audience_unknown_name_refused(void **state)
{
	struct fixture *f = *state;
	char err[512], *canon = (char *)1;

	assert_int_equal(resolve_audience(f->st, f->dt, "group:mirzapur-mn",
	    &canon, err, sizeof(err)), 0);
	assert_null(canon);
	assert_non_null(strstr(err, "no group \"mirzapur-mn\"; closest: "
	    "Mirzapur Mahila Samuh"));
	assert_int_equal(resolve_audience(f->st, f->dt, "district:bhadohi,"
	    "district:sonbhadra", &canon, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "no district \"sonbhadra\""));
	/* A parse error still names its position. */
	assert_int_equal(resolve_audience(f->st, f->dt, "district", &canon,
	    err, sizeof(err)), 0);
	assert_non_null(strstr(err, "position"));
	/* Without a district table only groups are checked. */
	assert_int_equal(resolve_audience(f->st, NULL, "district:anywhere",
	    &canon, err, sizeof(err)), 1);
	free(canon);
}

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(resolve_distance("", ""), 0);
	assert_int_equal(resolve_distance("bhadohi", "bhadohi"), 0);
	assert_int_equal(resolve_distance("bhadoi", "bhadohi"), 1);
	assert_int_equal(resolve_distance("silai", "silia"), 2);
	assert_int_equal(resolve_distance("", "abc"), 3);
	/* Code points, not bytes: one Devanagari letter is one edit. */
	assert_int_equal(resolve_distance("मिर्जापुर", "मिरजापुर"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_district_any_spelling,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_district_unknown_lists_closest, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_group_by_key_or_display_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_typo_lists_closest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_audience_names_become_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_audience_unknown_name_refused, setup, teardown),
		cmocka_unit_test(test_distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
