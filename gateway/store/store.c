/*
 * store: store.h over SQLite or PostgreSQL (store_db.h).
 *
 * Every statement is listed once in sql_text[] below (or, in the area
 * files, named once and prepared with store_sq_prepared()), prepared once and
 * reused with bound parameters; no SQL is ever built from values.  The
 * schema lives in migrations[] (index = version), each step run in one
 * transaction together with the PRAGMA user_version that records it, so a
 * later version only appends a step.  PostgreSQL has its own list,
 * pg_migrations[], whose step 17 makes the schema of SQLite's version 17
 * at once; a later version appends a step to both lists.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "store_int.h"
#include "store_walbuf.h"
#include "util.h"

static void	plan_log(struct store *);

#define STORE_DEFAULT_BUSY_MS	5000

/*
 * Text that two steps of migrations[] both write, spelled once so that a
 * rebuilt table cannot drift from the one it replaces.  Each step's SQL is
 * the same, byte for byte, as when it was written out in full.
 */
#define CONTACTS_COLUMNS						\
	"  phone TEXT PRIMARY KEY,"					\
	"  name TEXT, language TEXT, district TEXT,"			\
	"  role TEXT NOT NULL DEFAULT 'entrepreneur',"			\
	"  pending_keyword TEXT,"					\
	"  pending_until_ms INTEGER NOT NULL DEFAULT 0,"		\
	"  more_text TEXT,"						\
	"  more_until_ms INTEGER NOT NULL DEFAULT 0,"			\
	"  opted_out_ms INTEGER NOT NULL DEFAULT 0,"			\
	"  first_seen_ms INTEGER NOT NULL DEFAULT 0,"			\
	"  last_seen_ms INTEGER NOT NULL DEFAULT 0"

/*
 * The outbox rebuilt through the table tmp, its state rule ending in
 * more_states (after 'undelivered'), its rows copied with their ids and
 * its indexes made again as they were.
 */
#define OUTBOX_REBUILD(tmp, more_states)				\
	"CREATE TABLE " tmp " ("					\
	"  id INTEGER PRIMARY KEY,"					\
	"  provider TEXT NOT NULL, to_phone TEXT NOT NULL,"		\
	"  from_addr TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,"	\
	"  encoding TEXT, segments INTEGER NOT NULL DEFAULT 0,"		\
	"  state TEXT NOT NULL CHECK (state = 'queued' OR state = 'sending'" \
	"    OR state = 'sent' OR state = 'delivered' OR state = 'undelivered'" \
	"    OR " more_states "),"					\
	"  attempts INTEGER NOT NULL DEFAULT 0,"			\
	"  created_ms INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL," \
	"  updated_ms INTEGER NOT NULL,"				\
	"  provider_id TEXT, error_code TEXT, error TEXT, reason TEXT,"	\
	"  reply_to INTEGER, broadcast_id INTEGER,"			\
	"  kind TEXT NOT NULL DEFAULT 'sms',"				\
	"  dlt_template_id TEXT, sms_type TEXT);"			\
	"INSERT INTO " tmp " (id, provider, to_phone, from_addr, body,"	\
	"  encoding, segments, state, attempts, created_ms, next_attempt_ms," \
	"  updated_ms, provider_id, error_code, error, reason, reply_to," \
	"  broadcast_id, kind, dlt_template_id, sms_type)"		\
	"  SELECT id, provider, to_phone, from_addr, body, encoding, segments," \
	"  state, attempts, created_ms, next_attempt_ms, updated_ms,"	\
	"  provider_id, error_code, error, reason, reply_to, broadcast_id," \
	"  kind, dlt_template_id, sms_type FROM outbox;"		\
	"DROP TABLE outbox;"						\
	"ALTER TABLE " tmp " RENAME TO outbox;"				\
	"CREATE INDEX outbox_due ON outbox(state, provider, next_attempt_ms);" \
	"CREATE UNIQUE INDEX outbox_provider_id"			\
	"  ON outbox(provider, provider_id)"				\
	"  WHERE provider_id IS NOT NULL;"				\
	"CREATE INDEX outbox_broadcast ON outbox(broadcast_id, state)"	\
	"  WHERE broadcast_id IS NOT NULL;"				\
	"CREATE INDEX outbox_to_broadcast ON outbox(to_phone, next_attempt_ms)" \
	"  WHERE broadcast_id IS NOT NULL;"

/*
 * 15: what each exchange came to and whom it referred her to, kept when
 * it is logged (the handler knows; nothing after it can tell from the
 * reply's text): the outcome (handler.h), the category asked about and
 * the stakeholders given ("id:name" joined by '|').  Rows from before
 * keep NULL: their outcome is unknown, not guessed.
 */
#define MIGRATION_15_OUTCOMES						\
	"ALTER TABLE interactions ADD COLUMN outcome TEXT;"		\
	"ALTER TABLE interactions ADD COLUMN category TEXT;"		\
	"ALTER TABLE interactions ADD COLUMN stakeholders TEXT;"

/*
 * 18: what several daemons on one database need to send together.
 * send_rate holds, per provider, the earliest time in microseconds at
 * which the next message may go, which every daemon advances as it
 * claims, so that a provider's rate is the total of all of them.  (A
 * dead daemon's claims need no column: a claim's updated_ms is its
 * time, and the lease is counted from it.)
 */
#define MIGRATION_18_SHARED_SENDING					\
	"CREATE TABLE send_rate (provider TEXT PRIMARY KEY,"		\
	"  next_free_us INTEGER NOT NULL);"

/*
 * 19: the rest of what several daemons on one database keep together
 * (store_shared.c).  sender_limits holds one sender's abuse counters
 * (abuse.h), read and written back under her lock in the transaction
 * of her message, so that a flood is counted once whichever daemon
 * each message reaches; send_budget counts, per clock hour, the
 * messages started through paid providers, against outbound_per_hour.
 * On SQLite the one daemon keeps both in memory: the tables stay empty.
 */
#define MIGRATION_19_SHARED_LIMITS(INT)					\
	"CREATE TABLE sender_limits (phone TEXT PRIMARY KEY,"		\
	"  tat_ms " INT " NOT NULL, repeat_since_ms " INT " NOT NULL,"	\
	"  last_reply_ms " INT " NOT NULL,"				\
	"  muted_until_ms " INT " NOT NULL, muted_why " INT " NOT NULL," \
	"  last_text " INT " NOT NULL, repeats " INT " NOT NULL,"	\
	"  fast " INT " NOT NULL, logged " INT " NOT NULL,"		\
	"  day " INT " NOT NULL, replies_today " INT " NOT NULL,"	\
	"  updated_ms " INT " NOT NULL);"				\
	"CREATE TABLE send_budget (hour " INT " PRIMARY KEY,"		\
	"  used " INT " NOT NULL, taken " INT " NOT NULL);"

