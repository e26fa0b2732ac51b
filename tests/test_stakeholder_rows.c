/*
 * test_stakeholder_rows: directory rows as coordinators write them
 * (district and category spellings, languages in words), every problem
 * of a row at once, a sheet with its own headings, what an import
 * adds, changes and retires, and that it is carried out only on the
 * directory it was planned on.
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
#include "store.h"
#include "temp_db.h"
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
	stakeholder_rows_plan(old, ids, 3, rows, 3, STAKEHOLDER_ALL_COLUMNS, 0,
	    &p);
	assert_int_equal(p.nadd, 1);
	assert_int_equal(p.add[0], 2);
	assert_int_equal(p.nchange, 1);
	assert_int_equal(p.change[0], 0);
	assert_int_equal(p.change_id[0], 11);
	assert_int_equal(p.nsame, 1);
	assert_int_equal(p.nretire, 0);
	stakeholder_plan_clear(&p);
	stakeholder_rows_plan(old, ids, 3, rows, 3, STAKEHOLDER_ALL_COLUMNS, 1,
	    &p);
	assert_int_equal(p.nretire, 1);
	assert_int_equal(p.retire[0], 13);
	stakeholder_plan_clear(&p);
}

/* The directory of a store, as the console lists it. */
struct listing {
	struct stakeholder *rows;
	int64_t	*ids;
	size_t	 n;
};

static void
list(struct store *st, struct listing *l)
{
	assert_int_equal(store_stakeholders_list(st, NULL, NULL, &l->rows,
	    &l->ids, &l->n), 0);
}

static void
listing_free(struct listing *l)
{
	records_stakeholders_free(l->rows, l->n);
	free(l->ids);
	memset(l, 0, sizeof(*l));
}

static const struct stakeholder *
named(const struct listing *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].name, name) == 0)
			return &l->rows[i];
	return NULL;
}

static struct store *
directory_of(struct temp_db *db)
{
	struct stakeholder old[3];
	struct store *st;

	temp_db_make(db, "stakeholder-rows");
	assert_non_null(st = store_open(db->path, NULL, NULL, 0));
	old[0] = row("LDM Bhadohi", "bhadohi", "+910000010101");
	old[0].languages = (char *)"hi|en";
	old[0].description_en = (char *)"Lead bank: Mudra and PMEGP loans";
	old[0].description_hi = (char *)"लीड बैंक: मुद्रा और PMEGP लोन";
	old[1] = row("DIC Bhadohi", "bhadohi", "+910000010102");
	old[2] = row("LDM Mirzapur", "mirzapur", "+910000020101");
	assert_int_equal(store_stakeholders_replace(st, old, 3,
	    "stakeholders.csv"), 0);
	return st;
}

/* A coordinator retires an office between the preview and the import:
 * the import, planned on the directory that was, writes nothing and
 * says so; planned again, it goes through. */
static void
test_apply_on_a_changed_directory(void **state)
{
	struct stakeholder rows[3];
	struct stakeholder_plan p;
	struct listing l, now;
	struct temp_db db;
	struct store *st;

	(void)state;
	st = directory_of(&db);
	list(st, &l);
	/* A new phone for the lead bank, DIC as it is, one new office. */
	rows[0] = row("LDM Bhadohi", "bhadohi", "+910000019999");
	rows[1] = row("DIC Bhadohi", "bhadohi", "+910000010102");
	rows[2] = row("Gramin Haat Samiti", "mirzapur", "+919415000111");
	stakeholder_rows_plan(l.rows, l.ids, l.n, rows, 3,
	    STAKEHOLDER_ALL_COLUMNS, 0, &p);
	assert_int_equal(p.nchange, 1);
	assert_int_equal(p.nadd, 1);
	/* Meanwhile, from the console: the lead bank's row is retired. */
	assert_int_equal(store_stakeholder_retire(st, l.ids[0]), 1);
	assert_int_equal(stakeholder_rows_apply(st, &p, rows, "sheet.csv",
	    1000), 0);
	list(st, &now);
	assert_int_equal(now.n, 2);
	assert_null(named(&now, "Gramin Haat Samiti"));
	assert_null(named(&now, "LDM Bhadohi"));
	stakeholder_plan_clear(&p);

	/* An unchanged row retired meanwhile is a changed directory too:
	 * the import would say she is listed when she is not. */
	stakeholder_rows_plan(now.rows, now.ids, now.n, rows, 3,
	    STAKEHOLDER_ALL_COLUMNS, 0, &p);
	assert_int_equal(p.nsame, 1);
	assert_int_equal(store_stakeholder_retire(st, now.ids[0]), 1);
	assert_int_equal(stakeholder_rows_apply(st, &p, rows, "sheet.csv",
	    1000), 0);
	stakeholder_plan_clear(&p);
	listing_free(&now);

	/* Planned on the directory as it now is. */
	list(st, &now);
	assert_int_equal(now.n, 1);
	stakeholder_rows_plan(now.rows, now.ids, now.n, rows, 3,
	    STAKEHOLDER_ALL_COLUMNS, 0, &p);
	assert_int_equal(stakeholder_rows_apply(st, &p, rows, "sheet.csv",
	    1000), 1);
	stakeholder_plan_clear(&p);
	listing_free(&now);
	list(st, &now);
	assert_int_equal(now.n, 4);
	assert_string_equal(named(&now, "LDM Bhadohi")->phone,
	    "+910000019999");
	assert_non_null(named(&now, "Gramin Haat Samiti"));
	assert_non_null(named(&now, "DIC Bhadohi"));
	listing_free(&now);
	listing_free(&l);
	store_close(st);
	temp_db_remove(&db);
}

