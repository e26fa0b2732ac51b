/*
 * test_abuse: every limit of abuse.h against a fake clock (the tests pass
 * the time), the prefix rule, the budget's hours, eviction of the least
 * recently seen sender, and the metrics it feeds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abuse.h"
#include "log.h"
#include "metrics.h"
#include "util.h"

#define T0	1767225600000LL		/* 2026-01-01T00:00:00Z, an hour start */
#define MIN	60000LL
#define HOUR	3600000LL
#define A	"+919876500001"
#define B	"+919876500002"

static const char *const REPLY[] = {
	"Loan help in Bhadohi: DIC Gyanpur, 05414-250 123. Reply MORE for more.",
};

/* Everything off but what a test turns on. */
static struct abuse *
make(struct abuse_conf *c)
{
	struct abuse *a = abuse_new(64, 42);

	abuse_set_conf(a, c);
	return a;
}

static void
test_inbound_rate(void **state)
{
	struct abuse_conf c = { .inbound_per_hour = 20 };
	struct abuse *a = make(&c);
	struct abuse_stats st;
	int i;

	(void)state;
	for (i = 0; i < 20; i++)
		assert_int_equal(abuse_inbound(a, A, "loan", T0 + i), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "loan", T0 + 20), ABUSE_RATE);
	assert_int_equal(abuse_inbound(a, A, "loan", T0 + 2 * MIN), ABUSE_RATE);
	/* Another sender has her own allowance. */
	assert_int_equal(abuse_inbound(a, B, "loan", T0 + 21), ABUSE_OK);
	/* One message's worth (3 minutes) later, one more goes through... */
	assert_int_equal(abuse_inbound(a, A, "loan", T0 + 3 * MIN + 20),
	    ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "loan", T0 + 3 * MIN + 21),
	    ABUSE_RATE);
	/* ...and after a quiet hour the whole burst is back. */
	for (i = 0; i < 20; i++)
		assert_int_equal(abuse_inbound(a, A, "x", T0 + 2 * HOUR + i),
		    ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "x", T0 + 2 * HOUR + 20),
	    ABUSE_RATE);
	abuse_stats(a, &st);
	assert_int_equal(st.refused[ABUSE_RATE], 4);
	assert_int_equal(st.senders, 2);
	abuse_free(a);
}

static void
test_rate_off(void **state)
{
	struct abuse_conf c = { 0 };
	struct abuse *a = make(&c);
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(abuse_inbound(a, A, "loan", T0), ABUSE_OK);
	abuse_free(a);
}

static void
test_reply_cap_per_ist_day(void **state)
{
	struct abuse_conf c = { .replies_per_day = 3 };
	struct abuse *a = make(&c);
	const char *two[] = { "part one", "part two" };
	/* 18:29 UTC is 23:59 in India; 18:31 UTC is the next Indian day. */
	int64_t late = T0 + 18 * HOUR + 29 * MIN, next = T0 + 18 * HOUR +
	    31 * MIN;

	(void)state;
	assert_int_equal(abuse_reply(a, A, two, 2, 0, late), ABUSE_OK);
	/* All or nothing: two more would pass the cap of 3. */
	assert_int_equal(abuse_reply(a, A, two, 2, 0, late), ABUSE_REPLY_CAP);
	assert_int_equal(abuse_reply(a, A, two, 1, 0, late), ABUSE_OK);
	assert_int_equal(abuse_reply(a, A, two, 1, 0, late), ABUSE_REPLY_CAP);
	assert_int_equal(abuse_reply(a, B, two, 1, 0, late), ABUSE_OK);
	assert_int_equal(abuse_reply(a, A, two, 2, 0, next), ABUSE_OK);
	assert_int_equal(abuse_reply(a, A, two, 0, 0, next), ABUSE_OK);
	abuse_free(a);
}

