/*
 * Tests for store_copy (sampark migrate-store): an SQLite coalition filled
 * through store.h is copied into a fresh PostgreSQL database, and both
 * must then answer every question of store.h the same (the log's export,
 * the outbox and its counts, contacts, groups, interests, the directory,
 * broadcasts and their funnels, meetings, notices, calls, meta), with new
 * rows numbered after the copied ones.  A target with data is refused
 * and left as it was; a writer on the source during the copy is neither
 * blocked nor copied.  PostgreSQL comes from SAMPARK_TEST_PG (make unit
 * runs this test under tools/with-pg.sh); without it the tests skip.
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

#include "buf.h"
#include "store.h"
#include "temp_db.h"
#include "util.h"

struct fixture {
	char		 dir[64];
	char		*sqlite;	/* the source */
	struct temp_db	 pg;		/* the target */
	struct store	*src;
};

static struct store *
open_ok(const char *path)
{
	char err[256] = "";
	struct store *st = store_open(path, NULL, err, sizeof(err));

	if (st == NULL)
		fail_msg("store_open %s: %s", path, err);
	return st;
}

static int
setup(void **state)
{
	struct fixture *f;

	if (!temp_db_pg())
		return 0;
	f = xcalloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/sampark-copy-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->sqlite = xasprintf("%s/sampark.db", f->dir);
	f->src = open_ok(f->sqlite);
	temp_db_make(&f->pg, "copy");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const ext[] = { "", "-wal", "-shm" };
	size_t i;

	if (f == NULL)
		return 0;
	store_close(f->src);
	for (i = 0; i < SP_ARRAY_LEN(ext); i++) {
		char *p = xasprintf("%s%s", f->sqlite, ext[i]);

		unlink(p);
		free(p);
	}
	rmdir(f->dir);
	free(f->sqlite);
	temp_db_remove(&f->pg);
	free(f);
	return 0;
}

#define NEED_PG() do { if (!temp_db_pg()) skip(); } while (0)

/* ---- a coalition, as the daemon and the coordinators leave it ---- */

static const char *const phones[] = {
	"+919876543210", "+919415012345", "+918299011122", "+917355501234",
};

static void
fill_directory(struct store *st)
{
	struct stakeholder rows[3];

	memset(rows, 0, sizeof(rows));
	rows[0] = (struct stakeholder){ .name = "Lead District Manager",
	    .category = "loan", .district = "bhadohi", .phone = "05414-250123",
	    .languages = "hi|en", .description_en = "",
	    .description_hi = "" };
	rows[1] = (struct stakeholder){ .name = "RSETI Mirzapur",
	    .category = "training", .district = "mirzapur",
	    .phone = "+915442252233", .languages = "hi",
	    .description_en = "", .description_hi = "प्रशिक्षण" };
	rows[2] = (struct stakeholder){ .name = "उद्योग बंधु हेल्पलाइन",
	    .category = "market", .district = "*", .phone = "1800-180-5001",
	    .languages = "hi", .description_en = "", .description_hi = "" };
	assert_int_equal(store_stakeholders_replace(st, rows, 3,
	    "stakeholders.csv"), 0);
}