/* migrations[v] takes a database from version v - 1 to version v. */
static const char *const migrations[] = {
	NULL,
	/* 1: the first schema */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"CREATE TABLE contacts (" CONTACTS_COLUMNS ");"
	"CREATE TABLE stakeholders ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL, category TEXT NOT NULL, district TEXT NOT NULL,"
	"  phone TEXT, languages TEXT, description_en TEXT,"
	"  description_hi TEXT, source TEXT,"
	"  imported_ms INTEGER NOT NULL);"
	"CREATE INDEX stakeholders_category_district"
	"  ON stakeholders(category, district);"
	"CREATE TABLE interactions ("
	"  id INTEGER PRIMARY KEY,"
	"  time_ms INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  provider TEXT, provider_msg_id TEXT, phone TEXT, text TEXT,"
	"  keyword TEXT, handler TEXT, district TEXT, language TEXT,"
	"  encoding TEXT, segments INTEGER NOT NULL DEFAULT 0,"
	"  latency_ms INTEGER, reply_to INTEGER, status TEXT);"
	"CREATE UNIQUE INDEX interactions_inbound_dedupe"
	"  ON interactions(provider, provider_msg_id)"
	"  WHERE direction = 'in' AND provider_msg_id IS NOT NULL;"
	"CREATE INDEX interactions_time ON interactions(time_ms);"
	"CREATE INDEX interactions_reply_to ON interactions(reply_to);",
	/* 2: the outbox, its state changes and its send attempts */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  provider TEXT NOT NULL, to_phone TEXT NOT NULL,"
	"  from_addr TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,"
	"  encoding TEXT, segments INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent',"
	"    'delivered', 'undelivered', 'failed', 'expired')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  provider_id TEXT, error_code TEXT, error TEXT, reason TEXT,"
	"  reply_to INTEGER, broadcast_id INTEGER);"
	/* Serves claim and next_due; the rowid after it orders equal times. */
	"CREATE INDEX outbox_due ON outbox(state, provider, next_attempt_ms);"
	"CREATE UNIQUE INDEX outbox_provider_id"
	"  ON outbox(provider, provider_id)"
	"  WHERE provider_id IS NOT NULL;"
	"CREATE TABLE outbox_events ("
	"  id INTEGER PRIMARY KEY,"
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id),"
	"  time_ms INTEGER NOT NULL,"
	"  from_state TEXT, to_state TEXT NOT NULL, detail TEXT);"
	"CREATE INDEX outbox_events_outbox ON outbox_events(outbox_id);"
	"CREATE TABLE outbox_attempts ("
	"  id INTEGER PRIMARY KEY,"
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id),"
	"  time_ms INTEGER NOT NULL, attempt INTEGER NOT NULL,"
	"  http_status INTEGER, error_code TEXT, error TEXT,"
	"  latency_ms INTEGER);"
	"CREATE INDEX outbox_attempts_outbox ON outbox_attempts(outbox_id);",
	/*
	 * 3: less work per inbound message.  Contacts are looked up by phone
	 * only, so the phone is the table's key (no separate rowid b-tree);
	 * only replies have reply_to, so only they enter its index.
	 */
	"DROP INDEX interactions_reply_to;"
	"CREATE INDEX interactions_reply_to ON interactions(reply_to)"
	"  WHERE reply_to IS NOT NULL;"
	"CREATE TABLE contacts_v3 (" CONTACTS_COLUMNS ") WITHOUT ROWID;"
	"INSERT INTO contacts_v3 SELECT phone, name, language, district, role,"
	"  pending_keyword, pending_until_ms, more_text, more_until_ms,"
	"  opted_out_ms, first_seen_ms, last_seen_ms FROM contacts;"
	"DROP TABLE contacts;"
	"ALTER TABLE contacts_v3 RENAME TO contacts;",
	/*
	 * 4: contacts' interests and groups.
	 */
	"CREATE TABLE contact_interests ("
	"  phone TEXT NOT NULL, interest TEXT NOT NULL,"
	"  first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (phone, interest)) WITHOUT ROWID;"
	"CREATE TABLE contact_groups ("
	"  name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE group_members ("
	"  group_name TEXT NOT NULL, phone TEXT NOT NULL,"
	"  added_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (group_name, phone)) WITHOUT ROWID;"
	"CREATE INDEX group_members_phone ON group_members(phone);",
	/*
	 * 5: calls and IVR state (store_voice.c): one row per call, keyed by
	 * the provider's call id, holding where the caller is in the menu
	 * so that a restart mid-call continues it; outbox rows get a kind,
	 * since a missed-call callback is queued like an SMS.
	 */
	"CREATE TABLE calls ("
	"  id INTEGER PRIMARY KEY,"
	"  call_id TEXT NOT NULL, provider TEXT NOT NULL,"
	"  caller TEXT NOT NULL, our_number TEXT,"
	"  direction TEXT NOT NULL DEFAULT 'in',"
	"  start_ms INTEGER NOT NULL, end_ms INTEGER,"
	"  updated_ms INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  node TEXT, back TEXT, retries INTEGER NOT NULL DEFAULT 0,"
	"  district TEXT, language TEXT, pending TEXT, pending_next TEXT,"
	"  last_answer TEXT, say_next TEXT,"
	"  steps INTEGER NOT NULL DEFAULT 0, followup TEXT);"
	"CREATE UNIQUE INDEX calls_provider_call ON calls(provider, call_id);"
	"CREATE INDEX calls_caller ON calls(caller, start_ms);"
	"ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'sms';",
	/*
	 * 6: what DLT needs per message: a broadcast's template id and
	 * category travel with each of its messages.
	 */
	"ALTER TABLE outbox ADD COLUMN dlt_template_id TEXT;"
	"ALTER TABLE outbox ADD COLUMN sms_type TEXT;",
	/*
	 * 7: broadcasts, meetings, RSVPs and phone notices awaiting their
	 * code.  A reminder is a broadcast of its own (kind 'reminder',
	 * parent_id its broadcast), so its messages count apart.  The
	 * partial indexes serve a broadcast's counts and cancel, and the
	 * per-contact daily cap and open-meeting lookups.
	 */
	"CREATE TABLE meetings ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL, place TEXT NOT NULL,"
	"  time_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL);"
	"CREATE TABLE broadcasts ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('broadcast', 'notice',"
	"    'reminder')),"
	"  parent_id INTEGER, audience TEXT NOT NULL,"
	"  template TEXT NOT NULL, category TEXT NOT NULL, vars TEXT,"
	"  provider TEXT NOT NULL, created_by TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('creating', 'queued',"
	"    'cancelled')),"
	"  created_ms INTEGER NOT NULL, send_at_ms INTEGER NOT NULL,"
	"  cancelled_ms INTEGER NOT NULL DEFAULT 0,"
	"  recipients INTEGER NOT NULL DEFAULT 0,"
	"  segments INTEGER NOT NULL DEFAULT 0,"
	"  skipped_opted_out INTEGER NOT NULL DEFAULT 0,"
	"  meeting_id INTEGER REFERENCES meetings(id),"
	"  reminder INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX broadcasts_parent ON broadcasts(parent_id)"
	"  WHERE parent_id IS NOT NULL;"
	"CREATE TABLE rsvps ("
	"  meeting_id INTEGER NOT NULL, phone TEXT NOT NULL,"
	"  answer TEXT NOT NULL CHECK (answer IN ('yes', 'no')),"
	"  broadcast_id INTEGER, time_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (meeting_id, phone)) WITHOUT ROWID;"
	"CREATE TABLE notices ("
	"  phone TEXT NOT NULL, code TEXT NOT NULL,"
	"  district TEXT NOT NULL, text TEXT NOT NULL,"
	"  created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,"
	"  broadcast_id INTEGER,"
	"  PRIMARY KEY (phone, code)) WITHOUT ROWID;"
	"CREATE INDEX outbox_broadcast ON outbox(broadcast_id, state)"
	"  WHERE broadcast_id IS NOT NULL;"
	"CREATE INDEX outbox_to_broadcast ON outbox(to_phone, next_attempt_ms)"
	"  WHERE broadcast_id IS NOT NULL;",
	/*
	 * 8: the outbox's state rule as comparisons.  SQLite checks "state
	 * IN (seven names)" by building a temporary b-tree of the seven for
	 * every row it writes, and every claim and every result writes the
	 * state; spelled with OR, the same rule is a few comparisons.  SQLite
	 * cannot alter a constraint, so the table is rebuilt with its rows
	 * and indexes as they were (ids kept: events and attempts refer to
	 * them).  Runs with foreign keys off, as store_open() migrates.
	 */
	OUTBOX_REBUILD("outbox_v8", "state = 'failed' OR state = 'expired'"),
	/*
	 * 9: the audit tables without indexes.  outbox_events and
	 * outbox_attempts take a row for every change of state and every
	 * attempt, and no code reads them back; their indexes on outbox_id
	 * cost a b-tree insert per row, 5% of the sender's throughput.  A
	 * message's history is now a scan (docs/operations.md), and outbox
	 * rows are never deleted, so foreign keys need no index either; a
	 * purge would delete a message's events and attempts first.
	 */
	"DROP INDEX outbox_events_outbox;"
	"DROP INDEX outbox_attempts_outbox;",
	/*
	 * 10: replies found by their ids, not by an index.  A message's
	 * replies are recorded right after it, in its transaction, so their
	 * ids follow its own (STORE_REPLY_WINDOW, store.h); the index on
	 * reply_to served only that lookup and cost a b-tree insert and a
	 * log page per reply, 2-3% of the webhook throughput.
	 */
	"DROP INDEX interactions_reply_to;",
	/*
	 * 11: a broadcast's messages are "held" while it is being created:
	 * its creation commits in slices so that webhooks are not blocked,
	 * and the claim, which looks only at "queued", must not send part of
	 * an audience whose creation may yet be interrupted.  The last
	 * commit of the creation makes them "queued" all at once.  The state
	 * rule is a constraint, so the table is rebuilt as in 8.
	 */
	OUTBOX_REBUILD("outbox_v11",
	    "state = 'failed' OR state = 'expired' OR state = 'held'"),
	/*
	 * 12: wrong "YES <code>" tries against a pending notice: a few,
	 * and the notice is cancelled (store_notice_wrong_try).
	 */
	"ALTER TABLE notices ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 13: a group's name as a coordinator writes it ("सिलाई समूह",
	 * "Silai Group 2"), beside the key an audience names it by.
	 */
	"ALTER TABLE contact_groups ADD COLUMN display_name TEXT;",
	/*
	 * 14: the broadcasts being created, found without a scan.  Their
	 * messages are written straight as "queued" (in slices, so that no
	 * commit holds the write lock for long) and the claim leaves them
	 * alone until the broadcast row leaves "creating": it asks for the
	 * earliest send time of such broadcasts before every claim.  Few
	 * rows ever match, so the index costs nothing to keep.
	 */
	"CREATE INDEX broadcasts_creating ON broadcasts(send_at_ms)"
	"  WHERE state = 'creating';"
	/*
	 * And the due index holds only what is queued: every other state
	 * is left by each message in turn, and with the state in the index
	 * a claim and a result each moved the message's entry (a delete and
	 * an insert), a third of what recording them cost.  Now a claim
	 * deletes one entry and a result touches none.  What read other
	 * states through it (the totals by state, the requeue at start-up)
	 * reads the table: a report and a once-at-start-up batch.
	 */
	"DROP INDEX outbox_due;"
	"CREATE INDEX outbox_due ON outbox(provider, next_attempt_ms)"
	"  WHERE state = 'queued';",
	MIGRATION_15_OUTCOMES,
	/*
	 * 16: a call's length as its provider's status callback gives it
	 * (NULL until then), and the call id on every step of a call.  A
	 * call's steps share its id, so voice rows leave the inbound
	 * dedupe index, which would keep only the first; a provider that
	 * retries a voice webhook is answered from the call's row instead.
	 */
	"ALTER TABLE calls ADD COLUMN duration_s INTEGER;"
	"DROP INDEX interactions_inbound_dedupe;"
	"CREATE UNIQUE INDEX interactions_inbound_dedupe"
	"  ON interactions(provider, provider_msg_id)"
	"  WHERE direction = 'in' AND provider_msg_id IS NOT NULL"
	"  AND channel <> 'voice';",
	/*
	 * 17: what the last answer of a call was asked for (handler and
	 * category), so that "send it by SMS" texts it as the registered
	 * reply templates a list is made of, not as the spoken list,
	 * which matches none and an Indian operator's scrubber drops.
	 */
	"ALTER TABLE calls ADD COLUMN last_query TEXT;",
	MIGRATION_18_SHARED_SENDING,
	MIGRATION_19_SHARED_LIMITS("INTEGER"),
	/*
	 * 20: the directory's own version, as PostgreSQL has had since its
	 * step 17.  PRAGMA data_version moved with any other connection's
	 * commit: each slice of a broadcast created by a background job made
	 * the daemon read and learn the whole directory again before its next
	 * webhooks, 3-6 ms each on a grown coalition.  Triggers count only
	 * the stakeholders' changes, from any connection or process.
	 */
	"CREATE TABLE sampark_data_version (n INTEGER NOT NULL);"
	"INSERT INTO sampark_data_version VALUES (0);"
	"CREATE TRIGGER stakeholders_added AFTER INSERT ON stakeholders"
	"  BEGIN UPDATE sampark_data_version SET n = n + 1; END;"
	"CREATE TRIGGER stakeholders_changed AFTER UPDATE ON stakeholders"
	"  BEGIN UPDATE sampark_data_version SET n = n + 1; END;"
	"CREATE TRIGGER stakeholders_removed AFTER DELETE ON stakeholders"
	"  BEGIN UPDATE sampark_data_version SET n = n + 1; END;",
};
#define SCHEMA_VERSION	((int)SP_ARRAY_LEN(migrations) - 1)