static void
test_prefix_rule(void **state)
{
	(void)state;
	assert_true(abuse_prefix_match("+91", "+919876500001"));
	assert_true(abuse_prefix_match("91", "+919876500001"));
	assert_true(abuse_prefix_match("+91", "919876500001"));
	assert_false(abuse_prefix_match("+91", "+447700900123"));
	assert_false(abuse_prefix_match("+91", "+9"));
	assert_true(abuse_prefix_match("+91, +977", "+9779812345678"));
	assert_true(abuse_prefix_match("+44,+91", "+919876500001"));
	assert_false(abuse_prefix_match("+9198", "+919776500001"));
	assert_true(abuse_prefix_match("*", "+447700900123"));
	assert_true(abuse_prefix_match("", "+447700900123"));
	assert_true(abuse_prefix_match(" , ", "+447700900123"));
	assert_false(abuse_prefix_match("+91", ""));
	assert_false(abuse_prefix_match("+91", NULL));
	/* A "+" alone names no prefix: it must not allow everything. */
	assert_false(abuse_prefix_match("+", "+447700900123"));
}

static void
test_prefix_refuses_replies(void **state)
{
	struct abuse_conf c = { .allowed_prefixes = "+91" };
	struct abuse *a = make(&c);
	struct abuse_stats st;

	(void)state;
	assert_int_equal(abuse_reply(a, "+447700900123", REPLY, 1, 1, T0),
	    ABUSE_PREFIX);
	assert_int_equal(abuse_reply(a, A, REPLY, 1, 1, T0), ABUSE_OK);
	assert_true(abuse_destination_ok(a, A));
	assert_false(abuse_destination_ok(a, "+12025550123"));
	abuse_stats(a, &st);
	assert_int_equal(st.refused[ABUSE_PREFIX], 2);
	abuse_free(a);
}

static void
test_same_text_loop(void **state)
{
	struct abuse_conf c = { .loop_repeats = 4, .loop_window_s = 600 };
	struct abuse *a = make(&c);
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(abuse_inbound(a, A, "Loan?", T0 + i * MIN),
		    ABUSE_OK);
	/* Case and punctuation do not make it a new text. */
	assert_int_equal(abuse_inbound(a, A, "loan", T0 + 3 * MIN), ABUSE_LOOP);
	/* Muted: even a different text gets no reply for the window... */
	assert_int_equal(abuse_inbound(a, A, "help", T0 + 5 * MIN), ABUSE_LOOP);
	assert_int_equal(abuse_inbound(a, B, "help", T0 + 5 * MIN), ABUSE_OK);
	/* ...which runs from the last offending message. */
	assert_int_equal(abuse_inbound(a, A, "help", T0 + 14 * MIN), ABUSE_OK);
	abuse_free(a);
}

static void
test_repeats_spread_out_are_fine(void **state)
{
	struct abuse_conf c = { .loop_repeats = 3, .loop_window_s = 600 };
	struct abuse *a = make(&c);

	(void)state;
	assert_int_equal(abuse_inbound(a, A, "1", T0), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "1", T0 + 5 * MIN), ABUSE_OK);
	/* Outside the window of the first: a new series. */
	assert_int_equal(abuse_inbound(a, A, "1", T0 + 11 * MIN), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "1", T0 + 12 * MIN), ABUSE_OK);
	/* A different text in between breaks the series too. */
	assert_int_equal(abuse_inbound(a, A, "2", T0 + 13 * MIN), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "1", T0 + 14 * MIN), ABUSE_OK);
	abuse_free(a);
}