static void
fill_contacts(struct store *st)
{
	static const char *const g1[] = { "mahila mandal gopiganj" };
	static const char *const g1n[] = { "Mahila Mandal Gopiganj" };
	static const char *const g2[] = { "carpet weavers", "mahila mandal"
	    " gopiganj" };
	struct store_contact_import rows[3];
	struct contact c;

	memset(rows, 0, sizeof(rows));
	rows[0] = (struct store_contact_import){ .phone = phones[0],
	    .name = "Sunita Devi", .district = "bhadohi", .language = "hi",
	    .groups = g1, .ngroups = 1, .group_names = g1n };
	rows[1] = (struct store_contact_import){ .phone = phones[1],
	    .name = "Rekha Maurya", .district = "mirzapur", .language = "hi",
	    .groups = g2, .ngroups = 2 };
	rows[2] = (struct store_contact_import){ .phone = phones[2],
	    .name = "Anjali", .district = "bhadohi", .language = "en",
	    .role = "coordinator" };
	assert_int_equal(store_contacts_import(st, rows, 3, 1700000000000),
	    0);
	memset(&c, 0, sizeof(c));
	c.phone = (char *)phones[3];
	c.language = (char *)"hi";
	c.pending_keyword = (char *)"loan";
	c.pending_until_ms = 1700000900000;
	c.more_text = (char *)"2. खादी ग्रामोद्योग बोर्ड";
	c.more_until_ms = 1700000800000;
	c.opted_out_ms = 1700000500000;
	c.first_seen_ms = 1700000100000;
	c.last_seen_ms = 1700000400000;
	c.role = (char *)"entrepreneur";
	assert_int_equal(store_contact_put(st, &c), 0);
	assert_int_equal(store_interest_add(st, phones[0], "loan",
	    1700000200000), 0);
	assert_int_equal(store_interest_add(st, phones[0], "training",
	    1700000300000), 0);
}

/* Inbound messages with their replies, and one provider retry. */
static void
fill_log(struct store *st)
{
	static const char *const texts[] = {
		"loan chahiye bhadohi", "LOAN", "training kab hai?",
		"मुझे लोन चाहिए", "market", "stop", "kya haal", "\xef\xbb\xbfhelp",
	};
	char id[40];
	size_t i;

	for (i = 0; i < 24; i++) {
		struct interaction in, out;

		memset(&in, 0, sizeof(in));
		snprintf(id, sizeof(id), "SM%030zu", i);
		in.time_ms = 1700001000000 + (int64_t)i * 60000;
		in.channel = "sms";
		in.direction = "in";
		in.provider = i % 3 == 0 ? "plivo" : "twilio";
		in.provider_msg_id = id;
		in.phone = phones[i % 4];
		in.text = texts[i % SP_ARRAY_LEN(texts)];
		in.keyword = i % 4 == 3 ? NULL : "loan";
		in.handler = i % 4 == 3 ? NULL : "info";
		in.district = i % 2 ? "mirzapur" : "bhadohi";
		in.language = "hi";
		in.latency_ms = -1;
		in.status = i % 4 == 3 ? "unmatched" : "received";
		in.outcome = i % 4 == 3 ? "unmatched" : "answered";
		in.category = i % 4 == 3 ? NULL : "loan";
		in.stakeholders = i % 4 == 3 ? NULL :
		    "1:Lead District Manager|3:उद्योग बंधु हेल्पलाइन";
		assert_int_equal(store_interaction_insert(st, &in), 1);
		out = in;
		out.direction = "out";
		out.provider_msg_id = NULL;
		out.text = "भदोही में लोन: LDM 05414-250123";
		out.encoding = "UCS-2";
		out.segments = 1;
		out.latency_ms = 40 + (int64_t)i;
		out.reply_to = in.id;
		out.status = "replied";
		out.outcome = NULL;
		assert_int_equal(store_interaction_insert(st, &out), 1);
		if (i == 5) {
			/* The provider's retry of the same message. */
			struct interaction again = in;

			assert_int_equal(store_interaction_insert(st, &again),
			    0);
		}
	}
}

static int64_t
queue(struct store *st, const char *to, const char *body, int64_t bid)
{
	struct outbox_msg m;

	memset(&m, 0, sizeof(m));
	m.provider = (char *)"twilio";
	m.to = (char *)to;
	m.from = (char *)"";
	m.body = (char *)body;
	m.encoding = (char *)"UCS-2";
	m.segments = 2;
	m.created_ms = 1700002000000;
	m.broadcast_id = bid;
	assert_int_equal(store_outbox_add(st, &m), 0);
	return m.id;
}

