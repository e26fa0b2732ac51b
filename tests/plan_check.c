/*
 * plan_check: see plan_check.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan_check.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

void
plan_check_no_growing_scans(struct store *st)
{
	struct buf scans;
	int n;

	/* Plans are SQLite's: PostgreSQL plans by statistics a test
	 * database has not (store_plan_scans refuses). */
	if (st == NULL || temp_db_pg())
		return;
	buf_init(&scans, 0);
	n = store_plan_scans(st, &scans);
	if (n != 0)
		print_error("full scans of growing tables:\n%s",
		    buf_cstr(&scans));
	buf_free(&scans);
	assert_int_equal(n, 0);
}