static void
test_echo_of_our_reply_is_a_machine(void **state)
{
	struct abuse_conf c = { .loop_repeats = 4, .loop_window_s = 600 };
	struct abuse *a = make(&c);
	char echo[200];

	(void)state;
	assert_int_equal(abuse_reply(a, A, REPLY, 1, 0, T0), ABUSE_OK);
	/* Another number echoing what we sent A, shouted. */
	snprintf(echo, sizeof(echo), "  %s ", REPLY[0]);
	for (char *p = echo; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	assert_int_equal(abuse_inbound(a, B, echo, T0 + MIN), ABUSE_AUTOMATED);
	assert_int_equal(abuse_inbound(a, A, "I am away. This is an "
	    "AUTOMATED MESSAGE.", T0 + MIN), ABUSE_AUTOMATED);
	/* Short texts we also send ("ok") are not taken for echoes. */
	{
		const char *ok[] = { "OK" };
		struct abuse_conf c2 = c;
		struct abuse *a2 = make(&c2);

		assert_int_equal(abuse_reply(a2, A, ok, 1, 0, T0), ABUSE_OK);
		assert_int_equal(abuse_inbound(a2, B, "ok", T0 + MIN),
		    ABUSE_OK);
		abuse_free(a2);
	}
	abuse_free(a);
}

static void
test_fast_answers_are_a_machine(void **state)
{
	struct abuse_conf c = { .loop_window_s = 600, .loop_fast_ms = 2000,
	    .loop_fast_strikes = 3 };
	struct abuse *a = make(&c);
	const char *texts[] = { "one", "two", "three", "four", "five" };
	int64_t t = T0;
	int i;

	(void)state;
	/* A person: one quick follow-up, then she reads and types. */
	assert_int_equal(abuse_inbound(a, A, "loan", t), ABUSE_OK);
	assert_int_equal(abuse_reply(a, A, REPLY, 1, 0, t), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "bhadohi", t + 500), ABUSE_OK);
	assert_int_equal(abuse_reply(a, A, REPLY, 1, 0, t + 500), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "thanks", t + 20000), ABUSE_OK);
	/* Two messages without our reply in between do not count. */
	assert_int_equal(abuse_inbound(a, A, "x", t + 20001), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "y", t + 20002), ABUSE_OK);

	/* A responder: every answer 300 ms after our reply. */
	t = T0 + HOUR;
	assert_int_equal(abuse_inbound(a, B, "hi", t), ABUSE_OK);
	for (i = 0; i < 2; i++) {
		assert_int_equal(abuse_reply(a, B, REPLY, 1, 0, t), ABUSE_OK);
		t += 300;
		assert_int_equal(abuse_inbound(a, B, texts[i], t), ABUSE_OK);
	}
	assert_int_equal(abuse_reply(a, B, REPLY, 1, 0, t), ABUSE_OK);
	t += 300;
	assert_int_equal(abuse_inbound(a, B, texts[2], t), ABUSE_AUTOMATED);
	assert_int_equal(abuse_inbound(a, B, texts[3], t + 60000),
	    ABUSE_AUTOMATED);
	assert_int_equal(abuse_inbound(a, B, texts[4], t + 11 * MIN), ABUSE_OK);
	abuse_free(a);
}

static void
test_budget_by_clock_hour(void **state)
{
	struct abuse_conf c = { .outbound_per_hour = 5 };
	struct abuse *a = make(&c);
	struct abuse_stats st;
	const char *three[] = { "a", "b", "c" };

	(void)state;
	assert_int_equal(abuse_budget_left(a, T0 + 10), 5);
	abuse_budget_take(a, 3, T0 + 10);
	assert_int_equal(abuse_budget_left(a, T0 + 20), 2);
	/* An inline reply through a paid provider takes from it too... */
	assert_int_equal(abuse_reply(a, A, three, 3, 1, T0 + 30), ABUSE_BUDGET);
	assert_int_equal(abuse_reply(a, A, three, 2, 1, T0 + 30), ABUSE_OK);
	/* ...one through a free one does not. */
	assert_int_equal(abuse_reply(a, B, three, 3, 0, T0 + 30), ABUSE_OK);
	assert_int_equal(abuse_budget_left(a, T0 + 40), 0);
	assert_int_equal(abuse_budget_left(a, T0 + 50), 0);
	assert_int_equal(abuse_budget_wait_ms(T0 + 50), HOUR - 50);
	abuse_stats(a, &st);
	assert_int_equal(st.budget_trips, 1);	/* tripped once, not twice */
	assert_int_equal(st.budget_used, 5);
	/* The next clock hour starts afresh. */
	assert_int_equal(abuse_budget_left(a, T0 + HOUR), 5);
	abuse_free(a);

	c.outbound_per_hour = 0;
	a = make(&c);
	assert_int_equal(abuse_budget_left(a, T0), SIZE_MAX);
	abuse_free(a);
}