/* Messages in every state, with their attempts and events. */
static void
fill_outbox(struct store *st)
{
	struct store_outbox_attempt a;
	struct outbox_msg *msgs = NULL;
	size_t n = 0, i;

	queue(st, phones[0], "आपका लोन आवेदन मिल गया", 0);
	queue(st, phones[1], "Training 12 tarikh ko, Gopiganj", 0);
	queue(st, phones[2], "Meeting kal 11 baje", 0);
	assert_int_equal(store_outbox_claim(st, "twilio", 1700002000000, 2,
	    &msgs, &n), 0);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof(a));
		a.outbox_id = msgs[i].id;
		a.time_ms = 1700002001000;
		a.attempt = 1;
		a.http_status = i == 0 ? 201 : 400;
		a.error_code = i == 0 ? NULL : "21211";
		a.error = i == 0 ? NULL : "Invalid 'To' Phone Number";
		a.latency_ms = 230;
		assert_int_equal(store_outbox_attempt_add(st, &a), 0);
	}
	assert_int_equal(store_outbox_finish(st, msgs[0].id, "sent",
	    1700002001000, 0, "SM9f2c", NULL, NULL, NULL), 0);
	assert_int_equal(store_outbox_finish(st, msgs[1].id, "failed",
	    1700002001000, 0, NULL, "21211", "Invalid 'To' Phone Number",
	    "bad_number"), 0);
	assert_int_equal(store_outbox_report(st, "twilio", "SM9f2c",
	    "delivered", 1700002005000, NULL, NULL), 1);
	records_outbox_msgs_free(msgs, n);
}

static void
fill_outreach(struct store *st)
{
	struct store_meeting m;
	struct store_broadcast b;
	struct store_notice nt;
	struct store_call call;
	size_t i;

	memset(&m, 0, sizeof(m));
	m.title = (char *)"स्वयं सहायता समूह बैठक";
	m.place = (char *)"Panchayat Bhawan, Gopiganj";
	m.time_ms = 1700090000000;
	assert_int_equal(store_meeting_add(st, &m, 1700003000000), 0);
	memset(&b, 0, sizeof(b));
	b.kind = (char *)"broadcast";
	b.audience = (char *)"group:\"mahila mandal gopiganj\"";
	b.template_key = (char *)"meeting";
	b.category = (char *)"service";
	b.vars = (char *)"title=SHG baithak\nplace=Gopiganj";
	b.provider = (char *)"twilio";
	b.created_by = (char *)"+918299011122";
	b.created_ms = 1700003000000;
	b.send_at_ms = 1700003000000;
	b.meeting_id = m.id;
	b.reminder = 1;
	assert_int_equal(store_broadcast_add(st, &b), 0);
	for (i = 0; i < 2; i++)
		queue(st, phones[i], "बैठक 15 तारीख, पंचायत भवन", b.id);
	assert_int_equal(store_broadcast_finish(st, b.id, "queued", 2, 4, 1),
	    1);
	assert_int_equal(store_rsvp_set(st, m.id, phones[0], "yes", b.id,
	    1700004000000), 0);
	assert_int_equal(store_rsvp_set(st, m.id, phones[1], "no", b.id,
	    1700004100000), 0);

	memset(&nt, 0, sizeof(nt));
	nt.phone = (char *)phones[2];
	nt.code = (char *)"482913";
	nt.district = (char *)"bhadohi";
	nt.text = (char *)"Kal mandi band rahegi";
	nt.created_ms = 1700005000000;
	nt.expires_ms = 1700005900000;
	assert_int_equal(store_notice_add(st, &nt), 1);

	memset(&call, 0, sizeof(call));
	call.call_id = (char *)"CA7e1";
	call.provider = (char *)"exotel";
	call.caller = (char *)phones[1];
	call.our_number = (char *)"+918045678901";
	call.start_ms = 1700006000000;
	call.updated_ms = 1700006050000;
	call.node = (char *)"district";
	call.back = (char *)"main";
	call.last_answer = (char *)"मिर्ज़ापुर में प्रशिक्षण: RSETI";
	call.last_query = (char *)"info\ttraining";
	call.steps = 3;
	call.duration_s = 48;
	assert_int_equal(store_call_put(st, &call), 0);
	assert_int_equal(store_meta_set(st, "directory_source",
	    "Sampark_Directory_Bhadohi (1).csv"), 0);
}

