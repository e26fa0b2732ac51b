/*
 * test_store_voice: the calls part of the store (store_voice.c): a call's
 * menu state round-trips, missed-call follow-ups are found within their
 * window, callbacks are outbox messages of kind "call".
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

#include "plan_check.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

struct fixture {
	struct temp_db	 db;
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char err[256] = "";

	temp_db_make(&f->db, "voice");
	f->st = store_open(f->db.path, NULL, err, sizeof(err));
	if (f->st == NULL)
		fail_msg("store_open: %s", err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	plan_check_no_growing_scans(f->st);
	store_close(f->st);
	temp_db_remove(&f->db);
	free(f);
	return 0;
}

static void
test_call_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store_call c, got;

	memset(&c, 0, sizeof(c));
	c.call_id = "CA1";
	c.provider = "twilio";
	c.caller = "+919812345678";
	c.our_number = "+918045678901";
	c.start_ms = 1000;
	c.updated_ms = 1000;
	c.node = "district";
	c.back = "main";
	c.retries = 1;
	c.pending = "loan";
	c.pending_next = "answer";
	c.last_answer = "भदोही में लोन:\nLDM";
	c.steps = 2;
	c.duration_s = -1;
	assert_int_equal(store_call_put(f->st, &c), 0);
	assert_int_equal(store_call_get(f->st, "plivo", "CA1", &got), 0);
	assert_int_equal(store_call_get(f->st, "twilio", "CA1", &got), 1);
	assert_string_equal(got.caller, "+919812345678");
	assert_string_equal(got.direction, "in");
	assert_string_equal(got.status, "active");
	assert_string_equal(got.node, "district");
	assert_string_equal(got.back, "main");
	assert_int_equal(got.retries, 1);
	assert_string_equal(got.pending_next, "answer");
	assert_string_equal(got.last_answer, "भदोही में लोन:\nLDM");
	assert_null(got.district);
	assert_int_equal(got.end_ms, 0);
	/* No status callback yet: no length. */
	assert_int_equal(got.duration_s, -1);
	store_call_clear(&got);

	/* An update keeps the row and its start. */
	c.node = "answer";
	c.pending = NULL;
	c.status = "completed";
	c.end_ms = 5000;
	c.start_ms = 9999;
	c.duration_s = 4;
	assert_int_equal(store_call_put(f->st, &c), 0);
	assert_int_equal(store_call_get(f->st, "twilio", "CA1", &got), 1);
	assert_int_equal(got.duration_s, 4);
	assert_string_equal(got.node, "answer");
	assert_null(got.pending);
	assert_string_equal(got.status, "completed");
	assert_int_equal(got.end_ms, 5000);
	assert_int_equal(got.start_ms, 1000);
	store_call_clear(&got);
	store_call_clear(NULL);

	c.caller = NULL;
	assert_int_equal(store_call_put(f->st, &c), -1);
}

static void
test_followup_window(void **state)
{
	struct fixture *f = *state;
	struct store_call c;

	memset(&c, 0, sizeof(c));
	c.call_id = "M1";
	c.provider = "twilio";
	c.caller = "+919812345678";
	c.start_ms = 10000;
	c.updated_ms = 10000;
	c.status = "missed";
	c.followup = "duplicate";
	assert_int_equal(store_call_put(f->st, &c), 0);
	/* A duplicate is no follow-up of its own. */
	assert_int_equal(store_call_recent_followup(f->st, c.caller, 0), 0);
	c.call_id = "M2";
	c.followup = "callback";
	assert_int_equal(store_call_put(f->st, &c), 0);
	assert_int_equal(store_call_recent_followup(f->st, c.caller, 5000), 1);
	assert_int_equal(store_call_recent_followup(f->st, c.caller, 10001),
	    0);
	assert_int_equal(store_call_recent_followup(f->st, "+919800000000",
	    0), 0);
}

static void
test_outbox_call(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg sms, call, m, *claimed;
	size_t n;

	memset(&sms, 0, sizeof(sms));
	sms.provider = "twilio";
	sms.to = "+919812345678";
	sms.body = "hello";
	sms.encoding = "GSM-7";
	sms.segments = 1;
	sms.created_ms = 1000;
	assert_int_equal(store_outbox_add(f->st, &sms), 0);
	call = sms;
	call.id = 0;
	call.body = "callback";
	assert_int_equal(store_outbox_add_call(f->st, &call), 0);
	assert_true(call.id > sms.id);
	assert_int_equal(store_outbox_get(f->st, sms.id, &m), 1);
	assert_false(m.is_call);
	records_outbox_msg_clear(&m);
	assert_int_equal(store_outbox_get(f->st, call.id, &m), 1);
	assert_true(m.is_call);
	records_outbox_msg_clear(&m);
	/* A call is claimed like any message, and stays a call. */
	assert_int_equal(store_outbox_claim(f->st, "twilio", 2000, 10,
	    &claimed, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(claimed[0].id, sms.id);
	assert_false(claimed[0].is_call);
	assert_int_equal(claimed[1].id, call.id);
	assert_true(claimed[1].is_call);
	records_outbox_msgs_free(claimed, n);
}

/* Every step of a call carries its id; SMS keep their dedupe. */
static void
test_steps_share_call_id(void **state)
{
	struct fixture *f = *state;
	struct interaction row;
	int i;

	for (i = 0; i < 3; i++) {
		memset(&row, 0, sizeof(row));
		row.time_ms = 1000 + i;
		row.channel = "voice";
		row.direction = "in";
		row.provider = "twilio";
		row.provider_msg_id = "CA1";
		row.phone = "+919812345678";
		row.text = i == 0 ? "" : "1";
		row.latency_ms = -1;
		row.status = "digit";
		assert_int_equal(store_interaction_insert(f->st, &row), 1);
	}
	/* A provider's retried SMS is still the same row. */
	row.channel = "sms";
	row.provider_msg_id = "SM1";
	row.text = "loan bhadohi";
	assert_int_equal(store_interaction_insert(f->st, &row), 1);
	assert_int_equal(store_interaction_insert(f->st, &row), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_steps_share_call_id, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_call_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_followup_window, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outbox_call, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