static void
test_least_recent_sender_is_forgotten(void **state)
{
	struct abuse_conf c = { .inbound_per_hour = 1 };
	struct abuse *a = abuse_new(16, 7);
	struct abuse_stats st;
	char phone[32];
	int i;

	(void)state;
	abuse_set_conf(a, &c);
	assert_int_equal(abuse_inbound(a, A, "x", T0), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "x", T0 + 1), ABUSE_RATE);
	/* Fifteen others fill the table; A is touched again, so stays. */
	for (i = 0; i < 15; i++) {
		snprintf(phone, sizeof(phone), "+91980000%04d", i);
		assert_int_equal(abuse_inbound(a, phone, "x", T0 + 2),
		    ABUSE_OK);
	}
	assert_int_equal(abuse_inbound(a, A, "x", T0 + 3), ABUSE_RATE);
	/* One more evicts the oldest of the fifteen, not A. */
	assert_int_equal(abuse_inbound(a, B, "x", T0 + 4), ABUSE_OK);
	assert_int_equal(abuse_inbound(a, A, "x", T0 + 5), ABUSE_RATE);
	abuse_stats(a, &st);
	assert_int_equal(st.senders, 16);
	assert_int_equal(st.capacity, 16);
	/* The evicted one starts afresh: its first message is OK again. */
	assert_int_equal(abuse_inbound(a, "+919800000000", "x", T0 + 6),
	    ABUSE_OK);
	/* Many more numbers than room: still bounded, still right. */
	for (i = 0; i < 5000; i++) {
		snprintf(phone, sizeof(phone), "+91970000%04d", i);
		assert_int_equal(abuse_inbound(a, phone, "x", T0 + 7),
		    ABUSE_OK);
		assert_int_equal(abuse_inbound(a, phone, "x", T0 + 8),
		    ABUSE_RATE);
	}
	abuse_stats(a, &st);
	assert_int_equal(st.senders, 16);
	abuse_free(a);
}

static void
test_metrics(void **state)
{
	struct abuse_conf c = { .inbound_per_hour = 1, .outbound_per_hour = 1,
	    .allowed_prefixes = "+91" };
	struct metrics *m = metrics_new();
	struct abuse *a = make(&c);
	struct buf out;
	double v = 0;

	(void)state;
	abuse_set_metrics(a, m);
	abuse_inbound(a, A, "x", T0);
	abuse_inbound(a, A, "x", T0);
	abuse_inbound(a, A, "x", T0);
	abuse_destination_ok(a, "+12025550123");
	abuse_budget_take(a, 1, T0);
	abuse_budget_left(a, T0);
	abuse_metrics_update(a, m);
	assert_int_equal(metrics_get(m, "sampark_abuse_refused_total", &v,
	    "reason", "rate", NULL), 1);
	assert_true(v == 2);
	assert_int_equal(metrics_get(m, "sampark_abuse_refused_total", &v,
	    "reason", "prefix", NULL), 1);
	assert_true(v == 1);
	assert_int_equal(metrics_get(m, "sampark_outbound_budget_trips_total",
	    &v, NULL), 1);
	assert_true(v == 1);
	assert_int_equal(metrics_get(m, "sampark_abuse_senders_tracked", &v,
	    NULL), 1);
	assert_true(v == 1);
	buf_init(&out, 0);
	metrics_render(m, &out);
	assert_non_null(strstr(buf_cstr(&out),
	    "sampark_outbound_budget_limit 1"));
	buf_free(&out);
	abuse_free(a);
	metrics_free(m);
}

/*
 * A batch that the store rolled back leaves no trace: the provider's
 * retries of a message answered 503 are not repeats, the replies it
 * would have carried took nothing from the budget or the daily cap, and
 * its refusals were neither counted nor logged.  A committed batch
 * counts as if there were no batch.
 */
