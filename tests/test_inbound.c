/*
 * test_inbound: the SMS webhook pipeline without the event loop or HTTP
 * (Twilio webhooks as its adapter parsed them):
 * a batch recorded in one transaction, replies carried inline or queued
 * in the outbox, a provider's retry answered with the replies given
 * before, a sender over her limit stored but not answered, and a batch
 * that cannot be stored answered 503 with nothing of it kept.
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

#include "abuse.h"
#include "handler.h"
#include "handler_env.h"
#include "inbound.h"
#include "provider.h"
#include "runtime.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

struct fixture {
	struct temp_db		 db;
	struct sp_runtime	*rt;
	struct store		*store;
	struct abuse		*abuse;
	struct handler_page_memo	*memo;
	struct handler_env	 henv;
	struct inbound_env	 env;
};

static int
setup_with(void **state, const char *inline_replies, const char *per_hour,
    const char *replies_per_day)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct stakeholder row = { (char *)"LDM Bhadohi", (char *)"loan",
	    (char *)"bhadohi", (char *)"+910000000001", (char *)"hi|en",
	    (char *)"Lead bank", (char *)"", 0 };
	char *sets[4];
	struct buf errors;

	temp_db_make(&f->db, "inbound");
	sets[0] = xasprintf("twilio.enabled=yes");
	sets[1] = xasprintf("twilio.reply=%s", inline_replies);
	sets[2] = xasprintf("inbound_per_hour=%s", per_hour);
	sets[3] = xasprintf("replies_per_day=%s", replies_per_day);
	buf_init(&errors, 0);
	f->rt = runtime_load("config/sampark.conf", sets, 4, &errors);
	if (f->rt == NULL)
		fprintf(stderr, "%s", buf_cstr(&errors));
	assert_non_null(f->rt);
	buf_free(&errors);
	free(sets[0]);
	free(sets[1]);
	free(sets[2]);
	free(sets[3]);
	f->store = store_open(f->db.path, NULL, NULL, 0);
	assert_non_null(f->store);
	assert_int_equal(store_stakeholders_replace(f->store, &row, 1, "t"), 0);
	f->abuse = abuse_new(64, 42);
	abuse_configure(f->abuse, f->rt->cfg);
	f->memo = handler_page_memo_new();
	f->henv.store = f->store;
	f->env.store = f->store;
	f->env.rt = f->rt;
	f->env.abuse = f->abuse;
	f->env.handlers = &f->henv;
	f->env.page_memo = f->memo;
	*state = f;
	return 0;
}

static int
setup_inline(void **state)
{
	return setup_with(state, "inline", "20", "30");
}

static int
setup_reply_cap(void **state)
{
	return setup_with(state, "inline", "20", "1");
}

static int
setup_outbox(void **state)
{
	return setup_with(state, "outbox", "20", "30");
}

static int
setup_limited(void **state)
{
	return setup_with(state, "inline", "1", "30");
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->store);
	handler_page_memo_free(f->memo);
	abuse_free(f->abuse);
	runtime_free(f->rt);
	temp_db_remove(&f->db);
	free(f);
	return 0;
}

/* A Twilio webhook as its adapter would have parsed it. */
static struct inbound_item *
item(const char *from, const char *msg_id, const char *body)
{
	struct inbound_item *it = inbound_item_new();

	it->provider = provider_find("twilio");
	assert_non_null(it->provider);
	snprintf(it->in.from, sizeof(it->in.from), "%s", from);
	it->in.provider_msg_id = msg_id ? xstrdup(msg_id) : NULL;
	it->in.body = xstrdup(body);
	it->in.reply_inline_ok = 1;
	it->t0_mono = util_mono_ms();
	it->t0_wall = util_wall_ms();
	return it;
}

static void
batch_free(struct inbound_item *batch)
{
	struct inbound_item *next;

	for (; batch != NULL; batch = next) {
		next = batch->next;
		inbound_item_free(batch);
	}
}

struct counts {
	int	in, out;
	char	outcomes[256];	/* inbound rows: "outcome[/stakeholders];" */
};

static int
count_cb(void *arg, const struct interaction *row)
{
	struct counts *c = arg;

	size_t len = strlen(c->outcomes);

	if (strcmp(row->direction, "in") == 0) {
		c->in++;
		snprintf(c->outcomes + len, sizeof(c->outcomes) - len,
		    "%s%s%s;", row->outcome ? row->outcome : "NULL",
		    row->stakeholders ? "/" : "",
		    row->stakeholders ? row->stakeholders : "");
	} else
		c->out++;
	return 0;
}

