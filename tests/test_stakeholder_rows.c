/*
 * test_stakeholder_rows: directory rows as coordinators write them
 * (district and category spellings, languages in words), every problem
 * of a row at once, a sheet with its own headings, and what an import
 * adds, changes and retires.
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
#include "keywords.h"
#include "records.h"
#include "stakeholder_rows.h"
#include "util.h"

static struct district_table *dt;
static struct keywords_table *kw;

static int
load(void **state)
{
	struct buf errors;

	(void)state;
	buf_init(&errors, 0);
	dt = district_load("config/districts.csv", &errors);
	kw = keywords_load("config/keywords.conf", &errors);
	buf_free(&errors);
	return dt == NULL || kw == NULL ? -1 : 0;
}

static int
unload(void **state)
{
	(void)state;
	district_free(dt);
	keywords_free(kw);
	return 0;
}

static void
collect(void *arg, enum stakeholder_col col, const char *msg)
{
	buf_printf(arg, "%s: %s\n", stakeholder_rows_column_name(col), msg);
}

static int
check(const char *name, const char *category, const char *district,
    const char *phone, const char *langs, struct stakeholder *r,
    struct buf *problems)
{
	const char *cells[SC_COUNT] = { name, category, district, phone, langs,
	    "Loan forms", "लोन फॉर्म" };

	return stakeholder_rows_check(kw, dt, "91", cells, r, collect,
	    problems);
}

static void
test_as_people_write_it(void **state)
{
	struct stakeholder r;
	struct buf p;

	(void)state;
	buf_init(&p, 0);
	assert_int_equal(check(" Mahila Bank Mitra ", "Loan", "Sant Ravidas "
	    "Nagar", "094150 12345", "Hindi; English", &r, &p), 0);
	assert_string_equal(r.name, "Mahila Bank Mitra");
	assert_string_equal(r.category, "loan");
	assert_string_equal(r.district, "bhadohi");
	assert_string_equal(r.phone, "+919415012345");
	assert_string_equal(r.languages, "hi|en");
	assert_string_equal(r.description_hi, "लोन फॉर्म");
	records_stakeholder_clear(&r);
	assert_int_equal(check("KVK", "training", "भदोही", "+919415012345",
	    "hi, en, bho", &r, &p), 0);
	assert_string_equal(r.district, "bhadohi");
	assert_string_equal(r.languages, "hi|en|bho");
	records_stakeholder_clear(&r);
	assert_int_equal(check("Mudra helpline", "karza", "*", "9415012345",
	    "HI|EN", &r, &p), 0);
	assert_string_equal(r.category, "loan");
	assert_string_equal(r.district, "*");
	assert_string_equal(r.languages, "hi|en");
	records_stakeholder_clear(&r);
	/* Joined by words, named in full, repeated: each once, whole. */
	assert_int_equal(check("Urdu desk", "loan", "bhadohi", "9415012345",
	    "Hindi and English, hi", &r, &p), 0);
	assert_string_equal(r.languages, "hi|en");
	records_stakeholder_clear(&r);
	assert_int_equal(check("Bangla desk", "loan", "bhadohi", "9415012345",
	    "Maithili aur Urdu; bn, en", &r, &p), 0);
	assert_string_equal(r.languages, "mai|ur|bn|en");
	records_stakeholder_clear(&r);
	assert_string_equal(buf_cstr(&p), "");
	/* Any two letters are no language. */
	assert_int_equal(check("X desk", "loan", "bhadohi", "9415012345",
	    "All", &r, &p), 1);
	assert_non_null(strstr(buf_cstr(&p), "\"all\" is no language"));
	buf_reset(&p);
	/* A name or number no reply can carry is refused here, on every
	 * way in. */
	assert_int_equal(check("Uttar Pradesh Khadi and Village Industries "
	    "Board, Varanasi RO", "loan", "varanasi", "9415012345", "hi", &r,
	    &p), 1);
	assert_non_null(strstr(buf_cstr(&p), "name: 61 characters, at most "
	    "60 (2 DLT variables of 30): no reply could carry it"));
	buf_free(&p);
}

static void
test_every_problem_of_a_row(void **state)
{
	struct stakeholder r;
	struct buf p;

	(void)state;
	buf_init(&p, 0);
	assert_int_equal(check("", "Beauty parlour", "Sonbhadra", "12345",
	    "Hindi, Urdoo", &r, &p), 5);
	assert_null(r.name);
	assert_non_null(strstr(buf_cstr(&p), "name: the name is empty"));
	assert_non_null(strstr(buf_cstr(&p), "category: no category \"Beauty "
	    "parlour\": the categories are loan, training, market"));
	assert_non_null(strstr(buf_cstr(&p), "district: no district "
	    "\"Sonbhadra\"; closest: "));
	assert_non_null(strstr(buf_cstr(&p), "phone: bad phone \"12345\""));
	assert_non_null(strstr(buf_cstr(&p), "languages: \"urdoo\" is no "
	    "language"));
	buf_free(&p);
}

