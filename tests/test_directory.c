/*
 * test_directory: the in-memory directory answers a lookup exactly as a
 * scan of the directory in import order would: the rows of the category
 * for the district and those for every district ("*"), interleaved as
 * they were imported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "directory.h"
#include "records.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

static const char *const categories[] = { "loan", "market", "training" };
static const char *const districts[] = { "bhadohi", "mirzapur", "*",
    "varanasi" };

/* What directory_find must return: the rows that match, in order. */
static size_t
oracle(const struct stakeholder *all, size_t n, const char *category,
    const char *district, size_t *want)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (strcmp(all[i].category, category) == 0 &&
		    (strcmp(all[i].district, district) == 0 ||
		    strcmp(all[i].district, "*") == 0))
			want[k++] = i;
	return k;
}

static void
test_find_matches_a_scan(void **state)
{
	struct temp_db db;
	char name[32], phone[20];
	struct stakeholder rows[300], *got;
	struct directory *d;
	struct store *st;
	size_t want[300], nwant, ngot, i, j, c, k;
	uint32_t x = 12345;

	(void)state;
	temp_db_make(&db, "directory");
	st = store_open(db.path, NULL, NULL, 0);
	assert_non_null(st);
	/* Categories and districts shuffled, as a spreadsheet has them. */
	for (i = 0; i < 300; i++) {
		x = x * 1103515245 + 12345;
		snprintf(name, sizeof(name), "S%zu", i);
		snprintf(phone, sizeof(phone), "+9190000%05zu", i);
		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].name = xstrdup(name);
		rows[i].category = xstrdup(categories[(x >> 8) % 3]);
		rows[i].district = xstrdup(districts[(x >> 16) % 4]);
		rows[i].phone = xstrdup(phone);
		rows[i].languages = xstrdup("hi");
		rows[i].description_en = xstrdup("");
		rows[i].description_hi = xstrdup("");
	}
	assert_int_equal(store_stakeholders_replace(st, rows, 300, "t"), 0);
	d = directory_load(st);
	assert_non_null(d);
	assert_int_equal(directory_count(d), 300);
	for (c = 0; c < 3; c++)
		for (j = 0; j < 4; j++) {
			nwant = oracle(rows, 300, categories[c], districts[j],
			    want);
			assert_int_equal(directory_find(d, categories[c],
			    districts[j], &got, &ngot), 0);
			assert_int_equal(ngot, nwant);
			for (k = 0; k < ngot; k++)
				assert_string_equal(got[k].name,
				    rows[want[k]].name);
			free(got);
		}
	assert_int_equal(directory_find(d, "insurance", "bhadohi", &got,
	    &ngot), 0);
	assert_int_equal(ngot, 0);
	assert_null(got);
	directory_free(d);
	for (i = 0; i < 300; i++) {
		free(rows[i].name);
		free(rows[i].category);
		free(rows[i].district);
		free(rows[i].phone);
		free(rows[i].languages);
		free(rows[i].description_en);
		free(rows[i].description_hi);
	}
	store_close(st);
	temp_db_remove(&db);
}

/* MORE asks for the rows it kept by id: in the order asked, without
 * those that left the directory since. */
static void
test_get_by_ids(void **state)
{
	struct temp_db db;
	struct stakeholder rows[40], *all, *got, one;
	struct directory *d;
	struct store *st;
	int64_t ids[5];
	size_t nall, ngot, i;
	char name[32], phone[20];

	(void)state;
	temp_db_make(&db, "directory-ids");
	st = store_open(db.path, NULL, NULL, 0);
	assert_non_null(st);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "Haat samiti %zu", i);
		snprintf(phone, sizeof(phone), "+9191000%05zu", i);
		memset(&rows[i], 0, sizeof(rows[i]));
		rows[i].name = xstrdup(name);
		rows[i].category = xstrdup("market");
		rows[i].district = xstrdup(i % 2 ? "bhadohi" : "mirzapur");
		rows[i].phone = xstrdup(phone);
	}
	assert_int_equal(store_stakeholders_replace(st, rows, 40, "t"), 0);
	assert_int_equal(store_stakeholders_all(st, &all, &nall), 0);
	assert_int_equal(nall, 40);
	ids[0] = all[31].id;
	ids[1] = all[2].id;
	ids[2] = all[39].id + 1000;	/* never was */
	ids[3] = all[17].id;
	ids[4] = all[0].id;
	assert_int_equal(store_stakeholder_retire(st, all[17].id), 1);
	d = directory_load(st);
	assert_non_null(d);
	assert_int_equal(directory_get(d, ids, 5, &got, &ngot), 0);
	assert_int_equal(ngot, 3);
	assert_string_equal(got[0].name, "Haat samiti 31");
	assert_string_equal(got[1].name, "Haat samiti 2");
	assert_string_equal(got[2].name, "Haat samiti 0");
	assert_int_equal(store_stakeholder_get(st, ids[1], &one), 1);
	assert_string_equal(one.phone, got[1].phone);
	records_stakeholder_clear(&one);
	free(got);
	directory_free(d);
	records_stakeholders_free(all, nall);
	for (i = 0; i < 40; i++) {
		free(rows[i].name);
		free(rows[i].category);
		free(rows[i].district);
		free(rows[i].phone);
	}
	store_close(st);
	temp_db_remove(&db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_matches_a_scan),
		cmocka_unit_test(test_get_by_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