static void
test_rolled_back_batch_leaves_no_trace(void **state)
{
	struct abuse_conf c = { .loop_repeats = 4, .loop_window_s = 600,
	    .replies_per_day = 2, .outbound_per_hour = 10,
	    .inbound_per_hour = 5 };
	struct abuse *a = make(&c);
	struct abuse_stats st;
	int i;

	(void)state;
	/* Six retries of one message, each in a batch that failed. */
	for (i = 0; i < 6; i++) {
		abuse_batch_begin(a);
		abuse_inbound(a, A, "loan bhadohi", T0 + i * 1000);
		abuse_reply(a, A, REPLY, 1, 1, T0 + i * 1000);
		abuse_batch_end(a, 0);
	}
	abuse_stats(a, &st);
	assert_int_equal(st.refused[ABUSE_LOOP], 0);
	assert_int_equal(st.refused[ABUSE_RATE], 0);
	assert_int_equal(st.budget_used, 0);
	/* The store is back: the retry is answered, and so is the next. */
	abuse_batch_begin(a);
	assert_int_equal(abuse_inbound(a, A, "loan bhadohi", T0 + 10000),
	    ABUSE_OK);
	assert_int_equal(abuse_reply(a, A, REPLY, 1, 1, T0 + 10000),
	    ABUSE_OK);
	abuse_batch_end(a, 1);
	abuse_batch_begin(a);
	assert_int_equal(abuse_inbound(a, A, "help", T0 + 20000), ABUSE_OK);
	assert_int_equal(abuse_reply(a, A, REPLY, 1, 1, T0 + 20000),
	    ABUSE_OK);
	abuse_batch_end(a, 1);
	abuse_stats(a, &st);
	assert_int_equal(st.budget_used, 2);
	/* Committed counts hold: the daily cap of 2 is spent. */
	assert_int_equal(abuse_reply(a, A, REPLY, 1, 1, T0 + 30000),
	    ABUSE_REPLY_CAP);
	abuse_stats(a, &st);
	assert_int_equal(st.refused[ABUSE_REPLY_CAP], 1);

	/* A refusal inside a committed batch counts at its end. */
	for (i = 0; i < 3; i++)
		assert_int_equal(abuse_inbound(a, B, "x", T0 + i), ABUSE_OK);
	abuse_batch_begin(a);
	assert_int_equal(abuse_inbound(a, B, "x", T0 + 5), ABUSE_LOOP);
	abuse_stats(a, &st);
	assert_int_equal(st.refused[ABUSE_LOOP], 0);
	abuse_batch_end(a, 1);
	abuse_stats(a, &st);
	assert_int_equal(st.refused[ABUSE_LOOP], 1);
	assert_int_equal(abuse_inbound(a, B, "y", T0 + 6), ABUSE_LOOP);
	abuse_free(a);
}

/* A sender evicted and replaced within a failed batch: no crossed wires. */
static void
test_rollback_after_eviction(void **state)
{
	struct abuse *a = abuse_new(16, 7);
	struct abuse_conf c = { .loop_repeats = 2, .loop_window_s = 600 };
	char phone[32];
	int i;

	(void)state;
	abuse_set_conf(a, &c);
	assert_int_equal(abuse_inbound(a, A, "loan", T0), ABUSE_OK);
	abuse_batch_begin(a);
	assert_int_equal(abuse_inbound(a, A, "loan", T0 + 1), ABUSE_LOOP);
	/* Sixteen new senders push A out and reuse her record. */
	for (i = 0; i < 16; i++) {
		snprintf(phone, sizeof(phone), "+9198765%05d", i);
		abuse_inbound(a, phone, "loan", T0 + 2);
	}
	abuse_batch_end(a, 0);
	/* Every one of them starts afresh; none inherited A's mute. */
	for (i = 0; i < 16; i++) {
		snprintf(phone, sizeof(phone), "+9198765%05d", i);
		assert_int_equal(abuse_inbound(a, phone, "help", T0 + 3),
		    ABUSE_OK);
	}
	abuse_free(a);
}

/*
 * Two daemons share a sender's state through the database: what one
 * exported, another imports, and its decisions go on from there; a
 * sender the database never saw is imported as new, whatever this
 * table remembered.
 */