static void
test_headings(void **state)
{
	(void)state;
	assert_int_equal(stakeholder_rows_column_of("Naam"), SC_NAME);
	assert_int_equal(stakeholder_rows_column_of(" ZILA "), SC_DISTRICT);
	assert_int_equal(stakeholder_rows_column_of("Mobile Number"), SC_PHONE);
	assert_int_equal(stakeholder_rows_column_of("description_hi"),
	    SC_DESCRIPTION_HI);
	assert_int_equal(stakeholder_rows_column_of("Hindi description"),
	    SC_DESCRIPTION_HI);
	assert_int_equal(stakeholder_rows_column_of("Remarks"), -1);
}

static void
sheet_problem(void *arg, size_t line, int col, const char *cell,
    const char *msg)
{
	buf_printf(arg, "%zu %s [%s] %s\n", line, col >= 0 ?
	    stakeholder_rows_column_name((enum stakeholder_col)col) : "-",
	    cell ? cell : "", msg);
}

static void
test_sheet(void **state)
{
	static const char csv[] = "\xef\xbb\xbf"
	    "Naam,Category,Zila,Mobile,Bhasha,Remarks\r\n"
	    "Mahila Bank Mitra,Loan,Bhadohi,9415012345,Hindi,x\r\n"
	    "Silai Kendra,Beauty parlour,Mirzapur,9415012346,hi,\r\n"
	    "mahila bank mitra,loan,bhadohi,9415012347,hi,\r\n"
	    "FPO Halia,market,mirzapur,9415012348,hi,\r\n";
	static const char nophone[] = "name,category,district\n"
	    "Asha desk,loan,bhadohi\n";
	const char *given_h[] = { "Remarks" }, *given_c[] = { NULL };
	struct stakeholder_sheet sh;
	struct buf p;

	(void)state;
	buf_init(&p, 0);
	assert_int_equal(stakeholder_rows_read(kw, dt, "91", csv, strlen(csv),
	    given_h, given_c, 1, &sh, sheet_problem, &p), 2);
	assert_int_equal(sh.nrows, 4);
	assert_int_equal(sh.n, 2);
	assert_int_equal(sh.lines[0], 2);
	assert_int_equal(sh.lines[1], 5);
	assert_int_equal(sh.map[SC_NAME], 0);
	assert_int_equal(sh.map[SC_DESCRIPTION_EN], -1);
	assert_non_null(strstr(buf_cstr(&p), "3 category [Beauty parlour]"));
	assert_non_null(strstr(buf_cstr(&p), "4 name [mahila bank mitra] the "
	    "same stakeholder as line 2"));
	stakeholder_sheet_clear(&sh);
	buf_reset(&p);
	/* No phone column: said once, on the header's line. */
	assert_int_equal(stakeholder_rows_read(kw, dt, "91", nophone,
	    strlen(nophone), NULL, NULL, 0, &sh, sheet_problem, &p), 2);
	assert_non_null(strstr(buf_cstr(&p), "1 phone [] no column holds the "
	    "phone"));
	stakeholder_sheet_clear(&sh);
	buf_free(&p);
}

static struct stakeholder
row(const char *name, const char *district, const char *phone)
{
	struct stakeholder r;

	memset(&r, 0, sizeof(r));
	r.name = (char *)name;
	r.category = (char *)"loan";
	r.district = (char *)district;
	r.phone = (char *)phone;
	r.languages = (char *)"hi";
	return r;
}

static void
test_plan(void **state)
{
	struct stakeholder old[3], rows[3];
	const int64_t ids[3] = { 11, 12, 13 };
	struct stakeholder_plan p;

	(void)state;
	old[0] = row("LDM Bhadohi", "bhadohi", "+910000010101");
	old[1] = row("DIC Bhadohi", "bhadohi", "+910000010102");
	old[2] = row("LDM Mirzapur", "mirzapur", "+910000020101");
	/* Same name, other case: a change (new phone). */
	rows[0] = row("ldm bhadohi", "bhadohi", "+910000019999");
	/* Same as before. */
	rows[1] = row("DIC Bhadohi", "bhadohi", "+910000010102");
	/* Same name, other district: new. */
	rows[2] = row("LDM Mirzapur", "bhadohi", "+910000020101");
	stakeholder_rows_plan(old, ids, 3, rows, 3, 0, &p);
	assert_int_equal(p.nadd, 1);
	assert_int_equal(p.add[0], 2);
	assert_int_equal(p.nchange, 1);
	assert_int_equal(p.change[0], 0);
	assert_int_equal(p.change_id[0], 11);
	assert_int_equal(p.nsame, 1);
	assert_int_equal(p.nretire, 0);
	stakeholder_plan_clear(&p);
	stakeholder_rows_plan(old, ids, 3, rows, 3, 1, &p);
	assert_int_equal(p.nretire, 1);
	assert_int_equal(p.retire[0], 13);
	stakeholder_plan_clear(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_as_people_write_it),
		cmocka_unit_test(test_every_problem_of_a_row),
		cmocka_unit_test(test_headings),
		cmocka_unit_test(test_sheet),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
