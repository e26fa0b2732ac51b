/*
 * test_report_canon: one district's figures look the same in every view
 * of a period -- its row of the report by district, the TOTAL of its own
 * report, the margins of the crosstabs, either way round -- and a
 * district's views list every keyword of the period.  (The whole attack,
 * every view solved together, is tests/integration/
 * test_suppression_attack.py.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

#define T0	1796409900000LL		/* 2026-12-05 00:15 IST */

static const struct {
	const char	*keyword, *district;
	int		 n;
} seed[] = {
	{ "loan", "bhadohi", 9 }, { "training", "bhadohi", 3 },
	{ "training", "mirzapur", 3 }, { "market", "samastipur", 6 },
	{ "loan", NULL, 7 }, { NULL, NULL, 4 },
};
static const char *const districts[] = { "bhadohi", "mirzapur",
    "samastipur" };

static struct store *
seeded(struct temp_db *t)
{
	struct store_options opt = { .busy_timeout_ms = 0 };
	struct interaction row;
	struct store *st;
	char err[256] = "", phone[20], id[16];
	size_t i;
	int k, n = 0;

	temp_db_make(t, "canon");
	assert_non_null(st = store_open(t->path, &opt, err, sizeof(err)));
	for (i = 0; i < SP_ARRAY_LEN(seed); i++)
		for (k = 0; k < seed[i].n; k++, n++) {
			memset(&row, 0, sizeof(row));
			snprintf(phone, sizeof(phone), "+9198765%05d", n);
			snprintf(id, sizeof(id), "m%d", n);
			row.time_ms = T0 + n * 1000;
			row.channel = "sms";
			row.direction = "in";
			row.provider = "console";
			row.provider_msg_id = id;
			row.phone = phone;
			row.text = seed[i].keyword != NULL ? seed[i].keyword :
			    "sabun banana";
			row.keyword = seed[i].keyword;
			row.district = seed[i].district;
			row.language = "hi";
			row.latency_ms = -1;
			row.status = seed[i].keyword != NULL ? "matched" :
			    "unmatched";
			assert_int_equal(store_interaction_insert(st, &row), 1);
		}
	return st;
}

static json_t *
report_json(struct store *st, enum report_by by, const char *district)
{
	struct report_options o;
	struct report *r;
	struct buf b;
	json_error_t e;
	json_t *j;

	memset(&o, 0, sizeof(o));
	o.by = by;
	o.district = district;
	o.suppress_below = 5;
	o.utc_offset_min = 330;
	assert_non_null(r = report_collect(st, &o, 10));
	buf_init(&b, 0);
	report_render_json(r, &b);
	assert_non_null(j = json_loads(buf_cstr(&b), 0, &e));
	buf_free(&b);
	report_free(r);
	return j;
}

static json_t *
xtab_json(struct store *st, enum report_by rows, enum report_by cols)
{
	struct report_options o;
	struct report_xtab *x;
	struct buf b;
	json_error_t e;
	json_t *j;

	memset(&o, 0, sizeof(o));
	o.suppress_below = 5;
	o.utc_offset_min = 330;
	assert_non_null(x = report_xtab_collect(st, rows, cols, &o));
	buf_init(&b, 0);
	report_xtab_render_json(x, &b);
	assert_non_null(j = json_loads(buf_cstr(&b), 0, &e));
	buf_free(&b);
	report_xtab_free(x);
	return j;
}

/* The group `key` of a report's JSON. */
static json_t *
group(json_t *rep, const char *key)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(rep, "groups"), i, g)
		if (strcmp(json_string_value(json_object_get(g, "key")),
		    key) == 0)
			return g;
	fail_msg("no group %s", key);
	return NULL;
}

/* Two published figures are the same: both the same number, or both
 * "<5". */
static void
assert_same(json_t *a, json_t *b, const char *what)
{
	if (!json_equal(a, b))
		fail_msg("%s: %s in one view, %s in another", what,
		    json_dumps(a, JSON_ENCODE_ANY), json_dumps(b,
		    JSON_ENCODE_ANY));
}

/* The value of row `key` in a crosstab's array field (cells row c). */
static json_t *
xt_at(json_t *x, const char *axis, const char *key, const char *field)
{
	json_t *k;
	size_t i;

	json_array_foreach(json_object_get(x, axis), i, k)
		if (strcmp(json_string_value(k), key) == 0)
			return json_array_get(json_object_get(x, field), i);
	fail_msg("no %s %s", axis, key);
	return NULL;
}

