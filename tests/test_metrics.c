/* Tests for gateway/lib/metrics.c: counting, labels, the exposition format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "util.h"

static void
test_counter_labels(void **state)
{
	struct metrics *m = metrics_new();
	double v;

	(void)state;
	assert_int_equal(metrics_declare(m, "sampark_webhook_requests_total",
	    METRIC_COUNTER, "Webhook requests.", NULL, 0), 0);
	assert_int_equal(metrics_add(m, "sampark_webhook_requests_total", 1,
	    "provider", "twilio", "code", "200", NULL), 0);
	assert_int_equal(metrics_add(m, "sampark_webhook_requests_total", 2,
	    "provider", "twilio", "code", "200", NULL), 0);
	assert_int_equal(metrics_add(m, "sampark_webhook_requests_total", 1,
	    "provider", "plivo", "code", "403", NULL), 0);
	assert_int_equal(metrics_get(m, "sampark_webhook_requests_total", &v,
	    "provider", "twilio", "code", "200", NULL), 1);
	assert_true(v == 3);
	assert_int_equal(metrics_get(m, "sampark_webhook_requests_total", &v,
	    "provider", "exotel", "code", "200", NULL), 0);
	/* Counters never go down; unknown families and kinds are refused. */
	assert_int_equal(metrics_add(m, "sampark_webhook_requests_total", -1,
	    NULL), -1);
	assert_int_equal(metrics_add(m, "sampark_nothing_total", 1, NULL), -1);
	assert_int_equal(metrics_set(m, "sampark_webhook_requests_total", 1,
	    NULL), -1);
	assert_int_equal(metrics_add(m, "sampark_webhook_requests_total", 1,
	    "bad-label", "x", NULL), -1);
	/* NULL registry: nothing counted, no crash. */
	assert_int_equal(metrics_add(NULL, "x", 1, NULL), 0);
	metrics_free(m);
	metrics_free(NULL);
}

static void
test_declare(void **state)
{
	struct metrics *m = metrics_new();
	char err[128];

	(void)state;
	assert_int_equal(metrics_declare(m, "9bad", METRIC_COUNTER, "", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "9bad"));
	assert_int_equal(metrics_declare(m, "x_count", METRIC_HISTOGRAM, "",
	    err, sizeof(err)), -1);
	assert_int_equal(metrics_declare(m, "a", METRIC_GAUGE, "", NULL, 0),
	    0);
	assert_int_equal(metrics_declare(m, "a", METRIC_GAUGE, "", NULL, 0),
	    0);
	assert_int_equal(metrics_declare(m, "a", METRIC_COUNTER, "", err,
	    sizeof(err)), -1);
	metrics_free(m);
}

static void
test_render_format(void **state)
{
	struct metrics *m = metrics_new();
	struct buf b;
	const char *out;

	(void)state;
	buf_init(&b, 0);
	metrics_declare(m, "sampark_inbound_messages_total", METRIC_COUNTER,
	    "Inbound \\ messages\nby keyword.", NULL, 0);
	metrics_declare(m, "sampark_outbox_messages", METRIC_GAUGE,
	    "Outbox depth.", NULL, 0);
	metrics_declare(m, "sampark_request_duration_seconds",
	    METRIC_HISTOGRAM, "Latency.", NULL, 0);
	metrics_add(m, "sampark_inbound_messages_total", 1, "keyword",
	    "ऋण \"x\"\\\n", NULL);
	metrics_set(m, "sampark_outbox_messages", 7, "state", "queued", NULL);
	metrics_observe(m, "sampark_request_duration_seconds", 0.003,
	    "listener", "webhook", NULL);
	metrics_observe(m, "sampark_request_duration_seconds", 0.2,
	    "listener", "webhook", NULL);
	metrics_observe(m, "sampark_request_duration_seconds", 99,
	    "listener", "webhook", NULL);
	metrics_render(m, &b);
	out = buf_cstr(&b);
	assert_non_null(strstr(out, "# HELP sampark_inbound_messages_total "
	    "Inbound \\\\ messages\\nby keyword.\n"));
	assert_non_null(strstr(out, "# TYPE sampark_inbound_messages_total "
	    "counter\n"));
	assert_non_null(strstr(out, "sampark_inbound_messages_total{keyword="
	    "\"ऋण \\\"x\\\"\\\\\\n\"} 1\n"));
	assert_non_null(strstr(out, "sampark_outbox_messages{state=\"queued\"}"
	    " 7\n"));
	assert_non_null(strstr(out, "# TYPE sampark_request_duration_seconds "
	    "histogram\n"));
	/* Buckets are cumulative; +Inf holds everything. */
	assert_non_null(strstr(out, "sampark_request_duration_seconds_bucket{"
	    "listener=\"webhook\",le=\"0.001\"} 0\n"));
	assert_non_null(strstr(out, "sampark_request_duration_seconds_bucket{"
	    "listener=\"webhook\",le=\"0.005\"} 1\n"));
	assert_non_null(strstr(out, "sampark_request_duration_seconds_bucket{"
	    "listener=\"webhook\",le=\"0.25\"} 2\n"));
	assert_non_null(strstr(out, "sampark_request_duration_seconds_bucket{"
	    "listener=\"webhook\",le=\"10\"} 2\n"));
	assert_non_null(strstr(out, "sampark_request_duration_seconds_bucket{"
	    "listener=\"webhook\",le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(out, "sampark_request_duration_seconds_count{"
	    "listener=\"webhook\"} 3\n"));
	assert_non_null(strstr(out, "sampark_request_duration_seconds_sum{"
	    "listener=\"webhook\"} 99.203\n"));
	/* Zeroing a gauge keeps its series at 0. */
	metrics_zero(m, "sampark_outbox_messages");
	buf_reset(&b);
	metrics_render(m, &b);
	assert_non_null(strstr(buf_cstr(&b),
	    "sampark_outbox_messages{state=\"queued\"} 0\n"));
	buf_free(&b);
	metrics_free(m);
}

static void
test_series_cap(void **state)
{
	struct metrics *m = metrics_new();
	char name[32];
	double v;
	int i;

	(void)state;
	metrics_declare(m, "c_total", METRIC_COUNTER, "", NULL, 0);
	for (i = 0; i < METRICS_MAX_SERIES + 50; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		assert_int_equal(metrics_add(m, "c_total", 1, "provider", name,
		    NULL), 0);
	}
	assert_int_equal(metrics_get(m, "c_total", &v, "provider", "_other",
	    NULL), 1);
	assert_true(v == 50);	/* everything past the cap */
	/* An existing series still counts by its own name. */
	metrics_add(m, "c_total", 1, "provider", "p0", NULL);
	assert_int_equal(metrics_get(m, "c_total", &v, "provider", "p0", NULL),
	    1);
	assert_true(v == 2);
	metrics_free(m);
}

static void
test_process(void **state)
{
	struct metrics *m = metrics_new();
	double v;

	(void)state;
	metrics_process(m);
	assert_int_equal(metrics_get(m, "sampark_process_resident_memory_bytes",
	    &v, NULL), 1);
	assert_true(v > 100000);
	assert_int_equal(metrics_get(m, "sampark_process_open_fds", &v, NULL),
	    1);
	assert_true(v >= 3);
	assert_int_equal(metrics_get(m, "sampark_uptime_seconds", &v, NULL), 1);
	assert_true(v >= 0);
	metrics_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_labels),
		cmocka_unit_test(test_declare),
		cmocka_unit_test(test_render_format),
		cmocka_unit_test(test_series_cap),
		cmocka_unit_test(test_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
