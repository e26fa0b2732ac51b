/*
 * test_worker: jobs run off the loop's thread, their done callbacks run
 * on it, and the loop keeps turning while a job works.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "util.h"
#include "worker.h"

struct job_arg {
	struct event_base	*base;
	pthread_t		 loop_thread;
	pthread_t		 work_thread;
	int			 worked;
	int			 done_on_loop;
	int			*remaining;
};

static void
work(void *p)
{
	struct job_arg *a = p;

	a->work_thread = pthread_self();
	usleep(50 * 1000);
	a->worked = 1;
}

static void
done(void *p)
{
	struct job_arg *a = p;

	a->done_on_loop = pthread_equal(pthread_self(), a->loop_thread);
	if (--*a->remaining == 0)
		event_base_loopbreak(a->base);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(*(int *)arg)++;
}

static void
test_jobs_run_off_the_loop(void **state)
{
	struct event_base *base = event_base_new();
	struct job_arg a[3];
	struct timeval ms5 = { 0, 5000 }, limit = { 5, 0 };
	struct event *tick;
	struct worker *w;
	char err[128];
	int remaining = 3, ticks = 0, i;

	(void)state;
	assert_non_null(base);
	w = worker_new(base, err, sizeof(err));
	assert_non_null(w);
	tick = event_new(base, -1, EV_PERSIST, on_tick, &ticks);
	event_add(tick, &ms5);
	for (i = 0; i < 3; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].base = base;
		a[i].loop_thread = pthread_self();
		a[i].remaining = &remaining;
		assert_int_equal(worker_run(w, work, done, &a[i], err,
		    sizeof(err)), 0);
	}
	assert_int_equal(worker_busy(w), 3);
	event_base_loopexit(base, &limit);	/* a bound, not the end */
	event_base_dispatch(base);
	assert_int_equal(remaining, 0);
	assert_int_equal(worker_busy(w), 0);
	for (i = 0; i < 3; i++) {
		assert_true(a[i].worked);
		assert_true(a[i].done_on_loop);
		assert_false(pthread_equal(a[i].work_thread, pthread_self()));
	}
	/* The loop turned while the jobs slept. */
	assert_true(ticks >= 3);
	event_free(tick);
	worker_free(w);
	event_base_free(base);
}

static void
test_free_waits_for_running_jobs(void **state)
{
	struct event_base *base = event_base_new();
	struct job_arg a;
	struct worker *w;
	char err[128];
	int remaining = 1;

	(void)state;
	w = worker_new(base, err, sizeof(err));
	assert_non_null(w);
	memset(&a, 0, sizeof(a));
	a.base = base;
	a.loop_thread = pthread_self();
	a.remaining = &remaining;
	assert_int_equal(worker_run(w, work, done, &a, err, sizeof(err)), 0);
	worker_free(w);		/* no loop turn: free itself finishes it */
	assert_true(a.worked);
	assert_true(a.done_on_loop);
	assert_int_equal(remaining, 0);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs_run_off_the_loop),
		cmocka_unit_test(test_free_waits_for_running_jobs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