/*
 * PostgreSQL: the same tables, columns and indexes as SQLite's version
 * 17, integers as BIGINT and row ids as identities.  Its version is the
 * row of sampark_schema.  sampark_data_version counts the changes to the
 * directory, which store_data_version() reads (SQLite too, since its
 * step 20): a trigger bumps it, so every writer (another daemon, an
 * import) is seen.
 */
#define PG_ID	"id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
static const char *const pg_migrations[] = {
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL,
	/* 17: the schema of SQLite's version 17, made at once */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE contacts ("
	"  phone TEXT PRIMARY KEY,"
	"  name TEXT, language TEXT, district TEXT,"
	"  role TEXT NOT NULL DEFAULT 'entrepreneur',"
	"  pending_keyword TEXT,"
	"  pending_until_ms BIGINT NOT NULL DEFAULT 0,"
	"  more_text TEXT,"
	"  more_until_ms BIGINT NOT NULL DEFAULT 0,"
	"  opted_out_ms BIGINT NOT NULL DEFAULT 0,"
	"  first_seen_ms BIGINT NOT NULL DEFAULT 0,"
	"  last_seen_ms BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE stakeholders (" PG_ID ","
	"  name TEXT NOT NULL, category TEXT NOT NULL, district TEXT NOT NULL,"
	"  phone TEXT, languages TEXT, description_en TEXT,"
	"  description_hi TEXT, source TEXT,"
	"  imported_ms BIGINT NOT NULL);"
	"CREATE INDEX stakeholders_category_district"
	"  ON stakeholders(category, district);"
	"CREATE TABLE interactions (" PG_ID ","
	"  time_ms BIGINT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	"  provider TEXT, provider_msg_id TEXT, phone TEXT, text TEXT,"
	"  keyword TEXT, handler TEXT, district TEXT, language TEXT,"
	"  encoding TEXT, segments BIGINT NOT NULL DEFAULT 0,"
	"  latency_ms BIGINT, reply_to BIGINT, status TEXT,"
	"  outcome TEXT, category TEXT, stakeholders TEXT);"
	"CREATE INDEX interactions_time ON interactions(time_ms);"
	"CREATE UNIQUE INDEX interactions_inbound_dedupe"
	"  ON interactions(provider, provider_msg_id)"
	"  WHERE direction = 'in' AND provider_msg_id IS NOT NULL"
	"  AND channel <> 'voice';"
	/* See S_REPLIES_FOR in sql_text_pg[]. */
	"CREATE INDEX interactions_reply_to ON interactions(reply_to)"
	"  WHERE reply_to IS NOT NULL;"
	"CREATE TABLE outbox (" PG_ID ","
	"  provider TEXT NOT NULL, to_phone TEXT NOT NULL,"
	"  from_addr TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,"
	"  encoding TEXT, segments BIGINT NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent',"
	"    'delivered', 'undelivered', 'failed', 'expired', 'held')),"
	"  attempts BIGINT NOT NULL DEFAULT 0,"
	"  created_ms BIGINT NOT NULL, next_attempt_ms BIGINT NOT NULL,"
	"  updated_ms BIGINT NOT NULL,"
	"  provider_id TEXT, error_code TEXT, error TEXT, reason TEXT,"
	"  reply_to BIGINT, broadcast_id BIGINT,"
	"  kind TEXT NOT NULL DEFAULT 'sms',"
	"  dlt_template_id TEXT, sms_type TEXT);"
	"CREATE INDEX outbox_due ON outbox(provider, next_attempt_ms, id)"
	"  WHERE state = 'queued';"
	"CREATE UNIQUE INDEX outbox_provider_id"
	"  ON outbox(provider, provider_id)"
	"  WHERE provider_id IS NOT NULL;"
	"CREATE INDEX outbox_broadcast ON outbox(broadcast_id, state)"
	"  WHERE broadcast_id IS NOT NULL;"
	"CREATE INDEX outbox_to_broadcast ON outbox(to_phone, next_attempt_ms)"
	"  WHERE broadcast_id IS NOT NULL;"
	"CREATE TABLE outbox_events (" PG_ID ","
	"  outbox_id BIGINT NOT NULL REFERENCES outbox(id),"
	"  time_ms BIGINT NOT NULL,"
	"  from_state TEXT, to_state TEXT NOT NULL, detail TEXT);"
	"CREATE TABLE outbox_attempts (" PG_ID ","
	"  outbox_id BIGINT NOT NULL REFERENCES outbox(id),"
	"  time_ms BIGINT NOT NULL, attempt BIGINT NOT NULL,"
	"  http_status BIGINT, error_code TEXT, error TEXT,"
	"  latency_ms BIGINT);"
	"CREATE TABLE contact_interests ("
	"  phone TEXT NOT NULL, interest TEXT NOT NULL,"
	"  first_ms BIGINT NOT NULL, last_ms BIGINT NOT NULL,"
	"  PRIMARY KEY (phone, interest));"
	"CREATE TABLE contact_groups ("
	"  name TEXT PRIMARY KEY, created_ms BIGINT NOT NULL,"
	"  display_name TEXT);"
	"CREATE TABLE group_members ("
	"  group_name TEXT NOT NULL, phone TEXT NOT NULL,"
	"  added_ms BIGINT NOT NULL,"
	"  PRIMARY KEY (group_name, phone));"
	"CREATE INDEX group_members_phone ON group_members(phone);"
	"CREATE TABLE calls (" PG_ID ","
	"  call_id TEXT NOT NULL, provider TEXT NOT NULL,"
	"  caller TEXT NOT NULL, our_number TEXT,"
	"  direction TEXT NOT NULL DEFAULT 'in',"
	"  start_ms BIGINT NOT NULL, end_ms BIGINT,"
	"  updated_ms BIGINT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  node TEXT, back TEXT, retries BIGINT NOT NULL DEFAULT 0,"
	"  district TEXT, language TEXT, pending TEXT, pending_next TEXT,"
	"  last_answer TEXT, say_next TEXT,"
	"  steps BIGINT NOT NULL DEFAULT 0, followup TEXT,"
	"  duration_s BIGINT, last_query TEXT);"
	"CREATE UNIQUE INDEX calls_provider_call ON calls(provider, call_id);"
	"CREATE INDEX calls_caller ON calls(caller, start_ms);"
	"CREATE TABLE meetings (" PG_ID ","
	"  title TEXT NOT NULL, place TEXT NOT NULL,"
	"  time_ms BIGINT NOT NULL, created_ms BIGINT NOT NULL);"
	"CREATE TABLE broadcasts (" PG_ID ","
	"  kind TEXT NOT NULL CHECK (kind IN ('broadcast', 'notice',"
	"    'reminder')),"
	"  parent_id BIGINT, audience TEXT NOT NULL,"
	"  template TEXT NOT NULL, category TEXT NOT NULL, vars TEXT,"
	"  provider TEXT NOT NULL, created_by TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('creating', 'queued',"
	"    'cancelled')),"
	"  created_ms BIGINT NOT NULL, send_at_ms BIGINT NOT NULL,"
	"  cancelled_ms BIGINT NOT NULL DEFAULT 0,"
	"  recipients BIGINT NOT NULL DEFAULT 0,"
	"  segments BIGINT NOT NULL DEFAULT 0,"
	"  skipped_opted_out BIGINT NOT NULL DEFAULT 0,"
	"  meeting_id BIGINT REFERENCES meetings(id),"
	"  reminder BIGINT NOT NULL DEFAULT 0);"
	"CREATE INDEX broadcasts_parent ON broadcasts(parent_id)"
	"  WHERE parent_id IS NOT NULL;"
	"CREATE INDEX broadcasts_creating ON broadcasts(send_at_ms)"
	"  WHERE state = 'creating';"
	"CREATE TABLE rsvps ("
	"  meeting_id BIGINT NOT NULL, phone TEXT NOT NULL,"
	"  answer TEXT NOT NULL CHECK (answer IN ('yes', 'no')),"
	"  broadcast_id BIGINT, time_ms BIGINT NOT NULL,"
	"  PRIMARY KEY (meeting_id, phone));"
	"CREATE TABLE notices ("
	"  phone TEXT NOT NULL, code TEXT NOT NULL,"
	"  district TEXT NOT NULL, text TEXT NOT NULL,"
	"  created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL,"
	"  broadcast_id BIGINT, tries BIGINT NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (phone, code));"
	"CREATE TABLE sampark_data_version (n BIGINT NOT NULL);"
	"INSERT INTO sampark_data_version VALUES (0);"
	"CREATE FUNCTION sampark_directory_changed() RETURNS trigger"
	"  LANGUAGE plpgsql AS $$ BEGIN"
	"  UPDATE sampark_data_version SET n = n + 1; RETURN NULL; END $$;"
	"CREATE TRIGGER stakeholders_changed AFTER INSERT OR UPDATE OR DELETE"
	"  OR TRUNCATE ON stakeholders FOR EACH STATEMENT"
	"  EXECUTE FUNCTION sampark_directory_changed();",
	/* 18: as SQLite's 18. */
	"CREATE TABLE send_rate (provider TEXT PRIMARY KEY,"
	"  next_free_us BIGINT NOT NULL);",
	/* 19: as SQLite's 19. */
	MIGRATION_19_SHARED_LIMITS("BIGINT"),
	/* 20: SQLite's sampark_data_version, which this has since 17. */
	NULL,
};

_Static_assert(SP_ARRAY_LEN(pg_migrations) == SP_ARRAY_LEN(migrations),
    "a schema version is made by a step of each backend");

static const char *const sql_text[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	/* A savepoint nests inside a caller's transaction or starts one. */
	[S_SAVEPOINT] = "SAVEPOINT store_replace",
	[S_RELEASE] = "RELEASE store_replace",
	[S_ROLLBACK_TO] = "ROLLBACK TO store_replace",
	[S_HEARTBEAT] = "INSERT INTO meta(key, value) VALUES ('heartbeat', ?1)"
	    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2)"
	    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	/* Repeats the partial index's WHERE so the planner can use it. */
	[S_INBOUND_FIND] = "SELECT id FROM interactions WHERE provider = ?1"
	    " AND provider_msg_id = ?2 AND direction = 'in'"
	    " AND provider_msg_id IS NOT NULL AND channel <> 'voice'",
	[S_INTERACTION_INSERT] = "INSERT INTO interactions ("
	    INTERACTION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
	    " ON CONFLICT DO NOTHING",
	[S_INTERACTION_OUTCOME] = "UPDATE interactions SET outcome = ?2,"
	    " stakeholders = NULL WHERE id = ?1",
	[S_REPLIES_FOR] = "SELECT text FROM interactions WHERE id > ?1"
	    " AND id <= ?1 + " SP_STR(STORE_REPLY_WINDOW) " AND reply_to = ?1"
	    " AND direction = 'out' ORDER BY id",
	/* NULL means "no filter"; the time bounds are always bound. */
	[S_EXPORT] = "SELECT id, " INTERACTION_COLUMNS " FROM interactions"
	    " WHERE time_ms >= ?1 AND time_ms < ?2"
	    " AND (?3 IS NULL OR channel = ?3)"
	    " AND (?4 IS NULL OR district = ?4)"
	    " ORDER BY time_ms, id",
	[S_CONTACT_GET] = "SELECT " CONTACT_COLUMNS " FROM contacts"
	    " WHERE phone = ?1",
	[S_CONTACT_PUT] = "INSERT INTO contacts (" CONTACT_COLUMNS ") VALUES"
	    " (?1, ?2, ?3, ?4, COALESCE(?5, 'entrepreneur'), ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12) ON CONFLICT(phone) DO UPDATE SET"
	    " name = excluded.name, language = excluded.language,"
	    " district = excluded.district, role = excluded.role,"
	    " pending_keyword = excluded.pending_keyword,"
	    " pending_until_ms = excluded.pending_until_ms,"
	    " more_text = excluded.more_text,"
	    " more_until_ms = excluded.more_until_ms,"
	    " opted_out_ms = excluded.opted_out_ms,"
	    " first_seen_ms = excluded.first_seen_ms,"
	    " last_seen_ms = excluded.last_seen_ms",
	[S_SH_DELETE] = "DELETE FROM stakeholders",
	[S_SH_INSERT] = "INSERT INTO stakeholders (" SH_COLUMNS
	    ", source, imported_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_SH_COUNT] = "SELECT count(*) FROM stakeholders",
	[S_SH_FIND] = "SELECT id, " SH_COLUMNS " FROM stakeholders"
	    " WHERE category = ?1 AND (district = ?2 OR district = '*')"
	    " ORDER BY id",
	[S_SH_ALL] = "SELECT id, " SH_COLUMNS " FROM stakeholders ORDER BY id",
	[S_DATA_VERSION] = "SELECT n FROM sampark_data_version",
	[S_OB_ADD] = OUTBOX_INSERT,
	[S_OB_EVENT] = "INSERT INTO outbox_events (outbox_id, time_ms,"
	    " from_state, to_state, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
	/*
	 * The subquery walks outbox_due in (next_attempt_ms, id) order
	 * between ?5 and ?2; the RETURNING rows come back in no promised
	 * order, so they are sorted.  With ?6 set, messages of a broadcast
	 * still being created are passed over, each by its primary key
	 * (store_outbox_claim keeps that walk short).
	 */
	[S_OB_CLAIM] = "UPDATE outbox SET state = 'sending',"
	    " attempts = attempts + 1, updated_ms = ?3"
	    " WHERE id IN (SELECT id FROM outbox WHERE state = 'queued'"
	    " AND provider = ?1 AND next_attempt_ms >= ?5"
	    " AND next_attempt_ms <= ?2 AND (?6 = 0 OR broadcast_id IS NULL"
	    " OR NOT EXISTS (SELECT 1 FROM broadcasts b"
	    " WHERE b.id = outbox.broadcast_id AND b.state = 'creating'))"
	    " ORDER BY next_attempt_ms, id LIMIT ?4)"
	    " RETURNING " OUTBOX_COLUMNS,
	/* Through the partial index broadcasts_creating (migration 14). */
	[S_OB_CREATING_FROM] = "SELECT min(send_at_ms) FROM broadcasts"
	    " WHERE state = 'creating'",
	[S_OB_ATTEMPT] = "INSERT INTO outbox_attempts (outbox_id, time_ms,"
	    " attempt, http_status, error_code, error, latency_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/*
	 * An attempt's end, and (S_OB_RETRY) a requeue with its retry time.
	 * Two statements because SQLite rewrites every index holding a
	 * column the SET names, even to its own value: a sent broadcast
	 * message would move in outbox_to_broadcast for nothing.
	 */
	[S_OB_FINISH] = "UPDATE outbox SET state = ?2, updated_ms = ?3,"
	    " provider_id = COALESCE(?5, provider_id),"
	    " error_code = ?6, error = ?7, reason = ?8"
	    " WHERE id = ?1 AND state = 'sending'",
	[S_OB_RETRY] = "UPDATE outbox SET state = ?2, updated_ms = ?3,"
	    " next_attempt_ms = ?4,"
	    " provider_id = COALESCE(?5, provider_id),"
	    " error_code = ?6, error = ?7, reason = ?8"
	    " WHERE id = ?1 AND state = 'sending'",
	[S_OB_FIND_PID] = "SELECT id, state FROM outbox WHERE provider = ?1"
	    " AND provider_id = ?2 AND provider_id IS NOT NULL",
	/* "AND state = ?6": a change made since the read wins. */
	[S_OB_REPORT] = "UPDATE outbox SET state = ?2, updated_ms = ?3,"
	    " error_code = ?4, reason = ?5 WHERE id = ?1 AND state = ?6",
	[S_OB_REQUEUE_EVENTS] = "/* batch: once at start-up, what a crash left"
	    " in flight */ INSERT INTO outbox_events (outbox_id,"
	    " time_ms, from_state, to_state, detail) SELECT id, ?1, 'sending',"
	    " 'queued', ?3 FROM outbox"
	    " WHERE state = 'sending' AND updated_ms <= ?2",
	[S_OB_REQUEUE] = "/* batch: once at start-up, as above */"
	    " UPDATE outbox SET state = 'queued',"
	    " next_attempt_ms = ?1, updated_ms = ?1 WHERE state = 'sending'"
	    " AND updated_ms <= ?2",
	/* The same window and rule as the claim. */
	[S_OB_NEXT_DUE] = "SELECT next_attempt_ms FROM outbox"
	    " WHERE state = 'queued' AND provider = ?1"
	    " AND next_attempt_ms >= ?2 AND next_attempt_ms <= ?3"
	    " AND (?4 = 0 OR broadcast_id IS NULL"
	    " OR NOT EXISTS (SELECT 1 FROM broadcasts b"
	    " WHERE b.id = outbox.broadcast_id AND b.state = 'creating'))"
	    " ORDER BY next_attempt_ms LIMIT 1",
	/* A negative LIMIT is no limit. */
	[S_OB_LIST] = "/* report: the operator's listing, newest first,"
	    " stops at its limit */ SELECT " OUTBOX_COLUMNS " FROM outbox"
	    " WHERE (?1 IS NULL OR (state = ?1 AND (?1 <> 'failed' OR"
	    " reason IS NOT 'cancelled')) OR (?1 = 'cancelled' AND"
	    " state = 'failed' AND reason = 'cancelled'))"
	    " ORDER BY id DESC LIMIT ?2",
	[S_OB_GET] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?1",
	[S_OB_COUNTS] = "/* report: the operator's totals by state */"
	    " SELECT CASE WHEN state = 'failed' AND reason = 'cancelled'"
	    " THEN 'cancelled' ELSE state END AS shown, count(*) FROM outbox"
	    " GROUP BY shown ORDER BY shown",
};