static void
fill(struct store *st)
{
	fill_directory(st);
	fill_contacts(st);
	fill_log(st);
	fill_outbox(st);
	fill_outreach(st);
}

/* ---- what a store answers, written out to compare ---- */

#define S(x)	((x) != NULL ? (x) : "(null)")

static int
dump_interaction(void *arg, const struct interaction *r)
{
	buf_printf(arg, "log %lld %lld %s %s %s %s %s %s %s %s %s %s %s %d"
	    " %lld %lld %s %s %s %s\n", (long long)r->id, (long long)r->time_ms,
	    S(r->channel), S(r->direction), S(r->provider),
	    S(r->provider_msg_id), S(r->phone), S(r->text), S(r->keyword),
	    S(r->handler), S(r->district), S(r->language), S(r->encoding),
	    r->segments, (long long)r->latency_ms, (long long)r->reply_to,
	    S(r->status), S(r->outcome), S(r->category), S(r->stakeholders));
	return 0;
}

static int
dump_outbox(void *arg, const struct outbox_msg *m)
{
	buf_printf(arg, "outbox %lld %s %s %s %s %s %d %s %d %lld %lld %lld"
	    " %s %s %s %s %lld %lld %s %s %d %lld\n", (long long)m->id,
	    S(m->provider), S(m->to), S(m->from), S(m->body), S(m->encoding),
	    m->segments, S(m->state), m->attempts, (long long)m->created_ms,
	    (long long)m->next_attempt_ms, (long long)m->updated_ms,
	    S(m->provider_id), S(m->error_code), S(m->error), S(m->reason),
	    (long long)m->reply_to, (long long)m->broadcast_id,
	    S(m->dlt_template_id), S(m->sms_type), m->is_call,
	    (long long)m->opted_out_ms);
	return 0;
}

static void
dump_count(void *arg, const char *state, int64_t n)
{
	buf_printf(arg, "count %s %lld\n", state, (long long)n);
}

static int
dump_group(void *arg, const struct store_group *g)
{
	buf_printf(arg, "group %s %s %lld %lld\n", S(g->name),
	    S(g->display_name), (long long)g->created_ms,
	    (long long)g->members);
	return 0;
}

static int
dump_broadcast(void *arg, const struct store_broadcast *b)
{
	buf_printf(arg, "broadcast %lld %s %lld %s %s %s %s %s %s %s %lld %lld"
	    " %lld %lld %lld %lld %lld %d\n", (long long)b->id, S(b->kind),
	    (long long)b->parent_id, S(b->audience), S(b->template_key),
	    S(b->category), S(b->vars), S(b->provider), S(b->created_by),
	    S(b->state), (long long)b->created_ms, (long long)b->send_at_ms,
	    (long long)b->cancelled_ms, (long long)b->recipients,
	    (long long)b->segments, (long long)b->skipped_opted_out,
	    (long long)b->meeting_id, b->reminder);
	return 0;
}

static int
dump_funnel(void *arg, const struct store_funnel *u)
{
	buf_printf(arg, "funnel %lld %s %s %s %lld %lld %lld %lld %lld %lld"
	    " %lld %d %lld %lld\n", (long long)u->broadcast_id, S(u->title),
	    S(u->template_key), S(u->state), (long long)u->messages,
	    (long long)u->pending, (long long)u->sent,
	    (long long)u->delivered, (long long)u->failed,
	    (long long)u->cancelled, (long long)u->first_queued_ms,
	    u->has_rsvp, (long long)u->rsvp_yes, (long long)u->rsvp_no);
	return 0;
}

