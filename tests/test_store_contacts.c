/*
 * test_store_contacts: the contacts area of the store: opt-out lookups,
 * interests, the all-or-nothing contacts import, groups and their
 * members, and streaming a large audience in pages.
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

#include "audience.h"
#include "plan_check.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

struct fixture {
	struct temp_db	 db;
	struct store	*store;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	temp_db_make(&f->db, "contacts");
	f->store = store_open(f->db.path, NULL, NULL, 0);
	assert_non_null(f->store);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	plan_check_no_growing_scans(f->store);
	store_close(f->store);
	temp_db_remove(&f->db);
	free(f);
	return 0;
}

static void
put_contact(struct store *st, const char *phone, int64_t opted_out_ms)
{
	struct contact c;

	memset(&c, 0, sizeof(c));
	c.phone = (char *)phone;
	c.role = (char *)"entrepreneur";
	c.opted_out_ms = opted_out_ms;
	assert_int_equal(store_contact_put(st, &c), 0);
}

static void
test_opted_out(void **state)
{
	struct fixture *f = *state;
	struct contact c;

	put_contact(f->store, "+919800000001", 0);
	put_contact(f->store, "+919800000002", 1234);
	assert_int_equal(store_contact_get(f->store, "+919800000001", &c), 1);
	assert_int_equal(c.opted_out_ms, 0);
	records_contact_clear(&c);
	assert_int_equal(store_contact_get(f->store, "+919800000002", &c), 1);
	assert_int_equal(c.opted_out_ms, 1234);
	records_contact_clear(&c);
	assert_int_equal(store_contact_get(f->store, "+910000000000", &c), 0);
}

/* A claimed message carries its contact's opt-out time for the sender. */
static void
test_claim_reads_opt_out(void **state)
{
	struct fixture *f = *state;
	const char *to[] = { "+919800000001", "+919800000002",
	    "+910000000000" };
	const int64_t want[] = { 0, 1234, 0 };
	struct outbox_msg m, *claimed;
	size_t n, i;

	put_contact(f->store, to[0], 0);
	put_contact(f->store, to[1], 1234);
	for (i = 0; i < SP_ARRAY_LEN(to); i++) {
		memset(&m, 0, sizeof(m));
		m.provider = (char *)"twilio";
		m.to = (char *)to[i];
		m.body = (char *)"hello";
		m.created_ms = 1000 + (int64_t)i;
		assert_int_equal(store_outbox_add(f->store, &m), 0);
	}
	assert_int_equal(store_outbox_claim(f->store, "twilio", 5000, 10,
	    &claimed, &n), 0);
	assert_int_equal(n, SP_ARRAY_LEN(to));
	for (i = 0; i < n; i++) {
		assert_string_equal(claimed[i].to, to[i]);
		assert_int_equal(claimed[i].opted_out_ms, want[i]);
	}
	records_outbox_msgs_free(claimed, n);
	/* She says STOP after the claim: the next read sees it. */
	put_contact(f->store, to[0], 4000);
	assert_int_equal(store_outbox_get(f->store, 1, &m), 1);
	assert_int_equal(m.opted_out_ms, 4000);
	records_outbox_msg_clear(&m);
}