/*
 * PostgreSQL's text where it differs (NULL: the same as sql_text).  The
 * claim skips rows another daemon has locked, so that two never claim
 * one message; a negative LIMIT, SQLite's "no limit", is NULL there.
 */
static const char *const sql_text_pg[S_COUNT] = {
	[S_BEGIN] = "BEGIN",
	/*
	 * Several daemons draw ids from one sequence at once, so a message's
	 * replies need not follow its id closely: they are found by
	 * reply_to, through its index, not in STORE_REPLY_WINDOW.
	 */
	[S_REPLIES_FOR] = "SELECT text FROM interactions WHERE reply_to = ?1"
	    " AND direction = 'out' ORDER BY id",
	[S_DATA_VERSION] = "SELECT n FROM sampark_data_version",
	[S_OB_CLAIM] = "UPDATE outbox SET state = 'sending',"
	    " attempts = attempts + 1, updated_ms = ?3"
	    " WHERE id IN (SELECT id FROM outbox WHERE state = 'queued'"
	    " AND provider = ?1 AND next_attempt_ms >= ?5"
	    " AND next_attempt_ms <= ?2 AND (?6 = 0 OR broadcast_id IS NULL"
	    " OR NOT EXISTS (SELECT 1 FROM broadcasts b"
	    " WHERE b.id = outbox.broadcast_id AND b.state = 'creating'))"
	    " ORDER BY next_attempt_ms, id LIMIT ?4 FOR UPDATE SKIP LOCKED)"
	    " RETURNING " OUTBOX_COLUMNS,
	[S_OB_LIST] = "/* report: the operator's listing, newest first,"
	    " stops at its limit */ SELECT " OUTBOX_COLUMNS " FROM outbox"
	    " WHERE (?1 IS NULL OR (state = ?1 AND (?1 <> 'failed' OR"
	    " reason IS DISTINCT FROM 'cancelled')) OR (?1 = 'cancelled' AND"
	    " state = 'failed' AND reason = 'cancelled'))"
	    " ORDER BY id DESC LIMIT NULLIF(GREATEST(?2, -1), -1)",
};