static struct counts
log_counts(struct store *st)
{
	struct counts c;
	struct store_filter flt;

	memset(&c, 0, sizeof(c));
	memset(&flt, 0, sizeof(flt));
	assert_int_equal(store_export(st, &flt, count_cb, &c), 0);
	return c;
}

static void
test_batch_inline(void **state)
{
	struct fixture *f = *state;
	struct inbound_item *a = item("+919876500001", "m1", "loan bhadohi");
	struct inbound_item *b = item("+919876500002", "m2", "xyzzy plugh");
	struct counts c;
	struct buf body;
	const char *ctype;
	int queued;

	a->next = b;
	assert_int_equal(inbound_run(&f->env, a, &queued), 1);
	assert_int_equal(queued, 0);
	assert_true(a->inline_reply);
	assert_int_equal(a->nreplies, 1);
	assert_non_null(strstr(a->replies[0], "LDM Bhadohi"));
	assert_non_null(strstr(a->log_line, "matched=1"));
	/* Not understood: still answered, with what she can send. */
	assert_true(b->nreplies >= 1);
	assert_non_null(strstr(b->log_line, "matched=0"));

	buf_init(&body, 0);
	assert_int_equal(inbound_answer(&f->env, a, 1, &body, &ctype), 200);
	assert_non_null(strstr(buf_cstr(&body), "LDM Bhadohi"));
	buf_free(&body);

	c = log_counts(f->store);
	assert_int_equal(c.in, 2);
	assert_int_equal(c.out, (int)(a->nreplies + b->nreplies));
	/* Each exchange keeps what it came to and whom it referred her
	 * to, by the directory's ids. */
	assert_string_equal(c.outcomes,
	    "answered/1:LDM Bhadohi;not_understood;");
	batch_free(a);
}

static void
test_retry_gets_same_answer(void **state)
{
	struct fixture *f = *state;
	struct inbound_item *a = item("+919876500001", "m1", "loan bhadohi");
	struct inbound_item *again = item("+919876500001", "m1",
	    "loan bhadohi");
	struct counts c;
	int queued;

	assert_int_equal(inbound_run(&f->env, a, &queued), 1);
	assert_int_equal(inbound_run(&f->env, again, &queued), 1);
	assert_true(again->duplicate);
	assert_int_equal(again->nreplies, a->nreplies);
	assert_string_equal(again->replies[0], a->replies[0]);
	/* Nothing recorded twice, nothing counted twice. */
	assert_null(again->m_keyword);
	c = log_counts(f->store);
	assert_int_equal(c.in, 1);
	batch_free(a);
	batch_free(again);
}

static void
test_outbox_replies(void **state)
{
	struct fixture *f = *state;
	struct inbound_item *a = item("+919876500001", "m1", "loan bhadohi");
	struct outbox_msg *msgs;
	size_t n;
	int queued;

	assert_int_equal(inbound_run(&f->env, a, &queued), 1);
	assert_false(a->inline_reply);
	assert_int_equal(queued, 1);
	assert_int_equal(a->nreplies, 0);	/* the answer carries none */
	assert_int_equal(store_outbox_claim(f->store, "twilio",
	    util_wall_ms() + 1000, 10, &msgs, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].to, "+919876500001");
	assert_non_null(strstr(msgs[0].body, "LDM Bhadohi"));
	records_outbox_msgs_free(msgs, n);
	batch_free(a);
}

static void
test_limited_sender_stored_not_answered(void **state)
{
	struct fixture *f = *state;
	struct inbound_item *a = item("+919876500003", "m1", "loan bhadohi");
	struct inbound_item *b = item("+919876500003", "m2", "training");
	struct counts c;
	int queued;

	a->next = b;
	assert_int_equal(inbound_run(&f->env, a, &queued), 1);
	assert_int_equal(a->nreplies, 1);
	assert_int_equal(b->nreplies, 0);
	assert_non_null(strstr(b->log_line, "limited="));
	c = log_counts(f->store);
	assert_int_equal(c.in, 2);	/* nothing accepted is lost */
	assert_int_equal(c.out, 1);
	assert_string_equal(c.outcomes, "answered/1:LDM Bhadohi;limited;");
	batch_free(a);
}