static void
test_interests(void **state)
{
	struct fixture *f = *state;
	char **names;
	size_t n;

	assert_int_equal(store_interest_add(f->store, "+911", "market", 10), 0);
	assert_int_equal(store_interest_add(f->store, "+911", "loan", 20), 0);
	assert_int_equal(store_interest_add(f->store, "+911", "loan", 30), 0);
	assert_int_equal(store_interest_has(f->store, "+911", "loan"), 1);
	assert_int_equal(store_interest_has(f->store, "+911", "training"), 0);
	assert_int_equal(store_interest_has(f->store, "+912", "loan"), 0);
	assert_int_equal(store_interests_get(f->store, "+911", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "loan");
	assert_string_equal(names[1], "market");
	store_strings_free(names, n);
	assert_int_equal(store_interests_get(f->store, "+912", &names, &n), 0);
	assert_int_equal(n, 0);
	store_strings_free(names, n);
}

static void
test_import_upserts_and_keeps(void **state)
{
	struct fixture *f = *state;
	static const char *const g1[] = { "shg" };
	static const char *const g2[] = { "shg", "sellers" };
	static const char *const g2names[] = { "shg", "Sellers" };
	const struct store_contact_import first[] = {
		{ "+919800000001", "Sunita", "bhadohi", "hi", NULL, g1, 1,
		    NULL },
		{ "+919800000002", "Asha", "mirzapur", "en", "coordinator",
		    NULL, 0, NULL },
	};
	/* Empty fields keep what she has; a new group is added. */
	const struct store_contact_import second[] = {
		{ "+919800000001", "", "", "en", "", g2, 2, g2names },
	};
	struct contact c;
	struct store_group g;

	put_contact(f->store, "+919800000001", 777);
	assert_int_equal(store_contacts_import(f->store, first, 2, 100), 0);
	assert_int_equal(store_contacts_import(f->store, second, 1, 200), 0);
	assert_int_equal(store_contact_get(f->store, "+919800000001", &c), 1);
	assert_string_equal(c.name, "Sunita");
	assert_string_equal(c.district, "bhadohi");
	assert_string_equal(c.language, "en");
	assert_string_equal(c.role, "entrepreneur");
	assert_int_equal(c.opted_out_ms, 777);	/* never changed by import */
	records_contact_clear(&c);
	assert_int_equal(store_contact_get(f->store, "+919800000002", &c), 1);
	assert_string_equal(c.role, "coordinator");
	records_contact_clear(&c);
	assert_int_equal(store_group_get(f->store, "shg", &g), 1);
	assert_int_equal(g.members, 1);
	assert_int_equal(g.created_ms, 100);
	store_group_clear(&g);
	assert_int_equal(store_group_has(f->store, "sellers",
	    "+919800000001"), 1);
	/* A group the import made gets the name as written. */
	assert_int_equal(store_group_get(f->store, "sellers", &g), 1);
	assert_string_equal(g.display_name, "Sellers");
	store_group_clear(&g);
}

static void
test_import_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	static const char *const g1[] = { "shg" };
	const struct store_contact_import rows[] = {
		{ "+919800000003", "Rekha", "bhadohi", "hi", NULL, g1, 1,
		    NULL },
		{ NULL, "nobody", NULL, NULL, NULL, NULL, 0, NULL },
	};
	struct contact c;
	struct store_group g;

	assert_int_equal(store_contacts_import(f->store, rows, 2, 100), -1);
	assert_int_equal(store_contact_get(f->store, "+919800000003", &c), 0);
	assert_int_equal(store_group_get(f->store, "shg", &g), 0);
	/* The store still works afterwards. */
	assert_int_equal(store_contacts_import(f->store, rows, 1, 100), 0);
	assert_int_equal(store_contact_get(f->store, "+919800000003", &c), 1);
	records_contact_clear(&c);
}

static int
list_names(void *arg, const struct store_group *g)
{
	buf_printf(arg, "%s=%lld;", g->name, (long long)g->members);
	return 0;
}

static void
test_groups(void **state)
{
	struct fixture *f = *state;
	struct contact c;
	struct store_group g;
	struct buf b;

	assert_int_equal(store_group_create(f->store, "weavers", 10), 1);
	assert_int_equal(store_group_create(f->store, "weavers", 20), 0);
	assert_int_equal(store_group_create(f->store, "alpha", 30), 1);
	/* A phone never seen becomes a bare contact. */
	assert_int_equal(store_group_add(f->store, "weavers", "+911", 40), 1);
	assert_int_equal(store_group_add(f->store, "weavers", "+911", 41), 0);
	assert_int_equal(store_group_add(f->store, "weavers", "+912", 42), 1);
	assert_int_equal(store_contact_get(f->store, "+911", &c), 1);
	assert_string_equal(c.role, "entrepreneur");
	assert_int_equal(c.first_seen_ms, 0);
	records_contact_clear(&c);
	assert_int_equal(store_group_add(f->store, "nosuch", "+911", 43), -1);
	assert_non_null(strstr(store_errmsg(f->store), "no such group"));

	buf_init(&b, 0);
	assert_int_equal(store_groups_list(f->store, list_names, &b), 0);
	assert_string_equal(buf_cstr(&b), "alpha=0;weavers=2;");
	assert_int_equal(store_group_remove(f->store, "weavers", "+911"), 1);
	assert_int_equal(store_group_remove(f->store, "weavers", "+911"), 0);
	assert_int_equal(store_group_has(f->store, "weavers", "+911"), 0);
	assert_int_equal(store_group_has(f->store, "weavers", "+912"), 1);

	assert_int_equal(store_group_delete(f->store, "weavers"), 1);
	assert_int_equal(store_group_delete(f->store, "weavers"), 0);
	assert_int_equal(store_group_get(f->store, "weavers", &g), 0);
	/* Memberships went with it: a new group of that name is empty. */
	assert_int_equal(store_group_create(f->store, "weavers", 50), 1);
	assert_int_equal(store_group_has(f->store, "weavers", "+912"), 0);
	buf_reset(&b);
	assert_int_equal(store_groups_list(f->store, list_names, &b), 0);
	assert_string_equal(buf_cstr(&b), "alpha=0;weavers=0;");
	buf_free(&b);
}