static int
dump_unmatched(void *arg, const char *text, int64_t n, int64_t contacts)
{
	buf_printf(arg, "unmatched %s %lld %lld\n", text, (long long)n,
	    (long long)contacts);
	return 0;
}

static void
dump_strings(struct buf *b, const char *what, char **s, size_t n)
{
	size_t i;

	buf_printf(b, "%s", what);
	for (i = 0; i < n; i++)
		buf_printf(b, " %s", s[i]);
	buf_putc(b, '\n');
	store_strings_free(s, n);
}

static void
dump_contacts(struct store *st, struct buf *b)
{
	char **names;
	size_t i, n;

	for (i = 0; i < SP_ARRAY_LEN(phones); i++) {
		struct contact c;

		assert_int_equal(store_contact_get(st, phones[i], &c), 1);
		buf_printf(b, "contact %s %s %s %s %s %s %lld %s %lld %lld %lld"
		    " %lld\n", S(c.phone), S(c.name), S(c.language),
		    S(c.district), S(c.role), S(c.pending_keyword),
		    (long long)c.pending_until_ms, S(c.more_text),
		    (long long)c.more_until_ms, (long long)c.opted_out_ms,
		    (long long)c.first_seen_ms, (long long)c.last_seen_ms);
		records_contact_clear(&c);
		assert_int_equal(store_contact_groups(st, phones[i], &names,
		    &n), 0);
		dump_strings(b, "groups", names, n);
		assert_int_equal(store_interests_get(st, phones[i], &names,
		    &n), 0);
		dump_strings(b, "interests", names, n);
	}
	assert_int_equal(store_groups_list(st, dump_group, b), 0);
}

static void
dump_directory(struct store *st, struct buf *b)
{
	struct stakeholder *rows = NULL;
	int64_t *ids = NULL;
	size_t i, n = 0;

	assert_int_equal(store_stakeholders_list(st, NULL, NULL, &rows, &ids,
	    &n), 0);
	for (i = 0; i < n; i++)
		buf_printf(b, "stakeholder %lld %s %s %s %s %s\n",
		    (long long)ids[i], S(rows[i].name), S(rows[i].category),
		    S(rows[i].district), S(rows[i].phone),
		    S(rows[i].languages));
	records_stakeholders_free(rows, n);
	free(ids);
}

static void
dump_outreach(struct store *st, struct buf *b)
{
	struct store_broadcast_counts k;
	struct store_filter all;
	struct store_meeting m;
	struct store_notice nt;
	struct store_call call;
	const char *answer;
	char *v = NULL;

	assert_int_equal(store_broadcasts_list(st, 0, dump_broadcast, b), 0);
	assert_int_equal(store_broadcast_counts(st, 1, &k), 0);
	buf_printf(b, "counts %lld %lld %lld %lld %lld %lld %lld %lld\n",
	    (long long)k.queued, (long long)k.sent, (long long)k.delivered,
	    (long long)k.failed, (long long)k.opted_out,
	    (long long)k.cancelled, (long long)k.rsvp_yes,
	    (long long)k.rsvp_no);
	memset(&all, 0, sizeof(all));
	assert_int_equal(store_report_funnels(st, &all, dump_funnel, b), 1);
	assert_int_equal(store_report_unmatched(st, &all, 0, dump_unmatched,
	    b), 0);
	assert_int_equal(store_meeting_get(st, 1, &m), 1);
	buf_printf(b, "meeting %s %s %lld\n", S(m.title), S(m.place),
	    (long long)m.time_ms);
	store_meeting_clear(&m);
	assert_int_equal(store_rsvp_get(st, 1, phones[0], &answer), 1);
	buf_printf(b, "rsvp %s\n", answer);
	assert_int_equal(store_notice_find(st, phones[2], "482913",
	    1700005100000, &nt), 1);
	buf_printf(b, "notice %s %s %lld\n", S(nt.district), S(nt.text),
	    (long long)nt.expires_ms);
	store_notice_clear(&nt);
	assert_int_equal(store_call_get(st, "exotel", "CA7e1", &call), 1);
	buf_printf(b, "call %s %s %s %s %d %lld %s\n", S(call.caller),
	    S(call.node), S(call.last_answer), S(call.last_query), call.steps,
	    (long long)call.duration_s, S(call.status));
	store_call_clear(&call);
	assert_int_equal(store_meta_get(st, "pseudonym_key", &v), 1);
	buf_printf(b, "pseudonym_key %s\n", v);
	free(v);
	assert_int_equal(store_meta_get(st, "directory_source", &v), 1);
	buf_printf(b, "directory_source %s\n", v);
	free(v);
}