/* Record msg as the error of op, log it once, and return -1. */
int
store_sq_fail_msg(struct store *st, const char *op, const char *msg)
{
	char q[600];

	util_strlcpy(st->err, msg, sizeof(st->err));
	log_error("store", "op=%s error=%s", op,
	    log_quote(st->err, 400, q, sizeof(q)));
	return -1;
}

int
store_sq_fail(struct store *st, const char *op)
{
	return store_sq_fail_msg(st, op, store_db_errmsg(&st->db));
}

/* Make a statement ready for its next use (bound strings are released). */
void
store_sq_done(struct store_db_stmt *s)
{
	store_db_reset(s);
}

/* Bound strings belong to the caller for the call; store_sq_done() drops them. */
void
store_sq_bind_text(struct store_db_stmt *s, int i, const char *v)
{
	store_db_bind_text(s, i, v);
}

/* Bind v[0..n) to parameters first, first + 1, ... */
void
store_sq_bind_texts(struct store_db_stmt *s, int first, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		store_sq_bind_text(s, first + (int)i, v[i]);
}

char *
store_sq_column_dup(struct store_db_stmt *s, int i)
{
	const char *v = store_db_column_text(s, i);

	return v == NULL ? NULL : xstrdup(v);
}

const char *
store_sq_column_str(struct store_db_stmt *s, int i)
{
	return store_db_column_text(s, i);
}

