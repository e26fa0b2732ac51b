/*
 * test_broadcast: when a broadcast's first message really goes.  The
 * preview, the created broadcast's row and each queued message must agree
 * with the planner the sender relies on: quiet hours, the promotional
 * window and each contact's daily cap.  The clock is the test's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "broadcast.h"
#include "buf.h"
#include "config.h"
#include "records.h"
#include "runtime.h"
#include "store.h"
#include "temp_db.h"
#include "templates.h"
#include "util.h"

struct fixture {
	struct temp_db		 db;
	struct store		*st;
	struct config		*cfg;
	struct templates_table	*tpl;
	struct broadcast_env	 env;
};

static int64_t
at(const char *iso)
{
	int64_t ms = 0;

	assert_int_equal(util_parse_iso8601(iso, &ms), 0);
	return ms;
}

static void
add_contact(struct store *st, const char *phone, const char *name,
    const char *lang)
{
	struct contact c;

	memset(&c, 0, sizeof(c));
	c.phone = (char *)phone;
	c.name = (char *)name;
	c.language = (char *)lang;
	c.district = (char *)"bhadohi";
	c.role = (char *)"entrepreneur";
	c.first_seen_ms = c.last_seen_ms = 1000;
	assert_int_equal(store_contact_put(st, &c), 0);
}

static int
setup(void **state)
{
	char *sets[] = { (char *)"daily_cap=1",
	    (char *)"quiet_hours=21:00-08:00" };
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct buf errors;
	char err[256];

	temp_db_make(&f->db, "broadcast");
	f->st = store_open(f->db.path, NULL, err, sizeof(err));
	assert_non_null(f->st);
	buf_init(&errors, 0);
	f->cfg = runtime_config_load(NULL, sets, SP_ARRAY_LEN(sets), &errors);
	assert_non_null(f->cfg);
	f->tpl = templates_load("config/templates.conf", &errors);
	assert_non_null(f->tpl);
	buf_free(&errors);
	add_contact(f->st, "+919839012345", "Sunita Devi", "hi");
	add_contact(f->st, "+919935067890", "Rekha", "en");
	f->env.store = f->st;
	f->env.templates = f->tpl;
	f->env.cfg = f->cfg;
	/* Thursday 3 Dec 2026, 12:00 IST. */
	f->env.now_ms = at("2026-12-03T06:30:00Z");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	templates_free(f->tpl);
	config_free(f->cfg);
	temp_db_remove(&f->db);
	free(f);
	return 0;
}

static void
deadline_request(struct broadcast_request *req, struct templates_var *v)
{
	memset(req, 0, sizeof(*req));
	v[0].name = "scheme";
	v[0].value = "PM Vishwakarma";
	v[1].name = "date";
	v[1].value = "15 Dec";
	v[2].name = "place";
	v[2].value = "Gyanpur block office";
	req->to = "district:bhadohi";
	req->template_key = "scheme_deadline";
	req->vars = v;
	req->nvars = 3;
	req->provider = "console";
}

static int64_t
create(struct fixture *f, const struct broadcast_request *req,
    struct broadcast_preview *pv)
{
	char err[512];
	int64_t id = 0;

	if (broadcast_create(&f->env, req, pv, &id, err, sizeof(err)) == -1)
		fail_msg("create: %s", err);
	return id;
}

/* How many broadcast messages phone has planned on 4 Dec (IST). */
static int64_t
planned_on_4_dec(struct fixture *f, const char *phone)
{
	int64_t n = -1;

	assert_int_equal(store_broadcast_planned(f->st, phone,
	    at("2026-12-03T18:30:00Z"), at("2026-12-04T18:30:00Z"), &n), 0);
	return n;
}

/* Both have had today's one message: the second is due tomorrow at 08:00
 * IST when the quiet hours end, and the preview, the row and `show` say
 * so, not "12:00 today". */