/* Everything st answers about the coalition, as text. */
static char *
dump(struct store *st)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(store_export(st, NULL, dump_interaction, &b), 0);
	assert_int_equal(store_outbox_list(st, NULL, 0, dump_outbox, &b), 0);
	assert_int_equal(store_outbox_counts(st, dump_count, &b), 0);
	dump_contacts(st, &b);
	dump_directory(st, &b);
	dump_outreach(st, &b);
	return buf_steal(&b);
}

static int
copy(struct fixture *f, char *err, size_t errlen)
{
	struct store_copy_count *counts = NULL;
	size_t n = 0;
	int rc = store_copy(f->sqlite, f->pg.path, NULL, NULL, &counts, &n,
	    err, errlen);

	store_copy_counts_free(counts, n);
	return rc;
}

/* ---- the tests ---- */

static void
test_copy_answers_the_same(void **state)
{
	struct fixture *f = *state;
	struct store_copy_count *counts = NULL;
	struct interaction in;
	char *before, *after, err[512] = "", *from;
	struct store *dst;
	int64_t id, max_outbox;
	size_t n = 0, i;

	NEED_PG();
	fill(f->src);
	before = dump(f->src);
	/* The dump is of a real coalition, not two empty stores. */
	assert_non_null(strstr(before, "log 48 "));
	assert_non_null(strstr(before, "funnel 1 स्वयं सहायता समूह बैठक"));
	assert_non_null(strstr(before, "outbox 5 twilio +919415012345"));
	max_outbox = 5;
	/* As the operator writes it, and with the daemon's store open. */
	from = xasprintf("sqlite:%s", f->sqlite);
	assert_int_equal(store_copy(from, f->pg.path, NULL, NULL, &counts, &n,
	    err, sizeof(err)), 0);
	free(from);
	assert_true(n >= 15);
	for (i = 0; i < n; i++) {
		assert_int_equal(counts[i].source, counts[i].target);
		if (strcmp(counts[i].table, "interactions") == 0)
			assert_int_equal(counts[i].target, 48);
		if (strcmp(counts[i].table, "outbox_events") == 0)
			assert_true(counts[i].target >= 10);
		if (strcmp(counts[i].table, "outbox_attempts") == 0)
			assert_int_equal(counts[i].target, 2);
	}
	/* Parents before the rows that refer to them. */
	assert_string_equal(counts[0].table, "meta");
	store_copy_counts_free(counts, n);

	dst = open_ok(f->pg.path);
	after = dump(dst);
	assert_string_equal(after, before);
	free(after);

	/* New rows are numbered after the copied ones. */
	id = queue(dst, phones[0], "naya sandesh", 0);
	assert_int_equal(id, max_outbox + 1);
	memset(&in, 0, sizeof(in));
	in.time_ms = 1700009000000;
	in.channel = "sms";
	in.direction = "in";
	in.provider = "twilio";
	in.provider_msg_id = "SMafter";
	in.phone = phones[0];
	in.text = "LOAN";
	in.latency_ms = -1;
	in.status = "received";
	assert_int_equal(store_interaction_insert(dst, &in), 1);
	assert_int_equal(in.id, 49);
	/* A provider retry of a copied message is still known. */
	in.provider_msg_id = "SM000000000000000000000000000005";
	in.provider = "twilio";
	assert_int_equal(store_inbound_find(dst, "twilio",
	    in.provider_msg_id, &id), 1);
	store_close(dst);
	free(before);
}