/* The end of a step whose rows nobody reads: rc was its result. */
static int
stepped(struct store *st, struct store_db_stmt *s, const char *op, int rc)
{
	if (rc != STORE_DB_DONE && rc != STORE_DB_ROW)
		store_sq_fail(st, op);
	store_sq_done(s);
	return rc == STORE_DB_DONE || rc == STORE_DB_ROW ? 0 : -1;
}

int
store_sq_step_done(struct store *st, struct store_db_stmt *s, const char *op)
{
	return stepped(st, s, op, store_db_step(s));
}

int
store_sq_exists(struct store *st, struct store_db_stmt *s, const char *op)
{
	int rc = store_sq_step_row(st, s, op);

	if (rc == 1)
		store_sq_done(s);
	return rc;
}

/* Step a statement of the table that returns no rows to completion. */
int
store_sq_run(struct store *st, enum stmt_id id, const char *op)
{
	return store_sq_step_done(st, st->stmt[id], op);
}

int
store_sq_step_deferred(struct store *st, struct store_db_stmt *s,
    const char *op)
{
	return stepped(st, s, op, store_db_step_deferred(s));
}

/*
 * Step a lookup: 1 with the row ready to read (the caller then calls
 * store_sq_done()), 0 when there is none, -1 on error (logged).
 */
int
store_sq_step_row(struct store *st, struct store_db_stmt *s, const char *op)
{
	int rc = store_db_step(s);

	if (rc == STORE_DB_ROW)
		return 1;
	if (rc != STORE_DB_DONE)
		store_sq_fail(st, op);
	store_sq_done(s);
	return rc == STORE_DB_DONE ? 0 : -1;
}

/* Undo and leave the savepoint opened by S_SAVEPOINT. */
void
store_sq_savepoint_undo(struct store *st)
{
	/* Errors here are already past the one we report; keep that one. */
	store_db_step(st->stmt[S_ROLLBACK_TO]);
	store_sq_done(st->stmt[S_ROLLBACK_TO]);
	store_db_step(st->stmt[S_RELEASE]);
	store_sq_done(st->stmt[S_RELEASE]);
}

int
store_sq_savepoint_end(struct store *st, int ok, const char *op)
{
	if (ok && store_sq_run(st, S_RELEASE, op) == 0)
		return 0;
	store_sq_savepoint_undo(st);
	return -1;
}

/* ---- open, migrate, close ---- */

int
store_sq_user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* The first column of the one row of a statement without parameters. */
static int
query_int(struct store_db *db, const char *sql, int64_t *v)
{
	struct store_db_stmt *s = store_db_prepare(db, sql);
	int rc;

	if (s == NULL)
		return -1;
	rc = store_db_step(s);
	if (rc == STORE_DB_ROW)
		*v = store_db_column_int64(s, 0);
	store_db_finalize(s);
	return rc == STORE_DB_ROW ? 0 : -1;
}

/* The schema version: SQLite's user_version, PostgreSQL's row (0 while
 * the database has no schema of ours). */
static int
schema_version(struct store_db *db, int *v)
{
	int64_t n = 0;

	if (db->sq != NULL)
		return store_sq_user_version(db->sq, v);
	if (query_int(db, "SELECT to_regclass('sampark_schema') IS NOT NULL",
	    &n) == -1)
		return -1;
	if (n && query_int(db, "SELECT COALESCE(max(version), 0)"
	    " FROM sampark_schema", &n) == -1)
		return -1;
	*v = (int)n;
	return 0;
}

static int
migrate(struct store_db *db, char *err, size_t errlen)
{
	const char *const *steps = db->pg != NULL ? pg_migrations : migrations;
	char record[192];
	int v, i;

	if (schema_version(db, &v) == -1)
		goto dberr;
	if (v > SCHEMA_VERSION) {
		util_err(err, errlen, "database schema version %d is newer than "
		    "this sampark (%d); upgrade sampark", v, SCHEMA_VERSION);
		return -1;
	}
	if (v == SCHEMA_VERSION)
		return 0;
	/*
	 * IMMEDIATE (on PostgreSQL a transaction-long advisory lock) and a
	 * re-read: two processes opening at once migrate once.
	 */
	if (store_db_exec(db, db->pg != NULL ? "BEGIN;"
	    " SELECT pg_advisory_xact_lock(1935764850)" : "BEGIN IMMEDIATE") ==
	    -1)
		goto dberr;
	if (schema_version(db, &v) == -1)
		goto rollback;
	for (i = v + 1; i <= SCHEMA_VERSION; i++) {
		if (steps[i] != NULL && store_db_exec(db, steps[i]) == -1)
			goto rollback;
	}
	if (v < SCHEMA_VERSION) {
		/* No parameters here; the number is our own constant. */
		if (db->pg != NULL)
			snprintf(record, sizeof(record), "CREATE TABLE IF NOT"
			    " EXISTS sampark_schema (version INTEGER NOT NULL);"
			    " DELETE FROM sampark_schema;"
			    " INSERT INTO sampark_schema VALUES (%d)",
			    SCHEMA_VERSION);
		else
			snprintf(record, sizeof(record),
			    "PRAGMA user_version = %d", SCHEMA_VERSION);
		if (store_db_exec(db, record) == -1)
			goto rollback;
		log_info("store", "op=migrate from=%d to=%d", v,
		    SCHEMA_VERSION);
	}
	if (store_db_exec(db, "COMMIT") == -1)
		goto rollback;
	return 0;
rollback:
	util_err(err, errlen, "migrating schema: %s", store_db_errmsg(db));
	store_db_exec(db, "ROLLBACK");
	return -1;
dberr:
	util_err(err, errlen, "reading schema version: %s",
	    store_db_errmsg(db));
	return -1;
}

/*
 * Give the database its export pseudonym key if it has none.  Exports
 * must be able to run on a full disk or from a backup they must not
 * change, so the key is made here, when a writer opens the database (for
 * a new one, right after its schema), never by the export.  SQLite's
 * randomblob() is ChaCha20 seeded from the system's randomness; on
 * PostgreSQL the key is drawn here, from the same kind of source.  A
 * failure (a full disk under an old database) is only logged: the daemon
 * does not need the key, and the export says what is missing.
 */
static void
ensure_pseudonym_key(struct store_db *db)
{
	struct store_db_stmt *s;
	unsigned char key[32];
	char hex[2 * sizeof(key) + 1];
	size_t i;
	int rc;

	if ((s = store_db_prepare(db, "SELECT 1 FROM meta WHERE key = "
	    "'pseudonym_key'")) == NULL)
		goto fail;
	rc = store_db_step(s);
	store_db_finalize(s);
	if (rc == STORE_DB_ROW)
		return;
	if (rc != STORE_DB_DONE)
		goto fail;
	if (db->sq != NULL) {
		if (store_db_exec(db, "INSERT OR IGNORE INTO meta(key, value)"
		    " VALUES ('pseudonym_key', lower(hex(randomblob(32))))") ==
		    -1)
			goto fail;
	} else {
		if (crypto_random(key, sizeof(key)) == -1) {
			log_warn("store", "op=pseudonym_key_create problem="
			    "\"no randomness\"");
			return;
		}
		for (i = 0; i < sizeof(key); i++)
			snprintf(hex + 2 * i, 3, "%02x", key[i]);
		if ((s = store_db_prepare(db, "INSERT INTO meta(key, value)"
		    " VALUES ('pseudonym_key', ?1) ON CONFLICT DO NOTHING")) ==
		    NULL)
			goto fail;
		store_db_bind_text(s, 1, hex);
		rc = store_db_step(s);
		store_db_finalize(s);
		if (rc == STORE_DB_ERROR)
			goto fail;
	}
	log_info("store", "op=pseudonym_key_created");
	return;
fail:
	log_warn("store", "op=pseudonym_key_create problem=\"%s\"",
	    store_db_errmsg(db));
}