static void
test_daily_cap_moves_first_send(void **state)
{
	struct fixture *f = *state;
	struct templates_var v[3];
	struct broadcast_request req;
	struct broadcast_preview pv;
	struct store_broadcast b;
	char err[512];
	int64_t id;

	deadline_request(&req, v);
	id = create(f, &req, &pv);
	assert_true(pv.first_ms == f->env.now_ms);
	broadcast_preview_clear(&pv);

	/* A minute later, the same audience again. */
	f->env.now_ms += 60000;
	assert_int_equal(broadcast_preview(&f->env, &req, &pv, err,
	    sizeof(err)), 0);
	assert_true(pv.first_ms == at("2026-12-04T02:30:00Z"));
	assert_int_equal(pv.recipients, 2);
	broadcast_preview_clear(&pv);

	id = create(f, &req, &pv);
	assert_true(pv.first_ms == at("2026-12-04T02:30:00Z"));
	broadcast_preview_clear(&pv);
	memset(&b, 0, sizeof(b));
	assert_int_equal(store_broadcast_get(f->st, id, &b), 1);
	assert_true(b.send_at_ms == at("2026-12-04T02:30:00Z"));
	store_broadcast_clear(&b);
	assert_int_equal(planned_on_4_dec(f, "+919839012345"), 1);
	assert_int_equal(planned_on_4_dec(f, "+919935067890"), 1);
}

/* Only Rekha is capped: the first send stays now, Sunita's is now. */
static void
test_first_send_is_the_earliest(void **state)
{
	struct fixture *f = *state;
	struct templates_var v[3];
	struct broadcast_request req;
	struct broadcast_preview pv;
	char err[512];

	deadline_request(&req, v);
	req.to = "language:en";
	create(f, &req, &pv);
	broadcast_preview_clear(&pv);
	req.to = "district:bhadohi";
	assert_int_equal(broadcast_preview(&f->env, &req, &pv, err,
	    sizeof(err)), 0);
	assert_true(pv.first_ms == f->env.now_ms);
	broadcast_preview_clear(&pv);
}

/* A promotional camp with the cap used up: tomorrow at 10:00 IST, when
 * promotional messages may start, not 08:00. */
static void
test_promotional_capped(void **state)
{
	struct fixture *f = *state;
	struct templates_var v[3], camp[4];
	struct broadcast_request req;
	struct broadcast_preview pv;
	char err[512];

	deadline_request(&req, v);
	create(f, &req, &pv);
	broadcast_preview_clear(&pv);
	memset(&req, 0, sizeof(req));
	camp[0].name = "skill";
	camp[0].value = "carpet weaving";
	camp[1].name = "place";
	camp[1].value = "Gopiganj";
	camp[2].name = "date";
	camp[2].value = "10 Dec";
	camp[3].name = "days";
	camp[3].value = "5";
	req.to = "district:bhadohi";
	req.template_key = "training_camp";
	req.vars = camp;
	req.nvars = 4;
	req.provider = "console";
	assert_int_equal(broadcast_preview(&f->env, &req, &pv, err,
	    sizeof(err)), 0);
	assert_true(pv.first_ms == at("2026-12-04T04:30:00Z"));
	broadcast_preview_clear(&pv);
}

/* A meeting this evening, everyone's cap already used today: nobody
 * would hear of it before it, so it is refused, and nothing is queued. */
static void
test_meeting_after_first_send_refused(void **state)
{
	struct fixture *f = *state;
	struct templates_var v[3];
	struct broadcast_request req, mr;
	struct broadcast_preview pv;
	struct store_broadcast_counts c;
	char err[512];
	int64_t id = 0;

	deadline_request(&req, v);
	create(f, &req, &pv);
	broadcast_preview_clear(&pv);

	memset(&mr, 0, sizeof(mr));
	mr.to = "district:bhadohi";
	mr.template_key = "meeting";
	mr.provider = "console";
	mr.no_reminder = 1;
	mr.meeting_title = "SHG baithak";
	mr.meeting_place = "Gyanpur";
	mr.meeting_ms = at("2026-12-03T13:00:00Z");	/* 18:30 IST */
	assert_int_equal(broadcast_preview(&f->env, &mr, &pv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "after the meeting"));
	assert_non_null(strstr(err, "04 Dec at 08:00 IST"));
	assert_non_null(strstr(err, "daily_cap"));
	assert_int_equal(broadcast_create(&f->env, &mr, &pv, &id, err,
	    sizeof(err)), -1);
	assert_true(id == 0);

	/* A newcomer has had nothing today: she alone is told, the other
	 * two are counted as too late, not queued for tomorrow. */
	add_contact(f->st, "+919450011223", "Meena", "hi");
	id = create(f, &mr, &pv);
	assert_int_equal(pv.recipients, 1);
	assert_int_equal(pv.late, 2);
	assert_true(pv.first_ms == f->env.now_ms);
	broadcast_preview_clear(&pv);
	assert_int_equal(store_broadcast_counts(f->st, id, &c), 0);
	assert_int_equal(c.queued, 1);
}