static void
test_group_display_and_contact_groups(void **state)
{
	struct fixture *f = *state;
	struct store_group g;
	char **names;
	size_t n;

	assert_int_equal(store_group_create(f->store, "silai-samuh", 10), 1);
	assert_int_equal(store_group_get(f->store, "silai-samuh", &g), 1);
	assert_null(g.display_name);
	store_group_clear(&g);
	assert_int_equal(store_group_set_display(f->store, "silai-samuh",
	    "सिलाई समूह"), 1);
	assert_int_equal(store_group_set_display(f->store, "nosuch", "x"), 0);
	assert_int_equal(store_group_get(f->store, "silai-samuh", &g), 1);
	assert_string_equal(g.display_name, "सिलाई समूह");
	store_group_clear(&g);

	assert_int_equal(store_group_create(f->store, "alpha", 10), 1);
	assert_int_equal(store_group_add(f->store, "silai-samuh", "+911", 20),
	    1);
	assert_int_equal(store_group_add(f->store, "alpha", "+911", 20), 1);
	assert_int_equal(store_contact_groups(f->store, "+911", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "alpha");
	assert_string_equal(names[1], "silai-samuh");
	store_strings_free(names, n);
	assert_int_equal(store_contact_groups(f->store, "+912", &names, &n), 0);
	assert_int_equal(n, 0);
	store_strings_free(names, n);
}

struct walk {
	struct store	*st;
	int64_t		 n;
	char		 last[32];
	int		 ordered;
};

/* Checks phone order, and that the callback may write to the store. */
static int
walk_one(void *arg, const struct contact *c)
{
	struct walk *w = arg;

	if (strcmp(c->phone, w->last) <= 0)
		w->ordered = 0;
	util_strlcpy(w->last, c->phone, sizeof(w->last));
	w->n++;
	if (w->n % 1000 == 0 && store_meta_set(w->st, "walked", c->phone) == -1)
		return -1;
	return 0;
}

static void
test_large_audience_streams(void **state)
{
	struct fixture *f = *state;
	static const char *const g[] = { "big" };
	const char *env = getenv("SAMPARK_TEST_CONTACTS");
	size_t total = env ? (size_t)strtoul(env, NULL, 10) : 25000, i;
	struct store_contact_import *rows = xcalloc(total, sizeof(*rows));
	char **phones = xcalloc(total, sizeof(*phones));
	struct walk w = { f->store, 0, "", 1 };
	struct audience *a;
	char err[64], *v;
	int64_t t0, n;

	for (i = 0; i < total; i++) {
		phones[i] = xasprintf("+9190%08zu", i);
		rows[i].phone = phones[i];
		rows[i].district = i % 2 ? "bhadohi" : "mirzapur";
		/* Every third is in the group. */
		rows[i].groups = g;
		rows[i].ngroups = i % 3 == 0;
	}
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(store_contacts_import(f->store, rows, total, 1), 0);
	for (i = 0; i < total; i += 5)
		assert_int_equal(store_interest_add(f->store, phones[i], "loan",
		    1), 0);
	assert_int_equal(store_commit(f->store), 0);

	a = audience_parse("district:mirzapur+interest:loan,group:big", err,
	    sizeof(err));
	assert_non_null(a);
	t0 = util_mono_ms();
	assert_int_equal(store_audience_each(f->store, a, 0, walk_one, &w), 0);
	fprintf(stderr, "audience over %zu contacts: %lld matched in %lld ms\n",
	    total, (long long)w.n, (long long)(util_mono_ms() - t0));
	/* i even and i % 5 == 0 (i % 10 == 0), or i % 3 == 0. */
	for (i = 0, n = 0; i < total; i++)
		n += (i % 10 == 0) || (i % 3 == 0);
	assert_int_equal(w.n, n);
	assert_true(w.ordered);
	assert_int_equal(store_meta_get(f->store, "walked", &v), 1);
	free(v);
	assert_int_equal(store_audience_count(f->store, a, 0, &n), 0);
	assert_int_equal(n, w.n);
	audience_free(a);
	for (i = 0; i < total; i++)
		free(phones[i]);
	free(phones);
	free(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claim_reads_opt_out,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_opted_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_upserts_and_keeps,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_all_or_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_group_display_and_contact_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_audience_streams,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