static void
test_non_empty_target_refused(void **state)
{
	struct fixture *f = *state;
	char err[512] = "", *before, *after;
	struct store *dst;

	NEED_PG();
	fill(f->src);
	assert_int_equal(copy(f, err, sizeof(err)), 0);
	dst = open_ok(f->pg.path);
	before = dump(dst);
	store_close(dst);

	/* Again into the same database: refused, nothing added. */
	queue(f->src, phones[3], "dobara", 0);
	assert_int_equal(copy(f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not empty"));
	dst = open_ok(f->pg.path);
	after = dump(dst);
	assert_string_equal(after, before);
	free(before);
	free(after);
	store_close(dst);
}

static void
test_one_row_is_enough_to_refuse(void **state)
{
	struct fixture *f = *state;
	struct store *dst;
	char err[512] = "";
	int64_t n = -1;

	NEED_PG();
	fill(f->src);
	/* A target a daemon already took one message on. */
	dst = open_ok(f->pg.path);
	assert_int_equal(store_interest_add(dst, phones[0], "loan", 1), 0);
	store_close(dst);
	assert_int_equal(copy(f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "contact_interests"));
	dst = open_ok(f->pg.path);
	assert_int_equal(store_stakeholders_count(dst, &n), 0);
	assert_int_equal(n, 0);
	store_close(dst);
}

static void
test_wrong_ends_refused(void **state)
{
	struct fixture *f = *state;
	struct store_copy_count *counts = NULL;
	char err[512] = "", *other;
	size_t n = 0;

	NEED_PG();
	other = xasprintf("%s/other.db", f->dir);
	assert_int_equal(store_copy(f->sqlite, other, NULL, NULL, &counts, &n,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "PostgreSQL"));
	assert_int_equal(access(other, F_OK), -1);
	assert_int_equal(store_copy(f->pg.path, f->pg.path, NULL, NULL,
	    &counts, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "SQLite"));
	assert_null(counts);
	free(other);
}

/* The daemon goes on writing while the copy reads. */
struct writer {
	const char	*path;
	int		 wrote;
};

static void
write_meanwhile(void *arg, const char *table, int64_t rows)
{
	struct writer *w = arg;
	struct store *st;

	(void)rows;
	if (strcmp(table, "meta") != 0)
		return;
	st = open_ok(w->path);
	queue(st, phones[0], "copy ke dauran", 0);
	w->wrote = 1;
	store_close(st);
}

static void
test_writer_during_copy(void **state)
{
	struct fixture *f = *state;
	struct store_copy_count *counts = NULL;
	struct writer w = { NULL, 0 };
	char err[512] = "";
	struct store *dst;
	struct outbox_msg m;
	size_t n = 0, i;

	NEED_PG();
	fill(f->src);
	w.path = f->sqlite;
	assert_int_equal(store_copy(f->sqlite, f->pg.path, write_meanwhile,
	    &w, &counts, &n, err, sizeof(err)), 0);
	assert_int_equal(w.wrote, 1);
	for (i = 0; i < n; i++)
		if (strcmp(counts[i].table, "outbox") == 0)
			assert_int_equal(counts[i].target, 5);
	store_copy_counts_free(counts, n);
	/* The source has it; the copy, of the moment it began, has not. */
	assert_int_equal(store_outbox_get(f->src, 6, &m), 1);
	records_outbox_msg_clear(&m);
	dst = open_ok(f->pg.path);
	assert_int_equal(store_outbox_get(dst, 6, &m), 0);
	store_close(dst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_answers_the_same,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_empty_target_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_one_row_is_enough_to_refuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_ends_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_during_copy,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