/* Quiet hours alone can push a notice past its meeting. */
static void
test_meeting_in_quiet_hours_refused(void **state)
{
	struct fixture *f = *state;
	struct broadcast_request mr;
	struct broadcast_preview pv;
	char err[512];

	memset(&mr, 0, sizeof(mr));
	mr.to = "district:bhadohi";
	mr.template_key = "meeting";
	mr.provider = "console";
	mr.no_reminder = 1;
	mr.meeting_title = "SHG baithak";
	mr.meeting_place = "Gyanpur";
	/* Created at 22:00 IST for a meeting at 07:00 IST. */
	f->env.now_ms = at("2026-12-03T16:30:00Z");
	mr.meeting_ms = at("2026-12-04T01:30:00Z");
	assert_int_equal(broadcast_preview(&f->env, &mr, &pv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "after the meeting"));
	assert_null(strstr(err, "daily_cap"));

	/* --at after the meeting says so. */
	mr.at_ms = at("2026-12-04T06:30:00Z");
	assert_int_equal(broadcast_preview(&f->env, &mr, &pv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "to start on 04 Dec at 12:00 IST, after "
	    "the meeting on 04 Dec at 07:00 IST"));
}

/*
 * A coordinator's NOTICE has no meeting: the time it cannot go after is
 * when its answers close, and the refusal says so.
 */
static void
test_notice_too_late_names_answers_closing(void **state)
{
	struct fixture *f = *state;
	struct templates_var v[5];
	struct broadcast_request nr;
	struct broadcast_preview pv;
	char err[512];

	memset(v, 0, sizeof(v));
	v[0].name = "district";
	v[0].value = "BHADOHI";
	v[1].name = "text1";
	v[1].value = "Kal 11 baje block office mein";
	v[2].name = "text2";
	v[2].value = " baithak hai, zaroor aayein";
	v[3].name = "text3";
	v[3].value = "";
	v[4].name = "text4";
	v[4].value = "";
	memset(&nr, 0, sizeof(nr));
	nr.to = "district:bhadohi";
	nr.template_key = "notice";
	nr.vars = v;
	nr.nvars = 5;
	nr.provider = "console";
	nr.kind = "notice";
	nr.no_reminder = 1;
	nr.meeting_title = "Kal 11 baje block office mein baithak hai";
	nr.meeting_place = "bhadohi";
	/* At 22:00 IST, answers closing at 07:00 IST: quiet until 08:00. */
	f->env.now_ms = at("2026-12-03T16:30:00Z");
	nr.meeting_ms = at("2026-12-04T01:30:00Z");
	assert_int_equal(broadcast_preview(&f->env, &nr, &pv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "after its answers close on 04 Dec at "
	    "07:00 IST"));
	assert_null(strstr(err, "meeting"));
	nr.at_ms = at("2026-12-04T06:30:00Z");
	assert_int_equal(broadcast_preview(&f->env, &nr, &pv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "to start on 04 Dec at 12:00 IST, after "
	    "its answers close on 04 Dec at 07:00 IST"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_notice_too_late_names_answers_closing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daily_cap_moves_first_send,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_send_is_the_earliest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_promotional_capped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_meeting_after_first_send_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_meeting_in_quiet_hours_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