/* Over the day's replies: answered by nobody, so logged as limited. */
static void
test_reply_cap_logged_as_limited(void **state)
{
	struct fixture *f = *state;
	struct inbound_item *a = item("+919876500004", "m1", "loan bhadohi");
	struct inbound_item *b = item("+919876500004", "m2", "loan bhadohi");
	struct counts c;
	int queued;

	a->next = b;
	assert_int_equal(inbound_run(&f->env, a, &queued), 1);
	assert_int_equal(a->nreplies, 1);
	assert_int_equal(b->nreplies, 0);
	c = log_counts(f->store);
	assert_string_equal(c.outcomes, "answered/1:LDM Bhadohi;limited;");
	batch_free(a);
}

static void
test_store_failure_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct inbound_item *a = item("+919876500001", "m1", "loan bhadohi");
	struct buf body;
	const char *ctype;
	struct counts c;
	int queued;

	/* A transaction already open: the batch cannot begin its own. */
	assert_int_equal(store_begin(f->store), 0);
	assert_int_equal(inbound_run(&f->env, a, &queued), 0);
	assert_int_equal(queued, 0);
	assert_null(a->log_line);	/* nothing logged of it */
	buf_init(&body, 0);
	assert_int_equal(inbound_answer(&f->env, a, 0, &body, &ctype), 503);
	buf_free(&body);
	store_rollback(f->store);
	c = log_counts(f->store);
	assert_int_equal(c.in, 0);
	batch_free(a);
}

/*
 * Two daemons on one database (PostgreSQL): a sender allowed one
 * answered message an hour gets one, whichever daemon each of her
 * messages reaches.
 */
static void
test_limits_shared_by_daemons(void **state)
{
	struct fixture *f = *state;
	struct inbound_item *a, *b, *c, *d;
	struct handler_env henv2;
	struct inbound_env env2;
	struct store *st2;
	struct abuse *ab2;
	int queued;

	if (!temp_db_pg())
		skip();		/* one daemon per SQLite file */
	st2 = store_open(f->db.path, NULL, NULL, 0);
	assert_non_null(st2);
	ab2 = abuse_new(64, 7);
	abuse_configure(ab2, f->rt->cfg);
	henv2 = f->henv;
	henv2.store = st2;
	env2 = f->env;
	env2.store = st2;
	env2.abuse = ab2;
	env2.handlers = &henv2;

	a = item("+919876500005", "m1", "loan bhadohi");
	assert_int_equal(inbound_run(&f->env, a, &queued), 1);
	assert_int_equal(a->nreplies, 1);
	b = item("+919876500005", "m2", "training");
	assert_int_equal(inbound_run(&env2, b, &queued), 1);
	assert_int_equal(b->nreplies, 0);
	assert_non_null(strstr(b->log_line, "limited=rate"));
	/* Her neighbour is not limited by her. */
	c = item("+919876500006", "m3", "loan bhadohi");
	assert_int_equal(inbound_run(&env2, c, &queued), 1);
	assert_int_equal(c->nreplies, 1);
	/* ...who, answered by daemon two, is over her limit at daemon one,
	 * which had never seen her. */
	d = item("+919876500006", "m4", "training");
	assert_int_equal(inbound_run(&f->env, d, &queued), 1);
	assert_int_equal(d->nreplies, 0);
	assert_non_null(strstr(d->log_line, "limited=rate"));
	batch_free(a);
	batch_free(b);
	batch_free(c);
	batch_free(d);
	abuse_free(ab2);
	store_close(st2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_reply_cap_logged_as_limited, setup_reply_cap,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_inline,
		    setup_inline, teardown),
		cmocka_unit_test_setup_teardown(test_retry_gets_same_answer,
		    setup_inline, teardown),
		cmocka_unit_test_setup_teardown(test_outbox_replies,
		    setup_outbox, teardown),
		cmocka_unit_test_setup_teardown(
		    test_limited_sender_stored_not_answered, setup_limited,
		    teardown),
		cmocka_unit_test_setup_teardown(test_limits_shared_by_daemons,
		    setup_limited, teardown),
		cmocka_unit_test_setup_teardown(test_store_failure_rolls_back,
		    setup_inline, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