static void
test_sender_export_import(void **state)
{
	struct abuse_conf c = { .inbound_per_hour = 3, .loop_repeats = 2,
	    .loop_window_s = 600, .replies_per_day = 2 };
	struct abuse *one = make(&c), *two = make(&c);
	struct abuse_sender s, t;
	struct abuse_stats st;

	(void)state;
	assert_int_equal(abuse_sender_export(one, A, &s), 0);
	assert_int_equal(s.tat, 0);
	assert_int_equal(abuse_inbound(one, A, "loan", T0), ABUSE_OK);
	assert_int_equal(abuse_reply(one, A, REPLY, 1, 0, T0 + 1), ABUSE_OK);
	assert_int_equal(abuse_inbound(one, A, "help", T0 + 2), ABUSE_OK);
	assert_int_equal(abuse_sender_export(one, A, &s), 1);
	assert_int_equal(s.replies_today, 1);
	assert_true(s.tat > T0);
	/* The other daemon, told: her third message of the hour is her
	 * last, and her reply cap has one left. */
	abuse_sender_import(two, A, &s);
	assert_int_equal(abuse_sender_export(two, A, &t), 1);
	assert_memory_equal(&s, &t, sizeof(s));
	assert_int_equal(abuse_inbound(two, A, "training", T0 + 3), ABUSE_OK);
	assert_int_equal(abuse_reply(two, A, REPLY, 1, 0, T0 + 4), ABUSE_OK);
	assert_int_equal(abuse_reply(two, A, REPLY, 1, 0, T0 + 5),
	    ABUSE_REPLY_CAP);
	assert_int_equal(abuse_inbound(two, A, "market", T0 + 6), ABUSE_RATE);
	/* And back: the first daemon, told, refuses her too. */
	abuse_sender_export(two, A, &t);
	abuse_sender_import(one, A, &t);
	assert_int_equal(abuse_inbound(one, A, "mela", T0 + 7), ABUSE_RATE);
	/* A mute travels as well, with its reason. */
	assert_int_equal(abuse_inbound(two, B, "LOAN?", T0), ABUSE_OK);
	assert_int_equal(abuse_inbound(two, B, "LOAN?", T0 + 1), ABUSE_LOOP);
	abuse_sender_export(two, B, &t);
	abuse_sender_import(one, B, &t);
	assert_int_equal(abuse_inbound(one, B, "help", T0 + 3), ABUSE_LOOP);
	/* Forgotten by the database: new again here. */
	abuse_sender_import(one, A, NULL);
	assert_int_equal(abuse_inbound(one, A, "mela", T0 + 8), ABUSE_OK);
	abuse_stats(one, &st);
	assert_int_equal(st.senders, 2);
	abuse_free(one);
	abuse_free(two);
}

/* The budget counted by the database: left and the gauge follow it,
 * and its exhaustion is a trip, once. */
static void
test_budget_seen(void **state)
{
	struct abuse_conf c = { .outbound_per_hour = 5 };
	struct abuse *a = make(&c);
	struct abuse_stats st;

	(void)state;
	assert_int_equal(abuse_budget_limit(a), 5);
	abuse_budget_seen(a, 3, T0 + 10);
	assert_int_equal(abuse_budget_left(a, T0 + 11), 2);
	abuse_budget_seen(a, 5, T0 + 12);
	assert_int_equal(abuse_budget_left(a, T0 + 13), 0);
	assert_int_equal(abuse_budget_left(a, T0 + 14), 0);
	abuse_stats(a, &st);
	assert_int_equal(st.budget_used, 5);
	assert_int_equal(st.budget_trips, 1);
	/* A new hour starts from what the database says of it. */
	abuse_budget_seen(a, 1, T0 + HOUR);
	assert_int_equal(abuse_budget_left(a, T0 + HOUR + 1), 4);
	abuse_free(a);
}

static void
test_names_and_null(void **state)
{
	(void)state;
	assert_string_equal(abuse_verdict_name(ABUSE_OK), "ok");
	assert_string_equal(abuse_verdict_name(ABUSE_REPLY_CAP), "reply_cap");
	assert_string_equal(abuse_verdict_name(ABUSE_NVERDICTS), "unknown");
	abuse_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inbound_rate),
		cmocka_unit_test(test_rolled_back_batch_leaves_no_trace),
		cmocka_unit_test(test_rollback_after_eviction),
		cmocka_unit_test(test_rate_off),
		cmocka_unit_test(test_reply_cap_per_ist_day),
		cmocka_unit_test(test_prefix_rule),
		cmocka_unit_test(test_prefix_refuses_replies),
		cmocka_unit_test(test_same_text_loop),
		cmocka_unit_test(test_repeats_spread_out_are_fine),
		cmocka_unit_test(test_echo_of_our_reply_is_a_machine),
		cmocka_unit_test(test_fast_answers_are_a_machine),
		cmocka_unit_test(test_budget_by_clock_hour),
		cmocka_unit_test(test_least_recent_sender_is_forgotten),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_sender_export_import),
		cmocka_unit_test(test_budget_seen),
		cmocka_unit_test(test_names_and_null),
	};

	/* The refusals are logged; thousands of lines would hide the
	 * results. */
	log_set_level(LOG_LEVEL_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