/* A read-only open cannot migrate: the database must be of our version. */
static int
check_version(struct store_db *db, char *err, size_t errlen)
{
	int v;

	if (schema_version(db, &v) == -1) {
		util_err(err, errlen, "reading schema version: %s",
		    store_db_errmsg(db));
		return -1;
	}
	if (v != SCHEMA_VERSION) {
		util_err(err, errlen, "database schema version %d, this sampark "
		    "reads %d%s", v, SCHEMA_VERSION, v < SCHEMA_VERSION ?
		    " (a copy opened by sampark serve or any other command is "
		    "upgraded)" : "; upgrade sampark");
		return -1;
	}
	return 0;
}

void
store_library_setup(void)
{
	/* Refused (harmlessly) once SQLite is initialised. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
configure(sqlite3 *db, const struct store_options *opt, char *err,
    size_t errlen)
{
	int busy = opt != NULL ? opt->busy_timeout_ms : 0;
	const char *sync = opt != NULL && opt->synchronous_full ?
	    "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";

	sqlite3_busy_timeout(db, busy > 0 ? busy : STORE_DEFAULT_BUSY_MS);
	/* A reader takes the journal mode the file has. */
	if (opt != NULL && opt->read_only)
		return 0;
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_exec(db, sync, NULL, NULL, NULL) != SQLITE_OK) {
		util_err(err, errlen, "configuring: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/*
 * PostgreSQL: a read-only store runs every transaction read only; a lock
 * waited for longer than the busy timeout fails as SQLite's would.
 * synchronous_full needs nothing: a commit is durable on the server.
 */
static int
configure_pg(struct store_db *db, const struct store_options *opt,
    char *err, size_t errlen)
{
	int busy = opt != NULL ? opt->busy_timeout_ms : 0;
	char sql[160];

	snprintf(sql, sizeof(sql), "SET lock_timeout = %d;"
	    " SET client_min_messages = warning%s",
	    busy > 0 ? busy : STORE_DEFAULT_BUSY_MS,
	    opt != NULL && opt->read_only ?
	    "; SET default_transaction_read_only = on" : "");
	/* A connection made again after a failover gets them too. */
	if (store_db_pg_session(db->pg, sql) == -1) {
		util_err(err, errlen, "configuring: %s", store_db_errmsg(db));
		return -1;
	}
	return 0;
}

/* "sqlite:PATH" is PATH; a PostgreSQL URI is left as it is. */
static const char *
store_path(const char *path)
{
	return strncmp(path, "sqlite:", 7) == 0 ? path + 7 : path;
}

static int
open_sqlite(struct store *st, const char *path, int ro,
    const struct store_options *opt, char *err, size_t errlen)
{
	if (sqlite3_open_v2(path, &st->db.sq, (ro ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX,
	    store_walbuf_vfs()) != SQLITE_OK) {
		util_err(err, errlen, "%s: %s", path, st->db.sq != NULL ?
		    sqlite3_errmsg(st->db.sq) : "cannot open");
		return -1;
	}
	sqlite3_extended_result_codes(st->db.sq, 1);
	return configure(st->db.sq, opt, err, errlen);
}

struct store *
store_open(const char *path, const struct store_options *opt, char *err,
    size_t errlen)
{
	struct store *st;
	int i, ro = opt != NULL && opt->read_only;

	st = xcalloc(1, sizeof(*st));
	path = store_path(path);
	if (store_db_is_pg_url(path)) {
		char *name = store_path_for_log(path);

		st->db.pg = store_db_pg_connect(path, name, err, errlen);
		free(name);
		if (st->db.pg == NULL ||
		    configure_pg(&st->db, opt, err, errlen) == -1)
			goto fail;
	} else if (open_sqlite(st, path, ro, opt, err, errlen) == -1)
		goto fail;
	st->synchronous_full = opt != NULL && opt->synchronous_full;
	/* Foreign keys after migrating: a step that rebuilds a table drops
	 * the old one, which their check would refuse while rows refer to it. */
	if ((ro ? check_version(&st->db, err, errlen) :
	    migrate(&st->db, err, errlen)) == -1)
		goto fail;
	if (!ro)
		ensure_pseudonym_key(&st->db);
	if (st->db.sq != NULL && store_db_exec(&st->db,
	    "PRAGMA foreign_keys = ON") == -1) {
		util_err(err, errlen, "configuring: %s",
		    store_db_errmsg(&st->db));
		goto fail;
	}
	for (i = 0; i < S_COUNT; i++) {
		const char *sql = st->db.pg != NULL && sql_text_pg[i] != NULL ?
		    sql_text_pg[i] : sql_text[i];

		if ((st->stmt[i] = store_db_prepare(&st->db, sql)) == NULL) {
			util_err(err, errlen, "preparing statement %d: %s", i,
			    store_db_errmsg(&st->db));
			goto fail;
		}
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	store_checkpointer_stop(st);
	plan_log(st);
	if ((st->db.sq != NULL || st->db.pg != NULL) &&
	    store_db_in_transaction(&st->db)) {
		log_warn("store", "op=close note=\"open transaction rolled "
		    "back\"");
		store_db_exec(&st->db, "ROLLBACK");
	}
	for (i = 0; i < S_COUNT; i++)
		store_db_finalize(st->stmt[i]);
	for (i = 0; i < (int)st->ncached; i++)
		store_db_finalize(st->cached[i].stmt);
	free(st->cached);
	store_db_close(&st->db);
	free(st);
}

int
store_path_is_server(const char *path)
{
	return store_db_is_pg_url(path);
}

char *
store_path_for_log(const char *path)
{
	const char *auth, *at, *colon, *pw, *end;
	struct buf b;

	if (!store_path_is_server(path))
		return xstrdup(path);
	buf_init(&b, 0);
	auth = strstr(path, "://") + 3;
	/* The last '@' of the authority: a careless password holds one. */
	for (at = NULL, end = auth; *end != '\0' && *end != '/' &&
	    *end != '?'; end++)
		if (*end == '@')
			at = end;
	colon = at != NULL ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon != NULL) {
		buf_append(&b, path, (size_t)(colon + 1 - path));
		buf_puts(&b, "***");
		path = at;
	}
	/* Each password= parameter, up to the next '&'. */
	for (pw = path; (pw = strstr(pw, "password=")) != NULL; pw = end) {
		end = pw + 9;
		if (pw[-1] != '?' && pw[-1] != '&')
			continue;	/* some other name ending so */
		buf_append(&b, path, (size_t)(end - path));
		buf_puts(&b, "***");
		path = end = end + strcspn(end, "&");
	}
	buf_puts(&b, path);
	return buf_steal(&b);
}

const char *
store_errmsg(const struct store *st)
{
	return st != NULL ? st->err : "no store";
}

int
store_schema_version(void)
{
	return SCHEMA_VERSION;
}

struct store_db_stmt *
store_sq_prepared(struct store *st, const char *const *sql, const char *op)
{
	struct store_db_stmt *s;
	size_t i;

	/* A few dozen statements at most: a scan beats a hash here. */
	for (i = 0; i < st->ncached; i++)
		if (st->cached[i].sql == *sql)
			return st->cached[i].stmt;
	if ((s = store_db_prepare(&st->db, *sql)) == NULL) {
		store_sq_fail(st, op);
		return NULL;
	}
	st->cached = xreallocarray(st->cached, st->ncached + 1,
	    sizeof(*st->cached));
	st->cached[st->ncached].sql = *sql;
	st->cached[st->ncached].stmt = s;
	st->ncached++;
	return s;
}

/* ---- query plans ---- */

/* Tables that grow with use: a full scan of one costs more every month. */
static int
table_grows(const char *name, size_t len)
{
	static const char *const growing[] = { "contacts", "interactions",
	    "outbox", "outbox_events", "outbox_attempts", "broadcasts",
	    "group_members", "contact_interests", "meetings", "rsvps",
	    "notices", "calls" };
	size_t i;

	for (i = 0; i < SP_ARRAY_LEN(growing); i++)
		if (strlen(growing[i]) == len &&
		    strncmp(growing[i], name, len) == 0)
			return 1;
	return 0;
}

static int
bulk_statement(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	return strncmp(sql, "/* batch: ", 10) == 0 ||
	    strncmp(sql, "/* report: ", 11) == 0;
}

/* The scans of growing tables in one statement's plan; -1 on error. */
static int
plan_scans(struct store *st, const char *sql, struct buf *out)
{
	sqlite3_stmt *eqp;
	char *q = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	int rc, found = 0;

	rc = sqlite3_prepare_v2(st->db.sq, q, -1, &eqp, NULL);
	free(q);
	if (rc != SQLITE_OK)
		return store_sq_fail(st, "plan");
	while ((rc = sqlite3_step(eqp)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(eqp, 3);
		size_t len;

		/* "SCAN t", "SCAN t USING ...", "SCAN t AS a ..." */
		if (d == NULL || strncmp(d, "SCAN ", 5) != 0)
			continue;
		d += 5;
		len = strcspn(d, " ");
		if (!table_grows(d, len))
			continue;
		buf_printf(out, "SCAN %.*s: %s\n", (int)len, d, sql);
		found++;
	}
	sqlite3_finalize(eqp);
	if (rc != SQLITE_DONE)
		return store_sq_fail(st, "plan");
	return found;
}

int
store_plan_scans(struct store *st, struct buf *out)
{
	sqlite3_stmt *s = NULL;
	int n, total = 0;

	/* PostgreSQL plans by its statistics, which a test database has
	 * not: a scan there says nothing about the statement. */
	if (st->db.sq == NULL)
		return store_sq_fail_msg(st, "plan", "query plans are checked"
		    " on SQLite only");
	while ((s = sqlite3_next_stmt(st->db.sq, s)) != NULL) {
		const char *sql = sqlite3_sql(s);

		if (sql == NULL || bulk_statement(sql))
			continue;
		if ((n = plan_scans(st, sql, out)) == -1)
			return -1;
		total += n;
	}
	return total;
}

/*
 * With SAMPARK_PLAN_LOG naming a file, a store appends the scans of the
 * statements it prepared in its life (store_plan_scans) to it when it is
 * closed: the integration tests run every process this way, so that the
 * statements the daemon and the commands really use are all checked.
 * Opened for append only; nothing is written when there is nothing to say.
 */
static void
plan_log(struct store *st)
{
	const char *path = getenv("SAMPARK_PLAN_LOG");
	struct buf scans;
	FILE *f;

	if (path == NULL || *path == '\0' || st->db.sq == NULL)
		return;
	buf_init(&scans, 0);
	if (store_plan_scans(st, &scans) > 0 &&
	    (f = fopen(path, "a")) != NULL) {
		fputs(buf_cstr(&scans), f);
		fclose(f);
	}
	buf_free(&scans);
}

/* ---- transactions ---- */

int
store_begin(struct store *st)
{
	/* Whoever needs its own transaction closes the loop turn's first. */
	if (st->deferred && store_defer_commit(st) == -1)
		return -1;
	/* PostgreSQL only warns; a nested begin is the caller's error. */
	if (STORE_IS_PG(st) && store_db_in_transaction(&st->db))
		return store_sq_fail_msg(st, "begin", "cannot start a"
		    " transaction within a transaction");
	return store_sq_run(st, S_BEGIN, "begin");
}

int
store_defer_begin(struct store *st)
{
	if (st->deferred)
		return 0;
	if (store_sq_run(st, S_BEGIN, "defer_begin") == -1)
		return -1;
	st->deferred = 1;
	return 0;
}

int
store_defer_commit(struct store *st)
{
	if (!st->deferred)
		return 0;
	st->deferred = 0;
	if (store_sq_run(st, S_COMMIT, "defer_commit") == -1) {
		store_sq_run(st, S_ROLLBACK, "defer_rollback");
		return -1;
	}
	return 0;
}

void
store_pipeline(struct store *st)
{
	store_db_pipeline(&st->db);
}

int
store_commit(struct store *st)
{
	return store_sq_run(st, S_COMMIT, "commit");
}

int
store_rollback(struct store *st)
{
	return store_sq_run(st, S_ROLLBACK, "rollback");
}

int
store_check_writable(struct store *st)
{
	if (st->deferred && store_defer_commit(st) == -1)
		return -1;
	store_db_bind_int64(st->stmt[S_HEARTBEAT], 1, util_wall_ms());
	return store_sq_run(st, S_HEARTBEAT, "check_writable");
}

/* ---- meta ---- */

int
store_meta_get(struct store *st, const char *key, char **value)
{
	struct store_db_stmt *s = st->stmt[S_META_GET];
	int rc;

	*value = NULL;
	store_sq_bind_text(s, 1, key);
	if ((rc = store_sq_step_row(st, s, "meta_get")) == 1) {
		*value = store_sq_column_dup(s, 0);
		store_sq_done(s);
	}
	return rc;
}

int
store_meta_set(struct store *st, const char *key, const char *value)
{
	struct store_db_stmt *s = st->stmt[S_META_SET];

	const char *v[] = { key, value };

	store_sq_bind_texts(s, 1, v, SP_ARRAY_LEN(v));
	return store_sq_run(st, S_META_SET, "meta_set");
}

/*
 * The first column of every row of s (bound already) in an array of
 * elements of size bytes, each put there by take: 0 with *out (NULL when
 * there are none) and *n, or -1 with what was taken so far freed by
 * drop (the array too; NULL: free() is enough).
 */
static int
sq_column(struct store *st, struct store_db_stmt *s, const char *op, size_t size,
    void (*take)(struct store_db_stmt *, void *), void (*drop)(void *, size_t),
    void **out, size_t *n)
{
	unsigned char *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return -1;
	while ((rc = store_db_step(s)) == STORE_DB_ROW) {
		if (len == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			v = xreallocarray(v, cap, size);
		}
		take(s, v + len++ * size);
	}
	if (rc != STORE_DB_DONE) {
		/* The error first: resetting the statement may replace it. */
		store_sq_fail(st, op);
		store_sq_done(s);
		if (drop != NULL)
			drop(v, len);
		else
			free(v);
		return -1;
	}
	store_sq_done(s);
	*out = v;
	*n = len;
	return 0;
}

static void
take_string(struct store_db_stmt *s, void *slot)
{
	const char *t = store_sq_column_str(s, 0);

	*(char **)slot = xstrdup(t != NULL ? t : "");
}

static void
drop_strings(void *v, size_t n)
{
	store_strings_free(v, n);
}

int
store_sq_strings(struct store *st, struct store_db_stmt *s, const char *op,
    char ***out, size_t *n)
{
	void *v;
	int rc = sq_column(st, s, op, sizeof(**out), take_string,
	    drop_strings, &v, n);

	*out = v;
	return rc;
}

static void
take_int64(struct store_db_stmt *s, void *slot)
{
	*(int64_t *)slot = store_db_column_int64(s, 0);
}

int
store_sq_int64s(struct store *st, struct store_db_stmt *s, const char *op,
    int64_t **out, size_t *n)
{
	void *v;
	int rc = sq_column(st, s, op, sizeof(**out), take_int64, NULL, &v, n);

	*out = v;
	return rc;
}

int
store_sq_int64(struct store *st, struct store_db_stmt *s, const char *op,
    int64_t *v)
{
	int rc;

	if ((rc = store_sq_step_row(st, s, op)) == 1) {
		*v = store_db_column_int64(s, 0);
		store_sq_done(s);
	}
	return rc;
}
