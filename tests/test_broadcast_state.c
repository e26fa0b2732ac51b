/*
 * test_broadcast_state: the state a coordinator sees for a broadcast
 * (from its messages) and for a message stopped by a cancel.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "broadcast.h"
#include "records.h"
#include "store.h"

static const char *
state_of(const char *stored, int64_t queued, int64_t sent,
    int64_t delivered, int64_t failed, int64_t cancelled)
{
	struct store_broadcast b;
	struct store_broadcast_counts c;

	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	b.state = (char *)stored;
	c.queued = queued;
	c.sent = sent;
	c.delivered = delivered;
	c.failed = failed;
	c.cancelled = cancelled;
	return broadcast_state(&b, &c);
}

static void
test_broadcast_state(void **state)
{
	(void)state;
	/* 40 women in Bhadohi, some messages still waiting for the window. */
	assert_string_equal(state_of("queued", 12, 20, 8, 0, 0), "queued");
	/* All handed over, some delivery reports still to come. */
	assert_string_equal(state_of("queued", 0, 5, 33, 2, 0), "sent");
	/* Every message has its last state. */
	assert_string_equal(state_of("queued", 0, 0, 38, 2, 0), "done");
	assert_string_equal(state_of("cancelled", 0, 3, 10, 0, 27),
	    "cancelled");
	assert_string_equal(state_of("creating", 100, 0, 0, 0, 0),
	    "creating");
}

static void
test_outbox_state(void **state)
{
	struct outbox_msg m;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.state = (char *)"failed";
	m.reason = (char *)"cancelled";
	assert_string_equal(records_outbox_state(&m), "cancelled");
	m.reason = (char *)"invalid number";
	assert_string_equal(records_outbox_state(&m), "failed");
	m.reason = NULL;
	assert_string_equal(records_outbox_state(&m), "failed");
	m.state = (char *)"delivered";
	assert_string_equal(records_outbox_state(&m), "delivered");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broadcast_state),
		cmocka_unit_test(test_outbox_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