/* Cell (row key, column key) of a crosstab. */
static json_t *
xt_cell(json_t *x, const char *row, const char *col)
{
	json_t *k;
	size_t j;

	json_array_foreach(json_object_get(x, "cols"), j, k)
		if (strcmp(json_string_value(k), col) == 0)
			return json_array_get(xt_at(x, "rows", row, "cells"), j);
	fail_msg("no column %s", col);
	return NULL;
}

static void
test_a_district_looks_the_same_everywhere(void **state)
{
	static const char *const cols[] = { "inbound", "matched",
	    "unmatched" };
	struct temp_db t;
	struct store *st = seeded(&t);
	json_t *by_district = report_json(st, REPORT_BY_DISTRICT, NULL);
	json_t *dk = xtab_json(st, REPORT_BY_DISTRICT, REPORT_BY_KEYWORD);
	json_t *kd = xtab_json(st, REPORT_BY_KEYWORD, REPORT_BY_DISTRICT);
	json_t *own, *g;
	size_t i, c;
	int hidden = 0;

	(void)state;
	for (i = 0; i < SP_ARRAY_LEN(districts); i++) {
		own = report_json(st, REPORT_BY_KEYWORD, districts[i]);
		g = group(by_district, districts[i]);
		for (c = 0; c < SP_ARRAY_LEN(cols); c++)
			assert_same(json_object_get(g, cols[c]),
			    json_object_get(json_object_get(own, "total"),
			    cols[c]), districts[i]);
		assert_same(json_object_get(g, "inbound"), xt_at(dk, "rows",
		    districts[i], "row_totals"), districts[i]);
		assert_same(json_object_get(g, "inbound"), xt_at(kd, "cols",
		    districts[i], "col_totals"), districts[i]);
		/* Every keyword of the period, those it has none of too. */
		assert_int_equal(json_array_size(json_object_get(own,
		    "groups")), 4);
		assert_same(json_object_get(group(own, "training"),
		    "inbound"), xt_cell(dk, districts[i], "training"),
		    districts[i]);
		json_decref(own);
	}
	/* mirzapur's 3 and the complement it takes are hidden, and the
	 * region's total, public everywhere else, is not. */
	json_array_foreach(json_object_get(by_district, "groups"), i, g)
		hidden += json_is_string(json_object_get(g, "inbound"));
	assert_true(json_is_string(json_object_get(group(by_district,
	    "mirzapur"), "inbound")));
	assert_int_equal(hidden, 2);
	assert_true(json_is_integer(json_object_get(json_object_get(
	    by_district, "total"), "inbound")));
	json_decref(by_district);
	json_decref(dk);
	json_decref(kd);
	store_close(st);
	temp_db_remove(&t);
}

/* A crosstab and its transpose hide the same cells. */
static void
test_transpose_hides_the_same(void **state)
{
	struct temp_db t;
	struct store *st = seeded(&t);
	json_t *dk = xtab_json(st, REPORT_BY_DISTRICT, REPORT_BY_KEYWORD);
	json_t *kd = xtab_json(st, REPORT_BY_KEYWORD, REPORT_BY_DISTRICT);
	json_t *rk, *ck;
	size_t i, j, a, b;

	(void)state;
	json_array_foreach(json_object_get(dk, "rows"), i, rk)
		json_array_foreach(json_object_get(dk, "cols"), j, ck) {
			json_t *v = json_array_get(json_array_get(
			    json_object_get(dk, "cells"), i), j), *w = NULL;
			json_t *r2, *c2;

			json_array_foreach(json_object_get(kd, "rows"), a, r2)
				json_array_foreach(json_object_get(kd, "cols"),
				    b, c2)
					if (json_equal(r2, ck) &&
					    json_equal(c2, rk))
						w = json_array_get(
						    json_array_get(
						    json_object_get(kd,
						    "cells"), a), b);
			assert_non_null(w);
			assert_same(v, w, json_string_value(rk));
		}
	json_decref(dk);
	json_decref(kd);
	store_close(st);
	temp_db_remove(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_district_looks_the_same_everywhere),
		cmocka_unit_test(test_transpose_hides_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