static void
ignore_problem(void *arg, size_t line, int col, const char *cell,
    const char *msg)
{
	(void)line;
	(void)col;
	(void)cell;
	buf_printf(arg, "%s\n", msg);
}

/* csv read without a problem and planned against the directory of st
 * as it is now (listed into *l). */
static void
plan_sheet(struct store *st, const char *csv, int replace,
    struct listing *l, struct stakeholder_sheet *sh,
    struct stakeholder_plan *p)
{
	struct buf probs;

	buf_init(&probs, 0);
	list(st, l);
	assert_int_equal(stakeholder_rows_read(kw, dt, "91", csv, strlen(csv),
	    NULL, NULL, 0, sh, ignore_problem, &probs), 0);
	assert_string_equal(buf_cstr(&probs), "");
	buf_free(&probs);
	stakeholder_rows_plan(l->rows, l->ids, l->n, sh->rows, sh->n,
	    stakeholder_sheet_columns(sh), replace, p);
}

/* The plan carried out, and what it was made of let go. */
static void
apply_sheet(struct store *st, struct listing *l,
    struct stakeholder_sheet *sh, struct stakeholder_plan *p)
{
	assert_int_equal(stakeholder_rows_apply(st, p, sh->rows, "sheet.csv",
	    1000), 1);
	stakeholder_plan_clear(p);
	stakeholder_sheet_clear(sh);
	listing_free(l);
}

/* A sheet kept with only the columns a reply needs: the languages and
 * descriptions it does not have are not given, not emptied. */
static void
test_columns_the_sheet_lacks(void **state)
{
	static const char csv[] = "\xef\xbb\xbf" "Naam,Category,Zila,Mobile\r\n"
	    "LDM Bhadohi,Loan,Bhadohi,+910000010101\r\n"
	    "DIC Bhadohi,loan,bhadohi,094150 10102\r\n";
	static const char replace[] = "name,category,district,phone\r\n"
	    "LDM Bhadohi,loan,bhadohi,+910000010101\r\n";
	struct stakeholder_sheet sh;
	struct stakeholder_plan p;
	struct listing l, now;
	const struct stakeholder *ldm;
	struct temp_db db;
	struct store *st;

	(void)state;
	st = directory_of(&db);
	plan_sheet(st, csv, 0, &l, &sh, &p);
	assert_int_equal(stakeholder_sheet_columns(&sh), (1u << SC_NAME) |
	    (1u << SC_CATEGORY) | (1u << SC_DISTRICT) | (1u << SC_PHONE));
	/* The lead bank as stored: unchanged.  DIC: a new number. */
	assert_int_equal(p.nsame, 1);
	assert_int_equal(p.nchange, 1);
	assert_int_equal(p.change_id[0], l.ids[1]);
	apply_sheet(st, &l, &sh, &p);
	list(st, &now);
	ldm = named(&now, "LDM Bhadohi");
	assert_string_equal(ldm->languages, "hi|en");
	assert_string_equal(ldm->description_en,
	    "Lead bank: Mudra and PMEGP loans");
	assert_string_equal(named(&now, "DIC Bhadohi")->phone,
	    "+919415010102");
	assert_string_equal(named(&now, "DIC Bhadohi")->languages, "hi");
	listing_free(&now);

	/* Replace: the same rule for those it keeps; the rest retire. */
	plan_sheet(st, replace, 1, &l, &sh, &p);
	assert_int_equal(p.nsame, 1);
	assert_int_equal(p.nchange, 0);
	assert_int_equal(p.nretire, 2);
	apply_sheet(st, &l, &sh, &p);
	list(st, &now);
	assert_int_equal(now.n, 1);
	assert_string_equal(now.rows[0].languages, "hi|en");
	assert_string_equal(now.rows[0].description_hi,
	    "लीड बैंक: मुद्रा और PMEGP लोन");
	listing_free(&now);
	store_close(st);
	temp_db_remove(&db);
}

/* A change to a column the sheet has still writes only that column. */
static void
test_change_keeps_what_is_not_given(void **state)
{
	static const char csv[] = "name,category,district,phone,languages\n"
	    "LDM Bhadohi,loan,bhadohi,+910000019999,Hindi\n";
	struct stakeholder_sheet sh;
	struct stakeholder_plan p;
	struct listing l;
	const struct stakeholder *ldm;
	struct temp_db db;
	struct store *st;

	(void)state;
	st = directory_of(&db);
	plan_sheet(st, csv, 0, &l, &sh, &p);
	assert_int_equal(p.nchange, 1);
	apply_sheet(st, &l, &sh, &p);
	list(st, &l);
	ldm = named(&l, "LDM Bhadohi");
	assert_string_equal(ldm->phone, "+910000019999");
	assert_string_equal(ldm->languages, "hi");
	assert_string_equal(ldm->description_en,
	    "Lead bank: Mudra and PMEGP loans");
	assert_string_equal(ldm->description_hi,
	    "लीड बैंक: मुद्रा और PMEGP लोन");
	listing_free(&l);
	store_close(st);
	temp_db_remove(&db);
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
		cmocka_unit_test(test_apply_on_a_changed_directory),
		cmocka_unit_test(test_columns_the_sheet_lacks),
		cmocka_unit_test(test_change_keeps_what_is_not_given),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
